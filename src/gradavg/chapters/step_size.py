"""The chapter *Sum or mean, and the step size*: the expectation over batches, and its figure.

:func:`over_all_batches` writes the mean of an expression over every batch of a data set,
for the derivation of the minibatch gradient's mean and variance;
:func:`plot_minibatch_variance` draws the empirical variance of minibatch means against
the batch size N, on log-log axes, beside the prediction σ_G²/N.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from matplotlib.figure import Figure

from gradavg.book.style import legend_below
from gradavg.optimizers import minibatch_variances

__all__ = ["over_all_batches", "plot_minibatch_variance"]


def over_all_batches(term: sp.Expr, draws: Sequence[sp.Symbol], size: sp.Expr) -> sp.Expr:
    """The mean of ``term`` over every batch (s₁, …, s_N) in {1, …, M}^N, kept as written.

    This is the expectation of ``term`` when the N indices ``draws`` are drawn
    independently and uniformly from the M = ``size`` examples of the data set.
    """
    total = term
    for index in reversed(draws):
        total = sp.Sum(total, (index, 1, size))
    return sp.Mul(1 / size ** len(draws), total, evaluate=False)


def plot_minibatch_variance(
    per_example: Sequence[float], batch_sizes: Sequence[int], draws: int, seed: int
) -> Figure:
    """Variance of the minibatch mean of per-example gradients against N, and σ_G²/N.

    Parameters
    ----------
    per_example : sequence of float, length M ≥ 1
        One gradient coordinate per example of the data set.
    batch_sizes : sequence of int
        The batch sizes N to draw (with replacement).
    draws, seed : int
        Minibatches per size, and the seed of the draws.

    Returns
    -------
    matplotlib.figure.Figure
        One log-log axes; artists ``gid`` ``"empirical"`` (points) and ``"prediction"``
        (the line σ_G²/N).
    """
    empirical, predicted = minibatch_variances(per_example, batch_sizes, draws, seed)
    sizes = np.asarray(batch_sizes, dtype=np.float64)
    fig, ax = plt.subplots(layout="constrained")
    ax.loglog(sizes, predicted, color="0.25", label=r"$\sigma_G^2/N$", gid="prediction")
    ax.loglog(
        sizes,
        empirical,
        "o",
        color="tab:red",
        ms=5,
        gid="empirical",
        label=f"variance of {draws:,} minibatch means",
    )
    ax.set_xlabel("batch size N")
    ax.set_ylabel("variance of the minibatch mean")
    legend_below(fig)
    return fig
