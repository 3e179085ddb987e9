"""Tests for gradavg._validation.as_widths, the layer-width check shared by the modules."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from gradavg._validation import (
    OverflowInputError,
    as_float_array,
    as_widths,
    check_finite,
    overflow_guard,
)


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


# as_float_array: what was wrong, never "contains a NaN" for input that was not a number.


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (None, r"^z must be a real number or array, got NoneType$"),
        ([1.0, None], r"^z must be a real number or array, got list of object$"),
        (object(), r"^z must be a real number or array, got object$"),
        (1 + 2j, r"^z must be real, got complex values \(complex128\)$"),
        (np.array([1.0, 2j]), r"^z must be real, got complex values"),
        ([1.0, 0j], r"^z must be real"),  # even with a zero imaginary part
        ("1.5", r"^z must be numeric, got str '1.5'$"),
        ([["a"]], r"^z must be numeric, got list of <U1$"),
    ],
)
def test_as_float_array_refuses_what_is_not_a_real_number(value: Any, match: str) -> None:
    with pytest.raises(TypeError, match=match):
        as_float_array(value, "z")


def test_as_float_array_still_takes_ints_bools_and_float32() -> None:
    assert as_float_array([1, True, np.float32(0.5)], "z").tolist() == [1.0, 1.0, 0.5]


def test_overflow_guard_turns_floating_overflow_into_a_named_error() -> None:
    with (
        pytest.raises(OverflowInputError, match=r"^the mean of x overflows float64: the values"),
        overflow_guard("the mean of", "x"),
    ):
        np.mean(np.array([1e308, 1e308]))


def test_check_finite_names_what_overflowed_and_renames_for_the_cli() -> None:
    assert check_finite([1.0, 2.0], "the square of", "x").tolist() == [1.0, 2.0]
    with pytest.raises(OverflowInputError) as error:
        check_finite([1.0, np.inf], "the batch gradient at", "theta", "x", "y")
    assert isinstance(error.value, ValueError)
    assert str(error.value).startswith("the batch gradient at theta, x and y overflows float64")
    assert error.value.renamed({"x": "--x"}).startswith("the batch gradient at theta, --x and y")
