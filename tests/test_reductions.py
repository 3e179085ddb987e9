"""Tests for gradavg.reductions: values, gradients (against autograd) and bad input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import autograd.numpy as anp
import matplotlib.pyplot as plt
import numpy as np
import pytest
from autograd import grad
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gradavg import reductions as r
from gradavg.chapters.reductions import plot_step_scale

finite = st.floats(-1e3, 1e3, allow_nan=False)
sizes = st.integers(1, 6)


@st.composite
def matrices(draw: st.DrawFn) -> np.ndarray:
    shape = (draw(sizes), draw(sizes))
    return draw(arrays(np.float64, shape, elements=finite))


@st.composite
def padded(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Losses (N, T) and a mask with 1 ≤ T_i ≤ T real tokens at the start of each row."""
    losses = draw(matrices())
    lengths = draw(arrays(np.int64, losses.shape[0], elements=st.integers(1, losses.shape[1])))
    return losses, np.arange(losses.shape[1]) < lengths[:, None]


# --- values and gradients ---------------------------------------------------------------


@given(matrices())
def test_every_reduction_is_linear_with_its_gradient_as_coefficients(losses: np.ndarray) -> None:
    ones = np.ones(losses.shape, bool)
    for reduced in (
        r.total(losses),
        r.example_mean(losses),
        r.elementwise_mean(losses),
        r.masked_mean(losses, ones),
        r.token_mean(losses, ones),
        r.sequence_mean(losses, ones),
    ):
        assert reduced.gradient.shape == losses.shape
        assert np.isclose(reduced.value, np.sum(reduced.gradient * losses), atol=1e-9)


@given(matrices())
def test_all_means_agree_when_weights_are_one_and_lengths_equal(losses: np.ndarray) -> None:
    ones = np.ones(losses.shape, bool)
    elementwise = r.elementwise_mean(losses)
    for other in (r.masked_mean(losses, ones), r.token_mean(losses, ones)):
        np.testing.assert_allclose(other.gradient, elementwise.gradient)
    np.testing.assert_allclose(r.sequence_mean(losses, ones).gradient, elementwise.gradient)
    column = losses[:, 0]
    unit = np.ones(column.shape)
    means = [r.weighted_mean(column, unit), r.weighted_batch_mean(column, unit)]
    means.append(r.class_weighted_mean(column, np.zeros(column.size, int), [1.0]))
    for reduced in means:
        np.testing.assert_allclose(reduced.gradient, r.example_mean(column).gradient)
        assert np.isclose(reduced.value, np.mean(column), atol=1e-9)


@given(matrices())
def test_the_elementwise_mean_is_the_example_mean_over_k(losses: np.ndarray) -> None:
    k = losses.shape[1]
    np.testing.assert_allclose(
        r.example_mean(losses).gradient, k * r.elementwise_mean(losses).gradient
    )
    assert np.isclose(r.example_mean(losses).value, k * r.elementwise_mean(losses).value)


@given(padded())
def test_token_and_sequence_weights(case: tuple[np.ndarray, np.ndarray]) -> None:
    losses, mask = case
    lengths = mask.sum(axis=1)
    token, sequence = r.token_mean(losses, mask), r.sequence_mean(losses, mask)
    assert np.isclose(token.gradient.sum(), 1)
    np.testing.assert_allclose(sequence.gradient.sum(axis=1), 1 / losses.shape[0])
    np.testing.assert_allclose(token.gradient[mask], 1 / lengths.sum())
    assert np.all(token.gradient[~mask] == 0)
    assert np.all(sequence.gradient[~mask] == 0)
    agree = np.allclose(token.gradient, sequence.gradient)
    assert agree == (np.unique(lengths).size == 1)  # equal exactly when lengths are equal


@settings(deadline=None)
@given(
    arrays(np.float64, 5, elements=finite),
    arrays(np.float64, 5, elements=st.floats(0.1, 10.0)),
)
def test_the_weighted_means_differ_by_n_over_the_weight_sum(
    losses: np.ndarray, weights: np.ndarray
) -> None:
    pytorch, keras = r.weighted_mean(losses, weights), r.weighted_batch_mean(losses, weights)
    factor = losses.size / weights.sum()
    np.testing.assert_allclose(pytorch.gradient, factor * keras.gradient)
    assert np.isclose(pytorch.value, factor * keras.value, atol=1e-9)


AUTOGRAD_CASES: list[tuple[Callable[[Any], Any], Callable[[np.ndarray], r.Reduced]]] = [
    (anp.sum, r.total),
    (lambda e: anp.sum(e) / e.shape[0], r.example_mean),
    (anp.mean, r.elementwise_mean),
]


@pytest.mark.parametrize(("loss", "reduction"), AUTOGRAD_CASES, ids=["sum", "example", "element"])
def test_gradients_match_autograd(
    loss: Callable[[Any], Any], reduction: Callable[[np.ndarray], r.Reduced]
) -> None:
    losses = np.random.default_rng(1).normal(size=(4, 3))
    np.testing.assert_allclose(reduction(losses).gradient, grad(loss)(losses), rtol=1e-12)


