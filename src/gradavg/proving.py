"""Proving one step: is ``left - right`` zero? Three methods, tried in order.

1. **symbolic** — the difference, with definitions unfolded and derivatives and sums
   evaluated, reduces to exactly zero: cheap transforms first (``expand``, ``doit``,
   ``cancel``), then ``simplify``, ``rewrite(exp)`` and ``.equals(0)``. This holds for
   every value of every symbol, batch sizes included.
2. **fixed sizes** — every symbol that bounds a sum (a batch size N, a number of outputs
   K, …) is given each value in :data:`FIXED_SIZES` *on its own*, so N = 2, K = 3 is
   checked as well as N = K = 2; the sums are expanded and the difference must reduce
   to exactly zero. Proves those sizes only.
3. **numeric** — at every combination of fixed sizes, the remaining symbols get random
   exact rationals and the difference is evaluated to :data:`DIGITS` significant digits
   at :data:`NUMERIC_POINTS` points. The only method with a tolerance.

An exception raised inside a method is that method's failure (recorded with its type
and message), and the next method runs. Sizes at which both sides are undefined (a
division by zero, such as 1/(N − 1) at N = 1) are skipped, and the skip is recorded.
"""

from __future__ import annotations

import enum
import itertools
import random
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp
from sympy.core.function import AppliedUndef

from gradavg.printing import distinct_indices, latex

FIXED_SIZES = (1, 2, 3, 4)
"""The values each size symbol takes in the fixed-size and numeric methods."""

NUMERIC_POINTS = 5
"""Random points per combination of sizes for the numeric method."""

DIGITS = 50
"""Significant digits of every numeric evaluation."""

ZERO_TOLERANCE = sp.Float(10) ** -30
"""The numeric method's threshold; a difference below it, at 50 digits, counts as zero."""

_UNDEFINED = (sp.zoo, sp.nan, sp.oo, -sp.oo)


class ProofKind(enum.StrEnum):
    """How strong a proof is, from strongest to weakest."""

    SYMBOLIC = "symbolic"
    """For every value of every symbol."""
    FIXED_SIZES = "fixed sizes"
    """For each combination of the listed sizes, every other symbol left symbolic."""
    NUMERIC = "numeric"
    """At random exact points, to a tolerance."""
    EVALUATION = "exact evaluation"
    """Two numbers compared with guaranteed accuracy (inequalities)."""


_STRENGTH = list(ProofKind)


@dataclass(frozen=True)
class ProofMethod:
    """What proved a step (or what was tried): its kind, the transform, the sizes checked.

    ``str(method)`` is the full description, for example ``"symbolic (expand)"`` or
    ``"fixed N = 1…4, K = 1…4 (every combination; sums expanded)"``; :attr:`label` is the
    short form printed beside a step.
    """

    kind: ProofKind
    detail: str = ""
    sizes: tuple[str, ...] = ()
    """Names of the size symbols given fixed values (fixed-size and numeric methods)."""
    entrywise: bool = False
    """Proved entry by entry (a matrix step)."""

    @property
    def label(self) -> str:
        """The kind of proof in a few words, such as ``symbolic``, ``fixed N = 1…4``, ``numeric``."""
        if self.kind is ProofKind.FIXED_SIZES and self.sizes:
            return f"fixed {_size_range(self.sizes)}"
        return str(self.kind)

    def __str__(self) -> str:
        details = [d for d in ("entry by entry" if self.entrywise else "", self.detail) if d]
        return f"{self.label} ({'; '.join(details)})" if details else self.label

    def weaker_than(self, other: ProofMethod) -> bool:
        """True when this kind of proof is weaker than ``other``'s."""
        return _STRENGTH.index(self.kind) > _STRENGTH.index(other.kind)


def _size_range(sizes: tuple[str, ...]) -> str:
    span = f"{FIXED_SIZES[0]}…{FIXED_SIZES[-1]}"
    return ", ".join(f"{name} = {span}" for name in sizes)


@dataclass(frozen=True)
class Attempt:
    """One method tried on one step: did it prove it, and if not, what was left over."""

    method: ProofMethod
    proved: bool
    detail: str = ""
    """Why it failed, for the error message."""


# --- the pieces the methods share ---------------------------------------------------------


def unfold(expr: sp.Basic, definitions: Mapping[sp.Basic, sp.Basic]) -> sp.Basic:
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
    raise ValueError("definitions refer to each other in a cycle")


def size_symbols(expr: sp.Basic) -> list[sp.Basic]:
    """What the bounds of the sums depend on (the batch sizes), in name order: plain
    symbols such as N, and indexed sizes such as n_k taken whole."""
    bounds = sp.Tuple(
        *(b for total in expr.atoms(sp.Sum) for limit in total.limits for b in limit[1:])
    )
    return sorted(_unknowns(bounds), key=str)


def _size_points(sizes: list[sp.Basic]) -> Iterator[dict[sp.Basic, sp.Integer]]:
    """Every combination of :data:`FIXED_SIZES`, one value per size symbol."""
    for values in itertools.product(FIXED_SIZES, repeat=len(sizes)):
        yield {s: sp.Integer(v) for s, v in zip(sizes, values, strict=True)}


