"""``gradavg``: the book's counterexamples for your own numbers, from the command line.

``gradavg activation 0 1`` compares the mean of an activation's derivative over some
inputs with the derivative at their mean; ``gradavg regression --x … --y … --slope …
--intercept …`` compares the batch gradient of least squares with the averaged-data
shortcut; ``gradavg accumulation --counts 7 3 12`` gives the weight of each micro-batch
under the mean of micro-batch means and in the full batch. All print plain text ready
to paste into an answer.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence

import numpy as np

from gradavg import __version__, regression, shortcuts
from gradavg.accumulation import accumulation_weights
from gradavg.activations import ACTIVATIONS, averaging_gap

_NUMBER = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
"""A negative number, scientific notation included, which argparse takes for a value."""


def _activation(args: argparse.Namespace) -> str:
    result = averaging_gap(args.points, args.activation)
    f, d = args.activation, args.digits
    relation = "<" if result.gap < 0 else ">" if result.gap > 0 else "="
    rows = [
        ("inputs", ", ".join(f"{p:g}" for p in result.points)),
        (f"mean of {f}' over the inputs", f"{result.mean_of_derivative:.{d}f}"),
        (f"{f}' at the mean input", f"{result.derivative_at_mean:.{d}f}"),
        ("difference", f"{result.gap:+.{d}e}"),
    ]
    width = max(len(label) for label, _ in rows) + 2
    lines = [f"{label + ':':{width}}{value}" for label, value in rows]
    return "\n".join([*lines, f"mean of {f}' {relation} {f}' of the mean"])


def _regression(args: argparse.Namespace) -> str:
    theta = np.array([args.slope, args.intercept])
    batch = regression.batch_gradient(theta, args.x, args.y)
    shortcut = shortcuts.averaged_input_gradient(theta, args.x, args.y)
    rows = [
        ("batch gradient (mean of per-example)", batch),
        ("gradient at the averaged example", shortcut),
        ("difference", shortcut - batch),
        (
            "2 (Cov(x, y) - m Var(x)), 0",
            regression.averaging_error_closed_form(theta, args.x, args.y),
        ),
    ]
    width, column = max(len(label) for label, _ in rows) + 2, args.digits + 10
    lines = [f"{'':{width}}{'dJ/dm':>{column}}{'dJ/db':>{column}}"]
    lines += [
        f"{label:{width}}" + "".join(f"{v:>{column}.{args.digits}f}" for v in values)
        for label, values in rows
    ]
    return "\n".join(lines)


def _accumulation(args: argparse.Namespace) -> str:
    weights = accumulation_weights(args.counts)
    d = args.digits
    header = ("micro-batch", "n_k", "naive 1/K", "correct n_k/N", "factor N/(K n_k)")
    rows = [
        (f"{index}", f"{n}", f"{naive:.{d}f}", f"{correct:.{d}f}", f"{factor:.{d}f}")
        for index, (n, naive, correct, factor) in enumerate(
            zip(weights.counts, weights.naive, weights.correct, weights.factor, strict=True),
            start=1,
        )
    ]
    width = max(len(cell) for row in (header, *rows) for cell in row) + 2
    lines = ["".join(f"{cell:>{width}}" for cell in row) for row in (header, *rows)]
    summary = f"N = {weights.total} in K = {weights.counts.size} micro-batches."
    lines += [
        f"{summary} The mean of micro-batch means weights each example of micro-batch k",
        "by 1/(K n_k), not 1/N: factor > 1 over-weights it, < 1 under-weights it.",
        "Summing the losses and dividing once by N weights every example 1/N.",
    ]
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradavg",
        description="Compare the gradient of the mean with averaging first, for your numbers.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--digits", type=int, default=6, help="decimals to print (default 6)")
    commands = parser.add_subparsers(dest="command", required=True)

    act = commands.add_parser(
        "activation",
        parents=[shared],
        help="mean of an activation's derivative vs the derivative at the mean",
        description="Mean of f' over the inputs against f' at their mean.",
    )
    act.add_argument("points", type=float, nargs="+", help="the inputs, e.g. 0 1")
    act.add_argument("--activation", choices=sorted(ACTIVATIONS), default="sigmoid")
    act.set_defaults(run=_activation)

    reg = commands.add_parser(
        "regression",
        parents=[shared],
        help="least squares on a line: batch gradient vs gradient at the averaged example",
        description="Batch gradient of the mean squared error of f(x) = m x + b against "
        "the gradient at the single averaged example (x̄, ȳ).",
    )
    reg.add_argument("--x", type=float, nargs="+", required=True, help="inputs x_i")
    reg.add_argument("--y", type=float, nargs="+", required=True, help="targets y_i")
    reg.add_argument("--slope", type=float, required=True, help="m")
    reg.add_argument("--intercept", type=float, required=True, help="b")
    reg.set_defaults(run=_regression)

    acc = commands.add_parser(
        "accumulation",
        parents=[shared],
        help="weights of micro-batches (or replicas): mean of means vs the full batch",
        description="For micro-batches (or data-parallel replicas) of n_1 … n_K examples "
        "or tokens: the weight 1/K each gets under the mean of micro-batch means, the "
        "correct weight n_k/N, and the factor N/(K n_k) by which each example is over- "
        "or under-weighted.",
    )
    acc.add_argument("--counts", type=float, nargs="+", required=True, help="n_k, e.g. 7 3 12")
    acc._negative_number_matcher = _NUMBER  # -1e3 is a (bad) count, not an option
    acc.set_defaults(run=_accumulation)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad input)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not 0 <= args.digits <= 17:
        parser.error(f"argument --digits: must be between 0 and 17, got {args.digits}")
    try:
        print(args.run(args))
    except (TypeError, ValueError) as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
