"""Published addresses of results."""

from __future__ import annotations

import pytest

from gradavg.book.formats import shown
from gradavg.book.links import PUBLISHED_URL, result_url


def test_result_url_on_read_the_docs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READTHEDOCS_CANONICAL_URL", "https://gradavg.example/en/latest/")
    assert result_url("sum-rule", "thm-sum-rule") == (
        "https://gradavg.example/en/latest/sum-rule.html#thm-sum-rule"
    )


def test_a_local_build_links_to_the_published_book(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("READTHEDOCS_CANONICAL_URL", raising=False)
    assert result_url("sum-rule", "thm-sum-rule") == f"{PUBLISHED_URL}sum-rule.html#thm-sum-rule"
    assert PUBLISHED_URL.startswith("https://")
    assert PUBLISHED_URL.endswith("/")


def test_shown_uses_a_true_minus_sign() -> None:
    import numpy as np
    import sympy as sp

    from gradavg.book.formats import shown

    assert shown(-0.5, ".2f") == "\N{MINUS SIGN}0.50"
    assert shown(2.5e-16, ".1e") == "2.5e\N{MINUS SIGN}16"
    assert shown(np.float64(0.25)) == "0.25"  # not np.float64(...)
    assert shown(sp.Rational(-1, 4), ".3f") == "\N{MINUS SIGN}0.250"


def test_a_nan_is_written_nan() -> None:
    assert shown(float("nan"), ".3g") == "NaN"
