"""Optimizer steps in PyTorch's conventions, and how they see the loss reduction."""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
import pytest
import sympy as sp
from autograd import grad
from hypothesis import given, settings
from hypothesis import strategies as st

from gradavg import regression
from gradavg.chapters.step_size import over_all_batches
from gradavg.optimizers import (
    SGD,
    Adam,
    AdamW,
    State,
    minibatch_means,
    minibatch_variances,
    reduced,
    ridge_line,
    run,
)

RNG = np.random.default_rng(3)
X = RNG.normal(size=20)
Y = 2.0 * X + 1.0 + RNG.normal(scale=0.3, size=20)
THETA0 = np.array([0.5, -0.2])


def per_example(theta: np.ndarray) -> np.ndarray:
    return regression.per_example_gradients(theta, X, Y)


def test_reduced_matches_autograd_of_the_sum_and_the_mean() -> None:
    def summed(theta: np.ndarray) -> np.ndarray:
        return anp.sum((Y - theta[0] * X - theta[1]) ** 2)

    expected = grad(summed)(THETA0)
    np.testing.assert_allclose(reduced(per_example, "sum")(THETA0), expected, rtol=1e-12)
    np.testing.assert_allclose(reduced(per_example, "mean", 3.0)(THETA0), 3 * expected / 20)


@settings(max_examples=30, deadline=None)
@given(lr=st.floats(1e-4, 0.02), momentum=st.sampled_from([0.0, 0.5, 0.9]))
def test_sum_with_lr_is_mean_with_n_lr(lr: float, momentum: float) -> None:
    on_sum = run(SGD(lr, momentum), THETA0, reduced(per_example, "sum"), 30)
    on_mean = run(SGD(lr * X.size, momentum), THETA0, reduced(per_example, "mean"), 30)
    np.testing.assert_allclose(on_sum, on_mean, rtol=1e-10, atol=1e-12)


def test_sgd_momentum_follows_pytorch_form() -> None:
    opt = SGD(0.1, momentum=0.9, dampening=0.5, weight_decay=0.2)
    theta, g = np.array([1.0]), np.array([2.0])
    theta1, state1 = opt.update(theta, g, State(0, np.zeros(1), np.zeros(1)))
    assert state1.first[0] == pytest.approx(2.0 + 0.2)  # b₁ = g₁ + λθ, no dampening
    theta2, state2 = opt.update(theta1, g, state1)
    assert state2.first[0] == pytest.approx(0.9 * 2.2 + 0.5 * (2.0 + 0.2 * theta1[0]))
    assert theta2[0] == pytest.approx(theta1[0] - 0.1 * state2.first[0])


def test_adam_first_step_is_lr_times_sign_at_eps_zero() -> None:
    step = run(Adam(lr=0.01, eps=0.0), THETA0, reduced(per_example, "mean"), 1)
    g = reduced(per_example, "mean")(THETA0)
    np.testing.assert_allclose(step[1], THETA0 - 0.01 * np.sign(g))


@settings(max_examples=30, deadline=None)
@given(scale=st.floats(1e-3, 1e3))
def test_adam_is_scale_invariant_without_eps(scale: float) -> None:
    adam = Adam(lr=0.01, eps=0.0)
    base = run(adam, THETA0, reduced(per_example, "mean"), 20)
    scaled = run(adam, THETA0, reduced(per_example, "mean", scale), 20)
    np.testing.assert_allclose(scaled, base, rtol=1e-9, atol=1e-12)


def test_adam_sees_the_scale_through_eps() -> None:
    adam = Adam(lr=0.01, eps=1.0)  # a large ε makes the effect plain
    base = run(adam, THETA0, reduced(per_example, "mean"), 5)
    scaled = run(adam, THETA0, reduced(per_example, "mean", 100.0), 5)
    assert np.max(np.abs(scaled - base)) > 1e-3


