"""Time the batch gradient, the per-example gradients, a loop of single-example calls and the memory floor.

Usage::

    python benchmarks/bench_gradients.py [--sizes 1,4,16] [--repeats 7] [--output PATH]
                                         [--date YYYY-MM-DD]

The model is a two-layer MLP with widths 32-64-10, sigmoid hidden units and the squared
error, initialised with seed 0; inputs and targets are standard normal. For each batch
size N the script times, best of ``--repeats`` runs with ``time.perf_counter``:

* ``batch``: one call of :meth:`gradavg.mlp.MLP.batch_gradient` on the whole batch;
* ``per_example``: one call of :meth:`gradavg.mlp.MLP.per_example_gradients`, which
  returns fresh arrays;
* ``per_example_reused``: the same call with ``out=``, writing into the arrays of an
  earlier call, as a training loop that needs per-example gradients every step would;
* ``loop``: N calls of ``batch_gradient`` on one example each, summed and divided by N;
* ``floor_fresh``: the memory floor for fresh arrays, ``np.copyto(np.empty((N, P)), source)``:
  allocate an array of N x P float64 values and write into it a copy of another array of
  that size (P = |theta|, the number of parameters; the same N x P numbers that the
  per-example gradients write);
* ``floor_reused``: the memory floor for reused arrays, ``np.copyto(target, source)`` into
  an N x P float64 array allocated (and written) before timing;
* ``fill_fresh`` and ``fill_reused``: ``np.empty((N, P)).fill(0.5)`` and
  ``target.fill(0.5)``, writing one value into N x P fresh or reused float64 numbers. They
  measure what first writing fresh memory costs (``fill_fresh - fill_reused``), which any
  computation that writes fresh arrays pays, against what allocating adds to the copy
  (``floor_fresh - floor_reused``).

All four gradient computations must give the same mean gradient; the script checks this
before timing. Each per-example variant is compared with the floor of its own kind:
``per_example`` (fresh arrays) with ``floor_fresh``, ``per_example_reused`` with
``floor_reused``. The floors are timed in the same run, at each N, right after the
gradients. The copy reads N x P numbers as well as writing them, so it moves more bytes
than the per-example gradients must write; it is a floor for writing them with numpy,
not a hardware limit.

BLAS and OpenMP are limited to one thread (``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``,
``MKL_NUM_THREADS`` are set to 1 before numpy is imported), so that the speed-ups measure
vectorization and not the number of cores. The targets, checked at N = 4096, are: the
per-example gradients take at most 1.5 times their floor, both into fresh arrays
(``per_example / floor_fresh``) and into reused ones (``per_example_reused /
floor_reused``), and the batch gradient is at least 50 times faster than the loop
(``loop / batch``). The results and the machine facts are written as JSON to ``--output``.
"""

from __future__ import annotations

import os

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
for _variable in THREAD_VARIABLES:
    os.environ[_variable] = "1"

import argparse
import datetime
import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from gradavg.cost import (
    backprop_flops,
    looped_backprop_flops,
    parameter_count,
    per_example_gradient_bytes,
)
from gradavg.mlp import MLP
from gradavg.parameters import Parameters

WIDTHS = (32, 64, 10)
ACTIVATION = "sigmoid"
LOSS = "mse"
SEED = 0
TARGET_SIZE = 4096
FLOORS = {"per_example": "floor_fresh", "per_example_reused": "floor_reused"}
"""The floor each per-example variant is compared with."""
TARGETS: dict[str, tuple[str, float]] = {
    "per_example_over_floor_fresh": ("<=", 1.5),
    "per_example_reused_over_floor_reused": ("<=", 1.5),
    "loop_over_batch": (">=", 50.0),
}
"""Each checked ratio at N = TARGET_SIZE, with its comparison and bound."""
LABELS = {
    "per_example_over_floor_fresh": "per-example (fresh arrays) / floor (allocate + copyto)",
    "per_example_reused_over_floor_reused": "per-example (reused arrays) / floor (copyto)",
    "loop_over_batch": "loop / batch",
}
DEFAULT_OUTPUT = (
    Path(__file__).resolve().parent.parent / "src" / "gradavg" / "data" / "benchmark-gradients.json"
)


def looped_gradient(model: MLP, x: np.ndarray, y: np.ndarray) -> Parameters:
    """Mean gradient from N single-example ``batch_gradient`` calls."""
    first = model.batch_gradient(x[:1], y[:1])
    weights = [w.copy() for w in first.weights]
    biases = [b.copy() for b in first.biases]
    for i in range(1, x.shape[0]):
        g = model.batch_gradient(x[i : i + 1], y[i : i + 1])
        for total, part in zip([*weights, *biases], [*g.weights, *g.biases], strict=True):
            np.add(total, part, out=total)
    n = x.shape[0]
    return Parameters(tuple(w / n for w in weights), tuple(b / n for b in biases))


