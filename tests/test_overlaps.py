"""The figure check: text drawn over a figure's data is found, named, and fails the glue."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from gradavg.book.overlaps import text_overlaps
from gradavg.book.page import FigureOverlap, Page
from gradavg.book.style import legend_below, use_book_style

pytestmark = pytest.mark.usefixtures("close_figures", "book_style")


@pytest.fixture
def book_style(close_figures: None) -> None:  # noqa: ARG001 -- restored by close_figures
    use_book_style()


def diagonal(layout: str | None = None):  # type: ignore[no-untyped-def]
    fig, ax = plt.subplots(layout=layout)
    x = np.linspace(0.0, 1.0, 50)
    ax.plot(x, 1.0 - x, label="a long legend entry that reaches the curve", gid="falling")
    ax.plot(x, x, label="rising", gid="rising")
    return fig, ax


def test_a_legend_on_the_curves_is_found_and_named() -> None:
    fig, ax = diagonal()
    ax.legend(loc="center")
    found = text_overlaps(fig)
    assert "the legend is drawn over the line 'falling'" in found
    assert "the legend is drawn over the line 'rising'" in found


def test_a_legend_below_the_axes_overlaps_nothing() -> None:
    fig, _ = diagonal(layout="constrained")
    height = fig.get_figheight()
    legend_below(fig)
    assert text_overlaps(fig) == []
    assert fig.get_figheight() > height  # the axes keep their size


def test_legend_below_needs_the_constrained_layout() -> None:
    fig, _ = diagonal()
    with pytest.raises(ValueError, match='layout="constrained"'):
        legend_below(fig)


def test_a_bar_label_across_a_reference_line_is_found() -> None:
    fig, ax = plt.subplots()
    ax.bar([1, 2], [0.2, 1.0])
    ax.axhline(0.25, gid="reference")
    ax.annotate("low bar", (1, 0.2), xytext=(0, 3), textcoords="offset points", ha="center")
    assert text_overlaps(fig) == ["the text 'low bar' is drawn over the line 'reference'"]


def test_text_on_markers_on_bars_and_on_other_text_is_found() -> None:
    fig, ax = plt.subplots()
    ax.plot([0.5], [0.5], "o", ms=12, gid="point")
    ax.bar([0.2], [0.9], width=0.1, gid="tall")
    ax.scatter([0.8], [0.2], s=100, gid="scattered")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.text(0.5, 0.5, "on the point", ha="center", va="center")
    ax.text(0.2, 0.5, "on the bar", ha="center")
    ax.text(0.8, 0.2, "on the scatter", ha="center", va="center")
    ax.text(0.8, 0.21, "on the scatter too", ha="center", va="center")
    found = text_overlaps(fig)
    assert "the text 'on the point' is drawn over the markers 'point'" in found
    assert "the text 'on the bar' is drawn over the bar 'tall'" in found
    assert "the text 'on the scatter' is drawn over the marks 'scattered'" in found
    assert "the text 'on the scatter' overlaps the text 'on the scatter too'" in found


def test_text_may_lie_on_grid_lines_and_faint_shading() -> None:
    fig, ax = plt.subplots()
    ax.axvspan(0.2, 0.8, alpha=0.06)
    ax.set_xlim(0, 1)
    ax.text(0.5, 0.5, "inside the shaded region", ha="center")
    assert text_overlaps(fig) == []


def test_the_page_refuses_a_figure_with_overlapping_text() -> None:
    fig, ax = diagonal()
    ax.legend(loc="center")
    with pytest.raises(FigureOverlap, match=r"page 'demo', figure 'demo-figure': the legend"):
        Page("demo").glue("demo-figure", fig)
