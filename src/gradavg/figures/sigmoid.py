"""Figures of the chapter *The sigmoid counterexample*.

:func:`plot_averaging_gap` draws σ′ with a batch of pre-activations on it, the mean of σ′
over the batch and σ′ at the batch mean, and the gap between the two: the picture of
Jensen's inequality for the derivative that backpropagation multiplies by.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from gradavg.activations import averaging_gap, sigmoid_prime
from gradavg.book import true_minus

__all__ = ["gap_label", "plot_averaging_gap"]

CURVE_POINTS = 400
"""Number of points on the drawn σ′ curve."""


def plot_averaging_gap(
    points: Sequence[float],
    z_range: tuple[float, float] = (-4.0, 6.0),
    *,
    inflection: float | None = None,
) -> Figure:
    """σ′ with a batch on it, the mean of σ′ and σ′ at the mean, and their gap.

    Parameters
    ----------
    points : sequence of float, length N ≥ 1
        The batch of pre-activations z_1, …, z_N.
    z_range : (float, float), default (−4, 6)
        The interval of z on which σ′ is drawn; it should contain the batch.
    inflection : float, optional
        If given, the inflection points ±``inflection`` of σ′ are drawn as dotted
        vertical lines and the region between them, where σ′ is concave, is shaded.

    Returns
    -------
    matplotlib.figure.Figure
        One axes. Its artists carry ``gid`` names for inspection: ``"sigma-prime"``
        (the curve), ``"batch"`` (the points (z_i, σ′(z_i))), ``"chord"`` (for N = 2, the
        segment joining them), ``"mean-of-derivative"`` (z̄, mean σ′(z_i)),
        ``"derivative-at-mean"`` (z̄, σ′(z̄)) and ``"gap"`` (the segment between those two).
        The legend, below the axes, names each of them and gives the gap, mean of
        σ′(z_i) minus σ′(z̄), as :func:`gap_label` formats it.
    """
    lo, hi = float(z_range[0]), float(z_range[1])
    if not lo < hi:
        raise ValueError(f"z_range must be increasing, got {z_range}")
    result = averaging_gap(points, "sigmoid")
    z = np.asarray(result.points, dtype=np.float64)
    z_mean = float(np.mean(z))
    on_curve = np.asarray(sigmoid_prime(z), dtype=np.float64)

    fig, ax = plt.subplots(layout="constrained")
    grid = np.linspace(lo, hi, CURVE_POINTS)
    ax.plot(grid, sigmoid_prime(grid), color="0.25", label="σ′(z)", gid="sigma-prime")

    if inflection is not None:
        ax.axvspan(-inflection, inflection, color="tab:blue", alpha=0.06, lw=0)
        for side in (-inflection, inflection):
            ax.axvline(side, color="0.5", ls=":", lw=1.0, gid="inflection")
        ax.text(
            inflection,
            0.0,
            " inflection",
            color="0.4",
            ha="left",
            va="bottom",
            transform=ax.get_xaxis_transform(),
        )

    if z.size == 2:
        ax.plot(z, on_curve, color="tab:blue", ls="--", lw=1.2, gid="chord")
    ax.plot(z, on_curve, "o", color="tab:blue", ms=6, label="batch: σ′(zᵢ)", gid="batch", zorder=3)
    ax.plot(
        [z_mean],
        [result.mean_of_derivative],
        "s",
        color="tab:blue",
        mfc="white",
        mew=1.8,
        ms=7,
        label="mean of σ′(zᵢ)",
        gid="mean-of-derivative",
        zorder=4,
    )
    ax.plot(
        [z_mean],
        [result.derivative_at_mean],
        "D",
        color="tab:orange",
        ms=6,
        label="σ′(z̄), σ′ at the mean",
        gid="derivative-at-mean",
        zorder=4,
    )
    ax.plot(
        [z_mean, z_mean],
        [result.mean_of_derivative, result.derivative_at_mean],
        color="tab:red",
        lw=2.5,
        solid_capstyle="butt",
        label=gap_label(result.gap),
        gid="gap",
        zorder=2,  # under the two markers
    )
    ax.set_xlim(lo, hi)
    ax.margins(y=0.08)  # room for a batch point at the peak of σ′
    ax.set_xlabel("pre-activation z")
    ax.set_ylabel("σ′(z)")
    # Below the axes, so that no legend entry can cover the curve, the batch or the gap.
    fig.legend(loc="outside lower center", ncols=3)
    return fig


def gap_label(gap: float) -> str:
    """Legend text for the gap, mean of σ′(z_i) minus σ′(z̄), with a true minus sign."""
    return true_minus(f"gap {gap:+#.4g}")
