"""Proving one step: is ``left - right`` zero? Three methods, tried in order.

1. **symbolic** — the difference, with definitions unfolded and derivatives and sums
   evaluated, reduces to exactly zero: cheap transforms first (``expand``, ``doit``,
   ``cancel``), then ``simplify``, ``rewrite(exp)``, cases written out
   (``rewrite(Piecewise)``, for ``Max``, ``Abs`` and the like) and ``.equals(0)``. This holds for
   every value of every symbol, batch sizes included: a **proof**.
2. **fixed sizes** — a **check**. Every symbol that bounds a sum (a batch size N, a
   number of micro-batches K, …) takes each value in :data:`FIXED_SIZES` in every
   combination. An indexed size such as nₖ gets a value of its own for every index once
   the sum over k is written out, so n₁ = 1, n₂ = 3 is tried as well as n₁ = n₂. Then
   every size takes one larger value chosen from the step itself
   (:func:`larger_sizes`): above every integer written in the step, so that no factor
   (N − c) or min(N, c) of the step can vanish there, and varied by the step's hash, so
   no fixed list can be aimed at. At every point the sums are expanded and the
   difference must reduce to exactly zero.
3. **numeric** — a **check**. At every combination of the small sizes, and at the
   larger sizes of :func:`larger_sizes` as in method 2, the remaining
   symbols get :data:`NUMERIC_POINTS` random exact rationals spanning magnitudes from
   10⁻⁶ to 10⁶ of both signs (positive symbols stay positive); both sides are evaluated
   to :data:`DIGITS` significant digits and must agree to a relative tolerance of
   10^-(DIGITS − 10) of the largest term (:func:`agree`). A step with a branch
   (``Abs``, ``sign``, ``Min``/``Max``, ``floor``/``ceiling``, ``Piecewise``,
   ``Heaviside``, ``KroneckerDelta`` of symbolic arguments, …) is left to the other
   methods: random points cannot find the side of a branch they miss.

A step established by a check holds only where it was tried; a derivation that relies
on one must say so (:class:`gradavg.verify.derivation.Derivation`'s ``claim``).

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
from dataclasses import dataclass, replace
from fractions import Fraction

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.simplify.simplify import factor_sum

from gradavg.verify.printing import distinct_indices, latex

FIXED_SIZES = (1, 2, 3, 4)
"""The small values each size symbol takes, in every combination, in the fixed-size and
numeric checks."""

NUMERIC_POINTS = 5
"""Random points per combination of sizes for the numeric check."""

DIGITS = 50
"""Significant digits of every numeric evaluation."""

RELATIVE_TOLERANCE = sp.Float(10, DIGITS) ** -(DIGITS - 10)
"""The numeric check's tolerance, relative to the largest term of either side."""

ZERO_TOLERANCE = sp.Float(10) ** -30
"""Below this, at 50 digits, an inequality's two sides count as equal."""

MAGNITUDES = (-6, -2, 0, 2, 6)
"""Powers of ten the numeric check's random values are scaled by."""

BRANCHES: tuple[type[sp.Basic], ...] = (
    sp.Abs, sp.sign, sp.Min, sp.Max, sp.floor, sp.ceiling, sp.frac, sp.Mod,
    sp.Piecewise, sp.Heaviside, sp.KroneckerDelta, sp.DiracDelta, sp.re, sp.im, sp.arg,
)  # fmt: skip
"""Functions whose value jumps or changes formula; steps with them get no numeric check."""

_UNDEFINED = (sp.zoo, sp.nan, sp.oo, -sp.oo)

Point = dict[sp.Basic, sp.Integer]


class ProofKind(enum.StrEnum):
    """How strong a proof is, from strongest to weakest."""

    SYMBOLIC = "symbolic"
    """For every value of every symbol (a proof)."""
    FIXED_SIZES = "fixed sizes"
    """At each combination of the sizes tried, every other symbol left symbolic (a check)."""
    NUMERIC = "numeric"
    """At random exact points, to a relative tolerance (a check)."""
    EVALUATION = "exact evaluation"
    """Two numbers compared with guaranteed accuracy, for inequalities (a proof)."""

    @property
    def is_proof(self) -> bool:
        """True for a proof; False for a check, which holds only where it was tried."""
        return self in {ProofKind.SYMBOLIC, ProofKind.EVALUATION}


_STRENGTH = list(ProofKind)


