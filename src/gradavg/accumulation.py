"""Gradient accumulation over micro-batches of unequal size, and data-parallel replicas.

A batch of N examples (or tokens) is split into Q micro-batches of sizes n_1 … n_Q,
N = Σ_q n_q, with micro-batch mean gradients ḡ_q. The full-batch mean gradient is
Σ_q (n_q / N) ḡ_q; the *naive* recipe, the plain mean (1/Q) Σ_q ḡ_q, agrees with it only
when every n_q is equal. Data-parallel replicas that average their local mean gradients
(an all-reduce mean) compute the naive recipe, with the replicas as the micro-batches.

The token-level model is a bigram language model: a table W of logits, W[a, b] the
logit of token b following token a, trained with the cross-entropy of each next token.
Sequences are padded with :data:`PAD`; padding positions contribute no loss.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gradavg._validation import FloatArray, as_batch, as_float_array, as_positive_int
from gradavg.comparison import relative_difference
from gradavg.losses import log_softmax

__all__ = [
    "PAD",
    "AccumulationComparison",
    "AccumulationWeights",
    "accumulation_weights",
    "as_counts",
    "bigram_token_gradients",
    "bigram_token_losses",
    "compare_accumulation",
    "micro_batch_means",
    "naive_accumulation",
    "naive_error",
    "pad_sequences",
    "sum_then_divide",
    "weighted_accumulation",
]

IntArray = NDArray[np.int64]

PAD = -100
"""The padding label; a position holding it is not a token and has no loss."""


MAX_COUNT = 2**53
"""The largest count, and total of counts, that float64 holds exactly."""


def as_counts(counts: Any, name: str = "counts") -> IntArray:
    """``counts`` as a 1-D array of positive ints (micro-batch sizes), or raise naming ``name``.

    Parameters
    ----------
    counts : sequence of int, length Q ≥ 1
        Examples or tokens per micro-batch; whole numbers given as floats are accepted.

    Returns
    -------
    ndarray of int64, shape (Q,)
    """
    values = as_batch(counts, name, ndim=1)
    for position, value in enumerate(values):
        if value != np.floor(value):
            raise ValueError(f"{name}[{position}] must be a whole number, got {value:g}")
        if value < 1:
            raise ValueError(f"{name}[{position}] must be positive, got {value:g}")
        if value > MAX_COUNT:
            raise ValueError(
                f"{name}[{position}] must be at most 2**53 = {MAX_COUNT:,} (a count a float"
                f" holds exactly), got {value:g}"
            )
    if values.sum() > MAX_COUNT:
        raise ValueError(
            f"{name} must add up to at most 2**53 = {MAX_COUNT:,}, got {values.sum():g}"
        )
    return values.astype(np.int64)


@dataclass(frozen=True)
class AccumulationWeights:
    """The weight of each micro-batch's mean gradient under the naive and correct recipes.

    Parameters
    ----------
    counts : ndarray of int, shape (Q,)
        n_q, the examples or tokens of micro-batch q.
    naive : ndarray of float, shape (Q,)
        1/Q: the weight of ḡ_q in the mean of micro-batch means.
    correct : ndarray of float, shape (Q,)
        n_q / N: the weight of ḡ_q in the full-batch mean.
    factor : ndarray of float, shape (Q,)
        naive / correct = N / (Q n_q): how much more (> 1) or less (< 1) each example of
        micro-batch q counts under the naive recipe than in the full-batch mean.
    """

    counts: IntArray
    naive: FloatArray
    correct: FloatArray
    factor: FloatArray

    @property
    def total(self) -> int:
        """N, the examples or tokens of all micro-batches together."""
        return int(self.counts.sum())


def accumulation_weights(counts: Any) -> AccumulationWeights:
    """The naive (1/Q) and correct (n_q / N) weights of micro-batches of sizes ``counts``.

    Parameters
    ----------
    counts : sequence of int, length Q ≥ 1
        n_q, examples or tokens per micro-batch.
    """
    n = as_counts(counts)
    naive = np.full(n.shape, 1.0 / n.size)
    correct = n / n.sum()
    return AccumulationWeights(n, naive, correct, naive / correct)


def _split(gradients: Any, counts: Any) -> tuple[FloatArray, IntArray]:
    """Per-example gradients as (N, P) and the counts, checked against each other."""
    g = as_batch(gradients, "gradients", ndim=(1, 2))
    n = as_counts(counts)
    if n.sum() != g.shape[0]:
        raise ValueError(
            f"counts add up to {int(n.sum())}, but gradients has {g.shape[0]} rows "
            "(one per example or token)"
        )
    return g.reshape(g.shape[0], -1), n


def _shaped(result: FloatArray, gradients: Any) -> FloatArray:
    return result[..., 0] if np.ndim(gradients) == 1 else result


def micro_batch_means(gradients: Any, counts: Any) -> FloatArray:
    """ḡ_q, the mean gradient of each micro-batch.

    Parameters
    ----------
    gradients : array_like, shape (N,) or (N, P)
        Per-example (or per-token) gradients, micro-batch 1's first, then micro-batch 2's …
    counts : sequence of int, length Q, adding up to N
        n_q, the rows of ``gradients`` that belong to micro-batch q.

    Returns
    -------
    ndarray, shape (Q,) or (Q, P)
    """
    g, n = _split(gradients, counts)
    sums = np.add.reduceat(g, np.concatenate(([0], np.cumsum(n)[:-1])), axis=0)
    return _shaped(sums / n[:, None], gradients)


def naive_accumulation(gradients: Any, counts: Any) -> FloatArray:
    """(1/Q) Σ_q ḡ_q: the mean of the micro-batch means, shape (P,) or a scalar array.

    This is what dividing each micro-batch's mean loss by Q before ``backward()`` and
    summing the gradients computes; and, with replicas for micro-batches, what an
    all-reduce mean of local mean gradients computes.
    """
    return np.asarray(np.mean(micro_batch_means(gradients, counts), axis=0))


def sum_then_divide(gradients: Any, counts: Any) -> FloatArray:
    """(Σ_q Σ_{i ≤ n_q} g_{q,i}) / N: sum each micro-batch, accumulate, divide once by N."""
    g, n = _split(gradients, counts)
    total = np.zeros(g.shape[1])
    start = 0
    for size in n:  # one micro-batch at a time, as an accumulation loop does
        total += g[start : start + size].sum(axis=0)
        start += size
    return _shaped(total / n.sum(), gradients)


def weighted_accumulation(means: Any, counts: Any) -> FloatArray:
    """Σ_q (n_q / N) ḡ_q from the micro-batch means ``means``, shape (Q,) or (Q, P)."""
    m, n = _means_and_counts(means, counts)
    return np.asarray(np.tensordot(n / n.sum(), m, axes=1))


def naive_error(means: Any, counts: Any) -> FloatArray:
    """Σ_q (1/Q − n_q / N) ḡ_q: the naive recipe minus the full-batch mean, from the means."""
    m, n = _means_and_counts(means, counts)
    return np.asarray(np.tensordot(1.0 / n.size - n / n.sum(), m, axes=1))


def _means_and_counts(means: Any, counts: Any) -> tuple[FloatArray, IntArray]:
    m = as_batch(means, "means", ndim=(1, 2))
    n = as_counts(counts)
    if m.shape[0] != n.size:
        raise ValueError(f"means has {m.shape[0]} micro-batches, counts has {n.size}")
    return m, n


# --- a token-level model: a bigram language model on padded sequences -------------------


def pad_sequences(sequences: Sequence[Sequence[int]], vocabulary: int) -> IntArray:
    """Sequences of token ids in ``range(vocabulary)``, padded with :data:`PAD` to one length.

    Returns
    -------
    ndarray of int64, shape (B, L)
        L is the longest sequence's length.
    """
    v = as_positive_int(vocabulary, "vocabulary")
    if len(sequences) == 0:
        raise ValueError("sequences is empty: need at least one sequence")
    rows = [as_batch(s, f"sequences[{b}]", ndim=1) for b, s in enumerate(sequences)]
    for b, row in enumerate(rows):
        bad = (row != np.floor(row)) | (row < 0) | (row >= v)
        if bad.any():
            value = row[np.argmax(bad)]
            raise ValueError(
                f"sequences[{b}] holds {value:g}, not a token id in 0…{v - 1} (vocabulary {v})"
            )
    batch = np.full((len(rows), max(r.size for r in rows)), PAD, dtype=np.int64)
    for b, row in enumerate(rows):
        batch[b, : row.size] = row
    return batch


def _pairs(table: Any, batch: Any) -> tuple[FloatArray, IntArray, IntArray]:
    """The checked table and the (previous, next) token pairs that carry a loss."""
    w = as_float_array(table, "table", ndim=2)
    if w.shape[0] != w.shape[1]:
        raise ValueError(f"table must be square (vocabulary × vocabulary), got {w.shape}")
    tokens = np.asarray(batch)
    if tokens.ndim != 2 or not np.issubdtype(tokens.dtype, np.integer):
        raise ValueError(f"batch must be a 2-D integer array of token ids, got {tokens.shape}")
    real = tokens != PAD
    if ((tokens < 0) & real).any() or (tokens >= w.shape[0]).any():
        raise ValueError(f"batch holds ids outside the vocabulary 0…{w.shape[0] - 1}")
    scored = real[:, :-1] & real[:, 1:]  # a next token to predict, after a real token
    return w, tokens[:, :-1][scored], tokens[:, 1:][scored]


def bigram_token_losses(table: Any, batch: Any) -> FloatArray:
    """Cross-entropy −log softmax(W[a])[b] of every scored token, padding left out.

    Parameters
    ----------
    table : array_like, shape (V, V)
        W, the logit table.
    batch : ndarray of int, shape (B, L)
        Padded sequences (:func:`pad_sequences`); position t + 1 is scored when it and
        position t both hold tokens.

    Returns
    -------
    ndarray, shape (T,)
        One loss per scored token, sequence by sequence; T is their number.
    """
    w, previous, following = _pairs(table, batch)
    return -log_softmax(w[previous])[np.arange(previous.size), following]


def bigram_token_gradients(table: Any, batch: Any) -> FloatArray:
    """The gradient of each scored token's loss with respect to W, flattened.

    Row a of the gradient of −log softmax(W[a])[b] is softmax(W[a]) − e_b; every other
    row is zero.

    Returns
    -------
    ndarray, shape (T, V·V)
        One row per scored token, in the order of :func:`bigram_token_losses`.
    """
    w, previous, following = _pairs(table, batch)
    v = w.shape[0]
    rows = np.exp(log_softmax(w[previous]))
    rows[np.arange(previous.size), following] -= 1.0
    gradients = np.zeros((previous.size, v, v))
    gradients[np.arange(previous.size), previous] = rows
    return gradients.reshape(previous.size, v * v)


@dataclass(frozen=True)
class AccumulationComparison:
    """One batch of padded micro-batches, its gradient computed three ways.

    Parameters
    ----------
    counts : ndarray of int, shape (Q,)
        Scored tokens per micro-batch.
    full : ndarray, shape (V·V,)
        The mean gradient of all scored tokens of the batch at once.
    naive : ndarray, shape (V·V,)
        The mean of the micro-batch mean gradients.
    summed : ndarray, shape (V·V,)
        Each micro-batch's summed gradient, accumulated, divided once by the total count.
    naive_error : float
        Largest entry of abs(naive − full), relative to the largest entry of abs(full).
    summed_error : float
        The same for ``summed``.
    """

    counts: IntArray
    full: FloatArray
    naive: FloatArray
    summed: FloatArray
    naive_error: float
    summed_error: float


def compare_accumulation(table: Any, micro_batches: Sequence[Any]) -> AccumulationComparison:
    """Naive accumulation and sum-then-divide against the full batch, for the bigram model.

    Parameters
    ----------
    table : array_like, shape (V, V)
        W, the logit table.
    micro_batches : sequence of ndarray of int, each shape (B_q, L_q)
        Padded micro-batches (:func:`pad_sequences`), each with at least one scored token.
    """
    if len(micro_batches) == 0:
        raise ValueError("micro_batches is empty: need at least one micro-batch")
    parts = [bigram_token_gradients(table, mb) for mb in micro_batches]
    for position, part in enumerate(parts):
        if part.shape[0] == 0:
            raise ValueError(f"micro_batches[{position}] has no scored token")
    counts = np.array([p.shape[0] for p in parts], dtype=np.int64)
    stacked = np.concatenate(parts)
    width = max(np.shape(mb)[1] for mb in micro_batches)
    one_batch = np.concatenate(  # every sequence in one batch, padded to one length
        [
            np.pad(mb, ((0, 0), (0, width - np.shape(mb)[1])), constant_values=PAD)
            for mb in micro_batches
        ]
    )
    full = bigram_token_gradients(table, one_batch).mean(axis=0)
    naive = naive_accumulation(stacked, counts)
    summed = sum_then_divide(stacked, counts)
    return AccumulationComparison(
        counts,
        full,
        naive,
        summed,
        relative_difference(naive, full),
        relative_difference(summed, full),
    )
