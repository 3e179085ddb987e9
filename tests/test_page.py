"""The page API: derivations verified and glued under their keys, numbers in one format."""

from __future__ import annotations

import pytest
import sympy as sp

from gradavg.book.notation import J, L, N, batch_mean, batch_sum, i, theta, x, y
from gradavg.book.page import Formula, Glued, Markdown, Page
from gradavg.verify import (
    RECORD_MIME,
    NotAnInequality,
    StepNotProved,
    VerifiedDerivation,
    VerifiedInequality,
)


def sum_rule(page: Page, factor: sp.Expr = 1 / N) -> None:
    term = L(x[i], y[i], theta)
    with page.derivation(
        "rule",
        "sum rule",
        start=sp.Derivative(J(theta), theta),
        definitions={J: sp.Lambda(theta, batch_mean(term))},
    ) as chain:
        chain.step(factor * sp.Derivative(batch_sum(term), theta), "factor rule")


def test_a_derivation_is_verified_and_glued_four_ways(glued: dict[str, object]) -> None:
    page = Page("sum-rule")
    sum_rule(page)
    proof = page["rule"]
    assert isinstance(proof, VerifiedDerivation)
    assert proof.page == "sum-rule"
    pasted = glued["rule"]
    assert isinstance(pasted, Glued)
    assert pasted.result is proof
    bundle = pasted._repr_mimebundle_()
    assert bundle == {"text/latex": proof._repr_latex_(), RECORD_MIME: proof.record()}
    statement = glued["rule-statement"]
    assert isinstance(statement, Formula)
    assert statement.latex == proof.statement()
    assert glued["rule-proved-for"] == "symbolically, for every N"
    quantifier = glued["rule-quantifier"]
    assert isinstance(quantifier, Markdown)
    assert quantifier._repr_markdown_() == "for every $N$"


@pytest.mark.usefixtures("glued")
def test_steps_stay_as_written_inside_the_block() -> None:
    page = Page("p")
    sum_rule(page)
    # 1/N * Derivative(...) would evaluate to Derivative(...)/N outside the block.
    assert page["rule"].steps[0].expr.args[0] == 1 / N


def test_a_wrong_step_names_the_page(glued: dict[str, object]) -> None:
    with pytest.raises(StepNotProved, match=r"^page 'sum-rule', derivation 'sum rule', step 1"):
        sum_rule(Page("sum-rule"), factor=2 / N)
    assert "rule" not in glued


def test_numbers_share_one_format(glued: dict[str, object]) -> None:
    page = Page("p", number_format=".3f")
    page.glue("a", -0.5)
    page.glue("b", sp.Rational(1, 4), ".2f")
    page.glue("c", "text as is")
    page.glue("d", sp.sqrt(theta))
    assert glued["a"] == "\N{MINUS SIGN}0.500"
    assert glued["b"] == "0.25"
    assert glued["c"] == "text as is"
    assert isinstance(glued["d"], Formula)
    assert glued["d"]._repr_markdown_() == r"$\sqrt{\theta}$"


def test_an_inequality_states_its_relation(glued: dict[str, object]) -> None:
    page = Page("p")
    verified = page.inequality("gap", "e against 3", sp.E, "<", sp.Integer(3))
    assert isinstance(verified, VerifiedInequality)
    assert isinstance(glued["gap"], Glued)
    assert glued["gap"].result is verified
    assert page["gap"] is verified


def test_a_sign_claim_is_inferred_or_refused_naming_the_page(glued: dict[str, object]) -> None:
    page = Page("reverse-mode")
    losses = sp.IndexedBase("L", nonnegative=True)
    page.nonnegative("sign", "a square times a loss", (1 - theta) ** 2 * losses[i])
    assert isinstance(glued["sign"], Formula)
    assert glued["sign"].latex.endswith(r"\geq 0")
    with pytest.raises(
        NotAnInequality, match=r"^page 'reverse-mode', sign claim 'signed'.*unknown"
    ):
        page.nonnegative("signed", "signed", (1 - theta) * losses[i])
    with pytest.raises(NotAnInequality, match="negative somewhere"):
        page.nonnegative("minus", "minus one", sp.Integer(-1))


@pytest.mark.usefixtures("glued")
def test_keys_are_unique_and_missing_ones_are_named() -> None:
    page = Page("p")
    page.inequality("gap", "e against 3", sp.E, "<", sp.Integer(3))
    with pytest.raises(ValueError, match="the key 'gap' is used twice"):
        page.inequality("gap", "e against 3", sp.E, "<", sp.Integer(3))
    with pytest.raises(KeyError, match="page 'p' has no result 'other' \\(it has: gap\\)"):
        page["other"]


@pytest.mark.usefixtures("glued")
def test_snippet_links_to_the_label(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READTHEDOCS_CANONICAL_URL", "https://book.example/en/latest/")
    page = Page("sum-rule")
    sum_rule(page)
    snippet = page.snippet("thm-sum-rule", "rule")
    assert "(https://book.example/en/latest/sum-rule.html#thm-sum-rule)" in snippet
    assert snippet.startswith("$$\n\\begin{aligned}")


@pytest.mark.usefixtures("glued")
def test_snippets_are_one_text_with_a_blank_line_between_them() -> None:
    page = Page("sum-rule")
    sum_rule(page)
    page.inequality("gap", "e against 3", sp.E, "<", sp.Integer(3))
    first, second = page.snippet("thm-sum-rule", "rule"), page.snippet("ex-gap", "gap")
    assert first.endswith("\n")
    assert page.snippets(("thm-sum-rule", "rule"), ("ex-gap", "gap")) == f"{first}\n{second}"