@dataclass(frozen=True)
class ProofMethod:
    """What proved a step (or what was tried): its kind, the transform, the sizes checked.

    ``str(method)`` is the full description, for example ``"symbolic (expand)"`` or
    ``"checked at N = 1…4, K = 1…4 and at N = 7, K = 6 (every combination; sums
    expanded)"``; :attr:`label` is the short form printed beside a step.
    """

    kind: ProofKind
    detail: str = ""
    sizes: tuple[str, ...] = ()
    """Names of the size symbols given fixed values (fixed-size and numeric checks)."""
    indexed: tuple[str, ...] = ()
    """Those of :attr:`sizes` that are indexed (``n_k``: one value per k), unlike a plain
    symbol whose name has an underscore (``n_in``)."""
    entrywise: bool = False
    """Proved entry by entry (a matrix step)."""
    larger: str = ""
    """The larger sizes a check also tried, such as ``"N = 7"``."""

    @property
    def label(self) -> str:
        """The kind of proof in a few words, such as ``symbolic``, ``checked at N = 1…4
        and N = 7``, ``checked numerically`` or ``exact evaluation``."""
        if self.kind is ProofKind.FIXED_SIZES and self.sizes:
            also = f" and at {self.larger}" if self.larger else ""
            return f"checked at {_size_range(self.sizes, self.indexed)}{also}"
        if self.kind is ProofKind.NUMERIC:
            return "checked numerically"
        return str(self.kind)

    def __str__(self) -> str:
        also = f"also at {self.larger}" if self.larger and self.kind is ProofKind.NUMERIC else ""
        details = [d for d in ("entry by entry" if self.entrywise else "", self.detail, also) if d]
        return f"{self.label} ({'; '.join(details)})" if details else self.label

    def weaker_than(self, other: ProofMethod) -> bool:
        """True when this kind of proof is weaker than ``other``'s."""
        return _STRENGTH.index(self.kind) > _STRENGTH.index(other.kind)


def _size_range(sizes: tuple[str, ...], indexed: tuple[str, ...]) -> str:
    span = f"{FIXED_SIZES[0]}…{FIXED_SIZES[-1]}"
    return ", ".join(f"{'each ' if name in indexed else ''}{name} = {span}" for name in sizes)


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


def _free_sizes(expr: sp.Basic) -> list[sp.Basic]:
    """The sizes that can take a value now: not indexed by the variable of a sum (nₖ
    inside Σₖ gets one value per k once that sum is written out)."""
    bound = {limit[0] for total in expr.atoms(sp.Sum) for limit in total.limits}
    return [s for s in size_symbols(expr) if not (s.free_symbols & bound - {s})]


def _size_name(size: sp.Basic) -> str:
    """A size as plain text: ``N``, or ``n_k`` for an indexed size."""
    if isinstance(size, sp.Indexed):
        return f"{size.base}_{''.join(map(str, size.indices))}"
    return str(size)


def size_names(expr: sp.Basic) -> tuple[str, ...]:
    """The names of the sizes in ``expr``, an indexed size once by its base (``n_k``)."""
    names: dict[str, str] = {}
    for size in size_symbols(expr):
        base = str(size.base) if isinstance(size, sp.Indexed) else str(size)
        names.setdefault(base, _size_name(size))
    return tuple(names.values())


def indexed_size_names(expr: sp.Basic) -> tuple[str, ...]:
    """Those of :func:`size_names` that belong to indexed sizes (``n_k``)."""
    return tuple(_size_name(s) for s in size_symbols(expr) if isinstance(s, sp.Indexed))


def size_key(name: str, sizes: tuple[str, ...], indexed: tuple[str, ...]) -> str:
    """Which of ``sizes`` a name stands for: an indexed size by its base (``n_k`` and
    ``n_i`` are both ``n``), a plain size whole (``n_in``, even beside an indexed ``n_k``)."""
    base = name.partition("_")[0]
    plain = name in sizes and name not in indexed
    return base if not plain and base in {n.partition("_")[0] for n in indexed} else name


def _cases(
    expr: sp.Basic, values: Callable[[sp.Basic], tuple[int, ...]], point: Point | None = None
) -> Iterator[tuple[Point, sp.Basic]]:
    """Every combination of sizes and ``expr`` at it, its sums written out.

    The free sizes take each of their ``values`` in every combination; writing out the
    sums may bring new ones (n₁, n₂, … from Σₖ over nₖ), which then do the same.
    """
    point = point or {}
    sizes = _free_sizes(expr)
    if not sizes:
        yield point, expr
        return
    for combination in itertools.product(*(values(s) for s in sizes)):
        chosen = {s: sp.Integer(v) for s, v in zip(sizes, combination, strict=True)}
        yield from _cases(written_out(expr.xreplace(chosen)), values, {**point, **chosen})


