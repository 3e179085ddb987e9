"""Figures of the chapter *When averaging first is exact*.

:func:`plot_linear_loss` draws the linear loss J(θ) = (1/N) Σ_i (y_i − θ x_i) of one batch
as a function of θ: a straight line of slope −x̄, with no minimum.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from gradavg.book import true_minus
from gradavg.regression import linear_loss, linear_loss_gradient

__all__ = ["plot_linear_loss"]

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

    fig, ax = plt.subplots()
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
    ax.legend(loc="best")
    fig.tight_layout()
    return fig
