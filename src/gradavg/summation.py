"""Floating-point sums of a batch in different orders, with their error bounds.

Every function sums along axis 0, the example axis: ``terms`` of shape (N,) gives a sum of
shape (), terms of shape (N, P) (one row per example, such as per-example gradients)
give P sums, one per column. The orders are

* :func:`recursive_sum`: left to right, s ← s + a_i, what a loop over the examples does;
* :func:`pairwise_sum`: blocks of ``block`` terms summed left to right, then the block
  totals added in pairs, level by level, up a binary tree;
* :func:`chunked_sum`: micro-batches of ``chunk`` terms, each summed pairwise, their
  totals accumulated left to right, as gradient accumulation does.

The error bounds are those of Higham, *Accuracy and Stability of Numerical Algorithms*
(2nd ed., SIAM 2002), §4.2: if no term of the sum passes through more than n additions,
the computed sum differs from the exact one by at most γ_n Σ|a_i|, with
γ_n = n u / (1 − n u) and u the unit roundoff. The ``*_depth`` functions return that n
for each order; :func:`error_bound` turns it into the bound. :func:`rounding_error` and
:func:`exact_error` measure what a computed sum actually missed, against the exact sum
of the same float64 terms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from gradavg._validation import FloatArray, as_batch, as_float_array, as_positive_int

__all__ = [
    "UNIT_ROUNDOFF",
    "ErrorGrowth",
    "OrderResult",
    "chunked_depth",
    "chunked_sum",
    "compare_orders",
    "error_bound",
    "error_growth",
    "exact_error",
    "exact_sum",
    "gamma",
    "pairwise_depth",
    "pairwise_sum",
    "recursive_depth",
    "recursive_sum",
    "rounding_error",
]

UNIT_ROUNDOFF = 2.0**-53
"""The unit roundoff u of float64 with rounding to nearest.

