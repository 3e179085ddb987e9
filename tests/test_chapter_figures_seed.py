"""Figures of the sigmoid and linear-loss chapters: they plot the package's own numbers."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from gradavg.activations import averaging_gap, sigmoid_prime
from gradavg.book.formats import true_minus
from gradavg.chapters.linear_loss import plot_linear_loss
from gradavg.chapters.sigmoid import gap_label, plot_averaging_gap
from gradavg.regression import linear_loss, linear_loss_gradient

INFLECTION = float(np.log(2.0 + np.sqrt(3.0)))


pytestmark = pytest.mark.usefixtures("close_figures")


def lines(fig: Figure, gid: str) -> list[Line2D]:
    """The lines of the figure's single axes that carry ``gid``."""
    (ax,) = fig.axes
    return [line for line in ax.get_lines() if line.get_gid() == gid]


def only_line(fig: Figure, gid: str) -> Line2D:
    found = lines(fig, gid)
    assert len(found) == 1, f"expected one line with gid {gid!r}, found {len(found)}"
    return found[0]


def xy(line: Line2D) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(line.get_xdata(), dtype=float), np.asarray(line.get_ydata(), dtype=float)


@pytest.mark.parametrize(("points", "sign"), [((0.0, 1.0), -1), ((2.0, 4.0), 1)])
def test_sigmoid_gap_plots_the_package_values(points: tuple[float, float], sign: int) -> None:
    fig = plot_averaging_gap(points, (-2.0, 6.0), inflection=INFLECTION)
    assert isinstance(fig, Figure)
    expected = averaging_gap(points, "sigmoid")
    z_mean = float(np.mean(points))

    z, values = xy(only_line(fig, "batch"))
    np.testing.assert_array_equal(z, points)
    np.testing.assert_allclose(values, sigmoid_prime(np.asarray(points)), rtol=1e-15)

    for gid, value in [
        ("mean-of-derivative", expected.mean_of_derivative),
        ("derivative-at-mean", expected.derivative_at_mean),
    ]:
        marker_x, marker_y = xy(only_line(fig, gid))
        assert (marker_x.tolist(), marker_y.tolist()) == ([z_mean], [value])

    gap_x, gap_y = xy(only_line(fig, "gap"))
    np.testing.assert_array_equal(gap_x, [z_mean, z_mean])
    assert gap_y[0] - gap_y[1] == pytest.approx(expected.gap, abs=1e-15)
    assert np.sign(gap_y[0] - gap_y[1]) == sign  # concave {0, 1} below, convex {2, 4} above

    chord_x, chord_y = xy(only_line(fig, "chord"))
    np.testing.assert_array_equal(chord_x, points)
    assert np.mean(chord_y) == pytest.approx(expected.mean_of_derivative, abs=1e-15)


def test_sigmoid_gap_is_drawn_beside_the_two_markers_not_under_them() -> None:
    fig = plot_averaging_gap([0.0, 1.0], (-1.5, 2.5), inflection=INFLECTION)
    fig.draw_without_rendering()
    gap = only_line(fig, "gap")
    (gap_x, _), _ = gap.get_transform().transform(gap.get_xydata())
    for gid in ("mean-of-derivative", "derivative-at-mean"):
        marker = only_line(fig, gid)
        ((marker_x, _),) = marker.get_transform().transform(marker.get_xydata())
        radius = marker.get_markersize() / 2 * fig.dpi / 72
        assert gap_x - marker_x > radius + gap.get_linewidth() * fig.dpi / 72 / 2


@pytest.mark.parametrize("points", [(0.0, 1.0), (2.0, 4.0)])
def test_sigmoid_legend_gives_the_gap_and_stays_off_the_axes(points: tuple[float, float]) -> None:
    fig = plot_averaging_gap(points, (-1.5, 6.0), inflection=INFLECTION)
    (ax,) = fig.axes
    assert ax.get_legend() is None  # the legend is the figure's, below the axes
    (legend,) = fig.legends
    labels = [text.get_text() for text in legend.get_texts()]
    assert gap_label(averaging_gap(points, "sigmoid").gap) in labels
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    fig.draw_without_rendering()
    assert not legend.get_window_extent(renderer).overlaps(ax.get_window_extent(renderer))


