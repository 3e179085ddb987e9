"""The book's symbols, declared once with the assumptions that hold for them.

Every page builds its derivations from these, so a symbol means the same thing (and
carries the same sympy assumptions) on every page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

N = sp.Symbol("N", integer=True, positive=True)
"""Batch size."""

i = sp.Symbol("i", integer=True, positive=True)
"""Index of an example in the batch, 1 ≤ i ≤ N."""

x = sp.IndexedBase("x", real=True)
"""The inputs; ``x[i]`` is the input of example i."""

y = sp.IndexedBase("y", real=True)
"""The targets; ``y[i]`` is the target of example i."""

theta = sp.Symbol("theta", real=True)
"""A parameter (one coordinate of the parameter vector θ)."""

m, b = sp.symbols("m b", real=True)
"""Slope and intercept of the regression line f(x) = m x + b."""

u = sp.Symbol("xi", real=True)
"""A placeholder argument for defining functions with ``sympy.Lambda``; it prints as ξ,
since u is the unit roundoff (the Python name stays ``u``)."""

L = sp.Function("L")
"""A per-example loss L(x_i, y_i, θ), differentiable and otherwise arbitrary."""

J = sp.Function("J")
"""The batch objective J(θ), the mean of the per-example losses."""

f = sp.Function("f")
"""The model's prediction f(x)."""


K = sp.Symbol("K", integer=True, positive=True)
"""Number of outputs of a network (a second size, independent of N)."""

j, k, p = sp.symbols("j k p", integer=True, positive=True)
"""Indices of a hidden unit (j), an output (k) and an input (p)."""

z = sp.Symbol("z", real=True)
"""A pre-activation, the input of an activation function."""

sigma = sp.Function("sigma")
"""An activation function σ (the sigmoid where a page defines it so)."""

sigma_prime = sp.Function("\\sigma'")
"""Its derivative σ′, a name of its own so that steps can display σ′(z)."""

SIGMOID = {sigma: sp.Lambda(u, 1 / (1 + sp.exp(-u)))}
"""Definitions that make σ the logistic sigmoid."""

SIGMOID_PRIME = {**SIGMOID, sigma_prime: sp.Lambda(u, sigma(u) * (1 - sigma(u)))}
"""σ the sigmoid and σ′ = σ(1 − σ), its derivative (proved in the sigmoid chapter)."""

SIGMA_PRIME = {sigma_prime: sp.Lambda(u, sp.Subs(sp.Derivative(sigma(z), z), z, u))}
"""σ′ as the derivative of an arbitrary σ, for derivations that hold for every activation."""


def entries(name: str) -> sp.IndexedBase:
    """A real array of the book's formulas: ``entries("h")[i, j]`` prints as h_{i,j}."""
    return sp.IndexedBase(name, real=True)


def batch_sum(term: sp.Expr, index: sp.Symbol = i, upper: sp.Expr = N) -> sp.Sum:
    """Σ_{index=1}^{upper} term: a sum over the batch (or over ``index`` up to ``upper``).

    A sum of sums prints as two signs: the inner sum is kept as one factor, where sympy
    would merge the two into one sum with stacked limits.
    """
    if isinstance(term, sp.Sum):
        term = sp.Mul(1, term, evaluate=False)
    return sp.Sum(term, (index, 1, upper))


def batch_mean(term: sp.Expr, index: sp.Symbol = i, upper: sp.Expr = N) -> sp.Expr:
    """(1/upper) Σ term, kept as written (the book's form of a mean)."""
    return sp.Mul(1 / upper, batch_sum(term, index, upper), evaluate=False)


def minus(*factors: sp.Expr) -> sp.Expr:
    """−(the product of ``factors``), kept as written, printed with a leading minus sign."""
    return sp.Mul(-1, *factors, evaluate=False)


xbar, ybar = sp.symbols("xbar ybar", real=True)
"""The batch means x̄ and ȳ (sympy prints a name ending in "bar" with a bar)."""

MEANS = {xbar: batch_mean(x[i]), ybar: batch_mean(y[i])}
"""Definitions of x̄ and ȳ as means over the batch."""


def matrix_entry(
    matrix: sp.MatrixExpr,
    row: sp.Expr,
    column: sp.Expr,
    written_as: Mapping[sp.MatrixSymbol, Callable[[sp.Expr, sp.Expr], sp.Expr]],
    index: sp.Symbol = i,
) -> sp.Expr:
    """Entry (``row``, ``column``), counted from 1, of a matrix expression, as sympy's
    matrix algebra defines it, in the book's notation.

    ``matrix`` is built from ``MatrixSymbol``s of any (symbolic) shape; ``written_as``
    maps each to the book's name for its entry (r, c), counted from 1, for example
    ``{X: lambda r, c: x[r, c]}``. A sum that the product introduces runs over ``index``
    from 1, so that the entry of ``Xᵀ Δ`` is Σᵢ x_{i,p} δ_{i,k}, written as the pages do.
    """
    with sp.evaluate(True):  # pages may call this inside a derivation's block
        return _entry(matrix, row, column, written_as, index)


def _entry(
    matrix: sp.MatrixExpr,
    row: sp.Expr,
    column: sp.Expr,
    written_as: Mapping[sp.MatrixSymbol, Callable[[sp.Expr, sp.Expr], sp.Expr]],
    index: sp.Symbol,
) -> sp.Expr:
    entry = sp.expand(matrix[row - 1, column - 1])
    missing = {e.parent for e in entry.atoms(MatrixElement)} - set(written_as)
    if missing:
        names = ", ".join(sorted(map(str, missing)))
        raise ValueError(f"matrix_entry needs the book's name for the entries of {names}")
    entry = entry.replace(
        lambda e: isinstance(e, MatrixElement),
        lambda e: written_as[e.parent](e.i + 1, e.j + 1),
    )
    for total in entry.atoms(sp.Sum):
        (dummy, start, _end), *_more = total.limits
        entry = entry.subs(total, total.change_index(dummy, dummy - start + 1, index))
    return entry
