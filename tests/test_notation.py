"""The book's notation: entries of matrix expressions as sympy defines them, and ᵀ as ⊤."""

from __future__ import annotations

import pytest
import sympy as sp

from gradavg.book.notation import N, batch_sum, entries, i, k, matrix_entry, p
from gradavg.verify import latex

x, delta = entries("x"), entries(r"\delta")
n_in, n_out = sp.symbols("n_in n_out", integer=True, positive=True)
X, D = sp.MatrixSymbol("X", N, n_in), sp.MatrixSymbol(r"\Delta", N, n_out)
ROWS = {X: lambda r, c: x[r, c], D: lambda r, c: delta[r, c]}


def test_the_entry_of_a_product_is_sympys_sum_counted_from_one() -> None:
    entry = matrix_entry(X.T * D, p, k, ROWS)
    assert entry == batch_sum(x[i, p] * delta[i, k])


def test_at_a_concrete_size_the_entry_is_the_written_out_sum() -> None:
    X3, D3 = sp.MatrixSymbol("X", 3, 2), sp.MatrixSymbol(r"\Delta", 3, 2)
    named = {X3: ROWS[X], D3: ROWS[D]}
    entry = matrix_entry(X3.T * D3, 2, 1, named).doit()
    assert entry == x[1, 2] * delta[1, 1] + x[2, 2] * delta[2, 1] + x[3, 2] * delta[3, 1]


def test_an_outer_product_has_no_sum() -> None:
    x_i, d_i = sp.MatrixSymbol("x_i", n_in, 1), sp.MatrixSymbol(r"\delta_i", n_out, 1)
    named = {x_i: lambda r, _c: x[i, r], d_i: lambda r, _c: delta[i, r]}
    assert matrix_entry(x_i * d_i.T, p, k, named) == x[i, p] * delta[i, k]


def test_a_matrix_without_a_name_for_its_entries_is_refused() -> None:
    with pytest.raises(ValueError, match=r"name for the entries of \\Delta"):
        matrix_entry(X.T * D, p, k, {X: ROWS[X]})


def test_the_transpose_prints_as_top() -> None:
    assert latex(X.T * D) == r"X^{\top} \Delta"


def test_an_entry_is_the_same_inside_a_derivations_block() -> None:
    """Pages build steps under sympy.evaluate(False); the entry must not change there."""
    with sp.evaluate(False):
        entry = matrix_entry(X.T * D, p, k, ROWS)
    assert entry == batch_sum(x[i, p] * delta[i, k])