def _checked_cases(expr: sp.Basic, sizes_of: sp.Basic) -> Iterator[tuple[bool, Point, sp.Basic]]:
    """The cases both checks try: every combination of the small sizes, then the larger
    sizes chosen from ``sizes_of`` (the step's difference); each flagged ``larger``."""
    for values in (_small, larger_sizes(sizes_of)):
        for point, case in _cases(expr, values):
            yield values is not _small, point, case


def written_out(expr: sp.Basic) -> sp.Basic:
    """``expr`` with every sum over a range of numbers written out term by term, the
    outer index first (so an inner bound nₖ becomes n₁, n₂, …), then evaluated."""

    def terms(total: sp.Sum) -> sp.Basic:
        *inner, (index, low, high) = total.limits
        if not (low.is_Integer and high.is_Integer):
            return total
        body = sp.Sum(total.function, *inner) if inner else total.function
        return sp.Add(*(body.xreplace({index: v}) for v in range(int(low), int(high) + 1)))

    for _ in range(64):
        done = expr.replace(lambda e: isinstance(e, sp.Sum), terms)
        if done == expr:
            break
        expr = done
    return expr.doit()


def _small(_: sp.Basic) -> tuple[int, ...]:
    return FIXED_SIZES


def _seed(expr: sp.Basic) -> int:
    """A number that differs per step and is the same in every run."""
    return zlib.crc32(sp.srepr(expr).encode())


def larger_sizes(expr: sp.Basic) -> Callable[[sp.Basic], tuple[int, ...]]:
    """One larger value per size for the fixed-size check, chosen from the step itself.

    It exceeds :data:`FIXED_SIZES` and every integer written in the step (up to 20, so
    that the sums stay small enough to write out), so no factor (N − c), no min(N, c)
    and no polynomial with integer roots written in the step vanishes there; the step's
    hash adds 0 to 2 more, and each size (each n₁, n₂, …) adds its own, so the values are
    not a fixed list and indexed sizes differ from one another.
    """
    written = [abs(int(n)) for n in expr.atoms(sp.Integer) if abs(n) <= 20]
    floor = max([FIXED_SIZES[-1], *written]) + 1
    seed = _seed(expr)

    def value(size: sp.Basic) -> tuple[int, ...]:
        return (floor + (seed + zlib.crc32(str(size).encode())) % 3,)

    return value


def _at(point: Mapping[sp.Basic, sp.Integer]) -> str:
    return ", ".join(f"{latex(s)} = {v}" for s, v in point.items())


def _undefined(expr: sp.Basic) -> bool:
    return bool(expr.has(*_UNDEFINED))


def _failure(error: Exception) -> str:
    """An exception inside a method, as the method's reason for failing."""
    message = str(error).strip() or "(no message)"
    return f"sympy raised {type(error).__name__}: {message}"


def _random_value(symbol: sp.Basic, rng: random.Random) -> sp.Rational:
    """A random exact value of ``symbol``'s kind, of magnitude 10⁻⁶ to 10⁶ (integers: small
    or large), of either sign unless the symbol is positive or nonnegative."""
    positive = bool(symbol.is_positive or symbol.is_nonnegative)
    if symbol.is_integer:
        size = rng.choice((rng.randint(1, 6), rng.randint(10**5, 10**6)))
        if symbol.is_nonnegative and not symbol.is_positive:
            size -= 1
        return sp.Integer(size if positive or rng.random() < 0.5 else -size)
    value = Fraction(rng.randint(1, 999), rng.randint(1, 97)) * Fraction(10) ** rng.choice(
        MAGNITUDES
    )
    if not positive and rng.random() < 0.5:
        value = -value
    return sp.Rational(value.numerator, value.denominator)


def _unknowns(expr: sp.Basic) -> list[sp.Basic]:
    """What a numeric check must give values to: plain symbols and indexed entries."""
    indexed = expr.atoms(sp.Indexed)
    labels = {entry.base.label for entry in indexed} | {entry.base for entry in indexed}
    inside = {s for entry in indexed for s in entry.free_symbols}
    plain = {s for s in expr.free_symbols if isinstance(s, sp.Symbol)} - labels - inside
    return sorted(plain | indexed, key=sp.default_sort_key)


