"""``gradavg``: the book's counterexamples for your own numbers, from the command line.

``gradavg activation 0 1`` compares the mean of an activation's derivative over some
inputs with the derivative at their mean; ``gradavg regression --x … --y … --slope …
--intercept …`` compares the batch gradient of least squares with the averaged-data
shortcut; ``gradavg accumulation --counts 7 3 12`` gives the weight of each micro-batch
under the mean of micro-batch means and in the full batch; ``gradavg batch-size --eta 0.1
--from 256 --to 1024`` gives the step sizes a batch-size change implies under the linear
and square-root rules; ``gradavg noise-scale --sizes 32 256 --norms 1.9 1.1`` estimates the
gradient noise scale from squared gradient norms at two batch sizes; ``gradavg precision
--loss 20 --count 4096`` says when a sum of losses overflows float16 and what each order of
the mean computes. All print plain text ready to paste into an answer.
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from collections.abc import Sequence
from typing import NoReturn

import numpy as np

from gradavg import __version__, regression, shortcuts
from gradavg._validation import (
    OverflowInputError,
    as_batch,
    as_float_array,
    check_finite,
    check_same_length,
    overflow_guard,
)
from gradavg.accumulation import accumulation_weights
from gradavg.activations import ACTIVATIONS, averaging_gap
from gradavg.low_precision import (
    divide_then_sum,
    largest,
    overflow_count,
    running_overflow_count,
    sum_then_divide,
    unit_roundoff,
)
from gradavg.scaling import noise_scale_from_two_sizes

_NUMBER = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^-(inf|infinity|nan)$", re.IGNORECASE)
"""A negative number (scientific notation, -inf and -nan included): a value, not a flag."""

_ALIASES = {"x": "--x", "y": "--y", "theta": "--slope/--intercept", "counts": "--counts"}
_RENAMED = {
    "small_size": "the first of --sizes",
    "large_size": "the second of --sizes",
    "squared norms": "--norms",
}
"""Names the numerics use in messages → the options the user typed."""
"""Argument names of the package → the names the user typed, for error messages."""

_FIXED_BELOW = 1e7
"""Numbers at least this large in magnitude print in scientific notation."""
_FIXED_FROM = 1e-3
"""Non-zero numbers smaller than this in magnitude print in scientific notation too, so
that they keep their significant digits (σ′ at -497.5 is 1.1e-216, not 0.000000)."""
_ECHOED = 10
"""The most inputs ``gradavg activation`` repeats back."""


def _real(text: str) -> float:
    """A command-line number: finite, or an error that says what is wrong with it."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text.strip()!r} is not a number") from None
    if np.isnan(value):
        raise argparse.ArgumentTypeError(f"{text.strip()!r} is not a number (NaN)")
    if np.isinf(value):
        spelled = text.strip().lstrip("+-").lower()
        if spelled in {"inf", "infinity"}:
            raise argparse.ArgumentTypeError(f"{text.strip()!r}: an infinite value has no gradient")
        raise argparse.ArgumentTypeError(
            f"{text.strip()} is too large for a float (the largest is about 1.8e308)"
        )
    return value


def _values(argv: Sequence[str]) -> list[str]:
    """The arguments, each negative number (``-1e3`` too) read as a value, not a flag.

    argparse only treats ``-1`` and ``-.5`` as negative numbers; anything else starting
    with ``-`` is taken for an unknown flag, in every subcommand. A negative number is
    given a leading space: argparse takes an argument that does not start with ``-`` for
    a value, and ``float`` and ``int`` ignore the space.
    """
    return [f" {arg}" if _NUMBER.match(arg) else arg for arg in argv]


class _Parser(argparse.ArgumentParser):
    """argparse's parser, quoting a negative number in its messages as it was typed."""

    def error(self, message: str) -> NoReturn:
        super().error(message.replace("' -", "'-"))  # the space _values added


def _number(value: float, digits: int) -> str:
    """``value`` with ``digits`` decimals: fixed point, or scientific notation when large
    or small (so that it keeps its significant digits).

    Never prints a negative zero: a value that rounds to 0 prints as 0.
    """
    small = value != 0 and abs(value) < _FIXED_FROM
    style = "e" if abs(value) >= _FIXED_BELOW or small else "f"
    text = f"{value:.{digits}{style}}"
    if text.startswith("-") and float(text) == 0.0:
        text = text[1:]
    return text


