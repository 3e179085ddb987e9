"""Math rendered when the book is built: KaTeX run in QuickJS, so no page loads a math engine.

Every inline and displayed formula is turned into KaTeX's HTML (with MathML beside it for
screen readers) while the page is written; the page needs only KaTeX's stylesheet
(``_static/katex``) and fonts (``math_fonts``). A formula KaTeX cannot parse is a warning
that names it, so the strict build fails rather than show raw TeX.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path
from typing import Any

import quickjs
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number
from sphinx.writers.html5 import HTML5Translator

from gradavg.derivation import DEFINITION_SEPARATOR, WHERE

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


def render(tex: str, *, display: bool) -> str:
    """KaTeX's HTML for ``tex``; raises ``ValueError`` with KaTeX's message on bad TeX."""
    try:
        return str(_katex()(tex, display))
    except quickjs.JSException as error:
        raise ValueError(str(error).splitlines()[0]) from None


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


Row = tuple[str, str, str, str]
_ALIGNED = (r"\begin{aligned}", r"\end{aligned}")


def split_definitions(tex: str) -> tuple[str, list[str]]:
    r"""A derivation's math and the definitions printed under it, one formula each.

    The engine prints the definitions after a blank line, as ``\text{where } a = …,\quad
    b = …`` (``WHERE`` and ``DEFINITION_SEPARATOR`` of ``gradavg.derivation``).
    """
    body, blank, rest = tex.strip().partition("\n\n")
    rest = rest.strip()
    if not blank or not rest.startswith(WHERE) or "\n\n" in rest:
        return tex, []
    return body, rest.removeprefix(WHERE).split(DEFINITION_SEPARATOR)


def derivation_rows(tex: str) -> list[Row] | None:
    r"""The steps of a derivation as the engine prints it, or None for other math.

    A step is ``left &= expr && \text{why} && \scriptsize\checkmark\ \text{method}``
    (``gradavg.derivation.VerifiedDerivation.latex``); rows end in ``\\`` and a newline.
    """
    body = tex.strip()
    if not (body.startswith(_ALIGNED[0]) and body.endswith(_ALIGNED[1])):
        return None
    inner = body[len(_ALIGNED[0]) : -len(_ALIGNED[1])].strip("\n")
    rows = []
    for row in inner.split(" \\\\\n"):
        cells = row.split(" && ")
        left, equals, expr = cells[0].partition("&=")
        if len(cells) != 3 or not equals or r"\checkmark\ " not in cells[2]:
            return None
        method = cells[2].split(r"\checkmark\ ", 1)[1]
        rows.append((left.strip(), expr.strip(), _plain(cells[1]), _plain(method)))
    return rows


def _plain(latex_text: str) -> str:
    r"""The words of ``\text{...}``, its escapes undone."""
    inner = latex_text.strip().removeprefix(r"\text{").removesuffix("}")
    return inner.replace(r"\{", "{").replace(r"\}", "}").replace(r"\backslash ", "\\")


def _derivation_html(node: nodes.Element, rows: list[Row], definitions: list[str]) -> str:
    """One grid row per step: the left side, ``= expr``, the rule and how it was proved;
    then the definitions the proof unfolded, each a formula of its own.

    On a narrow screen the rule and the proof method move under their step (book.css).
    """
    cells = []
    for left, expr, why, method in rows:
        cells += [
            _formula_cell(node, "derivation-left", left),
            _formula_cell(node, "derivation-right", "=" + expr),
            f'<span class="derivation-why">{html.escape(why)}</span>',
            f'<span class="derivation-method">\N{CHECK MARK} {html.escape(method)}</span>',
        ]
    grid = '<div class="derivation">' + "".join(cells) + "</div>"
    if not definitions:
        return grid
    formulas = ", ".join(
        f'<span class="derivation-definition"{_focus(tex)}>{_inline_display(node, tex)}</span>'
        for tex in definitions
    )
    return f'{grid}<p class="derivation-where">where {formulas}</p>'


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
    chain, definitions = split_definitions(node.astext())
    rows = derivation_rows(chain)
    if rows:
        self.body.append(_derivation_html(node, rows, definitions) + "</div>\n")
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
