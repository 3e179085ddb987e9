"""Tests for gradavg.mlp and gradavg.shortcuts: exact gradients three ways, the shortcuts,
the loss records, bad input.

Tolerances used below:

* mean of per-example gradients vs batch gradient: rtol 1e-10, atol 1e-12 (same
  arithmetic, different summation order);
* finite differences (step 1e-6) vs batch gradient: rtol 1e-5, atol 1e-7 (rounding error
  about ε J / step ≈ 1e-10 J, truncation about step² ≈ 1e-12);
* autograd vs batch gradient: rtol 1e-10, atol 1e-12.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import assume, given, settings
from numpy.testing import assert_allclose

from gradavg.activations import ACTIVATIONS as ACTIVATION_RECORDS
from gradavg.comparison import gradient_comparison
from gradavg.losses import LOSSES as LOSS_RECORDS
from gradavg.losses import Loss, get_loss, log_softmax, softmax
from gradavg.mlp import MLP
from gradavg.parameters import Parameters
from gradavg.shortcuts import averaged_input_gradient, averaged_signal_gradient

ACTIVATIONS = ("sigmoid", "tanh", "relu")
LOSSES = ("mse", "cross_entropy")
KINK_MARGIN = 1e-3


@dataclasses.dataclass(frozen=True)
class Case:
    """A random network with a batch of data."""

    model: MLP
    x: np.ndarray
    y: np.ndarray


def random_targets(
    rng: np.random.Generator, loss: str, n: int, d_out: int, *, labels: bool
) -> np.ndarray:
    if loss == "mse":
        return rng.normal(size=(n, d_out))
    if labels:
        return rng.integers(0, d_out, size=n)
    logits = rng.normal(size=(n, d_out))
    return np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)


def make_case(
    widths: tuple[int, ...],
    activation: str,
    loss: str,
    n: int,
    seed: int,
    *,
    labels: bool = False,
) -> Case:
    """Glorot weights, random biases (so that relu pre-activations are not all tied)."""
    rng = np.random.default_rng(seed)
    base = MLP.init(widths, activation, loss, seed=seed)
    biases = tuple(0.5 * rng.normal(size=b.shape) for b in base.params.biases)
    model = MLP(Parameters(base.params.weights, biases), activation, loss)
    x = rng.normal(size=(n, widths[0]))
    return Case(model, x, random_targets(rng, loss, n, widths[-1], labels=labels))


def far_from_kinks(case: Case) -> bool:
    """True unless a relu pre-activation lies within KINK_MARGIN of 0."""
    if case.model.activation != "relu":
        return True
    hidden = case.model.forward(case.x).pre_activations[:-1]
    return all(np.min(np.abs(z)) > KINK_MARGIN for z in hidden)


@st.composite
def cases(draw: st.DrawFn, *, n_layers: int | None = None, batch: int | None = None) -> Case:
    loss = draw(st.sampled_from(LOSSES))
    activation = draw(st.sampled_from(ACTIVATIONS))
    layers = n_layers if n_layers is not None else draw(st.integers(1, 5))
    hidden = draw(st.lists(st.integers(1, 6), min_size=layers - 1, max_size=layers - 1))
    d_in = draw(st.integers(1, 6))
    d_out = draw(st.integers(2 if loss == "cross_entropy" else 1, 6))
    n = batch if batch is not None else draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**32 - 1))
    labels = draw(st.booleans())
    case = make_case((d_in, *hidden, d_out), activation, loss, n, seed, labels=labels)
    assume(far_from_kinks(case))
    return case


def assert_parameters_close(
    actual: Parameters, desired: Parameters, *, rtol: float, atol: float
) -> None:
    assert actual.n_layers == desired.n_layers
    for kind in ("weights", "biases"):
        for a, d in zip(getattr(actual, kind), getattr(desired, kind), strict=True):
            assert a.shape == d.shape
            assert_allclose(a, d, rtol=rtol, atol=atol)


def mean_over_examples(per_example: Parameters) -> Parameters:
    return Parameters(
        tuple(w.mean(axis=0) for w in per_example.weights),
        tuple(b.mean(axis=0) for b in per_example.biases),
    )


# -- exact gradients ------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(cases())
def test_per_example_mean_equals_batch_gradient(case: Case) -> None:
    per_example = case.model.per_example_gradients(case.x, case.y)
    n = case.x.shape[0]
    for w, b, w_model in zip(
        per_example.weights, per_example.biases, case.model.params.weights, strict=True
    ):
        assert w.shape == (n, *w_model.shape)
        assert b.shape == (n, w_model.shape[1])
    batch = case.model.batch_gradient(case.x, case.y)
    assert_parameters_close(mean_over_examples(per_example), batch, rtol=1e-10, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(cases())
def test_batch_gradient_matches_finite_differences(case: Case) -> None:
    batch = case.model.batch_gradient(case.x, case.y)
    numeric = case.model.finite_difference_gradient(case.x, case.y)
    assert_parameters_close(batch, numeric, rtol=1e-5, atol=1e-7)


@settings(max_examples=50, deadline=None)
@given(cases())
def test_per_example_gradient_of_one_example_is_its_batch_gradient(case: Case) -> None:
    per_example = case.model.per_example_gradients(case.x, case.y)
    last = case.x.shape[0] - 1
    alone = case.model.batch_gradient(case.x[last:], case.y[last:])
    row = Parameters(
        tuple(w[last] for w in per_example.weights),
        tuple(b[last] for b in per_example.biases),
    )
    assert_parameters_close(row, alone, rtol=1e-10, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(cases())
def test_per_example_gradients_into_reused_arrays(case: Case) -> None:
    fresh = case.model.per_example_gradients(case.x, case.y)
    buffer = Parameters(
        tuple(np.full_like(w, np.nan) for w in fresh.weights),
        tuple(np.full_like(b, np.nan) for b in fresh.biases),
    )
    assert case.model.per_example_gradients(case.x, case.y, out=buffer) is buffer
    assert_parameters_close(buffer, fresh, rtol=0, atol=0)
    # The same arrays again, for the batch in reverse order.
    reversed_fresh = case.model.per_example_gradients(case.x[::-1], case.y[::-1])
    case.model.per_example_gradients(case.x[::-1], case.y[::-1], out=buffer)
    assert_parameters_close(buffer, reversed_fresh, rtol=0, atol=0)


def autograd_mean_loss(
    weights: list[Any],
    biases: list[Any],
    x: np.ndarray,
    y: np.ndarray,
    activation: str,
    loss: str,
) -> Any:
    """The objective J written independently with autograd.numpy."""
    import autograd.numpy as anp

    sigma = {
        "sigmoid": lambda z: 1.0 / (1.0 + anp.exp(-z)),
        "tanh": anp.tanh,
        "relu": lambda z: anp.where(z > 0, z, 0.0),
    }[activation]
    h = x
    for w, b in zip(weights[:-1], biases[:-1], strict=True):
        h = sigma(anp.dot(h, w) + b)
    z = anp.dot(h, weights[-1]) + biases[-1]
    if loss == "mse":
        return anp.mean(anp.sum((z - y) ** 2, axis=1))
    shifted = z - anp.max(z, axis=1, keepdims=True)
    log_p = shifted - anp.log(anp.sum(anp.exp(shifted), axis=1, keepdims=True))
    return anp.mean(-anp.sum(y * log_p, axis=1))


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_batch_gradient_matches_autograd(activation: str, loss: str, seed: int) -> None:
    import autograd

    case = make_case((4, 5, 3, 3), activation, loss, 7, seed)
    assert far_from_kinks(case)
    weights, biases = list(case.model.params.weights), list(case.model.params.biases)
    gradient = autograd.grad(autograd_mean_loss, argnum=(0, 1))
    grad_w, grad_b = gradient(weights, biases, case.x, case.y, activation, loss)
    reference = Parameters(tuple(grad_w), tuple(grad_b))
    value = autograd_mean_loss(weights, biases, case.x, case.y, activation, loss)
    assert case.model.mean_loss(case.x, case.y) == pytest.approx(float(value), rel=1e-12)
    assert_parameters_close(
        case.model.batch_gradient(case.x, case.y), reference, rtol=1e-10, atol=1e-12
    )


def test_integer_labels_equal_one_hot_rows() -> None:
    case = make_case((3, 4, 5), "tanh", "cross_entropy", 6, seed=3, labels=True)
    one_hot = np.eye(5)[case.y]
    assert_allclose(
        case.model.per_example_losses(case.x, case.y),
        case.model.per_example_losses(case.x, one_hot),
        rtol=0,
        atol=0,
    )
    assert_parameters_close(
        case.model.batch_gradient(case.x, case.y),
        case.model.batch_gradient(case.x, one_hot),
        rtol=0,
        atol=0,
    )


def test_losses_match_their_definitions() -> None:
    case = make_case((3, 4, 2), "sigmoid", "mse", 5, seed=4)
    y_hat = case.model.predict(case.x)
    assert_allclose(
        case.model.per_example_losses(case.x, case.y),
        ((y_hat - case.y) ** 2).sum(axis=1),
        rtol=1e-14,
    )
    assert case.model.mean_loss(case.x, case.y) == pytest.approx(
        ((y_hat - case.y) ** 2).sum(axis=1).mean()
    )

    ce = make_case((3, 4, 3), "sigmoid", "cross_entropy", 5, seed=4, labels=True)
    p = ce.model.predict(ce.x)
    assert_allclose(p.sum(axis=1), 1.0, rtol=1e-14)
    assert_allclose(
        ce.model.per_example_losses(ce.x, ce.y),
        -np.log(p[np.arange(5), ce.y]),
        rtol=1e-12,
    )


def test_mse_accepts_a_target_vector_for_one_output() -> None:
    case = make_case((2, 3, 1), "tanh", "mse", 4, seed=5)
    assert_parameters_close(
        case.model.batch_gradient(case.x, case.y[:, 0]),
        case.model.batch_gradient(case.x, case.y),
        rtol=0,
        atol=0,
    )


def test_softmax_and_log_softmax_are_stable_for_huge_logits() -> None:
    z = np.array([[1000.0, 0.0, -1000.0], [-1e300, 0.0, 1e300]])
    assert_allclose(log_softmax(z)[0], [0.0, -1000.0, -2000.0])
    assert_allclose(softmax(z), [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])


def test_saturated_network_gives_finite_loss_and_gradient() -> None:
    # Huge weights saturate the sigmoid and push the logits to ±1e4: no overflow warnings
    # (pytest turns them into errors) and a cross-entropy that equals the logit margin.
    w1 = np.array([[1e4, -1e4]])
    w2 = np.array([[1.0, 0.0], [0.0, 1.0]]) * 1e4
    model = MLP(Parameters((w1, w2), (np.zeros(2), np.zeros(2))), "sigmoid", "cross_entropy")
    x = np.array([[1.0]])
    loss = model.per_example_losses(x, np.array([1]))
    assert loss[0] == pytest.approx(1e4)
    gradient = model.batch_gradient(x, np.array([1]))
    assert np.all(np.isfinite(gradient.flatten()))


# -- loss and activation records -----------------------------------------------------


def test_loss_records_are_named_and_resolved_once() -> None:
    assert tuple(LOSS_RECORDS) == LOSSES
    for name in LOSSES:
        record = get_loss(name)
        assert isinstance(record, Loss)
        assert record is LOSS_RECORDS[name]
        assert record.name == name
    model = MLP.init((2, 3, 2), "relu", "cross_entropy", seed=0)
    assert model.loss_fn is LOSS_RECORDS["cross_entropy"]
    assert model.activation_fn is ACTIVATION_RECORDS["relu"]
    # A model made from another (as gradient descent does) resolves its records again.
    moved = dataclasses.replace(model, params=model.params)
    assert moved.loss_fn is model.loss_fn
    assert moved.activation_fn is model.activation_fn
    # The records do not take part in equality: same parameters and names, equal models.
    assert moved == model


@pytest.mark.parametrize("loss", LOSSES)
def test_loss_records_match_their_definitions(loss: str) -> None:
    case = make_case((3, 4, 3), "tanh", loss, 5, seed=6)
    record = case.model.loss_fn
    forward = case.model.forward(case.x)
    _, targets = case.model.check_batch(case.x, case.y)
    if loss == "mse":
        np.testing.assert_array_equal(forward.output, forward.logits)
        expected_losses = ((forward.output - targets) ** 2).sum(axis=1)
        expected_error = 2 * (forward.output - targets)
    else:
        assert_allclose(forward.output, softmax(forward.logits), rtol=1e-15)
        expected_losses = -(targets * np.log(forward.output)).sum(axis=1)
        expected_error = forward.output - targets
    assert_allclose(record.per_example(forward, targets), expected_losses, rtol=1e-12)
    assert_allclose(record.output_error(forward, targets), expected_error, rtol=1e-15)
    assert_allclose(record.output(forward.logits), forward.output, rtol=0, atol=0)


def test_check_batch_returns_targets_with_one_row_per_example() -> None:
    ce = MLP.init((3, 4, 3), "tanh", "cross_entropy", seed=0)
    inputs, targets = ce.check_batch([[0.0, 1.0, 2.0], [1.0, 1.0, 1.0]], [2, 0])
    assert inputs.shape == (2, 3)
    np.testing.assert_array_equal(targets, [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    mse = MLP.init((3, 1), seed=0)
    _, column = mse.check_batch(np.zeros((2, 3)), [0.5, -0.5])
    np.testing.assert_array_equal(column, [[0.5], [-0.5]])


@pytest.mark.parametrize(
    ("name", "error", "match"),
    [
        ("hinge", ValueError, r"loss must be one of 'mse', 'cross_entropy'; got 'hinge'"),
        ("MSE", ValueError, r"got 'MSE'"),
        (None, TypeError, r"loss must be a string, got NoneType None"),
        (2, TypeError, r"loss must be a string, got int 2"),
    ],
)
def test_get_loss_names_the_bad_value(name: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        get_loss(name)
    with pytest.raises(error, match=match):
        MLP.init((2, 1), loss=name)


# -- Parameters -----------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(cases())
def test_flatten_round_trips_and_orders_layers(case: Case) -> None:
    params = case.model.params
    flat = params.flatten()
    assert flat.shape == (params.size,)
    back = Parameters.unflatten(flat, params)
    assert_parameters_close(back, params, rtol=0, atol=0)
    first = params.weights[0].size
    assert_allclose(flat[:first], params.weights[0].ravel(), rtol=0, atol=0)
    assert_allclose(flat[first : first + params.biases[0].size], params.biases[0], rtol=0, atol=0)


@settings(max_examples=30, deadline=None)
@given(cases())
def test_per_example_flatten_has_one_row_per_example(case: Case) -> None:
    per_example = case.model.per_example_gradients(case.x, case.y)
    rows = per_example.flatten(per_example=True)
    n = case.x.shape[0]
    assert rows.shape == (n, case.model.params.size)
    assert per_example.size == n * case.model.params.size
    assert_allclose(
        rows.mean(axis=0),
        case.model.batch_gradient(case.x, case.y).flatten(),
        rtol=1e-10,
        atol=1e-12,
    )


# -- shortcuts ------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(cases(batch=1))
def test_shortcuts_are_exact_for_one_example(case: Case) -> None:
    batch = case.model.batch_gradient(case.x, case.y)
    assert_parameters_close(
        averaged_input_gradient(case.model, case.x, case.y),
        batch,
        rtol=1e-12,
        atol=1e-14,
    )
    assert_parameters_close(
        averaged_signal_gradient(case.model, case.x, case.y),
        batch,
        rtol=1e-12,
        atol=1e-14,
    )


@settings(max_examples=30, deadline=None)
@given(cases(batch=1), st.integers(2, 6))
def test_shortcuts_are_exact_for_identical_examples(case: Case, copies: int) -> None:
    x, y = np.repeat(case.x, copies, axis=0), np.repeat(case.y, copies, axis=0)
    batch = case.model.batch_gradient(x, y)
    assert_parameters_close(
        averaged_input_gradient(case.model, x, y), batch, rtol=1e-10, atol=1e-12
    )
    assert_parameters_close(
        averaged_signal_gradient(case.model, x, y), batch, rtol=1e-10, atol=1e-12
    )


@settings(max_examples=40, deadline=None)
@given(cases())
def test_averaged_input_gradient_is_the_gradient_at_the_mean_example(
    case: Case,
) -> None:
    y = case.y
    if case.model.loss == "cross_entropy" and y.ndim == 1:
        y = np.eye(case.model.widths[-1])[y]
    x_bar, y_bar = case.x.mean(axis=0, keepdims=True), y.mean(axis=0, keepdims=True)
    assume(far_from_kinks(Case(case.model, x_bar, y_bar)))
    numeric = case.model.finite_difference_gradient(x_bar, y_bar)
    shortcut = averaged_input_gradient(case.model, case.x, case.y)
    assert_parameters_close(shortcut, numeric, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("shortcut", [averaged_input_gradient, averaged_signal_gradient])
def test_shortcuts_are_wrong_for_a_generic_batch(
    activation: str, loss: str, shortcut: Callable[[MLP, Any, Any], Parameters]
) -> None:
    case = make_case((3, 5, 4, 3), activation, loss, 16, seed=11)
    batch = case.model.batch_gradient(case.x, case.y)
    approximation = shortcut(case.model, case.x, case.y)
    rows = gradient_comparison(batch, approximation)
    assert len(rows) == 3
    assert [row.layer for row in rows] == [1, 2, 3]
    # every weight gradient is off by more than 1 %
    assert min(row.weight_relative_error for row in rows) > 1e-2
    assert all(row.weight_cosine < 1 - 1e-6 for row in rows)


@settings(max_examples=100, deadline=None)
@given(cases())
def test_averaged_signal_output_bias_is_exact(case: Case) -> None:
    batch = case.model.batch_gradient(case.x, case.y)
    shortcut = averaged_signal_gradient(case.model, case.x, case.y)
    assert_allclose(shortcut.biases[-1], batch.biases[-1], rtol=1e-14, atol=1e-16)
    rows = gradient_comparison(batch, shortcut)
    assert rows[-1].bias_relative_error < 1e-14


@settings(max_examples=100, deadline=None)
@given(cases(n_layers=2))
def test_output_weight_error_of_averaged_signal_is_a_covariance(case: Case) -> None:
    # ∇W₂ − h̄ δ̄ᵀ = (1/N) Σ (h_i − h̄)(δ_i − δ̄)ᵀ for a one-hidden-layer network
    forward = case.model.forward(case.x)
    h = forward.activations[1]
    y = case.y
    if case.model.loss == "cross_entropy" and y.ndim == 1:
        y = np.eye(forward.output.shape[1])[y]
    delta = 2 * (forward.output - y) if case.model.loss == "mse" else forward.output - y
    n = case.x.shape[0]
    covariance = (h - h.mean(axis=0)).T @ (delta - delta.mean(axis=0)) / n
    batch = case.model.batch_gradient(case.x, case.y)
    shortcut = averaged_signal_gradient(case.model, case.x, case.y)
    assert_allclose(
        shortcut.weights[1],
        np.outer(h.mean(axis=0), delta.mean(axis=0)),
        rtol=1e-12,
        atol=1e-14,
    )
    assert_allclose(batch.weights[1] - shortcut.weights[1], covariance, rtol=1e-9, atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(
    st.integers(1, 5),
    st.integers(1, 4),
    st.integers(1, 8),
    st.integers(0, 2**32 - 1),
)
def test_averaged_input_bias_is_exact_for_a_linear_mse_model(
    d_in: int, d_out: int, n: int, seed: int
) -> None:
    # With no hidden layer, the mean residual is affine in (x̄, ȳ): only ∇W is wrong.
    case = make_case((d_in, d_out), "sigmoid", "mse", n, seed)
    batch = case.model.batch_gradient(case.x, case.y)
    shortcut = averaged_input_gradient(case.model, case.x, case.y)
    assert_allclose(shortcut.biases[0], batch.biases[0], rtol=1e-10, atol=1e-12)
    # ∇W − ∇W(x̄) = (2/N) Σ (x_i − x̄)ᵀ (r_i − r̄) with residuals r = xW + b − y
    residual = case.x @ case.model.params.weights[0] + case.model.params.biases[0] - case.y
    covariance = 2 * (case.x - case.x.mean(axis=0)).T @ (residual - residual.mean(axis=0)) / n
    assert_allclose(batch.weights[0] - shortcut.weights[0], covariance, rtol=1e-9, atol=1e-12)


def test_gradient_comparison_values() -> None:
    reference = Parameters((np.array([[3.0, 4.0]]),), (np.array([1.0, 0.0]),))
    approximation = Parameters((np.array([[3.0, 4.0]]) * 2,), (np.array([0.0, 1.0]),))
    (row,) = gradient_comparison(reference, approximation)
    assert row.layer == 1
    assert row.weight_relative_error == pytest.approx(1.0)
    assert row.weight_cosine == pytest.approx(1.0)
    assert row.bias_relative_error == pytest.approx(np.sqrt(2.0))
    assert row.bias_cosine == pytest.approx(0.0)
    zero = Parameters((np.zeros((1, 2)),), (np.zeros(2),))
    (same,) = gradient_comparison(zero, zero)
    assert same.weight_relative_error == 0.0
    assert np.isnan(same.weight_cosine)
    (off,) = gradient_comparison(zero, reference)
    assert off.bias_relative_error == np.inf


# -- construction and bad input -------------------------------------------------------


def test_init_shapes_and_determinism() -> None:
    model = MLP.init([3, 4, 2], "relu", "cross_entropy", seed=5)
    assert model.widths == (3, 4, 2)
    assert [w.shape for w in model.params.weights] == [(3, 4), (4, 2)]
    assert [b.shape for b in model.params.biases] == [(4,), (2,)]
    assert all(np.all(b == 0) for b in model.params.biases)
    np.testing.assert_array_equal(
        MLP.init([3, 4, 2], seed=5).params.flatten(), model.params.flatten()
    )
    assert not np.array_equal(MLP.init([3, 4, 2], seed=6).params.flatten(), model.params.flatten())
    # Glorot scale: variance 2 / (fan_in + fan_out)
    wide = MLP.init([300, 500], seed=0).params.weights[0]
    assert wide.var() == pytest.approx(2 / 800, rel=0.02)


MODEL = MLP.init((3, 4, 1), "tanh", "mse", seed=0)
CE_MODEL = MLP.init((3, 4, 3), "tanh", "cross_entropy", seed=0)
X = np.ones((4, 3))
Y = np.zeros((4, 1))


def per_example_out(n: int, **replace: np.ndarray) -> Parameters:
    """Arrays that fit MODEL's per-example gradients for a batch of n, with some replaced."""
    arrays = {
        "w0": np.empty((n, 3, 4)),
        "w1": np.empty((n, 4, 1)),
        "b0": np.empty((n, 4)),
        "b1": np.empty((n, 1)),
    } | replace
    return Parameters((arrays["w0"], arrays["w1"]), (arrays["b0"], arrays["b1"]))


