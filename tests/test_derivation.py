"""The derivation engine: right steps verify with the expected method, wrong ones raise."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
import sympy as sp

from gradavg.book.notation import J, L, N, b, batch_mean, batch_sum, f, i, m, theta, u, x, y
from gradavg.verify import (
    Derivation,
    DerivationError,
    Inequality,
    NotAnInequality,
    ProofKind,
    ProofMethod,
    StepNotProved,
    derivation,
    latex,
    proving,
)

j = sp.Symbol("j", integer=True, positive=True)


def sum_rule(last: sp.Basic | None = None) -> Derivation:
    """The sum rule chain; ``last`` replaces its final step."""
    with sp.evaluate(False):
        term = L(x[i], y[i], theta)
        chain = (
            Derivation(
                "sum rule",
                sp.Derivative(J(theta), theta),
                definitions={J: sp.Lambda(theta, batch_mean(term))},
                page="sum-rule",
            )
            .step(sp.Derivative(batch_mean(term), theta), "definition of J")
            .step(1 / N * sp.Derivative(batch_sum(term), theta), "factor rule")
        )
        return chain.step(
            last if last is not None else 1 / N * batch_sum(sp.Derivative(term, theta)), "sum rule"
        )


def chain_rule_for_m(
    last: sp.Basic | None = None, why: str = "commutativity, distributivity"
) -> Derivation:
    """dJ/dm for least squares on a line; ``last`` replaces its final step."""
    with sp.evaluate(False):
        residual = y[i] - f(x[i])
        chain = (
            Derivation(
                "dJ/dm",
                sp.Derivative(J(m, b), m),
                definitions={
                    J: sp.Lambda((m, b), batch_mean(residual**2)),
                    f: sp.Lambda(u, m * u + b),
                },
                page="chain-rule",
            )
            .step(1 / N * sp.Derivative(batch_sum(residual**2), m), "factor rule")
            .step(1 / N * batch_sum(sp.Derivative(residual**2, m)), "sum rule")
            .step(1 / N * batch_sum(2 * residual * sp.Derivative(residual, m)), "chain rule")
            .step(1 / N * batch_sum(2 * residual * (-x[i])), "definition of f")
        )
        return chain.step(last if last is not None else -2 / N * batch_sum(x[i] * residual), why)


def test_sum_rule_verifies_symbolically_for_general_n() -> None:
    proof = sum_rule().verify()
    assert [str(method) for _, _, method in proof.methods()] == ["symbolic (expand)"] * 3
    assert proof.proved_for() == "symbolically, for every N"
    assert proof.result == sum_rule().steps[-1].expr


def test_chain_rule_verifies_with_definitions_unfolded() -> None:
    proof = chain_rule_for_m().verify()
    assert len(proof.steps) == 5
    assert all(method.kind is ProofKind.SYMBOLIC for _, _, method in proof.methods())


def test_a_double_sum_needs_fixed_n() -> None:
    """sympy cannot expand a squared sum for symbolic N; the engine falls back to a check,
    says so, and the declared claim becomes the quantifier."""
    proof = (
        Derivation("square of a sum", batch_sum(x[i]) ** 2, claim="N ≤ 4")
        .step(sp.Sum(sp.Sum(x[i] * x[j], (j, 1, N)), (i, 1, N)), "distributivity")
        .verify()
    )
    method = proof.steps[0].method
    assert method.kind is ProofKind.FIXED_SIZES
    assert not method.kind.is_proof
    assert method.larger.startswith("N = ")
    assert int(method.larger.removeprefix("N = ")) > 4
    assert str(method) == f"checked at N = 1…4 and at {method.larger} (sums expanded)"
    assert proof.proved_for() == str(method)
    assert proof.quantifier() == r"for $N \le 4$"


def test_a_proved_chain_quantifies_over_every_size() -> None:
    assert sum_rule().verify().quantifier() == "for every $N$"


def test_numeric_method_is_the_last_resort(monkeypatch: pytest.MonkeyPatch) -> None:
    failed = proving.Attempt(ProofMethod(ProofKind.SYMBOLIC, "stubbed"), False, "")
    monkeypatch.setattr(proving, "_symbolic", lambda *_: failed)
    monkeypatch.setattr(proving, "_fixed_sizes", lambda *_: failed)
    monkeypatch.setattr(proving, "_derivatives_done", lambda _: sp.Integer(1))  # no quick proof
    chain = Derivation("factor", (m + b) ** 2, claim="numerically")
    proof = chain.step(m**2 + 2 * m * b + b**2, "expand").verify()
    assert proof.steps[0].kind is ProofKind.NUMERIC
    assert proof.quantifier() == "checked numerically at random points"
    # ...and a false step still fails numerically once the symbolic methods are gone.
    with pytest.raises(StepNotProved, match="numeric"):
        Derivation("factor", (m + b) ** 2).step(m**2 + b**2, "wrong").verify()


def test_rewrite_exp_proves_hyperbolic_identities() -> None:
    sigma = 1 / (1 + sp.exp(-theta))
    proof = (
        Derivation("sigmoid'", sp.Derivative(sigma, theta))
        .step(1 / (4 * sp.cosh(theta / 2) ** 2), "derivative, half-angle form")
        .verify()
    )
    assert proof.steps[0].kind is ProofKind.SYMBOLIC


@pytest.mark.parametrize(
    ("wrong", "what"),
    [
        (-1 / N * batch_sum(x[i] * (y[i] - f(x[i]))), "dropped factor 2"),
        (2 / N * batch_sum(x[i] * (y[i] - f(x[i]))), "flipped sign"),
        (-2 / N * batch_sum(x[j] * (y[i] - f(x[i]))), "wrong index"),
        (-2 / N * sp.Sum(x[i] * (y[i] - f(x[i])), (i, 1, N - 1)), "wrong bound"),
    ],
)
def test_a_wrong_step_raises_and_names_the_step(wrong: sp.Basic, what: str) -> None:
    with pytest.raises(StepNotProved) as error:
        chain_rule_for_m(wrong, why=what).verify()
    message = str(error.value)
    assert "page 'chain-rule'" in message
    assert "derivation 'dJ/dm'" in message
    assert f"step 5 ({what})" in message
    assert latex(wrong) in message  # the wrong side, in LaTeX
    assert "before: " in message
    tried = re.findall(r"^  - (\w+)", message, flags=re.MULTILINE)
    assert tried == ["symbolic", "fixed", "numeric"]


def test_a_wrong_early_step_stops_the_chain_there() -> None:
    chain = sum_rule()
    chain.steps[1] = derivation.Step(
        2 / N * sp.Derivative(batch_sum(L(x[i], y[i], theta)), theta), "factor rule"
    )
    with pytest.raises(StepNotProved, match=r"step 2 \(factor rule\)"):
        chain.verify()


def test_inequality_of_the_sigmoid_counterexample() -> None:
    def sigma_prime(z: sp.Expr) -> sp.Expr:
        s = 1 / (1 + sp.exp(-z))
        return s * (1 - s)

    mean_of_derivative = (sigma_prime(sp.Integer(0)) + sigma_prime(sp.Integer(1))) / 2
    derivative_at_mean = sigma_prime(sp.Rational(1, 2))
    claim = Inequality(
        "mean of sigma' vs sigma' of mean", mean_of_derivative, "<", derivative_at_mean
    ).verify()
    assert claim.relation == "<"
    assert float(claim.left_value) == pytest.approx(
        (sp.cosh(1) + 3).evalf() / (8 * (1 + sp.cosh(1).evalf()))
    )
    assert float(claim.right_value) == pytest.approx(
        float(1 / (4 * sp.cosh(sp.Rational(1, 4)) ** 2))
    )
    assert float(claim.gap) < 0
    assert r"\;<\;" in claim.latex()


def test_equal_sides_are_not_an_inequality() -> None:
    with pytest.raises(NotAnInequality, match="both sides are equal"):
        Inequality("same number twice", sp.sqrt(8), "!=", 2 * sp.sqrt(2)).verify()


def test_an_inequality_needs_numbers() -> None:
    with pytest.raises(NotAnInequality, match=r"depend on \['m'\]"):
        Inequality("symbolic", m, "<", m + 1).verify()


def test_latex_shows_every_step_justification_and_method() -> None:
    proof = chain_rule_for_m().verify()
    rendered = proof.latex()
    assert rendered.startswith("\\begin{aligned}")
    assert rendered.endswith("\\end{aligned}")
    assert rendered.count("&=") == len(proof.steps)
    for step in proof.steps:
        assert latex(step.expr) in rendered
        assert f"\\text{{{step.why}}}" in rendered
        assert f"\\text{{{step.method.label}}}" in rendered
    where = proof.where()
    assert where == (
        r"\text{where }J{\left(m,b \right)} = \frac{1}{N} \sum_{i=1}^{N} "
        r"\left({y}_{i} - f{\left({x}_{i} \right)}\right)^{2},\quad f{\left(\xi \right)} = m \xi + b"
    )
    assert proof._repr_latex_() == f"$$\n{rendered}\n\n{where}\n$$"


def test_latex_keeps_terms_in_the_written_order() -> None:
    with sp.evaluate(False):
        expr = -2 / N * batch_sum(x[i] * (y[i] - f(x[i])))
    assert (
        latex(expr)
        == r"- \frac{2}{N} \sum_{i=1}^{N} {x}_{i} \left({y}_{i} - f{\left({x}_{i} \right)}\right)"
    )


def test_snippet_pastes_into_stack_exchange() -> None:
    proof = chain_rule_for_m().verify()
    snippet = proof.snippet(url="https://example.org/chain-rule.html#thm")
    assert snippet.startswith("$$\n\\begin{aligned}")
    assert "\\end{aligned}\n$$" in snippet
    assert "\\checkmark" not in snippet  # the reader's annotations stay on the page
    for step in proof.steps:
        assert f"\\text{{{step.why}}}" in snippet
    assert "(https://example.org/chain-rule.html#thm)" in snippet
    assert "verified with sympy (symbolic)" in snippet


def test_justification_braces_are_escaped() -> None:
    proof = Derivation("braces", m + b).step(b + m, "swap {m, b}").verify()
    assert r"\text{swap \{m, b\}}" in proof.latex()


def test_bad_input_is_named() -> None:
    chain = Derivation("bad", m)
    with pytest.raises(
        TypeError, match=r"step 1 of 'bad': expr must be a sympy expression, got str"
    ):
        chain.step("m", "why")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="give a justification"):
        chain.step(m, "  ")
    with pytest.raises(DerivationError, match="has no steps"):
        chain.verify()


def test_cyclic_definitions_are_refused() -> None:
    a, c = sp.symbols("a c")
    with pytest.raises(DerivationError, match="cycle"):
        Derivation("cycle", a, definitions={a: c + 1, c: a + 1}).step(c, "loop").verify()


def test_latex_brackets_what_an_operator_applies_to() -> None:
    with sp.evaluate(False):
        mean_error = -2 / N * batch_sum(y[i] - f(x[i]))
        derivative_of_mean = sp.Derivative(batch_mean(L(x[i], y[i], theta)), theta)
    assert latex(mean_error) == (
        r"- \frac{2}{N} \sum_{i=1}^{N} \left({y}_{i} - f{\left({x}_{i} \right)}\right)"
    )
    assert latex(derivative_of_mean) == (
        r"\frac{\partial}{\partial \theta} \left(\frac{1}{N} \sum_{i=1}^{N} "
        r"L{\left({x}_{i},{y}_{i},\theta \right)}\right)"
    )


def test_justifications_with_latex_specials_are_refused() -> None:
    with pytest.raises(ValueError, match=r"justification 'e\^z rule' may not contain"):
        Derivation("specials", m).step(m, "e^z rule")


def rank_one_sum(n: int = 3, d_in: int = 2, d_out: int = 2) -> tuple[sp.Matrix, sp.Matrix]:
    """Xᵀ Δ and the sum of the per-example outer products x_i δ_iᵀ, for a small batch."""
    inputs = sp.Matrix(n, d_in, lambda r, c: sp.Symbol(f"x_{r + 1}{c + 1}", real=True))
    errors = sp.Matrix(n, d_out, lambda r, c: sp.Symbol(f"d_{r + 1}{c + 1}", real=True))
    outer = sum((inputs.row(k).T * errors.row(k) for k in range(n)), sp.zeros(d_in, d_out))
    return inputs.T * errors, outer


def test_matrices_are_proved_entry_by_entry() -> None:
    product, outer = rank_one_sum()
    proof = Derivation("rank one", product).step(outer, "product as a sum of outer products")
    assert str(proof.verify().steps[0].method) == "symbolic (entry by entry)"
    square = Derivation("square", sp.Matrix([[(m + b) ** 2, m]]))
    square.step(sp.Matrix([[m**2 + 2 * m * b + b**2, m]]), "binomial formula")
    assert str(square.verify().steps[0].method) == "symbolic (entry by entry; expand)"


def test_a_wrong_matrix_entry_is_named() -> None:
    product, outer = rank_one_sum()
    wrong = outer.copy()
    wrong[1, 0] *= 2
    with pytest.raises(StepNotProved, match=r"entry \(2, 1\)"):
        Derivation("rank one", product).step(wrong, "wrong entry").verify()


def test_matrix_shapes_must_match() -> None:
    product, _ = rank_one_sum()
    with pytest.raises(StepNotProved, match=r"shapes differ: \(2, 2\) and \(2, 3\)"):
        Derivation("shapes", product).step(sp.zeros(2, 3), "wrong shape").verify()


def test_the_rows_are_the_chain_as_data() -> None:
    proof = chain_rule_for_m().verify()
    rows = proof.rows()
    assert [row.left for row in rows] == [latex(proof.start)] + [""] * (len(rows) - 1)
    assert [row.right for row in rows] == [latex(step.expr) for step in proof.steps]
    assert [row.justification for row in rows] == [step.why for step in proof.steps]
    assert [row.method for row in rows] == [step.method.label for step in proof.steps]
    assert {row.relation for row in rows} == {"="}
    record = proof.record()
    assert record["kind"] == "derivation"
    assert record["rows"] == [dataclasses.asdict(row) for row in rows]
    assert record["definitions"] == proof.definition_lines()
    assert json.loads(json.dumps(record)) == record  # what a notebook stores


def test_an_inequality_is_one_row_with_its_relation() -> None:
    claim = Inequality("a half and a third", sp.Rational(1, 2), ">", sp.Rational(1, 3)).verify()
    (row,) = claim.record()["rows"]
    assert (row["left"], row["relation"], row["right"]) == (r"\frac{1}{2}", ">", r"\frac{1}{3}")
    assert row["method"] == claim.method.label
    assert claim.latex(methods=False) == r"\frac{1}{2} \;>\; \frac{1}{3}"


def test_a_plain_size_with_an_underscore_is_not_an_indexed_one() -> None:
    """``n_in`` (one symbol) is a size of its own; ``n_k`` (an indexed size) is ``n``."""
    n_in = sp.Symbol("n_in", integer=True, positive=True)
    n = sp.IndexedBase("n")
    k, j = sp.symbols("k j", integer=True, positive=True)
    expr = sp.Sum(sp.Sum(x[j], (j, 1, n[k])), (k, 1, n_in))
    assert proving.size_names(expr) == ("n_k", "n_in")
    indexed = proving.indexed_size_names(expr)
    assert indexed == ("n_k",)
    sizes = proving.size_names(expr)
    assert proving.size_key("n_in", sizes, indexed) == "n_in"
    assert proving.size_key("n_k", sizes, indexed) == proving.size_key("n_i", sizes, indexed) == "n"
    method = proving.ProofMethod(
        proving.ProofKind.FIXED_SIZES, sizes=("n_k", "n_in"), indexed=indexed
    )
    assert method.label == "checked at each n_k = 1…4, n_in = 1…4"


def test_a_step_with_max_is_proved_by_writing_out_its_cases() -> None:
    with sp.evaluate(False):
        odd = sp.Add(sp.Max(theta, 0), -sp.Max(-theta, 0))
    proved = Derivation("odd relu", odd).step(theta, "cases").verify()
    assert proved.steps[0].method == ProofMethod(
        ProofKind.SYMBOLIC, "by cases: rewrite(Piecewise), simplify"
    )
    with sp.evaluate(False):
        even = sp.Add(sp.Max(theta, 0), sp.Max(-theta, 0))
    with pytest.raises(StepNotProved, match="is not proved"):
        Derivation("even relu", even).step(theta, "cases").verify()
