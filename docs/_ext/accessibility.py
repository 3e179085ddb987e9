"""Small changes to the written HTML so that every page passes axe-core's checks.

While a page is written (the book's HTML translator, a subclass of Sphinx's):

- the captions of a table of contents, which Sphinx marks ``role="heading"``, also get
  the ``aria-level`` that role requires;
- code blocks, which can scroll sideways, can take the keyboard focus;
- the entries of the References page, which docutils marks with the deprecated
  ``doc-biblioentry`` role inside a ``role="list"``, are list items;
- the "Show code cell source" toggles are named by what they say, and hold no paragraph
  (``private_apis.toggle_code_cells``);
- a paragraph that holds a list is written without ``<p>`` (which the list would close);
- each figure's ``<img>`` gets its intrinsic ``width`` and ``height`` (from the SVG the
  package drew), so that the page does not shift as it loads, and loads lazily.

On every page, ``_static/wide-formulas.js`` lets the displayed equations and tables that
scroll sideways on the reader's screen take the keyboard focus and show that they scroll,
and stacks a derivation whose steps do not fit beside their rules.

The search page gets the level-one heading every page has from its template
(``_templates/search.html``). When the build finishes, Furo's two side drawers (site
navigation, contents of the page) get distinct labels: they sit outside every block of
Furo's template, so only the written pages can be changed (``private_apis.label_drawers``).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from private_apis import label_drawers, toggle_code_cells
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

HEADING_LEVEL = "2"  # the captions head the chapters of the book, under the page's title
_PRE = re.compile(r"<pre(?![^>]*tabindex)")


class AccessibleHTMLTranslator(HTML5Translator):
    """Sphinx's HTML, with the ARIA attributes and focus that axe-core asks for."""

    def visit_title(self, node: nodes.title) -> None:
        if isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree"):
            # Sphinx's own markup of a toctree's caption, with the heading's level.
            level = {"aria-level": HEADING_LEVEL}  # not a Python name
            self.body.append(
                self.starttag(node, "p", "", False, CLASS="caption", ROLE="heading", **level)
            )
            self.body.append('<span class="caption-text">')
            self.context.append("</span></p>\n")
        else:
            super().visit_title(node)

    def visit_literal_block(self, node: nodes.literal_block) -> None:
        start = len(self.body)
        try:
            super().visit_literal_block(node)  # a highlighted block raises SkipNode
        finally:
            self.body[start:] = [_PRE.sub('<pre tabindex="0"', part) for part in self.body[start:]]

    # A paragraph that holds a list (Sphinx's "Returns" field of several values) cannot be
    # a <p>: the list would close it, leaving a stray </p>. It is written without one.
    def visit_paragraph(self, node: nodes.paragraph) -> None:
        if not _holds_list(node):
            super().visit_paragraph(node)

    def depart_paragraph(self, node: nodes.paragraph) -> None:
        if _holds_list(node):
            self.body.append("\n")
        else:
            super().depart_paragraph(node)

    def visit_image(self, node: nodes.image) -> None:
        start = len(self.body)
        source = Path(self.builder.srcdir) / node["uri"]  # before Sphinx points it at _images/
        try:
            super().visit_image(node)
        finally:
            size = svg_size(source)
            if size is not None:
                extra = f' width="{size[0]}" height="{size[1]}" loading="lazy" decoding="async"'
                self.body[start:] = [
                    part.replace("<img ", f"<img{extra} ", 1) for part in self.body[start:]
                ]

    def visit_citation(self, node: nodes.citation) -> None:
        # docutils' markup, the role of an entry of the list it opens.
        if not isinstance(node.previous_sibling(), nodes.citation):
            self.body.append('<div role="list" class="citation-list">\n')
        self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


_SVG_SIZE = re.compile(r'<svg[^>]*\swidth="([\d.]+)(pt|px)?"[^>]*\sheight="([\d.]+)(pt|px)?"')
_PX_PER = {"pt": 4 / 3, "px": 1.0, None: 1.0}


def svg_size(path: Path) -> tuple[int, int] | None:
    """The size in CSS pixels an SVG declares (matplotlib writes points), or None."""
    if path.suffix != ".svg" or not path.is_file():
        return None
    with path.open(encoding="utf-8") as svg:
        found = _SVG_SIZE.search(svg.read(2048))
    if found is None:
        return None
    width, width_unit, height, height_unit = found.groups()
    return round(float(width) * _PX_PER[width_unit]), round(float(height) * _PX_PER[height_unit])


def _holds_list(node: nodes.paragraph) -> bool:
    return any(isinstance(child, nodes.Sequential) for child in node.children)


RECORD = "accessibility-labelled.json"  # in the doctrees: page -> [size, mtime_ns] once done


def _stamp(page: Path) -> list[int]:
    stat = os.stat(page)
    return [stat.st_size, stat.st_mtime_ns]


def label_pages(app: Sphinx, exception: Exception | None) -> None:
    """Name Furo's side drawers on every page written since they were last named (a page
    whose size and time are unchanged since is not read again)."""
    if exception is not None or app.builder.format != "html":
        return
    record = Path(app.doctreedir) / RECORD
    try:
        done_before = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        done_before = {}
    stamps = {}
    for page in sorted(Path(app.outdir).rglob("*.html")):
        if done_before.get(str(page)) != _stamp(page):
            text = page.read_text(encoding="utf-8")
            labelled = label_drawers(text)
            if labelled != text:
                page.write_text(labelled, encoding="utf-8")
        stamps[str(page)] = _stamp(page)
    record.write_text(json.dumps(stamps), encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_nb")  # its toggles are drawn again below
    app.set_translator("html", AccessibleHTMLTranslator, override=True)
    toggle_code_cells(app)
    app.add_js_file("wide-formulas.js", loading_method="defer")
    app.connect("build-finished", label_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
