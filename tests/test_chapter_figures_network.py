"""Figures of the network and frameworks chapters: they plot the package's own numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from gradavg.chapters.frameworks import (
    TIMING_LABELS,
    benchmark_series,
    plot_benchmark_timings,
    plot_flop_counts,
)
from gradavg.chapters.network import GRADIENT_LABELS, plot_training_curves
from gradavg.cost import backprop_flops, looped_backprop_flops
from gradavg.mlp import MLP
from gradavg.training import GRADIENTS, training_runs

BENCHMARK = (
    Path(__file__).resolve().parent.parent / "src" / "gradavg" / "data" / "benchmark-gradients.json"
)


pytestmark = pytest.mark.usefixtures("close_figures")


def only_line(fig: Figure, gid: str) -> Line2D:
    (ax,) = fig.axes
    found = [line for line in ax.get_lines() if line.get_gid() == gid]
    assert len(found) == 1, f"expected one line with gid {gid!r}, found {len(found)}"
    return found[0]


def xy(line: Line2D) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(line.get_xdata(), dtype=float), np.asarray(line.get_ydata(), dtype=float)


def legend_texts(fig: Figure) -> list[str]:
    """The entries of the figure's legend, whether on the axes or on the figure."""
    legend = fig.axes[0].get_legend() or (fig.legends[0] if fig.legends else None)
    assert legend is not None
    return [text.get_text() for text in legend.get_texts()]


# --- training curves -------------------------------------------------------------------


def test_training_curves_plot_the_recorded_losses(
    task: tuple[MLP, np.ndarray, np.ndarray],
) -> None:
    model, x, y = task
    runs = training_runs(model, x, y, steps=20, learning_rate=0.3)
    histories = {name: record for name, (_, record) in runs.items()}
    reference = float(np.var(y))
    fig = plot_training_curves(histories, reference=reference, reference_label="constant")
    assert isinstance(fig, Figure)

    for name, record in histories.items():
        steps, losses = xy(only_line(fig, name))
        np.testing.assert_array_equal(steps, np.arange(21))
        np.testing.assert_array_equal(losses, record)
    _, level = xy(only_line(fig, "reference"))
    np.testing.assert_array_equal(level, [reference, reference])
    assert fig.axes[0].get_yscale() == "log"
    assert legend_texts(fig) == [*(GRADIENT_LABELS[name] for name in GRADIENTS), "constant"]


def test_training_curves_without_reference_on_a_linear_axis() -> None:
    fig = plot_training_curves({"my run": [3.0, 2.0, 1.5]}, log_scale=False)
    steps, losses = xy(only_line(fig, "my run"))
    np.testing.assert_array_equal(steps, [0, 1, 2])
    np.testing.assert_array_equal(losses, [3.0, 2.0, 1.5])
    assert fig.axes[0].get_yscale() == "linear"
    assert legend_texts(fig) == ["my run"]  # a name without a label keeps its own


def test_training_curves_refuse_bad_records() -> None:
    with pytest.raises(ValueError, match="histories is empty"):
        plot_training_curves({})
    with pytest.raises(ValueError, match=r"histories\['batch'\] contains a NaN"):
        plot_training_curves({"batch": [1.0, float("nan")]})
    with pytest.raises(ValueError, match="must have 1 dimension"):
        plot_training_curves({"batch": [[1.0, 2.0]]})


# --- flop counts -----------------------------------------------------------------------


def test_flop_counts_plot_the_cost_model_per_example() -> None:
    widths, sizes = (32, 64, 10), [1, 4, 16, 256, 4096]
    fig = plot_flop_counts(widths, sizes)
    assert isinstance(fig, Figure)
    ns = np.array(sizes, dtype=float)

    n_batched, batched = xy(only_line(fig, "batched"))
    n_looped, looped = xy(only_line(fig, "looped"))
    np.testing.assert_array_equal(n_batched, ns)
    np.testing.assert_array_equal(n_looped, ns)
    np.testing.assert_allclose(batched, [backprop_flops(widths, n) / n for n in sizes])
    np.testing.assert_allclose(looped, [looped_backprop_flops(widths, n) / n for n in sizes])
    assert batched[0] == looped[0]  # one example: the same single pass
    assert np.all(looped[1:] > batched[1:])
    assert fig.axes[0].get_xscale() == "log"
    assert fig.axes[0].get_ylim()[0] == 0


