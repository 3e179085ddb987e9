"""Gradients of expectations (gradavg.expectation) and the chapter's figure."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gradavg.chapters.expectation import plot_zero_one_risk
from gradavg.expectation import (
    gaussian_estimates,
    minibatch_mean_moments,
    normal_cdf,
    normal_pdf,
    softmax_score,
    zero_one_gradients,
    zero_one_losses,
)

pytestmark = pytest.mark.usefixtures("close_figures")


def test_the_normal_density_is_the_slope_of_the_distribution_function() -> None:
    z, h = np.linspace(-3, 3, 13), 1e-5
    slope = (normal_cdf(z + h) - normal_cdf(z - h)) / (2 * h)
    assert slope == pytest.approx(normal_pdf(z), rel=1e-8)
    assert float(normal_cdf(0.0)) == 0.5


def test_the_zero_one_loss_and_its_derivative() -> None:
    sample = [-1.0, 0.2, 0.7, 2.0]
    assert zero_one_losses(0.5, sample).tolist() == [1.0, 1.0, 0.0, 0.0]
    assert zero_one_gradients(0.5, sample).tolist() == [0.0] * 4
    with pytest.raises(ValueError, match=r"sample\[2\] equals theta = 0.7"):
        zero_one_gradients(0.7, sample)


@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(-2, 2))
def test_the_mean_score_estimate_is_the_gradient(a: float, b: float, theta: float) -> None:
    logits, moves, losses = (
        np.array([a, b, 0.0]),
        np.array([1.0, -1.0, 0.5]),
        np.array([2.0, -1.0, 3.0]),
    )

    def expected(t: float) -> float:
        return float(softmax_score(logits, moves, t)[0] @ losses)

    probabilities, scores = softmax_score(logits, moves, theta)
    h = 1e-6
    slope = (expected(theta + h) - expected(theta - h)) / (2 * h)
    mean, variance = minibatch_mean_moments(losses * scores, probabilities, 2)
    assert mean == pytest.approx(slope, rel=1e-6, abs=1e-8)
    single = minibatch_mean_moments(losses * scores, probabilities, 1)[1]
    assert variance == pytest.approx(single / 2, rel=1e-9, abs=1e-15)


def test_both_gaussian_estimators_average_to_two_theta() -> None:
    noise = np.random.default_rng(0).normal(size=200_000)
    pathwise, score = gaussian_estimates(1.0, noise)
    assert pathwise.mean() == pytest.approx(2.0, abs=0.02)
    assert score.mean() == pytest.approx(2.0, abs=0.1)
    assert pathwise.var() == pytest.approx(4.0, rel=0.02)
    assert score.var() == pytest.approx(30.0, rel=0.1)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: minibatch_mean_moments([1.0, 2.0], [0.5, 0.6], 2), "sum to 1"),
        (lambda: minibatch_mean_moments([1.0, 2.0], [1.0], 2), "values has 2 outcomes"),
        (lambda: minibatch_mean_moments([1.0, 2.0], [0.5, 0.5], 0), "batch_size must be positive"),
        (lambda: minibatch_mean_moments([1.0, 2.0], [0.5, 0.5], 40), "to enumerate"),
        (lambda: softmax_score([1.0], [1.0], 0.0), "K ≥ 2"),
        (lambda: zero_one_losses(math.nan, [1.0]), "theta contains"),
        (lambda: gaussian_estimates(0.0, []), "noise is an empty batch"),
    ],
)
def test_bad_input_is_named(call: object, message: str) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        call()  # type: ignore[operator]


def test_the_figure_draws_the_staircase_the_curve_and_both_slopes() -> None:
    sample = [-1.0, 0.0, 0.4, 1.5]
    fig = plot_zero_one_risk(sample, 0.2)
    (ax,) = fig.axes
    lines = {line.get_gid(): line for line in ax.get_lines()}
    assert set(lines) == {"empirical", "expected", "tangent", "flat"}
    assert set(lines["empirical"].get_ydata()) == {0.0, 0.25, 0.5, 0.75, 1.0}
    assert list(lines["flat"].get_xdata()) == [0.0, 0.4]  # the step that holds θ = 0.2
    assert list(lines["flat"].get_ydata()) == [0.5, 0.5]
    x, y = lines["tangent"].get_data()
    assert (y[1] - y[0]) / (x[1] - x[0]) == pytest.approx(float(normal_pdf(0.2)))
    with pytest.raises(ValueError, match="increasing"):
        plot_zero_one_risk(sample, 0.2, (1.0, -1.0))
