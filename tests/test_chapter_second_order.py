"""The second-order chapter's computations (gradavg.chapters.second_order)."""

from __future__ import annotations

import numpy as np
import pytest

from gradavg import regression
from gradavg.chapters import second_order
from gradavg.chapters.second_order import curvature_of_a_line

RNG = np.random.default_rng(11)
X = RNG.normal(size=6)
Y = 0.7 * X + 0.4 + 0.1 * RNG.normal(size=6)


def test_the_curvature_of_a_line() -> None:
    curvature = curvature_of_a_line([0.3, -0.2], X, Y)
    design = np.column_stack((X, np.ones_like(X)))
    assert curvature.hessian == pytest.approx(2 * design.T @ design / len(X), rel=1e-6)
    assert curvature.ranks() == (2, 1)
    assert curvature.gap < 1e-12
    assert curvature.hessian_gap < 1e-6
    difference = curvature.fisher - curvature.outer_of_mean
    assert np.all(np.linalg.eigvalsh(difference) >= -1e-15)  # a covariance


def test_at_the_minimum_the_mean_gradient_vanishes_but_not_the_fisher() -> None:
    design = np.column_stack((X, np.ones_like(X)))
    curvature = curvature_of_a_line(np.linalg.lstsq(design, Y)[0], X, Y)
    assert np.abs(curvature.outer_of_mean).max() < 1e-28
    assert np.linalg.eigvalsh(curvature.fisher).min() > 1e-4


def test_a_batch_gradient_that_is_not_the_mean_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    true_gradient = regression.batch_gradient

    def inflated(theta: object, x: object, y: object) -> np.ndarray:
        scale = 1.0 if len(np.atleast_1d(x)) == 1 else 1.1
        return scale * true_gradient(theta, x, y)

    monkeypatch.setattr(second_order.regression, "batch_gradient", inflated)
    with pytest.raises(AssertionError, match="Hessian of the mean"):
        curvature_of_a_line([0.3, -0.2], X, Y)
