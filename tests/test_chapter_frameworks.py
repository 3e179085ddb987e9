"""Tests for gradavg.chapters.frameworks: the benchmark findings and their claims."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sympy as sp

from gradavg.book.formats import shown
from gradavg.chapters.frameworks import ClaimNotSupported, how_proved, read_benchmark
from gradavg.cost import backprop_flops, looped_backprop_flops
from gradavg.verify import Derivation

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


def test_fresh_memory_is_measured_by_the_fill(record: dict[str, Any]) -> None:
    findings = read_benchmark(record)
    seconds = {name: findings.at_largest(name) for name in findings.seconds}
    assert findings.extra_for_fresh("fill") == seconds["fill_fresh"] - seconds["fill_reused"]
    assert findings.extra_for_fresh("floor") == seconds["floor_fresh"] - seconds["floor_reused"]
    assert findings.measured()["fresh-over-fill"] == shown(
        seconds["per_example"] / seconds["fill_fresh"], ".2f"
    )


def test_peak_is_an_index_of_the_record(record: dict[str, Any]) -> None:
    findings = read_benchmark(record)
    speedups = findings.seconds["loop"] / findings.seconds["per_example"]
    assert speedups[findings.peak] == speedups.max()


def test_each_per_example_variant_is_compared_with_its_own_floor(record: dict[str, Any]) -> None:
    findings = read_benchmark(record)
    for name, floor in (("per_example", "floor_fresh"), ("per_example_reused", "floor_reused")):
        np.testing.assert_array_equal(
            findings.over_floor(name), findings.seconds[name] / findings.seconds[floor]
        )


def test_targets_are_recomputed_from_the_seconds(record: dict[str, Any]) -> None:
    findings = read_benchmark(record)
    targets = findings.targets()
    assert set(targets) == {
        "per_example_over_floor_fresh",
        "per_example_reused_over_floor_reused",
        "loop_over_batch",
    }
    row = next(r for r in record["results"] if r["batch_size"] == record["target_batch_size"])
    seconds = row["seconds"]
    expected = {
        "per_example_over_floor_fresh": seconds["per_example"] / seconds["floor_fresh"],
        "per_example_reused_over_floor_reused": (
            seconds["per_example_reused"] / seconds["floor_reused"]
        ),
        "loop_over_batch": seconds["loop"] / seconds["batch"],
    }
    for key, (comparison, bound, measured, met) in targets.items():
        assert measured == pytest.approx(expected[key], rel=1e-12)
        assert (comparison, bound) == (
            record["targets"][key]["comparison"],
            record["targets"][key]["target"],
        )
        assert met == (measured <= bound if comparison == "<=" else measured >= bound)
        assert met == record["targets"][key]["passed"]


def test_the_verdicts_follow_the_targets(record: dict[str, Any]) -> None:
    findings = read_benchmark(record)
    met = {key: target[3] for key, target in findings.targets().items()}
    verdicts = findings.verdicts()
    assert (verdicts["batch-verdict"] == "meets it") == met["loop_over_batch"]
    floor = verdicts["floor-verdict"]
    if met["per_example_over_floor_fresh"] and met["per_example_reused_over_floor_reused"]:
        assert floor == "both calls meet it"
    elif not (met["per_example_over_floor_fresh"] or met["per_example_reused_over_floor_reused"]):
        assert floor == "neither call meets it"
    else:
        assert "does not" in floor


def test_a_record_whose_verdict_does_not_follow_its_seconds_is_refused(
    record: dict[str, Any],
) -> None:
    record["targets"]["loop_over_batch"]["passed"] = not record["targets"]["loop_over_batch"][
        "passed"
    ]
    with pytest.raises(ClaimNotSupported, match="loop_over_batch"):
        read_benchmark(record)


def test_a_record_without_floors_is_refused(record: dict[str, Any]) -> None:
    for row in record["results"]:
        del row["seconds"]["floor_fresh"]
    with pytest.raises(ValueError, match="floor_fresh"):
        read_benchmark(record)


def test_a_record_without_target_comparisons_is_refused(record: dict[str, Any]) -> None:
    del record["targets"]["loop_over_batch"]["comparison"]
    with pytest.raises(ValueError, match="comparison"):
        read_benchmark(record)


def test_numbers_for_the_prose(record: dict[str, Any]) -> None:
    findings = read_benchmark(record)
    counted, measured = findings.counted(), findings.measured()
    assert counted["parameters"] == f"{record['model']['parameters']:,}"
    assert counted["largest-n"] == f"{findings.largest_n:,}"
    assert measured["float-bytes"] == "8"
    assert measured["target-n"] == f"{record['target_batch_size']:,}"
    assert measured["floor-goal"] == "1.5"
    assert measured["batch-goal"] == "50"
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
    slow["targets"]["loop_over_batch"].update(measured=1.0, passed=False)  # kept consistent
    with pytest.raises(ClaimNotSupported, match="less arithmetic"):
        read_benchmark(slow)


def test_a_record_where_fresh_memory_costs_nothing_is_refused(record: dict[str, Any]) -> None:
    for row in record["results"]:
        row["seconds"]["fill_fresh"] = row["seconds"]["fill_reused"]
    with pytest.raises(ClaimNotSupported, match="first writing fresh memory"):
        read_benchmark(record)


def test_a_record_without_results_is_refused(record: dict[str, Any]) -> None:
    record["results"] = []
    with pytest.raises(ValueError, match="no results"):
        read_benchmark(record)


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
    assert set(findings.seconds) == {
        "batch",
        "per_example",
        "per_example_reused",
        "loop",
        "floor_fresh",
        "floor_reused",
        "fill_fresh",
        "fill_reused",
    }
    assert all(isinstance(v, np.ndarray) for v in findings.seconds.values())
