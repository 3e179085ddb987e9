"""The chapter *How frameworks compute it*: the benchmark's findings, and the figures.

:func:`read_benchmark` reads the record that ``benchmarks/bench_gradients.py`` wrote,
counts the flops of the same computations with :mod:`gradavg.cost`, recomputes the
benchmark's targets (the per-example gradients against the memory floor of writing
their N × P numbers, the batched pass against the loop) from the recorded seconds, and
checks every claim the chapter makes about them (:class:`ClaimNotSupported` names a
claim the record does not bear out); :meth:`BenchmarkFindings.counted`,
:meth:`BenchmarkFindings.measured` and :meth:`BenchmarkFindings.verdicts` give the
numbers and the targets' outcomes as the prose shows them.
:func:`how_proved` says how a chain of matrices was proved, for the prose.

:func:`plot_flop_counts` draws the floating-point operations per example of one batched
backward pass and of a loop of single-example passes, counted by :mod:`gradavg.cost`;
:func:`plot_benchmark_timings` draws the seconds per example that the benchmark script
``benchmarks/bench_gradients.py`` recorded for the same computations, with the memory
floor it timed in the same run: writing the N × P float64 numbers of the per-example
gradients with ``np.copyto``, into a fresh array and into a reused one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from gradavg._validation import FloatArray, as_positive_int, as_widths
from gradavg.book.formats import shown
from gradavg.book.style import legend_below
from gradavg.cost import (
    FLOAT64_BYTES,
    backprop_flops,
    looped_backprop_flops,
    parameter_count,
    per_example_gradient_bytes,
)
from gradavg.verify import ProofKind, VerifiedDerivation

__all__ = [
    "FIRST_WRITE",
    "TIMING_LABELS",
    "BenchmarkFindings",
    "ClaimNotSupported",
    "benchmark_series",
    "how_proved",
    "plot_benchmark_timings",
    "plot_flop_counts",
    "read_benchmark",
]

FLOORS = {"per_example": "floor_fresh", "per_example_reused": "floor_reused"}
"""The memory floor each per-example variant of the benchmark is compared with."""

COMPARISONS = ("<=", ">=")


class ClaimNotSupported(ValueError):
    """The benchmark record does not bear out a claim the chapter makes about it."""


def how_proved(result: VerifiedDerivation) -> str:
    """How a chain of matrices was proved, read from the record, for the prose.

    ``"symbolically and entry by entry, so for every value of the entries"`` when every
    step was proved so; otherwise :meth:`~gradavg.verify.derivation.VerifiedDerivation.proved_for`.
    """
    methods = [method for _, _, method in result.methods()]
    if all(m.kind is ProofKind.SYMBOLIC and m.entrywise for m in methods):
        return "symbolically and entry by entry, so for every value of the entries"
    return result.proved_for()


@dataclass(frozen=True)
class BenchmarkFindings:
    """The benchmark record of one network, with the flops of the same computations.

    Parameters
    ----------
    widths : tuple of int
        Layer sizes of the benchmarked network, input first.
    machine : mapping
        The record's description of the machine (``cpu_model``, ``threads``, …).
    batch_sizes : array
        The batch sizes N, in the order recorded (ascending).
    seconds : dict of str to array
        Recorded seconds at each N of ``"batch"``, ``"per_example"``,
        ``"per_example_reused"``, ``"loop"`` and of the memory floors ``"floor_fresh"``
        (allocate and write N × P float64 numbers) and ``"floor_reused"`` (write them
        into an existing array), and of one value written into N × P fresh or reused
        numbers, ``"fill_fresh"`` and ``"fill_reused"``.
    goals : mapping of str to (str, float)
        The benchmark's targets: for each ratio ``"A_over_B"`` (seconds of ``A`` over
        seconds of ``B``), the comparison ``"<="`` or ``">="`` and its bound.
    target_n : int
        The batch size at which the targets are checked.
    """

    widths: tuple[int, ...]
    machine: Mapping[str, Any]
    batch_sizes: FloatArray
    seconds: dict[str, FloatArray]
    goals: Mapping[str, tuple[str, float]]
    target_n: int

    @property
    def largest_n(self) -> int:
        """The largest batch size recorded."""
        return int(self.batch_sizes[-1])

    @property
    def parameters(self) -> int:
        """The number of parameters P of the network."""
        return parameter_count(self.widths)

    @property
    def flops(self) -> tuple[int, int]:
        """Flops of one batched pass and of the loop of single-example passes, largest N."""
        n = self.largest_n
        return backprop_flops(self.widths, n), looped_backprop_flops(self.widths, n)

    @property
    def flop_ratio(self) -> float:
        """How many times the batched pass's flops the loop does, at the largest N."""
        batched, looped = self.flops
        return looped / batched

    def microseconds_per_example(self, name: str) -> FloatArray:
        """Recorded time of computation ``name`` per example, in µs, at each N."""
        return self.seconds[name] / self.batch_sizes * 1e6

    def at_largest(self, name: str) -> float:
        """Recorded seconds of computation ``name`` at the largest N."""
        return float(self.seconds[name][-1])

    def speedup(self, name: str) -> float:
        """How many times faster than the loop computation ``name`` is, at the largest N."""
        return self.at_largest("loop") / self.at_largest(name)

    def over_floor(self, name: str) -> FloatArray:
        """Seconds of per-example variant ``name`` over those of its own floor, at each N.

        ``"per_example"`` (fresh arrays) is compared with ``"floor_fresh"``,
        ``"per_example_reused"`` with ``"floor_reused"``.
        """
        return self.seconds[name] / self.seconds[FLOORS[name]]

    def ratio(self, key: str) -> float:
        """The ratio ``"A_over_B"``, seconds of ``A`` over seconds of ``B``, at the target N."""
        numerator, denominator = key.split("_over_")
        index = int(np.flatnonzero(self.batch_sizes == self.target_n)[0])
        return float(self.seconds[numerator][index] / self.seconds[denominator][index])

    def targets(self) -> dict[str, tuple[str, float, float, bool]]:
        """Each target: its comparison, its bound, the measured ratio and whether it is met."""
        found = {}
        for key, (comparison, bound) in self.goals.items():
            measured = self.ratio(key)
            met = measured <= bound if comparison == "<=" else measured >= bound
            found[key] = (comparison, bound, measured, met)
        return found

    @property
    def peak(self) -> int:
        """Index of the N where the per-example gradients gain most over the loop."""
        return int(np.argmax(self.seconds["loop"] / self.seconds["per_example"]))

    @property
    def batch_rate(self) -> float:
        """Flops per second of the batched pass at the largest N."""
        return self.flops[0] / self.at_largest("batch")

    @property
    def floor_rate(self) -> float:
        """Numbers per second the reused-array floor writes, at the largest N."""
        return self.largest_n * self.parameters / self.at_largest("floor_reused")

    @property
    def floor_plus_batch(self) -> float:
        """Seconds of the reused-array floor plus the batched pass, at the largest N."""
        return self.at_largest("floor_reused") + self.at_largest("batch")

    def extra_for_fresh(self, name: str) -> float:
        """Seconds that writing into fresh arrays adds, at the largest N, for ``"fill"``,
        ``"floor"`` (the copy) or ``"per_example"``: fresh minus reused."""
        fresh, reused = {
            "fill": ("fill_fresh", "fill_reused"),
            "floor": ("floor_fresh", "floor_reused"),
            "per_example": ("per_example", "per_example_reused"),
        }[name]
        return self.at_largest(fresh) - self.at_largest(reused)

    def claims(self) -> dict[str, bool]:
        """Each claim the chapter makes about the record, and whether the record bears it out."""
        loop, batch = (self.microseconds_per_example(k) for k in ("loop", "batch"))
        fresh, reused = (
            self.microseconds_per_example(k) for k in ("per_example", "per_example_reused")
        )
        floor_fresh, floor_reused = (
            self.microseconds_per_example(k) for k in ("floor_fresh", "floor_reused")
        )
        peak, last = self.peak, self.batch_sizes.size - 1
        fresh_over_reused = self.seconds["per_example"] / self.seconds["per_example_reused"]
        n, p = self.largest_n, self.parameters
        both_over_floor = np.stack(
            [self.over_floor("per_example"), self.over_floor("per_example_reused")]
        )
        return {
            "the targets are checked at the largest N": self.target_n == n,
            "neither speed-up comes from doing less arithmetic": min(
                self.speedup("batch"), self.speedup("per_example")
            )
            > 5 * self.flop_ratio,
            "the loop's time per example stays within a factor 1.5 at every N": bool(
                loop.max() < 1.5 * loop.min()
            ),
            "the loop's time per example has no trend in N": bool(
                abs(np.log(loop[-1] / loop[0])) < np.log(1.2)
            ),
            "the batched pass's time per example falls steeply": bool(batch[-1] < batch[0] / 50),
            "the per-example lines end above the batched one": bool(
                np.all(fresh[-3:] > batch[-3:]) and np.all(reused[-3:] > batch[-3:])
            ),
            "the per-example gradients write N × P float64 numbers": (
                per_example_gradient_bytes(self.widths, n) == n * p * FLOAT64_BYTES
            ),
            "at N = 1 the per-example gradients take over ten times their floor": bool(
                np.all(both_over_floor[:, 0] > 10)
            ),
            "into reused arrays, the floor plus the batched pass is within 10% of the call": (
                abs(np.log(self.at_largest("per_example_reused") / self.floor_plus_batch))
                < np.log(1.1)
            ),
            "fresh arrays are never clearly slower before the largest N": bool(
                np.all(fresh_over_reused[:-1] < 1.1)
            ),
            "fresh arrays are clearly slower at the largest N": bool(fresh_over_reused[-1] > 1.2),
            "allocating slows the plain copy too at the largest N": bool(
                floor_fresh[-1] > 1.1 * floor_reused[-1]
            ),
            "first writing fresh memory costs the fill over twice what it costs the copy": (
                self.extra_for_fresh("fill") > 2 * self.extra_for_fresh("floor")
            ),
            "fresh arrays cost the call more than they cost the copy, and less than the fill": (
                self.extra_for_fresh("floor")
                < self.extra_for_fresh("per_example")
                < self.extra_for_fresh("fill")
            ),
            "the per-example speed-up peaks before the largest N": peak < last,
            "from the peak, the per-example time per example grows": bool(
                fresh[-1] > 1.5 * fresh[peak]
            ),
            "it grows less into reused arrays, but grows": bool(
                fresh[-1] / fresh[peak] > reused[-1] / reused[peak] > 1.1
            ),
            "from the peak, the floor's time per example grows more than twofold": bool(
                floor_reused[-1] > 2 * floor_reused[peak]
                and floor_fresh[-1] > 2 * floor_fresh[peak]
            ),
        }

    def check(self) -> None:
        """Raise :class:`ClaimNotSupported` listing every claim the record does not bear out."""
        failed = [claim for claim, holds in self.claims().items() if not holds]
        if failed:
            raise ClaimNotSupported("the benchmark record does not bear out: " + "; ".join(failed))

    def counted(self) -> dict[str, str]:
        """The flop counts at the largest N, as the prose shows them."""
        n, p = self.largest_n, self.parameters
        batched, looped = self.flops
        return {
            "parameters": shown(p, ",.0f"),
            "largest-n": shown(n, ",.0f"),
            "batched-per-example": shown(batched / n, ",.0f"),
            "looped-per-example": shown(looped / n, ",.0f"),
            "flop-ratio": shown(self.flop_ratio, ".2f"),
            "extra-per-example": shown((looped - batched) / (n - 1) / p, ".2f"),
        }

    def verdicts(self) -> dict[str, str]:
        """Whether each target is met, in words, for the prose."""
        targets = self.targets()
        fresh_met = targets["per_example_over_floor_fresh"][3]
        reused_met = targets["per_example_reused_over_floor_reused"][3]
        floor_verdict = {
            (True, True): "both calls meet it",
            (False, False): "neither call meets it",
            (True, False): "the call into fresh arrays meets it, the one into reused arrays "
            "does not",
            (False, True): "the call into reused arrays meets it, the one into fresh arrays "
            "does not",
        }[(fresh_met, reused_met)]
        batch_met = targets["loop_over_batch"][3]
        return {
            "floor-verdict": floor_verdict,
            "batch-verdict": "meets it" if batch_met else "falls short of it",
        }

    def measured(self) -> dict[str, str]:
        """The recorded times and what follows from them, as the prose shows them."""
        ns = self.batch_sizes
        loop, fresh, reused = (
            self.microseconds_per_example(k) for k in ("loop", "per_example", "per_example_reused")
        )
        floor_fresh, floor_reused = (
            self.microseconds_per_example(k) for k in ("floor_fresh", "floor_reused")
        )
        peak = self.peak
        megabytes = per_example_gradient_bytes(self.widths, self.largest_n) / 1e6
        threads = sorted(set(self.machine["threads"].values()))
        m = self.machine
        targets = self.targets()
        _, floor_goal, fresh_ratio, _ = targets["per_example_over_floor_fresh"]
        _, reused_goal, reused_ratio, _ = targets["per_example_reused_over_floor_reused"]
        _, batch_goal, _, _ = targets["loop_over_batch"]
        if floor_goal != reused_goal:
            raise ClaimNotSupported(
                f"the page states one floor goal, but the record has {floor_goal} and {reused_goal}"
            )
        return {
            "machine": f"{m['cpu_model']} ({m['cpu_count']} CPUs, "
            f"{'one thread' if threads == ['1'] else 'threads ' + ', '.join(threads)}), "
            f"Python {m['python']}, numpy {m['numpy']}, on {m['date']}",
            "target-n": shown(self.target_n, ",.0f"),
            "speedup-batch": shown(self.speedup("batch"), ".1f"),
            "batch-goal": shown(batch_goal, ".0f"),
            "speedup-per-example": shown(self.speedup("per_example"), ".1f"),
            "loop-min-us": shown(loop.min(), ".0f"),
            "loop-max-us": shown(loop.max(), ".0f"),
            "batch-rate": shown(self.batch_rate / 1e9, ".1f"),
            "loop-rate": shown(self.flops[1] / self.at_largest("loop") / 1e9, ".2f"),
            "call-us": shown(loop[-1], ".0f"),
            "arithmetic-us": shown(backprop_flops(self.widths, 1) / self.batch_rate * 1e6, ".1f"),
            "per-example-over-batch": shown(
                self.at_largest("per_example") / self.at_largest("batch"), ".1f"
            ),
            "mb": shown(megabytes, ".1f"),
            "float-bytes": str(FLOAT64_BYTES),
            "floor-fresh-ms": shown(self.at_largest("floor_fresh") * 1e3, ".1f"),
            "floor-reused-ms": shown(self.at_largest("floor_reused") * 1e3, ".1f"),
            "floor-rate": shown(self.floor_rate / 1e9, ".2f"),
            "floor-gbs": shown(megabytes / 1e3 / self.at_largest("floor_reused"), ".1f"),
            "floor-goal": shown(floor_goal, ".1f"),
            "fresh-over-floor": shown(fresh_ratio, ".2f"),
            "reused-over-floor": shown(reused_ratio, ".2f"),
            "first-n": shown(ns[0], ",.0f"),
            "first-fresh-over-floor": shown(self.over_floor("per_example")[0], ".0f"),
            "first-reused-over-floor": shown(self.over_floor("per_example_reused")[0], ".0f"),
            "batch-ms": shown(self.at_largest("batch") * 1e3, ".1f"),
            "floor-plus-batch-ms": shown(self.floor_plus_batch * 1e3, ".1f"),
            "floor-plus-batch-over-floor": shown(
                self.floor_plus_batch / self.at_largest("floor_reused"), ".2f"
            ),
            "peak-speedup": shown(
                self.seconds["loop"][peak] / self.seconds["per_example"][peak], ".1f"
            ),
            "peak-n": shown(ns[peak], ",.0f"),
            "peak-mb": shown(per_example_gradient_bytes(self.widths, int(ns[peak])) / 1e6, ".1f"),
            "peak-us": shown(fresh[peak], ".2f"),
            "largest-us": shown(fresh[-1], ".2f"),
            "reused-peak-us": shown(reused[peak], ".2f"),
            "reused-largest-us": shown(reused[-1], ".2f"),
            "floor-peak-us": shown(floor_reused[peak], ".2f"),
            "floor-largest-us": shown(floor_reused[-1], ".2f"),
            "floor-fresh-peak-us": shown(floor_fresh[peak], ".2f"),
            "floor-fresh-largest-us": shown(floor_fresh[-1], ".2f"),
            "speedup-reused": shown(self.speedup("per_example_reused"), ".1f"),
            "reuse-same-up-to": shown(ns[-2], ",.0f"),
            "fresh-ms": shown(self.at_largest("per_example") * 1e3, ".1f"),
            "reused-ms": shown(self.at_largest("per_example_reused") * 1e3, ".1f"),
            "fill-fresh-ms": shown(self.at_largest("fill_fresh") * 1e3, ".1f"),
            "fill-reused-ms": shown(self.at_largest("fill_reused") * 1e3, ".1f"),
            "first-write-ms": shown(self.extra_for_fresh("fill") * 1e3, ".1f"),
            "fresh-extra-ms": shown(self.extra_for_fresh("per_example") * 1e3, ".1f"),
            "floor-fresh-extra-ms": shown(self.extra_for_fresh("floor") * 1e3, ".1f"),
            "fresh-over-fill": shown(
                self.at_largest("per_example") / self.at_largest("fill_fresh"), ".2f"
            ),
            **self.verdicts(),
        }


