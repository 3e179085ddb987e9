"""Verified derivations: chains of equalities (and counterexamples) checked by sympy.

A :class:`Derivation` is a starting expression followed by steps, each a new expression
and the rule that justifies it. :meth:`Derivation.verify` proves every step equal to the
one before (:func:`gradavg.verify.proving.prove_equal`: symbolic, then fixed sizes, then
numeric) and returns a :class:`VerifiedDerivation`, the only object that renders: as one
aligned LaTeX block on a page, or as a Markdown snippet for a Q&A answer. An
:class:`Inequality` states a relation between two numbers (<, > or ≠) and verifies it.

A step that no method proves raises :class:`StepNotProved`, naming the page, the
derivation, the step, its justification, both sides in LaTeX and what each method left
over. A step that only a *check* established (fixed sizes, random points) holds only
where it was tried: the derivation must then declare its ``claim`` (``"M ≤ 4"``,
``"numerically"``), which the engine compares with its record, and the statement's
quantifier (:meth:`VerifiedDerivation.quantifier`) is read from both. The definitions a
chain unfolded are kept with it and shown under it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Literal

import sympy as sp

from gradavg.verify.printing import LATEX_SPECIALS, latex, text
from gradavg.verify.proving import (
    DIGITS,
    FIXED_SIZES,
    NUMERIC_POINTS,
    ZERO_TOLERANCE,
    Attempt,
    ProofKind,
    ProofMethod,
    indexed_size_names,
    prove_equal,
    size_key,
    size_names,
    size_symbols,
    unfold,
)

__all__ = [
    "DEFINITION_SEPARATOR",
    "DIGITS",
    "FIXED_SIZES",
    "NUMERIC_POINTS",
    "RECORD_MIME",
    "WHERE",
    "Claim",
    "ClaimMismatch",
    "Derivation",
    "DerivationError",
    "Inequality",
    "NotAnInequality",
    "ProofKind",
    "ProofMethod",
    "Row",
    "Step",
    "StepNotProved",
    "VerifiedDerivation",
    "VerifiedInequality",
    "VerifiedStep",
    "latex",
    "nonnegative",
    "prove_equal",
]


class DerivationError(Exception):
    """A derivation or inequality that does not hold as written."""


class StepNotProved(DerivationError):
    """No method could prove a step of a derivation equal to the one before."""


class NotAnInequality(DerivationError):
    """The claimed relation between the two sides of an :class:`Inequality` does not hold."""


class ClaimMismatch(DerivationError):
    """A derivation's declared claim and what its steps established disagree."""


WHERE = r"\text{where }"
"""How the line of definitions under a derivation starts (``VerifiedDerivation.latex``)."""
DEFINITION_SEPARATOR = r",\quad "
"""What separates two definitions on that line."""

_BOUND = re.compile(r"^\s*([A-Za-z]\w*)\s*(?:≤|<=)\s*(\d+)\s*$")


@dataclass(frozen=True)
class Claim:
    """What a derivation that relies on a check claims: sizes bounded, or numerically.

    Written as text, parts separated by commas: ``"M ≤ 4"`` (every size the checks fixed,
    each with its bound, at most the largest of :data:`gradavg.verify.proving.FIXED_SIZES`), ``"numerically"``
    (random points), or both, ``"N ≤ 3, numerically"``.
    """

    bounds: tuple[tuple[str, int], ...] = ()
    numerically: bool = False

    @classmethod
    def parse(cls, claim: str, where: str) -> Claim:
        """Read ``claim``; raise :class:`ClaimMismatch` naming ``where`` if it is malformed."""
        bounds, numerically = [], False
        for part in (p.strip() for p in claim.split(",")):
            bound = _BOUND.match(part)
            if part == "numerically":
                numerically = True
            elif bound and 1 <= int(bound[2]) <= FIXED_SIZES[-1]:
                bounds.append((bound[1], int(bound[2])))
            else:
                raise ClaimMismatch(
                    f"{where}: cannot read the claim part {part!r}: write 'SIZE ≤ n' with "
                    f"1 ≤ n ≤ {FIXED_SIZES[-1]}, or 'numerically'"
                )
        return cls(tuple(bounds), numerically)

    def __str__(self) -> str:
        parts = [f"{name} ≤ {bound}" for name, bound in self.bounds]
        return ", ".join(parts + (["numerically"] if self.numerically else []))


# --- derivations ----------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One line of a derivation: an expression and the rule that leads to it."""

    expr: sp.Basic
    why: str