def floor_fresh(source: np.ndarray) -> None:
    """Allocate an array like ``source`` and write ``source`` into it: the fresh-array floor."""
    np.copyto(np.empty(source.shape, dtype=np.float64), source)


def floor_reused(target: np.ndarray, source: np.ndarray) -> None:
    """Write ``source`` into the existing array ``target``: the reused-array floor."""
    np.copyto(target, source)


def fill_fresh(shape: tuple[int, int]) -> None:
    """Allocate a float64 array of ``shape`` and write one value into it: first touch."""
    np.empty(shape, dtype=np.float64).fill(0.5)


def fill_reused(target: np.ndarray) -> None:
    """Write one value into the existing array ``target``."""
    target.fill(0.5)


def mean_over_examples(per_example: Parameters) -> Parameters:
    return Parameters(
        tuple(w.mean(axis=0) for w in per_example.weights),
        tuple(b.mean(axis=0) for b in per_example.biases),
    )


def best_time(function: Callable[[], object], repeats: int) -> float:
    """Smallest wall-clock time of ``repeats`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def cpu_model() -> str:
    """CPU model name from /proc/cpuinfo when available, else platform.processor()."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine_facts(date: str) -> dict[str, Any]:
    return {
        "date": date,
        "platform": platform.platform(),
        "processor": platform.processor(),
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "threads": {name: os.environ[name] for name in THREAD_VARIABLES},
    }


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--sizes must be comma-separated ints, got {text!r}"
        ) from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"--sizes must be positive, got {text!r}")
    return sizes


