"""How the book prints sympy expressions: terms in the order written, means as 1/N in front.

:func:`latex` is the one printer behind every displayed derivation, snippet and message.
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter


class _BookPrinter(LatexPrinter):  # type: ignore[misc]
    """sympy's LaTeX printer, keeping terms in the order written and ``1/N`` in front."""

    def __init__(self) -> None:
        super().__init__({"order": "none", "mul_symbol": None})

    def _print_Mul(self, expr: sp.Mul) -> str:
        # Expressions built under sympy.evaluate(False) nest products and keep factors
        # of 1; flatten them, then print  c/N * rest  as  \frac{c}{N} rest  (a mean).
        if not expr.is_Mul:  # sympy prints some powers, such as 1/(1 + e^x), through here
            return str(super()._print_Mul(expr))
        factors = _factors(expr)
        numbers = [a for a in factors if a.is_Number]
        denominators = [a for a in factors if a.is_Pow and a.exp.is_negative and a.base.is_Symbol]
        rest = [a for a in factors if a not in numbers and a not in denominators]
        numerator, denominator = sp.fraction(sp.Mul(*numbers, *denominators))
        if rest and denominator != 1:
            # c/N * rest  or  (1/3) * rest  as  \frac{c}{N} rest, like a mean, not rest / N
            sign = "- " if numerator.is_negative else ""
            fraction = rf"\frac{{{self._print(abs(numerator))}}}{{{self._print(denominator)}}}"
            return f"{sign}{fraction} {self._as_factor(_product(rest))}"
        if len(factors) == 1:  # e.g. the body 1·(y - f) of a sum: keep its parentheses
            return self._as_factor(factors[0])
        return str(super()._print_Mul(sp.Mul(*factors, evaluate=False)))

    def _as_factor(self, expr: sp.Basic) -> str:
        """``expr`` printed as one factor of a product: a sum of terms gets parentheses."""
        text = str(self._print(expr))
        return rf"\left({text}\right)" if expr.is_Add else text

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        # d/dθ (1/N Σ …): bracket a product, so the derivative visibly applies to all of it.
        text = str(super()._print_Derivative(expr))
        if expr.expr.is_Mul:
            inner = str(self._print(expr.expr))
            if text.endswith(inner):
                return text[: -len(inner)] + rf"\left({inner}\right)"
        return text

    def _print_KroneckerDelta(self, expr: sp.KroneckerDelta, exp: str | None = None) -> str:
        # An indicator, 1{i = k}: δ is the error signal in this book, not Kronecker's delta.
        left, right = (self._print(arg) for arg in expr.args[:2])
        text = rf"\mathbb{{1}}\{{{left} = {right}\}}"
        return rf"\left({text}\right)^{{{exp}}}" if exp else text

    def _print_Transpose(self, expr: sp.Transpose) -> str:
        # The book's transpose is ^\top, as in its prose (sympy's default is ^T).
        return str(super()._print_Transpose(expr)).replace("^{T}", r"^{\top}")


def _factors(expr: sp.Basic) -> list[sp.Basic]:
    """The factors of a (possibly nested, unevaluated) product, without factors of 1."""
    if not expr.is_Mul:
        return [expr]
    factors = []
    for arg in expr.args:
        negated = arg.is_Mul and arg.args[0] == -1  # keep  (-x)  as one factor
        factors += [arg] if negated else [f for f in _factors(arg) if f != 1]
    return factors or [sp.Integer(1)]


def _product(factors: list[sp.Basic]) -> sp.Basic:
    return factors[0] if len(factors) == 1 else sp.Mul(*factors, evaluate=False)


def latex(expr: sp.Basic) -> str:
    """LaTeX for ``expr`` as the book displays it (terms in the order they were built)."""
    with sp.evaluate(True):  # the printer does arithmetic; pages may call it unevaluated
        return str(_BookPrinter().doprint(expr))


LATEX_SPECIALS = frozenset("$#%&_^~")
"""Characters a justification may not contain, since they would break its ``\\text{}``."""


def text(words: str) -> str:
    r"""``words`` as LaTeX ``\text{...}``, with braces and backslashes escaped."""
    escaped = words.replace("\\", r"\backslash ").replace("{", r"\{").replace("}", r"\}")
    return rf"\text{{{escaped}}}"


def distinct_indices(expr: sp.Basic, bound: frozenset[sp.Symbol] = frozenset()) -> sp.Basic:
    """``expr`` with the index of a sum nested in another sum over the same index renamed.

    sympy's simplification may nest ``Σ_i Σ_i …``; printed as it is, the inner ``i``
    reads as the outer one. The inner index becomes ``i'`` (``i''``, … as needed).
    """
    if not isinstance(expr, sp.Basic) or not expr.args or isinstance(expr, sp.MatrixBase):
        return expr
    if isinstance(expr, sp.Sum):
        body, limits = expr.function, []
        taken = set(bound) | expr.free_symbols
        for index, *bounds in expr.limits:
            fresh = index
            while index in bound and (fresh in bound or fresh in taken):
                fresh = sp.Symbol(f"{fresh.name}'", **index.assumptions0)
            body = body.xreplace({index: fresh})
            taken.add(fresh)
            limits.append((fresh, *bounds))
        inner = bound | {index for index, *_ in limits}
        return sp.Sum(distinct_indices(body, frozenset(inner)), *limits)
    return expr.func(*(distinct_indices(arg, bound) for arg in expr.args))
