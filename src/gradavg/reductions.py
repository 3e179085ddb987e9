"""Loss reductions: how per-element losses become one number, and that number's gradient.

Every reduction here is linear in the losses, ``J = Σ_e c_e ℓ_e``, so its gradient with
respect to the per-element losses is the array of coefficients ``c`` itself: the
*effective weight* of each element in the gradient step. By the chain rule the gradient
with respect to the parameters is ``Σ_e c_e ∇ℓ_e``, so two reductions train alike exactly
when their coefficients agree.

Each function returns a :class:`Reduced`: the value ``J`` and ``gradient = ∂J/∂ℓ``, an
array with the shape of the losses.

===========================  ==========================================  ======================================
function                     coefficient of element (i, …)               frameworks
===========================  ==========================================  ======================================
:func:`total`                1                                           ``reduction="sum"``
:func:`example_mean`         1/N (an example's loss sums its K outputs)
:func:`elementwise_mean`     1/(N K)                                     ``"mean"``, ``"sum_over_batch_size"``
:func:`weighted_mean`        ω_i / Σ_{i′} ω_{i′}                         PyTorch ``CrossEntropyLoss(weight=…)``
:func:`weighted_batch_mean`  ω_i / N                                     Keras ``sample_weight``
:func:`masked_mean`          χ_i / Σ_{i′} χ_{i′}                         ``ignore_index``
:func:`token_mean`           χ_{i,t} / Σ_{i′,t′} χ_{i′,t′}
:func:`sequence_mean`        χ_{i,t} / (N T_i), T_i = Σ_{t′} χ_{i,t′}
===========================  ==========================================  ======================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gradavg._validation import (
    FloatArray,
    as_batch,
    as_float_array,
    as_positive_int,
    check_same_length,
)

__all__ = [
    "Reduced",
    "batch_normalisers",
    "class_weighted_mean",
    "elementwise_mean",
    "example_mean",
    "inverse_frequency_weights",
    "masked_mean",
    "sequence_mean",
    "token_mean",
    "total",
    "weighted_batch_mean",
    "weighted_mean",
]


@dataclass(frozen=True)
class Reduced:
    """A reduced loss and its gradient with respect to the per-element losses.

    Parameters
    ----------
    value : float
        The reduced loss J.
    gradient : ndarray, the shape of the losses
        ∂J/∂ℓ, the effective weight of each element; ``value == Σ gradient · losses``.
    """

    value: float
    gradient: FloatArray


def _linear(losses: FloatArray, coefficients: FloatArray) -> Reduced:
    return Reduced(float(np.sum(coefficients * losses)), coefficients)


def _as_weights(value: Any, name: str, n: int) -> FloatArray:
    """Non-negative weights of length ``n`` with a positive sum, or raise naming ``name``."""
    weights = as_float_array(value, name, ndim=1)
    check_same_length(losses=np.empty(n), **{name: weights})
    if np.any(weights < 0):
        raise ValueError(f"{name} must be non-negative, got {weights.min()} at least once")
    if not np.sum(weights) > 0:
        raise ValueError(f"{name} sums to zero: the weighted mean is undefined (0/0)")
    return weights


def _as_mask(value: Any, name: str, shape: tuple[int, ...]) -> FloatArray:
    """A 0/1 mask of ``shape`` with at least one 1 in each row, or raise naming ``name``."""
    mask = as_float_array(value, name)
    if mask.shape != shape:
        raise ValueError(f"{name} must have the shape of losses {shape}, got {mask.shape}")
    if not np.all((mask == 0) | (mask == 1)):
        raise ValueError(f"{name} must contain only 0 and 1 (or False and True)")
    if not np.any(mask):
        raise ValueError(f"{name} masks out every element: the mean is undefined (0/0)")
    return mask


def total(losses: Any) -> Reduced:
    """The sum of all losses, ``reduction="sum"``.

    Parameters
    ----------
    losses : array_like, shape (N,) or (N, K)
        Per-example losses, or the losses of K outputs of each example.

    Returns
    -------
    Reduced
        J = Σ ℓ; gradient of ones, shape of ``losses``.
    """
    ell = as_batch(losses, "losses", ndim=(1, 2))
    return _linear(ell, np.ones_like(ell))


def example_mean(losses: Any) -> Reduced:
    """The mean over examples of each example's loss, the sum of its outputs' losses.

    Parameters
    ----------
    losses : array_like, shape (N,) or (N, K)
        Losses of N examples, or of K outputs of each of N examples.

    Returns
    -------
    Reduced
        J = (1/N) Σ_i Σ_k ℓ_{i,k}; gradient 1/N everywhere, shape of ``losses``.
    """
    ell = as_batch(losses, "losses", ndim=(1, 2))
    return _linear(ell, np.full_like(ell, 1.0 / ell.shape[0]))


def elementwise_mean(losses: Any) -> Reduced:
    """The mean over all N·K elements, ``reduction="mean"`` of an elementwise loss.

    Parameters
    ----------
    losses : array_like, shape (N,) or (N, K)
        Elementwise losses.

    Returns
    -------
    Reduced
        J = (1/(N K)) Σ_i Σ_k ℓ_{i,k}; gradient 1/(N K) everywhere.
    """
    ell = as_batch(losses, "losses", ndim=(1, 2))
    return _linear(ell, np.full_like(ell, 1.0 / ell.size))


def weighted_mean(losses: Any, weights: Any) -> Reduced:
    """Σ ω_i ℓ_i / Σ ω_i, PyTorch's ``reduction="mean"`` with weights.

    Parameters
    ----------
    losses : array_like, shape (N,)
        Unweighted per-example losses ℓ_i.
    weights : array_like, shape (N,)
        Non-negative weights ω_i with a positive sum.

    Returns
    -------
    Reduced
        gradient ω_i / Σ_{i′} ω_{i′}, shape (N,).
    """
    ell = as_batch(losses, "losses")
    w = _as_weights(weights, "weights", ell.shape[0])
    return _linear(ell, w / np.sum(w))


def weighted_batch_mean(losses: Any, weights: Any) -> Reduced:
    """(1/N) Σ ω_i ℓ_i, Keras's default ``"sum_over_batch_size"`` with ``sample_weight``.

    Parameters
    ----------
    losses : array_like, shape (N,)
        Unweighted per-example losses ℓ_i.
    weights : array_like, shape (N,)
        Non-negative weights ω_i with a positive sum.

    Returns
    -------
    Reduced
        gradient ω_i / N, shape (N,).
    """
    ell = as_batch(losses, "losses")
    w = _as_weights(weights, "weights", ell.shape[0])
    return _linear(ell, w / ell.shape[0])


def masked_mean(losses: Any, mask: Any) -> Reduced:
    """The mean over the elements that are kept, as ``ignore_index`` does.

    Parameters
    ----------
    losses : array_like, shape (N,) or (N, K)
        Elementwise losses (the value at a masked-out element is not used).
    mask : array_like of bool or 0/1, shape of ``losses``
        1 where the element counts, 0 where it is ignored; at least one 1.

    Returns
    -------
    Reduced
        gradient χ / Σ χ, shape of ``losses``.
    """
    ell = as_batch(losses, "losses", ndim=(1, 2))
    m = _as_mask(mask, "mask", ell.shape)
    return _linear(np.where(m > 0, ell, 0.0), m / np.sum(m))


def class_weighted_mean(
    losses: Any, targets: Any, class_weights: Any, ignore_index: int | None = None
) -> Reduced:
    """PyTorch's ``CrossEntropyLoss(weight=class_weights, ignore_index=…)`` normalisation.

    The loss of example i is weighted by ``class_weights[targets[i]]``, or 0 when
    ``targets[i] == ignore_index``, and the sum is divided by the sum of those weights.

    Parameters
    ----------
    losses : array_like, shape (N,)
        Unweighted per-example losses.
    targets : array_like of int, shape (N,)
        Class indices in ``0 … K−1`` (or ``ignore_index``).
    class_weights : array_like, shape (K,)
        Non-negative class weights.
    ignore_index : int, optional
        A target value whose examples are left out.

    Returns
    -------
    Reduced
        gradient ω_{y_i} 1{y_i ≠ ignore_index} / Σ_{i′} ω_{y_{i′}} 1{y_{i′} ≠ ignore_index}.
    """
    ell = as_batch(losses, "losses")
    labels = np.asarray(targets)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"targets must be a 1-d array of ints, got {labels.dtype} {labels.shape}")
    cw = as_batch(class_weights, "class_weights")
    check_same_length(losses=ell, targets=labels.astype(np.float64))
    kept = labels != ignore_index if ignore_index is not None else np.ones(labels.shape, bool)
    if np.any((labels[kept] < 0) | (labels[kept] >= cw.shape[0])):
        raise ValueError(f"targets must lie in 0…{cw.shape[0] - 1} (or be ignore_index)")
    weights = np.where(kept, cw[np.where(kept, labels, 0)], 0.0)
    return weighted_mean(np.where(kept, ell, 0.0), weights)


def token_mean(losses: Any, mask: Any) -> Reduced:
    """The mean over all real tokens of a padded batch of sequences.

    Parameters
    ----------
    losses : array_like, shape (N, T)
        Per-token losses, padded to a common length T.
    mask : array_like of bool or 0/1, shape (N, T)
        1 at the real tokens, 0 at padding; every sequence has at least one token.

    Returns
    -------
    Reduced
        J = Σ_{i,t} χ ℓ / Σ_{i,t} χ; gradient χ_{i,t} / Σ χ, shape (N, T).
    """
    ell, m = _sequences(losses, mask)
    return _linear(np.where(m > 0, ell, 0.0), m / np.sum(m))


def sequence_mean(losses: Any, mask: Any) -> Reduced:
    """The mean over sequences of each sequence's mean token loss.

    Parameters
    ----------
    losses : array_like, shape (N, T)
        Per-token losses, padded to a common length T.
    mask : array_like of bool or 0/1, shape (N, T)
        1 at the real tokens, 0 at padding; every sequence has at least one token.

    Returns
    -------
    Reduced
        J = (1/N) Σ_i (1/T_i) Σ_t χ ℓ with T_i = Σ_t χ_{i,t}; gradient χ_{i,t} / (N T_i).
    """
    ell, m = _sequences(losses, mask)
    lengths = np.sum(m, axis=1, keepdims=True)
    return _linear(np.where(m > 0, ell, 0.0), m / (ell.shape[0] * lengths))


def _sequences(losses: Any, mask: Any) -> tuple[FloatArray, FloatArray]:
    ell = as_batch(losses, "losses", ndim=2)
    m = _as_mask(mask, "mask", ell.shape)
    empty = np.flatnonzero(np.sum(m, axis=1) == 0)
    if empty.size:
        raise ValueError(f"mask: sequence {empty[0]} has no tokens (its mean is 0/0)")
    return ell, m


def inverse_frequency_weights(class_probabilities: Any) -> FloatArray:
    """Class weights ω_k = 1 / (K π_k), so that a drawn label's weight has mean 1.

    Parameters
    ----------
    class_probabilities : array_like, shape (K,)
        Positive class frequencies π_k summing to 1.

    Returns
    -------
    ndarray, shape (K,)
        The weights; Σ_k π_k ω_k = 1.
    """
    p = _as_probabilities(class_probabilities)
    return np.asarray(1.0 / (p.shape[0] * p), dtype=np.float64)


def _as_probabilities(value: Any) -> FloatArray:
    p = as_batch(value, "class_probabilities")
    if np.any(p <= 0) or not np.isclose(np.sum(p), 1.0):
        raise ValueError(f"class_probabilities must be positive and sum to 1, got {p}")
    return p


def batch_normalisers(
    class_probabilities: Any, class_weights: Any, batch_size: int, n_batches: int, seed: int
) -> FloatArray:
    """Σ_i ω_{y_i} for batches of labels drawn independently with the given frequencies.

    This is the normaliser of :func:`weighted_mean` (PyTorch's) on each batch; the
    gradient step it takes is ``batch_size / normaliser`` times the step of
    :func:`weighted_batch_mean` (Keras's default) on the same batch.

    Parameters
    ----------
    class_probabilities : array_like, shape (K,)
        Positive label frequencies summing to 1.
    class_weights : array_like, shape (K,)
        Non-negative class weights.
    batch_size, n_batches : int
        N labels per batch; how many batches.
    seed : int
        Seed of the random generator.

    Returns
    -------
    ndarray, shape (n_batches,)
        The normaliser of each batch.
    """
    p = _as_probabilities(class_probabilities)
    cw = as_batch(class_weights, "class_weights")
    check_same_length(class_probabilities=p, class_weights=cw)
    n = as_positive_int(batch_size, "batch_size")
    count = as_positive_int(n_batches, "n_batches")
    labels = np.random.default_rng(seed).choice(p.shape[0], size=(count, n), p=p)
    return np.asarray(np.sum(cw[labels], axis=1), dtype=np.float64)
