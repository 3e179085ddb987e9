"""Activations and their derivatives, elementwise on floats or arrays, and the gap
between the mean of a derivative over a batch and the derivative at the batch mean.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gradavg._validation import FloatArray, as_batch, as_float_array


def _shaped_like(z: object, value: ArrayLike) -> float | FloatArray:
    """Return ``value`` as a float if ``z`` was a scalar, else as an array."""
    if not isinstance(z, np.ndarray) and np.ndim(value) == 0:
        return float(np.asarray(value))
    return np.asarray(value, dtype=np.float64)


@overload
def sigmoid(z: float) -> float: ...
@overload
def sigmoid(z: NDArray[Any]) -> FloatArray: ...
@overload
def sigmoid(z: ArrayLike) -> float | FloatArray: ...
def sigmoid(z: ArrayLike) -> float | FloatArray:
    """Logistic sigmoid σ(z) = 1 / (1 + exp(−z)), without overflow.

    Parameters
    ----------
    z : float or array_like
        Pre-activations, finite.

    Returns
    -------
    float or array of the same shape as ``z``
        σ(z), in [0, 1].
    """
    z_arr = as_float_array(z, "z")
    # exp(−|z|) never overflows; pick the branch that divides by 1 + (something ≤ 1).
    e = np.exp(-np.abs(z_arr))
    return _shaped_like(z, np.where(z_arr >= 0, 1.0 / (1.0 + e), e / (1.0 + e)))


@overload
def sigmoid_prime(z: float) -> float: ...
@overload
def sigmoid_prime(z: NDArray[Any]) -> FloatArray: ...
@overload
def sigmoid_prime(z: ArrayLike) -> float | FloatArray: ...
def sigmoid_prime(z: ArrayLike) -> float | FloatArray:
    """Derivative of the sigmoid, σ′(z) = σ(z)(1 − σ(z)).

    Evaluated as exp(−abs(z)) / (1 + exp(−abs(z)))², which equals σ(1 − σ) since σ′ is
    even, and keeps full relative accuracy in the tails, where 1 − σ would round to 0.

    Parameters
    ----------
    z : float or array_like
        Pre-activations, finite.

    Returns
    -------
    float or array of the same shape as ``z``
        σ′(z), in [0, 1/4].
    """
    z_arr = as_float_array(z, "z")
    e = np.exp(-np.abs(z_arr))
    return _shaped_like(z, e / (1.0 + e) ** 2)


@overload
def tanh(z: float) -> float: ...
@overload
def tanh(z: NDArray[Any]) -> FloatArray: ...
@overload
def tanh(z: ArrayLike) -> float | FloatArray: ...
def tanh(z: ArrayLike) -> float | FloatArray:
    """Hyperbolic tangent.

    Parameters
    ----------
    z : float or array_like
        Pre-activations, finite.

    Returns
    -------
    float or array of the same shape as ``z``
        tanh(z), in [−1, 1].
    """
    return _shaped_like(z, np.tanh(as_float_array(z, "z")))


@overload
def tanh_prime(z: float) -> float: ...
@overload
def tanh_prime(z: NDArray[Any]) -> FloatArray: ...
@overload
def tanh_prime(z: ArrayLike) -> float | FloatArray: ...
def tanh_prime(z: ArrayLike) -> float | FloatArray:
    """Derivative of the hyperbolic tangent, tanh′(z) = 1 − tanh²(z).

    Parameters
    ----------
    z : float or array_like
        Pre-activations, finite.

    Returns
    -------
    float or array of the same shape as ``z``
        tanh′(z), in [0, 1].
    """
    t = np.tanh(as_float_array(z, "z"))
    return _shaped_like(z, 1.0 - t * t)


@overload
def relu(z: float) -> float: ...
@overload
def relu(z: NDArray[Any]) -> FloatArray: ...
@overload
def relu(z: ArrayLike) -> float | FloatArray: ...
def relu(z: ArrayLike) -> float | FloatArray:
    """Rectified linear unit, relu(z) = max(z, 0).

    Parameters
    ----------
    z : float or array_like
        Pre-activations, finite.

    Returns
    -------
    float or array of the same shape as ``z``
        relu(z), non-negative.
    """
    z_arr = as_float_array(z, "z")
    return _shaped_like(z, np.where(z_arr > 0, z_arr, 0.0))


@overload
def relu_prime(z: float) -> float: ...
@overload
def relu_prime(z: NDArray[Any]) -> FloatArray: ...
@overload
def relu_prime(z: ArrayLike) -> float | FloatArray: ...
def relu_prime(z: ArrayLike) -> float | FloatArray:
    """Derivative of the rectified linear unit: 1 for z > 0, else 0.

    relu is not differentiable at 0; by convention relu′(0) = 0 here.

    Parameters
    ----------
    z : float or array_like
        Pre-activations, finite.

    Returns
    -------
    float or array of the same shape as ``z``
        relu′(z), each entry 0 or 1.
    """
    z_arr = as_float_array(z, "z")
    return _shaped_like(z, np.where(z_arr > 0, 1.0, 0.0))


@dataclass(frozen=True)
class Activation:
    """A named activation function together with its derivative.

    Parameters
    ----------
    name : str
        Key of the activation in ``ACTIVATIONS``.
    function : callable
        The activation, elementwise on a float or array.
    derivative : callable
        Its derivative, elementwise on a float or array.
    """

    name: str
    function: Callable[[ArrayLike], float | FloatArray]
    derivative: Callable[[ArrayLike], float | FloatArray]


ACTIVATIONS: Mapping[str, Activation] = MappingProxyType(
    {
        "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime),
        "tanh": Activation("tanh", tanh, tanh_prime),
        "relu": Activation("relu", relu, relu_prime),
    }
)
"""Read-only mapping from activation name to :class:`Activation`."""


def get_activation(name: str) -> Activation:
    """Look up an activation by name.

    Parameters
    ----------
    name : str
        One of ``"sigmoid"``, ``"tanh"``, ``"relu"``.

    Returns
    -------
    Activation
        The activation and its derivative.

    Raises
    ------
    TypeError
        If ``name`` is not a string.
    ValueError
        If ``name`` is not a known activation; the message lists the valid names.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__} {name!r}")
    try:
        return ACTIVATIONS[name]
    except KeyError:
        valid = ", ".join(repr(key) for key in sorted(ACTIVATIONS))
        raise ValueError(f"unknown activation {name!r}; valid names are {valid}") from None


