"""Central differences: exact on quadratics, shape-preserving, strict about input."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from gradavg._validation import FloatArray
from gradavg.finite_differences import central_difference_gradient

bounded = st.floats(-10.0, 10.0, allow_nan=False, allow_infinity=False)


@given(
    theta=arrays(np.float64, st.integers(1, 6), elements=bounded),
    data=st.data(),
)
def test_exact_on_quadratics(theta: FloatArray, data: st.DataObject) -> None:
    # f(θ) = ½ θᵀAθ + cᵀθ has gradient Aθ + c for symmetric A. Central differences have
    # no truncation error on quadratics, only rounding of order ε (size of the terms of
    # f) / step ≈ 2e-13 · scale here, so 1e-8 · scale leaves a wide margin.
    n = theta.size
    a = data.draw(arrays(np.float64, (n, n), elements=bounded))
    a = a + a.T
    c = data.draw(arrays(np.float64, (n,), elements=bounded))

    def f(t: FloatArray) -> float:
        return float(0.5 * t @ a @ t + c @ t)

    step = 1e-3
    size = 1.0 + float(np.max(np.abs(theta)))
    scale = size**2 * (1.0 + float(np.abs(a).sum() + np.abs(c).sum()))
    np.testing.assert_allclose(
        central_difference_gradient(f, theta, step),
        a @ theta + c,
        rtol=0,
        atol=1e-8 * scale,
    )


def test_scalar_theta_gives_float() -> None:
    gradient = central_difference_gradient(lambda t: 3.0 * t**2 - t, 2.0)
    assert isinstance(gradient, float)
    assert gradient == pytest.approx(11.0, abs=1e-8)


@given(shape=array_shapes(min_dims=0, max_dims=3, max_side=4))
def test_shape_preserved(shape: tuple[int, ...]) -> None:
    theta = np.linspace(-1.0, 1.0, math.prod(shape)).reshape(shape)
    gradient = central_difference_gradient(lambda t: float(np.sum(t**2)), theta)
    assert isinstance(gradient, np.ndarray)
    assert gradient.shape == shape
    np.testing.assert_allclose(gradient, 2.0 * theta, rtol=0, atol=1e-8)


def test_theta_is_not_modified() -> None:
    theta = np.array([1.0, -2.0, 3.0])
    before = theta.copy()
    central_difference_gradient(lambda t: float(np.sum(np.sin(t))), theta)
    np.testing.assert_array_equal(theta, before)


def test_truncation_error_is_second_order() -> None:
    # For f = exp the central-difference error is ≈ step² f‴(0) / 6 = step² / 6.
    for step in (1e-1, 1e-2):
        error = central_difference_gradient(math.exp, 0.0, step) - 1.0
        assert error == pytest.approx(step**2 / 6, rel=1e-2)


@pytest.mark.parametrize("step", [0.0, -1e-6, math.nan, math.inf])
def test_bad_step(step: float) -> None:
    with pytest.raises(ValueError, match=r"^step\b"):
        central_difference_gradient(lambda t: t**2, 1.0, step)


def test_step_not_numeric() -> None:
    bad_step: Any = "small"
    with pytest.raises(TypeError, match=r"^step\b"):
        central_difference_gradient(lambda t: t**2, 1.0, bad_step)


def test_step_too_small_for_theta() -> None:
    with pytest.raises(ValueError, match="too small"):
        central_difference_gradient(lambda t: t**2, 1e10, 1e-12)


@pytest.mark.parametrize("theta", [math.nan, [1.0, math.inf]])
def test_bad_theta(theta: object) -> None:
    with pytest.raises(ValueError, match=r"^theta\b"):
        central_difference_gradient(lambda _: 0.0, theta)  # type: ignore[call-overload]


def test_f_not_callable() -> None:
    with pytest.raises(TypeError, match=r"^f must be callable"):
        central_difference_gradient(1.0, 1.0)  # type: ignore[call-overload]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_f_returns_non_finite(value: float) -> None:
    with pytest.raises(ValueError, match="non-finite"):
        central_difference_gradient(lambda t: t * value, 1.0)


def test_f_returns_non_scalar() -> None:
    with pytest.raises(ValueError, match="scalar"):
        central_difference_gradient(lambda t: np.array([t, t]), np.array([1.0, 2.0]))


def test_f_returns_non_numeric() -> None:
    with pytest.raises(TypeError, match="real scalar"):
        central_difference_gradient(lambda t: f"loss {t}", 1.0)
