"""Tests for gradavg.training: gradient descent with the exact gradient or a shortcut."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose

from gradavg import shortcuts
from gradavg.mlp import MLP
from gradavg.parameters import Parameters
from gradavg.training import GRADIENTS, train, training_runs


def test_gradients_name_the_batch_gradient_and_the_shortcuts() -> None:
    assert list(GRADIENTS) == ["batch", "averaged_input", "averaged_signal"]
    assert GRADIENTS["batch"] is MLP.batch_gradient
    assert GRADIENTS["averaged_input"] is shortcuts.averaged_input_gradient
    assert GRADIENTS["averaged_signal"] is shortcuts.averaged_signal_gradient


def regression_task() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    x = rng.uniform(-2, 2, size=(40, 2))
    y = np.sin(x[:, :1]) + 0.5 * x[:, 1:] ** 2
    return x, y


def test_batch_training_decreases_the_loss() -> None:
    x, y = regression_task()
    model = MLP.init((2, 8, 1), "tanh", "mse", seed=0)
    final, history = train(model, x, y, "batch", steps=300, learning_rate=0.05)
    assert history.shape == (301,)
    assert history[0] == pytest.approx(model.mean_loss(x, y), rel=1e-14)
    assert history[-1] == pytest.approx(final.mean_loss(x, y), rel=1e-14)
    assert history[-1] < 0.3 * history[0]
    assert np.all(np.diff(history) <= 1e-12), "small-step gradient descent must be monotone"


def test_batch_training_on_labels_decreases_cross_entropy() -> None:
    rng = np.random.default_rng(8)
    x = rng.normal(size=(60, 2))
    labels = (x[:, 0] * x[:, 1] > 0).astype(int) + (x[:, 0] > 1).astype(int)
    model = MLP.init((2, 6, 3), "relu", "cross_entropy", seed=1)
    _, history = train(model, x, labels, "batch", steps=200, learning_rate=0.2)
    assert history[-1] < 0.8 * history[0]


@pytest.mark.parametrize("gradient", list(GRADIENTS))
def test_training_records_the_true_mean_loss(gradient: str) -> None:
    x, y = regression_task()
    model = MLP.init((2, 5, 1), "sigmoid", "mse", seed=2)
    final, history = train(model, x, y, gradient, steps=25, learning_rate=0.1)
    assert history.shape == (26,)
    assert np.all(np.isfinite(history))
    assert history[0] == pytest.approx(model.mean_loss(x, y), rel=1e-14)
    assert history[-1] == pytest.approx(final.mean_loss(x, y), rel=1e-14)
    # one step by hand: θ − η g with the named gradient
    g = {
        "batch": model.batch_gradient(x, y),
        "averaged_input": shortcuts.averaged_input_gradient(model, x, y),
        "averaged_signal": shortcuts.averaged_signal_gradient(model, x, y),
    }[gradient]
    one_step, _ = train(model, x, y, gradient, steps=1, learning_rate=0.1)
    assert_allclose(
        one_step.params.flatten(),
        model.params.flatten() - 0.1 * g.flatten(),
        rtol=1e-14,
        atol=1e-15,
    )
    again, history_again = train(model, x, y, gradient, steps=25, learning_rate=0.1)
    np.testing.assert_array_equal(history_again, history)
    np.testing.assert_array_equal(again.params.flatten(), final.params.flatten())


def test_zero_steps_return_the_model_and_its_loss() -> None:
    x, y = regression_task()
    model = MLP.init((2, 3, 1), seed=4)
    final, history = train(model, x, y, "batch", steps=0, learning_rate=0.1)
    assert history.shape == (1,)
    assert history[0] == pytest.approx(model.mean_loss(x, y))
    np.testing.assert_array_equal(final.params.flatten(), model.params.flatten())


def test_shortcut_training_ends_worse_than_batch_training() -> None:
    x, y = regression_task()
    model = MLP.init((2, 8, 1), "tanh", "mse", seed=0)
    finals = {g: train(model, x, y, g, steps=300, learning_rate=0.05)[1][-1] for g in GRADIENTS}
    assert finals["batch"] < finals["averaged_input"]
    assert finals["batch"] < finals["averaged_signal"]


def test_training_history_keeps_its_values() -> None:
    # Recorded with the implementation before the training code left gradavg.mlp: the
    # refactoring kept every operation in order, so the numbers agree to the last bit.
    w1 = np.array([[0.5, -1.0], [0.25, 0.75]])
    w2 = np.array([[1.0, -0.5], [0.5, 2.0]])
    params = Parameters((w1, w2), (np.array([0.1, -0.2]), np.array([0.0, 0.3])))
    x = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, -1.5]])
    mse = MLP(params, "tanh", "mse")
    y = np.array([[0.5, -0.5], [1.0, 0.0], [-1.0, 2.0]])
    _, history = train(mse, x, y, "averaged_signal", steps=3, learning_rate=0.5)
    assert_allclose(
        history,
        [5.745938937588068, 6.277356045651587, 5.247538525904008, 7.629523599495248],
        rtol=1e-13,
    )
    ce = MLP(params, "tanh", "cross_entropy")
    _, history = train(ce, x, np.array([0, 1, 1]), "averaged_signal", steps=3, learning_rate=0.5)
    assert_allclose(
        history,
        [0.5530910209037337, 0.5651848532575943, 0.5802478724058507, 0.5904483849626124],
        rtol=1e-13,
    )


def test_training_runs_are_the_package_training_runs(
    task: tuple[MLP, np.ndarray, np.ndarray],
) -> None:
    model, x, y = task
    runs = training_runs(model, x, y, steps=15, learning_rate=0.3)
    assert list(runs) == list(GRADIENTS)
    for name, (end, history) in runs.items():
        expected_end, expected_history = train(model, x, y, name, steps=15, learning_rate=0.3)
        np.testing.assert_array_equal(history, expected_history)
        np.testing.assert_array_equal(end.params.flatten(), expected_end.params.flatten())
        assert history.shape == (16,)
        assert history[0] == pytest.approx(model.mean_loss(x, y))
    # The starting point is shared and not modified; the gradients lead to different places.
    assert runs["batch"][1][0] == runs["averaged_signal"][1][0]
    assert runs["batch"][1][-1] < runs["averaged_signal"][1][-1]


def test_training_runs_can_select_gradients(task: tuple[MLP, np.ndarray, np.ndarray]) -> None:
    model, x, y = task
    runs = training_runs(model, x, y, steps=2, learning_rate=0.1, gradients=["averaged_input"])
    assert list(runs) == ["averaged_input"]
    with pytest.raises(ValueError, match="gradient must be one of"):
        training_runs(model, x, y, steps=2, learning_rate=0.1, gradients=["mean"])


MODEL = MLP.init((3, 4, 1), "tanh", "mse", seed=0)
X = np.ones((4, 3))
Y = np.zeros((4, 1))


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        pytest.param(
            lambda: train(MODEL, X, Y, "exact", 1, 0.1),
            ValueError,
            r"gradient must be one of 'batch'",
            id="train-gradient",
        ),
        pytest.param(
            lambda: train(MODEL, X, Y, "batch", -1, 0.1),
            ValueError,
            r"steps must be a non-negative int",
            id="train-steps",
        ),
        pytest.param(
            lambda: train(MODEL, X, Y, "batch", 2.0, 0.1),
            ValueError,
            r"steps must be a non-negative int",
            id="train-steps-float",
        ),
        pytest.param(
            lambda: train(MODEL, X, Y, "batch", 1, 0.0),
            ValueError,
            r"learning_rate must be positive",
            id="train-rate",
        ),
        pytest.param(
            lambda: train(MODEL, X, Y, "batch", 1, np.nan),
            ValueError,
            r"learning_rate contains a NaN",
            id="train-rate-nan",
        ),
        pytest.param(
            lambda: train("model", X, Y, "batch", 1, 0.1),
            TypeError,
            r"model must be an MLP",
            id="train-model",
        ),
        pytest.param(
            lambda: train(MODEL, X, Y, ["batch"], 1, 0.1),
            ValueError,
            r"gradient must be one of 'batch', 'averaged_input', 'averaged_signal'; got \['batch'\]",
            id="train-gradient-list",
        ),
        pytest.param(
            lambda: train(MODEL, X, np.zeros((3, 1)), "batch", 1, 0.1),
            ValueError,
            r"batch sizes differ: x has 4, y has 3",
            id="train-batch",
        ),
    ],
)
def test_bad_input_names_the_argument(call: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()
