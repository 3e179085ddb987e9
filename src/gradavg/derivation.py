"""Verified derivations: chains of equalities (and counterexamples) checked by sympy.

A :class:`Derivation` is a starting expression followed by steps, each a new expression
and the rule that justifies it. :meth:`Derivation.verify` proves every step equal to the
one before and returns a :class:`VerifiedDerivation`, the only object that renders: as
one aligned LaTeX block on a notebook page, or as a Markdown snippet for a Q&A answer.
An :class:`Inequality` does the same for "these two are *not* equal".

How a step is proved (the first method that succeeds is recorded):

1. **symbolic** — the difference of the two sides, with definitions unfolded and
   derivatives and sums evaluated, simplifies to zero (``simplify``; ``expand`` first;
   ``rewrite(exp)`` first; ``.equals(0)``). This holds for every batch size N.
2. **fixed N** — for each N = 1…k the sums are expanded into explicit terms and the
   difference simplifies to zero. Proves those N only.
3. **numeric** — at N = 1…k, every remaining symbol is replaced by random exact
   rationals and the difference is evaluated to 50 significant digits at several points.

A step that no method proves raises :class:`StepNotProved`, naming the derivation, the
step, its justification, both sides in LaTeX and what each method left over.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter

FIXED_SIZES = (1, 2, 3, 4)
"""Batch sizes at which the fixed-N and numeric methods check a step."""

NUMERIC_POINTS = 5
"""Random points per batch size for the numeric method."""

DIGITS = 50
"""Significant digits of every numeric evaluation."""

_ZERO_TOLERANCE = sp.Float(10) ** -30


class DerivationError(Exception):
    """A derivation or inequality that does not hold as written."""


class StepNotProved(DerivationError):
    """No method could prove a step of a derivation equal to the one before."""


class NotAnInequality(DerivationError):
    """The two sides of an :class:`Inequality` could not be shown to differ."""


# --- rendering ---------------------------------------------------------------------


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


_LATEX_SPECIALS = frozenset("$#%&_^~")
"""Characters a justification may not contain: they would break its ``\\text{}``."""


def _text(words: str) -> str:
    r"""``words`` as LaTeX ``\text{...}``, with braces and backslashes escaped."""
    escaped = words.replace("\\", r"\backslash ").replace("{", r"\{").replace("}", r"\}")
    return rf"\text{{{escaped}}}"


# --- proving one step ----------------------------------------------------------------


def _unfold(expr: sp.Basic, definitions: Mapping[sp.Basic, sp.Basic]) -> sp.Basic:
    """Replace defined names by their definitions until none is left."""
    for _ in range(len(definitions) + 1):
        before = expr
        for name, meaning in definitions.items():
            expr = (
                expr.replace(name, meaning)
                if isinstance(meaning, sp.Lambda)
                else expr.xreplace({name: meaning})
            )
        if expr == before:
            return expr
    raise DerivationError("definitions refer to each other in a cycle")


def _is_zero(expr: sp.Basic) -> bool:
    """Exactly zero: a proof accepts nothing less (only the numeric method has a tolerance)."""
    return bool(expr == 0)


def _sizes(expr: sp.Basic) -> set[sp.Symbol]:
    """Symbols that appear in the bounds of a sum: the batch sizes."""
    return {
        s
        for total in expr.atoms(sp.Sum)
        for limit in total.limits
        for s in sp.Tuple(*limit[1:]).free_symbols
    }


def _at_size(expr: sp.Basic, sizes: Iterable[sp.Symbol], n: int) -> sp.Basic:
    return expr.xreplace(dict.fromkeys(sizes, sp.Integer(n))).doit()


def _random_value(symbol: sp.Basic, rng: random.Random) -> sp.Rational:
    if symbol.is_integer:
        return sp.Integer(rng.randint(1, 6) if symbol.is_positive else rng.randint(-6, 6))
    value = Fraction(rng.randint(-60, 60), rng.randint(1, 17))
    if symbol.is_positive or symbol.is_nonnegative:
        value = abs(value) + Fraction(1, 7)
    return sp.Rational(value.numerator, value.denominator)


def _unknowns(expr: sp.Basic) -> set[sp.Basic]:
    """What a numeric check must give values to: plain symbols and indexed entries."""
    indexed = expr.atoms(sp.Indexed)
    labels = {entry.base.label for entry in indexed} | {entry.base for entry in indexed}
    inside = {s for entry in indexed for s in entry.free_symbols}
    plain = {s for s in expr.free_symbols if isinstance(s, sp.Symbol)} - labels - inside
    return set(plain | indexed)


@dataclass(frozen=True)
class _Attempt:
    method: str
    proved: bool
    detail: str = ""  # why it failed, for the error message


_SYMBOLIC: tuple[tuple[str, Callable[[sp.Basic], sp.Basic]], ...] = (
    ("simplify", sp.simplify),
    ("expand, simplify", lambda d: sp.simplify(sp.expand(d))),
    ("expand, doit, simplify", lambda d: sp.simplify(sp.expand(d).doit())),
    ("rewrite(exp), simplify", lambda d: sp.simplify(d.rewrite(sp.exp))),
)


def _symbolic(difference: sp.Basic) -> _Attempt:
    leftover = difference
    for name, method in _SYMBOLIC:
        leftover = method(difference)
        if _is_zero(leftover):
            return _Attempt(f"symbolic ({name})", True)
    if difference.equals(0) is True:
        return _Attempt("symbolic (sympy equals)", True)
    return _Attempt("symbolic", False, f"the difference simplifies to {latex(leftover)}")


def _fixed_sizes(difference: sp.Basic, sizes: set[sp.Symbol]) -> _Attempt:
    label = f"fixed N = {FIXED_SIZES[0]}…{FIXED_SIZES[-1]}"
    if not sizes:
        return _Attempt(label, False, "no sum with a symbolic bound")
    for n in FIXED_SIZES:
        expanded = _at_size(difference, sizes, n)
        leftover = sp.simplify(sp.expand(expanded))
        if not _is_zero(leftover):
            return _Attempt(label, False, f"at N = {n} the difference is {latex(leftover)}")
    return _Attempt(f"{label} (sums expanded)", True)


def _numeric(difference: sp.Basic, sizes: set[sp.Symbol], seed: int) -> _Attempt:
    label = f"numeric ({NUMERIC_POINTS} random exact points"
    label += f" at each N = {FIXED_SIZES[0]}…{FIXED_SIZES[-1]}, " if sizes else ", "
    label += f"{DIGITS} digits)"
    undefined = difference.atoms(AppliedUndef)
    if undefined:
        names = ", ".join(sorted({str(g.func) for g in undefined}))
        return _Attempt(label, False, f"not applicable: undefined function(s) {names} remain")
    rng = random.Random(seed)
    for n in FIXED_SIZES if sizes else (None,):
        concrete = difference if n is None else _at_size(difference, sizes, n)
        unknowns = sorted(_unknowns(concrete), key=sp.default_sort_key)
        for _ in range(NUMERIC_POINTS):
            point = {u: _random_value(u, rng) for u in unknowns}
            value = concrete.xreplace(point).doit().evalf(DIGITS)
            if not value.is_number:
                return _Attempt(label, False, f"not a number after substitution: {latex(value)}")
            if abs(value) >= _ZERO_TOLERANCE:
                where = ", ".join(f"{latex(u)} = {point[u]}" for u in unknowns)
                at = f"N = {n}, " if n is not None else ""
                return _Attempt(label, False, f"{at}{where}: difference {sp.N(value, 8)}")
    return _Attempt(label, True)


def prove_equal(
    left: sp.Basic, right: sp.Basic, definitions: Mapping[sp.Basic, sp.Basic] = {}
) -> list[_Attempt]:
    """Try each method in turn on ``left - right``; the last attempt is the proof, if any.

    Matrices are proved entry by entry, and the step is recorded with the weakest
    method any entry needed.
    """
    left, right = _unfold(left, definitions), _unfold(right, definitions)
    if isinstance(left, sp.MatrixBase) or isinstance(right, sp.MatrixBase):
        return _prove_entries(left, right)
    return _prove_zero((left - right).doit())


def _prove_entries(left: sp.Basic, right: sp.Basic) -> list[_Attempt]:
    shapes = [getattr(side, "shape", "a scalar") for side in (left, right)]
    if shapes[0] != shapes[1]:
        return [_Attempt("matching shapes", False, f"shapes differ: {shapes[0]} and {shapes[1]}")]
    weakest: list[_Attempt] = []
    for (row, column), entry in sp.Matrix(left - right).doit().todok().items():
        attempts = _prove_zero(entry)
        if not attempts[-1].proved:
            at = f"entry ({row + 1}, {column + 1}): "
            return [_Attempt(a.method, False, at + a.detail) for a in attempts]
        weakest = max(weakest, attempts, key=len)
    if not weakest:  # every entry is identically zero
        return [_Attempt("symbolic (entry by entry)", True)]
    method = weakest[-1].method
    kind, _, details = method.partition(" (")
    return [_Attempt(f"{kind} (entry by entry; {details}" if details else method, True)]


def _prove_zero(difference: sp.Basic) -> list[_Attempt]:
    sizes = _sizes(difference)
    seed = zlib.crc32(sp.srepr(difference).encode())  # differs per step, same every run
    attempts = [_symbolic(difference)]
    if not attempts[-1].proved:
        attempts.append(_fixed_sizes(difference, sizes))
    if not attempts[-1].proved:
        attempts.append(_numeric(difference, sizes, seed))
    return attempts


# --- derivations ----------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One line of a derivation: an expression and the rule that leads to it."""

    expr: sp.Basic
    why: str