def _activation(args: argparse.Namespace) -> str:
    points = as_batch(args.points, "points")
    result = averaging_gap(points, args.activation)
    f, d = args.activation, args.digits
    relation = "<" if result.gap < 0 else ">" if result.gap > 0 else "="
    shown = ", ".join(f"{p:g}" for p in result.points[:_ECHOED])
    if len(result.points) > _ECHOED:
        shown += f", … ({len(result.points):,} inputs)"
    rows = [
        ("inputs", shown),
        (f"mean of {f}' over the inputs", _number(result.mean_of_derivative, d)),
        (f"{f}' at the mean input", _number(result.derivative_at_mean, d)),
        ("difference", f"{result.gap + 0.0:+.{d}e}"),
    ]
    width = max(len(label) for label, _ in rows) + 2
    lines = [f"{label + ':':{width}}{value}" for label, value in rows]
    lines.append(f"mean of {f}' {relation} {f}' of the mean")
    if f == "relu" and (0.0 in result.points or float(np.mean(result.points)) == 0.0):
        lines.append(
            "relu'(0) is taken as 0, as PyTorch and JAX take it (relu has no derivative at 0)."
        )
    return "\n".join(lines)


def _regression(args: argparse.Namespace) -> str:
    # Checked here to name the options as typed; the package checks them again.
    theta = np.array(
        [as_float_array(args.slope, "--slope"), as_float_array(args.intercept, "--intercept")]
    )
    check_same_length(**{"--x": as_batch(args.x, "--x"), "--y": as_batch(args.y, "--y")})
    batch = regression.batch_gradient(theta, args.x, args.y)
    shortcut = shortcuts.averaged_input_gradient(theta, args.x, args.y)
    what = "the difference of the gradients at"
    with overflow_guard(what, "theta", "x", "y"):
        difference = check_finite(shortcut - batch, what, "theta", "x", "y")
    rows = [
        ("batch gradient (mean of per-example)", batch),
        ("gradient at the averaged example", shortcut),
        ("difference", difference),
        (
            "2 (Cov(x, y) - m Var(x)), 0",
            regression.averaging_error_closed_form(theta, args.x, args.y),
        ),
    ]
    width, column = max(len(label) for label, _ in rows) + 2, args.digits + 10
    lines = [f"{'':{width}}{'dJ/dm':>{column}}{'dJ/db':>{column}}"]
    lines += [
        f"{label:{width}}" + "".join(f"{_number(v, args.digits):>{column}}" for v in values)
        for label, values in rows
    ]
    return "\n".join(lines)


def _accumulation(args: argparse.Namespace) -> str:
    weights = accumulation_weights(args.counts)
    d = args.digits
    header = ("micro-batch", "n_q", "naive 1/Q", "correct n_q/N", "factor N/(Q n_q)")
    rows = [
        (f"{index}", f"{n}", _number(naive, d), _number(correct, d), _number(factor, d))
        for index, (n, naive, correct, factor) in enumerate(
            zip(weights.counts, weights.naive, weights.correct, weights.factor, strict=True),
            start=1,
        )
    ]
    width = max(len(cell) for row in (header, *rows) for cell in row) + 2
    lines = ["".join(f"{cell:>{width}}" for cell in row) for row in (header, *rows)]
    summary = f"N = {weights.total} in Q = {weights.counts.size} micro-batches."
    lines += [
        f"{summary} The mean of micro-batch means weights each example of micro-batch q",
        "by 1/(Q n_q), not 1/N: factor > 1 over-weights it, < 1 under-weights it.",
        "Summing the losses and dividing once by N weights every example 1/N.",
    ]
    return "\n".join(lines)


def _table(rows: Sequence[tuple[str, str]]) -> str:
    width = max(len(label) for label, _ in rows) + 2
    return "\n".join(f"{label + ':':{width}}{value}" for label, value in rows)


