"""Quote any result (docs/_ext/quote.py): the Markdown snippet, and the permalink and Quote
button on each labelled result's title."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from types import SimpleNamespace

import quote
import references
from docutils import nodes
from sphinx import addnodes
from sphinx.testing.util import SphinxTestApp

from gradavg.book.links import book_url, result_url

Build = Callable[..., SphinxTestApp]


def test_a_paragraph_is_one_line_of_markdown_with_its_math() -> None:
    paragraph = nodes.paragraph()
    paragraph += nodes.Text("The gradient of\n  the mean, ")
    paragraph += nodes.math("", r"\nabla J")
    paragraph += nodes.Text(", is ")
    paragraph += nodes.emphasis("", "always")
    paragraph += nodes.Text(" the mean of the gradients.")
    assert quote.words(paragraph) == (
        r"The gradient of the mean, $\nabla J$, is always the mean of the gradients."
    )


def _references_paragraph() -> nodes.paragraph:
    paragraph = nodes.paragraph()
    paragraph += nodes.Text("By ")
    paragraph += addnodes.pending_xref("", nodes.Text("(1)"), reftype="eq", reftarget="eq-sum")
    paragraph += nodes.Text(", ")
    paragraph += addnodes.pending_xref("", nodes.Text("x"), reftype="ref", reftarget="thm-sum")
    paragraph += nodes.Text(" and ")
    paragraph += addnodes.pending_xref("", nodes.Text("y"), reftype="ref", reftarget="part-two")
    paragraph += nodes.Text(" (not ")
    paragraph += addnodes.pending_xref("", nodes.Text("z"), reftype="ref", reftarget="gone")
    paragraph += nodes.Text(").")
    return paragraph


def _env() -> SimpleNamespace:
    """The records references.resolve reads: equations, results, section labels."""
    domains = {
        "math": SimpleNamespace(data={"objects": {"eq-sum": ("sum-rule", 3)}}),
        "std": SimpleNamespace(data={"labels": {"part-two": ("notes", "part-two", "Part two")}}),
    }
    record = {"label": "thm-sum", "kind": "Theorem", "name": "Sum rule", "url": "U#thm-sum"}
    return SimpleNamespace(get_domain=domains.__getitem__, gradavg_results={"p": [record]})


def test_references_wait_as_placeholders_and_are_written_out_once_read() -> None:
    words = quote.words(_references_paragraph())
    assert words == "By ⟦eq:eq-sum⟧, ⟦ref:thm-sum⟧ and ⟦ref:part-two⟧ (not ⟦ref:gone⟧)."
    env, root = _env(), book_url()
    assert references.resolve(words, env, links=True) == (
        f"By [equation (3)]({root}sum-rule.html#equation-eq-sum), [Theorem (Sum rule)](U#thm-sum)"
        f" and [Part two]({root}notes.html#part-two) (not gone)."
    )
    assert references.resolve(words, env, links=False) == (
        "By equation (3), Theorem (Sum rule) and Part two (not gone)."
    )


def test_a_quote_with_an_equation() -> None:
    url = "https://example.org/book/sum-rule.html#sum-rule"
    assert quote.quote("Theorem", "Sum rule", "Sums commute.", "\n a = b \n", url) == (
        "**Theorem (Sum rule).** Sums commute.\n"
        "\n"
        "$$\n"
        "a = b\n"
        "$$\n"
        "\n"
        f"From [*The Gradient of the Average*, Sum rule]({url}).\n"
    )


def test_a_quote_without_a_statement_or_an_equation() -> None:
    assert quote.quote("Remark", "Aside", "", None, "u") == (
        "**Remark (Aside).**\n\nFrom [*The Gradient of the Average*, Aside](u).\n"
    )


CONF = """extensions = ["myst_parser", "sphinx_proof", "results", "quote"]
myst_enable_extensions = ["colon_fence", "dollarmath"]
"""
PAGE = """# Results

:::{prf:theorem} Sum rule & more
:label: sum-rule

The gradient of a sum is $a + b$.

$$
\\nabla (a + b) = \\nabla a + \\nabla b
$$
:::

:::{note}
Not a result: not quoted.
:::
"""


def test_a_labelled_result_has_a_permalink_and_a_quote_button(build_once: Build) -> None:
    app = build_once(CONF, {"index.md": PAGE})
    page = (app.outdir / "index.html").read_text()
    buttons = re.findall(r'<button type="button" class="quote-result"[^>]*>Quote</button>', page)
    assert len(buttons) == 1
    snippet = html.unescape(re.search(r'data-snippet="([^"]*)"', buttons[0]).group(1))
    assert snippet == quote.quote(
        "Theorem",
        "Sum rule & more",
        "The gradient of a sum is $a + b$.",
        r"\nabla (a + b) = \nabla a + \nabla b",
        result_url("index", "sum-rule"),
    )
    assert 'aria-label="Copy a Markdown quote of Sum rule &amp; more"' in buttons[0]
    assert '<a class="headerlink" href="#sum-rule" title="Link to this result">¶</a>' in page
    assert '<script defer="defer" src="_static/quote.js' in page
