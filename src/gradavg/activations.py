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

from gradavg._validation import FloatArray, as_batch, as_float_array, check_finite, overflow_guard


def _checked(kernel: Callable[[FloatArray], FloatArray], z: ArrayLike) -> float | FloatArray:
    """Check ``z``, apply an array kernel, and return a float for a scalar ``z``.

    Errors name the public function, e.g. "sigmoid: z must be real, …".
    """
    try:
        z_arr = as_float_array(z, "z")
    except (TypeError, ValueError) as error:
        function = kernel.__name__.removeprefix("_").removesuffix("_array")
        raise type(error)(f"{function}: {error}") from None
    values = kernel(np.atleast_1d(z_arr)).reshape(z_arr.shape)
    if not isinstance(z, np.ndarray) and z_arr.ndim == 0:
        return float(values)
    return values


# Array kernels: a float64 array with at least one dimension in, a new array of the same
# shape out, no input checks. The public functions below check their input and call these
# through _checked; the MLP calls them directly on arrays it has already checked. Each
# works in place on fresh arrays to spare temporaries.


def _exp_minus_abs(z: FloatArray) -> FloatArray:
    e = np.abs(z)
    np.negative(e, out=e)
    np.exp(e, out=e)
    return e


def _sigmoid_array(z: FloatArray) -> FloatArray:
    # σ(z) = exp(min(z, 0)) / (1 + exp(−|z|)): both exponents are ≤ 0, so nothing
    # overflows, and each tail keeps full relative accuracy, with no branch on the sign.
    numerator = np.minimum(z, 0.0)
    np.exp(numerator, out=numerator)
    denominator = _exp_minus_abs(z)
    denominator += 1.0
    numerator /= denominator
    return numerator


def _sigmoid_prime_array(z: FloatArray) -> FloatArray:
    # σ′ is even: σ′(z) = e/(1 + e)² with e = exp(−|z|), accurate in both tails.
    e = _exp_minus_abs(z)
    denominator = e + 1.0
    np.square(denominator, out=denominator)
    np.divide(e, denominator, out=e)
    return e


def _tanh_array(z: FloatArray) -> FloatArray:
    result: FloatArray = np.tanh(z)
    return result


def _tanh_prime_array(z: FloatArray) -> FloatArray:
    # tanh′(z) = 1 − tanh²(z) = 4 σ′(2z); the second form keeps full relative accuracy for
    # large |z|, where tanh²(z) rounds to 1.
    with np.errstate(over="ignore"):  # 2z may overflow to ±inf, where 4 σ′(2z) = 0 is right
        result = _sigmoid_prime_array(2.0 * z)
    result *= 4.0
    return result


def _relu_array(z: FloatArray) -> FloatArray:
    result: FloatArray = np.maximum(z, 0.0)
    return result


def _relu_prime_array(z: FloatArray) -> FloatArray:
    result: FloatArray = (z > 0).astype(np.float64)
    return result


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
    return _checked(_sigmoid_array, z)


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
    return _checked(_sigmoid_prime_array, z)


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
    return _checked(_tanh_array, z)


@overload
def tanh_prime(z: float) -> float: ...
@overload
def tanh_prime(z: NDArray[Any]) -> FloatArray: ...
@overload
def tanh_prime(z: ArrayLike) -> float | FloatArray: ...
def tanh_prime(z: ArrayLike) -> float | FloatArray:
    """Derivative of the hyperbolic tangent, tanh′(z) = 1 − tanh²(z).

    Evaluated as 4 σ′(2z), which is the same function and keeps full relative accuracy
    far from 0, where tanh²(z) would round to 1.

    Parameters
    ----------
    z : float or array_like
        Pre-activations, finite.

    Returns
    -------
    float or array of the same shape as ``z``
        tanh′(z), in [0, 1].
    """
    return _checked(_tanh_prime_array, z)


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
    return _checked(_relu_array, z)


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
    return _checked(_relu_prime_array, z)


@dataclass(frozen=True)
class Activation:
    """A named activation function together with its derivative.

    Parameters
    ----------
    name : str
        Key of the activation in ``ACTIVATIONS``.
    function : callable
        The activation, elementwise on a float or array, with input checks.
    derivative : callable
        Its derivative, elementwise on a float or array, with input checks.
    array_function : callable
        The activation on a float64 array of at least one dimension, already checked to
        be finite; returns a new array and skips the checks (for inner loops such as
        :class:`gradavg.mlp.MLP`).
    array_derivative : callable
        The derivative, likewise on a checked float64 array.
    """

    name: str
    function: Callable[[ArrayLike], float | FloatArray]
    derivative: Callable[[ArrayLike], float | FloatArray]
    array_function: Callable[[FloatArray], FloatArray]
    array_derivative: Callable[[FloatArray], FloatArray]


ACTIVATIONS: Mapping[str, Activation] = MappingProxyType(
    {
        "sigmoid": Activation(
            "sigmoid", sigmoid, sigmoid_prime, _sigmoid_array, _sigmoid_prime_array
        ),
        "tanh": Activation("tanh", tanh, tanh_prime, _tanh_array, _tanh_prime_array),
        "relu": Activation("relu", relu, relu_prime, _relu_array, _relu_prime_array),
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

    Raises
    ------
    ~gradavg._validation.OverflowInputError
        (a ``ValueError``) if the mean of ``points`` overflows float64, e.g. for
        ``[1e308, 1e308]``.
    """
    z = as_batch(points, "points")
    act = activation if isinstance(activation, Activation) else get_activation(activation)
    with overflow_guard("the mean of", "points"):
        z_mean = check_finite(np.mean(z), "the mean of", "points")
    return AveragingGap(
        points=tuple(z.tolist()),
        mean_of_derivative=float(np.mean(act.derivative(z))),
        derivative_at_mean=float(np.asarray(act.derivative(z_mean))),
    )
