"""The chapter *When averaging first is exact*: its numeric checks and its figure.

:func:`linear_loss_check` compares the gradient −x̄ of the linear loss with central
differences at several θ; :func:`shortcut_check` computes the error of the averaged-data
shortcut for least squares directly and in closed form. Both raise AssertionError when a
claim the chapter makes about the numbers does not hold.

:func:`plot_linear_loss` draws the linear loss J(θ) = (1/N) Σ_i (y_i − θ x_i) of one batch
as a function of θ: a straight line of slope −x̄, with no minimum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from gradavg import regression, shortcuts
from gradavg._validation import FloatArray
from gradavg.book.formats import scientific, true_minus
from gradavg.book.style import legend_below
from gradavg.finite_differences import central_difference_gradient
from gradavg.regression import linear_loss, linear_loss_gradient


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


@dataclass(frozen=True)
class LinearLossCheck:
    """The gradient −x̄ of the linear loss and central differences of it at ``thetas``."""

    thetas: tuple[float, ...]
    gradient: float
    differences: tuple[float, ...]
    step: float
    fd_error: float
    """The largest gap between a central difference and the gradient."""
    rounding: float
    """ε · max abs(J(θ)) / step, the scale of the rounding error of a difference quotient."""

    def __str__(self) -> str:
        return "\n".join(
            f"theta = {t:5.2f}:  central difference {g:.10f}   -x̄ = {self.gradient:.10f}"
            for t, g in zip(self.thetas, self.differences, strict=True)
        )


def linear_loss_check(
    x: ArrayLike, y: ArrayLike, thetas: Sequence[float], step: float = 1e-6
) -> LinearLossCheck:
    """Central differences of the linear loss at each of ``thetas``, against −x̄.

    Raises AssertionError unless the package's gradient is −x̄ and every central
    difference is within 10 times the rounding scale of it (J is linear in θ, so the
    difference quotient makes no truncation error).
    """
    gradient = regression.linear_loss_gradient(x)
    _require(
        abs(gradient + float(np.mean(np.asarray(x, float)))) <= 1e-15, "the gradient is not −x̄"
    )
    differences = tuple(
        central_difference_gradient(lambda t: regression.linear_loss(t, x, y), t, step=step)
        for t in thetas
    )
    fd_error = max(abs(g - gradient) for g in differences)
    loss = max(abs(regression.linear_loss(t, x, y)) for t in thetas)
    rounding = float(np.finfo(float).eps * loss / step)
    _require(fd_error < 10 * rounding, f"central differences off by {fd_error:.1e}")
    return LinearLossCheck(tuple(thetas), gradient, differences, step, fd_error, rounding)


@dataclass(frozen=True)
class ShortcutCheck:
    """The averaged-data shortcut's error for least squares, direct and in closed form."""

    true_gradient: FloatArray
    error: FloatArray
    """Shortcut minus batch gradient, in (∂/∂m, ∂/∂b)."""
    closed_form: FloatArray
    """(2 (Cov(x, y) − m Var(x)), 0)."""

    @property
    def mismatch(self) -> float:
        """The largest gap between the two computations of the error."""
        return float(np.max(np.abs(self.error - self.closed_form)))

    def error_b_text(self) -> str:
        """The error in b, for the prose: ``exactly 0`` or its size as rounding error."""
        b = float(self.error[1])
        return "exactly 0" if b == 0 else f"{scientific(abs(b))}, rounding error"

    def mismatch_text(self) -> str:
        """How closely the two computations agree, for the prose."""
        gap = self.mismatch
        return "bit for bit" if gap == 0 else f"to within {scientific(gap)}"

    def __str__(self) -> str:
        return "\n".join(
            [
                f"batch gradient (m, b):          {self.true_gradient}",
                f"shortcut minus batch (direct):  {self.error}",
                f"2 (Cov(x, y) - m Var(x)), 0:    {self.closed_form}",
            ]
        )


def shortcut_check(params: ArrayLike, x: ArrayLike, y: ArrayLike) -> ShortcutCheck:
    """The shortcut's error at ``params`` = (m, b) on the batch (x, y), two ways.

    Raises AssertionError unless the two computations agree to 1e-12, the error in b
    is below 1e-12 (exact up to rounding) and the error in m exceeds a tenth of the
    batch gradient in m (the shortcut misses by far).
    """
    check = ShortcutCheck(
        regression.batch_gradient(params, x, y),
        shortcuts.averaging_error(params, x, y),
        regression.averaging_error_closed_form(params, x, y),
    )
    _require(
        bool(np.allclose(check.error, check.closed_form, rtol=1e-12, atol=1e-12)),
        f"the two errors differ: {check.error} and {check.closed_form}",
    )
    _require(abs(check.error[1]) < 1e-12, f"the error in b is {check.error[1]}")
    _require(
        abs(check.error[0]) > 0.1 * abs(check.true_gradient[0]),
        f"the error in m, {check.error[0]}, is small",
    )
    return check


# --- figures --------------------------------------------------------------------------


CURVE_POINTS = 101
"""Number of values of θ at which J is evaluated for the plot."""


def plot_linear_loss(
    x: Sequence[float],
    y: Sequence[float],
    theta_range: tuple[float, float] = (-3.0, 3.0),
    *,
    marked: Sequence[float] = (),
) -> Figure:
    """The linear loss J(θ) of one batch against θ, with its constant slope marked.

    Parameters
    ----------
    x, y : sequence of float, length N ≥ 1
        Inputs and targets of the batch.
    theta_range : (float, float), default (−3, 3)
        The interval of θ on which J is drawn.
    marked : sequence of float, optional
        Values of θ at which to mark J(θ) and draw a short tangent of slope dJ/dθ: the
        tangents all have the same slope −x̄.

    Returns
    -------
    matplotlib.figure.Figure
        One axes. Its artists carry ``gid`` names for inspection: ``"linear-loss"`` (the
        graph of J, evaluated by :func:`gradavg.regression.linear_loss` at each θ),
        ``"marked"`` (the points (θ, J(θ)) for ``marked``) and ``"tangent"`` (one short
        segment per marked θ).
    """
    lo, hi = float(theta_range[0]), float(theta_range[1])
    if not lo < hi:
        raise ValueError(f"theta_range must be increasing, got {theta_range}")
    thetas = np.linspace(lo, hi, CURVE_POINTS)
    values = np.array([linear_loss(float(t), x, y) for t in thetas])
    slope = linear_loss_gradient(x)

    fig, ax = plt.subplots(layout="constrained")
    ax.plot(thetas, values, color="0.25", label="J(θ)", gid="linear-loss")

    if len(marked) > 0:
        at = np.asarray(marked, dtype=np.float64)
        heights = np.array([linear_loss(float(t), x, y) for t in at])
        half_width = 0.06 * (hi - lo)
        for t, h in zip(at, heights, strict=True):
            ax.plot(
                [t - half_width, t + half_width],
                [h - slope * half_width, h + slope * half_width],
                color="tab:red",
                lw=4,
                alpha=0.45,
                solid_capstyle="round",
                gid="tangent",
            )
        ax.plot(
            at,
            heights,
            "o",
            color="tab:red",
            ms=5,
            label=true_minus(f"dJ/dθ = −x̄ = {slope:.4f} at every θ"),
            gid="marked",
            zorder=3,
        )

    ax.set_xlim(lo, hi)
    ax.set_xlabel("parameter θ")
    ax.set_ylabel("J(θ)")
    legend_below(fig)
    return fig
