"""Batched and per-example gradients: what the chapter *How frameworks compute it* reports.

:func:`read_benchmark` reads the record that ``benchmarks/bench_gradients.py`` wrote,
counts the flops of the same computations with :mod:`gradavg.cost` and checks every
claim the chapter makes about them (:class:`ClaimNotSupported` names a claim the record
does not bear out); :meth:`BenchmarkFindings.counted` and
:meth:`BenchmarkFindings.measured` give the numbers as the prose shows them.
:func:`one_line` and :func:`how_proved` render a verified derivation for the prose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from gradavg._validation import FloatArray
from gradavg.book import shown
from gradavg.cost import (
    FLOAT64_BYTES,
    backprop_flops,
    looped_backprop_flops,
    parameter_count,
    per_example_gradient_bytes,
)
from gradavg.derivation import ProofKind, VerifiedDerivation
from gradavg.figures.cost import benchmark_series
from gradavg.page import Formula
from gradavg.printing import latex

__all__ = ["BenchmarkFindings", "ClaimNotSupported", "how_proved", "one_line", "read_benchmark"]

LEVEL = 1.1
"""A line is level when its largest value is below this factor times its smallest."""


class ClaimNotSupported(ValueError):
    """The benchmark record does not bear out a claim the chapter makes about it."""


def one_line(result: VerifiedDerivation) -> Formula:
    """The whole chain ``start = step 1 = … = result`` on one line, for inline glue."""
    return Formula(" = ".join(latex(e) for e in (result.start, *(s.expr for s in result.steps))))


def how_proved(result: VerifiedDerivation) -> str:
    """How a chain of matrices was proved, read from the record, for the prose.

    ``"symbolically and entry by entry, so for every value of the entries"`` when every
    step was proved so; otherwise :meth:`~gradavg.derivation.VerifiedDerivation.proved_for`.
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
        ``"per_example_reused"`` and ``"loop"``.
    """

    widths: tuple[int, ...]
    machine: Mapping[str, Any]
    batch_sizes: FloatArray
    seconds: dict[str, FloatArray]

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

    @property
    def level(self) -> int:
        """Index of the first N from which the loop's time per example is level."""
        loop = self.microseconds_per_example("loop")
        return next(n for n in range(loop.size) if loop[n:].max() < LEVEL * loop[n:].min())

    @property
    def peak(self) -> int:
        """Index of the N where the per-example gradients gain most over the loop."""
        return int(np.argmax(self.seconds["loop"] / self.seconds["per_example"]))

    @property
    def batch_rate(self) -> float:
        """Flops per second of the batched pass at the largest N."""
        return self.flops[0] / self.at_largest("batch")

    @property
    def write_rate(self) -> float:
        """Numbers per second the per-example gradients write, beyond the batched pass.

        The time of a call into reused arrays minus that of the batched pass, spread over
        the N × P numbers written, at the largest N.
        """
        extra = self.at_largest("per_example_reused") - self.at_largest("batch")
        return self.largest_n * self.parameters / extra

    def claims(self) -> dict[str, bool]:
        """Each claim the chapter makes about the record, and whether the record bears it out."""
        loop, batch = (self.microseconds_per_example(k) for k in ("loop", "batch"))
        fresh, reused = (
            self.microseconds_per_example(k) for k in ("per_example", "per_example_reused")
        )
        level, peak, last = self.level, self.peak, self.batch_sizes.size - 1
        fresh_over_reused = self.seconds["per_example"] / self.seconds["per_example_reused"]
        n, p = self.largest_n, self.parameters
        return {
            "neither speed-up comes from doing less arithmetic": min(
                self.speedup("batch"), self.speedup("per_example")
            )
            > 5 * self.flop_ratio,
            "the loop's time per example becomes level after N = 1": level > 0,
            "a lone call costs a little more than a call in a long run": bool(
                loop[level:].max() < loop[0] < 1.5 * loop[level:].mean()
            ),
            "the batched pass's time per example falls steeply": bool(batch[-1] < batch[0] / 50),
            "the per-example lines end above the batched one": bool(
                np.all(fresh[-3:] > batch[-3:]) and np.all(reused[-3:] > batch[-3:])
            ),
            "the per-example gradients write N × P float64 numbers": (
                per_example_gradient_bytes(self.widths, n) == n * p * FLOAT64_BYTES
            ),
            "writing runs far below the batched pass's flop rate": (
                self.write_rate < self.batch_rate / 4
            ),
            "fresh and reused arrays take about the same time up to the second-largest N": bool(
                np.all(np.abs(np.log(fresh_over_reused[:-1])) < np.log(1.15))
            ),
            "fresh arrays are clearly slower at the largest N": bool(fresh_over_reused[-1] > 1.2),
            "the per-example speed-up peaks where the loop is level, before the largest N": (
                level <= peak < last
            ),
            "from the peak, the per-example time per example grows": bool(
                fresh[-1] > 1.5 * fresh[peak]
            ),
            "it grows less into reused arrays, but grows": bool(
                fresh[-1] / fresh[peak] > reused[-1] / reused[peak] > 1.1
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

    def measured(self) -> dict[str, str]:
        """The recorded times and what follows from them, as the prose shows them."""
        ns = self.batch_sizes
        loop, fresh, reused = (
            self.microseconds_per_example(k) for k in ("loop", "per_example", "per_example_reused")
        )
        level, peak = self.level, self.peak
        gigabytes = per_example_gradient_bytes(self.widths, self.largest_n) / 1e9
        extra = self.at_largest("per_example_reused") - self.at_largest("batch")
        threads = sorted(set(self.machine["threads"].values()))
        m = self.machine
        return {
            "machine": f"{m['cpu_model']} ({m['cpu_count']} CPUs, "
            f"{'one thread' if threads == ['1'] else 'threads ' + ', '.join(threads)}), "
            f"Python {m['python']}, numpy {m['numpy']}, on {m['date']}",
            "speedup-batch": shown(self.speedup("batch"), ".1f"),
            "speedup-per-example": shown(self.speedup("per_example"), ".1f"),
            "loop-first-n": shown(ns[0], ",.0f"),
            "loop-first-us": shown(loop[0], ".0f"),
            "loop-level-n": shown(ns[level], ",.0f"),
            "loop-level-us": shown(loop[level:].mean(), ".0f"),
            "batch-rate": shown(self.batch_rate / 1e9, ".1f"),
            "loop-rate": shown(self.flops[1] / self.at_largest("loop") / 1e9, ".2f"),
            "call-us": shown(loop[-1], ".0f"),
            "arithmetic-us": shown(backprop_flops(self.widths, 1) / self.batch_rate * 1e6, ".1f"),
            "per-example-over-batch": shown(
                self.at_largest("per_example") / self.at_largest("batch"), ".1f"
            ),
            "mb": shown(gigabytes * 1e3, ".1f"),
            "float-bytes": str(FLOAT64_BYTES),
            "write-rate": shown(self.write_rate / 1e9, ".2f"),
            "write-gbs": shown(gigabytes / extra, ".1f"),
            "peak-speedup": shown(
                self.seconds["loop"][peak] / self.seconds["per_example"][peak], ".1f"
            ),
            "peak-n": shown(ns[peak], ",.0f"),
            "peak-mb": shown(per_example_gradient_bytes(self.widths, int(ns[peak])) / 1e6, ".1f"),
            "peak-us": shown(fresh[peak], ".2f"),
            "largest-us": shown(fresh[-1], ".2f"),
            "reused-peak-us": shown(reused[peak], ".2f"),
            "reused-largest-us": shown(reused[-1], ".2f"),
            "speedup-reused": shown(self.speedup("per_example_reused"), ".1f"),
            "reuse-same-up-to": shown(ns[-2], ",.0f"),
            "fresh-ms": shown(self.at_largest("per_example") * 1e3, ".1f"),
            "reused-ms": shown(self.at_largest("per_example_reused") * 1e3, ".1f"),
        }


def read_benchmark(record: Mapping[str, Any]) -> BenchmarkFindings:
    """The findings of a record of ``benchmarks/bench_gradients.py``, each claim checked.

    Parameters
    ----------
    record
        The parsed JSON: ``"model"`` with ``"widths"`` and ``"parameters"``, ``"machine"``
        and ``"results"`` (see :func:`gradavg.figures.cost.benchmark_series`).

    Raises
    ------
    ClaimNotSupported
        If the record's parameter count is not that of its widths, or the record does not
        bear out a claim of :meth:`BenchmarkFindings.claims`.
    """
    ns, seconds = benchmark_series(record)
    findings = BenchmarkFindings(
        tuple(int(w) for w in record["model"]["widths"]), record["machine"], ns, seconds
    )
    if findings.parameters != record["model"]["parameters"]:
        raise ClaimNotSupported(
            f"the record's network has {record['model']['parameters']} parameters, "
            f"but widths {findings.widths} give {findings.parameters}"
        )
    findings.check()
    return findings