@dataclass(frozen=True)
class VerifiedStep(Step):
    """A step together with the method that proved it equal to the one before."""

    method: str

    @property
    def kind(self) -> str:
        """Kind of proof, the method without its details (symbolic, fixed N = 1…k or numeric)."""
        return self.method.split(" (")[0]


@dataclass
class Derivation:
    """A titled chain of equalities ``start = step 1 = step 2 = …``, not yet verified.

    Parameters
    ----------
    title
        What the chain shows; error messages and the snippet name it.
    start
        The expression the chain starts from (usually the quantity being computed).
    definitions
        Names used in the displayed expressions and what they stand for, unfolded before
        each check: an undefined function mapped to a ``sympy.Lambda``, or a symbol or
        expression mapped to an expression.
    page
        The page that displays the derivation, named in error messages.
    """

    title: str
    start: sp.Basic
    definitions: Mapping[sp.Basic, sp.Basic] = field(default_factory=dict)
    page: str | None = None
    steps: list[Step] = field(default_factory=list)

    def __post_init__(self) -> None:
        if isinstance(self.start, sp.MatrixBase):
            self.start = sp.ImmutableMatrix(self.start)

    def step(self, expr: sp.Basic, why: str) -> Derivation:
        """Append ``= expr`` justified by ``why``; returns the derivation to chain calls."""
        if isinstance(expr, sp.MatrixBase):
            expr = sp.ImmutableMatrix(expr)
        if not isinstance(expr, sp.Basic):
            raise TypeError(
                f"step {len(self.steps) + 1} of {self.title!r}: expr must be a sympy expression, got {type(expr).__name__}"
            )
        if set(why) & _LATEX_SPECIALS:
            raise ValueError(
                f"step {len(self.steps) + 1} of {self.title!r}: the justification {why!r} "
                f"may not contain the LaTeX special characters {' '.join(sorted(_LATEX_SPECIALS))}"
            )
        if not why.strip():
            raise ValueError(f"step {len(self.steps) + 1} of {self.title!r}: give a justification")
        self.steps.append(Step(expr, why))
        return self

    def verify(self) -> VerifiedDerivation:
        """Prove every step equal to the one before, or raise :class:`StepNotProved`."""
        if not self.steps:
            raise DerivationError(f"derivation {self.title!r} has no steps to verify")
        with sp.evaluate(True):  # pages build expressions under evaluate(False)
            return self._verify()

    def _verify(self) -> VerifiedDerivation:
        verified = []
        previous = self.start
        for number, current in enumerate(self.steps, start=1):
            attempts = prove_equal(previous, current.expr, self.definitions)
            if not attempts[-1].proved:
                raise StepNotProved(self._failure(number, previous, current, attempts))
            verified.append(VerifiedStep(current.expr, current.why, attempts[-1].method))
            previous = current.expr
        return VerifiedDerivation(self.title, self.start, tuple(verified), self.page)

    def _failure(
        self, number: int, previous: sp.Basic, current: Step, attempts: list[_Attempt]
    ) -> str:
        where = f"page {self.page!r}, " if self.page else ""
        tried = "\n".join(f"  - {a.method}: {a.detail}" for a in attempts)
        return (
            f"{where}derivation {self.title!r}, step {number} ({current.why}) is not proved.\n"
            f"  before: {latex(previous)}\n"
            f"  after:  {latex(current.expr)}\n"
            f"methods tried:\n{tried}"
        )


