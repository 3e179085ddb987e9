"""Data-parallel replicas that gather each other's outputs, simulated in one process.

The loss couples the examples of the whole batch: with scores sⱼ = θ · xⱼ, example i's
loss is ℓᵢ = log Σⱼ exp(sᵢ sⱼ), a softmax over the batch as in contrastive learning,
and L = (1/N) Σᵢ ℓᵢ. Each of R replicas holds a block of the examples. To compute its
part of L it gathers the scores of all the others, and the gather either passes
gradients back to their owners (``torch.distributed.nn.functional.all_gather``) or
does not (``torch.distributed.all_gather``, whose outputs are plain tensors). After the
backward pass the replicas average their gradients, as ``DistributedDataParallel`` does.
With the gather that passes no gradient, each replica is taken to put its own local,
differentiable scores in place of its slice of the gathered ones, as contrastive
training code does; otherwise it would get no gradient at all.
:func:`replica_gradient` computes the averaged gradient each way, for comparison with
:func:`coupled_gradient`, the single-process one.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from gradavg._validation import FloatArray, as_batch, as_float_array, check_same_length

__all__ = ["Gather", "Scope", "coupled_gradient", "coupled_loss", "replica_gradient"]

Gather = Literal["differentiable", "stop-gradient"]
"""Whether the gather passes gradients back to the replicas that own the gathered values."""

Scope = Literal["local queries", "whole batch"]
"""Which losses each replica computes, either those of its own examples against the
whole gathered batch (averaged over its examples) or the whole L."""


def _scores(theta: ArrayLike, x: ArrayLike) -> tuple[FloatArray, FloatArray]:
    t = as_float_array(theta, "theta", ndim=1)
    inputs = as_batch(x, "x", ndim=2)
    if inputs.shape[1] != t.size:
        raise ValueError(f"x has {inputs.shape[1]} features per example, theta {t.size}")
    return inputs @ t, inputs


def _loss_derivatives(s: FloatArray) -> FloatArray:
    """D[i, k] = ∂ℓᵢ/∂sₖ for ℓᵢ = log Σⱼ exp(sᵢ sⱼ)."""
    logits = np.outer(s, s)
    weights = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = weights / weights.sum(axis=1, keepdims=True)  # p[i, j], softmax over j
    derivatives: FloatArray = p * s[:, None]  # through sⱼ as a key: pᵢⱼ sᵢ
    derivatives[np.diag_indices_from(derivatives)] += p @ s  # through sᵢ as the query
    return derivatives


def coupled_loss(theta: ArrayLike, x: ArrayLike) -> float:
    """L(θ) = (1/N) Σᵢ log Σⱼ exp(sᵢ sⱼ), sⱼ = θ · xⱼ, on one process."""
    s, _ = _scores(theta, x)
    logits = np.outer(s, s)
    top = logits.max(axis=1)
    return float(np.mean(top + np.log(np.exp(logits - top[:, None]).sum(axis=1))))


def coupled_gradient(theta: ArrayLike, x: ArrayLike) -> FloatArray:
    """∇L(θ) on one process: (1/N) Σᵢ Σₖ (∂ℓᵢ/∂sₖ) xₖ."""
    s, inputs = _scores(theta, x)
    gradient: FloatArray = _loss_derivatives(s).sum(axis=0) @ inputs / s.size
    return gradient


def replica_gradient(
    theta: ArrayLike, x: ArrayLike, owners: ArrayLike, gather: Gather, scope: Scope
) -> FloatArray:
    """The gradient R replicas agree on after averaging, for each kind of gather.

    Parameters
    ----------
    theta : array_like, shape (P,)
    x : array_like, shape (N, P)
        The whole batch, one row per example.
    owners : array_like of int, shape (N,)
        The replica, 0 to R − 1, that holds each example; every replica holds the same
        number of examples, as a distributed sampler gives them.
    gather : {"differentiable", "stop-gradient"}
    scope : {"local queries", "whole batch"}

    Returns
    -------
    ndarray of float64, shape (P,)
        The mean over replicas of each replica's gradient.
    """
    s, inputs = _scores(theta, x)
    rank = np.asarray(owners)
    if rank.ndim != 1 or rank.dtype.kind not in "iu":
        raise TypeError("owners must be a 1-D array of replica numbers (ints)")
    check_same_length(x=inputs, owners=rank.astype(np.float64))
    replicas, sizes = np.unique(rank, return_counts=True)
    if replicas.tolist() != list(range(replicas.size)) or len(set(sizes.tolist())) != 1:
        raise ValueError("owners must give every replica 0, …, R − 1 the same number of examples")
    if gather not in ("differentiable", "stop-gradient"):
        raise ValueError(f"gather must be 'differentiable' or 'stop-gradient', got {gather!r}")
    if scope not in ("local queries", "whole batch"):
        raise ValueError(f"scope must be 'local queries' or 'whole batch', got {scope!r}")
    derivatives = _loss_derivatives(s)  # ∂ℓᵢ/∂sₖ
    total = np.zeros(inputs.shape[1])
    for r in replicas:
        queries = rank == r if scope == "local queries" else np.ones_like(rank, dtype=bool)
        # Replica r's loss: the mean of ℓᵢ over its queries; each replica's queries
        # together are the batch, so the replicas' losses average to L.
        d_loss = derivatives[queries].sum(axis=0) / np.count_nonzero(queries)  # ∂/∂sₖ
        if gather == "stop-gradient":
            d_loss = np.where(rank == r, d_loss, 0.0)  # only its own scores carry gradient
        total += d_loss @ inputs  # a differentiable gather returns the rest to its owners
    result: FloatArray = total / replicas.size
    return result
