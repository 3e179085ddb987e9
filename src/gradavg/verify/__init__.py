"""The derivation engine: chains of steps, each proved by sympy, and their records.

This module is the engine's public API, the only names the book and its chapters use.
It knows nothing of the book: a :class:`~gradavg.verify.derivation.Derivation` is a list of :class:`~gradavg.verify.derivation.Step` objects
(an expression, the reason it follows, optional definitions to unfold);
:meth:`~gradavg.verify.derivation.Derivation.verify` proves each step in turn (:mod:`gradavg.verify.proving`: a
symbolic proof for general sizes, exact evaluation, then the checks at fixed sizes and
at random points, which are not proofs) and returns a :class:`~gradavg.verify.derivation.VerifiedDerivation`, whose
rows (:class:`~gradavg.verify.derivation.Row`) the book renders. A step that no method establishes raises
:class:`~gradavg.verify.derivation.StepNotProved`, naming the derivation and the step.
"""

from __future__ import annotations

from gradavg.verify.derivation import (
    DEFINITION_SEPARATOR,
    DIGITS,
    FIXED_SIZES,
    NUMERIC_POINTS,
    RECORD_MIME,
    WHERE,
    Claim,
    ClaimMismatch,
    Derivation,
    DerivationError,
    Inequality,
    NotAnInequality,
    ProofKind,
    ProofMethod,
    Relation,
    Row,
    Step,
    StepNotProved,
    VerifiedDerivation,
    VerifiedInequality,
    VerifiedStep,
    nonnegative,
    prove_equal,
)
from gradavg.verify.printing import latex, text

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
    "Relation",
    "Row",
    "Step",
    "StepNotProved",
    "VerifiedDerivation",
    "VerifiedInequality",
    "VerifiedStep",
    "latex",
    "nonnegative",
    "prove_equal",
    "text",
]
