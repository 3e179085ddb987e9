"""The chapter *The gradient of an expectation*: the 0-1 loss, whose expected value has
a slope that no per-example derivative sees, drawn for a sample.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from gradavg.book.style import legend_below
from gradavg.expectation import normal_cdf, normal_pdf, zero_one_losses

CURVE_POINTS = 801
"""Points on each drawn curve."""


def plot_zero_one_risk(
    sample: Sequence[float], theta: float, theta_range: tuple[float, float] = (-2.5, 2.5)
) -> Figure:
    """The mean 0-1 loss of a sample, a staircase in θ, against its expectation P(x < θ).

    Parameters
    ----------
    sample : sequence of float, length N ≥ 1
        Draws of a standard normal X.
    theta : float
        The threshold at which the two slopes are drawn.
    theta_range : (float, float)
        The interval of θ drawn.

    Returns
    -------
    matplotlib.figure.Figure
        One axes. Artists carry ``gid`` names: ``"empirical"`` (the mean 0-1 loss of the
        sample), ``"expected"`` (P(x < θ)), ``"tangent"`` (slope ϱ(θ) at ``theta``) and
        ``"flat"`` (the staircase's slope 0 at ``theta``). The legend sits below the axes.
    """
    lo, hi = float(theta_range[0]), float(theta_range[1])
    if not lo < hi:
        raise ValueError(f"theta_range must be increasing, got {theta_range}")
    grid = np.linspace(lo, hi, CURVE_POINTS)
    empirical = [float(np.mean(zero_one_losses(t, sample))) for t in grid]
    fig, ax = plt.subplots(layout="constrained")
    ax.plot(
        grid,
        empirical,
        color="tab:blue",
        drawstyle="steps-post",
        label="mean over the sample",
        gid="empirical",
    )
    ax.plot(grid, normal_cdf(grid), color="0.25", label="expected loss P(x < θ)", gid="expected")
    at = float(np.mean(zero_one_losses(theta, sample)))
    half = 0.45
    span = np.array([theta - half, theta + half])
    level = float(normal_cdf(theta))
    slope = float(normal_pdf(theta))
    ax.plot(
        span,
        level + slope * (span - theta),
        color="tab:orange",
        lw=2.5,
        label=f"slope ϱ(θ) = {slope:.3f}",
        gid="tangent",
    )
    points = np.sort(np.asarray(sample, dtype=np.float64))
    below, above = points[points < theta], points[points > theta]
    step = [below[-1] if below.size else lo, above[0] if above.size else hi]  # θ's step
    ax.plot(step, [at, at], color="tab:red", lw=2.5, label="slope of the step: 0", gid="flat")
    ax.set_xlim(lo, hi)
    ax.set_xlabel("threshold θ")
    ax.set_ylabel("0-1 loss")
    legend_below(fig, ncols=2)
    return fig