def test_masked_token_sequence_and_weighted_gradients_match_autograd() -> None:
    rng = np.random.default_rng(2)
    losses = rng.normal(size=(3, 5))
    mask = np.arange(5) < np.array([[2], [5], [1]])
    m = mask.astype(float)

    def seq(e: Any) -> Any:
        return anp.mean(anp.sum(m * e, axis=1) / anp.sum(m, axis=1))

    np.testing.assert_allclose(
        r.token_mean(losses, mask).gradient, grad(lambda e: anp.sum(m * e) / anp.sum(m))(losses)
    )
    np.testing.assert_allclose(r.sequence_mean(losses, mask).gradient, grad(seq)(losses))
    w = rng.uniform(0.5, 2.0, size=5)
    row = losses[1]
    np.testing.assert_allclose(
        r.weighted_mean(row, w).gradient, grad(lambda e: anp.sum(w * e) / anp.sum(w))(row)
    )


def test_class_weighted_mean_follows_pytorchs_normaliser() -> None:
    losses = np.array([1.0, 2.0, 3.0, 4.0])
    targets = np.array([0, 2, -100, 1])
    class_weights = np.array([1.0, 2.0, 4.0])
    reduced = r.class_weighted_mean(losses, targets, class_weights, ignore_index=-100)
    weights = np.array([1.0, 4.0, 0.0, 2.0])  # w_{y_n}, zero for the ignored target
    assert reduced.value == pytest.approx((1 + 8 + 8) / 7)
    np.testing.assert_allclose(reduced.gradient, weights / 7)


def test_masked_mean_ignores_the_value_at_masked_elements() -> None:
    reduced = r.masked_mean([1.0, 1e300, 3.0], [True, False, True])
    assert reduced.value == pytest.approx(2.0)
    np.testing.assert_allclose(reduced.gradient, [0.5, 0.0, 0.5])


# --- normalisers across batches -----------------------------------------------------------


def test_inverse_frequency_weights_have_mean_one_under_the_frequencies() -> None:
    p = np.array([0.7, 0.2, 0.1])
    weights = r.inverse_frequency_weights(p)
    assert p @ weights == pytest.approx(1.0)
    assert weights[2] == pytest.approx(2 * weights[1])


def test_batch_normalisers_are_reproducible_and_centred_on_n() -> None:
    p = np.array([0.9, 0.1])
    weights = r.inverse_frequency_weights(p)
    sums = r.batch_normalisers(p, weights, 16, 4000, seed=3)
    np.testing.assert_array_equal(sums, r.batch_normalisers(p, weights, 16, 4000, seed=3))
    assert sums.shape == (4000,)
    assert abs(sums.mean() / 16 - 1) < 0.05
    assert np.unique(sums).size > 3  # the normaliser varies with the batch


def test_plot_step_scale_draws_one_spike_per_distinct_value() -> None:
    fig = plot_step_scale([16.0, 16.0, 8.0, 32.0], 16)
    (spikes,) = [c for c in fig.axes[0].collections if c.get_gid() == "step-scale"]
    assert len(spikes.get_segments()) == 3
    assert [line.get_gid() for line in fig.axes[0].lines] == ["one"]
    plt.close(fig)


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: r.total([]), ValueError, "losses is an empty batch"),
        (lambda: r.example_mean(np.ones((2, 2, 2))), ValueError, "losses must have 1 or 2"),
        (lambda: r.elementwise_mean([1.0, np.nan]), ValueError, "losses contains a NaN"),
        (lambda: r.total("abc"), TypeError, "losses must be numeric"),
        (lambda: r.weighted_mean([1.0, 2.0], [1.0]), ValueError, "weights has 1"),
        (lambda: r.weighted_mean([1.0, 2.0], [1.0, -1.0]), ValueError, "weights must be non-neg"),
        (lambda: r.weighted_mean([1.0, 2.0], [0.0, 0.0]), ValueError, "weights sums to zero"),
        (lambda: r.masked_mean([1.0, 2.0], [0, 0]), ValueError, "mask masks out every"),
        (lambda: r.masked_mean([1.0, 2.0], [0, 2]), ValueError, "mask must contain only 0"),
        (lambda: r.masked_mean([1.0, 2.0], [1]), ValueError, "mask must have the shape"),
        (lambda: r.token_mean([1.0, 2.0], [1, 1]), ValueError, "losses must have 2"),
        (lambda: r.sequence_mean([[1.0], [2.0]], [[1], [0]]), ValueError, "sequence 1 has no"),
        (lambda: r.class_weighted_mean([1.0], [0.5], [1.0]), TypeError, "targets must be"),
        (lambda: r.class_weighted_mean([1.0], [3], [1.0, 2.0]), ValueError, "targets must lie"),
        (lambda: r.class_weighted_mean([1.0, 2.0], [0], [1.0]), ValueError, "targets has 1"),
        (lambda: r.inverse_frequency_weights([0.5, 0.6]), ValueError, "class_probabilities"),
        (
            lambda: r.batch_normalisers([0.5, 0.5], [1.0], 4, 2, 0),
            ValueError,
            "class_weights has 1",
        ),
        (lambda: r.batch_normalisers([1.0], [1.0], 0, 2, 0), ValueError, "batch_size must be"),
        (lambda: plot_step_scale([1.0, 0.0], 4), ValueError, "normalisers must be positive"),
    ],
)
def test_bad_input_is_refused_naming_the_argument(
    call: Callable[[], object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        call()
