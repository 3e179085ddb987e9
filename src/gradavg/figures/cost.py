"""Figures of the chapter *How frameworks compute it*.

:func:`plot_flop_counts` draws the floating-point operations per example of one batched
backward pass and of a loop of single-example passes, counted by :mod:`gradavg.cost`;
:func:`plot_benchmark_timings` draws the seconds per example that the benchmark script
``benchmarks/bench_gradients.py`` recorded for the same computations, with the memory
floor it timed in the same run: writing the N × P float64 numbers of the per-example
gradients with ``np.copyto``, into a fresh array and into a reused one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from gradavg._validation import FloatArray, as_positive_int, as_widths
from gradavg.cost import backprop_flops, looped_backprop_flops

__all__ = [
    "FIRST_WRITE",
    "TIMING_LABELS",
    "benchmark_series",
    "plot_benchmark_timings",
    "plot_flop_counts",
]

TIMING_LABELS: dict[str, str] = {
    "batch": "batched backprop (one call)",
    "per_example": "per-example gradients (one einsum call)",
    "per_example_reused": "per-example gradients into reused arrays",
    "loop": "loop of N single-example calls",
    "floor_fresh": "floor, fresh: allocate + copy N × P float64",
    "floor_reused": "floor, reused: copy N × P float64",
}
"""Legend text for each timing recorded by the benchmark, in drawing order.

The two floors are drawn dashed, each in the colour of the per-example line it bounds:
``"floor_fresh"`` with ``"per_example"``, ``"floor_reused"`` with ``"per_example_reused"``.
"""

_COLORS = {
    "batch": "tab:blue",
    "per_example": "tab:green",
    "per_example_reused": "tab:purple",
    "loop": "tab:red",
    "floor_fresh": "tab:green",
    "floor_reused": "tab:purple",
}
_MARKERS = {
    "batch": "o",
    "per_example": "s",
    "per_example_reused": "D",
    "loop": "^",
    "floor_fresh": "s",
    "floor_reused": "D",
}
_FLOORS = ("floor_fresh", "floor_reused")
FIRST_WRITE = ("fill_fresh", "fill_reused")
"""Timings of one value written into N × P fresh or reused float64 numbers (not drawn)."""


def plot_flop_counts(widths: Sequence[int], batch_sizes: Sequence[int]) -> Figure:
    """Flops per example of batched backprop and of a loop of single-example passes.

    Parameters
    ----------
    widths : sequence of int
        Layer sizes of the network, input first.
    batch_sizes : sequence of int
        The batch sizes N at which to count, each at least 1.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with a logarithmic N axis. The line with ``gid`` ``"batched"`` plots
        :func:`gradavg.cost.backprop_flops` divided by N, the line ``"looped"`` plots
        :func:`gradavg.cost.looped_backprop_flops` divided by N.
    """
    sizes = as_widths(widths)
    ns = np.array([as_positive_int(n, f"batch_sizes[{k}]") for k, n in enumerate(batch_sizes)])
    if ns.size == 0:
        raise ValueError("batch_sizes is empty: give at least one batch size")
    batched = np.array([backprop_flops(sizes, int(n)) for n in ns]) / ns
    looped = np.array([looped_backprop_flops(sizes, int(n)) for n in ns]) / ns

    fig, ax = plt.subplots()
    ax.plot(ns, looped, "^-", color=_COLORS["loop"], label=TIMING_LABELS["loop"], gid="looped")
    ax.plot(ns, batched, "o-", color=_COLORS["batch"], label=TIMING_LABELS["batch"], gid="batched")
    ax.set_xscale("log", base=2)
    ax.set_ylim(0, 1.15 * float(max(looped.max(), batched.max())))
    ax.set_xlabel("batch size N")
    ax.set_ylabel("flops per example")
    ax.set_title(f"counted flops, widths {'-'.join(map(str, sizes))}")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def benchmark_series(record: Mapping[str, Any]) -> tuple[FloatArray, dict[str, FloatArray]]:
    """Batch sizes and recorded seconds per computation from a benchmark record.

    Parameters
    ----------
    record : mapping
        The parsed JSON written by ``benchmarks/bench_gradients.py``: its ``"results"``
        list holds, per batch size, ``"batch_size"`` and a ``"seconds"`` mapping with the
        keys of :data:`TIMING_LABELS`: ``"batch"``, ``"per_example"``,
        ``"per_example_reused"``, ``"loop"``, ``"floor_fresh"`` and ``"floor_reused"``,
        and of :data:`FIRST_WRITE`: ``"fill_fresh"`` and ``"fill_reused"``.

    Returns
    -------
    batch_sizes : array of shape (M,)
        The batch sizes N, in the order recorded.
    seconds : dict of str to array of shape (M,)
        Wall-clock seconds of each computation at each N.
    """
    try:
        results = record["results"]
        ns = np.array([float(row["batch_size"]) for row in results])
        seconds = {
            name: np.array([float(row["seconds"][name]) for row in results])
            for name in (*TIMING_LABELS, *FIRST_WRITE)
        }
    except (KeyError, TypeError) as error:
        raise ValueError(f"record is not a gradient benchmark record: missing {error}") from None
    if ns.size == 0:
        raise ValueError("record holds no results")
    return ns, seconds


def plot_benchmark_timings(record: Mapping[str, Any]) -> Figure:
    """Recorded seconds per example of the batched pass, the per-example gradients, the loop
    and the memory floor.

    Parameters
    ----------
    record : mapping
        The parsed JSON written by ``benchmarks/bench_gradients.py`` (see
        :func:`benchmark_series`); its ``"machine"`` entry, when present, names the
        processor and the numpy version in the title, and says "one thread" when every
        thread count in its ``"threads"`` mapping is ``"1"``.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, both axes logarithmic. One line per key of :data:`TIMING_LABELS`, with
        that key as its ``gid``, plots the recorded seconds divided by N, in
        microseconds, against N; the floors' lines are dashed, with open markers.
    """
    ns, seconds = benchmark_series(record)
    fig, ax = plt.subplots(layout="constrained")
    for name, label in TIMING_LABELS.items():
        floor = name in _FLOORS
        ax.plot(
            ns,
            seconds[name] / ns * 1e6,
            marker=_MARKERS[name],
            color=_COLORS[name],
            linestyle="--" if floor else "-",
            markerfacecolor="none" if floor else _COLORS[name],
            label=label,
            gid=name,
        )
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("batch size N")
    ax.set_ylabel("microseconds per example")
    machine = record.get("machine", {})
    if machine:
        parts = [f"measured on {machine.get('cpu_model', 'an unnamed CPU')}"]
        threads = set(machine.get("threads", {}).values())
        if threads == {"1"}:
            parts.append("one thread")
        parts.append(f"numpy {machine.get('numpy', '?')}")
        ax.set_title(", ".join(parts), fontsize="medium")
    fig.set_figheight(fig.get_figheight() + 2.6)  # room for the legend below the axes
    fig.legend(loc="outside lower center", ncols=1)
    return fig