def read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


BAD_CALLS = [
    pytest.param(
        lambda: MODEL.batch_gradient(np.ones(3), Y),
        ValueError,
        r"x must have 2 dimension",
        id="x-1d",
    ),
    pytest.param(
        lambda: MODEL.batch_gradient(np.ones((4, 2)), Y),
        ValueError,
        r"x has 2 features",
        id="x-width",
    ),
    pytest.param(
        lambda: MODEL.batch_gradient(np.ones((0, 3)), Y[:0]),
        ValueError,
        r"x is an empty batch",
        id="x-empty",
    ),
    pytest.param(
        lambda: MODEL.per_example_gradients(np.full((4, 3), np.nan), Y),
        ValueError,
        r"x contains a NaN",
        id="x-nan",
    ),
    pytest.param(
        lambda: MODEL.mean_loss([["a", "b", "c"]], Y[:1]),
        TypeError,
        r"x must be numeric",
        id="x-text",
    ),
    pytest.param(
        lambda: MODEL.batch_gradient(X, np.zeros((4, 2))),
        ValueError,
        r"y has shape \(4, 2\)",
        id="y-width",
    ),
    pytest.param(
        lambda: MODEL.batch_gradient(X, np.zeros((4, 1, 1))),
        ValueError,
        r"y must have 1 or 2",
        id="y-3d",
    ),
    pytest.param(
        lambda: MODEL.batch_gradient(X, np.zeros((3, 1))),
        ValueError,
        r"batch sizes differ: x has 4, y has 3",
        id="n-mismatch",
    ),
    pytest.param(
        lambda: MODEL.batch_gradient(X, [[np.inf]] * 4),
        ValueError,
        r"y contains a NaN or infinite",
        id="y-inf",
    ),
    pytest.param(
        lambda: MLP.init((3, 4, 2)).batch_gradient(X, np.zeros(4)),
        ValueError,
        r"y has shape \(4,\)",
        id="y-vector-multi-output",
    ),
    pytest.param(
        lambda: CE_MODEL.batch_gradient(X, [0, 1, 3, 2]),
        ValueError,
        r"y holds class labels outside 0\.\.2",
        id="label-range",
    ),
    pytest.param(
        lambda: CE_MODEL.batch_gradient(X, [0, 1, -1, 2]),
        ValueError,
        r"y holds class labels outside",
        id="label-negative",
    ),
    pytest.param(
        lambda: CE_MODEL.batch_gradient(X, [0, 1, 0.5, 2]),
        ValueError,
        r"y must hold integer class labels",
        id="label-fraction",
    ),
    pytest.param(
        lambda: CE_MODEL.batch_gradient(X, np.ones((4, 3))),
        ValueError,
        r"y rows must be probability vectors",
        id="not-probabilities",
    ),
    pytest.param(
        lambda: CE_MODEL.batch_gradient(X, np.ones((4, 2)) / 2),
        ValueError,
        r"y has shape \(4, 2\) but the model has 3 classes",
        id="ce-width",
    ),
    pytest.param(
        lambda: MLP.init([3]),
        ValueError,
        r"widths needs at least two",
        id="widths-short",
    ),
    pytest.param(
        lambda: MLP.init([3, 0, 1]),
        ValueError,
        r"widths\[1\] must be positive",
        id="widths-zero",
    ),
    pytest.param(
        lambda: MLP.init([3, 2.5, 1]),
        TypeError,
        r"widths\[1\] must be an int",
        id="widths-float",
    ),
    pytest.param(
        lambda: MLP.init([3, True]),
        TypeError,
        r"widths\[1\] must be an int",
        id="widths-bool",
    ),
    pytest.param(lambda: MLP.init("34"), TypeError, r"widths must be a sequence", id="widths-str"),
    pytest.param(
        lambda: MLP.init([3, 1], activation="softplus"),
        ValueError,
        r"activation.*'relu', 'sigmoid', 'tanh'",
        id="activation",
    ),
    pytest.param(
        lambda: MLP.init([3, 1], activation=None),
        TypeError,
        r"activation must be a string",
        id="activation-type",
    ),
    pytest.param(
        lambda: MLP.init([3, 1], loss="hinge"),
        ValueError,
        r"loss must be one of 'mse', 'cross_entropy'; got 'hinge'",
        id="loss",
    ),
    pytest.param(
        lambda: MLP((np.ones((3, 1)),)),
        TypeError,
        r"params must be a Parameters",
        id="params-type",
    ),
    pytest.param(
        lambda: MLP(Parameters((np.ones((3, 4)), np.ones((5, 1))), (np.ones(4), np.ones(1)))),
        ValueError,
        r"params\.weights\[1\] has shape \(5, 1\)",
        id="params-chain",
    ),
    pytest.param(
        lambda: MLP(Parameters((np.ones((3, 4)),), (np.ones(3),))),
        ValueError,
        r"params\.biases\[0\] has shape",
        id="params-bias",
    ),
    pytest.param(
        lambda: MLP(Parameters((np.ones((3, 4)),), ())),
        ValueError,
        r"one entry per layer",
        id="params-count",
    ),
    pytest.param(
        lambda: MLP(Parameters((np.full((3, 1), np.nan),), (np.ones(1),))),
        ValueError,
        r"params\.weights\[0\] contains a NaN",
        id="params-nan",
    ),
    pytest.param(
        lambda: MODEL.per_example_gradients(X, Y, out=[np.empty((4, 3, 4))]),
        TypeError,
        r"out must be a Parameters instance, got list",
        id="out-type",
    ),
    pytest.param(
        lambda: MODEL.per_example_gradients(
            X, Y, out=Parameters((np.empty((4, 3, 4)),), (np.empty((4, 4)),))
        ),
        ValueError,
        r"out has 1 layers but the model has 2",
        id="out-layers",
    ),
    pytest.param(
        lambda: MODEL.per_example_gradients(X, Y, out=per_example_out(5)),
        ValueError,
        r"out\.weights\[0\] has shape \(5, 3, 4\) but this batch needs shape \(4, 3, 4\)",
        id="out-batch-size",
    ),
    pytest.param(
        lambda: MODEL.per_example_gradients(X, Y, out=per_example_out(4, b1=np.empty((4, 2)))),
        ValueError,
        r"out\.biases\[1\] has shape \(4, 2\) but this batch needs shape \(4, 1\)",
        id="out-bias-shape",
    ),
    pytest.param(
        lambda: MODEL.per_example_gradients(
            X, Y, out=per_example_out(4, w1=np.empty((4, 4, 1), dtype=np.float32))
        ),
        TypeError,
        r"out\.weights\[1\] must be a float64 numpy array, got ndarray of float32",
        id="out-dtype",
    ),
    pytest.param(
        lambda: MODEL.per_example_gradients(
            X, Y, out=per_example_out(4, w0=np.empty((4, 3, 4)).tolist())
        ),
        TypeError,
        r"out\.weights\[0\] must be a float64 numpy array, got list",
        id="out-list",
    ),
    pytest.param(
        lambda: MODEL.per_example_gradients(
            X, Y, out=per_example_out(4, b0=read_only(np.empty((4, 4))))
        ),
        ValueError,
        r"out\.biases\[0\] is read-only",
        id="out-read-only",
    ),
    pytest.param(
        lambda: MODEL.per_example_gradients(X, Y, out=per_example_out(4, b1=Y)),
        ValueError,
        r"out\.biases\[1\] overlaps the memory of x or y",
        id="out-overlaps-y",
    ),
    pytest.param(
        lambda: averaged_signal_gradient("model", X, Y),  # type: ignore[arg-type]
        TypeError,
        r"model must be an MLP, got str",
        id="signal-shortcut-model",
    ),
    pytest.param(
        lambda: averaged_input_gradient(CE_MODEL, X, [0, 1, 3, 2]),
        ValueError,
        r"y holds class labels outside 0\.\.2",
        id="input-shortcut-labels",
    ),
    pytest.param(
        lambda: averaged_signal_gradient(MODEL, np.ones((4, 2)), Y),
        ValueError,
        r"x has 2 features",
        id="signal-shortcut-x",
    ),
    pytest.param(
        lambda: MODEL.finite_difference_gradient(X, Y, step=0.0),
        ValueError,
        r"step must be positive",
        id="step",
    ),
    pytest.param(
        lambda: Parameters.unflatten(np.ones(3), MODEL.params),
        ValueError,
        r"vector has 3 entries",
        id="unflatten",
    ),
    pytest.param(
        lambda: gradient_comparison(MODEL.params, CE_MODEL.params),
        ValueError,
        r"approximation\.weights\[1\] has shape",
        id="compare-shape",
    ),
    pytest.param(
        lambda: gradient_comparison(MODEL.params, MLP.init((3, 1)).params),
        ValueError,
        r"approximation has 1 layers",
        id="compare-layers",
    ),
]


@pytest.mark.parametrize(("call", "error", "match"), BAD_CALLS)
def test_bad_input_names_the_argument(call: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()


def test_batch_gradient_refuses_a_gradient_that_overflows() -> None:
    # Finite inputs, finite weights; h_0ᵀ Δ overflows: a named error, not inf or NaN.
    model = MLP(Parameters((np.ones((2, 2)),), (np.zeros(2),)), "relu", "mse")
    with pytest.raises(
        ValueError, match=r"^the batch gradient of the model at x and y overflows float64"
    ):
        model.batch_gradient([[1e200, 1e200]], [[0.0, 0.0]])


def test_batch_rejects_complex_and_none_inputs() -> None:
    model = MLP.init((2, 1))
    with pytest.raises(TypeError, match=r"^x must be real, got complex"):
        model.batch_gradient(np.array([[1.0, 1j]]), [0.0])
    with pytest.raises(TypeError, match=r"^x must be a real number or array, got NoneType"):
        model.mean_loss(None, [0.0])
