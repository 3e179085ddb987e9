"""The book's symbols, declared once with the assumptions that hold for them.

Every page builds its derivations from these, so a symbol means the same thing (and
carries the same sympy assumptions) on every page.
"""

from __future__ import annotations

import sympy as sp

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

u = sp.Symbol("u", real=True)
"""A placeholder argument for defining functions with ``sympy.Lambda``."""

L = sp.Function("L")
"""A per-example loss L(x_i, y_i, θ), differentiable and otherwise arbitrary."""

J = sp.Function("J")
"""The batch objective J(θ), the mean of the per-example losses."""

f = sp.Function("f")
"""The model's prediction f(x)."""


def batch_sum(term: sp.Expr) -> sp.Sum:
    """Σ_{i=1}^{N} term: a sum over the batch."""
    return sp.Sum(term, (i, 1, N))


def batch_mean(term: sp.Expr) -> sp.Expr:
    """(1/N) Σ_{i=1}^{N} term, kept as written (the book's form of a mean)."""
    return sp.Mul(1 / N, batch_sum(term), evaluate=False)


z = sp.Symbol("z", real=True)
"""A pre-activation, the input of an activation function."""