def test_adamw_decay_is_decoupled_from_the_gradient() -> None:
    theta, zero = np.array([2.0]), np.array([1e-300])
    out, state = AdamW(lr=0.1, weight_decay=0.5, eps=1.0).update(
        theta, zero, State(0, np.zeros(1), np.zeros(1))
    )
    assert out[0] == pytest.approx(2.0 * (1 - 0.1 * 0.5))
    assert state.first[0] == pytest.approx(0.1 * 1e-300)  # the moments never see λ


def test_adam_l2_weight_decay_enters_the_moments() -> None:
    _, state = Adam(weight_decay=0.5).update(
        np.array([2.0]), np.array([0.0]), State(0, np.zeros(1), np.zeros(1))
    )
    assert state.first[0] == pytest.approx(0.1 * 0.5 * 2.0)


def test_ridge_sum_is_mean_with_penalty_over_n() -> None:
    np.testing.assert_allclose(ridge_line(X, Y, 4.0, "sum"), ridge_line(X, Y, 4.0 / 20, "mean"))
    m, b = ridge_line(X, Y, 0.0, "mean")
    np.testing.assert_allclose([m, b], np.polyfit(X, Y, 1))


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 8))
def test_minibatch_means_are_means_of_drawn_examples(n: int) -> None:
    values = np.arange(5.0)
    means = minibatch_means(values, n, 200, np.random.default_rng(n))
    assert means.shape == (200,)
    assert np.all((means >= 0) & (means <= 4))
    assert np.allclose(means * n, np.round(means * n))  # a sum of n integers


def test_minibatch_variance_falls_as_one_over_n() -> None:
    values = np.random.default_rng(1).normal(size=300)
    empirical, predicted = minibatch_variances(values, [1, 4, 16], 40_000, seed=2)
    np.testing.assert_allclose(empirical, predicted, rtol=0.05)
    np.testing.assert_allclose(predicted * [1, 4, 16], values.var())


def test_over_all_batches_is_the_exact_expectation() -> None:
    G, M = sp.IndexedBase("G"), sp.Symbol("M", integer=True, positive=True)
    k1, k2 = sp.symbols("k1 k2", integer=True, positive=True)
    expectation = over_all_batches((G[k1] + G[k2]) / 2, (k1, k2), M)
    at_three = expectation.subs(M, 3).doit()
    assert sp.expand(at_three - (G[1] + G[2] + G[3]) / 3) == 0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SGD(-0.1), "lr"),
        (lambda: SGD(0.1, momentum=1.0), "momentum"),
        (lambda: Adam(betas=(0.9, 1.0)), r"betas\[1\]"),
        (lambda: Adam(eps=-1.0), "eps"),
        (lambda: Adam(lr=float("nan")), "lr"),
        (lambda: AdamW(weight_decay=-1.0), "weight_decay"),
    ],
)
def test_bad_hyperparameters_are_named(make: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()  # type: ignore[operator]


def test_bad_inputs_are_named() -> None:
    with pytest.raises(ValueError, match="steps"):
        run(SGD(0.1), THETA0, reduced(per_example, "mean"), 0)
    with pytest.raises(ValueError, match="gradient"):
        run(SGD(0.1), THETA0, lambda theta: np.zeros(theta.size + 1), 1)
    with pytest.raises(ValueError, match="theta0"):
        run(SGD(0.1), [np.nan, 1.0], reduced(per_example, "mean"), 1)
    with pytest.raises(ValueError, match="reduction"):
        ridge_line(X, Y, 1.0, "max")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="batch sizes differ"):
        ridge_line(X, Y[:3], 1.0, "sum")
    with pytest.raises(ValueError, match="penalty"):
        ridge_line(X, Y, -1.0, "sum")
    with pytest.raises(ValueError, match="scale"):
        reduced(per_example, "sum", 0.0)
    with pytest.raises(ValueError, match="per_example"):
        minibatch_means([], 2, 3, np.random.default_rng(0))
    with pytest.raises(ValueError, match="batch_size"):
        minibatch_means([1.0], 0, 3, np.random.default_rng(0))
    with pytest.raises(ZeroDivisionError, match="eps"):
        run(Adam(eps=0.0), [1.0], lambda theta: 0.0 * theta, 1)