@dataclass(frozen=True)
class VerifiedStep(Step):
    """A step together with the method that proved it equal to the one before."""

    method: ProofMethod

    @property
    def kind(self) -> ProofKind:
        """The kind of proof (symbolic, fixed sizes or numeric)."""
        return self.method.kind


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
    claim
        Needed exactly when a step is only *checked*: what the derivation then claims,
        such as ``"M ≤ 4"`` or ``"numerically"`` (see :class:`Claim`).
    """

    title: str
    start: sp.Basic
    definitions: Mapping[sp.Basic, sp.Basic] = field(default_factory=dict)
    page: str | None = None
    steps: list[Step] = field(default_factory=list)
    claim: str | None = None

    def __post_init__(self) -> None:
        self.start = _checked(self.start, f"the start of {self.title!r}")

    def step(self, expr: sp.Basic, why: str) -> Derivation:
        """Append ``= expr`` justified by ``why``; returns the derivation to chain calls."""
        where = f"step {len(self.steps) + 1} of {self.title!r}"
        expr = _checked(expr, where)
        if set(why) & LATEX_SPECIALS:
            raise ValueError(
                f"{where}: the justification {why!r} may not contain the LaTeX special "
                f"characters {' '.join(sorted(LATEX_SPECIALS))}"
            )
        if not why.strip():
            raise ValueError(f"{where}: give a justification")
        self.steps.append(Step(expr, why))
        return self

    def verify(self) -> VerifiedDerivation:
        """Prove every step equal to the one before, or raise :class:`StepNotProved`."""
        if not self.steps:
            raise DerivationError(f"{self._where()} has no steps to verify")
        with sp.evaluate(True):  # pages build expressions under evaluate(False)
            return self._verify()

    def _where(self) -> str:
        page = f"page {self.page!r}, " if self.page else ""
        return f"{page}derivation {self.title!r}"

    def _verify(self) -> VerifiedDerivation:
        verified = []
        previous = self.start
        for number, current in enumerate(self.steps, start=1):
            try:
                attempts = prove_equal(previous, current.expr, self.definitions)
            except ValueError as error:  # definitions in a cycle
                raise DerivationError(f"{self._where()}: {error}") from None
            if not attempts[-1].proved:
                raise StepNotProved(self._failure(number, previous, current, attempts))
            verified.append(VerifiedStep(current.expr, current.why, attempts[-1].method))
            previous = current.expr
        claim = self._checked_claim(verified)
        definitions = tuple(self.definitions.items())
        return VerifiedDerivation(
            self.title, self.start, tuple(verified), self.page, claim, definitions
        )

    def _checked_claim(self, steps: list[VerifiedStep]) -> Claim | None:
        """The declared claim, if it matches what the checks established, else raise."""
        checks = [(n, s) for n, s in enumerate(steps, start=1) if not s.kind.is_proof]
        if self.claim is None:
            if checks:
                number, step = checks[0]
                raise ClaimMismatch(
                    f"{self._where()}, step {number} ({step.why}) is only checked "
                    f"({step.method}), not proved. Prove it symbolically, or declare what "
                    f"the derivation claims, e.g. claim={_suggested(step.method)!r}."
                )
            return None
        claim = Claim.parse(self.claim, self._where())
        if not checks:
            raise ClaimMismatch(
                f"{self._where()} declares the claim {self.claim!r}, but every step is "
                "proved: drop the claim"
            )
        sizes = tuple(name for _, step in checks for name in step.method.sizes)
        indexed = tuple(name for _, step in checks for name in step.method.indexed)
        claimed = {size_key(name, sizes, indexed) for name, _ in claim.bounds}
        for number, step in checks:
            at = f"{self._where()}, step {number} ({step.why}), {step.method}:"
            if step.kind is ProofKind.NUMERIC and not claim.numerically:
                raise ClaimMismatch(f"{at} the claim {self.claim!r} must say 'numerically'")
            missing = [n for n in step.method.sizes if size_key(n, sizes, indexed) not in claimed]
            if missing:
                raise ClaimMismatch(
                    f"{at} the claim {self.claim!r} must bound {', '.join(missing)}"
                )
        fixed = {size_key(name, sizes, indexed) for name in sizes}
        extra = sorted(n for n, _ in claim.bounds if size_key(n, sizes, indexed) not in fixed)
        if extra:
            raise ClaimMismatch(
                f"{self._where()}: the claim {self.claim!r} bounds {', '.join(extra)}, "
                "which no check fixed"
            )
        return claim

    def _failure(
        self, number: int, previous: sp.Basic, current: Step, attempts: list[Attempt]
    ) -> str:
        tried = "\n".join(f"  - {a.method.kind}: {a.detail}" for a in attempts)
        return (
            f"{self._where()}, step {number} ({current.why}) is not proved.\n"
            f"  before: {latex(previous)}\n"
            f"  after:  {latex(current.expr)}\n"
            f"methods tried:\n{tried}"
        )


def _suggested(method: ProofMethod) -> str:
    parts = [f"{name} ≤ {FIXED_SIZES[-1]}" for name in method.sizes]
    return ", ".join(parts + (["numerically"] if method.kind is ProofKind.NUMERIC else []))


def _checked(expr: object, where: str) -> sp.Basic:
    """``expr`` as a sympy expression (a matrix made immutable), or raise naming ``where``."""
    if isinstance(expr, sp.MatrixBase):
        return sp.ImmutableMatrix(expr)
    if not isinstance(expr, sp.Basic):
        raise TypeError(f"{where}: expr must be a sympy expression, got {type(expr).__name__}")
    return expr


RECORD_MIME = "application/vnd.gradavg.record+json"
"""The media type under which a verified result gives its :meth:`~VerifiedDerivation.record`
beside its LaTeX, so that a page can draw it from data."""


@dataclass(frozen=True)
class Row:
    """One displayed line of a verified result, as data: the page draws it from these."""

    left: str
    """LaTeX of the left side; empty on every line of a chain but the first."""
    relation: str
    """LaTeX of the relation, ``=`` in a chain and ``<`` or ``>`` in an inequality."""
    right: str
    """LaTeX of the right side."""
    justification: str
    """The rule the step applies, in words (empty for an inequality)."""
    method: str
    """How the line was established, in words (the method's short label)."""

    def latex(self, *, methods: bool = True) -> str:
        """The line in an ``aligned`` block: ``left &= right && \\text{why}`` (and the method)."""
        line = rf"{self.left} &{self.relation} {self.right} && {text(self.justification)}"
        return line + (rf" && \scriptsize\checkmark\ {text(self.method)}" if methods else "")


@dataclass(frozen=True)
class VerifiedDerivation:
    """A derivation whose every step has been proved; this is what a page displays."""

    title: str
    start: sp.Basic
    steps: tuple[VerifiedStep, ...]
    page: str | None = None
    claim: Claim | None = None
    """What the derivation claims where a step is only checked, None when all are proved."""
    definitions: tuple[tuple[sp.Basic, sp.Basic], ...] = ()
    """The definitions unfolded in the proofs, in the order given, shown under the chain."""

    @property
    def result(self) -> sp.Basic:
        """The last expression of the chain."""
        return self.steps[-1].expr

    def statement(self) -> str:
        """LaTeX for ``start = result``, the derivation's conclusion in one line."""
        return f"{latex(self.start)} = {latex(self.result)}"

    def definition_lines(self) -> list[str]:
        """Each definition as LaTeX ``name = meaning``; a function as ``f(u) = …``."""
        lines = []
        for name, meaning in self.definitions:
            if isinstance(meaning, sp.Lambda):
                name, meaning = name(*meaning.variables), meaning.expr  # noqa: PLW2901
            lines.append(f"{latex(name)} = {latex(meaning)}")
        return lines

    def where(self) -> str:
        """The line of definitions shown under the chain (empty without definitions)."""
        lines = self.definition_lines()
        return WHERE + DEFINITION_SEPARATOR.join(lines) if lines else ""

    def rows(self) -> tuple[Row, ...]:
        """The chain as data, a :class:`Row` per step: what the page draws."""
        return tuple(
            Row(
                latex(self.start) if n == 0 else "",
                "=",
                latex(step.expr),
                step.why,
                step.method.label,
            )
            for n, step in enumerate(self.steps)
        )

    def record(self) -> dict[str, object]:
        """The rows and the definitions, as JSON-ready data (:data:`RECORD_MIME`)."""
        return {
            "kind": "derivation",
            "title": self.title,
            "rows": [asdict(row) for row in self.rows()],
            "definitions": self.definition_lines(),
        }

    def latex(self, *, methods: bool = True) -> str:
        """One ``aligned`` block: a step per line, its rule (and proof method) beside it."""
        lines = [row.latex(methods=methods) for row in self.rows()]
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def methods(self) -> list[tuple[int, str, ProofMethod]]:
        """``(step number, justification, proof method)`` for each step."""
        return [(n, s.why, s.method) for n, s in enumerate(self.steps, start=1)]

    @property
    def sizes(self) -> list[sp.Basic]:
        """The size symbols (bounds of sums) anywhere in the chain, in name order."""
        return size_symbols(sp.Tuple(self.start, *(step.expr for step in self.steps)))

    def proved_for(self) -> str:
        """How the chain was proved, in words read from the record, for the prose.

        For example ``"symbolically, for every N and K"``, or, when a step needed a
        weaker method, ``"symbolically for every N, except step 3: fixed N = 1…4"``.
        """
        every = " and ".join(self.size_names())
        symbolic = "symbolically" + (f", for every {every}" if every else "")
        weaker = [(n, m) for n, _, m in self.methods() if m.kind is not ProofKind.SYMBOLIC]
        if not weaker:
            return symbolic
        listed = "; ".join(f"step {n}: {m}" for n, m in weaker)
        if len(weaker) == len(self.steps):
            return listed.replace("step 1: ", "") if len(weaker) == 1 else listed
        return f"{symbolic}, except {listed}"

    def size_names(self) -> tuple[str, ...]:
        """The names of :attr:`sizes`, an indexed size by its base (``n_k``)."""
        return size_names(sp.Tuple(self.start, *(step.expr for step in self.steps)))

    def quantifier(self) -> str:
        """What the chain establishes about its sizes, as Markdown for a statement.

        ``"for every $N$"`` when every step is proved; with a claim, its bounded sizes
        instead (``"for $M \\le 4$"``), and ``"checked numerically at random points"``
        for a numeric claim. Empty for a chain without sizes that is proved.
        """
        bounds = dict(self.claim.bounds) if self.claim else {}
        chain = sp.Tuple(self.start, *(step.expr for step in self.steps))
        sizes, indexed = self.size_names(), indexed_size_names(chain)
        bounded = {size_key(name, sizes, indexed) for name in bounds}
        every = [f"${n}$" for n in sizes if size_key(n, sizes, indexed) not in bounded]
        parts = [f"for every {' and every '.join(every)}"] if every else []
        parts += [f"for ${n} \\le {bound}$" for n, bound in bounds.items()]
        text = " and ".join(parts)
        if self.claim and self.claim.numerically:
            text = f"{text}, checked numerically at random points".lstrip(", ")
        return text

    def snippet(self, url: str | None = None) -> str:
        """Markdown with ``$$…$$`` math that pastes into a Stack Exchange answer."""
        where = self.where()
        math = self.latex(methods=False) + (f"\n$$\n\n$$\n{where}" if where else "")
        return _snippet(math, f"each step verified with sympy ({self._summary()})", url)

    def _summary(self) -> str:
        return "; ".join(sorted({step.method.label for step in self.steps}))

    def _repr_latex_(self) -> str:
        where = self.where()
        return f"$$\n{self.latex()}\n" + (f"\n{where}\n" if where else "") + "$$"

    def __str__(self) -> str:
        lines = [f"{self.title}:", f"  {sp.sstr(self.start)}"]
        lines += [f"  = {sp.sstr(s.expr)}    [{s.why}; {s.method}]" for s in self.steps]
        return "\n".join(lines)


def _snippet(math: str, provenance: str, url: str | None) -> str:
    source = f"[The Gradient of the Average]({url})" if url else "*The Gradient of the Average*"
    return f"$$\n{math}\n$$\n\n<sub>From {source}; {provenance}.</sub>\n"


# --- inequalities -----------------------------------------------------------------------

Relation = Literal["<", ">", "!="]
EVALUATED = ProofMethod(
    ProofKind.EVALUATION, f"to {DIGITS} significant digits, accuracy guaranteed"
)
"""How an inequality is verified, both sides evaluated with guaranteed accuracy."""
_RELATIONS: dict[str, str] = {"<": "<", ">": ">", "!=": r"\neq"}


@dataclass(frozen=True)
class Inequality:
    """A claim that two concrete expressions stand in ``relation`` (<, > or !=).

    Both sides must be numbers (no free symbols) once ``definitions`` are unfolded;
    :meth:`verify` evaluates them to :data:`~gradavg.verify.proving.DIGITS` significant digits
    with guaranteed accuracy and checks the claimed relation.
    """

    title: str
    left: sp.Basic
    relation: Relation
    right: sp.Basic
    definitions: Mapping[sp.Basic, sp.Basic] = field(default_factory=dict)
    page: str | None = None

    def __post_init__(self) -> None:
        if self.relation not in _RELATIONS:
            raise ValueError(
                f"inequality {self.title!r}: relation must be one of "
                f"{', '.join(map(repr, _RELATIONS))}, got {self.relation!r}"
            )

    def verify(self) -> VerifiedInequality:
        """Show the claimed relation holds, or raise :class:`NotAnInequality`."""
        with sp.evaluate(True):  # pages build expressions under evaluate(False)
            return self._verify()

    def _verify(self) -> VerifiedInequality:
        where = f"page {self.page!r}, " if self.page else ""
        where += f"inequality {self.title!r}"
        try:
            left, right = (
                unfold(side, self.definitions).doit() for side in (self.left, self.right)
            )
        except ValueError as error:
            raise NotAnInequality(f"{where}: {error}") from None
        symbols = left.free_symbols | right.free_symbols
        if symbols:
            raise NotAnInequality(
                f"{where}: both sides must be numbers, "
                f"but they depend on {sorted(map(str, symbols))}"
            )
        difference = left - right
        try:
            gap = difference.evalf(DIGITS, strict=True)
        except sp.core.evalf.PrecisionExhausted:
            gap = sp.Integer(0)
        sides = f"  left:  {latex(self.left)}\n  right: {latex(self.right)}"
        if sp.simplify(difference) == 0 or abs(gap) < ZERO_TOLERANCE:
            raise NotAnInequality(f"{where} does not hold: both sides are equal.\n{sides}")
        found = "<" if gap < 0 else ">"
        if self.relation not in {"!=", found}:
            raise NotAnInequality(
                f"{where} claims left {self.relation} right, but left {found} right "
                f"(left − right = {sp.N(gap, 8)}).\n{sides}"
            )
        return VerifiedInequality(
            self.title,
            self.left,
            self.right,
            left.evalf(DIGITS),
            right.evalf(DIGITS),
            self.relation,
            self.page,
        )


def nonnegative(title: str, expr: sp.Basic, page: str | None = None) -> sp.Ge:
    """``expr ≥ 0`` when sympy's assumptions infer it from its symbols' declared ones
    (a sum of squares and non-negative terms, say), or :class:`NotAnInequality`.

    An inference, so a proof from the declarations; sympy answers "unknown" far more
    often than it could, and then the claim must be argued or checked another way.
    """
    where = (f"page {page!r}, " if page else "") + f"sign claim {title!r}"
    with sp.evaluate(True):
        known = expr.is_nonnegative
    if known is not True:
        found = "negative somewhere" if known is False else "unknown"
        raise NotAnInequality(
            f"{where}: sympy's assumptions do not show that {latex(expr)} ≥ 0 ({found})"
        )
    return sp.Ge(expr, 0, evaluate=False)


@dataclass(frozen=True)
class VerifiedInequality:
    """Two expressions shown to stand in the claimed relation, with their values."""

    title: str
    left: sp.Basic
    right: sp.Basic
    left_value: sp.Float
    right_value: sp.Float
    claim: Relation
    page: str | None = None
    method: ProofMethod = field(default_factory=lambda: EVALUATED)

    @property
    def relation(self) -> Literal["<", ">"]:
        """``<`` or ``>``: how the left side compares with the right (what was verified)."""
        return "<" if self.left_value < self.right_value else ">"

    @property
    def gap(self) -> sp.Float:
        """Left minus right, to :data:`~gradavg.verify.proving.DIGITS` digits."""
        return self.left_value - self.right_value

    def row(self, digits: int = 4) -> Row:
        """The two sides with their decimals and the relation between them, as data."""
        left, right = (
            latex(side) if side.is_Number else rf"{latex(side)} \approx {sp.N(value, digits)}"
            for side, value in ((self.left, self.left_value), (self.right, self.right_value))
        )  # a plain number needs no decimal beside it
        return Row(left, _RELATIONS[self.relation], right, "", self.method.label)

    def record(self) -> dict[str, object]:
        """The comparison as JSON-ready data (:data:`RECORD_MIME`)."""
        return {
            "kind": "inequality",
            "title": self.title,
            "rows": [asdict(self.row())],
            "definitions": [],
        }

    def latex(self, digits: int = 4, *, methods: bool = True) -> str:
        """The two sides with their decimals, the relation between them and (unless
        ``methods`` is false) how it was checked."""
        row = self.row(digits)
        mark = rf" \qquad \scriptsize {text('✓ ' + row.method)}" if methods else ""
        return rf"{row.left} \;{row.relation}\; {row.right}{mark}"

    def snippet(self, url: str | None = None, digits: int = 4) -> str:
        """Markdown with ``$$…$$`` math that pastes into a Stack Exchange answer."""
        return _snippet(
            self.latex(digits, methods=False), f"checked with sympy by {self.method}", url
        )

    def _repr_latex_(self) -> str:
        return f"$$\n{self.latex()}\n$$"
