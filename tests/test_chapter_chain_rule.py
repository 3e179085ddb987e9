"""Tests for gradavg.chapters.chain_rule: three least-squares gradients agree."""

from __future__ import annotations

import numpy as np
import pytest

from gradavg import regression
from gradavg.chapters import chain_rule
from gradavg.chapters.chain_rule import FD_FACTOR, MEAN_TOLERANCE, three_gradients

RNG = np.random.default_rng(0)
X = RNG.uniform(-2.0, 3.0, size=50)
Y = 1.5 * X + 0.5 + RNG.normal(scale=0.8, size=50)


def test_three_gradients_agree() -> None:
    check = three_gradients([-0.7, 1.2], X, Y, step=1e-5)
    np.testing.assert_allclose(check.batch, regression.batch_gradient([-0.7, 1.2], X, Y))
    assert check.diff_mean < MEAN_TOLERANCE
    assert check.diff_fd < check.tolerance_fd == FD_FACTOR * check.rounding_estimate
    assert str(check).splitlines()[0].startswith("batch_gradient:")
    assert len(str(check).splitlines()) == 4


def test_a_wrong_per_example_gradient_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    wrong = regression.per_example_gradients(np.array([-0.7, 1.2]), X, Y) * 1.001
    monkeypatch.setattr(chain_rule.regression, "per_example_gradients", lambda *_: wrong)
    with pytest.raises(AssertionError, match="mean of rows"):
        three_gradients([-0.7, 1.2], X, Y)