def _positive(value: float, option: str) -> float:
    (checked,) = as_float_array([value], option)
    if checked <= 0:
        raise ValueError(f"{option} must be positive, got {value:g}")
    return float(checked)


def _whole(value: float, option: str) -> int:
    checked = _positive(value, option)
    if checked != int(checked):
        raise ValueError(f"{option} must be a whole number, got {value:g}")
    return int(checked)


def _batch_size(args: argparse.Namespace) -> str:
    eta = _positive(args.eta, "--eta")
    old, new = _whole(getattr(args, "from"), "--from"), _whole(args.to, "--to")
    ratio = new / old
    d = args.digits
    return "\n".join(
        [
            _table(
                [
                    ("batch size", f"{old} -> {new} (x {ratio:g})"),
                    ("linear rule, SGD", _number(eta * ratio, d)),
                    ("square-root rule, Adam", _number(eta * ratio**0.5, d)),
                ]
            ),
            "The linear rule rests on an identity: k SGD steps of eta and one step of k eta",
            "agree to first order in eta (see the book's chapter on batch size); it fails as",
            "k eta times the curvature grows. The square-root rule for Adam comes from an SDE",
            "approximation, with 1 - beta1 and 1 - beta2 also scaled by k and eps by 1/sqrt(k):",
            "a heuristic, not an identity.",
        ]
    )


def _noise_scale(args: argparse.Namespace) -> str:
    small, large = (_whole(v, "--sizes") for v in args.sizes)
    noise = noise_scale_from_two_sizes(args.norms[0], args.norms[1], small, large)
    d = args.digits
    rows = [
        ("|G|^2, the full gradient's squared norm", _number(noise.squared_norm, d)),
        ("tr Sigma, the per-example variance", _number(noise.trace, d)),
    ]
    if noise.squared_norm <= 0 or noise.trace <= 0:
        note = "Not a usable estimate: a noise scale needs both to be positive (more draws)."
        return "\n".join([_table(rows), note])
    rows.append(("noise scale tr Sigma / |G|^2", _number(noise.noise_scale, d)))
    return "\n".join(
        [_table(rows), "From E|g_N|^2 = |G|^2 + tr Sigma / N at two N (draws with replacement)."]
    )


_MAX_TERMS = 1_000_000
"""The most losses ``gradavg precision`` sums, term by term as the hardware would."""


