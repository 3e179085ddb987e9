"""Batch normalisation in training mode: forward, backward, and the coupling it creates.

In training mode each feature is normalised with the mean μ_B and the biased variance
σ_B² of the batch, x̂_i = (x_i − μ_B) / √(σ_B² + ε_B), and then scaled and shifted,
γ_B x̂_i + β_B. Every output depends on every input of the batch, so the loss of one
example has a gradient with respect to the inputs of the others. This module computes
that coupling exactly: the backward pass, the Jacobian ∂x̂_i/∂x_i′, and for a squared loss
the matrix of ∂ℓ_i/∂x_i′ beside what one gets by treating the example on its own.

Shapes: ``x`` is ``(N,)`` (one feature) or ``(N, D)`` (D features, normalised
separately); ``gamma`` and ``beta`` are scalars or ``(D,)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from gradavg._validation import FloatArray, as_batch, as_float_array, check_same_length

__all__ = [
    "DEFAULT_EPS",
    "BatchNormGradients",
    "CoupledGradients",
    "accumulated_gradients",
    "batch_norm",
    "batch_norm_backward",
    "coupled_gradients",
    "normalisation_jacobian",
    "normalise",
    "running_estimate",
    "scale_shift_gradients",
]

DEFAULT_EPS = 1e-5
"""The ε_B added to the variance, PyTorch's default for ``torch.nn.BatchNorm1d``."""


def _checked_eps(eps: float) -> float:
    value = as_float_array(eps, "eps", ndim=0)
    if value < 0:
        raise ValueError(f"eps must be ≥ 0, got {float(value)}")
    return float(value)


def _statistics(x: FloatArray, eps: float) -> tuple[FloatArray, FloatArray]:
    """x̂ and s = √(σ_B² + ε_B) per feature, for a checked ``x`` of shape (N, D)."""
    mu = x.mean(axis=0)
    centred = x - mu
    variance = np.mean(centred**2, axis=0)  # biased: divides by N
    scale = np.sqrt(variance + eps)
    if np.any(scale == 0.0):
        feature = int(np.argmin(scale))
        raise ValueError(
            f"x has zero variance over the batch in feature {feature} (a batch of one, "
            f"or identical inputs) and eps = {eps}: the normalisation would divide by zero; "
            "use eps > 0"
        )
    result: FloatArray = centred / scale
    return result, scale


def _as_inputs(x: ArrayLike) -> tuple[FloatArray, bool]:
    """``x`` as an (N, D) array, and whether it was given as one feature (N,)."""
    array = as_batch(x, "x", ndim=(1, 2))
    return (array[:, None], True) if array.ndim == 1 else (array, False)


def _as_feature_vector(value: ArrayLike, name: str, features: int) -> FloatArray:
    array = as_float_array(value, name, ndim=(0, 1))
    if array.ndim == 1 and array.shape[0] != features:
        raise ValueError(f"{name} must have one entry per feature ({features}), got {array.shape}")
    return np.broadcast_to(array, (features,)).astype(np.float64)


def normalise(x: ArrayLike, eps: float = DEFAULT_EPS) -> FloatArray:
    """The normalised inputs x̂ = (x − μ_B) / √(σ_B² + ε_B), per feature.

    Parameters
    ----------
    x : array_like, shape (N,) or (N, D)
        The batch, N ≥ 1 examples of D features.
    eps : float, default 1e-5
        ε_B, added to the biased variance σ_B² = (1/N) Σ_i (x_i − μ_B)²; must be ≥ 0, and > 0
        when a feature has zero variance (for example a batch of one).

    Returns
    -------
    ndarray, shape of ``x``
        x̂; each feature has mean 0 over the batch.
    """
    array, single = _as_inputs(x)
    x_hat, _ = _statistics(array, _checked_eps(eps))
    return x_hat[:, 0] if single else x_hat


def batch_norm(
    x: ArrayLike, gamma: ArrayLike = 1.0, beta: ArrayLike = 0.0, eps: float = DEFAULT_EPS
) -> FloatArray:
    """Batch normalisation in training mode: γ_B x̂ + β_B with the batch's own statistics.

    Parameters
    ----------
    x : array_like, shape (N,) or (N, D)
        The batch.
    gamma, beta : float or array_like of shape (D,)
        Scale γ_B and shift β_B per feature.
    eps : float, default 1e-5
        See :func:`normalise`.

    Returns
    -------
    ndarray, shape of ``x``
    """
    array, single = _as_inputs(x)
    features = array.shape[1]
    g = _as_feature_vector(gamma, "gamma", features)
    b = _as_feature_vector(beta, "beta", features)
    x_hat, _ = _statistics(array, _checked_eps(eps))
    out: FloatArray = g * x_hat + b
    return out[:, 0] if single else out


