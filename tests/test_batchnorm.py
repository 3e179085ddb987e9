"""Batch normalisation: forward values, the backward pass against two references, the
zero-sum property, the coupled per-example gradients and bad input."""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gradavg._validation import FloatArray
from gradavg.batchnorm import (
    accumulated_gradients,
    batch_norm,
    batch_norm_backward,
    coupled_gradients,
    normalisation_jacobian,
    normalise,
    running_estimate,
    scale_shift_gradients,
)
from gradavg.finite_differences import central_difference_gradient

bounded = st.floats(-10.0, 10.0, allow_nan=False, allow_infinity=False)


@st.composite
def spread_batches(draw: st.DrawFn) -> FloatArray:
    """A batch (N, D), 2 ≤ N ≤ 12, whose features are not all equal."""
    n, d = draw(st.integers(2, 12)), draw(st.integers(1, 3))
    x = draw(arrays(np.float64, (n, d), elements=bounded))
    x[1] = x[0] + 2.0 * np.arange(1, d + 1)  # every feature has a spread of at least 2
    return x


def reference(x: FloatArray, gamma: FloatArray, beta: FloatArray, eps: float) -> FloatArray:
    """The forward pass written with autograd.numpy, independent of the package."""
    mu = anp.mean(x, axis=0)
    var = anp.mean((x - mu) ** 2, axis=0)
    return gamma * (x - mu) / anp.sqrt(var + eps) + beta


def test_known_values() -> None:
    out = normalise([1.0, 3.0], eps=0.0)
    np.testing.assert_allclose(out, [-1.0, 1.0])
    np.testing.assert_allclose(batch_norm([1.0, 3.0], 2.0, 0.5, eps=0.0), [-1.5, 2.5])
    # σ² = 1 (biased), ε = 3: scale 2
    np.testing.assert_allclose(normalise([0.0, 2.0], eps=3.0), [-0.5, 0.5])


def test_features_are_normalised_separately() -> None:
    x = np.array([[0.0, 10.0], [2.0, 30.0], [4.0, 20.0]])
    out = batch_norm(x, gamma=[1.0, 2.0], beta=[0.0, -1.0], eps=0.0)
    np.testing.assert_allclose(out[:, 0], normalise(x[:, 0], eps=0.0))
    np.testing.assert_allclose(out[:, 1], 2.0 * normalise(x[:, 1], eps=0.0) - 1.0)


@given(spread_batches())
def test_normalised_outputs_have_mean_zero_and_unit_variance(x: FloatArray) -> None:
    x_hat = normalise(x, eps=0.0)
    np.testing.assert_allclose(x_hat.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(np.mean(x_hat**2, axis=0), 1.0, rtol=1e-10)


@given(spread_batches(), st.floats(1e-6, 1.0))
def test_backward_matches_autograd(x: FloatArray, eps: float) -> None:
    rng = np.random.default_rng(x.shape[0])
    gamma, beta = rng.normal(size=x.shape[1]), rng.normal(size=x.shape[1])
    upstream = rng.normal(size=x.shape)

    def objective(x_: FloatArray, g_: FloatArray, b_: FloatArray) -> FloatArray:
        return anp.sum(upstream * reference(x_, g_, b_, eps))

    got = batch_norm_backward(x, upstream, gamma, eps)
    np.testing.assert_allclose(got.x, grad(objective, 0)(x, gamma, beta), atol=1e-9)
    np.testing.assert_allclose(got.gamma, grad(objective, 1)(x, gamma, beta), atol=1e-9)
    np.testing.assert_allclose(got.beta, grad(objective, 2)(x, gamma, beta), atol=1e-9)


def test_backward_matches_finite_differences() -> None:
    rng = np.random.default_rng(3)
    x, upstream = rng.normal(size=(5, 2)), rng.normal(size=(5, 2))
    gamma = np.array([1.5, -0.7])
    numeric = central_difference_gradient(
        lambda v: np.sum(upstream * batch_norm(v, gamma, 0.3)), x, step=1e-6
    )
    np.testing.assert_allclose(batch_norm_backward(x, upstream, gamma).x, numeric, atol=1e-7)


def test_forward_matches_autograd_reference() -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(7, 3))
    gamma, beta = rng.normal(size=3), rng.normal(size=3)
    np.testing.assert_allclose(batch_norm(x, gamma, beta), reference(x, gamma, beta, 1e-5))


@given(spread_batches(), st.floats(0.0, 1.0))
def test_input_gradient_sums_to_zero_over_the_batch(x: FloatArray, eps: float) -> None:
    upstream = np.cos(np.arange(x.size, dtype=float)).reshape(x.shape) * 3.0
    grad_x = batch_norm_backward(x, upstream, gamma=2.0, eps=eps).x
    scale = np.max(np.abs(grad_x)) + 1.0
    np.testing.assert_allclose(grad_x.sum(axis=0) / scale, 0.0, atol=1e-12)


@given(spread_batches(), bounded)
def test_a_common_shift_changes_nothing(x: FloatArray, shift: float) -> None:
    np.testing.assert_allclose(normalise(x + shift), normalise(x), atol=1e-9)


@given(spread_batches())
def test_jacobian_matches_autograd_and_its_rows_sum_to_zero(x: FloatArray) -> None:
    column = x[:, 0]
    jacobian = normalisation_jacobian(column)
    for row in range(column.size):
        reference_row = grad(lambda v, r=row: reference(v, 1.0, 0.0, 1e-5)[r])(column)
        np.testing.assert_allclose(jacobian[row], reference_row, atol=1e-9)
    np.testing.assert_allclose(jacobian.sum(axis=1), 0.0, atol=1e-9)
    assert normalisation_jacobian(x).shape == (x.shape[1], x.shape[0], x.shape[0])


