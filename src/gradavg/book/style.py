"""The look of every figure of the book, and SVG output that is the same on every build.

Each chapter's figures are drawn in :mod:`gradavg.chapters`; :func:`use_book_style`
makes every figure look alike and come out byte-for-byte the same on every build (SVG with a fixed
hash salt and no creation date).
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl

BOOK_STYLE: dict[str, Any] = {
    "svg.hashsalt": "gradavg",  # stable element ids in the SVG
    "svg.fonttype": "path",
    # 4.8 in is 460 CSS px: on a 390 px phone the figure shrinks to about 0.78, and 11 pt
    # text stays at 11 CSS px or more.
    "figure.figsize": (4.8, 3.4),
    "figure.dpi": 100,
    "font.size": 11,
    "savefig.transparent": True,  # the page's background shows through, light or dark
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