def _precision(args: argparse.Namespace) -> str:
    loss = _positive(args.loss, "--loss")
    count, fmt, d = _whole(args.count, "--count"), args.format, args.digits
    if count > _MAX_TERMS:
        raise ValueError(f"--count must be at most {_MAX_TERMS:,}: the sums run term by term")
    losses = np.full(count, loss)
    threshold = overflow_count(loss, fmt)
    running = running_overflow_count(loss, fmt)
    rows = [
        (f"largest {fmt}", _number(largest(fmt), d)),
        (
            "the exact sum exceeds it from N",
            f"{threshold}" if threshold < _FIXED_BELOW else _number(threshold, d),
        ),
        (
            f"a {fmt} running sum is inf from N",
            "never (it stops growing first)" if running is None else f"{running}",
        ),
        (f"sum then divide, in {fmt}", f"{sum_then_divide(losses, fmt):g}"),
        (f"divide then sum, in {fmt}", f"{divide_then_sum(losses, fmt):g}"),
        ("either, accumulated in float32", f"{sum_then_divide(losses, fmt, 'float32'):g}"),
        ("a sum of ones stops growing at", f"{1 / unit_roundoff(fmt):g}"),
    ]
    return "\n".join([_table(rows), f"The exact mean is {loss:g}."])


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="gradavg",
        description="Compare the gradient of the mean with averaging first, for your numbers.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    shared = _Parser(add_help=False)
    shared.add_argument(
        "--digits", type=int, default=6, help="decimals to print, 1 to 17 (default 6)"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    act = commands.add_parser(
        "activation",
        parents=[shared],
        help="mean of an activation's derivative vs the derivative at the mean",
        description="Mean of f' over the inputs against f' at their mean.",
    )
    act.add_argument("points", type=_real, nargs="+", help="the inputs, e.g. 0 1")
    act.add_argument(
        "--activation",
        choices=sorted(ACTIVATIONS),
        default="sigmoid",
        help="the activation (default sigmoid); relu'(0) is taken as 0, as in PyTorch and JAX",
    )
    act.set_defaults(run=_activation, parser=act)

    reg = commands.add_parser(
        "regression",
        parents=[shared],
        help="least squares on a line: batch gradient vs gradient at the averaged example",
        description="Batch gradient of the mean squared error of f(x) = m x + b against "
        "the gradient at the single averaged example (x̄, ȳ).",
    )
    reg.add_argument("--x", type=_real, nargs="+", required=True, help="inputs x_i")
    reg.add_argument("--y", type=_real, nargs="+", required=True, help="targets y_i")
    reg.add_argument("--slope", type=_real, required=True, help="m")
    reg.add_argument("--intercept", type=_real, required=True, help="b")
    reg.set_defaults(run=_regression, parser=reg)

    acc = commands.add_parser(
        "accumulation",
        parents=[shared],
        help="weights of micro-batches (or replicas): mean of means vs the full batch",
        description="For micro-batches (or data-parallel replicas) of n_1 … n_Q examples "
        "or tokens: the weight 1/Q each gets under the mean of micro-batch means, the "
        "correct weight n_q/N, and the factor N/(Q n_q) by which each example is over- "
        "or under-weighted.",
    )
    acc.add_argument("--counts", type=_real, nargs="+", required=True, help="n_q, e.g. 7 3 12")
    acc.set_defaults(run=_accumulation, parser=acc)

    size = commands.add_parser(
        "batch-size",
        parents=[shared],
        help="the step size a batch-size change implies, linear and square-root rules",
        description="Scale a step size tuned at one batch size to another: linearly (SGD, "
        "an identity to first order) and by the square root (Adam, a heuristic).",
    )
    size.add_argument("--eta", type=_real, required=True, help="the tuned step size")
    size.add_argument("--from", type=_real, required=True, help="the batch size it was tuned at")
    size.add_argument("--to", type=_real, required=True, help="the new batch size")
    size.set_defaults(run=_batch_size, parser=size)

    noise = commands.add_parser(
        "noise-scale",
        parents=[shared],
        help="the gradient noise scale from squared gradient norms at two batch sizes",
        description="Estimate |G|^2, tr Sigma and the noise scale tr Sigma / |G|^2 from the "
        "average squared norm of minibatch mean gradients at two batch sizes.",
    )
    noise.add_argument("--sizes", type=_real, nargs=2, required=True, help="N_1 < N_2")
    noise.add_argument(
        "--norms", type=_real, nargs=2, required=True, help="average |g_N|^2 at each size"
    )
    noise.set_defaults(run=_noise_scale, parser=noise)

    precision = commands.add_parser(
        "precision",
        parents=[shared],
        help="when a sum of losses overflows float16, and the mean in each order",
        description="For N equal losses in float16 or bfloat16: where their sum overflows, "
        "and the mean summed first, divided first, and accumulated in float32.",
    )
    precision.add_argument("--loss", type=_real, required=True, help="one loss, e.g. 20")
    precision.add_argument("--count", type=_real, required=True, help="how many, N")
    precision.add_argument("--format", choices=["float16", "bfloat16"], default="float16")
    precision.set_defaults(run=_precision, parser=precision)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad input)."""
    args = _parser().parse_args(_values(sys.argv[1:] if argv is None else argv))
    parser = args.parser  # errors found from here on print the subcommand's usage
    if not 1 <= args.digits <= 17:
        parser.error(f"argument --digits: must be between 1 and 17, got {args.digits}")
    try:
        with warnings.catch_warnings():
            # A numpy RuntimeWarning (overflow, invalid value) would mean a silent inf or
            # NaN: make it an error, reported below like any other, never printed.
            warnings.simplefilter("error", RuntimeWarning)
            text = args.run(args)
    except OverflowInputError as error:
        parser.error(error.renamed(_ALIASES))
    except (TypeError, ValueError, ArithmeticError, RuntimeWarning) as error:
        message = str(error)
        for name, option in _RENAMED.items():
            message = message.replace(name, option)
        parser.error(message)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
