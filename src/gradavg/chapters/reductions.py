"""Figures of the chapter *Mean over what*.

:func:`plot_step_scale` draws, for many batches of labels, the factor N / Σ_i ω_{y_i} by
which PyTorch's weighted mean scales the gradient step relative to the 1/N form.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from gradavg._validation import as_batch, as_positive_int
from gradavg.book.style import legend_below

__all__ = ["plot_step_scale"]


def plot_step_scale(normalisers: Any, batch_size: int) -> Figure:
    """How often each step scale N / Σ ω occurs over batches, with the 1/N form's 1 marked.

    A batch's normaliser depends only on how many labels of each class it holds, so the
    scale takes a few distinct values; each is drawn as a spike as tall as its count.

    Parameters
    ----------
    normalisers : array_like, shape (B,)
        Σ_i ω_{y_i} of each of B batches (see :func:`gradavg.reductions.batch_normalisers`).
    batch_size : int
        N, the number of labels in each batch.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, log-scaled in x; artists carry ``gid`` names: ``"step-scale"`` (the
        spikes, one per distinct value) and ``"one"`` (the vertical line at 1).
    """
    sums = as_batch(normalisers, "normalisers")
    if np.any(sums <= 0):
        raise ValueError("normalisers must be positive")
    n = as_positive_int(batch_size, "batch_size")
    values, counts = np.unique(np.round(n / sums, 12), return_counts=True)
    fig, ax = plt.subplots(layout="constrained")
    ax.vlines(values, 0, counts, color="tab:blue", lw=2.5, gid="step-scale")
    ax.axvline(1.0, color="tab:red", lw=1.5, ls="--", gid="one", label="(1/N) Σ ωᵢLᵢ: always 1")
    ax.set_xscale("log")
    ticks = [0.25, 0.5, 1.0, 2.0, 4.0]
    ax.set_xticks(ticks, [f"{tick:g}" for tick in ticks])
    ax.set_xticks([], minor=True)
    ax.set_xlim(0.2, 5.0)
    ax.set_ylim(0, None)
    ax.set_xlabel("step scale N / Σᵢ ωᵢ of Σ ωᵢLᵢ / Σ ωᵢ (log scale)")
    ax.set_ylabel("number of batches")
    legend_below(fig)
    return fig
