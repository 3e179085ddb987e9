"""The rank bound of a batch weight gradient, checked with symbolic entries at small sizes.

The batch gradient of a dense layer is (1/N) Xᵀ Δ, with X of shape (N, n_in) and Δ of
shape (N, n_out); its rank is at most r = min(N, n_in, n_out). :func:`check_rank_bound`
checks this at every size up to a limit, with every entry of X and Δ a symbol: where
r is below min(n_in, n_out), every (r + 1)-minor of Xᵀ Δ must expand to exactly zero.
A check at the sizes tried, not a proof for every size.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy as sp

from gradavg.book.notation import entries


@dataclass(frozen=True)
class RankCase:
    """One size of the check: the shapes, the bound r and how many (r+1)-minors vanished."""

    examples: int
    inputs: int
    outputs: int
    bound: int
    minors: int


def check_rank_bound(largest: int = 3) -> list[RankCase]:
    """Check rank(Xᵀ Δ) ≤ min(N, n_in, n_out) for every N, n_in, n_out in 1…``largest``.

    Raises ``ArithmeticError`` naming the sizes and the minor if one does not vanish.
    Sizes where the bound is min(n_in, n_out), which holds for any matrix, are skipped.
    """
    if largest < 1:
        raise ValueError(f"largest must be at least 1, got {largest}")
    x, delta = entries("x"), entries(r"\delta")
    cases = []
    for n, n_in, n_out in itertools.product(range(1, largest + 1), repeat=3):
        bound = min(n, n_in, n_out)
        if bound == min(n_in, n_out):
            continue
        xs, ds = (
            sp.Matrix(n, n_in, lambda e, p: x[e, p]),
            sp.Matrix(n, n_out, lambda e, q: delta[e, q]),
        )
        gradient = xs.T * ds
        where = f"N = {n}, n_in = {n_in}, n_out = {n_out}"
        minors = vanishing_minors(gradient, bound + 1, where)
        cases.append(RankCase(n, n_in, n_out, bound, minors))
    return cases


def vanishing_minors(matrix: sp.Matrix, order: int, where: str = "") -> int:
    """Expand every ``order`` × ``order`` minor of ``matrix``; return how many there are,
    or raise ``ArithmeticError`` naming ``where`` and the first that is not zero."""
    count = 0
    for rows in itertools.combinations(range(matrix.rows), order):
        for columns in itertools.combinations(range(matrix.cols), order):
            minor = sp.expand(matrix.extract(list(rows), list(columns)).det())
            if minor != 0:
                raise ArithmeticError(
                    f"{where}: the minor on rows {rows} and columns {columns} is {minor}, not 0"
                )
            count += 1
    return count
