"""Figures of the chapter *Gradient accumulation, padding and replicas*.

:func:`plot_token_weights` draws, for micro-batches of n_1 … n_Q tokens, the weight one
token gets under the mean of micro-batch means, 1/(Q n_q), against its weight 1/N in the
full-batch mean.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from gradavg.accumulation import accumulation_weights
from gradavg.book.style import legend_below

__all__ = ["plot_token_weights"]


def plot_token_weights(counts: Any) -> Figure:
    """The weight of one token of each micro-batch, naive recipe against the full batch.

    Parameters
    ----------
    counts : sequence of int, length Q ≥ 1
        n_q, tokens (or examples) per micro-batch.

    Returns
    -------
    matplotlib.figure.Figure
        One axes. Artists carry ``gid`` names: ``"naive"`` (one bar per micro-batch,
        height 1/(Q n_q)) and ``"correct"`` (the line at 1/N).
    """
    weights = accumulation_weights(counts)
    per_token = weights.naive / weights.counts
    positions = np.arange(1, weights.counts.size + 1)

    reference = 1.0 / weights.total
    fig, ax = plt.subplots(layout="constrained")
    bars = ax.bar(
        positions,
        per_token,
        color="tab:red",
        alpha=0.7,
        label=r"mean of micro-batch means: $1/(Q\,n_q)$",
        gid="naive",
    )
    ax.axhline(
        reference,
        color="0.25",
        lw=1.8,
        label=f"full batch: 1/N = 1/{weights.total}",
        gid="correct",
    )
    for bar, n, factor in zip(bars, weights.counts, weights.factor, strict=True):
        ax.annotate(  # above the bar, and above the line where the bar ends below it
            f"$n_q$ = {n}\n×{factor:.2f}",
            (bar.get_x() + bar.get_width() / 2, max(bar.get_height(), reference)),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
        )
    ax.set_xticks(positions)
    ax.set_xlabel("micro-batch $q$")
    ax.set_ylabel("weight of one token")
    ax.set_ylim(0, 1.3 * float(per_token.max()))
    legend_below(fig)
    return fig