def _at(point: Mapping[sp.Basic, sp.Integer]) -> str:
    return ", ".join(f"{s} = {v}" for s, v in point.items())


def _undefined(expr: sp.Basic) -> bool:
    return bool(expr.has(*_UNDEFINED))


def _failure(error: Exception) -> str:
    """An exception inside a method, as the method's reason for failing."""
    message = str(error).strip() or "(no message)"
    return f"sympy raised {type(error).__name__}: {message}"


def _random_value(symbol: sp.Basic, rng: random.Random) -> sp.Rational:
    if symbol.is_integer:
        return sp.Integer(rng.randint(1, 6) if symbol.is_positive else rng.randint(-6, 6))
    value = Fraction(rng.randint(-60, 60), rng.randint(1, 17))
    if symbol.is_positive or symbol.is_nonnegative:
        value = abs(value) + Fraction(1, 7)
    return sp.Rational(value.numerator, value.denominator)


def _unknowns(expr: sp.Basic) -> list[sp.Basic]:
    """What a numeric check must give values to: plain symbols and indexed entries."""
    indexed = expr.atoms(sp.Indexed)
    labels = {entry.base.label for entry in indexed} | {entry.base for entry in indexed}
    inside = {s for entry in indexed for s in entry.free_symbols}
    plain = {s for s in expr.free_symbols if isinstance(s, sp.Symbol)} - labels - inside
    return sorted(plain | indexed, key=sp.default_sort_key)


# --- the three methods --------------------------------------------------------------------

_TRANSFORMS: tuple[tuple[str, Callable[[sp.Basic], sp.Basic]], ...] = (
    ("expand", sp.expand),
    ("expand, doit", lambda d: sp.expand(sp.expand(d).doit())),
    ("cancel", lambda d: sp.cancel(sp.expand(d))),
    ("expand, doit, simplify", lambda d: sp.simplify(sp.expand(d).doit())),
    ("simplify", sp.simplify),
    ("rewrite(exp), simplify", lambda d: sp.simplify(d.rewrite(sp.exp))),
)
"""Symbolic transforms, cheapest first; the first that gives exactly 0 proves the step."""

_WITH_EXP = (sp.exp, sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sin, sp.cos, sp.tan)
"""Functions that ``rewrite(exp)`` turns into exponentials."""


def _symbolic(difference: sp.Basic) -> Attempt:
    tried = ProofMethod(ProofKind.SYMBOLIC)
    leftover, errors = None, []
    for name, transform in _TRANSFORMS:
        if name.startswith("rewrite(exp)") and not difference.has(*_WITH_EXP):
            continue  # nothing to rewrite
        try:
            result = transform(difference)
        except Exception as error:  # noqa: BLE001 -- a method that raises has failed
            errors.append(f"{name}: {_failure(error)}")
            continue
        if result == 0:
            return Attempt(ProofMethod(ProofKind.SYMBOLIC, name), True)
        leftover = result if leftover is None else leftover
    try:  # equals decides by evaluating at points, which a sum up to a symbol defeats
        if not size_symbols(difference) and difference.equals(0) is True:
            return Attempt(ProofMethod(ProofKind.SYMBOLIC, "sympy equals"), True)
    except Exception as error:  # noqa: BLE001
        errors.append(f"equals: {_failure(error)}")
    said = [f"the difference reduces to {latex(distinct_indices(leftover))}"] if leftover else []
    return Attempt(tried, False, "; ".join(said + errors))


def _fixed_sizes(difference: sp.Basic, sizes: list[sp.Basic]) -> Attempt:
    names = tuple(str(s) for s in sizes)
    tried = ProofMethod(ProofKind.FIXED_SIZES, sizes=names)
    if not sizes:
        return Attempt(tried, False, "no sum has a symbolic bound")
    skipped = []
    for point in _size_points(sizes):
        try:
            expanded = difference.xreplace(point).doit()
            if _undefined(expanded):
                skipped.append(_at(point))
                continue
            leftover = sp.expand(expanded)
            if leftover != 0:
                leftover = sp.simplify(leftover)
        except Exception as error:  # noqa: BLE001
            return Attempt(tried, False, f"at {_at(point)}: {_failure(error)}")
        if leftover != 0:
            return Attempt(tried, False, f"at {_at(point)} the difference is {latex(leftover)}")
    return _covered(tried, "sums expanded", skipped)


