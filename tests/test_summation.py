"""Sums in different orders: exact relations between them, and Higham's bounds."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gradavg import summation
from gradavg.summation import (
    UNIT_ROUNDOFF,
    chunked_depth,
    chunked_sum,
    compare_orders,
    error_bound,
    error_growth,
    exact_error,
    exact_sum,
    gamma,
    pairwise_depth,
    pairwise_sum,
    recursive_depth,
    recursive_sum,
    rounding_error,
)

finite = st.floats(min_value=-1e200, max_value=1e200, allow_nan=False, allow_subnormal=True)
batches = st.integers(1, 120).flatmap(lambda n: arrays(np.float64, n, elements=finite))
sizes = st.integers(1, 64)


def exact_gamma_bound(terms: np.ndarray, depth: int) -> Fraction:
    """γ_k Σ|a_i| in exact arithmetic."""
    ku = Fraction(depth) * Fraction(UNIT_ROUNDOFF)
    return ku / (1 - ku) * sum((abs(Fraction(float(t))) for t in terms), Fraction(0))


def left_to_right(terms: np.ndarray) -> float:
    total = float(terms[0])
    for term in terms[1:]:
        total += float(term)
    return total


@settings(max_examples=150, deadline=None)
@given(batches)
def test_recursive_sum_is_the_loop_over_the_examples(terms: np.ndarray) -> None:
    assert float(recursive_sum(terms)) == left_to_right(terms)


@settings(max_examples=150, deadline=None)
@given(batches, sizes, sizes)
def test_every_order_is_within_its_bound(terms: np.ndarray, block: int, chunk: int) -> None:
    n = terms.size
    for total, depth in (
        (recursive_sum(terms), recursive_depth(n)),
        (pairwise_sum(terms, block), pairwise_depth(n, block)),
        (chunked_sum(terms, chunk, block), chunked_depth(n, chunk, block)),
    ):
        assert abs(exact_error(float(total), terms)) <= exact_gamma_bound(terms, depth)


@settings(max_examples=100, deadline=None)
@given(batches, sizes)
def test_orders_that_coincide_give_identical_bits(terms: np.ndarray, block: int) -> None:
    n = terms.size
    assert pairwise_sum(terms, n + block) == recursive_sum(terms)  # one block: left to right
    assert chunked_sum(terms, 1) == recursive_sum(terms)  # one term per micro-batch
    assert chunked_sum(terms, n, block) == pairwise_sum(terms, block)  # one micro-batch
    assert pairwise_depth(n, n) == recursive_depth(n) == chunked_depth(n, 1)


@settings(max_examples=100, deadline=None)
@given(batches)
def test_rounding_error_is_the_exact_error_rounded_once(terms: np.ndarray) -> None:
    total = float(recursive_sum(terms))
    exact = exact_error(total, terms)
    assert float(rounding_error(total, terms)) == float(exact)
    assert float(exact_sum(terms)) == float(sum(map(Fraction, terms.tolist()), Fraction(0)))


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 40), st.integers(1, 4), sizes)
def test_columns_are_summed_independently(n: int, p: int, block: int) -> None:
    terms = np.random.default_rng(n * p).normal(size=(n, p))
    together = pairwise_sum(terms, block)
    assert together.shape == (p,)
    for column in range(p):
        assert together[column] == pairwise_sum(terms[:, column], block)
    assert np.array_equal(recursive_sum(terms), [left_to_right(c) for c in terms.T])


def test_pairwise_tree_adds_in_the_documented_order() -> None:
    a = np.array([1.0, 2.0**-53, 2.0**-53, 2.0**-53, 2.0**-53])
    # blocks of 2: (1 + ε)(ε + ε)(ε); tree ((1 + 2ε) then + ε) ... written out by hand:
    expected = ((1.0 + 2.0**-53) + (2.0**-53 + 2.0**-53)) + 2.0**-53
    assert pairwise_sum(a, 2) == expected
    assert pairwise_sum(a, 2) != recursive_sum(a)  # 1 + ε rounds back to 1 every time
    assert recursive_sum(a) == 1.0


@pytest.mark.parametrize(
    ("n", "block", "depth"), [(1, 1, 0), (2, 1, 1), (5, 1, 3), (8, 1, 3), (9, 1, 4), (10, 4, 5)]
)
def test_pairwise_depth(n: int, block: int, depth: int) -> None:
    assert pairwise_depth(n, block) == depth


def test_gamma_against_its_definition() -> None:
    assert gamma(0) == 0.0
    assert gamma(3) == pytest.approx(3 * UNIT_ROUNDOFF / (1 - 3 * UNIT_ROUNDOFF), rel=1e-15)
    assert gamma(10) > 10 * UNIT_ROUNDOFF


def test_cancellation_is_bounded_relative_to_the_magnitudes() -> None:
    terms = np.array([1e16, 1.0, -1e16])
    total = float(recursive_sum(terms))
    assert total == 0.0  # the 1 is lost entirely: 100 % error relative to |Σ a_i| = 1
    assert abs(exact_error(total, terms)) == 1
    assert abs(float(rounding_error(total, terms))) <= float(error_bound(terms, 2))


def test_compare_orders_reports_every_order_within_its_bound() -> None:
    terms = np.random.default_rng(0).normal(size=500)
    results = compare_orders(terms, chunks=(10, 64), block=4)
    assert [r.name for r in results][-1] == "numpy.sum"
    assert len(results) == 5
    assert all(r.within for r in results)
    assert results[0].total == float(recursive_sum(terms))


def test_error_growth_is_within_the_bounds() -> None:
    growth = error_growth([4, 64, 1024], draws=3, seed=1)
    assert np.all(growth.recursive <= growth.recursive_bound)
    assert np.all(growth.pairwise <= growth.pairwise_bound)
    assert np.array_equal(growth.sizes, [4.0, 64.0, 1024.0])


@pytest.mark.parametrize(
    ("call", "error", "named"),
    [
        (lambda: recursive_sum([]), ValueError, "terms"),
        (lambda: recursive_sum([1.0, math.nan]), ValueError, "terms"),
        (lambda: pairwise_sum("abc"), TypeError, "terms"),
        (lambda: pairwise_sum(np.ones((2, 2, 2))), ValueError, "terms"),
        (lambda: pairwise_sum([1.0], block=0), ValueError, "block"),
        (lambda: chunked_sum([1.0], chunk=1.5), TypeError, "chunk"),
        (lambda: pairwise_depth(0), ValueError, "n"),
        (lambda: gamma(-1), ValueError, "k"),
        (lambda: gamma(2**60), ValueError, "k"),
        (lambda: gamma(True), TypeError, "k"),
        (lambda: rounding_error([1.0, 2.0], [1.0, 2.0]), ValueError, "computed"),
        (lambda: exact_error(math.inf, [1.0]), ValueError, "computed"),
        (lambda: error_growth([]), ValueError, "sizes"),
        (lambda: error_growth([4], draws=0), ValueError, "draws"),
    ],
)
def test_bad_input_is_refused_naming_the_argument(
    call: object, error: type[Exception], named: str
) -> None:
    with pytest.raises(error, match=named):
        call()  # type: ignore[operator]


def test_module_exports_exist() -> None:
    assert all(hasattr(summation, name) for name in summation.__all__)


def test_order_result_prints_its_error_in_units_of_u() -> None:
    result = summation.OrderResult("recursive", 1.5, 2 * UNIT_ROUNDOFF, 4 * UNIT_ROUNDOFF)
    assert "error 2.00 u, bound 4.0 u" in str(result)
    assert result.within
    assert not summation.OrderResult("x", 0.0, 1.0, 0.5).within


def test_error_growth_figure_draws_each_series() -> None:
    import matplotlib.pyplot as plt

    from gradavg.chapters.floating_point import plot_error_growth

    growth = error_growth([4, 16], draws=2)
    fig = plot_error_growth(growth)
    lines = {line.get_gid(): line for line in fig.axes[0].get_lines()}
    assert set(lines) == {"recursive", "pairwise", "recursive-bound", "pairwise-bound"}
    assert np.allclose(lines["recursive-bound"].get_ydata(), [3, 15], rtol=1e-12)
    plt.close(fig)
    with pytest.raises(TypeError, match="growth"):
        plot_error_growth([1.0])  # type: ignore[arg-type]
