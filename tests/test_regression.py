"""Linear regression: batch and per-example gradients, and the averaging shortcut."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gradavg._validation import FloatArray
from gradavg.finite_differences import central_difference_gradient
from gradavg.regression import (
    averaging_error_closed_form,
    batch_gradient,
    linear_loss,
    linear_loss_gradient,
    mean_loss,
    per_example_gradients,
    per_example_losses,
    predict,
)
from gradavg.shortcuts import averaged_input_gradient, averaging_error

bounded = st.floats(-10.0, 10.0, allow_nan=False, allow_infinity=False)
thetas = arrays(np.float64, (2,), elements=bounded)


@st.composite
def batches(draw: st.DrawFn, max_size: int = 50) -> tuple[FloatArray, FloatArray]:
    """Inputs x and targets y of a common length N in 1..max_size."""
    n = draw(st.integers(1, max_size))
    x = draw(arrays(np.float64, (n,), elements=bounded))
    y = draw(arrays(np.float64, (n,), elements=bounded))
    return x, y


def magnitude(theta: FloatArray, x: FloatArray, y: FloatArray) -> float:
    """Bound on |x_i| · |r_i|-sized terms, to scale absolute tolerances."""
    x_max = float(np.max(np.abs(x)))
    m, b = float(theta[0]), float(theta[1])
    r_max = float(np.max(np.abs(y))) + abs(m) * x_max + abs(b)
    return (1.0 + x_max) * (1.0 + r_max)


def test_known_values() -> None:
    theta = np.array([2.0, -1.0])
    x = np.array([0.0, 1.0, 2.0])
    y = np.array([1.0, 1.0, 5.0])
    # f(x) = (−1, 1, 3), r = (2, 0, 2).
    np.testing.assert_array_equal(predict(theta, x), [-1.0, 1.0, 3.0])
    np.testing.assert_array_equal(per_example_losses(theta, x, y), [4.0, 0.0, 4.0])
    assert mean_loss(theta, x, y) == pytest.approx(8.0 / 3.0, rel=1e-15)
    np.testing.assert_array_equal(
        per_example_gradients(theta, x, y), [[0.0, -4.0], [0.0, 0.0], [-8.0, -4.0]]
    )
    np.testing.assert_allclose(batch_gradient(theta, x, y), [-8.0 / 3.0, -8.0 / 3.0])


def test_output_shapes() -> None:
    theta, x, y = [0.5, 0.1], np.arange(7.0), np.ones(7)
    assert predict(theta, x).shape == (7,)
    assert per_example_losses(theta, x, y).shape == (7,)
    assert isinstance(mean_loss(theta, x, y), float)
    assert per_example_gradients(theta, x, y).shape == (7, 2)
    for gradient in (
        batch_gradient,
        averaged_input_gradient,
        averaging_error,
        averaging_error_closed_form,
    ):
        assert gradient(theta, x, y).shape == (2,)


@given(theta=thetas, xy=batches())
def test_per_example_gradients_match_central_differences(
    theta: FloatArray, xy: tuple[FloatArray, FloatArray]
) -> None:
    # L_i is quadratic in θ: no truncation error, and rounding ≈ ε L_i / step is at
    # most 2e-12 · magnitude².
    x, y = xy
    analytic = per_example_gradients(theta, x, y)
    tolerance = 1e-8 * magnitude(theta, x, y) ** 2
    for i in range(x.size):

        def loss_i(t: FloatArray, i: int = i) -> float:
            return float(per_example_losses(t, x, y)[i])

        numeric = central_difference_gradient(loss_i, theta, step=1e-4)
        np.testing.assert_allclose(analytic[i], numeric, rtol=0, atol=tolerance)


@given(theta=thetas, xy=batches())
def test_batch_gradient_is_mean_of_per_example_gradients(
    theta: FloatArray, xy: tuple[FloatArray, FloatArray]
) -> None:
    # Linearity of the derivative. The two differ only in summation order: rounding is
    # a few ε · log N · magnitude.
    x, y = xy
    np.testing.assert_allclose(
        batch_gradient(theta, x, y),
        np.mean(per_example_gradients(theta, x, y), axis=0),
        rtol=0,
        atol=1e-12 * magnitude(theta, x, y),
    )


@given(theta=thetas, xy=batches())
def test_batch_gradient_matches_central_differences_of_mean_loss(
    theta: FloatArray, xy: tuple[FloatArray, FloatArray]
) -> None:
    # J is quadratic in θ: no truncation error, rounding ≈ ε J / step with step 1e-4,
    # and J ≤ magnitude², so 1e-8 · magnitude² is a safe bound.
    x, y = xy
    numeric = central_difference_gradient(lambda t: mean_loss(t, x, y), theta, step=1e-4)
    np.testing.assert_allclose(
        batch_gradient(theta, x, y),
        numeric,
        rtol=0,
        atol=1e-8 * magnitude(theta, x, y) ** 2,
    )


@given(theta=thetas, xy=batches())
def test_averaging_error_matches_closed_form(
    theta: FloatArray, xy: tuple[FloatArray, FloatArray]
) -> None:
    x, y = xy
    error = averaging_error(theta, x, y)
    closed_form = averaging_error_closed_form(theta, x, y)
    tolerance = 1e-12 * magnitude(theta, x, y)
    np.testing.assert_allclose(error, closed_form, rtol=0, atol=tolerance)
    # The intercept component agrees exactly in exact arithmetic.
    assert closed_form[1] == 0.0
    assert abs(error[1]) <= tolerance


def test_averaging_error_closed_form_symbolically() -> None:
    # Independent of the numerics: derive both gradients in sympy for N = 3.
    n = 3
    m, b = sp.symbols("m b")
    xs, ys = sp.symbols(f"x:{n}"), sp.symbols(f"y:{n}")
    x_bar, y_bar = sum(xs) / n, sum(ys) / n
    batch = [
        sp.diff(sum((yi - m * xi - b) ** 2 for xi, yi in zip(xs, ys, strict=True)) / n, p)
        for p in (m, b)
    ]
    shortcut = [sp.diff((y_bar - m * x_bar - b) ** 2, p) for p in (m, b)]
    cov = sum((xi - x_bar) * (yi - y_bar) for xi, yi in zip(xs, ys, strict=True)) / n
    var = sum((xi - x_bar) ** 2 for xi in xs) / n
    assert sp.expand(shortcut[0] - batch[0] - 2 * (cov - m * var)) == 0
    assert sp.expand(shortcut[1] - batch[1]) == 0


def test_averaging_error_is_nonzero_in_general() -> None:
    # x = (0, 2), y = (0, 2), m = 0: Cov = Var = 1, so the error is (2, 0).
    theta, x, y = np.array([0.0, 0.0]), np.array([0.0, 2.0]), np.array([0.0, 2.0])
    np.testing.assert_allclose(averaging_error(theta, x, y), [2.0, 0.0], atol=1e-15)
    # At the least-squares slope m = Cov / Var the error vanishes.
    np.testing.assert_allclose(averaging_error([1.0, 0.0], x, y), [0.0, 0.0], atol=1e-15)


@given(
    theta=thetas,
    x0=bounded,
    y0=bounded,
)
def test_shortcut_exact_for_one_example(theta: FloatArray, x0: float, y0: float) -> None:
    x, y = np.array([x0]), np.array([y0])
    np.testing.assert_allclose(
        averaged_input_gradient(theta, x, y),
        batch_gradient(theta, x, y),
        rtol=0,
        atol=1e-14 * magnitude(theta, x, y),
    )
    np.testing.assert_array_equal(averaging_error_closed_form(theta, x, y), [0.0, 0.0])


@given(xy=batches(), thetas_=st.lists(bounded, min_size=2, max_size=5))
def test_linear_loss_gradient(xy: tuple[FloatArray, FloatArray], thetas_: list[float]) -> None:
    # J(θ) = ȳ − θ x̄ is linear: central differences are exact up to rounding
    # ε |J| / step ≤ 2e-13 · 110 with step 1e-3.
    x, y = xy
    gradient = linear_loss_gradient(x)
    assert gradient == pytest.approx(-float(np.mean(x)), abs=1e-15)
    for theta in thetas_:
        numeric = central_difference_gradient(lambda t: linear_loss(t, x, y), theta, step=1e-3)
        assert numeric == pytest.approx(gradient, abs=1e-9)
    # Independent of θ: the loss changes by exactly gradient · Δθ between any two θ.
    first, last = thetas_[0], thetas_[-1]
    assert linear_loss(last, x, y) - linear_loss(first, x, y) == pytest.approx(
        gradient * (last - first), abs=1e-11
    )


# --- bad input ---------------------------------------------------------------------

XY_FUNCTIONS: list[Callable[..., Any]] = [
    per_example_losses,
    mean_loss,
    per_example_gradients,
    batch_gradient,
    averaged_input_gradient,
    averaging_error,
    averaging_error_closed_form,
]
GOOD_THETA = np.array([1.0, 0.5])
GOOD_X = np.array([0.0, 1.0, 2.0])
GOOD_Y = np.array([1.0, 2.0, 2.5])
BAD_BATCHES = [
    pytest.param(np.ones((3, 1)), ValueError, id="2-D"),
    pytest.param(1.0, ValueError, id="scalar"),
    pytest.param([], ValueError, id="empty"),
    pytest.param([0.0, math.nan, 1.0], ValueError, id="nan"),
    pytest.param([0.0, math.inf, 1.0], ValueError, id="inf"),
    pytest.param("0 1 2", TypeError, id="string"),
    pytest.param(["0", "one", "2"], TypeError, id="strings"),
]


@pytest.mark.parametrize("function", XY_FUNCTIONS)
@pytest.mark.parametrize(("bad", "error"), BAD_BATCHES)
def test_bad_x(function: Callable[..., Any], bad: object, error: type) -> None:
    with pytest.raises(error, match=r"^x\b"):
        function(GOOD_THETA, bad, GOOD_Y)


@pytest.mark.parametrize("function", XY_FUNCTIONS)
@pytest.mark.parametrize(("bad", "error"), BAD_BATCHES)
def test_bad_y(function: Callable[..., Any], bad: object, error: type) -> None:
    with pytest.raises(error, match=r"^y\b"):
        function(GOOD_THETA, GOOD_X, bad)


@pytest.mark.parametrize(("bad", "error"), BAD_BATCHES)
def test_bad_x_predict_and_linear_loss(bad: object, error: type) -> None:
    with pytest.raises(error, match=r"^x\b"):
        predict(GOOD_THETA, bad)  # type: ignore[arg-type]
    with pytest.raises(error, match=r"^x\b"):
        linear_loss_gradient(bad)  # type: ignore[arg-type]
    with pytest.raises(error, match=r"^x\b"):
        linear_loss(0.5, bad, GOOD_Y)  # type: ignore[arg-type]
    with pytest.raises(error, match=r"^y\b"):
        linear_loss(0.5, GOOD_X, bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("function", [*XY_FUNCTIONS, linear_loss])
def test_mismatched_lengths(function: Callable[..., Any]) -> None:
    theta = 0.5 if function is linear_loss else GOOD_THETA
    with pytest.raises(ValueError, match="x has 3, y has 2"):
        function(theta, GOOD_X, GOOD_Y[:2])


@pytest.mark.parametrize("function", [*XY_FUNCTIONS, predict])
@pytest.mark.parametrize(
    ("bad", "error"),
    [
        pytest.param([1.0, 2.0, 3.0], ValueError, id="three"),
        pytest.param([1.0], ValueError, id="one"),
        pytest.param(1.0, ValueError, id="scalar"),
        pytest.param([[1.0, 2.0]], ValueError, id="2-D"),
        pytest.param([1.0, math.nan], ValueError, id="nan"),
        pytest.param(["m", "b"], TypeError, id="strings"),
    ],
)
def test_bad_theta(function: Callable[..., Any], bad: object, error: type) -> None:
    args = (GOOD_X,) if function is predict else (GOOD_X, GOOD_Y)
    with pytest.raises(error, match=r"^theta\b"):
        function(bad, *args)


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        pytest.param([1.0, 2.0], ValueError, id="vector"),
        pytest.param(math.nan, ValueError, id="nan"),
        pytest.param(math.inf, ValueError, id="inf"),
        pytest.param("1", TypeError, id="string"),
    ],
)
def test_bad_linear_theta(bad: object, error: type) -> None:
    with pytest.raises(error, match=r"^theta\b"):
        linear_loss(bad, GOOD_X, GOOD_Y)  # type: ignore[arg-type]


# Finite inputs whose mean, square or gradient overflows: a named error, never inf or NaN
# (a RuntimeWarning would fail these tests: pytest turns warnings into errors here).

HUGE_X = [1e200, 2e200]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: predict([1e200, 0.0], [1e200]), r"^the predictions at theta and x overflows"),
        (lambda: per_example_losses([1.0, 0.0], HUGE_X, [1.0, 2.0]),
         r"^the squared errors at theta, x and y overflows float64"),
        (lambda: mean_loss([1.0, 0.0], HUGE_X, [1.0, 2.0]), r"^the squared errors at"),
        (lambda: mean_loss([0.0, 0.0], [0.0, 0.0], [1.3e154, 1.3e154]),
         r"^the mean loss at theta, x and y overflows float64"),
        (lambda: per_example_gradients([1.0, 0.0], HUGE_X, [1.0, 2.0]),
         r"^the per-example gradients at theta, x and y overflows float64"),
        (lambda: batch_gradient([1.0, 0.0], HUGE_X, [1.0, 2.0]),
         r"^the batch gradient at theta, x and y overflows float64: the values are too large$"),
        (lambda: averaging_error_closed_form([1.0, 0.0], HUGE_X, [1.0, 2.0]),
         r"^2 \(Cov\(x, y\) − m Var\(x\)\) at theta, x and y overflows"),
        (lambda: linear_loss(1.0, [1e308, 1e308], [0.0, 0.0]), r"^the linear loss at"),
        (lambda: linear_loss_gradient([1e308, 1e308]), r"^the mean of x overflows float64"),
        (lambda: averaged_input_gradient([1.0, 0.0], [1e308, 1e308], [0.0, 0.0]),
         r"^the mean of x overflows float64"),
        (lambda: averaged_input_gradient([1.0, 0.0], [0.0, 0.0], [-1e308, -1e308]),
         r"^the mean of y overflows float64"),
        (lambda: averaged_input_gradient([1.0, 0.0], HUGE_X, [1.0, 2.0]),
         r"^the gradient at the averaged example of theta, x and y overflows float64"),
    ],
)  # fmt: skip
def test_overflow_raises_naming_what_and_the_arguments(
    call: Callable[[], object], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: batch_gradient([1.0, 0.0], [1.0, 2j], [1.0, 2.0]), r"^x must be real"),
        (lambda: batch_gradient([1.0 + 0j, 0.0], [1.0], [1.0]), r"^theta must be real"),
        (lambda: averaged_input_gradient([1.0, 0.0], [1.0], np.array([1j])), r"^y must be real"),
        (lambda: mean_loss(None, [1.0], [1.0]), r"^theta must be a real number or array"),
        (lambda: linear_loss_gradient([1.0, None]), r"^x must be a real number or array"),
    ],
)
def test_complex_and_none_raise_type_error(call: Callable[[], object], match: str) -> None:
    with pytest.raises(TypeError, match=match):
        call()
