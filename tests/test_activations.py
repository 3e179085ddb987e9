"""Activations: known values, stability, derivatives, and the averaging gap."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import FrozenInstanceError
from typing import Any

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gradavg._validation import FloatArray
from gradavg.activations import (
    ACTIVATIONS,
    AveragingGap,
    averaging_gap,
    get_activation,
    relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    tanh,
    tanh_prime,
)
from gradavg.finite_differences import central_difference_gradient

ELEMENTWISE = [sigmoid, sigmoid_prime, tanh, tanh_prime, relu, relu_prime]
moderate = st.floats(-20.0, 20.0, allow_nan=False, allow_infinity=False)
# σ′ is convex where σ′ < 1/6, i.e. |z| > ln(2 + √3) ≈ 1.317, and concave inside.
SIGMOID_PRIME_INFLECTION = math.log(2.0 + math.sqrt(3.0))


def test_known_values() -> None:
    assert sigmoid(0.0) == 0.5
    assert sigmoid_prime(0.0) == 0.25
    assert sigmoid(math.log(3.0)) == pytest.approx(0.75, rel=1e-15)
    assert tanh(0.0) == 0.0
    assert tanh_prime(0.0) == 1.0
    assert tanh(0.5) == pytest.approx(math.tanh(0.5), rel=1e-15)
    assert relu(-2.0) == 0.0
    assert relu(3.0) == 3.0
    assert relu_prime(-2.0) == 0.0
    assert relu_prime(3.0) == 1.0


def test_relu_prime_at_zero_is_zero_by_convention() -> None:
    assert relu_prime(0.0) == 0.0


@pytest.mark.parametrize("function", ELEMENTWISE)
def test_scalar_in_float_out_array_in_array_out(function: Callable[..., Any]) -> None:
    assert isinstance(function(0.5), float)
    assert isinstance(function(np.float64(0.5)), float)
    out = function([[0.5, -1.0, 2.0]])
    assert isinstance(out, np.ndarray)
    assert out.shape == (1, 3)
    zero_d = function(np.asarray(0.5))
    assert isinstance(zero_d, np.ndarray)
    assert zero_d.shape == ()
    np.testing.assert_array_equal(out[0, 0], function(0.5))


@pytest.mark.parametrize("function", ELEMENTWISE)
def test_stable_at_extremes(function: Callable[..., Any]) -> None:
    z = np.array([-1e308, -1000.0, -40.0, 0.0, 40.0, 1000.0, 1e308])
    # Underflow of exp(−1000) to 0 is intended; overflow or 0/0 that escapes is not.
    with (
        warnings.catch_warnings(),
        np.errstate(over="raise", invalid="raise", divide="raise"),
    ):
        warnings.simplefilter("error")
        values = function(z)
    assert np.all(np.isfinite(values))


def test_sigmoid_limits_and_tails() -> None:
    np.testing.assert_array_equal(sigmoid([-1000.0, 1000.0]), [0.0, 1.0])
    np.testing.assert_array_equal(sigmoid_prime([-1000.0, 1000.0]), [0.0, 0.0])
    # In the tails σ(−40) and σ′(±40) are about e^{−40}: keep full relative accuracy.
    e = math.exp(-40.0)
    assert sigmoid(-40.0) == pytest.approx(e / (1.0 + e), rel=1e-14)
    assert sigmoid_prime(40.0) == pytest.approx(e / (1.0 + e) ** 2, rel=1e-14)
    assert sigmoid_prime(-40.0) == pytest.approx(e / (1.0 + e) ** 2, rel=1e-14)


@given(z=arrays(np.float64, st.integers(1, 20), elements=moderate))
def test_sigmoid_matches_definition_and_symmetry(z: FloatArray) -> None:
    np.testing.assert_allclose(sigmoid(z), 1.0 / (1.0 + np.exp(-z)), rtol=1e-14)
    np.testing.assert_allclose(sigmoid(-z), 1.0 - sigmoid(z), rtol=0, atol=1e-15)


@given(z=arrays(np.float64, st.integers(1, 20), elements=moderate))
def test_sigmoid_prime_is_sigma_times_one_minus_sigma(z: FloatArray) -> None:
    s = sigmoid(z)
    # σ(1 − σ) loses relative accuracy in the tails, so compare in absolute terms:
    # a few units in the last place of 1/4.
    np.testing.assert_allclose(sigmoid_prime(z), s * (1.0 - s), rtol=0, atol=1e-15)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@given(z=moderate.filter(lambda v: abs(v) > 1e-3))
def test_derivative_matches_central_differences(name: str, z: float) -> None:
    # Away from relu's kink. With step 1e-6 the truncation error (step² |g‴| / 6) is
    # below 1e-12 and rounding at most ulp(|g|) / (2 step) ≈ 2e-9 for |g| ≤ 20.
    activation = get_activation(name)
    numeric = central_difference_gradient(activation.function, z)
    assert activation.derivative(z) == pytest.approx(numeric, abs=1e-8)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_central_differences_on_arrays(name: str) -> None:
    activation = get_activation(name)
    z = np.array([[-3.0, -0.5, 0.25], [1.0, 2.5, 7.0]])
    numeric = central_difference_gradient(lambda t: float(np.sum(activation.function(t))), z)
    np.testing.assert_allclose(activation.derivative(z), numeric, rtol=0, atol=1e-8)


REFERENCE = {
    "sigmoid": (
        lambda t: 1 / (1 + mpmath.exp(-t)),
        lambda t: mpmath.exp(-t) / (1 + mpmath.exp(-t)) ** 2,
    ),
    "tanh": (mpmath.tanh, lambda t: mpmath.sech(t) ** 2),
    "relu": (lambda t: max(t, 0), lambda t: 1 if t > 0 else 0),
}
# Far tails included: every value here is a normal float64 for every function.
WIDE = np.array([-700.0, -300.0, -40.0, -20.0, -3.0, -1e-3, 0.0, 1e-3, 0.5, 20.0, 40.0, 300.0])


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_array_kernels_match_50_digit_reference(name: str) -> None:
    activation = get_activation(name)
    z = np.stack([WIDE, -WIDE])  # two rows: kernels keep any shape
    before = z.copy()
    with mpmath.workdps(50):
        for kernel, reference in zip(
            (activation.array_function, activation.array_derivative), REFERENCE[name], strict=True
        ):
            exact = np.array([float(reference(mpmath.mpf(t))) for t in z.ravel()])
            values = kernel(z)
            assert values.shape == z.shape
            assert values.dtype == np.float64
            np.testing.assert_allclose(values.ravel(), exact, rtol=1e-14, atol=0)
    np.testing.assert_array_equal(z, before)  # the input is left alone


def test_registry() -> None:
    assert set(ACTIVATIONS) == {"sigmoid", "tanh", "relu"}
    for name, activation in ACTIVATIONS.items():
        assert activation.name == name
        assert get_activation(name) is activation
    assert get_activation("sigmoid").function is sigmoid
    assert get_activation("sigmoid").derivative is sigmoid_prime
    z = np.array([-1.0, 0.0, 2.0])
    for activation in ACTIVATIONS.values():
        np.testing.assert_array_equal(activation.array_function(z), activation.function(z))
        np.testing.assert_array_equal(activation.array_derivative(z), activation.derivative(z))


def test_registry_is_read_only() -> None:
    with pytest.raises(TypeError):
        ACTIVATIONS["softplus"] = ACTIVATIONS["relu"]  # type: ignore[index]
    with pytest.raises(FrozenInstanceError):
        ACTIVATIONS["relu"].name = "other"  # type: ignore[misc]


def test_get_activation_unknown_lists_valid_names() -> None:
    with pytest.raises(ValueError, match="softplus") as info:
        get_activation("softplus")
    for name in ("sigmoid", "tanh", "relu"):
        assert repr(name) in str(info.value)


def test_get_activation_not_a_string() -> None:
    with pytest.raises(TypeError, match=r"^name must be a str"):
        get_activation(3)  # type: ignore[arg-type]


def test_averaging_gap_zero_one_closed_form() -> None:
    # σ′(z) = 1 / (4 cosh²(z/2)) = 1 / (2 + 2 cosh z), so the mean of σ′(0) = 1/4 and
    # σ′(1) is (cosh 1 + 3) / (8 (1 + cosh 1)), and σ′(1/2) = 1 / (4 cosh²(1/4)).
    result = averaging_gap([0.0, 1.0])
    mean_of_derivative = (math.cosh(1.0) + 3.0) / (8.0 * (1.0 + math.cosh(1.0)))
    derivative_at_mean = 1.0 / (4.0 * math.cosh(0.25) ** 2)
    assert isinstance(result, AveragingGap)
    assert result.points == (0.0, 1.0)
    assert result.mean_of_derivative == pytest.approx(mean_of_derivative, rel=1e-14)
    assert result.derivative_at_mean == pytest.approx(derivative_at_mean, rel=1e-14)
    assert result.gap == pytest.approx(mean_of_derivative - derivative_at_mean, abs=1e-15)
    assert result.gap < 0  # σ′ is concave on [0, 1]


def test_averaging_gap_sign_reverses_where_sigmoid_prime_is_convex() -> None:
    near = averaging_gap([0.0, 1.0])
    far = averaging_gap([2.0, 4.0])
    assert far.mean_of_derivative == pytest.approx(
        (sigmoid_prime(2.0) + sigmoid_prime(4.0)) / 2, rel=1e-14
    )
    assert far.derivative_at_mean == pytest.approx(sigmoid_prime(3.0), rel=1e-14)
    assert near.gap < 0 < far.gap


@given(points=arrays(np.float64, st.integers(1, 50), elements=st.floats(1.4, 20.0)))
def test_gap_non_negative_where_sigmoid_prime_is_convex(points: FloatArray) -> None:
    assert points.min() > SIGMOID_PRIME_INFLECTION
    assert averaging_gap(points).gap >= -1e-15  # Jensen, up to rounding
    assert averaging_gap(-points).gap >= -1e-15  # σ′ is even


@given(points=arrays(np.float64, st.integers(1, 50), elements=st.floats(-1.3, 1.3)))
def test_gap_non_positive_where_sigmoid_prime_is_concave(points: FloatArray) -> None:
    assert averaging_gap(points).gap <= 1e-15


@given(points=arrays(np.float64, st.integers(1, 50), elements=moderate))
def test_gap_vanishes_for_relu_on_one_side_of_the_kink(points: FloatArray) -> None:
    # relu′ is constant on each side of 0, hence affine there: no gap.
    assert averaging_gap(np.abs(points) + 1.0, "relu").gap == 0.0
    assert averaging_gap(-np.abs(points) - 1.0, "relu").gap == 0.0


def test_gap_for_relu_across_the_kink() -> None:
    # relu′(−1) = 0 and relu′(3) = 1 average to 1/2, but relu′(1) = 1.
    result = averaging_gap([-1.0, 3.0], "relu")
    assert (result.mean_of_derivative, result.derivative_at_mean) == (0.5, 1.0)
    assert result.gap == -0.5


def test_averaging_gap_accepts_activation_object() -> None:
    by_name = averaging_gap([0.3, 1.7, -2.0], "tanh")
    by_object = averaging_gap([0.3, 1.7, -2.0], ACTIVATIONS["tanh"])
    assert by_name == by_object
    mean_of_derivative = float(np.mean(tanh_prime([0.3, 1.7, -2.0])))
    assert by_name.mean_of_derivative == pytest.approx(mean_of_derivative, rel=1e-15)
    assert by_name.derivative_at_mean == pytest.approx(tanh_prime(0.0), rel=1e-15)


@pytest.mark.parametrize("function", ELEMENTWISE)
@pytest.mark.parametrize(
    ("bad", "error"),
    [
        ("1.0", TypeError),
        ([1.0, "a"], TypeError),
        (math.nan, ValueError),
        ([0.0, math.inf], ValueError),
        ([0.0, None], TypeError),  # not a NaN: None is not a number
    ],
)
def test_elementwise_bad_input(function: Callable[..., Any], bad: object, error: type) -> None:
    with pytest.raises(error, match=rf"^{function.__name__}: z\b"):
        function(bad)


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        ([], ValueError),
        ([[0.0, 1.0]], ValueError),
        (0.5, ValueError),
        ([0.0, math.nan], ValueError),
        ("0 1", TypeError),
    ],
)
def test_averaging_gap_bad_points(bad: object, error: type) -> None:
    with pytest.raises(error, match=r"^points\b"):
        averaging_gap(bad)  # type: ignore[arg-type]


def test_averaging_gap_bad_activation() -> None:
    with pytest.raises(ValueError, match="valid names"):
        averaging_gap([0.0, 1.0], "softmax")


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        (None, TypeError, r"^{name}: z must be a real number or array, got NoneType$"),
        (1 + 2j, TypeError, r"^{name}: z must be real, got complex"),
        (np.array([0.5, 1j]), TypeError, r"^{name}: z must be real, got complex"),
        (math.nan, ValueError, r"^{name}: z contains a NaN or infinite value"),
    ],
)
@pytest.mark.parametrize("function", ELEMENTWISE)
def test_bad_z_says_what_was_wrong_naming_the_function(
    function: Callable[..., Any], value: Any, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match.format(name=function.__name__)):
        function(value)


def test_averaging_gap_refuses_a_mean_that_overflows() -> None:
    # The inputs are finite; their mean is not: a named error, no RuntimeWarning (which
    # pytest turns into an error here), and no mention of an internal "z".
    with pytest.raises(ValueError, match=r"^the mean of points overflows float64"):
        averaging_gap([1e308, 1e308])
    assert averaging_gap([1e308, -1e308]).points == (1e308, -1e308)


def test_averaging_gap_refuses_complex_points() -> None:
    with pytest.raises(TypeError, match=r"^points must be real"):
        averaging_gap([0.0, 1 + 1j])
