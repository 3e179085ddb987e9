"""Text drawn over a figure's data: legends, labels and notes against lines, bars and points.

:func:`text_overlaps` lays a figure out as it will be saved and lists every piece of text
(a legend, a label, an annotation) whose box crosses a curve, a reference line, a marker,
a bar or another piece of text. :meth:`gradavg.book.page.Page.glue` refuses a figure with
any, so a figure whose legend sits on its curves fails the build, naming the page, the
figure and what overlaps what.

Left out on purpose: grid lines and the faint shading of a region (alpha below
:data:`BACKGROUND_ALPHA`), which text may cross, and images (a heat map's cells carry
their numbers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import combinations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Bbox

BACKGROUND_ALPHA = 0.3
"""Patches fainter than this are shading, which text may lie on."""

MARGIN = 1.5
"""Pixels taken off each side of a text box: glyphs do not fill their box to the edge."""

Hit = Callable[[Bbox], bool]


def text_overlaps(fig: Figure) -> list[str]:
    """Every piece of text of ``fig`` that is drawn over its data or over other text.

    Returns one sentence per overlap, such as ``"the legend is drawn over the line
    'pairwise'"``; an empty list when nothing overlaps.
    """
    fig.draw_without_rendering()  # constrained and tight layouts are done at draw time
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    texts = list(_texts(fig, renderer))
    found = [
        f"{text} is drawn over {mark}"
        for ax in fig.axes
        for text, box in texts
        for mark, hits in _marks(ax)
        if (inside := box.intersection(box, ax.bbox)) is not None and hits(inside)
    ]
    found += [
        f"{a} overlaps {b}"
        for (a, box_a), (b, box_b) in combinations(texts, 2)
        if box_a.overlaps(box_b)
    ]
    return found


def _texts(fig: Figure, renderer: RendererBase) -> Iterator[tuple[str, Bbox]]:
    """Each legend and each text of the figure's axes, named, with its shrunk box."""
    legends: list[Legend] = list(fig.legends)
    for ax in fig.axes:
        if (legend := ax.get_legend()) is not None:
            legends.append(legend)
        for text in ax.texts:
            if text.get_visible() and text.get_text().strip():
                yield _name(text), _shrunk(text.get_window_extent(renderer))
    for legend in legends:
        if legend.get_visible():
            yield "the legend", _shrunk(legend.get_window_extent(renderer))


def _name(text: Text) -> str:
    words = " ".join(text.get_text().split())
    return f"the text {words!r}"


def _shrunk(box: Bbox) -> Bbox:
    return Bbox.from_extents(box.x0 + MARGIN, box.y0 + MARGIN, box.x1 - MARGIN, box.y1 - MARGIN)


def _marks(ax: Axes) -> Iterator[tuple[str, Hit]]:
    """What text must not cover in ``ax``, each named, with a test against a box."""
    for line in ax.get_lines():
        if line.get_visible():
            yield from _line_marks(line)
    for patch in ax.patches:
        alpha = patch.get_alpha()
        if (
            isinstance(patch, Rectangle)
            and patch.get_visible()
            and (alpha is None or alpha >= BACKGROUND_ALPHA)
        ):
            extent = patch.get_window_extent()
            yield _label("the bar", patch.get_gid() or patch.get_label()), extent.overlaps
    for collection in ax.collections:
        if not collection.get_visible():
            continue
        name = _label("the marks", collection.get_gid() or collection.get_label())
        if isinstance(collection, PathCollection):
            points = collection.get_offset_transform().transform(collection.get_offsets())
            radius = (
                float(np.sqrt(np.max(collection.get_sizes(), initial=0.0))) / 2 * ax.figure.dpi / 72
            )
            yield name, _near(points, radius)
        elif isinstance(collection, LineCollection):
            paths = [collection.get_transform().transform_path(p) for p in collection.get_paths()]
            yield name, _crosses(paths)


def _line_marks(line: Line2D) -> Iterator[tuple[str, Hit]]:
    name = _label("the line", line.get_gid() or line.get_label())
    if line.get_linestyle() not in ("None", "", " ", "none"):
        yield name, _crosses([line.get_transform().transform_path(line.get_path())])
    if line.get_marker() not in (None, "None", "", " ", "none"):
        points = line.get_transform().transform(line.get_xydata())
        yield (
            name.replace("the line", "the markers", 1),
            _near(points, line.get_markersize() / 2 * line.figure.dpi / 72),
        )


def _crosses(paths: list[Path]) -> Hit:
    """Whether a box is crossed by, or holds part of, any of ``paths`` (in pixels)."""
    return lambda box: any(path.intersects_bbox(box, filled=False) for path in paths)


def _near(points: np.ndarray, radius: float) -> Hit:
    """Whether a box comes within ``radius`` pixels of any of ``points``."""

    def hits(box: Bbox) -> bool:
        return box.padded(radius).count_contains(points[np.isfinite(points).all(axis=1)]) > 0

    return hits


def _label(kind: str, name: object) -> str:
    """``kind`` and the artist's name, unless it has none (matplotlib's start with _)."""
    return (
        f"{kind} {name!r}" if isinstance(name, str) and name and not name.startswith("_") else kind
    )