@dataclass(frozen=True)
class AveragingGap:
    """Mean of a derivative over a batch against the derivative at the batch mean.

    Parameters
    ----------
    points : tuple of float
        The batch z_1, …, z_N.
    mean_of_derivative : float
        (1/N) Σ_i g′(z_i).
    derivative_at_mean : float
        g′(z̄), with z̄ = (1/N) Σ_i z_i.
    """

    points: tuple[float, ...]
    mean_of_derivative: float
    derivative_at_mean: float

    @property
    def gap(self) -> float:
        """mean_of_derivative − derivative_at_mean; 0 when g′ is affine on the batch."""
        return self.mean_of_derivative - self.derivative_at_mean


def averaging_gap(points: ArrayLike, activation: str | Activation = "sigmoid") -> AveragingGap:
    """Compare the mean of g′ over a batch with g′ at the batch mean.

    By Jensen's inequality the gap is ≥ 0 where g′ is convex on the batch's range and
    ≤ 0 where it is concave.

    Parameters
    ----------
    points : array_like of shape (N,)
        The batch, N ≥ 1, finite.
    activation : str or Activation, default "sigmoid"
        The activation g, by name or as an :class:`Activation`.

    Returns
    -------
    AveragingGap
        Both averages and, through its ``gap`` property, their difference.
    """
    z = as_batch(points, "points")
    act = activation if isinstance(activation, Activation) else get_activation(activation)
    return AveragingGap(
        points=tuple(z.tolist()),
        mean_of_derivative=float(np.mean(act.derivative(z))),
        derivative_at_mean=float(np.asarray(act.derivative(np.mean(z)))),
    )