def test_jacobian_at_three_inputs_has_the_closed_form() -> None:
    x, eps = np.array([0.0, 1.0, 3.0]), 1e-5
    x_hat, scale = normalise(x, eps), np.sqrt(np.var(x) + eps)
    expected = -(1.0 + x_hat[0] * x_hat[1]) / (3.0 * scale)
    assert normalisation_jacobian(x, eps)[0, 1] == pytest.approx(expected, rel=1e-12)
    assert expected != 0.0


def test_coupled_gradients_three_ways() -> None:
    rng = np.random.default_rng(7)
    x, y = rng.normal(1.0, 2.0, size=6), rng.normal(size=6)
    demo = coupled_gradients(x, y, gamma=1.5, beta=0.2)
    np.testing.assert_allclose(demo.mean_of_gradients, demo.batch_gradient, atol=1e-14)
    np.testing.assert_array_equal(demo.alone, 0.0)
    assert np.max(np.abs(demo.cross_terms)) > 0.1  # the losses are coupled
    assert not np.allclose(np.diag(demo.jacobian), demo.frozen)

    def loss_of_first(v: FloatArray) -> float:
        return float(0.5 * (batch_norm(v, 1.5, 0.2) - y)[0] ** 2)

    numeric = central_difference_gradient(loss_of_first, x, step=1e-6)
    np.testing.assert_allclose(demo.jacobian[0], numeric, atol=1e-7)
    np.testing.assert_allclose(demo.losses, 0.5 * (batch_norm(x, 1.5, 0.2) - y) ** 2)


def test_frozen_statistics_gradient() -> None:
    x, y = np.array([0.0, 1.0, 3.0]), np.array([0.5, -1.0, 2.0])
    demo = coupled_gradients(x, y, gamma=2.0, beta=0.0)
    residual = 2.0 * normalise(x) - y
    np.testing.assert_allclose(demo.frozen, residual * 2.0 / np.sqrt(np.var(x) + 1e-5))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: normalise([2.0], eps=0.0), "zero variance"),
        (lambda: normalise([1.0, 1.0, 1.0], eps=0.0), "zero variance"),
        (lambda: normalise([1.0, 2.0], eps=-1e-3), "eps must be ≥ 0"),
        (lambda: normalise([], eps=1e-5), "x is an empty batch"),
        (lambda: normalise([1.0, np.nan]), "x contains a NaN"),
        (lambda: normalise(np.ones((2, 2, 2))), "x must have 1 or 2 dimension"),
        (lambda: batch_norm([[1.0, 2.0], [3.0, 5.0]], gamma=[1.0, 2.0, 3.0]), "gamma"),
        (lambda: batch_norm([1.0, 2.0], beta=np.inf), "beta"),
        (lambda: batch_norm_backward([1.0, 2.0], [1.0, 2.0, 3.0]), "grad_out must have"),
        (lambda: coupled_gradients([1.0, 2.0], [1.0]), "batch sizes differ"),
        (lambda: coupled_gradients([1.0, 2.0], [1.0, 0.0], eps=0.0), "eps must be > 0"),
    ],
)
def test_bad_input_is_named(call: object, message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        call()  # type: ignore[operator]


def test_a_batch_of_one_with_eps_has_zero_gradient() -> None:
    np.testing.assert_array_equal(normalisation_jacobian([4.2]), [[0.0]])
    assert normalise([4.2])[0] == 0.0


def test_plot_coupling_draws_both_matrices_on_one_scale() -> None:
    import matplotlib.pyplot as plt

    from gradavg.chapters.coupled_losses import plot_coupling

    demo = coupled_gradients([0.0, 1.0, 3.0, -2.0], [0.5, -1.0, 2.0, 0.0], gamma=1.5)
    fig = plot_coupling(demo.jacobian, demo.frozen)
    images = {image.get_gid(): image for ax in fig.axes for image in ax.get_images()}
    np.testing.assert_array_equal(images["coupled"].get_array(), demo.jacobian)
    np.testing.assert_array_equal(images["frozen"].get_array(), np.diag(demo.frozen))
    assert images["coupled"].get_clim() == images["frozen"].get_clim()
    with pytest.raises(ValueError, match="frozen must have 4 entries"):
        plot_coupling(demo.jacobian, demo.frozen[:3])
    plt.close("all")


def test_accumulated_batchnorm_gradients_differ_from_the_full_batch() -> None:
    rng = np.random.default_rng(6)
    x = 2 * rng.normal(size=8) + 1
    y = 0.5 * x + 0.3 * rng.normal(size=8)
    full = scale_shift_gradients(x, y, 1.2, 0.1)
    assert accumulated_gradients(x, y, np.array([8]), 1.2, 0.1) == pytest.approx(full)
    split = accumulated_gradients(x, y, np.array([4, 4]), 1.2, 0.1)
    assert split[1] == pytest.approx(full[1], abs=1e-15)
    assert abs(split[0] - full[0]) > 0.1
    with pytest.raises(ValueError, match="add up to the 8 examples"):
        accumulated_gradients(x, y, np.array([4, 3]))


def test_the_running_estimate_follows_pytorchs_update() -> None:
    assert running_estimate([1.0, 1.0, 1.0, 1.0], 0.1) == pytest.approx(1 - 0.9**4)
    assert running_estimate([2.0], 1.0, start=5.0) == 2.0
    with pytest.raises(ValueError, match="momentum must be in"):
        running_estimate([1.0], 0.0)
