"""Tests for gradavg.shortcuts: one name per shortcut, for the line and for the MLP.

The properties of the MLP shortcuts (exact for one example, wrong for a generic batch, the
covariance of the output weights) are tested in test_mlp.py, those of the line in
test_regression.py; here: the dispatch on the model, and numbers recorded before the
shortcuts moved out of gradavg.mlp and gradavg.regression.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from gradavg import regression
from gradavg.mlp import MLP
from gradavg.parameters import Parameters
from gradavg.shortcuts import averaged_input_gradient, averaged_signal_gradient, averaging_error

W1 = np.array([[0.5, -1.0], [0.25, 0.75]])
W2 = np.array([[1.0, -0.5], [0.5, 2.0]])
PARAMS = Parameters((W1, W2), (np.array([0.1, -0.2]), np.array([0.0, 0.3])))
X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, -1.5]])
TARGETS = {
    "mse": np.array([[0.5, -0.5], [1.0, 0.0], [-1.0, 2.0]]),
    "cross_entropy": np.array([0, 1, 1]),
}

# Flattened (W_1, b_1, W_2, b_2), as the methods MLP.averaged_input_gradient and
# MLP.averaged_signal_gradient returned them for this network before the move.
RECORDED = {
    ("mse", "input"): [
        0.0, 0.0, 0.08703335920921064, -0.24050724563758175, 0.26110007762763193,
        -0.7215217369127452, 0.014366400891650373, -0.06916357131182721,
        0.003958610329139668, -0.019057774446090567, 0.07923817242809006,
        -0.38147306557025185,
    ],
    ("mse", "signal"): [
        0.0, -0.0, 0.0011533062604123204, -0.1159437237288112, 0.003459918781236961,
        -0.34783117118643364, -0.006538135964903545, -0.013705811945325145,
        -0.006171604076460879, -0.012937455771344265, -0.07430919933722002,
        -0.1557734371678278,
    ],
    ("cross_entropy", "input"): [
        0.0, 0.0, 0.06815590576431879, -0.07029659419235568, 0.20446771729295637,
        -0.21088978257706706, 0.025554247398025375, -0.025554247398025347,
        0.0070413813777121205, -0.007041381377712113, 0.14094496435580078,
        -0.14094496435580062,
    ],
    ("cross_entropy", "signal"): [
        0.0, -0.0, 0.062056770800874156, -0.06400589332584133, 0.18617031240262247,
        -0.192017679977524, 0.011291369226596615, -0.011291369226596614,
        0.01065836818349443, -0.010658368183494428, 0.12833208289844705,
        -0.12833208289844703,
    ],
}  # fmt: skip


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_mlp_shortcuts_keep_their_values(loss: str) -> None:
    model = MLP(PARAMS, "tanh", loss)
    y = TARGETS[loss]
    assert_allclose(
        averaged_input_gradient(model, X, y).flatten(),
        RECORDED[loss, "input"],
        rtol=1e-13,
        atol=1e-16,
    )
    assert_allclose(
        averaged_signal_gradient(model, X, y).flatten(),
        RECORDED[loss, "signal"],
        rtol=1e-13,
        atol=1e-16,
    )


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_averaged_input_gradient_of_an_mlp_is_its_gradient_at_the_mean_example(
    loss: str,
) -> None:
    model = MLP(PARAMS, "sigmoid", loss)
    _, targets = model.check_batch(X, TARGETS[loss])
    at_mean = model.batch_gradient(X.mean(axis=0, keepdims=True), targets.mean(axis=0)[None])
    shortcut = averaged_input_gradient(model, X, TARGETS[loss])
    assert isinstance(shortcut, Parameters)
    np.testing.assert_array_equal(shortcut.flatten(), at_mean.flatten())
    # The shortcut averages the checked targets: labels and their one-hot rows agree.
    np.testing.assert_array_equal(
        averaged_input_gradient(model, X, targets).flatten(), shortcut.flatten()
    )


def test_averaged_input_gradient_of_the_line() -> None:
    theta = np.array([2.0, -1.0])
    x = np.array([0.0, 1.0, 2.0])
    y = np.array([1.0, 1.0, 5.0])
    # x̄ = 1, ȳ = 7/3, residual ȳ − (m x̄ + b) = 4/3: (−2 x̄ · 4/3, −2 · 4/3).
    shortcut = averaged_input_gradient(theta, x, y)
    assert isinstance(shortcut, np.ndarray)
    assert shortcut.shape == (2,)
    assert_allclose(shortcut, [-8.0 / 3.0, -8.0 / 3.0], rtol=1e-15)
    # A list works as θ too, and the single averaged example is a batch of one.
    np.testing.assert_array_equal(
        averaged_input_gradient([2.0, -1.0], x, y),
        regression.per_example_gradients(theta, [x.mean()], [y.mean()])[0],
    )


def test_averaging_error_of_the_line_matches_its_closed_form() -> None:
    theta = np.array([0.5, 0.25])
    x = np.array([0.0, 1.0, 3.0, 4.0])
    y = np.array([1.0, 0.0, 2.0, 5.0])
    error = averaging_error(theta, x, y)
    np.testing.assert_array_equal(
        error, averaged_input_gradient(theta, x, y) - regression.batch_gradient(theta, x, y)
    )
    assert_allclose(error, regression.averaging_error_closed_form(theta, x, y), atol=1e-14)
    # Cov(x, y) = Var(x) = 2.5 (population moments): 2 (2.5 − 0.5 · 2.5) = 2.5.
    assert error[0] == pytest.approx(2.5, rel=1e-14)
    assert error[1] == pytest.approx(0.0, abs=1e-14)


def test_the_line_shortcut_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="theta must have shape"):
        averaged_input_gradient([1.0, 2.0, 3.0], [0.0, 1.0], [0.0, 1.0])
    with pytest.raises(ValueError, match="x has 2, y has 1"):
        averaged_input_gradient([1.0, 2.0], [0.0, 1.0], [0.0])


# Bad input is refused alike for both models: the same error for the same cause.

LINE = np.array([1.0, 0.0])
NET = MLP(PARAMS, "tanh", "mse")


@pytest.mark.parametrize(
    ("model", "x", "y"),
    [
        (LINE, [1e308, 1e308], [0.0, 0.0]),
        (NET, [[1e308, 0.0], [1e308, 0.0]], [[0.0, 0.0], [0.0, 0.0]]),
    ],
    ids=["line", "mlp"],
)
def test_averaged_input_gradient_refuses_a_mean_that_overflows(
    model: object, x: object, y: object
) -> None:
    # Before: a RuntimeWarning, then inf or NaN or a misleading "x contains a NaN".
    with pytest.raises(ValueError, match=r"^the mean of x overflows float64: the values"):
        averaged_input_gradient(model, x, y)  # type: ignore[call-overload]


def test_averaged_input_gradient_refuses_a_target_mean_that_overflows() -> None:
    with pytest.raises(ValueError, match=r"^the mean of y overflows float64"):
        averaged_input_gradient(NET, X[:2], [[-1e308, 0.0], [-1e308, 0.0]])


def test_averaged_input_gradient_of_the_mlp_refuses_a_gradient_that_overflows() -> None:
    relu = MLP(Parameters((np.ones((2, 2)),), (np.zeros(2),)), "relu", "mse")
    with pytest.raises(
        ValueError, match=r"^the gradient at the averaged example of x and y overflows float64"
    ):
        averaged_input_gradient(relu, [[1e200, 1e200]], [[0.0, 0.0]])


@pytest.mark.parametrize("model", [LINE, NET], ids=["line", "mlp"])
def test_averaged_input_gradient_refuses_complex_and_none(model: object) -> None:
    x = [1.0 + 1j, 2.0] if model is LINE else X.astype(complex)
    y = [1.0, 2.0] if model is LINE else TARGETS["mse"]
    with pytest.raises(TypeError, match=r"^x must be real, got complex"):
        averaged_input_gradient(model, x, y)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"^y must be a real number or array, got NoneType"):
        averaged_input_gradient(model, X[:, 0] if model is LINE else X, None)  # type: ignore[call-overload]