def read_benchmark(record: Mapping[str, Any]) -> BenchmarkFindings:
    """The findings of a record of ``benchmarks/bench_gradients.py``, each claim checked.

    Parameters
    ----------
    record
        The parsed JSON: ``"model"`` with ``"widths"`` and ``"parameters"``, ``"machine"``,
        ``"target_batch_size"``, ``"targets"`` (per ratio its ``"comparison"``,
        ``"target"``, ``"measured"`` and ``"passed"``) and ``"results"`` (see
        :func:`gradavg.chapters.frameworks.benchmark_series`).

    Raises
    ------
    ClaimNotSupported
        If the record's parameter count is not that of its widths, its targets'
        measured values or verdicts do not follow from its seconds, or the record does
        not bear out a claim of :meth:`BenchmarkFindings.claims`.
    """
    ns, seconds = benchmark_series(record)
    try:
        recorded_targets = record["targets"]
        goals = {
            key: (str(entry["comparison"]), float(entry["target"]))
            for key, entry in recorded_targets.items()
        }
        target_n = int(record["target_batch_size"])
    except (KeyError, TypeError) as error:
        raise ValueError(f"record has no targets with comparisons: missing {error}") from None
    if any(comparison not in COMPARISONS for comparison, _ in goals.values()):
        raise ValueError(f"record's target comparisons must be in {COMPARISONS}: {goals}")
    if target_n not in ns:
        raise ClaimNotSupported(f"the record has no results at its target N = {target_n}")
    findings = BenchmarkFindings(
        tuple(int(w) for w in record["model"]["widths"]),
        record["machine"],
        ns,
        seconds,
        goals,
        target_n,
    )
    if findings.parameters != record["model"]["parameters"]:
        raise ClaimNotSupported(
            f"the record's network has {record['model']['parameters']} parameters, "
            f"but widths {findings.widths} give {findings.parameters}"
        )
    for key, (_, _, measured, met) in findings.targets().items():
        entry = recorded_targets[key]
        if not np.isclose(entry["measured"], measured, rtol=1e-12) or entry["passed"] != met:
            raise ClaimNotSupported(
                f"the record's target {key} says {entry['measured']} "
                f"(passed: {entry['passed']}), but its seconds give {measured} (passed: {met})"
            )
    findings.check()
    return findings


# --- figures --------------------------------------------------------------------------


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

    fig, ax = plt.subplots(layout="constrained")
    ax.plot(ns, looped, "^-", color=_COLORS["loop"], label=TIMING_LABELS["loop"], gid="looped")
    ax.plot(ns, batched, "o-", color=_COLORS["batch"], label=TIMING_LABELS["batch"], gid="batched")
    ax.set_xscale("log", base=2)
    ax.set_ylim(0, 1.15 * float(max(looped.max(), batched.max())))
    ax.set_xlabel("batch size N")
    ax.set_ylabel("flops per example")
    ax.set_title(f"counted flops, widths {'-'.join(map(str, sizes))}")
    legend_below(fig)
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
    legend_below(fig)
    return fig
