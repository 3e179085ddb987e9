"""The chapter *Low precision*: a float16 mean three ways, loss scaling at two scales,
and a running sum that stops growing, in float16 and bfloat16, against a float32
accumulator.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from gradavg.book.style import legend_below
from gradavg.low_precision import (
    divide_then_sum,
    overflow_count,
    running_overflow_count,
    running_sums,
    scaled_round_trip,
    smallest_normal,
    sum_then_divide,
    unit_roundoff,
)


@dataclass(frozen=True)
class Float16Mean:
    """The mean of equal losses in float16, summed first, divided first, and with a
    float32 accumulator (both orders agree there)."""

    overflow_count: int
    """From how many losses on their exact sum passes the largest float16."""
    running_overflow: int | None
    """From how many losses on a float16 running sum of them is infinite."""
    sum_first: float
    divide_first: float
    accumulated: float


def float16_mean(loss: float, count: int) -> Float16Mean:
    """:class:`Float16Mean` for ``count`` copies of ``loss``."""
    losses = np.full(count, loss)
    wide = {
        sum_then_divide(losses, "float16", "float32"),
        divide_then_sum(losses, "float16", "float32"),
    }
    if len(wide) != 1:
        raise AssertionError(f"the float32-accumulated means differ: {sorted(wide)}")
    return Float16Mean(
        overflow_count(loss, "float16"),
        running_overflow_count(loss, "float16"),
        sum_then_divide(losses, "float16"),
        divide_then_sum(losses, "float16"),
        wide.pop(),
    )


@dataclass(frozen=True)
class LossScaling:
    """Float16 gradients through a loss scale and back (:func:`loss_scaling`)."""

    lost_unscaled: int
    """How many gradients are stored as 0 with no scaling."""
    lost_scaled: int
    """How many are 0 with the scale."""
    worst_error: float
    """The largest relative error after unscaling."""
    worst_normal_error: float
    """The same, over the gradients whose scaled values are normal float16 numbers."""
    overflowed: float
    """The largest gradient after the too large scale, ``inf``."""


def loss_scaling(gradients: ArrayLike, scale: float, too_large: float) -> LossScaling:
    """:class:`LossScaling` for ``gradients`` with ``scale`` and ``too_large``; checks that
    the normal ones come back within float16's unit roundoff."""
    exact = np.asarray(gradients, dtype=np.float64)
    recovered = scaled_round_trip(exact, scale, "float16")
    errors = np.abs(recovered - exact) / exact
    normal = exact * scale >= smallest_normal("float16")
    if errors[normal].max() > unit_roundoff("float16"):
        raise AssertionError("a normal float16 gradient came back with more than rounding error")
    return LossScaling(
        int(np.sum(scaled_round_trip(exact, 1.0, "float16") == 0)),
        int(np.sum(recovered == 0)),
        float(errors.max()),
        float(errors[normal].max()),
        float(scaled_round_trip(exact, too_large, "float16").max()),
    )


ACCUMULATORS = (
    ("bfloat16", None, "bfloat16 throughout", "tab:red", "-"),
    ("float16", None, "float16 throughout", "tab:orange", "--"),
    ("bfloat16", "float32", "float32 accumulator", "tab:blue", ":"),
)
"""(format, accumulator, legend, colour, line style) of each curve."""


def plot_stagnation(count: int) -> Figure:
    """The running sum of ``count`` ones, left to right, in three arithmetics.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, log–log, with one line per entry of :data:`ACCUMULATORS`, its ``gid``
        the legend text; each is the computed sum against the number of terms N.
    """
    terms = np.ones(count)
    sizes = np.arange(1, count + 1)
    fig, ax = plt.subplots(layout="constrained")
    for fmt, accumulator, label, colour, style in ACCUMULATORS:
        sums = running_sums(terms, fmt, accumulator)  # type: ignore[arg-type]
        ax.plot(sizes, sums, color=colour, ls=style, label=label, gid=label)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=2)
    ax.set_xlabel("number of terms N")
    ax.set_ylabel("computed sum of N ones")
    legend_below(fig, ncols=2)
    return fig