abs(fl(a₁ + a₂) − (a₁ + a₂)) ≤ u abs(a₁ + a₂) for any floats a₁ and a₂.
"""


def _terms(terms: Any) -> FloatArray:
    return as_batch(terms, "terms", ndim=(1, 2))


def gamma(k: int) -> float:
    """γ_n = n u / (1 − n u) for float64, the factor of Higham's bounds, with n = ``k``.

    Parameters
    ----------
    k : int
        Number of roundings n, n ≥ 0 with n u < 1.

    Returns
    -------
    float
        γ_n (0 for n = 0).
    """
    if isinstance(k, bool) or not isinstance(k, int | np.integer):
        raise TypeError(f"k must be an int, got {type(k).__name__} {k!r}")
    if k < 0:
        raise ValueError(f"k must be at least 0, got {k}")
    ku = int(k) * UNIT_ROUNDOFF
    if ku >= 1.0:
        raise ValueError(f"k = {k} is too large: γ_k needs k u < 1 (u = 2⁻⁵³)")
    return ku / (1.0 - ku)


def recursive_sum(terms: Any) -> FloatArray:
    """Sum left to right: s_1 = a_1, s_i = fl(s_{i−1} + a_i).

    Parameters
    ----------
    terms : array of shape (N,) or (N, P)
        Finite terms, N ≥ 1.

    Returns
    -------
    array of shape () or (P,)
        The computed sum of each column.
    """
    a = _terms(terms)
    result: FloatArray = np.add.accumulate(a, axis=0)[-1]
    return result


def _pairwise(a: FloatArray, block: int) -> FloatArray:
    """Pairwise sum along axis 0 of a checked array (see :func:`pairwise_sum`)."""
    n = a.shape[0]
    blocks = -(-n // block)
    padding = np.zeros((blocks * block - n, *a.shape[1:]))  # adding +0 is exact
    grouped = np.concatenate([a, padding]).reshape(blocks, block, *a.shape[1:])
    partial = np.add.accumulate(grouped, axis=1)[:, -1]
    while partial.shape[0] > 1:
        count = partial.shape[0]
        paired = partial[0 : count - 1 : 2] + partial[1:count:2]
        partial = np.concatenate([paired, partial[count - 1 :]]) if count % 2 else paired
    result: FloatArray = partial[0]
    return result


def pairwise_sum(terms: Any, block: int = 1) -> FloatArray:
    """Sum in a binary tree over blocks of ``block`` terms.

    The terms are cut into consecutive blocks of ``block`` (the last may be shorter),
    each block is summed left to right, and the block totals are added in adjacent
    pairs, level by level, until one is left (an odd one out moves up a level unchanged).

    Parameters
    ----------
    terms : array of shape (N,) or (N, P)
        Finite terms, N ≥ 1.
    block : int, default 1
        Terms per block, ≥ 1; 1 is textbook pairwise summation, N or more is
        :func:`recursive_sum`.

    Returns
    -------
    array of shape () or (P,)
        The computed sum of each column.
    """
    return _pairwise(_terms(terms), as_positive_int(block, "block"))


def chunked_sum(terms: Any, chunk: int, block: int = 1) -> FloatArray:
    """Sum micro-batches of ``chunk`` terms pairwise, then accumulate their totals.

    Parameters
    ----------
    terms : array of shape (N,) or (N, P)
        Finite terms, N ≥ 1.
    chunk : int
        Terms per micro-batch, ≥ 1 (the last micro-batch may be shorter).
    block : int, default 1
        Block of the pairwise sum inside each micro-batch.

    Returns
    -------
    array of shape () or (P,)
        The computed sum of each column: the micro-batch totals added left to right.
    """
    a = _terms(terms)
    size = as_positive_int(chunk, "chunk")
    width = as_positive_int(block, "block")
    n = a.shape[0]
    count = -(-n // size)
    padding = np.zeros((count * size - n, *a.shape[1:]))
    grouped = np.concatenate([a, padding]).reshape(count, size, *a.shape[1:])
    totals = _pairwise(np.moveaxis(grouped, 1, 0), width)  # shape (count, ...)
    result: FloatArray = np.add.accumulate(totals, axis=0)[-1]
    return result


def recursive_depth(n: int) -> int:
    """Most additions any term of :func:`recursive_sum` passes through: N − 1."""
    return as_positive_int(n, "n") - 1


def pairwise_depth(n: int, block: int = 1) -> int:
    """Most additions any term of :func:`pairwise_sum` passes through.

    Parameters
    ----------
    n : int
        Number of terms N ≥ 1.
    block : int, default 1
        Block size b ≥ 1.

    Returns
    -------
    int
        (min(b, N) − 1) + ⌈log₂ ⌈N / b⌉⌉: the additions inside a block, then one per
        level of the tree.
    """
    count, width = as_positive_int(n, "n"), as_positive_int(block, "block")
    blocks = -(-count // width)
    return (min(width, count) - 1) + (blocks - 1).bit_length()


def chunked_depth(n: int, chunk: int, block: int = 1) -> int:
    """Most additions any term of :func:`chunked_sum` passes through.

    Parameters
    ----------
    n : int
        Number of terms N ≥ 1.
    chunk : int
        Micro-batch size c ≥ 1.
    block : int, default 1
        Block of the pairwise sum inside each micro-batch.

    Returns
    -------
    int
        The pairwise depth of one micro-batch of min(c, N) terms, plus ⌈N / c⌉ − 1
        additions of the micro-batch totals.
    """
    count, size = as_positive_int(n, "n"), as_positive_int(chunk, "chunk")
    chunks = -(-count // size)
    return pairwise_depth(min(size, count), block) + (chunks - 1)


def exact_sum(terms: Any) -> FloatArray:
    """The exact sum of each column, rounded once to float64 (``math.fsum``).

    Parameters
    ----------
    terms : array of shape (N,) or (N, P)
        Finite terms, N ≥ 1.

    Returns
    -------
    array of shape () or (P,)
        Σ a_i correctly rounded.
    """
    a = _terms(terms)
    columns = a.reshape(a.shape[0], -1).T
    return np.array([math.fsum(column) for column in columns]).reshape(a.shape[1:])


def rounding_error(computed: Any, terms: Any) -> FloatArray:
    """What a computed sum missed: computed − Σ a_i, exact but for one final rounding.

    Parameters
    ----------
    computed : float or array of shape (P,)
        A computed sum of each column of ``terms``.
    terms : array of shape (N,) or (N, P)
        The terms that were summed.

    Returns
    -------
    array of shape () or (P,)
        ``math.fsum`` of the computed sum and the negated terms: the exact error,
        rounded once.
    """
    a = _terms(terms)
    sums = as_float_array(computed, "computed")
    if sums.shape != a.shape[1:]:
        raise ValueError(
            f"computed has shape {sums.shape} but terms of shape {a.shape} have "
            f"sums of shape {a.shape[1:]}"
        )
    return exact_sum(np.concatenate([sums[np.newaxis], -a]))


def exact_error(computed: float, terms: Any) -> Fraction:
    """computed − Σ a_i as an exact fraction, for a sum of one column.

    Parameters
    ----------
    computed : float
        A computed sum of ``terms``.
    terms : array of shape (N,)
        The terms.

    Returns
    -------
    fractions.Fraction
        The error, with no rounding at all.
    """
    a = as_batch(terms, "terms", ndim=1)
    value = float(as_float_array(computed, "computed", ndim=0))
    return Fraction(value) - sum((Fraction(float(t)) for t in a), Fraction(0))


def error_bound(terms: Any, depth: int) -> FloatArray:
    """Higham's bound γ_n Σ|a_i| for a sum in which no term passes through n additions.

    Parameters
    ----------
    terms : array of shape (N,) or (N, P)
        The terms.
    depth : int
        n, from :func:`recursive_depth`, :func:`pairwise_depth` or :func:`chunked_depth`.

    Returns
    -------
    array of shape () or (P,)
        The bound on abs(computed − Σ a_i) for each column.
    """
    return gamma(depth) * exact_sum(np.abs(_terms(terms)))


@dataclass(frozen=True)
class OrderResult:
    """One order of summation applied to a column of terms.

    Parameters
    ----------
    name : str
        The order, for a table.
    total : float
        The computed sum.
    error : float
        abs(computed − Σ a_i) / Σ|a_i|: the error relative to the sum of magnitudes.
    bound : float or None
        γ_n for the order's depth n (the bound on ``error``), None if not known.
    """

    name: str
    total: float
    error: float
    bound: float | None

    def __str__(self) -> str:
        bound = "" if self.bound is None else f", bound {self.bound / UNIT_ROUNDOFF:.1f} u"
        return (
            f"{self.name:26} {self.total:.17g}  "
            f"error {self.error / UNIT_ROUNDOFF:.2f} u{bound} (relative to Σ|a_i|)"
        )

    @property
    def within(self) -> bool:
        """Whether the observed error respects the bound (True when there is none)."""
        return self.bound is None or self.error <= self.bound


def compare_orders(terms: Any, chunks: tuple[int, ...] = (), block: int = 1) -> list[OrderResult]:
    """Sum one column in every order of this module, and numpy's, against the exact sum.

    Parameters
    ----------
    terms : array of shape (N,)
        The terms.
    chunks : tuple of int
        Micro-batch sizes for :func:`chunked_sum`.
    block : int, default 1
        Block of the pairwise sums.

    Returns
    -------
    list of OrderResult
        Recursive, pairwise, one row per micro-batch size, then ``numpy.sum`` (its
        order is numpy's own, so only the bound of the recursive sum, which holds for
        every order, is given).
    """
    a = as_batch(terms, "terms", ndim=1)
    n = a.shape[0]
    magnitude = float(exact_sum(np.abs(a)))
    orders: list[tuple[str, FloatArray, int]] = [
        ("recursive (left to right)", recursive_sum(a), recursive_depth(n)),
        (f"pairwise, blocks of {block}", pairwise_sum(a, block), pairwise_depth(n, block)),
    ]
    orders += [
        (f"micro-batches of {c}", chunked_sum(a, c, block), chunked_depth(n, c, block))
        for c in chunks
    ]
    orders.append(("numpy.sum", np.asarray(np.sum(a)), recursive_depth(n)))
    return [
        OrderResult(
            name, float(total), abs(float(rounding_error(total, a))) / magnitude, gamma(depth)
        )
        for name, total, depth in orders
    ]


@dataclass(frozen=True)
class ErrorGrowth:
    """Errors of recursive and pairwise summation for growing N, with their bounds.

    Parameters
    ----------
    sizes : array of shape (S,)
        The numbers of terms N.
    recursive, pairwise : array of shape (S,)
        Root mean square over the draws of abs(computed − Σ a_i) / Σ|a_i|.
    recursive_bound, pairwise_bound : array of shape (S,)
        γ_{N−1} and γ_{⌈log₂ N⌉}.
    """

    sizes: FloatArray
    recursive: FloatArray
    pairwise: FloatArray
    recursive_bound: FloatArray
    pairwise_bound: FloatArray


def error_growth(sizes: Any, draws: int = 5, seed: int = 0) -> ErrorGrowth:
    """Observed relative errors of recursive and pairwise sums of uniform terms in [0, 1).

    Parameters
    ----------
    sizes : sequence of int
        Numbers of terms N ≥ 1.
    draws : int, default 5
        Random batches per size; the errors are averaged in root mean square.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    ErrorGrowth
        Observed errors and bounds for each N.
    """
    ns = [as_positive_int(n, f"sizes[{k}]") for k, n in enumerate(np.atleast_1d(sizes))]
    if not ns:
        raise ValueError("sizes is empty: give at least one N")
    repeats = as_positive_int(draws, "draws")
    rng = np.random.default_rng(seed)
    observed = np.zeros((2, len(ns)))
    for column, n in enumerate(ns):
        batch = rng.uniform(size=(n, repeats))
        magnitude = exact_sum(batch)
        for row, total in enumerate((recursive_sum(batch), pairwise_sum(batch))):
            relative = rounding_error(total, batch) / magnitude
            observed[row, column] = np.sqrt(np.mean(relative**2))
    return ErrorGrowth(
        np.array(ns, dtype=np.float64),
        observed[0],
        observed[1],
        np.array([gamma(recursive_depth(n)) for n in ns]),
        np.array([gamma(pairwise_depth(n)) for n in ns]),
    )
