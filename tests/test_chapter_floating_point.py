"""The three-term rounding bound read off the corners of the box |δⱼ| ≤ u."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from gradavg.book.notation import entries
from gradavg.chapters.floating_point import corner_bound

a, delta = entries("a"), entries(r"\delta")
u = sp.Symbol("u", positive=True)
FIRST_ORDER = (a[1] + a[2]) * (delta[1] + delta[2]) + a[3] * delta[2]
SECOND_ORDER = (a[1] + a[2]) * delta[1] * delta[2]
ROUNDINGS = [delta[1], delta[2]]


def test_coefficients_are_the_largest_moduli_at_the_corners() -> None:
    first = corner_bound(FIRST_ORDER, [a[1], a[2], a[3]], ROUNDINGS, u)
    assert first.coefficients == (2 * u, 2 * u, u)
    assert first.corners == 4
    assert first.attained_at == (u, u)
    assert sp.simplify(first.bound() - (2 * u * (abs(a[1]) + abs(a[2])) + u * abs(a[3]))) == 0
    second = corner_bound(SECOND_ORDER, [a[1], a[2]], ROUNDINGS, u)
    assert second.coefficients == (u**2, u**2)


def test_a_corner_where_not_every_coefficient_peaks_is_reported_as_none() -> None:
    """a₁(δ₁ + δ₂) + a₂(δ₁ − δ₂): the first peaks where δ₁ = δ₂, the second where they differ."""
    error = a[1] * (delta[1] + delta[2]) + a[2] * (delta[1] - delta[2])
    bound = corner_bound(error, [a[1], a[2]], ROUNDINGS, u)
    assert bound.coefficients == (2 * u, 2 * u)
    assert bound.attained_at is None


unit = st.fractions(min_value=-1, max_value=1)


@given(st.tuples(unit, unit, unit), st.tuples(unit, unit))
def test_the_bound_holds_inside_the_box(terms: tuple, scaled: tuple) -> None:
    """At exact rational points with |δⱼ| ≤ u the error never exceeds the bound."""
    roundoff = Fraction(1, 2**53)
    values = {a[k + 1]: t for k, t in enumerate(terms)}
    values |= {delta[k + 1]: s * roundoff for k, s in enumerate(scaled)}
    values[u] = roundoff
    for error, count in ((FIRST_ORDER, 3), (SECOND_ORDER, 2)):
        bound = corner_bound(error, [a[k] for k in range(1, count + 1)], ROUNDINGS, u)
        assert abs(error.subs(values)) <= bound.bound().subs(values)


@pytest.mark.parametrize(
    ("error", "terms", "u_value", "named"),
    [
        (a[1] * delta[1] ** 2, [a[1]], u, "degree 2 in"),
        (a[1] ** 2 * delta[1], [a[1]], u, "not a linear form"),
        (a[1] * delta[1] + delta[1], [a[1]], u, "not a linear form"),
        (a[1] * delta[1], [a[1]], sp.Symbol("v"), "positive sympy Symbol"),
        (a[1] * delta[1], [], u, "at least one term"),
    ],
)
def test_what_the_corners_cannot_bound_is_refused_by_name(
    error: sp.Expr, terms: list, u_value: sp.Symbol, named: str
) -> None:
    with pytest.raises(ValueError, match=named):
        corner_bound(error, terms, [delta[1]], u_value)
