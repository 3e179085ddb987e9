"""Tests for gradavg._validation.as_widths, the layer-width check shared by the modules."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from gradavg._validation import as_widths


def test_as_widths_returns_a_tuple_of_ints() -> None:
    assert as_widths([3, 4, 1]) == (3, 4, 1)
    widths = as_widths(np.array([2, 5]))
    assert widths == (2, 5)
    assert all(type(width) is int for width in widths)


@pytest.mark.parametrize(
    ("widths", "error", "match"),
    [
        ([3], ValueError, r"sizes needs at least two entries .* got \[3\]"),
        ([3, 0], ValueError, r"sizes\[1\] must be positive, got 0"),
        ([3, 2.5], TypeError, r"sizes\[1\] must be an int"),
        ([True, 2], TypeError, r"sizes\[0\] must be an int, got bool"),
        ("34", TypeError, r"sizes must be a sequence of ints, got str"),
        (7, TypeError, r"sizes must be a sequence of ints, got int"),
    ],
)
def test_as_widths_names_the_argument(widths: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        as_widths(widths, "sizes")
