"""Micro-batch accumulation: the naive and the correct normalisation, and the bigram model."""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gradavg import accumulation as acc
from gradavg.accumulation import PAD

finite = st.floats(-1e3, 1e3, allow_nan=False)
sizes = st.lists(st.integers(1, 6), min_size=1, max_size=5)


@st.composite
def split_batch(draw: st.DrawFn, equal: bool = False) -> tuple[np.ndarray, list[int]]:
    """Per-example gradients of shape (N, 2) and micro-batch sizes adding up to N."""
    counts = draw(sizes)
    if equal:
        counts = [counts[0]] * len(counts)
    gradients = draw(arrays(np.float64, (sum(counts), 2), elements=finite))
    return gradients, counts


@given(split_batch(equal=True))
def test_equal_sizes_make_the_naive_mean_exact(batch: tuple[np.ndarray, list[int]]) -> None:
    gradients, counts = batch
    scale = 1.0 + np.abs(gradients).max()
    np.testing.assert_allclose(
        acc.naive_accumulation(gradients, counts), gradients.mean(axis=0), atol=1e-12 * scale
    )


@given(split_batch())
def test_the_weighted_mean_is_the_full_batch_mean(batch: tuple[np.ndarray, list[int]]) -> None:
    gradients, counts = batch
    means = acc.micro_batch_means(gradients, counts)
    full = gradients.mean(axis=0)
    scale = 1.0 + np.abs(gradients).max()
    np.testing.assert_allclose(acc.weighted_accumulation(means, counts), full, atol=1e-12 * scale)
    np.testing.assert_allclose(acc.sum_then_divide(gradients, counts), full, atol=1e-12 * scale)


@given(split_batch())
def test_naive_error_is_the_closed_form(batch: tuple[np.ndarray, list[int]]) -> None:
    gradients, counts = batch
    means = acc.micro_batch_means(gradients, counts)
    difference = acc.naive_accumulation(gradients, counts) - gradients.mean(axis=0)
    scale = 1.0 + np.abs(gradients).max()
    np.testing.assert_allclose(acc.naive_error(means, counts), difference, atol=1e-11 * scale)


@given(sizes)
def test_weights(counts: list[int]) -> None:
    w = acc.accumulation_weights(counts)
    total = sum(counts)
    assert w.total == total
    np.testing.assert_allclose(w.naive.sum(), 1.0)
    np.testing.assert_allclose(w.correct.sum(), 1.0)
    np.testing.assert_allclose(w.factor, total / (len(counts) * np.array(counts)))
    assert np.all(np.isclose(w.factor, 1.0)) == (len(set(counts)) == 1)


def test_unequal_sizes_give_the_worked_example() -> None:
    gradients, counts = np.array([1.0, 2.0, 3.0, 6.0]), [3, 1]
    assert acc.naive_accumulation(gradients, counts) == pytest.approx(4.0)
    assert acc.sum_then_divide(gradients, counts) == pytest.approx(3.0)
    np.testing.assert_allclose(acc.micro_batch_means(gradients, counts), [2.0, 6.0])


def test_pad_sequences() -> None:
    batch = acc.pad_sequences([[1, 2, 3], [4]], vocabulary=5)
    np.testing.assert_array_equal(batch, [[1, 2, 3], [4, PAD, PAD]])


def test_bigram_gradients_match_autograd() -> None:
    rng = np.random.default_rng(0)
    vocabulary = 4
    table = rng.normal(size=(vocabulary, vocabulary))
    batch = acc.pad_sequences([[0, 1, 3, 2], [2, 2], [1]], vocabulary)
    pairs = [(0, 1), (1, 3), (3, 2), (2, 2)]  # the scored (previous, next) pairs
    rows = acc.bigram_token_gradients(table, batch)
    losses = acc.bigram_token_losses(table, batch)
    assert rows.shape == (4, vocabulary * vocabulary)
    assert losses.shape == (4,)
    for row, loss, (a, b) in zip(rows, losses, pairs, strict=True):

        def token_loss(w: anp.ndarray, a: int = a, b: int = b) -> anp.ndarray:
            return -(w[a, b] - anp.log(anp.sum(anp.exp(w[a]))))

        assert loss == pytest.approx(token_loss(table))
        np.testing.assert_allclose(row, grad(token_loss)(table).ravel(), atol=1e-12)


@settings(deadline=None, max_examples=25)
@given(st.lists(st.lists(st.integers(2, 9), min_size=1, max_size=3), min_size=1, max_size=4))
def test_sum_then_divide_matches_the_full_batch(lengths: list[list[int]]) -> None:
    rng = np.random.default_rng(sum(map(sum, lengths)))
    table = rng.normal(size=(5, 5))
    micro_batches = [
        acc.pad_sequences([rng.integers(0, 5, size=n) for n in group], 5) for group in lengths
    ]
    result = acc.compare_accumulation(table, micro_batches)
    assert result.counts.tolist() == [sum(n - 1 for n in group) for group in lengths]
    assert result.summed_error < 1e-12
    if len(set(result.counts.tolist())) == 1:
        assert result.naive_error < 1e-12


def test_unequal_token_counts_make_the_naive_recipe_wrong() -> None:
    rng = np.random.default_rng(3)
    table = rng.normal(size=(4, 4))
    short = acc.pad_sequences([[0, 1]], 4)
    long = acc.pad_sequences([rng.integers(0, 4, size=12), [2, 3, 1]], 4)
    result = acc.compare_accumulation(table, [short, long])
    assert result.counts.tolist() == [1, 13]
    assert result.naive_error > 0.05
    assert result.summed_error < 1e-12


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: acc.accumulation_weights([3, 0]), ValueError, r"counts\[1\] must be positive"),
        (lambda: acc.accumulation_weights([2.5]), ValueError, r"counts\[0\] must be a whole"),
        (lambda: acc.accumulation_weights([]), ValueError, r"counts is an empty batch"),
        (lambda: acc.accumulation_weights([1, np.nan]), ValueError, r"counts contains a NaN"),
        (lambda: acc.accumulation_weights("12"), TypeError, r"counts must be numeric"),
        (lambda: acc.naive_accumulation([1.0, 2.0], [1, 2]), ValueError, r"counts add up to 3"),
        (lambda: acc.sum_then_divide([[np.inf]], [1]), ValueError, r"gradients contains a NaN"),
        (lambda: acc.naive_error([1.0, 2.0], [1]), ValueError, r"means has 2 micro-batches"),
        (lambda: acc.pad_sequences([], 3), ValueError, r"sequences is empty"),
        (lambda: acc.pad_sequences([[0, 3]], 3), ValueError, r"sequences\[0\] holds 3"),
        (lambda: acc.pad_sequences([[0]], 0), ValueError, r"vocabulary must be positive"),
        (lambda: acc.bigram_token_losses(np.zeros((2, 3)), [[0, 1]]), ValueError, r"table"),
        (lambda: acc.bigram_token_losses(np.zeros((2, 2)), [[0, 5]]), ValueError, r"batch"),
        (lambda: acc.compare_accumulation(np.zeros((2, 2)), []), ValueError, r"micro_batches"),
        (
            lambda: acc.compare_accumulation(np.zeros((2, 2)), [np.array([[0, PAD]])]),
            ValueError,
            r"micro_batches\[0\] has no scored token",
        ),
    ],
)
def test_bad_input_is_named(call: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()  # type: ignore[operator]