def parse_date(text: str) -> str:
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--date must be an ISO date YYYY-MM-DD, got {text!r}"
        ) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[1, 4, 16, 64, 256, 1024, 4096])
    parser.add_argument("--repeats", type=int, default=7, help="best of this many runs (default 7)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--date",
        type=parse_date,
        default=None,
        help="ISO date to record (default: today, UTC)",
    )
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    date = args.date or datetime.datetime.now(datetime.UTC).date().isoformat()

    model = MLP.init(WIDTHS, ACTIVATION, LOSS, seed=SEED)
    rng = np.random.default_rng(SEED)
    facts = machine_facts(date)
    print(f"gradavg gradient benchmark, widths {'-'.join(map(str, WIDTHS))}, {ACTIVATION}, {LOSS}")
    print(
        f"threads: {', '.join(f'{k}={v}' for k, v in facts['threads'].items())} (set before importing numpy)"
    )
    print(
        f"{facts['cpu_model']}, {facts['cpu_count']} CPUs, Python {facts['python']}, numpy {facts['numpy']}"
    )
    print(f"best of {args.repeats} runs, seconds\n")
    print(
        "floors: fresh = np.copyto(np.empty((N, P)), source), "
        "reused = np.copyto(target, source), "
        f"N x P float64 values, P = {parameter_count(WIDTHS)}"
    )
    print(
        "per-ex/fresh = per_example / floor_fresh, reused/floor = per_example_reused / floor_reused\n"
    )
    header = (
        f"{'N':>6} {'batch':>10} {'per-example':>11} {'reused':>10} {'loop':>10} "
        f"{'fl. fresh':>10} {'fl. reused':>10} "
        f"{'per-ex/fresh':>12} {'reused/floor':>12} {'loop/batch':>10}"
    )
    print(header)
    print("-" * len(header))

    results = []
    for n in args.sizes:
        x = rng.normal(size=(n, WIDTHS[0]))
        y = rng.normal(size=(n, WIDTHS[-1]))
        reference = model.batch_gradient(x, y).flatten()
        reused = model.per_example_gradients(x, y)
        p = parameter_count(WIDTHS)
        source = rng.normal(size=(n, p))  # the N x P numbers the floors write
        destination = np.zeros((n, p))  # allocated and written before timing, as `reused` is
        candidates = (
            mean_over_examples(model.per_example_gradients(x, y)),
            mean_over_examples(model.per_example_gradients(x, y, out=reused)),
            looped_gradient(model, x, y),
        )
        disagreement = max(
            float(np.max(np.abs(candidate.flatten() - reference))) for candidate in candidates
        )
        if disagreement > 1e-10 * max(1.0, float(np.max(np.abs(reference)))):
            raise RuntimeError(f"gradients disagree at N={n}: max difference {disagreement:.3e}")
        seconds = {
            "batch": best_time(lambda x=x, y=y: model.batch_gradient(x, y), args.repeats),
            "per_example": best_time(
                lambda x=x, y=y: model.per_example_gradients(x, y), args.repeats
            ),
            "per_example_reused": best_time(
                lambda x=x, y=y, out=reused: model.per_example_gradients(x, y, out=out),
                args.repeats,
            ),
            "loop": best_time(lambda x=x, y=y: looped_gradient(model, x, y), args.repeats),
            "floor_fresh": best_time(lambda source=source: floor_fresh(source), args.repeats),
            "floor_reused": best_time(
                lambda destination=destination, source=source: floor_reused(destination, source),
                args.repeats,
            ),
            "fill_fresh": best_time(lambda shape=source.shape: fill_fresh(shape), args.repeats),
            "fill_reused": best_time(
                lambda destination=destination: fill_reused(destination), args.repeats
            ),
        }
        speedups = {
            f"loop_over_{name}": seconds["loop"] / seconds[name]
            for name in ("per_example", "per_example_reused", "batch")
        }
        over_floor = {
            f"{name}_over_{floor}": seconds[name] / seconds[floor] for name, floor in FLOORS.items()
        }
        results.append(
            {
                "batch_size": n,
                "seconds": seconds,
                "speedup": speedups,
                "over_floor": over_floor,
                "max_abs_disagreement": disagreement,
                "cost_model": {
                    "backprop_flops": backprop_flops(WIDTHS, n),
                    "looped_backprop_flops": looped_backprop_flops(WIDTHS, n),
                    "per_example_gradient_bytes": per_example_gradient_bytes(WIDTHS, n),
                },
            }
        )
        print(
            f"{n:>6} {seconds['batch']:>10.3e} {seconds['per_example']:>11.3e} "
            f"{seconds['per_example_reused']:>10.3e} {seconds['loop']:>10.3e} "
            f"{seconds['floor_fresh']:>10.3e} {seconds['floor_reused']:>10.3e} "
            f"{over_floor['per_example_over_floor_fresh']:>11.2f}x "
            f"{over_floor['per_example_reused_over_floor_reused']:>11.2f}x "
            f"{speedups['loop_over_batch']:>9.1f}x"
        )

    print()
    checks = {}
    last = results[-1]["seconds"]
    print(
        f"first write of fresh memory at N={results[-1]['batch_size']}: a fill takes "
        f"{(last['fill_fresh'] - last['fill_reused']) * 1e3:.2f} ms more into a fresh array; "
        f"the per-example call, {(last['per_example'] - last['per_example_reused']) * 1e3:.2f} ms "
        f"more; the copy (the fresh floor), {(last['floor_fresh'] - last['floor_reused']) * 1e3:.2f} ms more"
    )
    at_target = next((r for r in results if r["batch_size"] == TARGET_SIZE), None)
    for key, (comparison, target) in TARGETS.items():
        label = LABELS[key]
        if at_target is None:
            checks[key] = {
                "comparison": comparison,
                "target": target,
                "measured": None,
                "passed": None,
            }
            print(f"{label}: target {comparison} {target:g}x at N={TARGET_SIZE}: not measured")
            continue
        measured = {**at_target["speedup"], **at_target["over_floor"]}[key]
        passed = measured <= target if comparison == "<=" else measured >= target
        checks[key] = {
            "comparison": comparison,
            "target": target,
            "measured": measured,
            "passed": passed,
        }
        verdict = "PASS" if passed else "FAIL"
        print(
            f"{label}: {measured:.2f}x, target {comparison} {target:g}x at N={TARGET_SIZE}: "
            f"{verdict}"
        )

    record = {
        "benchmark": "gradients",
        "model": {
            "widths": list(WIDTHS),
            "activation": ACTIVATION,
            "loss": LOSS,
            "seed": SEED,
            "parameters": parameter_count(WIDTHS),
        },
        "method": {
            "timer": "time.perf_counter",
            "statistic": "best of repeats",
            "repeats": args.repeats,
            "loop": "N single-example batch_gradient calls, summed, divided by N",
            "floor_fresh": "np.copyto(np.empty((N, P)), source): allocate and write N x P "
            "float64 values; compared with per_example",
            "floor_reused": "np.copyto(target, source) into an N x P float64 array allocated "
            "before timing: write N x P float64 values; compared with per_example_reused",
            "fill_fresh": "np.empty((N, P)).fill(0.5): allocate and first write N x P float64",
            "fill_reused": "target.fill(0.5) into an N x P float64 array allocated before timing",
        },
        "machine": facts,
        "target_batch_size": TARGET_SIZE,
        "targets": checks,
        "results": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(record, indent=2) + "\n")
    print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