@dataclass(frozen=True)
class BatchNormGradients:
    """Gradients of a scalar objective through :func:`batch_norm`."""

    x: FloatArray
    """∂J/∂x, the shape of the input; each feature sums to zero over the batch."""
    gamma: FloatArray
    """∂J/∂γ_B, shape (D,)."""
    beta: FloatArray
    """∂J/∂β_B, shape (D,)."""


def batch_norm_backward(
    x: ArrayLike, grad_out: ArrayLike, gamma: ArrayLike = 1.0, eps: float = DEFAULT_EPS
) -> BatchNormGradients:
    """The backward pass of :func:`batch_norm`, the batch statistics differentiated too.

    With g = γ_B · ∂J/∂out the gradient with respect to x̂, the input gradient is
    ∂J/∂x_i = (g_i − mean(g) − x̂_i mean(g x̂)) / √(σ_B² + ε_B), per feature.

    Parameters
    ----------
    x : array_like, shape (N,) or (N, D)
        The batch the forward pass saw.
    grad_out : array_like, shape of ``x``
        ∂J/∂out, the gradient of the objective with respect to the outputs.
    gamma : float or array_like of shape (D,)
        The scale γ_B of the forward pass (β_B does not enter the backward pass).
    eps : float, default 1e-5
        See :func:`normalise`.

    Returns
    -------
    BatchNormGradients
    """
    array, single = _as_inputs(x)
    upstream = as_float_array(grad_out, "grad_out", ndim=(1, 2))
    if upstream.shape != np.shape(array[:, 0] if single else array):
        raise ValueError(f"grad_out must have the shape of x, {np.shape(x)}, got {upstream.shape}")
    upstream = upstream.reshape(array.shape)
    g_scale = _as_feature_vector(gamma, "gamma", array.shape[1])
    x_hat, scale = _statistics(array, _checked_eps(eps))
    g = upstream * g_scale
    grad_x: FloatArray = (g - g.mean(axis=0) - x_hat * np.mean(g * x_hat, axis=0)) / scale
    return BatchNormGradients(
        x=grad_x[:, 0] if single else grad_x,
        gamma=np.sum(upstream * x_hat, axis=0),
        beta=np.sum(upstream, axis=0),
    )


def normalisation_jacobian(x: ArrayLike, eps: float = DEFAULT_EPS) -> FloatArray:
    """The Jacobian ∂x̂_i/∂x_i′ = (𝟙{i = i′} − 1/N − x̂_i x̂_i′ / N) / √(σ_B² + ε_B).

    Parameters
    ----------
    x : array_like, shape (N,) or (N, D)
        The batch.
    eps : float, default 1e-5
        See :func:`normalise`.

    Returns
    -------
    ndarray, shape (N, N) for one feature, (D, N, N) for D features
        Row i is the gradient of x̂_i with respect to the whole batch; every row sums
        to zero.
    """
    array, single = _as_inputs(x)
    x_hat, scale = _statistics(array, _checked_eps(eps))
    n = array.shape[0]
    per_feature = x_hat.T  # (D, N)
    outer = per_feature[:, :, None] * per_feature[:, None, :]
    jacobian: FloatArray = (np.eye(n) - 1.0 / n - outer / n) / scale[:, None, None]
    return jacobian[0] if single else jacobian


@dataclass(frozen=True)
class CoupledGradients:
    """Gradients of the squared losses ℓ_i = ½ (γ_B x̂_i + β_B − y_i)² of one feature."""

    losses: FloatArray
    """ℓ_i, shape (N,), each a function of the whole batch."""
    jacobian: FloatArray
    """∂ℓ_i/∂x_i′, shape (N, N); row i is the gradient of example i's loss."""
    frozen: FloatArray
    """∂ℓ_i/∂x_i with μ_B and σ_B² held fixed (treated as constants), shape (N,)."""
    alone: FloatArray
    """dℓ_i/dx_i with example i normalised in a batch of one, shape (N,); always 0."""
    batch_gradient: FloatArray
    """∂J/∂x_i′ of the mean loss J = (1/N) Σ_i ℓ_i from :func:`batch_norm_backward`, (N,)."""

    @property
    def mean_of_gradients(self) -> FloatArray:
        """(1/N) Σ_i ∂ℓ_i/∂x_i′, the mean of the rows of :attr:`jacobian`, shape (N,)."""
        result: FloatArray = self.jacobian.mean(axis=0)
        return result

    @property
    def cross_terms(self) -> FloatArray:
        """:attr:`jacobian` with its diagonal set to zero, shape (N, N)."""
        result: FloatArray = self.jacobian - np.diag(np.diag(self.jacobian))
        return result


