"""An objective that is a nonlinear function of a batch mean: the log of a mean of
exponentials, log((1/N) Σᵢ exp(θ xᵢ)), as in mutual-information bounds.

Its gradient on a batch is a ratio of two batch means, Σᵢ xᵢ exp(θ xᵢ) / Σᵢ exp(θ xᵢ),
and a ratio of means is not the mean of anything: the minibatch gradient is a biased
estimate of the full-data one. :func:`expected_minibatch_gradient` computes the bias
exactly, over every minibatch; :func:`moving_average_gradients` simulates the
correction that divides by a running average of the batch means instead.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from gradavg._validation import FloatArray, as_batch, as_float_array, as_positive_int

__all__ = [
    "MAX_SUBSETS",
    "expected_minibatch_gradient",
    "log_mean_exp",
    "log_mean_exp_gradient",
    "moving_average_gradients",
]

MAX_SUBSETS = 1_000_000
"""The most minibatches :func:`expected_minibatch_gradient` enumerates."""


def _data(theta: float, x: Any) -> tuple[float, FloatArray]:
    (t,) = as_float_array([theta], "theta")
    values = as_batch(x, "x")
    if np.max(np.abs(t * values)) > 700:
        raise ValueError("theta * x exceeds 700 in magnitude: exp would overflow float64")
    return float(t), values


def _minibatch_size(size: int, values: FloatArray) -> int:
    """``size`` as a minibatch size of distinct examples of ``values``, or raise."""
    n = as_positive_int(size, "size")
    if n > values.size:
        raise ValueError(f"size {n} exceeds the {values.size} examples of x")
    return n


def log_mean_exp(theta: float, x: Any) -> float:
    """log((1/N) Σᵢ exp(θ xᵢ)) for a batch x of N ≥ 1 values, each θ xᵢ at most 700 in
    magnitude."""
    t, values = _data(theta, x)
    return float(np.log(np.mean(np.exp(t * values))))


def log_mean_exp_gradient(theta: float, x: Any) -> float:
    """d/dθ log((1/N) Σᵢ exp(θ xᵢ)) = Σᵢ xᵢ exp(θ xᵢ) / Σᵢ exp(θ xᵢ), the ratio of two
    batch means."""
    t, values = _data(theta, x)
    weights = np.exp(t * values)
    return float(np.sum(values * weights) / np.sum(weights))


def expected_minibatch_gradient(theta: float, x: Any, size: int) -> float:
    """The mean of :func:`log_mean_exp_gradient` over every minibatch of ``size``
    distinct examples of the data set ``x``: its expectation under uniform sampling
    without replacement. With ``size`` = len(x) it is the full-data gradient.

    Parameters
    ----------
    theta : float
    x : array_like, shape (M,)
        The data set, M ≥ 1.
    size : int
        The minibatch size N, 1 ≤ N ≤ M, with at most :data:`MAX_SUBSETS` subsets.
    """
    t, values = _data(theta, x)
    n = _minibatch_size(size, values)
    if math.comb(values.size, n) > MAX_SUBSETS:
        raise ValueError(
            f"{math.comb(values.size, n):,} minibatches is more than {MAX_SUBSETS:,} to enumerate"
        )
    gradients = [
        log_mean_exp_gradient(t, values[list(batch)])
        for batch in itertools.combinations(range(values.size), n)
    ]
    return float(np.mean(gradients))


def moving_average_gradients(
    theta: float, x: Any, size: int, steps: int, decay: float, seed: int
) -> tuple[FloatArray, FloatArray]:
    """Minibatch gradients of the log-mean-exp at a fixed θ, plain and corrected.

    Each step draws ``size`` distinct examples, computes the batch means
    m̂ = (1/N) Σᵢ exp(θ xᵢ) and ĝ = (1/N) Σᵢ xᵢ exp(θ xᵢ), and updates a running
    average m ← ``decay`` · m + (1 − ``decay``) · m̂ (started at the first m̂). The plain
    estimate is ĝ / m̂, the corrected one ĝ / m.

    Parameters
    ----------
    theta : float
    x : array_like, shape (M,)
    size : int
        N, 1 ≤ N ≤ M.
    steps : int
        Number of minibatches drawn.
    decay : float
        In [0, 1); 0 makes the corrected estimate the plain one.
    seed : int
        Seed of numpy's default generator, so that a page's numbers are reproducible.

    Returns
    -------
    (ndarray, ndarray), each shape (steps,)
        The plain and the corrected estimates, step by step.
    """
    t, values = _data(theta, x)
    n = _minibatch_size(size, values)
    count = as_positive_int(steps, "steps")
    (beta,) = as_float_array([decay], "decay")
    if not 0 <= beta < 1:
        raise ValueError(f"decay must be in [0, 1), got {decay!r}")
    rng = np.random.default_rng(seed)
    weights = np.exp(t * values)
    plain, corrected = np.empty(count), np.empty(count)
    running = math.nan
    for step in range(count):
        batch = rng.choice(values.size, size=n, replace=False)
        mean_weight = float(np.mean(weights[batch]))
        mean_slope = float(np.mean(values[batch] * weights[batch]))
        running = mean_weight if step == 0 else beta * running + (1 - beta) * mean_weight
        plain[step] = mean_slope / mean_weight
        corrected[step] = mean_slope / running
    return plain, corrected