def test_flop_counts_refuse_bad_sizes() -> None:
    with pytest.raises(ValueError, match="batch_sizes is empty"):
        plot_flop_counts((2, 3, 1), [])
    with pytest.raises(ValueError, match=r"batch_sizes\[1\]"):
        plot_flop_counts((2, 3, 1), [1, 0])
    with pytest.raises(ValueError, match="widths needs at least two entries"):
        plot_flop_counts((2,), [1])


# --- benchmark timings -----------------------------------------------------------------


def synthetic_record() -> dict[str, Any]:
    rows = [
        {
            "batch_size": n,
            "seconds": {
                "batch": 1e-4 * n,
                "per_example": 3e-4 * n,
                "per_example_reused": 2e-4 * n,
                "loop": 5e-3 * n,
                "floor_fresh": 1.5e-4 * n,
                "floor_reused": 1.2e-4 * n,
                "fill_fresh": 1.4e-4 * n,
                "fill_reused": 0.6e-4 * n,
            },
        }
        for n in (1, 8, 64)
    ]
    return {"machine": {"cpu_model": "Test CPU 9000", "numpy": "9.9"}, "results": rows}


def test_benchmark_timings_plot_the_recorded_seconds_per_example() -> None:
    record = synthetic_record()
    fig = plot_benchmark_timings(record)
    assert isinstance(fig, Figure)
    for name in TIMING_LABELS:
        ns, microseconds = xy(only_line(fig, name))
        np.testing.assert_array_equal(ns, [1, 8, 64])
        expected = [row["seconds"][name] / row["batch_size"] * 1e6 for row in record["results"]]
        np.testing.assert_allclose(microseconds, expected, rtol=1e-12)
    assert "Test CPU 9000" in fig.axes[0].get_title()
    assert legend_texts(fig) == list(TIMING_LABELS.values())


def test_benchmark_floors_are_dashed_in_the_colour_of_their_per_example_line() -> None:
    fig = plot_benchmark_timings(synthetic_record())
    for floor, per_example in (
        ("floor_fresh", "per_example"),
        ("floor_reused", "per_example_reused"),
    ):
        dashed, solid = only_line(fig, floor), only_line(fig, per_example)
        assert dashed.get_linestyle() == "--"
        assert solid.get_linestyle() == "-"
        assert dashed.get_color() == solid.get_color()
        assert dashed.get_markerfacecolor() == "none"


def test_benchmark_timings_of_the_committed_record() -> None:
    record = json.loads(BENCHMARK.read_text())
    ns, seconds = benchmark_series(record)
    assert ns.tolist() == [row["batch_size"] for row in record["results"]]
    fig = plot_benchmark_timings(record)
    _, loop = xy(only_line(fig, "loop"))
    np.testing.assert_allclose(loop, seconds["loop"] / ns * 1e6)
    _, floor = xy(only_line(fig, "floor_reused"))
    np.testing.assert_allclose(floor, seconds["floor_reused"] / ns * 1e6)
    assert record["machine"]["cpu_model"] in fig.axes[0].get_title()


def test_benchmark_title_says_one_thread_only_when_the_record_does() -> None:
    record = synthetic_record()
    assert "one thread" not in plot_benchmark_timings(record).axes[0].get_title()
    record["machine"]["threads"] = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    assert "one thread" in plot_benchmark_timings(record).axes[0].get_title()
    record["machine"]["threads"] = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "4"}
    assert "one thread" not in plot_benchmark_timings(record).axes[0].get_title()


def test_benchmark_record_without_machine_has_no_title() -> None:
    record = synthetic_record()
    del record["machine"]
    assert plot_benchmark_timings(record).axes[0].get_title() == ""


@pytest.mark.parametrize(
    "record",
    [
        {},
        {"results": [{"batch_size": 4}]},
        {"results": [{"seconds": {}}]},
        {"results": []},
        {
            "results": [
                {
                    "batch_size": 4,
                    "seconds": {"batch": 1, "per_example": 1, "per_example_reused": 1, "loop": 1},
                }
            ]
        },
    ],
)
def test_benchmark_series_refuses_other_records(record: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="record"):
        benchmark_series(record)
