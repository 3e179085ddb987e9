"""Anchors (docs/_ext/anchors.py): readable slugs for headings, and one id per thing."""

from __future__ import annotations

import re
from collections.abc import Callable

import anchors
import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from sphinx.testing.util import SphinxTestApp

Build = Callable[..., SphinxTestApp]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("The curvature of σ′", "the-curvature-of-sigma-prime"),
        ("σ″ and σ‴", "sigma-double-prime-and-sigma-triple-prime"),
        ("∇ℓ at θ", "nabla-ell-at-theta"),
        ("Δθ = −η ∇J", "deltatheta-eta-nabla-j"),  # letters written together stay so
        ("Step size: ε, α, β, γ, λ, μ, δ", "step-size-epsilon-alpha-beta-gamma-lambda-mu-delta"),
        ("Café à la mode", "cafe-a-la-mode"),
        ("  (A) = (B)!  ", "a-b"),
        ("∑", ""),
    ],
)
def test_a_heading_slug_spells_out_greek_letters_and_primes(title: str, slug: str) -> None:
    assert anchors.heading_slug(title) == slug


def _document() -> nodes.document:
    return new_document("test", get_default_settings(Parser))


def _renamed(*children: nodes.Element) -> nodes.document:
    document = _document()
    document.extend(children)
    anchors.UniqueAnchors(document).run()
    return document


def _proof(label: str, ids: list[str]) -> nodes.container:
    result = nodes.container(label=label, classes=["proof", "theorem"])
    result += nodes.title("", "Theorem")
    result += nodes.section(ids=["proof-content"])
    proof = nodes.container(classes=["proof", "proof-proof"], ids=ids)
    return nodes.container("", result, proof)


def test_statements_and_proofs_take_the_label_of_their_result() -> None:
    document = _renamed(_proof("sum-rule", ["proof"]), _proof("chain-rule", ["proof"]))
    ids = [node["ids"] for node in document.findall(nodes.Element) if node["ids"]]
    assert ids == [
        ["sum-rule-statement"],
        ["proof-sum-rule"],
        ["chain-rule-statement"],
        ["proof-chain-rule"],
    ]


def test_a_second_proof_of_the_same_result_is_numbered() -> None:
    first = _proof("sum-rule", ["proof"])
    second = nodes.container(classes=["proof"], ids=["proof"])
    third = nodes.container(classes=["proof"], ids=["proof"])
    document = _renamed(first, second, third)
    proofs = [i for node in document.findall(nodes.Element) for i in node["ids"] if "proof-" in i]
    assert proofs == ["proof-sum-rule", "proof-sum-rule-2", "proof-sum-rule-3"]


def test_a_container_gives_up_the_ids_of_what_it_wraps() -> None:
    equation = nodes.math_block("a = b", "a = b", label="sum")
    wrapped_equation = nodes.container("", equation, ids=["equation-sum", "mine"])
    table = nodes.table(ids=["results"])
    wrapped_table = nodes.container("", table, ids=["results"])
    _renamed(wrapped_equation, wrapped_table)
    assert wrapped_equation["ids"] == ["mine"]
    assert wrapped_table["ids"] == []
    assert table["ids"] == ["results"]


def test_a_heading_leads_with_its_readable_slug() -> None:
    section = nodes.section("", nodes.title("", "The curvature of σ′"))
    section["ids"] = ["the-curvature-of", "the-curvature-of-sigma-prime"]
    plain = nodes.section("", nodes.title("", "Plain"), ids=["plain"])
    _renamed(section, plain)
    assert section["ids"] == ["the-curvature-of-sigma-prime", "the-curvature-of"]
    assert plain["ids"] == ["plain"]


CONF = """extensions = ["myst_parser", "sphinx_proof", "anchors"]
myst_enable_extensions = ["colon_fence", "dollarmath", "amsmath"]
myst_heading_anchors = 3
myst_heading_slug_func = "anchors.heading_slug"
"""
PAGE = """# Results

## The curvature of σ′

:::{prf:theorem} Sum rule
:label: sum-rule

The gradient of a sum is the sum of the gradients.
:::

:::{prf:proof}
Linearity.
:::

:::{prf:proof}
Again.
:::

$$
a = b
$$ (sum)
"""


def test_a_page_of_sphinx_proof_has_every_id_once(build_once: Build) -> None:
    app = build_once(CONF, {"index.md": PAGE})
    assert app.warning.getvalue() == ""
    html = (app.outdir / "index.html").read_text()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), ids
    for anchor in ("sum-rule-statement", "proof-sum-rule", "proof-sum-rule-2", "equation-sum"):
        assert anchor in ids
    assert ids.index("the-curvature-of-sigma-prime") < ids.index("sum-rule")
