"""Sums, means and gradients in float16 and bfloat16 (numpy's float16 and the bfloat16
of ``ml_dtypes``), with the accumulator in the same format or a wider one.

Each function computes what the hardware would: a float16 sum that passes the largest
float16 is ``inf``, a gradient below the smallest float16 becomes 0. Those results are
the point of the demonstrations and are returned, not refused; bad *input* still is.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, Literal

import ml_dtypes
import numpy as np

from gradavg._validation import FloatArray, as_batch, as_float_array

__all__ = [
    "FORMATS",
    "Format",
    "divide_then_sum",
    "largest",
    "overflow_count",
    "running_overflow_count",
    "running_sums",
    "scaled_round_trip",
    "sequential_sum",
    "smallest_normal",
    "smallest_subnormal",
    "sum_then_divide",
    "unit_roundoff",
]

Format = Literal["float16", "bfloat16", "float32", "float64"]
"""The floating-point formats the module computes in."""

FORMATS: dict[str, Any] = {
    "float16": np.float16,
    "bfloat16": ml_dtypes.bfloat16,
    "float32": np.float32,
    "float64": np.float64,
}
"""Each format's numpy scalar type."""


def _dtype(fmt: str, name: str = "fmt") -> Any:
    if fmt not in FORMATS:
        raise ValueError(f"{name} must be one of {', '.join(FORMATS)}, got {fmt!r}")
    return FORMATS[fmt]


def _finfo(fmt: str) -> Any:
    dtype = _dtype(fmt)
    if dtype is ml_dtypes.bfloat16:
        return ml_dtypes.finfo(dtype)  # type: ignore[no-untyped-call]
    return np.finfo(dtype)


def unit_roundoff(fmt: Format) -> float:
    """u = 2⁻ᵖ for a format with p significant bits: 2⁻¹¹ for float16, 2⁻⁸ for bfloat16."""
    return float(_finfo(fmt).eps) / 2


def largest(fmt: Format) -> float:
    """The largest finite number of the format: 65504 for float16."""
    return float(_finfo(fmt).max)


def smallest_normal(fmt: Format) -> float:
    """The smallest positive number of the format with its full precision: 2⁻¹⁴ for
    float16. Below it the subnormal numbers keep fewer significant bits."""
    return float(_finfo(fmt).smallest_normal)


def smallest_subnormal(fmt: Format) -> float:
    """The smallest positive number of the format: 2⁻²⁴ for float16."""
    return float(_finfo(fmt).smallest_subnormal)


def _partials(terms: FloatArray, fmt: str, accumulator: str | None) -> Iterator[Any]:
    """The running sums a₁, a₁ + a₂, … left to right, each term rounded to ``fmt``, the
    sum kept in ``accumulator`` (default: ``fmt``)."""
    wide = _dtype(accumulator, "accumulator") if accumulator else _dtype(fmt)
    total = wide(0)
    for term in terms.astype(_dtype(fmt)):
        with np.errstate(over="ignore"):
            total = wide(total + wide(term))
        yield total


def _accumulate(terms: FloatArray, fmt: str, accumulator: str | None) -> Any:
    """The last of :func:`_partials`: the whole sum, still in the accumulator's format."""
    *_, total = _partials(terms, fmt, accumulator)
    return total


def _rounded(value: Any, fmt: str) -> float:
    with np.errstate(over="ignore"):
        return float(np.asarray(value).astype(_dtype(fmt)))


def sequential_sum(terms: Any, fmt: Format, accumulator: Format | None = None) -> float:
    """Σ aᵢ left to right, each term rounded to ``fmt`` and the running sum kept in
    ``accumulator`` (default: ``fmt``), then rounded to ``fmt``.

    Parameters
    ----------
    terms : array_like, shape (N,)
        Finite terms, N ≥ 1.
    fmt : {"float16", "bfloat16", "float32", "float64"}
    accumulator : same choices, optional

    Returns
    -------
    float
        The computed sum; ``inf`` if it overflowed the accumulator or ``fmt``.
    """
    return _rounded(_accumulate(as_batch(terms, "terms"), fmt, accumulator), fmt)


