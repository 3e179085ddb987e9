"""The chapter *Second order*: curvature of the mean loss, computed for a line.

:func:`curvature_of_a_line` computes, for least squares on a line, the Hessian of the
mean loss, the Gauss–Newton matrix, the empirical Fisher matrix (1/N) Σ gᵢ gᵢᵀ of the
per-example gradients, the outer product ḡ ḡᵀ of their mean, and the covariance of the
gradients, and asserts the relations the chapter proves: the Hessian of the mean is the
mean of the per-example Hessians and equals Gauss–Newton for a model linear in its
parameters, and the empirical Fisher exceeds ḡ ḡᵀ by exactly the covariance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
from numpy.typing import ArrayLike

from gradavg import regression
from gradavg._validation import FloatArray
from gradavg.comparison import relative_difference
from gradavg.finite_differences import central_difference_gradient

ROUNDING_TOLERANCE = 1e-12
"""Relative tolerance between two float64 computations of the same matrix."""

DIFFERENCE_TOLERANCE = 1e-6
"""Relative tolerance for a Hessian by central differences of the gradient (exact for a
quadratic loss but for rounding, which the step of 10⁻³ keeps near 10⁻¹³/10⁻³)."""

STEP = 1e-3
"""The step of the central differences."""


def _jacobian(gradient: Callable[[FloatArray], FloatArray], theta: FloatArray) -> FloatArray:
    """The Jacobian of ``gradient`` at ``theta`` by central differences, row by row."""
    rows = [
        central_difference_gradient(partial(_entry, gradient, k), theta, STEP)
        for k in range(theta.size)
    ]
    return np.array(rows)


def _entry(gradient: Callable[[FloatArray], FloatArray], k: int, theta: FloatArray) -> float:
    return float(gradient(theta)[k])


@dataclass(frozen=True)
class Curvature:
    """Second-order matrices of least squares on a line at one θ = (m, b), 2 × 2 each."""

    hessian: FloatArray
    """The Hessian of the mean loss, by central differences of the batch gradient."""
    mean_of_hessians: FloatArray
    """The mean of the per-example Hessians, each by central differences of its gradient."""
    gauss_newton: FloatArray
    """(1/N) Σᵢ 2 ∇fᵢ ∇fᵢᵀ, the Hessian without the residual term."""
    fisher: FloatArray
    """The empirical Fisher (1/N) Σᵢ gᵢ gᵢᵀ of the per-example gradients gᵢ."""
    outer_of_mean: FloatArray
    """ḡ ḡᵀ, the outer product of the mean gradient with itself."""
    covariance: FloatArray
    """(1/N) Σᵢ (gᵢ − ḡ)(gᵢ − ḡ)ᵀ."""

    @property
    def hessian_gap(self) -> float:
        """The larger difference of the mean of the Hessians and of Gauss–Newton from the
        Hessian of the mean, relative to its largest entry."""
        return max(
            relative_difference(self.mean_of_hessians, self.hessian),
            relative_difference(self.gauss_newton, self.hessian),
        )

    @property
    def gap(self) -> float:
        """How far the Fisher minus ḡ ḡᵀ is from the covariance, relative to the Fisher."""
        return relative_difference(self.fisher - self.outer_of_mean, self.covariance)

    def ranks(self) -> tuple[int, int]:
        """The ranks of the empirical Fisher and of ḡ ḡᵀ (2 and at most 1)."""
        return (
            int(np.linalg.matrix_rank(self.fisher)),
            int(np.linalg.matrix_rank(self.outer_of_mean)),
        )


def _one_example(x: float, y: float, theta: FloatArray) -> FloatArray:
    """The gradient of example (x, y)'s loss alone."""
    return regression.batch_gradient(theta, [x], [y])


def curvature_of_a_line(theta: ArrayLike, x: ArrayLike, y: ArrayLike) -> Curvature:
    """The matrices of :class:`Curvature` for the batch ``(x, y)`` at ``theta = (m, b)``.

    Raises AssertionError when a relation the chapter states does not hold to rounding.
    """
    point = np.asarray(theta, dtype=np.float64)
    inputs, targets = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    gradients = regression.per_example_gradients(point, inputs, targets)  # (N, 2): rows gᵢ
    n = len(gradients)
    features = np.column_stack((inputs, np.ones(n)))  # ∇fᵢ = (xᵢ, 1) for f = m x + b
    each = [
        _jacobian(partial(_one_example, a, b), point) for a, b in zip(inputs, targets, strict=True)
    ]
    mean_gradient = gradients.mean(axis=0)
    centred = gradients - mean_gradient
    curvature = Curvature(
        hessian=_jacobian(lambda t: regression.batch_gradient(t, inputs, targets), point),
        mean_of_hessians=np.mean(each, axis=0),
        gauss_newton=2 * features.T @ features / n,
        fisher=gradients.T @ gradients / n,
        outer_of_mean=np.outer(mean_gradient, mean_gradient),
        covariance=centred.T @ centred / n,
    )
    assert curvature.hessian_gap < DIFFERENCE_TOLERANCE, (
        "the Hessian of the mean is not the mean of the Hessians, or not Gauss–Newton"
    )
    assert curvature.gap < ROUNDING_TOLERANCE, "the Fisher minus ḡ ḡᵀ is not the covariance"
    return curvature
