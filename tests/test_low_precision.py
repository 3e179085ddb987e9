"""Sums, means and loss scaling in float16 and bfloat16 (gradavg.low_precision), and the
chapter's figure."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gradavg.chapters.low_precision import ACCUMULATORS, float16_mean, loss_scaling, plot_stagnation
from gradavg.low_precision import (
    divide_then_sum,
    largest,
    overflow_count,
    running_overflow_count,
    running_sums,
    scaled_round_trip,
    sequential_sum,
    smallest_normal,
    smallest_subnormal,
    sum_then_divide,
    unit_roundoff,
)

pytestmark = pytest.mark.usefixtures("close_figures")


def test_the_formats_constants() -> None:
    assert unit_roundoff("float16") == 2.0**-11
    assert unit_roundoff("bfloat16") == 2.0**-8
    assert unit_roundoff("float64") == 2.0**-53
    assert largest("float16") == 65504.0
    assert smallest_subnormal("float16") == 2.0**-24
    assert smallest_normal("float16") == 2.0**-14


@pytest.mark.parametrize("fmt", ["float16", "bfloat16"])
def test_a_sum_of_ones_stops_at_one_over_u(fmt: str) -> None:
    stop = 1 / unit_roundoff(fmt)  # type: ignore[arg-type]
    assert sequential_sum(np.ones(int(3 * stop)), fmt) == stop  # type: ignore[arg-type]
    assert sequential_sum(np.ones(int(3 * stop)), fmt, "float32") == 3 * stop  # type: ignore[arg-type]
    partial = running_sums(np.ones(int(2 * stop)), fmt)  # type: ignore[arg-type]
    assert list(partial[: int(stop)]) == list(range(1, int(stop) + 1))
    assert set(partial[int(stop) :]) == {stop}


def test_the_float16_mean_three_ways() -> None:
    losses = np.full(4096, 20.0)
    assert math.isinf(sum_then_divide(losses, "float16"))
    assert divide_then_sum(losses, "float16") < 20.0  # stalled
    assert sum_then_divide(losses, "float16", "float32") == 20.0
    assert divide_then_sum(losses, "float16", "float32") == 20.0
    n = overflow_count(20.0, "float16")
    assert math.isinf(sequential_sum(np.full(n, 20.0), "float16", "float32"))
    assert sequential_sum(np.full(n - 1, 20.0), "float16", "float32") <= 65504.0


@given(st.floats(1e-7, 1e-3))
def test_a_loss_scale_lifts_small_gradients_back(gradient: float) -> None:
    lifted = scaled_round_trip([gradient], 2.0**16, "float16")[0]
    assert lifted == pytest.approx(gradient, rel=2**-10)


def test_underflow_and_overflow() -> None:
    assert scaled_round_trip([1e-9], 1.0, "float16")[0] == 0.0
    assert scaled_round_trip([1e-9], 2.0**16, "float16")[0] > 0.0
    assert math.isinf(scaled_round_trip([1e-2], 2.0**24, "float16")[0])
    assert scaled_round_trip([1e-2], 2.0**24, "bfloat16")[0] == pytest.approx(1e-2, rel=2**-7)


def test_the_figure_draws_each_arithmetic() -> None:
    fig = plot_stagnation(600)
    lines = {line.get_gid(): line for line in fig.axes[0].get_lines()}
    assert set(lines) == {label for _, _, label, _, _ in ACCUMULATORS}
    assert lines["bfloat16 throughout"].get_ydata()[-1] == 256.0
    assert lines["float32 accumulator"].get_ydata()[-1] == 600.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: sequential_sum([1.0], "float8"), "fmt must be one of"),
        (lambda: sequential_sum([1.0], "float16", "int8"), "accumulator must be one of"),
        (lambda: overflow_count(0.0, "float16"), "loss must be positive"),
        (lambda: scaled_round_trip([1.0], -1.0, "float16"), "scale must be positive"),
        (lambda: sum_then_divide([], "float16"), "terms is an empty batch"),
        (lambda: divide_then_sum([math.inf], "float16"), "terms contains a NaN or infinite"),
    ],
)
def test_bad_input_is_named(call: object, message: str) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        call()  # type: ignore[operator]


def test_the_chapter_demonstrations() -> None:
    mean = float16_mean(20.0, 4096)
    assert (mean.overflow_count, mean.accumulated) == (3276, 20.0)
    assert math.isinf(mean.sum_first)
    assert mean.divide_first < 20.0
    scaling = loss_scaling(np.logspace(-10, -2, 81), 2.0**16, 2.0**24)
    assert scaling.lost_unscaled > 0
    assert scaling.lost_scaled == 0
    assert scaling.worst_normal_error <= 2.0**-11 < scaling.worst_error
    assert math.isinf(scaling.overflowed)


def test_a_float16_running_sum_overflows_before_the_exact_sum_does() -> None:
    assert running_overflow_count(20.0, "float16") == 2969
    assert math.isinf(sequential_sum(np.full(2969, 20.0), "float16"))
    assert not math.isinf(sequential_sum(np.full(2968, 20.0), "float16"))
    assert running_overflow_count(20.0, "bfloat16") is None  # it stalls first
    with pytest.raises(ValueError, match="float16 or bfloat16 here"):
        running_overflow_count(20.0, "float32")
