"""Tests for gradavg.experiments.batched_gradients: the benchmark findings and their claims."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sympy as sp

from gradavg.cost import backprop_flops, looped_backprop_flops
from gradavg.derivation import Derivation
from gradavg.experiments.batched_gradients import (
    ClaimNotSupported,
    how_proved,
    one_line,
    read_benchmark,
)

RECORD = Path(__file__).parent.parent / "src" / "gradavg" / "data" / "benchmark-gradients.json"


@pytest.fixture
def record() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RECORD.read_text())
    return data


def test_the_book_record_bears_out_every_claim(record: dict[str, Any]) -> None:
    findings = read_benchmark(record)
    assert all(findings.claims().values())
    assert findings.largest_n == max(row["batch_size"] for row in record["results"])
    assert findings.flops == (
        backprop_flops(findings.widths, findings.largest_n),
        looped_backprop_flops(findings.widths, findings.largest_n),
    )
    assert 1 < findings.flop_ratio < 2


def test_level_and_peak_are_indices_of_the_record(record: dict[str, Any]) -> None:
    findings = read_benchmark(record)
    loop = findings.microseconds_per_example("loop")
    level = findings.level
    assert loop[level:].max() < 1.1 * loop[level:].min()
    assert not loop[level - 1 :].max() < 1.1 * loop[level - 1 :].min()
    speedups = findings.seconds["loop"] / findings.seconds["per_example"]
    assert speedups[findings.peak] == speedups.max()


def test_numbers_for_the_prose(record: dict[str, Any]) -> None:
    findings = read_benchmark(record)
    counted, measured = findings.counted(), findings.measured()
    assert counted["parameters"] == f"{record['model']['parameters']:,}"
    assert counted["largest-n"] == f"{findings.largest_n:,}"
    assert measured["float-bytes"] == "8"
    assert measured["machine"].startswith(record["machine"]["cpu_model"])
    assert "one thread" in measured["machine"]
    assert all(isinstance(v, str) and "-" not in v for v in counted.values())


def test_a_wrong_parameter_count_is_refused(record: dict[str, Any]) -> None:
    record["model"]["parameters"] += 1
    with pytest.raises(ClaimNotSupported, match="parameters"):
        read_benchmark(record)


def test_a_record_that_contradicts_a_claim_is_refused(record: dict[str, Any]) -> None:
    slow = copy.deepcopy(record)
    for row in slow["results"]:  # a batched pass as slow per example as the loop
        row["seconds"]["batch"] = row["seconds"]["loop"]
    with pytest.raises(ClaimNotSupported, match="less arithmetic"):
        read_benchmark(slow)


def test_a_record_without_results_is_refused(record: dict[str, Any]) -> None:
    record["results"] = []
    with pytest.raises(ValueError, match="no results"):
        read_benchmark(record)


def test_one_line_joins_every_step() -> None:
    a, b, c = sp.symbols("a b c", real=True)
    chain = Derivation("distribute", a * (b + c))
    with sp.evaluate(False):
        chain.step(a * b + a * c, "distributivity").step(a * c + a * b, "commutativity")
    formula = one_line(chain.verify())
    assert formula.latex.split(" = ") == ["a \\left(b + c\\right)", "a b + a c", "a c + a b"]


def test_how_proved_reads_the_record() -> None:
    a, b = sp.symbols("a b", real=True)
    matrices = Derivation("swap", sp.ImmutableMatrix([[a + b]])).step(
        sp.ImmutableMatrix([[b + a]]), "commutativity"
    )
    assert how_proved(matrices.verify()).startswith("symbolically and entry by entry")
    scalar = Derivation("swap", a + b).step(b + a, "commutativity")
    assert how_proved(scalar.verify()) == "symbolically"


def test_seconds_are_arrays(record: dict[str, Any]) -> None:
    findings = read_benchmark(record)
    assert set(findings.seconds) == {"batch", "per_example", "per_example_reused", "loop"}
    assert all(isinstance(v, np.ndarray) for v in findings.seconds.values())