def agree(left: sp.Basic, right: sp.Basic) -> tuple[bool, sp.Float]:
    """Whether two numbers agree to :data:`RELATIVE_TOLERANCE` of their largest term, and
    their difference; both are evaluated to :data:`DIGITS` digits."""
    values = [side.evalf(DIGITS) for side in (left, right)]
    terms = [term.evalf(DIGITS) for side in (left, right) for term in sp.Add.make_args(side)]
    if not all(v.is_number and v.is_real is not False for v in values + terms):
        raise ValueError(f"not a real number: {latex(values[0])}, {latex(values[1])}")
    scale = max(abs(term) for term in terms)
    gap = values[0] - values[1]
    return bool(abs(gap) <= RELATIVE_TOLERANCE * scale), sp.Float(gap, DIGITS)


def branches(expr: sp.Basic) -> list[str]:
    """The branch functions of :data:`BRANCHES` in ``expr`` whose arguments are symbolic."""
    found = {
        type(call).__name__
        for call in expr.atoms(*BRANCHES)
        if call.free_symbols or call.atoms(sp.Sum)
    }
    return sorted(found)


# --- the three methods --------------------------------------------------------------------


def _factor_sums(expr: sp.Basic) -> sp.Basic:
    """Every factor of a summand that does not depend on the sum's index moved in front
    of the sum, innermost limit first (sympy's ``factor_sum``), then expanded."""

    def factored(total: sp.Sum) -> sp.Basic:
        body = total.function
        for limit in total.limits:  # a multiple sum, one limit at a time
            body = factor_sum(sp.Sum(body, limit))
        return body

    expanded = sp.expand(expr)
    return sp.expand(expanded.replace(lambda e: isinstance(e, sp.Sum), factored))


_TRANSFORMS: tuple[tuple[str, Callable[[sp.Basic], sp.Basic]], ...] = (
    ("expand", sp.expand),
    ("expand, doit", lambda d: sp.expand(sp.expand(d).doit())),
    ("cancel", lambda d: sp.cancel(sp.expand(d))),
    ("expand, doit, simplify", lambda d: sp.simplify(sp.expand(d).doit())),
    ("simplify", sp.simplify),
    ("rewrite(exp), simplify", lambda d: sp.simplify(d.rewrite(sp.exp))),
    ("by cases: rewrite(Piecewise), simplify", lambda d: sp.simplify(d.rewrite(sp.Piecewise))),
    ("factor out of sums", _factor_sums),
)
"""Symbolic transforms, cheapest first; the first that gives exactly 0 proves the step."""

_WITH_EXP = (sp.exp, sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sin, sp.cos, sp.tan)
"""Functions that ``rewrite(exp)`` turns into exponentials."""

_WITH_CASES = (sp.Max, sp.Min, sp.Abs, sp.Heaviside, sp.sign, sp.Piecewise)
"""Functions defined by cases, which ``rewrite(Piecewise)`` writes out so that simplify
can decide each case."""


def _symbolic(difference: sp.Basic) -> Attempt:
    tried = ProofMethod(ProofKind.SYMBOLIC)
    leftover, errors = None, []
    for name, transform in _TRANSFORMS:
        if name.startswith("rewrite(exp)") and not difference.has(*_WITH_EXP):
            continue  # nothing to rewrite
        if name.startswith("by cases") and not difference.has(*_WITH_CASES):
            continue
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


def _fixed_sizes(difference: sp.Basic) -> Attempt:
    names = size_names(difference)
    tried = ProofMethod(ProofKind.FIXED_SIZES, sizes=names, indexed=indexed_size_names(difference))
    if not names:
        return Attempt(tried, False, "no sum has a symbolic bound")
    skipped: list[str] = []
    cases = 0
    large_point: Point = {}
    for larger, point, expanded in _checked_cases(difference, difference):
        cases += 1
        try:
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
        if larger:
            large_point = point
    return _covered(tried, "sums expanded", skipped, cases, _plain_at(large_point))


def _plain_at(point: Point) -> str:
    """The larger sizes tried, indexed ones as a range: ``"K = 6, n_k = 5…7"``."""
    plain = [f"{s} = {v}" for s, v in point.items() if not isinstance(s, sp.Indexed)]
    indexed: dict[str, list[int]] = {}
    for s, v in point.items():
        if isinstance(s, sp.Indexed):
            indexed.setdefault(str(s.base), []).append(int(v))
    plain += [f"{base}_k = {min(v)}…{max(v)}" for base, v in indexed.items()]
    return ", ".join(plain)


