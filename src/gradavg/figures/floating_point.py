"""Figures of the chapter *Floating point: why the order of a sum matters*.

:func:`plot_error_growth` draws the observed error of recursive and pairwise summation
against the number of terms, with Higham's bounds, from :func:`gradavg.summation.error_growth`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from gradavg.summation import UNIT_ROUNDOFF, ErrorGrowth

__all__ = ["plot_error_growth"]


def plot_error_growth(growth: ErrorGrowth) -> Figure:
    """Relative error of recursive and pairwise sums against N, in units of u.

    Parameters
    ----------
    growth : ErrorGrowth
        Observed errors and bounds for S values of N, each an array of shape (S,).

    Returns
    -------
    matplotlib.figure.Figure
        One log-log axes. Lines with ``gid`` ``"recursive"`` and ``"pairwise"`` plot the
        observed abs(error) / Σ|a_i| divided by u; dashed lines ``"recursive-bound"`` and
        ``"pairwise-bound"`` plot γ_{N−1} / u and γ_{⌈log₂ N⌉} / u.
    """
    if not isinstance(growth, ErrorGrowth):
        raise TypeError(f"growth must be an ErrorGrowth, got {type(growth).__name__}")
    n = growth.sizes
    fig, ax = plt.subplots()
    series = (
        ("recursive-bound", growth.recursive_bound, "--", "tab:red", "bound γ_{N−1} (recursive)"),
        ("recursive", growth.recursive, "o-", "tab:red", "recursive, observed"),
        ("pairwise-bound", growth.pairwise_bound, "--", "tab:blue", "bound γ_⌈log₂ N⌉ (pairwise)"),
        ("pairwise", growth.pairwise, "s-", "tab:blue", "pairwise, observed"),
    )
    for gid, values, style, color, label in series:
        ax.plot(n, values / UNIT_ROUNDOFF, style, color=color, ms=4, label=label, gid=gid)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=10)
    ax.set_xlabel("number of terms N")
    ax.set_ylabel("|error| / Σ|aᵢ|, in units of u")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig
