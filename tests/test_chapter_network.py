"""Tests of the chapter *Through a network*'s experiments (gradavg.chapters.network)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from gradavg.book.notation import entries, i
from gradavg.book.page import Page
from gradavg.chapters import network as experiment
from gradavg.training import training_runs
from gradavg.verify import Derivation

h, delta = entries("h"), entries(r"\delta")


def test_matrix_counts_from_one() -> None:
    m = experiment.matrix((2, 3), lambda r, c: 10 * r + c)
    assert m == sp.ImmutableMatrix([[11, 12, 13], [21, 22, 23]])


def test_batch_matrices_stand_for_the_entries() -> None:
    batch = experiment.batch_matrices(h, delta, 3, 2, 4)
    assert batch.values[batch.h[1]] == sp.ImmutableMatrix([h[2, 1], h[2, 2]])
    assert batch.values[batch.Delta].shape == (3, 4)
    assert batch.values[batch.Delta][2, 3] == delta[3, 4]
    assert sp.simplify(batch.values[batch.h_mean][0] - (h[1, 1] + h[2, 1] + h[3, 1]) / 3) == 0


def test_explicit_definitions_put_the_larger_expression_first() -> None:
    a, b = sp.MatrixSymbol("a", 2, 1), sp.MatrixSymbol("b", 2, 1)
    values = {a: sp.ImmutableMatrix([1, 2]), b: sp.ImmutableMatrix([3, 4])}
    inner, outer = sp.MatAdd(a, b), sp.MatMul(2, sp.MatAdd(a, b))
    definitions = experiment.explicit_definitions([inner, outer], values)
    assert list(definitions) == [outer, inner]
    assert definitions[outer] == sp.ImmutableMatrix([8, 12])


def test_a_wrong_matrix_step_is_not_proved() -> None:
    batch = experiment.batch_matrices(h, delta, 2, 2, 2)
    outer = sp.MatMul(sp.Pow(2, -1, evaluate=False), sp.Transpose(batch.H), batch.Delta)
    wrong = sp.MatMul(sp.Pow(2, -1, evaluate=False), batch.H, sp.Transpose(batch.Delta))
    definitions = experiment.explicit_definitions([outer, wrong], batch.values)
    chain = Derivation("transposed", outer, definitions).step(wrong, "wrong")
    with pytest.raises(Exception, match="not proved"):
        chain.verify()


def test_matrix_derivation_glues_how_it_was_proved(glued: dict[str, object]) -> None:
    page = Page("test")
    batch = experiment.batch_matrices(h, delta, 2, 1, 1)
    product = sp.MatMul(sp.Transpose(batch.H), batch.Delta)
    by_entry = sp.ImmutableMatrix([[h[1, 1] * delta[1, 1] + h[2, 1] * delta[2, 1]]])
    experiment.matrix_derivation(page, "m", batch.values, product, (by_entry, "entries"))
    assert page["m"].result == by_entry
    assert glued["m-how"] == "symbolically, entry by entry"


def test_assignments() -> None:
    x1 = sp.Symbol("x_1")
    assert experiment.assignments({x1: sp.Integer(-1), i: sp.Integer(2)}).latex == (
        r"x_{1} = -1, \quad i = 2"
    )


@pytest.fixture(scope="module")
def task() -> tuple[np.ndarray, np.ndarray, experiment.MLP]:
    return experiment.regression_task((2, 4, 1), n_examples=16)


def test_shortcut_errors_and_their_summary(task: tuple) -> None:
    inputs, targets, start = task
    errors = experiment.shortcut_errors(start, inputs, targets)
    assert list(errors) == list(experiment.SHORTCUTS)
    quoted = experiment.error_summary(errors)
    assert quoted["signal-b2-error"] == 0  # the mean error is all the output bias needs
    assert quoted["input-w1-error"] > 0
    table = experiment.error_table(errors)
    assert table.count("\n") == 1 + 2 * 2
    assert "averaged error signal" in table
    assert isinstance(experiment.hidden_weights_worst(errors), bool)


def test_covariance_mismatch_is_rounding(task: tuple) -> None:
    inputs, targets, start = task
    assert experiment.covariance_mismatch(start, inputs, targets) < 1e-12


def test_settled_step() -> None:
    assert experiment.settled_step([5.0, 3.0, 2.0, 2.0, 2.0]) == 2
    assert experiment.settled_step([2.0, 2.0]) == 0
    assert experiment.settled_step([4.0, 3.0, 2.0, 1.0]) == 3


def test_summarize_training(task: tuple) -> None:
    inputs, targets, start = task
    runs = training_runs(start, inputs, targets, steps=20, learning_rate=0.2)
    summary = experiment.summarize_training(runs, inputs, targets)
    assert summary.constant_loss == pytest.approx(np.var(targets))
    assert summary.losses["initial-loss"] == pytest.approx(start.mean_loss(inputs, targets))
    assert summary.excess[0] <= summary.excess[1]
    assert set(summary.quoted()) >= {"settled-step", "stalled-true", "final-batch"}
    assert set(experiment.stalled_norms(runs, inputs, targets)) == set(experiment.SHORTCUTS)


def test_one_unit_gradient_matches_the_closed_form() -> None:
    v, w, xs, ys = 0.5, 1.5, np.array([-1.0, 2.0]), np.array([0.0, 1.0])
    z = v * xs
    s = 1 / (1 + np.exp(-z))
    expected = np.mean(2 * (w * s - ys) * w * s * (1 - s) * xs)
    assert experiment.one_unit_gradient(v, w, xs, ys) == pytest.approx(expected, rel=1e-14)


def test_gradient_agreement(task: tuple) -> None:
    inputs, targets, start = task
    agreement = experiment.gradient_agreement(start, inputs, targets)
    assert agreement.parameters == start.params.size
    assert agreement.per_example < 1e-13
    assert agreement.finite_differences < 1e-6
    assert str(agreement).startswith("parameters:")
