"""Notebooks to download: every chapter as a Jupyter notebook, linked from its page.

When the build starts, each page with code cells is converted from its MyST source to an
``.ipynb`` in ``docs/_notebooks`` (not a source of the book, and not kept in git), with
cell ids numbered so that two builds write the same bytes. A link under each chapter's
title offers it for download; the notebook imports ``gradavg`` and runs as the page did.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from docutils import nodes
from myst_nb.core.read import read_myst_markdown_notebook
from notebook_pages import notebook_pages
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

FOLDER = "_notebooks"


def write_notebooks(app: Sphinx) -> None:
    """Convert every chapter to ``_notebooks/<page>.ipynb``."""
    srcdir = Path(app.srcdir)
    folder = srcdir / FOLDER
    folder.mkdir(exist_ok=True)
    for page in notebook_pages(srcdir):
        target = folder / f"{page.stem}.ipynb"
        if target.exists() and target.stat().st_mtime >= page.stat().st_mtime:
            continue  # converted since the page last changed
        notebook = read_myst_markdown_notebook(page.read_text())
        for number, cell in enumerate(notebook.cells, start=1):
            cell["id"] = f"cell-{number}"
        text = nbformat.writes(notebook)  # type: ignore[no-untyped-call]  # nbformat.writes has no annotations
        target.write_text(text + "\n")


class NotebookLink(SphinxTransform):
    """Put "Download this page as a notebook" under a chapter's title."""

    default_priority = 500

    def apply(self, **_: Any) -> None:
        notebook = Path(self.env.srcdir) / FOLDER / f"{self.env.docname}.ipynb"
        sections = list(self.document.findall(nodes.section))
        if not notebook.exists() or not sections:
            return
        name = notebook.name
        link = addnodes.download_reference(
            "", "", nodes.literal(name, name), reftarget=f"/{FOLDER}/{name}",
            refdoc=self.env.docname, refexplicit=True, refdomain="", reftype="download",
        )  # fmt: skip
        paragraph = nodes.paragraph("", "", nodes.Text("Download this page as a notebook: "))
        paragraph += link
        paragraph["classes"].append("notebook-download")
        title = sections[0][0]
        sections[0].insert(sections[0].index(title) + 1, paragraph)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", write_notebooks)
    app.add_transform(NotebookLink)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
