"""Batch size and step size for SGD on least squares: k small steps against one large
one, and the gradient noise scale tr Σ / ‖Ḡ‖² from minibatch gradients of two sizes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from gradavg import regression
from gradavg._validation import FloatArray, as_batch, as_float_array, as_positive_int

__all__ = [
    "GradientNoise",
    "expected_squared_norm",
    "gradient_noise",
    "noise_scale_from_two_sizes",
    "steps_against_one",
]


def steps_against_one(
    theta: Any, batches: Sequence[tuple[Any, Any]], eta: float
) -> tuple[FloatArray, FloatArray]:
    """k SGD steps of size η, one per batch, against one step of size kη on their union.

    Parameters
    ----------
    theta : array_like, shape (2,)
        The starting (m, b) of least squares on a line.
    batches : sequence of (x, y), k ≥ 1 batches of the same size
    eta : float
        The small step size η, positive.

    Returns
    -------
    (ndarray, ndarray), each shape (2,)
        θ after the k small steps, and after the one large step.
    """
    start = as_float_array(theta, "theta", ndim=1)
    (step,) = as_float_array([eta], "eta")
    if step <= 0:
        raise ValueError(f"eta must be positive, got {eta!r}")
    if not batches:
        raise ValueError("batches is empty: need at least one batch")
    sizes = {len(np.atleast_1d(x)) for x, _ in batches}
    if len(sizes) != 1:
        raise ValueError(f"the batches must have the same size, got sizes {sorted(sizes)}")
    small = start.copy()
    for x, y in batches:
        small = small - step * regression.batch_gradient(small, x, y)
    union_x = np.concatenate([np.atleast_1d(x) for x, _ in batches])
    union_y = np.concatenate([np.atleast_1d(y) for _, y in batches])
    large = start - len(batches) * step * regression.batch_gradient(start, union_x, union_y)
    return small, large


@dataclass(frozen=True)
class GradientNoise:
    """The full-data gradient's squared norm and the trace of the per-example gradients'
    covariance (normalised by M), at one θ."""

    squared_norm: float
    """‖Ḡ‖², the squared norm of the mean of the M per-example gradients."""
    trace: float
    """tr Σ, the sum over coordinates of the per-example gradients' variance."""

    @property
    def noise_scale(self) -> float:
        """The gradient noise scale tr Σ / ‖Ḡ‖², which is a batch size."""
        return self.trace / self.squared_norm


def gradient_noise(theta: Any, x: Any, y: Any) -> GradientNoise:
    """:class:`GradientNoise` of least squares on a line, from the per-example gradients."""
    gradients = regression.per_example_gradients(theta, x, y)
    mean = gradients.mean(axis=0)
    return GradientNoise(float(mean @ mean), float(gradients.var(axis=0).sum()))


def expected_squared_norm(theta: Any, x: Any, y: Any, size: int, *, replace: bool) -> float:
    """E‖ĝ_N‖², the squared norm of the minibatch mean gradient expected over every
    minibatch of ``size`` draws from the M examples, by enumeration: all Mᴺ ordered
    draws with replacement, or all subsets of N distinct examples without.
    """
    gradients = regression.per_example_gradients(theta, x, y)
    n = as_positive_int(size, "size")
    m = len(gradients)
    if not replace and n > m:
        raise ValueError(f"size {n} exceeds the {m} examples")
    draws = (
        itertools.product(range(m), repeat=n) if replace else itertools.combinations(range(m), n)
    )
    count = m**n if replace else math.comb(m, n)
    if count > 2_000_000:
        raise ValueError(f"{count:,} minibatches is too many to enumerate")
    total = 0.0
    for batch in draws:
        mean = gradients[list(batch)].mean(axis=0)
        total += float(mean @ mean)
    return total / count


def noise_scale_from_two_sizes(
    small: float, large: float, small_size: int, large_size: int
) -> GradientNoise:
    """‖Ḡ‖² and tr Σ solved from E‖ĝ‖² measured at two batch sizes, by
    E‖ĝ_N‖² = ‖Ḡ‖² + tr Σ / N (draws with replacement).

    Parameters
    ----------
    small, large : float
        The (estimated) expected squared norms at the smaller and the larger size.
    small_size, large_size : int
        The two batch sizes, small_size < large_size.
    """
    values = as_batch([small, large], "squared norms")
    n_small = as_positive_int(small_size, "small_size")
    n_large = as_positive_int(large_size, "large_size")
    if not n_small < n_large:
        raise ValueError(f"small_size must be below large_size, got {n_small} and {n_large}")
    squared = (n_large * values[1] - n_small * values[0]) / (n_large - n_small)
    trace = (values[0] - values[1]) / (1 / n_small - 1 / n_large)
    return GradientNoise(float(squared), float(trace))