def coupled_gradients(
    x: ArrayLike, y: ArrayLike, gamma: float = 1.0, beta: float = 0.0, eps: float = DEFAULT_EPS
) -> CoupledGradients:
    """Per-example gradients of a squared loss after batch normalisation, three ways.

    Parameters
    ----------
    x, y : array_like, shape (N,)
        Inputs of one feature and targets, N ≥ 1.
    gamma, beta : float
        Scale γ_B and shift β_B of the normalisation.
    eps : float, default 1e-5
        See :func:`normalise`; must be > 0 for the batch-of-one gradients.

    Returns
    -------
    CoupledGradients
    """
    inputs = as_batch(x, "x")
    targets = as_batch(y, "y")
    n = check_same_length(x=inputs, y=targets)
    g = float(as_float_array(gamma, "gamma", ndim=0))
    b = float(as_float_array(beta, "beta", ndim=0))
    checked_eps = _checked_eps(eps)
    if checked_eps == 0:
        raise ValueError("eps must be > 0 here: a batch of one has zero variance")
    x_hat, scale = _statistics(inputs[:, None], checked_eps)
    residual = g * x_hat[:, 0] + b - targets
    jacobian = residual[:, None] * g * normalisation_jacobian(inputs, checked_eps)
    alone = np.array(
        [_gradient_alone(v, t, g, b, checked_eps) for v, t in zip(inputs, targets, strict=True)]
    )
    return CoupledGradients(
        losses=0.5 * residual**2,
        jacobian=jacobian,
        frozen=residual * g / scale[0],
        alone=alone,
        batch_gradient=batch_norm_backward(inputs, residual / n, g, checked_eps).x,
    )


def _gradient_alone(x: float, y: float, gamma: float, beta: float, eps: float) -> float:
    """dℓ/dx for one example normalised in a batch of one: x̂ = 0 whatever x is."""
    jacobian = normalisation_jacobian(np.array([x]), eps)  # [[0.0]]
    residual = gamma * normalise(np.array([x]), eps)[0] + beta - y
    return float(residual * gamma * jacobian[0, 0]) + 0.0  # + 0.0 turns −0.0 into 0.0


def scale_shift_gradients(
    x: ArrayLike, y: ArrayLike, gamma: float = 1.0, beta: float = 0.0, eps: float = DEFAULT_EPS
) -> FloatArray:
    """(∂J/∂γ_B, ∂J/∂β_B) for J = (1/N) Σᵢ ½ (γ_B x̂ᵢ + β_B − yᵢ)², one feature, the
    batch normalised with its own statistics.

    Parameters
    ----------
    x, y : array_like, shape (N,)
        Inputs and targets, N ≥ 1.
    gamma, beta : float
    eps : float, default 1e-5

    Returns
    -------
    ndarray of float64, shape (2,)
    """
    inputs = as_batch(x, "x")
    targets = as_batch(y, "y")
    n = check_same_length(x=inputs, y=targets)
    g = float(as_float_array(gamma, "gamma", ndim=0))
    b = float(as_float_array(beta, "beta", ndim=0))
    x_hat, _ = _statistics(inputs[:, None], _checked_eps(eps))
    residual = g * x_hat[:, 0] + b - targets
    return np.array([residual @ x_hat[:, 0] / n, residual.sum() / n])


def accumulated_gradients(
    x: ArrayLike,
    y: ArrayLike,
    counts: ArrayLike,
    gamma: float = 1.0,
    beta: float = 0.0,
    eps: float = DEFAULT_EPS,
) -> FloatArray:
    """:func:`scale_shift_gradients` accumulated over consecutive micro-batches of
    ``counts`` examples, each normalised with its own statistics and weighted by its
    share nq/N of the batch, the weighting that is exact for a sum of per-example losses.

    Returns
    -------
    ndarray of float64, shape (2,)
    """
    inputs = as_batch(x, "x")
    targets = as_batch(y, "y")
    n = check_same_length(x=inputs, y=targets)
    sizes = np.asarray(counts)
    if sizes.ndim != 1 or sizes.dtype.kind not in "iu" or np.any(sizes < 1) or sizes.sum() != n:
        raise ValueError(f"counts must be positive ints that add up to the {n} examples")
    total = np.zeros(2)
    for part_x, part_y in zip(
        np.split(inputs, np.cumsum(sizes)[:-1]),
        np.split(targets, np.cumsum(sizes)[:-1]),
        strict=True,
    ):
        total += len(part_x) / n * scale_shift_gradients(part_x, part_y, gamma, beta, eps)
    return total


def running_estimate(statistics: ArrayLike, momentum: float = 0.1, start: float = 0.0) -> float:
    """A running estimate after one update per statistic, as PyTorch's batch
    normalisation keeps it: estimate ← (1 − momentum) · estimate + momentum · statistic.

    Parameters
    ----------
    statistics : array_like, shape (Q,)
        The batch statistics, in the order they are seen.
    momentum : float
        In (0, 1]; PyTorch's default is 0.1.
    start : float
        The estimate before the first update.
    """
    values = as_batch(statistics, "statistics")
    m = float(as_float_array(momentum, "momentum", ndim=0))
    if not 0 < m <= 1:
        raise ValueError(f"momentum must be in (0, 1], got {momentum!r}")
    estimate = float(as_float_array(start, "start", ndim=0))
    for value in values:
        estimate = (1 - m) * estimate + m * float(value)
    return estimate
