"""Batch size and step size (gradavg.scaling) and the chapter's figure."""

from __future__ import annotations

import numpy as np
import pytest

from gradavg.chapters.batch_size import plot_scaling_gap, scaling_gaps
from gradavg.scaling import (
    expected_squared_norm,
    gradient_noise,
    noise_scale_from_two_sizes,
    steps_against_one,
)

RNG = np.random.default_rng(3)
X = RNG.normal(size=8)
Y = 0.8 * X + 0.2 + 0.3 * RNG.normal(size=8)
THETA = np.array([0.1, -0.4])
BATCHES = [(X[:4], Y[:4]), (X[4:], Y[4:])]


pytestmark = pytest.mark.usefixtures("close_figures")


def test_one_batch_is_one_step_either_way() -> None:
    small, large = steps_against_one(THETA, BATCHES[:1], 0.1)
    assert small == pytest.approx(large, abs=1e-15)


def test_the_gap_falls_with_eta_squared() -> None:
    gaps = scaling_gaps(THETA, BATCHES, [1e-3, 1e-4])
    assert gaps[0] / gaps[1] == pytest.approx(100, rel=0.01)


def test_the_second_moment_with_replacement_is_exact() -> None:
    noise = gradient_noise(THETA, X, Y)
    for n in (1, 2, 3):
        exact = expected_squared_norm(THETA, X, Y, n, replace=True)
        assert exact == pytest.approx(noise.squared_norm + noise.trace / n, rel=1e-12)
    both = noise_scale_from_two_sizes(
        expected_squared_norm(THETA, X, Y, 1, replace=True),
        expected_squared_norm(THETA, X, Y, 3, replace=True),
        1,
        3,
    )
    assert both.noise_scale == pytest.approx(noise.noise_scale, rel=1e-10)


def test_without_replacement_the_noise_term_shrinks_by_the_finite_population_factor() -> None:
    noise, m, n = gradient_noise(THETA, X, Y), len(X), 3
    exact = expected_squared_norm(THETA, X, Y, n, replace=False)
    factor = (m - n) / (m - 1)
    assert exact == pytest.approx(noise.squared_norm + factor * noise.trace / n, rel=1e-12)
    assert expected_squared_norm(THETA, X, Y, m, replace=False) == pytest.approx(noise.squared_norm)


def test_the_figure_plots_the_gaps() -> None:
    etas = [1e-3, 1e-2, 1e-1]
    fig = plot_scaling_gap(THETA, BATCHES, etas)
    (line,) = [line for line in fig.axes[0].get_lines() if line.get_gid() == "gap"]
    assert list(line.get_ydata()) == pytest.approx(list(scaling_gaps(THETA, BATCHES, etas)))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: steps_against_one(THETA, [], 0.1), "batches is empty"),
        (lambda: steps_against_one(THETA, BATCHES, 0.0), "eta must be positive"),
        (lambda: steps_against_one(THETA, [(X[:3], Y[:3]), (X[3:], Y[3:])], 0.1), "same size"),
        (lambda: expected_squared_norm(THETA, X, Y, 9, replace=False), "size 9 exceeds"),
        (lambda: expected_squared_norm(THETA, X, Y, 8, replace=True), "too many"),
        (lambda: noise_scale_from_two_sizes(1.0, 0.5, 4, 2), "small_size must be below"),
    ],
)
def test_bad_input_is_named(call: object, message: str) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        call()  # type: ignore[operator]
