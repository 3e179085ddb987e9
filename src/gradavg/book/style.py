"""The look of every figure of the book, and SVG output that is the same on every build.

Each chapter's figures are drawn in :mod:`gradavg.chapters`; :func:`use_book_style`
makes every figure look alike and come out byte-for-byte the same on every build (SVG with a fixed
hash salt and no creation date); :func:`legend_below` puts a figure's legend under its axes.
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.legend import Legend

BOOK_STYLE: dict[str, Any] = {
    "svg.hashsalt": "gradavg",  # stable element ids in the SVG
    "svg.fonttype": "path",
    # 4.8 in is 460 CSS px: on a 390 px phone the figure shrinks to about 0.78, and 11 pt
    # text stays at 11 CSS px or more.
    "figure.figsize": (4.8, 3.4),
    "figure.dpi": 100,
    "font.size": 11,
    # No fill behind the figure or its axes, so the page's background shows through, light
    # or dark: IPython saves a figure with the figure's own face colour, whatever
    # savefig.transparent says.
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.transparent": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
}


def use_book_style() -> None:
    """Apply the book's matplotlib style; in a notebook, also show figures as stable SVG."""
    mpl.rcParams.update(BOOK_STYLE)  # type: ignore[arg-type]
    try:
        from IPython import get_ipython  # noqa: PLC0415 (optional, notebook only)
        from matplotlib_inline.backend_inline import set_matplotlib_formats  # noqa: PLC0415
    except ImportError:  # not in IPython: nothing to configure for inline display
        return
    if get_ipython() is not None:
        set_matplotlib_formats("svg", metadata={"Date": None})  # type: ignore[no-untyped-call]


def legend_below(fig: Figure, ncols: int = 1) -> Legend:
    """The figure's legend below its axes, where it cannot cover the data.

    The figure, which must use the constrained layout, grows by the legend's height, so the
    axes keep the size they had. Returns the legend.
    """
    if fig.get_layout_engine() is None or not fig.get_constrained_layout():
        raise ValueError('legend_below needs a figure made with layout="constrained"')
    legend = fig.legend(loc="outside lower center", ncols=ncols)
    height = legend.get_window_extent(fig.canvas.get_renderer()).height  # type: ignore[attr-defined]
    fig.set_figheight(fig.get_figheight() + height / fig.dpi)
    return legend