@dataclass(frozen=True)
class VerifiedDerivation:
    """A derivation whose every step has been proved; this is what a page displays."""

    title: str
    start: sp.Basic
    steps: tuple[VerifiedStep, ...]
    page: str | None = None

    @property
    def result(self) -> sp.Basic:
        """The last expression of the chain."""
        return self.steps[-1].expr

    def statement(self) -> str:
        """LaTeX for ``start = result``, the derivation's conclusion in one line."""
        return f"{latex(self.start)} = {latex(self.result)}"

    def latex(self, *, methods: bool = True) -> str:
        """One ``aligned`` block: a step per line, its rule (and proof method) beside it."""
        lines = []
        for index, step in enumerate(self.steps):
            left = latex(self.start) if index == 0 else ""
            line = rf"{left} &= {latex(step.expr)} && {_text(step.why)}"
            if methods:  # the kind of proof only; methods() has the details
                line += rf" && \scriptsize\checkmark\ {_text(step.kind)}"
            lines.append(line)
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def methods(self) -> list[tuple[int, str, str]]:
        """``(step number, justification, proof method)`` for each step."""
        return [(n, s.why, s.method) for n, s in enumerate(self.steps, start=1)]

    def snippet(self, url: str | None = None) -> str:
        """Markdown with ``$$…$$`` math that pastes into a Stack Exchange answer."""
        return _snippet(
            self.latex(methods=False), f"each step verified with sympy ({self._summary()})", url
        )

    def _summary(self) -> str:
        kinds = sorted({step.kind for step in self.steps})
        return "; ".join(kinds)

    def _repr_latex_(self) -> str:
        return f"$$\n{self.latex()}\n$$"

    def __str__(self) -> str:
        lines = [f"{self.title}:", f"  {sp.sstr(self.start)}"]
        lines += [f"  = {sp.sstr(s.expr)}    [{s.why}; {s.method}]" for s in self.steps]
        return "\n".join(lines)


