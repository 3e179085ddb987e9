"""Gradients of expectations: a loss whose derivative is zero almost everywhere, the
score-function and pathwise estimators, and exact moments of a minibatch mean.

The population objective is R(θ) = E[L(θ, X)]. A minibatch mean of per-example
gradients estimates ∇R without bias exactly when the gradient and the expectation may
be exchanged; :func:`zero_one_losses` is a loss for which they may not.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from gradavg._validation import FloatArray, as_batch, as_float_array, as_positive_int

__all__ = [
    "MAX_BATCHES",
    "gaussian_estimates",
    "minibatch_mean_moments",
    "normal_cdf",
    "normal_pdf",
    "softmax_score",
    "zero_one_gradients",
    "zero_one_losses",
]

MAX_BATCHES = 1_000_000
"""The most minibatches :func:`minibatch_mean_moments` enumerates (Kᴮ of them)."""


def normal_pdf(z: Any) -> FloatArray:
    """The standard normal density φ(z) = exp(−z²/2)/√(2π), elementwise."""
    values = as_float_array(z, "z")
    result: FloatArray = np.exp(-(values**2) / 2) / math.sqrt(2 * math.pi)
    return result


def normal_cdf(z: Any) -> FloatArray:
    """The standard normal distribution function Φ(z) = (1 + erf(z/√2))/2, elementwise."""
    values = as_float_array(z, "z")
    erf = np.vectorize(math.erf, otypes=[np.float64])
    result: FloatArray = (1 + erf(values / math.sqrt(2))) / 2
    return result


def zero_one_losses(theta: float, sample: Any) -> FloatArray:
    """The 0-1 loss of a threshold θ: 1 for each example x below it, else 0.

    Its mean over a sample is the fraction of the sample below θ; its expectation under
    a continuous distribution is P(X < θ), which is Φ(θ) for a standard normal X.

    Parameters
    ----------
    theta : float
        The threshold.
    sample : array_like, shape (N,)
        The examples, N ≥ 1.

    Returns
    -------
    ndarray of float64, shape (N,), entries 0 or 1
    """
    (t,) = as_float_array([theta], "theta")
    x = as_batch(sample, "sample")
    below: FloatArray = (x < t).astype(np.float64)
    return below


def zero_one_gradients(theta: float, sample: Any) -> FloatArray:
    """The derivative in θ of each example's 0-1 loss: 0, since the loss is constant
    near θ for every x ≠ θ. At x = θ the loss jumps and has no derivative, so a sample
    point equal to θ is refused.

    Returns
    -------
    ndarray of float64, shape (N,), all 0
    """
    (t,) = as_float_array([theta], "theta")
    x = as_batch(sample, "sample")
    ties = np.flatnonzero(x == t)
    if ties.size:
        raise ValueError(
            f"sample[{ties[0]}] equals theta = {t:g}: the 0-1 loss has no derivative there"
        )
    return np.zeros_like(x)


def softmax_score(logits: Any, features: Any, theta: float) -> tuple[FloatArray, FloatArray]:
    """Probabilities and scores of the categorical family pₖ(θ) ∝ exp(aₖ + θ tₖ).

    Parameters
    ----------
    logits : array_like, shape (K,)
        The logits aₖ at θ = 0, K ≥ 2.
    features : array_like, shape (K,)
        How each logit moves with θ, tₖ.
    theta : float

    Returns
    -------
    (ndarray, ndarray), each shape (K,)
        The probabilities pₖ(θ) and the scores ∂ log pₖ / ∂θ = tₖ − Σⱼ pⱼ tⱼ.
    """
    a = as_batch(logits, "logits")
    t_k = as_batch(features, "features")
    if a.size < 2 or a.shape != t_k.shape:
        raise ValueError(
            f"logits and features need the same K ≥ 2 entries, got {a.size} and {t_k.size}"
        )
    (t,) = as_float_array([theta], "theta")
    shifted = a + t * t_k
    weights = np.exp(shifted - shifted.max())
    probabilities = weights / weights.sum()
    return probabilities, t_k - probabilities @ t_k


def minibatch_mean_moments(values: Any, probabilities: Any, batch_size: int) -> tuple[float, float]:
    """The exact mean and variance of the mean of B independent draws of a discrete
    random variable, by enumerating all Kᴮ minibatches with their probabilities.

    Parameters
    ----------
    values : array_like, shape (K,)
        The value of the variable (an estimate of a gradient) at each outcome.
    probabilities : array_like, shape (K,)
        The probability of each outcome: non-negative, summing to 1 (to 10⁻¹²).
    batch_size : int
        B ≥ 1, with Kᴮ ≤ :data:`MAX_BATCHES`.

    Returns
    -------
    (float, float)
        The expectation and the variance of the minibatch mean.
    """
    v = as_batch(values, "values")
    p = as_batch(probabilities, "probabilities")
    if v.shape != p.shape:
        raise ValueError(f"values has {v.size} outcomes, probabilities {p.size}")
    if np.any(p < 0) or abs(p.sum() - 1) > 1e-12:
        raise ValueError(f"probabilities must be non-negative and sum to 1, got sum {p.sum():g}")
    b = as_positive_int(batch_size, "batch_size")
    if v.size**b > MAX_BATCHES:
        raise ValueError(
            f"{v.size}^{b} minibatches is more than {MAX_BATCHES:,} to enumerate; "
            "use a smaller batch_size"
        )
    mean = second = 0.0
    for batch in itertools.product(range(v.size), repeat=b):
        weight = float(np.prod(p[list(batch)]))
        estimate = float(np.mean(v[list(batch)]))
        mean += weight * estimate
        second += weight * estimate**2
    return mean, second - mean**2


def gaussian_estimates(mu: float, noise: Any) -> tuple[FloatArray, FloatArray]:
    """Per-sample estimates of d/dμ E[X²] = 2μ for X = μ + ε, ε standard normal.

    Parameters
    ----------
    mu : float
        The mean of X.
    noise : array_like, shape (S,)
        Draws of ε, S ≥ 1.

    Returns
    -------
    (ndarray, ndarray), each shape (S,)
        The pathwise estimates 2(μ + ε) and the score-function estimates (μ + ε)² ε,
        where ε = x − μ is ∂ log φ(x − μ) / ∂μ.
    """
    (m,) = as_float_array([mu], "mu")
    eps = as_batch(noise, "noise")
    x = m + eps
    return 2 * x, x**2 * eps
