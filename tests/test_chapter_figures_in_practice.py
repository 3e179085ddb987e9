"""Figures of the in-practice chapters, and the book's figure style: they plot the
package's own numbers, and the style makes every SVG the same on every build."""

from __future__ import annotations

import io
from types import SimpleNamespace

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.patches import Rectangle

from gradavg.book import style
from gradavg.chapters.accumulation import plot_token_weights
from gradavg.chapters.step_size import plot_minibatch_variance
from gradavg.optimizers import minibatch_variances

pytestmark = pytest.mark.usefixtures("close_figures")


def test_token_weights_are_one_over_q_n_q_against_one_over_n() -> None:
    counts = [1, 3, 4]
    fig = plot_token_weights(counts)
    (ax,) = fig.axes
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_gid() == "naive"]
    heights = [bar.get_height() for bar in bars]
    assert heights == pytest.approx([1 / (3 * n) for n in counts])
    (line,) = [line for line in ax.get_lines() if line.get_gid() == "correct"]
    assert list(line.get_ydata()) == pytest.approx([1 / sum(counts)] * 2)


def test_the_variance_figure_plots_the_draws_and_the_prediction() -> None:
    values = np.linspace(-1.0, 2.0, 40)
    sizes = [1, 2, 4, 8]
    fig = plot_minibatch_variance(values, sizes, draws=500, seed=3)
    (ax,) = fig.axes
    lines = {line.get_gid(): line for line in ax.get_lines()}
    empirical, predicted = minibatch_variances(values, sizes, 500, 3)
    assert list(lines["empirical"].get_xdata()) == sizes
    assert lines["empirical"].get_ydata() == pytest.approx(empirical)
    assert lines["prediction"].get_ydata() == pytest.approx(values.var() / np.array(sizes))
    assert predicted == pytest.approx(values.var() / np.array(sizes))
    assert ax.get_xscale() == ax.get_yscale() == "log"


def test_the_book_style_fixes_the_svg_salt_and_the_look(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("IPython.get_ipython", lambda: None)
    style.use_book_style()
    for key, value in style.BOOK_STYLE.items():
        assert mpl.rcParams[key] == value or tuple(mpl.rcParams[key]) == value, key


def test_in_a_notebook_the_book_style_asks_for_stable_svg(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[tuple[object, ...], dict[str, object]]] = []
    monkeypatch.setattr("IPython.get_ipython", SimpleNamespace)
    monkeypatch.setattr(
        "matplotlib_inline.backend_inline.set_matplotlib_formats",
        lambda *args, **kwargs: calls.append((args, kwargs)),
    )
    style.use_book_style()
    assert calls == [(("svg",), {"metadata": {"Date": None}})]


def test_two_drawings_of_a_figure_give_the_same_svg() -> None:
    style.use_book_style()
    outputs = []
    for _ in range(2):
        buffer = io.StringIO()
        plot_token_weights([2, 5]).savefig(buffer, format="svg", metadata={"Date": None})
        outputs.append(buffer.getvalue())
    assert outputs[0] == outputs[1]
