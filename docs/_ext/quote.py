"""Quote any result: a permalink and a Quote button on the title of every labelled result.

The button copies Markdown that pastes into a Stack Exchange answer as is: the result's
name and its statement in words, its displayed equation as ``$$…$$`` and the absolute
link to its anchor (``gradavg.book.links.result_url``). :func:`words` and :func:`quote` make
the snippet; the results extension records it once per result, and a result without a
statement is an error there.
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from references import placeholder
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform


def words(paragraph: nodes.Element) -> str:
    """A paragraph as one line of Markdown, inline math kept as ``$…$``, references as
    placeholders (``references.resolve`` writes them out once every page is read)."""
    parts = [
        f"${child.astext()}$"
        if isinstance(child, nodes.math)
        else placeholder(child) or child.astext()
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
    """Add the permalink and the Quote button to each labelled result's title.

    The snippet is the one the results extension recorded for the result while the page
    was read (``env.gradavg_results``), so the button and the results index agree.
    """

    default_priority = 650
    formats = ("html",)

    def run(self, **_: Any) -> None:
        recorded = getattr(self.env, "gradavg_results", {}).get(self.env.docname, [])
        snippets = {record["label"]: record for record in recorded}
        for result in list(self.document.findall(nodes.Element)):
            record = snippets.get(result.get("label")) if result.get("countertype") else None
            if record is None:
                continue
            label, name = record["label"], record["name"]
            title = result[0]
            assert isinstance(title, nodes.Element), "a result's first child is its title"
            title += nodes.raw(
                "",
                f'<a class="headerlink" href="#{label}" title="Link to this result">¶</a>'
                f'<button type="button" class="quote-result"'
                f' data-snippet="{html.escape(record["snippet"])}"'
                f' aria-label="Copy a Markdown quote of {html.escape(name)}">Quote</button>',
                format="html",
            )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_post_transform(QuoteControls)
    app.add_js_file("quote.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
