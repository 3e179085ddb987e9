"""The chapter *Nonlinear functions of batch statistics*: the bias of the minibatch
gradient of a log-mean-exp, exactly (sympy, over every minibatch) and as a figure.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from matplotlib.figure import Figure

from gradavg.batch_statistics import expected_minibatch_gradient, log_mean_exp_gradient


def exact_gradients(
    x: Sequence[int | sp.Rational], theta: sp.Expr, size: int
) -> tuple[sp.Expr, sp.Expr]:
    """The full-data gradient of log((1/M) Σ exp(θ xₛ)) and the mean of the minibatch
    gradients over every minibatch of ``size`` distinct examples, as exact expressions.

    Returns
    -------
    (sympy.Expr, sympy.Expr)
        The expected minibatch gradient and the full-data gradient.
    """
    values = [sp.sympify(v) for v in x]
    if not 1 <= size <= len(values):
        raise ValueError(f"size must be between 1 and {len(values)}, got {size}")

    def ratio(batch: Sequence[sp.Expr]) -> sp.Expr:
        return sp.Add(*(v * sp.exp(theta * v) for v in batch)) / sp.Add(
            *(sp.exp(theta * v) for v in batch)
        )

    batches = list(itertools.combinations(values, size))
    return sp.Add(*(ratio(b) for b in batches)) / len(batches), ratio(values)


def plot_minibatch_bias(theta: float, x: Sequence[float]) -> Figure:
    """The bias of the minibatch gradient of the log-mean-exp against the batch size N,
    each point exact over every minibatch of N distinct examples of ``x``.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with the line ``gid="bias"`` (N against the expected minibatch gradient
        minus the full-data gradient) and the zero line ``gid="unbiased"``.
    """
    full = log_mean_exp_gradient(theta, x)
    sizes = np.arange(1, len(x) + 1)
    bias = [expected_minibatch_gradient(theta, x, int(n)) - full for n in sizes]
    fig, ax = plt.subplots(layout="constrained")
    ax.axhline(0.0, color="0.4", lw=1.0, gid="unbiased")
    ax.plot(sizes, bias, "o-", color="tab:blue", gid="bias")
    ax.set_xticks(sizes)
    ax.set_xlabel("minibatch size N")
    ax.set_ylabel("bias of the minibatch gradient")
    return fig