def running_sums(terms: Any, fmt: Format, accumulator: Format | None = None) -> FloatArray:
    """Every partial sum of :func:`sequential_sum`, a₁, a₁ + a₂, …, each rounded to ``fmt``.

    Returns
    -------
    ndarray of float64, shape (N,)
    """
    values = as_batch(terms, "terms")
    return np.array([_rounded(total, fmt) for total in _partials(values, fmt, accumulator)])


def sum_then_divide(terms: Any, fmt: Format, accumulator: Format | None = None) -> float:
    """The mean as (Σ aᵢ) / N: the sum accumulated as :func:`sequential_sum` does, divided
    in the accumulator's format, then rounded to ``fmt``. In float16 throughout it is
    ``inf`` once the sum passes the largest float16."""
    values = as_batch(terms, "terms")
    total = _accumulate(values, fmt, accumulator)
    with np.errstate(over="ignore"):
        return _rounded(total / type(total)(values.size), fmt)


def divide_then_sum(terms: Any, fmt: Format, accumulator: Format | None = None) -> float:
    """The mean as Σ (aᵢ / N), each share rounded to ``fmt`` and accumulated as
    :func:`sequential_sum` does: no partial sum passes the largest term in magnitude,
    but in float16 throughout the running sum can stop growing."""
    values = as_batch(terms, "terms")
    dtype = _dtype(fmt)
    shares = (values.astype(dtype) / dtype(values.size)).astype(np.float64)
    return _rounded(_accumulate(shares, fmt, accumulator), fmt)


def overflow_count(loss: float, fmt: Format) -> int:
    """The smallest N at which the exact sum of N copies of ``loss`` passes the largest
    number of ``fmt``: ⌊largest / loss⌋ + 1, for a positive loss."""
    (value,) = as_float_array([loss], "loss")
    if value <= 0:
        raise ValueError(f"loss must be positive, got {loss!r}")
    return math.floor(largest(fmt) / float(value)) + 1


def running_overflow_count(loss: float, fmt: Format) -> int | None:
    """The smallest N at which a running sum of N copies of ``loss``, kept in ``fmt``, is
    infinite: sooner than :func:`overflow_count`, since each addition rounds, or None if
    the running sum stops growing first (as a sum of small losses does in bfloat16)."""
    if fmt not in ("float16", "bfloat16"):
        raise ValueError(f"fmt must be float16 or bfloat16 here, got {fmt!r}")
    exact = overflow_count(loss, fmt)
    dtype = _dtype(fmt)
    term, total = dtype(loss), dtype(0)
    with np.errstate(over="ignore"):
        for n in range(1, exact + 1):
            grown = dtype(total + term)
            if np.isinf(grown):
                return n
            if grown == total:
                return None  # stalled: it never reaches infinity
            total = grown
    return None


def scaled_round_trip(gradients: Any, scale: float, fmt: Format) -> FloatArray:
    """Gradients computed in ``fmt`` from a loss multiplied by ``scale``, then divided
    by ``scale`` in float32: what loss scaling recovers.

    A scaled gradient of magnitude at most half the format's smallest number becomes 0
    (underflow); one above its largest becomes ``inf`` (overflow), and stays ``inf``
    after unscaling.

    Parameters
    ----------
    gradients : array_like, shape (P,)
        The exact gradients, finite.
    scale : float
        The loss scale c, positive.
    fmt : {"float16", "bfloat16", "float32", "float64"}

    Returns
    -------
    ndarray of float64, shape (P,)
    """
    values = as_batch(gradients, "gradients")
    (c,) = as_float_array([scale], "scale")
    if c <= 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    with np.errstate(over="ignore"):
        stored = (values * c).astype(_dtype(fmt))
        unscaled: FloatArray = (stored.astype(np.float32) / np.float32(c)).astype(np.float64)
    return unscaled