def _numeric(left: sp.Basic, right: sp.Basic, difference: sp.Basic) -> Attempt:
    names, indexed = size_names(difference), indexed_size_names(difference)
    detail = f"{NUMERIC_POINTS} random exact points"
    detail += f" at each {_size_range(names, indexed)}" if names else ""
    tried = ProofMethod(ProofKind.NUMERIC, f"{detail}, {DIGITS} digits", names, indexed)
    pair = sp.Tuple(left, right)
    undefined = pair.atoms(AppliedUndef)
    if undefined:
        functions = ", ".join(sorted({str(g.func) for g in undefined}))
        return Attempt(tried, False, f"not applicable: undefined function(s) {functions} remain")
    branching = branches(pair)
    if branching:
        return Attempt(tried, False, f"not applicable: branch function(s) {', '.join(branching)}")
    rng = random.Random(_seed(difference))
    skipped, cases = [], 0
    large_point: Point = {}
    for larger, point, concrete in _checked_cases(pair, difference):
        cases += 1
        at = f"at {_at(point)}, " if point else "at "
        try:
            if _undefined(concrete):
                skipped.append(_at(point))
                continue
            unknowns = _unknowns(concrete)
            for _ in range(NUMERIC_POINTS):
                values = {u: _random_value(u, rng) for u in unknowns}
                sides = [side.xreplace(values).doit() for side in concrete]
                where = ", ".join(f"{latex(u)} = {values[u]}" for u in unknowns)
                if any(_undefined(side) for side in sides):
                    return Attempt(tried, False, f"{at}{where}: a side is undefined")
                same, gap = agree(*sides)
                if not same:
                    said = f"{at}{where}, the difference" if where else "the difference"
                    return Attempt(tried, False, f"{said} is {sp.N(gap, 8)}")
        except Exception as error:  # noqa: BLE001
            return Attempt(tried, False, f"{at.removesuffix(', ')}: {_failure(error)}")
        if larger:
            large_point = point
    tolerance = f"{detail}, {DIGITS} digits, relative tolerance 1e-{DIGITS - 10}"
    return _covered(tried, tolerance, skipped, cases, _plain_at(large_point))


def _covered(
    tried: ProofMethod, detail: str, skipped: list[str], cases: int, larger: str = ""
) -> Attempt:
    """The attempt of a check that held at every one of its ``cases`` but the ``skipped``."""
    if skipped and len(skipped) == cases:
        return Attempt(tried, False, "both sides are undefined at every size tried")
    notes = ["every combination"] if len(tried.sizes) > 1 else []
    notes.append(detail)
    if skipped:
        notes.append(f"undefined, so skipped, at {'; '.join(skipped)}")
    return Attempt(replace(tried, detail="; ".join(notes), larger=larger), True)


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
        left, right = left.doit(), right.doit()
    except Exception as error:  # noqa: BLE001
        return [Attempt(ProofMethod(ProofKind.SYMBOLIC, "doit"), False, _failure(error))]
    return _prove_zero(left, right)


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
    lefts, rights = sp.Matrix(left).doit(), sp.Matrix(right).doit()
    for (row, column), entry in (lefts - rights).todok().items():
        attempts = _prove_zero(lefts[row, column], rights[row, column], entry)
        if not attempts[-1].proved:
            at = f"entry ({row + 1}, {column + 1}): "
            return [Attempt(a.method, False, at + a.detail) for a in attempts]
        if weakest is None or attempts[-1].method.weaker_than(weakest):
            weakest = attempts[-1].method
    if weakest is None:  # every entry is identically zero
        return [Attempt(ProofMethod(ProofKind.SYMBOLIC, entrywise=True), True)]
    return [Attempt(replace(weakest, entrywise=True), True)]


def _prove_zero(
    left: sp.Basic, right: sp.Basic, difference: sp.Basic | None = None
) -> list[Attempt]:
    difference = left - right if difference is None else difference
    attempts = [_symbolic(difference)]
    if not attempts[-1].proved:
        attempts.append(_fixed_sizes(difference))
    if not attempts[-1].proved:
        attempts.append(_numeric(left, right, difference))
    return attempts
