"""Found on the web: a meta description and Open Graph tags on every page.

The description is the page's opening paragraph, cut at a word near 200 characters; the
address is the page's absolute URL under ``html_baseurl``. (sphinxext-opengraph does the
same, but imports matplotlib's pyplot for preview images on every build, half a second
of a no-op rebuild.)
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

LENGTH = 200


def description(doctree: nodes.document) -> str:
    """The first paragraph of running text, as one line of plain text."""
    for paragraph in doctree.findall(nodes.paragraph):
        if "notebook-download" in paragraph.get("classes", []):
            continue
        text = " ".join(paragraph.astext().split())
        if len(text) > LENGTH:
            text = text[:LENGTH].rsplit(" ", 1)[0] + "…"
        return text
    return ""


GENERATED = {
    "genindex": "The index of the book: every indexed term and object, with the pages on which it appears.",
    "py-modindex": "The modules of gradavg, the book's Python package, each linked to its reference.",
    "prf-prf": "Every theorem, proposition, example and other labelled result of the book, in one list.",
    "search": "Search the book: every section and labelled result, ranked by how well it answers the query.",
}
"""The descriptions of the pages Sphinx and its extensions write, which have no text of ours."""


def add_tags(
    app: Sphinx, pagename: str, _template: str, context: dict[str, Any], doctree: Any
) -> None:
    if doctree is None and pagename not in GENERATED:
        return
    config = app.config
    url = f"{config.html_baseurl}{app.builder.get_target_uri(pagename)}"
    tags = {
        "og:title": context.get("title", ""),
        "og:type": "website",
        "og:url": url,
        "og:site_name": config.project,
        "og:description": GENERATED[pagename] if doctree is None else description(doctree),
    }
    lines = [f'<meta name="description" content="{html.escape(tags["og:description"])}" />']
    lines += [
        f'<meta property="{key}" content="{html.escape(html.unescape(value))}" />'
        for key, value in tags.items()
    ]
    context["metatags"] = context.get("metatags", "") + "\n".join(lines) + "\n"


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", add_tags)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
