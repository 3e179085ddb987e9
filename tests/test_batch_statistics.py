"""The log-mean-exp and the bias of its minibatch gradient (gradavg.batch_statistics),
and the chapter's exact expectation and figure."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from gradavg.batch_statistics import (
    expected_minibatch_gradient,
    log_mean_exp,
    log_mean_exp_gradient,
    moving_average_gradients,
)
from gradavg.chapters.batch_statistics import exact_gradients, plot_minibatch_bias

DATA = [-1.0, 0.0, 1.0, 2.0]


pytestmark = pytest.mark.usefixtures("close_figures")


@given(st.floats(-3, 3), st.lists(st.floats(-5, 5), min_size=1, max_size=6))
def test_the_gradient_is_the_slope_of_the_log_mean_exp(theta: float, x: list[float]) -> None:
    h = 1e-6
    slope = (log_mean_exp(theta + h, x) - log_mean_exp(theta - h, x)) / (2 * h)
    assert log_mean_exp_gradient(theta, x) == pytest.approx(slope, rel=1e-5, abs=1e-6)


def test_the_expectation_over_minibatches_is_exact() -> None:
    expected, full = exact_gradients([-1, 0, 1, 2], sp.Integer(1), 2)
    assert expected_minibatch_gradient(1.0, DATA, 2) == pytest.approx(float(expected), rel=1e-13)
    assert log_mean_exp_gradient(1.0, DATA) == pytest.approx(float(full), rel=1e-13)
    assert expected_minibatch_gradient(1.0, DATA, len(DATA)) == log_mean_exp_gradient(1.0, DATA)
    assert expected_minibatch_gradient(0.0, DATA, 1) == pytest.approx(
        np.mean(DATA)
    )  # no bias at θ = 0


def test_a_running_average_removes_most_of_the_bias() -> None:
    full = log_mean_exp_gradient(1.0, DATA)
    plain, corrected = moving_average_gradients(1.0, DATA, 2, 20_000, 0.99, seed=0)
    exact = expected_minibatch_gradient(1.0, DATA, 2) - full
    assert np.mean(plain) - full == pytest.approx(exact, abs=0.02)
    assert abs(np.mean(corrected[1000:]) - full) < abs(exact) / 5
    same, same_too = moving_average_gradients(1.0, DATA, 2, 50, 0.0, seed=0)
    assert np.array_equal(same, same_too)  # decay 0: the plain estimate


def test_the_figure_plots_the_exact_bias_at_every_size() -> None:
    fig = plot_minibatch_bias(1.0, DATA)
    (line,) = [line for line in fig.axes[0].get_lines() if line.get_gid() == "bias"]
    full = log_mean_exp_gradient(1.0, DATA)
    expected = [expected_minibatch_gradient(1.0, DATA, n) - full for n in (1, 2, 3, 4)]
    assert list(line.get_ydata()) == pytest.approx(expected)
    assert line.get_ydata()[-1] == 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: log_mean_exp(1000.0, [1.0]), "exp would overflow"),
        (lambda: expected_minibatch_gradient(1.0, DATA, 5), "size 5 exceeds the 4 examples"),
        (lambda: expected_minibatch_gradient(1.0, list(range(60)), 30), "to enumerate"),
        (lambda: moving_average_gradients(1.0, DATA, 2, 10, 1.0, seed=0), "decay must be in"),
        (lambda: moving_average_gradients(1.0, DATA, 2, 0, 0.5, seed=0), "steps must be positive"),
        (lambda: exact_gradients([1, 2], sp.Integer(1), 3), "size must be between 1 and 2"),
        (lambda: log_mean_exp_gradient(1.0, []), "x is an empty batch"),
    ],
)
def test_bad_input_is_named(call: object, message: str) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        call()  # type: ignore[operator]