def test_gap_label_has_a_sign_and_a_true_minus() -> None:
    assert gap_label(-0.0117) == "gap \N{MINUS SIGN}0.01170"
    assert gap_label(0.01615) == "gap +0.01615"


def test_sigmoid_curve_spans_the_range_and_marks_the_inflections() -> None:
    fig = plot_averaging_gap([0.0, 1.0], (-1.5, 2.5), inflection=INFLECTION)
    z, values = xy(only_line(fig, "sigma-prime"))
    assert (z[0], z[-1]) == (-1.5, 2.5)
    np.testing.assert_allclose(values, sigmoid_prime(z), rtol=1e-15)
    assert fig.axes[0].get_xlim() == (-1.5, 2.5)

    marks = sorted(xy(line)[0][0] for line in lines(fig, "inflection"))
    assert marks == pytest.approx([-INFLECTION, INFLECTION])


def test_sigmoid_figure_without_inflections_or_chord() -> None:
    fig = plot_averaging_gap([-1.0, 0.5, 3.0])
    assert lines(fig, "inflection") == []
    assert lines(fig, "chord") == []  # a chord only for a batch of two
    (mean_line,) = lines(fig, "mean-of-derivative")
    assert xy(mean_line)[1][0] == averaging_gap([-1.0, 0.5, 3.0]).mean_of_derivative


def test_sigmoid_figure_rejects_an_empty_range() -> None:
    with pytest.raises(ValueError, match="z_range must be increasing"):
        plot_averaging_gap([0.0, 1.0], (1.0, 1.0))


def test_linear_loss_is_the_package_line_with_constant_slope() -> None:
    batch_x = [0.5, 1.5, 2.0, -0.5]
    batch_y = [1.0, 2.0, 0.0, 3.0]
    marked = [-2.0, 0.0, 1.5]
    fig = plot_linear_loss(batch_x, batch_y, (-3.0, 3.0), marked=marked)
    assert isinstance(fig, Figure)

    thetas, values = xy(only_line(fig, "linear-loss"))
    assert (thetas[0], thetas[-1]) == (-3.0, 3.0)
    np.testing.assert_allclose(values, [linear_loss(t, batch_x, batch_y) for t in thetas])
    slope = linear_loss_gradient(batch_x)
    np.testing.assert_allclose(np.diff(values) / np.diff(thetas), slope, rtol=1e-12)

    at, heights = xy(only_line(fig, "marked"))
    np.testing.assert_array_equal(at, marked)
    np.testing.assert_allclose(heights, [linear_loss(t, batch_x, batch_y) for t in marked])

    tangents = lines(fig, "tangent")
    assert len(tangents) == len(marked)
    for tangent in tangents:
        tx, ty = xy(tangent)
        assert (ty[1] - ty[0]) / (tx[1] - tx[0]) == pytest.approx(slope)


def test_figure_labels_use_the_book_minus_sign() -> None:
    assert true_minus("-1.5e-05 - x") == "\N{MINUS SIGN}1.5e\N{MINUS SIGN}05 \N{MINUS SIGN} x"
    assert true_minus("+2") == "+2"
    # The legend entry of the marked points shows the negative slope with the same helper.
    fig = plot_linear_loss([0.5, 1.5], [0.0, 0.0], marked=[0.0])
    label = only_line(fig, "marked").get_label()
    assert label == "dJ/dθ = −x̄ = \N{MINUS SIGN}1.0000 at every θ"
    assert "-" not in label


def test_linear_loss_without_marks() -> None:
    fig = plot_linear_loss([1.0, 2.0], [0.0, 0.0])
    assert lines(fig, "marked") == []
    assert lines(fig, "tangent") == []
    with pytest.raises(ValueError, match="theta_range must be increasing"):
        plot_linear_loss([1.0], [0.0], (2.0, -2.0))