def _numeric(difference: sp.Basic, sizes: list[sp.Basic], seed: int) -> Attempt:
    names = tuple(str(s) for s in sizes)
    detail = f"{NUMERIC_POINTS} random exact points"
    detail += f" at each {_size_range(names)}" if sizes else ""
    tried = ProofMethod(ProofKind.NUMERIC, f"{detail}, {DIGITS} digits", names)
    undefined = difference.atoms(AppliedUndef)
    if undefined:
        functions = ", ".join(sorted({str(g.func) for g in undefined}))
        return Attempt(tried, False, f"not applicable: undefined function(s) {functions} remain")
    rng = random.Random(seed)
    skipped = []
    for point in _size_points(sizes):
        at = f"at {_at(point)}, " if point else "at "
        try:
            concrete = difference.xreplace(point).doit()
            if _undefined(concrete):
                skipped.append(_at(point))
                continue
            unknowns = _unknowns(concrete)
            for _ in range(NUMERIC_POINTS):
                values = {u: _random_value(u, rng) for u in unknowns}
                value = concrete.xreplace(values).doit().evalf(DIGITS)
                where = ", ".join(f"{latex(u)} = {values[u]}" for u in unknowns)
                if not value.is_number or _undefined(value):
                    return Attempt(tried, False, f"{at}{where}: not a number: {latex(value)}")
                if abs(value) >= ZERO_TOLERANCE:
                    said = f"{at}{where}, the difference" if where else "the difference"
                    return Attempt(tried, False, f"{said} is {sp.N(value, 8)}")
        except Exception as error:  # noqa: BLE001
            return Attempt(tried, False, f"{at.removesuffix(', ')}: {_failure(error)}")
    return _covered(tried, "", skipped)


def _covered(tried: ProofMethod, detail: str, skipped: list[str]) -> Attempt:
    """The attempt of a method that checked every size but the ``skipped`` ones."""
    total = len(FIXED_SIZES) ** len(tried.sizes)
    if skipped and len(skipped) == total:
        return Attempt(tried, False, "both sides are undefined at every size tried")
    notes = [note for note in (tried.detail or detail,) if note]
    if len(tried.sizes) > 1:
        notes.insert(0, "every combination")
    if skipped:
        notes.append(f"undefined, so skipped, at {'; '.join(skipped)}")
    method = ProofMethod(tried.kind, "; ".join(notes), tried.sizes)
    return Attempt(method, True)


# --- a whole step ---------------------------------------------------------------------------


def prove_equal(
    left: sp.Basic, right: sp.Basic, definitions: Mapping[sp.Basic, sp.Basic] | None = None
) -> list[Attempt]:
    """Try each method in turn on ``left - right``; the last attempt is the proof, if any.

    Matrices are proved entry by entry, and the step is recorded with the weakest
    method any entry needed.
    """
    left, right = unfold(left, definitions or {}), unfold(right, definitions or {})
    if isinstance(left, sp.MatrixBase) or isinstance(right, sp.MatrixBase):
        return _prove_entries(left, right)
    try:
        if sp.expand(_derivatives_done(left - right)) == 0:  # the cheapest proof
            return [Attempt(ProofMethod(ProofKind.SYMBOLIC, "expand"), True)]
        difference = (left - right).doit()
    except Exception as error:  # noqa: BLE001
        return [Attempt(ProofMethod(ProofKind.SYMBOLIC, "doit"), False, _failure(error))]
    return _prove_zero(difference)


def _derivatives_done(expr: sp.Basic) -> sp.Basic:
    """``expr`` with its derivatives and substitutions evaluated, but not its sums.

    ``doit`` would also look for a closed form of every sum with a symbolic bound, which
    is slow and, for sums of indexed terms, never found.
    """
    lazy = (sp.Derivative, sp.Subs)
    for _ in range(8):
        done = expr.replace(lambda e: isinstance(e, lazy), lambda e: e.doit(deep=False))
        if done == expr:
            return done
        expr = done
    return expr


def _prove_entries(left: sp.Basic, right: sp.Basic) -> list[Attempt]:
    shapes = [getattr(side, "shape", "a scalar") for side in (left, right)]
    if shapes[0] != shapes[1]:
        tried = ProofMethod(ProofKind.SYMBOLIC, "matching shapes", entrywise=True)
        return [Attempt(tried, False, f"shapes differ: {shapes[0]} and {shapes[1]}")]
    weakest: ProofMethod | None = None
    for (row, column), entry in sp.Matrix(left - right).doit().todok().items():
        attempts = _prove_zero(entry)
        if not attempts[-1].proved:
            at = f"entry ({row + 1}, {column + 1}): "
            return [Attempt(a.method, False, at + a.detail) for a in attempts]
        if weakest is None or attempts[-1].method.weaker_than(weakest):
            weakest = attempts[-1].method
    if weakest is None:  # every entry is identically zero
        return [Attempt(ProofMethod(ProofKind.SYMBOLIC, entrywise=True), True)]
    return [Attempt(ProofMethod(weakest.kind, weakest.detail, weakest.sizes, True), True)]


def _prove_zero(difference: sp.Basic) -> list[Attempt]:
    sizes = size_symbols(difference)
    seed = zlib.crc32(sp.srepr(difference).encode())  # differs per step, same every run
    attempts = [_symbolic(difference)]
    if not attempts[-1].proved:
        attempts.append(_fixed_sizes(difference, sizes))
    if not attempts[-1].proved:
        attempts.append(_numeric(difference, sizes, seed))
    return attempts
