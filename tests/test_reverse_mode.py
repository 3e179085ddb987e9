"""Activation memory of a forward pass, and ranks of weight gradients."""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from hypothesis import given, settings
from hypothesis import strategies as st

from gradavg.mlp import MLP
from gradavg.reverse_mode import LayerRanks, forward_pass_bytes, forward_pass_floats, gradient_ranks

widths_strategy = st.lists(st.integers(1, 6), min_size=2, max_size=4)


@settings(max_examples=40, deadline=None)
@given(widths_strategy, st.integers(1, 9))
def test_forward_pass_floats_counts_what_the_forward_pass_keeps(widths: list[int], n: int) -> None:
    model = MLP.init(widths, seed=1)
    forward = model.forward(np.ones((n, widths[0])))
    kept = sum(a.size for a in (*forward.activations, *forward.pre_activations))
    assert forward_pass_floats(widths, n) == kept
    assert forward_pass_bytes(widths, n) == 8 * kept


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 12), st.integers(0, 1000))
def test_ranks_are_one_per_example_and_at_most_the_bound(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    model = MLP.init((5, 7, 3), seed=seed)
    ranks = gradient_ranks(model, rng.normal(size=(n, 5)), rng.normal(size=(n, 3)))
    assert [r.layer for r in ranks] == [1, 2]
    for r in ranks:
        assert r.per_example <= 1
        assert r.batch <= r.bound == min(n, r.fan_in, r.fan_out)


def test_generic_batch_gradients_reach_the_bound() -> None:
    rng = np.random.default_rng(0)
    model = MLP.init((6, 9, 4), seed=2)
    for n in (1, 3, 8):
        ranks = gradient_ranks(model, rng.normal(size=(n, 6)), rng.normal(size=(n, 4)))
        assert [r.batch for r in ranks] == [min(n, 6, 9), min(n, 9, 4)]
        assert all(r.per_example == 1 for r in ranks)


def test_batch_gradient_against_autograd_and_its_rank() -> None:
    """An independent reverse mode gives the same first-layer gradient, of rank ≤ N."""
    rng = np.random.default_rng(5)
    model = MLP.init((4, 6, 1), activation="tanh", seed=0)
    x, y = rng.normal(size=(2, 4)), rng.normal(size=2)
    (w1, w2), (b1, b2) = model.params.weights, model.params.biases

    def mean_loss(first: anp.ndarray) -> anp.ndarray:
        output = anp.dot(anp.tanh(anp.dot(x, first) + b1), w2) + b2
        return anp.mean(anp.sum((output - y[:, None]) ** 2, axis=1))

    reference = grad(mean_loss)(w1)
    assert np.allclose(model.batch_gradient(x, y).weights[0], reference, rtol=1e-12)
    assert np.linalg.matrix_rank(reference) == gradient_ranks(model, x, y)[0].batch == 2


def test_layer_ranks_bound() -> None:
    assert LayerRanks(1, 10, 3, 50, 1, 3).bound == 3
    assert LayerRanks(1, 10, 30, 4, 1, 4).bound == 4


@pytest.mark.parametrize(
    ("call", "error", "named"),
    [
        (lambda: forward_pass_floats((3, 2), 0), ValueError, "batch_size"),
        (lambda: forward_pass_floats((3,), 1), ValueError, "widths"),
        (lambda: forward_pass_bytes((3, 0), 1), ValueError, "widths"),
        (lambda: gradient_ranks("net", [[1.0]], [1.0]), TypeError, "model"),
        (lambda: gradient_ranks(MLP.init((2, 1)), [[1.0, np.nan]], [1.0]), ValueError, "x"),
    ],
)
def test_bad_input_is_refused_naming_the_argument(
    call: object, error: type[Exception], named: str
) -> None:
    with pytest.raises(error, match=named):
        call()  # type: ignore[operator]


def test_rank_bound_is_checked_at_every_small_size() -> None:
    from gradavg.chapters.reverse_mode import check_rank_bound

    cases = check_rank_bound(3)
    assert {(c.examples, c.inputs, c.outputs) for c in cases} == {
        (n, a, b)
        for n in (1, 2, 3)
        for a in (1, 2, 3)
        for b in (1, 2, 3)
        if min(n, a, b) < min(a, b)
    }
    assert all(c.minors >= 1 for c in cases)


def test_rank_bound_check_can_fail() -> None:
    """A matrix of full rank has a minor that does not vanish, and the check says where."""
    import sympy as sp

    from gradavg.chapters.reverse_mode import check_rank_bound, vanishing_minors

    a, b = sp.symbols("a b")
    with pytest.raises(ArithmeticError, match=r"^N = 1, n_in = 2, n_out = 2: the minor on rows"):
        vanishing_minors(sp.Matrix([[a, 0], [0, b]]), 2, "N = 1, n_in = 2, n_out = 2")
    assert vanishing_minors(sp.Matrix([[a, a * b], [1, b]]), 2) == 1
    with pytest.raises(ValueError, match="at least 1"):
        check_rank_bound(0)
