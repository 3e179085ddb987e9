"""The chapter *The sigmoid counterexample*: a batch's two factors, their check, the figure.

For a batch z_1, …, z_N the correct backward factor is the mean of σ′(z_i) and the
shortcut's is σ′(z̄). :func:`mean_and_at_mean` writes both exactly, for an
:class:`~gradavg.verify.derivation.Inequality` between them; :func:`float64_agreement` compares
its verified values with the package's float64 :func:`~gradavg.activations.averaging_gap`,
and :func:`factor_numbers` gives the numbers the prose quotes about a batch.

:func:`plot_averaging_gap` draws σ′ with a batch of pre-activations on it, the mean of σ′
over the batch and σ′ at the batch mean, and the gap between the two: the picture of
Jensen's inequality for the derivative that backpropagation multiplies by, and
:func:`gap_explorer` the same picture with a batch of two that the reader moves
(``docs/_static/gap-explorer.js`` draws it and computes its numbers in the browser).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from matplotlib.figure import Figure
from matplotlib.transforms import offset_copy

from gradavg.activations import averaging_gap, sigmoid_prime
from gradavg.book.formats import scientific, true_minus
from gradavg.book.notation import sigma_prime
from gradavg.book.page import Formula, Html
from gradavg.book.style import legend_below
from gradavg.verify import VerifiedDerivation, VerifiedInequality, latex


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


# --- figures --------------------------------------------------------------------------


CURVE_POINTS = 400
"""Number of points on the drawn σ′ curve."""


def plot_averaging_gap(
    points: Sequence[float],
    z_range: tuple[float, float] = (-4.0, 6.0),
    *,
    inflection: float | None = None,
) -> Figure:
    """σ′ with a batch on it, the mean of σ′ and σ′ at the mean, and their gap.

    Parameters
    ----------
    points : sequence of float, length N ≥ 1
        The batch of pre-activations z_1, …, z_N.
    z_range : (float, float), default (−4, 6)
        The interval of z on which σ′ is drawn; it should contain the batch.
    inflection : float, optional
        If given, the inflection points ±``inflection`` of σ′ are drawn as dotted
        vertical lines and the region between them, where σ′ is concave, is shaded.

    Returns
    -------
    matplotlib.figure.Figure
        One axes. Its artists carry ``gid`` names for inspection: ``"sigma-prime"``
        (the curve), ``"batch"`` (the points (z_i, σ′(z_i))), ``"chord"`` (for N = 2, the
        segment joining them), ``"mean-of-derivative"`` (z̄, mean σ′(z_i)),
        ``"derivative-at-mean"`` (z̄, σ′(z̄)) and ``"gap"`` (the segment between those two).
        The legend, below the axes, names each of them and gives the gap, mean of
        σ′(z_i) minus σ′(z̄), as :func:`gap_label` formats it.
    """
    lo, hi = float(z_range[0]), float(z_range[1])
    if not lo < hi:
        raise ValueError(f"z_range must be increasing, got {z_range}")
    result = averaging_gap(points, "sigmoid")
    z = np.asarray(result.points, dtype=np.float64)
    z_mean = float(np.mean(z))
    on_curve = np.asarray(sigmoid_prime(z), dtype=np.float64)

    fig, ax = plt.subplots(layout="constrained")
    grid = np.linspace(lo, hi, CURVE_POINTS)
    ax.plot(grid, sigmoid_prime(grid), color="0.25", label="σ′(z)", gid="sigma-prime")

    if inflection is not None:
        ax.axvspan(-inflection, inflection, color="tab:blue", alpha=0.06, lw=0)
        for side in (-inflection, inflection):
            ax.axvline(side, color="0.5", ls=":", lw=1.0, gid="inflection")
        ax.text(
            inflection,
            0.0,
            " inflection",
            color="0.4",
            ha="left",
            va="bottom",
            transform=ax.get_xaxis_transform(),
        )

    if z.size == 2:
        ax.plot(z, on_curve, color="tab:blue", ls="--", lw=1.2, gid="chord")
    ax.plot(z, on_curve, "o", color="tab:blue", ms=6, label="batch: σ′(zᵢ)", gid="batch", zorder=3)
    ax.plot(
        [z_mean],
        [result.mean_of_derivative],
        "s",
        color="tab:blue",
        mfc="white",
        mew=1.8,
        ms=7,
        label="mean of σ′(zᵢ)",
        gid="mean-of-derivative",
        zorder=4,
    )
    ax.plot(
        [z_mean],
        [result.derivative_at_mean],
        "D",
        color="tab:orange",
        ms=6,
        label="σ′(z̄), σ′ at the mean",
        gid="derivative-at-mean",
        zorder=4,
    )
    # The gap is a bracket beside z̄, 10 points to the right, so the two markers at z̄
    # cannot hide it however small it is.
    ax.plot(
        [z_mean, z_mean],
        [result.mean_of_derivative, result.derivative_at_mean],
        color="tab:red",
        lw=2.5,
        marker="_",
        ms=9,
        mew=2.5,
        solid_capstyle="butt",
        label=gap_label(result.gap),
        gid="gap",
        transform=offset_copy(ax.transData, fig=fig, x=10, units="points"),
    )
    ax.set_xlim(lo, hi)
    ax.margins(y=0.08)  # room for a batch point at the peak of σ′
    ax.set_xlabel("pre-activation z")
    ax.set_ylabel("σ′(z)")
    # Below the axes, so that no legend entry can cover the curve, the batch or the gap.
    legend_below(fig, ncols=3)
    return fig


def gap_label(gap: float) -> str:
    """Legend text for the gap, mean of σ′(z_i) minus σ′(z̄), with a true minus sign."""
    return true_minus(f"gap {gap:+#.4g}")


def gap_explorer(
    batch: tuple[float, float],
    z_range: tuple[float, float],
    inflection: float,
    step: float = 0.05,
) -> Html:
    """Markup for a figure of σ′ with a batch of two points the reader moves.

    Two sliders (or dragging the points) set z₁ and z₂ within ``z_range`` in steps of
    ``step``; the script shows the mean of σ′, σ′ at the mean and their gap, and says
    whether the batch lies in the concave region ``|z| < inflection``. The markup is
    ``hidden`` until the script runs, so a page without JavaScript shows only its
    static figure.
    """
    lo, hi = (float(end) for end in z_range)
    if not (lo < hi and step > 0 and all(lo <= point <= hi for point in batch)):
        raise ValueError(f"the batch {batch} must lie in the increasing range {z_range}")
    sliders = "".join(
        f'<label for="gap-explorer-z{k}">z<sub>{k}</sub></label>'
        f'<input type="range" id="gap-explorer-z{k}" min="{lo:g}" max="{hi:g}"'
        f' step="{step:g}" value="{point:g}">'
        f'<output for="gap-explorer-z{k}" id="gap-explorer-z{k}-value"></output>'
        for k, point in enumerate(batch, start=1)
    )
    readout = "".join(
        f'<dt>{escape(name)}</dt><dd data-value="{key}"></dd>'
        for key, name in (
            ("mean", "mean of σ′(zᵢ)"),
            ("at-mean", "σ′(z̄), σ′ at the mean"),
            ("gap", "gap, mean of σ′ minus σ′ at the mean"),
        )
    )
    return Html(
        f'<div class="gap-explorer" hidden data-inflection="{inflection!r}"'
        f' data-z-min="{lo:g}" data-z-max="{hi:g}">'
        '<svg class="gap-explorer-plot" viewBox="0 0 640 300" role="img"'
        ' aria-labelledby="gap-explorer-caption"></svg>'
        f'<div class="gap-explorer-sliders">{sliders}</div>'
        f'<dl class="gap-explorer-readout">{readout}</dl>'
        '<p class="gap-explorer-verdict" id="gap-explorer-caption" aria-live="polite"></p>'
        "</div>"
    )
