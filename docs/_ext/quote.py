"""Quote any result: a permalink and a Quote button on the title of every labelled result.

The button copies Markdown that pastes into a Stack Exchange answer as is: the result's
name and its statement in words, its displayed equation as ``$$…$$`` and the absolute
link to its anchor (``gradavg.book.result_url``). A labelled result without a statement
is an error.
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from gradavg.book import result_url

logger = logging.getLogger(__name__)


def words(paragraph: nodes.Element) -> str:
    """A paragraph as one line of Markdown, inline math kept as ``$…$``."""
    parts = [
        f"${child.astext()}$"
        if isinstance(child, nodes.math)
        else f"(equation {child['reftarget']})"  # an equation reference not yet resolved
        if child.tagname == "pending_xref" and child.get("reftype") == "eq"
        else child.astext()
        for child in paragraph.children
    ]
    return " ".join("".join(parts).split())


def quote(kind: str, name: str, statement: str, equation: str | None, url: str) -> str:
    """The Markdown an answerer pastes."""
    lines = [f"**{kind} ({name}).** {statement}".rstrip()]
    if equation:
        lines += ["", "$$", equation.strip(), "$$"]
    lines += ["", f"From [*The Gradient of the Average*, {name}]({url})."]
    return "\n".join(lines) + "\n"


class QuoteControls(SphinxPostTransform):
    """Add the permalink and the Quote button to each labelled result's title."""

    default_priority = 650  # after the glued equations are in place
    formats = ("html",)

    def run(self, **_: Any) -> None:
        for result in list(self.document.findall(nodes.Element)):
            label = result.get("label")
            if not (label and result.get("countertype") and "proof" in result["classes"]):
                continue
            title = result[0]
            name = title.astext().strip().strip("()").strip()
            body = result[1] if len(result) > 1 else nodes.section()
            paragraphs = list(body.findall(nodes.paragraph))
            equations = [m.astext() for m in body.findall(nodes.math_block)]
            if not paragraphs and not equations:
                logger.warning(f"result {label!r} has no statement", location=result)
                continue
            statement = words(paragraphs[0]) if paragraphs else ""
            kind = str(result.get("realtype", "result")).title()
            url = result_url(self.env.docname, label)
            snippet = quote(kind, name, statement, equations[0] if equations else None, url)
            title += nodes.raw(
                "",
                f'<a class="headerlink" href="#{label}" title="Link to this result">¶</a>'
                f'<button type="button" class="quote-result" data-snippet="{html.escape(snippet)}"'
                f' aria-label="Copy a Markdown quote of {html.escape(name)}">Quote</button>',
                format="html",
            )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_post_transform(QuoteControls)
    app.add_js_file("quote.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
