"""Math rendered when the book is built: KaTeX run in QuickJS, so no page loads a math engine.

Every inline and displayed formula is turned into KaTeX's HTML (with MathML beside it for
screen readers) while the page is written; the page needs only KaTeX's stylesheet
(``_static/katex``) and fonts (``math_fonts``). A formula KaTeX cannot parse is a warning
that names it, so the strict build fails rather than show raw TeX.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from typing import Any

import quickjs
from derivations import record_of
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number
from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)
KATEX = Path(__file__).with_name("katex") / "katex.min.js"
_RENDER = """(function (tex, display) {
  return katex.renderToString(tex, {displayMode: display, throwOnError: true,
                                    output: "htmlAndMathml", strict: "ignore"});
})"""


@functools.cache
def _katex() -> Any:
    """KaTeX's renderToString in a QuickJS context, one per process, made on first use."""
    context = quickjs.Context()
    context.eval(KATEX.read_text())
    return context.eval(_RENDER)


# KaTeX writes a negative height on some vertical lists (sub- and superscripts under a
# prime): invalid CSS, which browsers drop; dropped here, so that the HTML validates.
_NEGATIVE_HEIGHT = re.compile(r"height:-[\d.]+em;")


def render(tex: str, *, display: bool) -> str:
    """KaTeX's HTML for ``tex``; raises ``ValueError`` with KaTeX's message on bad TeX."""
    try:
        rendered = str(_katex()(tex, display))
    except quickjs.JSException as error:
        raise ValueError(str(error).splitlines()[0]) from None
    return _NEGATIVE_HEIGHT.sub("", rendered).replace(' style=""', "")


def _rendered(node: nodes.Element, tex: str, *, display: bool) -> str:
    try:
        return render(tex, display=display)
    except ValueError as error:
        logger.warning(f"formula not rendered: {error}: {tex!r}", location=node)
        return f'<span class="katex-error">{html.escape(tex)}</span>'


def visit_math(self: HTML5Translator, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_rendered(node, node.astext(), display=False) + "</span>")
    raise nodes.SkipNode


def _derivation_html(node: nodes.Element, record: dict[str, Any]) -> str:
    """One grid row per step of the engine's record: the left side, ``= right``, and the
    rule with how it was proved under it; then the definitions the proof unfolded, each a
    formula.

    On a narrow screen the rule and the proof method move under their step (book.css).
    """
    cells = []
    for row in record["rows"]:
        cells += [
            _formula_cell(node, "derivation-left", row["left"]),
            # The relation stays with the first term: a line may break after a later = or +.
            _formula_cell(node, "derivation-right", rf"{row['relation']}\nobreak {row['right']}"),
            (
                '<span class="derivation-notes">'
                f'<span class="derivation-why">{html.escape(row["justification"])}</span>'
                f"{_method(row)}</span>"
            ),
        ]
    definitions = record["definitions"]
    grid = '<div class="derivation">' + "".join(cells) + "</div>"
    if not definitions:
        return grid
    last = len(definitions) - 1
    formulas = " ".join(  # each comma inside its definition, so it never starts a line
        f'<span class="derivation-definition"{_focus(tex)}>{_inline_display(node, tex)}'
        f"{'' if i == last else ','}</span>"
        for i, tex in enumerate(definitions)
    )
    return f'{grid}<p class="derivation-where">where {formulas}</p>'


def _method(row: dict[str, str]) -> str:
    return f'<span class="derivation-method">\N{CHECK MARK} {html.escape(row["method"])}</span>'


def _inequality_html(node: nodes.Element, record: dict[str, Any]) -> str:
    """A verified inequality from its record: the comparison as a formula, and how it was
    checked beside it in the page's text, as a derivation's steps have it."""
    (row,) = record["rows"]
    tex = rf"{row['left']} \;{row['relation']}\; {row['right']}"
    return f'<div class="inequality">{_rendered(node, tex, display=True)}{_method(row)}</div>'


def _formula_cell(node: nodes.Element, kind: str, tex: str) -> str:
    """A grid cell holding one side of a step (empty for a step with no left side).

    A written-out matrix may be wider than a phone: its cell scrolls (book.css) and
    takes the keyboard focus.
    """
    if not tex or tex == "=":
        return f'<span class="{kind}"></span>'
    return f'<span class="{kind}"{_focus(tex)}>{_inline_display(node, tex)}</span>'


def _focus(tex: str) -> str:
    """The attribute that lets a written-out matrix, which scrolls in its cell, take focus."""
    return ' tabindex="0"' if r"\begin{matrix}" in tex else ""


def _inline_display(node: nodes.Element, tex: str) -> str:
    """Display-style math that may still break after a top-level ``=`` or ``+``."""
    return _rendered(node, r"\displaystyle " + tex, display=False)


def visit_displaymath(self: HTML5Translator, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    record = record_of(node)
    if record and record["kind"] == "derivation":
        self.body.append(_derivation_html(node, record) + "</div>\n")
        raise nodes.SkipNode
    if record and record["kind"] == "inequality":
        self.body.append(_inequality_html(node, record) + "</div>\n")
        raise nodes.SkipNode
    parts = [part for part in node.astext().split("\n\n") if part.strip()]
    if node.get("nowrap") or node.get("no-wrap"):
        tex = node.astext()
    elif len(parts) > 1:
        tex = r"\begin{gathered}" + r"\\".join(parts) + r"\end{gathered}"
    else:
        tex = parts[0] if parts else ""
    self.body.append(_rendered(node, tex, display=True) + "</div>\n")
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_html_math_renderer(
        "katex_server",
        inline_renderers=(visit_math, None),
        block_renderers=(visit_displaymath, None),
    )
    app.add_css_file("katex/katex.min.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
