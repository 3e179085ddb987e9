"""Central-difference gradients, the numerical reference for every analytic gradient."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gradavg._validation import FloatArray, as_float_array


def _scalar_value(value: object) -> float:
    """Return the output of ``f`` as a float, or raise if it is not a finite scalar."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"f must return a real scalar, got {type(value).__name__} {value!r}"
        ) from None
    if array.ndim != 0:
        raise ValueError(f"f must return a scalar, got a value of shape {array.shape}")
    if not np.isfinite(array):
        raise ValueError(f"f returned a non-finite value {float(array)}")
    return float(array)


@overload
def central_difference_gradient(
    f: Callable[[float], object], theta: float, step: float = ...
) -> float: ...
@overload
def central_difference_gradient(
    f: Callable[[FloatArray], object],
    theta: NDArray[Any] | list[Any] | tuple[Any, ...],
    step: float = ...,
) -> FloatArray: ...
def central_difference_gradient(
    f: Callable[[Any], object], theta: ArrayLike, step: float = 1e-6
) -> float | FloatArray:
    """Gradient of a scalar function by central differences.

    Component i is (f(θ + h e_i) − f(θ − h e_i)) / (2h), with h = ``step``. The
    truncation error is O(step²) (zero for quadratics); rounding adds about
    ε · abs(f) / step, so very small steps lose accuracy.

    Parameters
    ----------
    f : callable
        Function of θ returning a finite real scalar. It is called with a float when
        ``theta`` is a scalar and with an array of the shape of ``theta`` otherwise.
    theta : float or array_like
        Point at which to differentiate, finite, of any shape.
    step : float, default 1e-6
        Absolute step h, finite and > 0.

    Returns
    -------
    float or array of the same shape as ``theta``
        The approximate gradient: a float for scalar ``theta``.

    Raises
    ------
    TypeError
        If ``f`` is not callable or returns a non-numeric value.
    ValueError
        If ``theta`` or ``step`` is invalid, or ``f`` returns a non-finite or non-scalar
        value.
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    theta_arr = as_float_array(theta, "theta")
    h = float(as_float_array(step, "step", ndim=0))
    if h <= 0:
        raise ValueError(f"step must be > 0, got {h}")
    scalar_theta = theta_arr.ndim == 0 and not isinstance(theta, np.ndarray)

    def evaluate(point: FloatArray) -> float:
        return _scalar_value(f(float(point) if scalar_theta else point))

    flat = theta_arr.ravel()
    gradient = np.empty_like(flat)
    for i in range(flat.size):
        plus, minus = flat.copy(), flat.copy()
        plus[i] += h
        minus[i] -= h
        # Divide by the steps actually taken, which absorbs the rounding of θ ± h.
        width = plus[i] - minus[i]
        if width == 0:
            raise ValueError(f"step {h} is too small to change theta at flat index {i} ({flat[i]})")
        gradient[i] = (
            evaluate(plus.reshape(theta_arr.shape)) - evaluate(minus.reshape(theta_arr.shape))
        ) / width
    if scalar_theta:
        return float(gradient[0])
    return gradient.reshape(theta_arr.shape)
