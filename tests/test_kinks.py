"""Reverse mode at kinks, the norm at zero and the empty mean (gradavg.kinks)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gradavg.kinks import masked_mean, norm_gradient, odd_relu_backward, relu_backward

finite = st.floats(-1e3, 1e3, allow_nan=False)


def test_relu_backward_uses_the_rule_only_at_zero() -> None:
    assert relu_backward([-2.0, 0.0, 3.0]).tolist() == [0.0, 0.0, 1.0]
    assert relu_backward([-2.0, 0.0, 3.0], at_zero=0.5).tolist() == [0.0, 0.5, 1.0]


@given(st.lists(finite, min_size=1, max_size=8), finite)
def test_away_from_every_kink_reverse_mode_is_the_derivative(
    offsets: list[float], theta: float
) -> None:
    if theta in offsets:
        return
    assert odd_relu_backward(theta, offsets) == pytest.approx((1.0, 1.0))


def test_each_example_at_its_kink_costs_one_over_n() -> None:
    through_mean, per_example = odd_relu_backward(1.0, [1.0, 1.0, 2.0, 3.0, 4.0])
    assert through_mean == pytest.approx(per_example) == pytest.approx(1 - 2 / 5)
    assert odd_relu_backward(1.0, [1.0, 2.0], at_zero=0.5) == pytest.approx((1.0, 1.0))


def test_the_norm_at_zero_by_each_rule() -> None:
    assert np.isnan(norm_gradient([0.0, 0.0, 0.0])).all()
    assert norm_gradient([0.0, 0.0], "double where").tolist() == [0.0, 0.0]
    assert norm_gradient([0.0, 0.0], "epsilon").tolist() == [0.0, 0.0]


@given(st.lists(finite, min_size=1, max_size=6).filter(lambda v: np.sum(np.square(v)) > 1e-6))
def test_away_from_zero_the_rules_agree_with_the_gradient(vector: list[float]) -> None:
    exact = np.asarray(vector) / np.linalg.norm(vector)
    for rule in ("chain rule", "double where"):
        assert norm_gradient(vector, rule) == pytest.approx(exact, rel=1e-12, abs=1e-15)
    assert norm_gradient(vector, "epsilon", 1e-12) == pytest.approx(exact, rel=1e-5, abs=1e-9)


def test_masked_mean_over_some_and_over_none() -> None:
    assert float(masked_mean([1.0, 2.0, 6.0], [1, 0, 1])) == pytest.approx(3.5)
    assert masked_mean([[1.0, 2.0], [3.0, 4.0]], [True, True]).tolist() == [2.0, 3.0]
    assert np.isnan(masked_mean([1.0, 2.0], [0, 0]))
    assert float(masked_mean([1.0, 2.0], [0, 0], at_least_one=True)) == 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: relu_backward([0.0], at_zero=float("nan")), "at_zero"),
        (lambda: odd_relu_backward(0.0, []), "anchors is an empty batch"),
        (lambda: odd_relu_backward(float("inf"), [1.0]), "theta contains"),
        (lambda: norm_gradient([1.0], "huber"), "rule must be"),  # type: ignore[arg-type]
        (lambda: norm_gradient([1.0], "epsilon", 0.0), "epsilon must be positive"),
        (lambda: masked_mean([1.0, 2.0], [1]), "batch sizes differ"),
        (lambda: masked_mean([1.0, 2.0], [1, 2]), "mask must hold only"),
        (lambda: masked_mean("loss", [1]), "values must be numeric"),
    ],
)
def test_bad_input_is_named(call: object, message: str) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        call()  # type: ignore[operator]
