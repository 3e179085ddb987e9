"""Tests for gradavg.chapters.linear_loss: the linear loss and the regression shortcut."""

from __future__ import annotations

import numpy as np
import pytest

from gradavg.chapters import linear_loss
from gradavg.chapters.linear_loss import linear_loss_check, shortcut_check

RNG = np.random.default_rng(1)
X = RNG.normal(loc=1.0, scale=2.0, size=100)
Y = 3.0 * X - 1.0 + RNG.normal(scale=1.0, size=100)


def test_linear_loss_gradient_is_minus_the_mean_input_at_every_theta() -> None:
    check = linear_loss_check(X, Y, [-2.0, 0.0, 1.5], step=1e-6)
    assert check.gradient == pytest.approx(-np.mean(X), abs=1e-15)
    assert check.fd_error < 10 * check.rounding
    assert len(str(check).splitlines()) == 3


def test_linear_loss_check_catches_a_wrong_gradient(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linear_loss.regression, "linear_loss_gradient", lambda _x: 1.0)
    with pytest.raises(AssertionError, match="not −x̄"):
        linear_loss_check(X, Y, [0.0])


def test_shortcut_is_exact_in_b_and_off_in_m() -> None:
    check = shortcut_check([0.5, 0.2], X, Y)
    assert abs(check.error[1]) < 1e-12
    assert abs(check.error[0]) > 0.1 * abs(check.true_gradient[0])
    assert check.mismatch < 1e-12
    assert check.mismatch_text() in {"bit for bit"} or check.mismatch_text().startswith("to within")
    assert check.error_b_text() == "exactly 0" or check.error_b_text().endswith("rounding error")


def test_shortcut_check_fails_at_the_least_squares_slope() -> None:
    slope = np.cov(X, Y, bias=True)[0, 1] / np.var(X)  # Cov(x, y) = m Var(x): no gap in m
    with pytest.raises(AssertionError, match="the error in m"):
        shortcut_check([slope, 5.0], X, Y)
