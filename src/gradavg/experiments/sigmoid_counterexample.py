"""The sigmoid counterexample: a batch's two factors as written, and their float64 check.

For a batch z_1, …, z_N the correct backward factor is the mean of σ′(z_i) and the
shortcut's is σ′(z̄). :func:`mean_and_at_mean` writes both exactly, for an
:class:`~gradavg.derivation.Inequality` between them; :func:`float64_agreement` compares
its verified values with the package's float64 :func:`~gradavg.activations.averaging_gap`,
and :func:`factor_numbers` gives the numbers the prose quotes about a batch.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from gradavg.activations import averaging_gap
from gradavg.book import scientific
from gradavg.derivation import VerifiedDerivation, VerifiedInequality
from gradavg.notation import sigma_prime
from gradavg.page import Formula
from gradavg.printing import latex


def mean_and_at_mean(batch: Sequence[int]) -> tuple[sp.Expr, sp.Expr]:
    """``(1/N)(σ′(z_1) + … + σ′(z_N))`` and ``σ′(z̄)`` for a batch of integers.

    The mean is kept as written (sympy would distribute the factor 1/N); z̄ is exact.
    """
    if not batch:
        raise ValueError("the batch must hold at least one point")
    terms = sp.Add(*(sigma_prime(sp.Integer(point)) for point in batch), evaluate=False)
    mean = sp.Mul(sp.Rational(1, len(batch)), terms, evaluate=False)
    return mean, sigma_prime(sp.Rational(sum(batch), len(batch)))


def float64_agreement(batch: Sequence[float], exact: VerifiedInequality) -> float:
    """How far the package's float64 sigmoid factors for ``batch`` are from ``exact``.

    ``exact`` is a verified comparison of the mean of σ′ (left) with σ′ at the mean
    (right) for the same batch; the result is the larger of the two absolute differences.
    """
    floats = averaging_gap(list(batch), "sigmoid")
    return max(
        abs(floats.mean_of_derivative - float(exact.left_value)),
        abs(floats.derivative_at_mean - float(exact.right_value)),
    )


def factor_numbers(
    batch: Sequence[float], exact: VerifiedInequality, tolerance: float = 1e-15
) -> dict[str, object]:
    """The numbers the prose quotes about one batch, once the package agrees with them.

    ``exact`` compares the mean of σ′ (left) with σ′ at the mean (right) for ``batch``.
    Returns the two factors (``"mean"``, ``"at-mean"``), the ``"gap"`` (mean minus
    at-mean), its size (``"gap-abs"``), its size relative to the correct factor
    (``"relative"``, a percentage) and how closely the float64 package reproduces both
    factors (``"agreement"``, words). Raises :class:`ValueError` if the package is off by
    more than ``tolerance``.
    """
    agreement = float64_agreement(batch, exact)
    if not agreement <= tolerance:
        raise ValueError(f"the package is off by {agreement:.1e} on the batch {list(batch)}")
    gap = exact.gap
    return {
        "mean": exact.left_value,
        "at-mean": exact.right_value,
        "gap": gap,
        "gap-abs": abs(gap),
        "relative": f"{float(abs(gap) / exact.left_value):.1%}",
        "agreement": f"to within {scientific(agreement)}" if agreement else "to the last bit",
    }


def one_line(proof: VerifiedDerivation) -> Formula:
    """Every expression of a verified chain joined by ``=`` in one line, for inline glue."""
    return Formula(
        " = ".join(latex(expr) for expr in (proof.start, *(s.expr for s in proof.steps)))
    )