def _snippet(math: str, provenance: str, url: str | None) -> str:
    source = f"[The Gradient of the Average]({url})" if url else "*The Gradient of the Average*"
    return f"$$\n{math}\n$$\n\n<sub>From {source}; {provenance}.</sub>\n"


# --- inequalities -----------------------------------------------------------------------


@dataclass(frozen=True)
class Inequality:
    """A claim that two concrete expressions differ, such as a counterexample.

    Both sides must be numbers (no free symbols) once ``definitions`` are unfolded;
    :meth:`verify` evaluates them to :data:`DIGITS` significant digits with guaranteed
    accuracy and records which side is larger.
    """

    title: str
    left: sp.Basic
    right: sp.Basic
    definitions: Mapping[sp.Basic, sp.Basic] = field(default_factory=dict)
    page: str | None = None

    def verify(self) -> VerifiedInequality:
        """Show the two sides differ, or raise :class:`NotAnInequality`."""
        with sp.evaluate(True):  # pages build expressions under evaluate(False)
            return self._verify()

    def _verify(self) -> VerifiedInequality:
        where = f"page {self.page!r}, " if self.page else ""
        left, right = (_unfold(side, self.definitions).doit() for side in (self.left, self.right))
        symbols = left.free_symbols | right.free_symbols
        if symbols:
            raise NotAnInequality(
                f"{where}inequality {self.title!r}: both sides must be numbers, "
                f"but they depend on {sorted(map(str, symbols))}"
            )
        difference = left - right
        try:
            gap = difference.evalf(DIGITS, strict=True)
        except sp.core.evalf.PrecisionExhausted:
            gap = sp.Integer(0)
        if sp.simplify(difference) == 0 or abs(gap) < _ZERO_TOLERANCE:
            raise NotAnInequality(
                f"{where}inequality {self.title!r} does not hold: both sides are equal.\n"
                f"  left:  {latex(self.left)}\n  right: {latex(self.right)}"
            )
        return VerifiedInequality(
            self.title, self.left, self.right, left.evalf(DIGITS), right.evalf(DIGITS), self.page
        )


@dataclass(frozen=True)
class VerifiedInequality:
    """Two expressions shown to differ, with their values to :data:`DIGITS` digits."""

    title: str
    left: sp.Basic
    right: sp.Basic
    left_value: sp.Float
    right_value: sp.Float
    page: str | None = None
    method: str = f"exact evaluation to {DIGITS} significant digits"

    @property
    def relation(self) -> str:
        """``<`` or ``>``: how the left side compares with the right."""
        return "<" if self.left_value < self.right_value else ">"

    @property
    def gap(self) -> sp.Float:
        """Left minus right, to :data:`DIGITS` digits."""
        return self.left_value - self.right_value

    def latex(self, digits: int = 4) -> str:
        """The two sides with their decimals, and the relation between them."""
        left = rf"{latex(self.left)} \approx {sp.N(self.left_value, digits)}"
        right = rf"{latex(self.right)} \approx {sp.N(self.right_value, digits)}"
        return rf"{left} \;{self.relation}\; {right}"

    def snippet(self, url: str | None = None, digits: int = 4) -> str:
        """Markdown with ``$$…$$`` math that pastes into a Stack Exchange answer."""
        return _snippet(self.latex(digits), f"checked with sympy by {self.method}", url)

    def _repr_latex_(self) -> str:
        return f"$$\n{self.latex()}\n$$"
