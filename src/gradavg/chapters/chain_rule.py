"""Three computations of the least-squares gradient of a line, and how closely they agree.

``batch_gradient`` sums over the batch in closed form, ``per_example_gradients`` builds one
row per example (then averaged) and central differences of ``mean_loss`` use no derivative.
:func:`three_gradients` computes all three and asserts the agreement the chain-rule chapter
states, with tolerances derived from floating-point rounding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from gradavg import regression
from gradavg._validation import FloatArray
from gradavg.comparison import relative_difference
from gradavg.finite_differences import central_difference_gradient

MEAN_TOLERANCE = 1e-12
"""Relative tolerance between two orders of summation in float64."""

FD_FACTOR = 100
"""How many times the estimated rounding error central differences may be off."""


@dataclass(frozen=True)
class ThreeGradients:
    """The gradient computed three ways, their relative differences and the tolerances."""

    step: float
    batch: FloatArray
    mean_of_rows: FloatArray
    finite: FloatArray
    diff_mean: float
    diff_fd: float
    rounding_estimate: float

    @property
    def tolerance_fd(self) -> float:
        """The allowed relative difference of the central differences."""
        return FD_FACTOR * self.rounding_estimate

    def __str__(self) -> str:
        tolerances = (
            f"relative differences: {self.diff_mean:.2e} (tolerance {MEAN_TOLERANCE:.0e}), "
            f"{self.diff_fd:.2e} (tolerance {self.tolerance_fd:.1e})"
        )
        return "\n".join(
            [
                f"batch_gradient:                {self.batch}",
                f"mean of per_example_gradients: {self.mean_of_rows}",
                f"central differences (h={self.step}): {self.finite}",
                tolerances,
            ]
        )


def three_gradients(
    params: ArrayLike, x: ArrayLike, y: ArrayLike, step: float = 1e-5
) -> ThreeGradients:
    """The gradient of the mean squared error of a line at ``params`` = (m, b), three ways.

    Raises AssertionError unless the mean of the per-example gradients is within
    :data:`MEAN_TOLERANCE` of the batch gradient, central differences with step ``step``
    are within :data:`FD_FACTOR` times their estimated rounding error (J is quadratic, so
    they make no truncation error), and both agree with the batch gradient to 4 decimals.
    """
    batch = regression.batch_gradient(params, x, y)
    mean_of_rows = regression.per_example_gradients(params, x, y).mean(axis=0)
    finite = central_difference_gradient(
        lambda theta: regression.mean_loss(theta, x, y), np.asarray(params, float), step
    )
    # Rounding in central differences: about eps * J / h in absolute terms.
    loss = regression.mean_loss(params, x, y)
    rounding = float(np.finfo(float).eps * loss / step / np.max(np.abs(batch)))
    check = ThreeGradients(
        step,
        batch,
        mean_of_rows,
        finite,
        relative_difference(mean_of_rows, batch),
        relative_difference(finite, batch),
        rounding,
    )
    if not check.diff_mean < MEAN_TOLERANCE:
        raise AssertionError(f"mean of rows off by {check.diff_mean:.1e} (relative)")
    if not check.diff_fd < check.tolerance_fd:
        raise AssertionError(f"central differences off by {check.diff_fd:.1e} (relative)")
    for other in (mean_of_rows, finite):  # within half a unit of the 4th decimal
        if not np.max(np.abs(other - batch)) < 0.5e-4:
            raise AssertionError(f"{other} differs from {batch} in the 4th decimal")
    return check
