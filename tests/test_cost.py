"""Tests for gradavg.cost: hand counts and agreement with the arrays of gradavg.mlp."""

from __future__ import annotations

from collections.abc import Callable

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

from gradavg.cost import (
    FLOAT64_BYTES,
    backprop_flops,
    backward_flops,
    forward_flops,
    looped_backprop_flops,
    parameter_count,
    per_example_gradient_bytes,
    per_example_gradient_floats,
)
from gradavg.mlp import MLP

widths_strategy = st.lists(st.integers(1, 8), min_size=2, max_size=6).map(tuple)
batch_strategy = st.integers(1, 50)


def test_hand_count_two_layers() -> None:
    # widths (2, 3, 1), N = 4
    # forward:  layer 1: 2·4·2·3 = 48 (product) + 12 (bias) + 12 (sigmoid)
    #           layer 2: 2·4·3·1 = 24 (product) + 4 (bias)              -> 100
    # backward: δ₂ = 2(ŷ − y): 2·4·1 = 8
    #           ∇W₂ = h₁ᵀ Δ₂: 24, ∇b₂ = column sum: 3·1 = 3
    #           Δ₁ = (Δ₂ W₂ᵀ) ⊙ σ′(z₁): 24 + 12 + 12 = 48
    #           ∇W₁ = h₀ᵀ Δ₁: 48, ∇b₁: 3·3 = 9
    #           scaling by 1/N: |θ| = 6 + 3 + 3 + 1 = 13                 -> 153
    assert parameter_count((2, 3, 1)) == 13
    assert forward_flops((2, 3, 1), 4) == 100
    assert backward_flops((2, 3, 1), 4) == 153
    assert backprop_flops((2, 3, 1), 4) == 253
    # looped: 4 single-example passes plus 3 accumulations of 13 numbers
    # one pass: forward 25; backward 2 + (6 + 0) + (12 + 0) + (6 + 3 + 3) + 13 = 45
    assert backprop_flops((2, 3, 1), 1) == 70
    assert looped_backprop_flops((2, 3, 1), 4) == 4 * 70 + 3 * 13


def test_hand_count_single_layer() -> None:
    # widths (3, 2), N = 5: forward 2·5·3·2 + 5·2 = 70 (no activation);
    # backward 2·5·2 (error) + 60 (∇W) + 4·2 (∇b) + 8 (scaling) = 96
    assert forward_flops((3, 2), 5) == 70
    assert backward_flops((3, 2), 5) == 96
    assert backprop_flops((3, 2), 5) == 166
    assert per_example_gradient_floats((3, 2), 5) == 40
    assert per_example_gradient_bytes((3, 2), 5) == 320


@settings(max_examples=50, deadline=None)
@given(widths_strategy, st.integers(0, 2**32 - 1))
def test_parameter_count_matches_the_model(widths: tuple[int, ...], seed: int) -> None:
    model = MLP.init(widths, seed=seed)
    assert parameter_count(widths) == model.params.size == model.params.flatten().size


@settings(max_examples=30, deadline=None)
@given(widths_strategy, st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_per_example_memory_matches_the_arrays(widths: tuple[int, ...], n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    model = MLP.init(widths, "tanh", "mse", seed=seed)
    per_example = model.per_example_gradients(
        rng.normal(size=(n, widths[0])), rng.normal(size=(n, widths[-1]))
    )
    arrays = [*per_example.weights, *per_example.biases]
    assert per_example_gradient_floats(widths, n) == sum(a.size for a in arrays)
    assert per_example_gradient_bytes(widths, n) == sum(a.nbytes for a in arrays)
    assert all(a.dtype.itemsize == FLOAT64_BYTES for a in arrays)


@settings(max_examples=100, deadline=None)
@given(widths_strategy, batch_strategy)
def test_loop_costs_more_by_a_fixed_amount(widths: tuple[int, ...], n: int) -> None:
    # The forward pass is linear in N. The loop adds N − 1 accumulations (|θ| each) and
    # N − 1 extra 1/N scalings, and saves the (N − 1) Σ n_l row additions of ∇b.
    theta = parameter_count(widths)
    outputs = sum(widths[1:])
    assert forward_flops(widths, n) == n * forward_flops(widths, 1)
    extra = looped_backprop_flops(widths, n) - backprop_flops(widths, n)
    assert extra == (n - 1) * (2 * theta - outputs)
    assert extra >= 0


@settings(max_examples=50, deadline=None)
@given(widths_strategy, batch_strategy)
def test_counts_are_positive_ints(widths: tuple[int, ...], n: int) -> None:
    for count in (
        forward_flops(widths, n),
        backward_flops(widths, n),
        backprop_flops(widths, n),
        looped_backprop_flops(widths, n),
        per_example_gradient_floats(widths, n),
        per_example_gradient_bytes(widths, n),
    ):
        assert type(count) is int
        assert count > 0
    assert looped_backprop_flops(widths, 1) == backprop_flops(widths, 1)


def test_numpy_integers_are_accepted() -> None:
    assert backprop_flops(np.array([2, 3, 1]), np.int64(4)) == 253


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        pytest.param(
            lambda: backprop_flops((2, 3), 0),
            ValueError,
            r"batch_size must be positive, got 0",
            id="zero",
        ),
        pytest.param(
            lambda: backprop_flops((2, 3), 1.5),
            TypeError,
            r"batch_size must be an int",
            id="float",
        ),
        pytest.param(
            lambda: backprop_flops((2, 3), True),
            TypeError,
            r"batch_size must be an int",
            id="bool",
        ),
        pytest.param(
            lambda: parameter_count((2,)),
            ValueError,
            r"widths needs at least two",
            id="short",
        ),
        pytest.param(
            lambda: parameter_count((2, -1)),
            ValueError,
            r"widths\[1\] must be positive",
            id="negative",
        ),
        pytest.param(
            lambda: per_example_gradient_floats(3, 2),
            TypeError,
            r"widths must be a sequence",
            id="scalar",
        ),
    ],
)
def test_bad_input_names_the_argument(
    call: Callable[[], object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        call()
