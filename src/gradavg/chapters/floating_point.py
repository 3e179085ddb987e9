r"""The chapter *Floating point*: a rounding error bound read off corners, and the figure.

The error of a floating-point sum, expanded in its rounding errors ρⱼ, is a sum of terms
aᵢ · cᵢ(ρ), each cᵢ a polynomial of degree at most one in every ρⱼ (multilinear). For
every fixed a the error is then multilinear in ρ, so its largest and smallest values over
the box :math:`|\rho_j| \le u` are taken at corners, and so is the largest value of its
modulus. At any ρ the triangle inequality gives
:math:`|\sum_i a_i c_i(\rho)| \le \sum_i |c_i(\rho)|\,|a_i|`, so with
:math:`b_i = \max_k |c_i(\text{corner}_k)|` the bound
:math:`|\text{error}| \le \sum_i b_i |a_i|` holds on the whole box. :func:`corner_bound`
evaluates every cᵢ exactly at every corner and returns the bᵢ; the facts about
multilinear functions and the triangle inequality are argued, not checked.

:func:`plot_error_growth` draws the observed error of recursive and pairwise summation
against the number of terms, with Higham's bounds, from :func:`gradavg.summation.error_growth`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import sympy as sp
from matplotlib.figure import Figure

from gradavg.book.style import legend_below
from gradavg.summation import UNIT_ROUNDOFF, ErrorGrowth


@dataclass(frozen=True)
class CornerBound:
    r"""The coefficients bᵢ of the bound :math:`\sum_i b_i |a_i|` on ``error``, and the
    number of corners evaluated."""

    error: sp.Expr
    terms: tuple[sp.Expr, ...]
    coefficients: tuple[sp.Expr, ...]
    corners: int
    attained_at: tuple[sp.Expr, ...] | None
    r"""A corner where every :math:`|c_i|` equals its bᵢ at once, if there is one: there,
    with every aᵢ of the sign of cᵢ, the error equals the bound, so no smaller bᵢ would do."""

    def bound(self) -> sp.Expr:
        r"""The bound :math:`\sum_i b_i |a_i|`, grouped by coefficient as written."""
        groups: dict[sp.Expr, list[sp.Expr]] = {}
        for term, coefficient in zip(self.terms, self.coefficients, strict=True):
            groups.setdefault(coefficient, []).append(sp.Abs(term))
        with sp.evaluate(False):
            return sp.Add(*(c * sp.Add(*moduli) for c, moduli in groups.items()))


def corner_bound(
    error: sp.Expr, terms: Sequence[sp.Expr], deltas: Sequence[sp.Symbol], u: sp.Symbol
) -> CornerBound:
    r"""Bound ``error``, linear in ``terms`` and multilinear in ``deltas``, by
    :math:`\sum_i b_i |a_i|` for :math:`|\rho_j| \le u` (``deltas`` are the ρⱼ).

    Raises ``ValueError`` naming what is wrong when ``u`` is not a positive symbol, when
    ``error`` is not linear in the terms or not of degree at most one in some ρⱼ, or when
    it has a part that no term multiplies.
    """
    if not (isinstance(u, sp.Symbol) and u.is_positive):
        raise ValueError(f"u must be a positive sympy Symbol, got {u!r}")
    if not terms or not deltas:
        raise ValueError("corner_bound needs at least one term and one rounding error")
    expanded = sp.expand(error)
    poly = sp.Poly(expanded, *terms)
    if poly.total_degree() > 1 or poly.coeff_monomial(1) != 0:
        raise ValueError(f"the error {error} is not a linear form in {list(terms)}")
    coefficients = [poly.coeff_monomial(term) for term in terms]
    for coefficient in coefficients:
        for delta in deltas:
            if sp.degree(coefficient, delta) > 1:
                raise ValueError(
                    f"the error {error} is of degree {sp.degree(coefficient, delta)} "
                    f"in {delta}; the corners bound it only where it is multilinear"
                )
    corners = list(itertools.product((u, -u), repeat=len(deltas)))
    moduli = [
        [sp.Abs(sp.expand(c.subs(dict(zip(deltas, corner, strict=True))))) for c in coefficients]
        for corner in corners
    ]
    largest = tuple(sp.Max(*column) for column in zip(*moduli, strict=True))
    attained = next(
        (
            corner
            for corner, row in zip(corners, moduli, strict=True)
            if all(sp.simplify(m - b) == 0 for m, b in zip(row, largest, strict=True))
        ),
        None,
    )
    return CornerBound(error, tuple(terms), largest, len(corners), attained)


# --- figures --------------------------------------------------------------------------


def plot_error_growth(growth: ErrorGrowth) -> Figure:
    """Relative error of recursive and pairwise sums against N, in units of u.

    Parameters
    ----------
    growth : ErrorGrowth
        Observed errors and bounds for S values of N, each an array of shape (S,).

    Returns
    -------
    matplotlib.figure.Figure
        One log-log axes. Lines with ``gid`` ``"recursive"`` and ``"pairwise"`` plot the
        observed abs(error) / Σ|a_i| divided by u; dashed lines ``"recursive-bound"`` and
        ``"pairwise-bound"`` plot γ_{N−1} / u and γ_{⌈log₂ N⌉} / u.
    """
    if not isinstance(growth, ErrorGrowth):
        raise TypeError(f"growth must be an ErrorGrowth, got {type(growth).__name__}")
    n = growth.sizes
    fig, ax = plt.subplots(layout="constrained")
    series = (
        ("recursive-bound", growth.recursive_bound, "--", "tab:red", "bound γ_{N−1} (recursive)"),
        ("recursive", growth.recursive, "o-", "tab:red", "recursive, observed"),
        ("pairwise-bound", growth.pairwise_bound, "--", "tab:blue", "bound γ_⌈log₂ N⌉ (pairwise)"),
        ("pairwise", growth.pairwise, "s-", "tab:blue", "pairwise, observed"),
    )
    for gid, values, style, color, label in series:
        ax.plot(n, values / UNIT_ROUNDOFF, style, color=color, ms=4, label=label, gid=gid)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=10)
    ax.set_xlabel("number of terms N")
    ax.set_ylabel("|error| / Σ|aᵢ|, in units of u")
    legend_below(fig, ncols=2)
    return fig
