"""Every chapter offered as a Jupyter notebook to download (docs/_ext/notebooks.py)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import nbformat
import notebooks
from sphinx.testing.util import SphinxTestApp

Build = Callable[..., SphinxTestApp]
TOP = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
---
"""


CONF = 'extensions = ["myst_nb", "notebooks"]\nnb_execution_mode = "off"\n'
PAGES = {
    "index.md": "# Book\n\n```{toctree}\nchapter\nprose\n```\n",
    "chapter.md": TOP + "# Chapter\n\nText.\n\n```{code-cell} ipython3\nx = 1\n```\n\nMore.\n"
    "\n```{code-cell} ipython3\nprint(x)\n```\n",
    "prose.md": "# Prose\n\nNo code.\n",
}


def test_each_chapter_is_written_as_a_notebook_with_numbered_cells(build: Build) -> None:
    app = build(CONF, PAGES)
    folder = Path(app.srcdir) / notebooks.FOLDER
    assert sorted(path.name for path in folder.iterdir()) == ["chapter.ipynb"]
    notebook = nbformat.read(folder / "chapter.ipynb", as_version=4)
    nbformat.validate(notebook)
    kinds = [(cell.cell_type, cell.id) for cell in notebook.cells]
    assert kinds == [
        ("markdown", "cell-1"),
        ("code", "cell-2"),
        ("markdown", "cell-3"),
        ("code", "cell-4"),
    ]
    assert notebook.cells[3].source == "print(x)"
    assert notebook.metadata.kernelspec.name == "python3"
    assert (folder / "chapter.ipynb").read_text().endswith("}\n")


def test_a_notebook_is_written_again_only_when_its_page_changed(build: Build) -> None:
    app = build(CONF, PAGES)
    source = Path(app.srcdir)
    notebook = source / notebooks.FOLDER / "chapter.ipynb"
    first = notebook.read_bytes()
    notebook.write_text("{}")
    page = source / "chapter.md"
    os.utime(page, (notebook.stat().st_mtime - 10,) * 2)
    notebooks.write_notebooks(app)
    assert notebook.read_text() == "{}"  # converted since the page last changed: kept
    os.utime(page, (notebook.stat().st_mtime + 10,) * 2)
    notebooks.write_notebooks(app)
    assert notebook.read_bytes() == first  # the same page gives the same bytes
    assert json.loads(first)["cells"][0]["id"] == "cell-1"


def test_a_chapter_links_its_notebook_under_its_title(build: Build) -> None:
    app = build(CONF, PAGES)
    chapter = (app.outdir / "chapter.html").read_text()
    link = re.search(
        r'<h1>Chapter.*?</h1>\s*<p class="notebook-download">Download this page as a notebook: '
        r'<a class="reference download internal" download="" href="(_downloads/[0-9a-f]+/'
        r'chapter\.ipynb)"><code class="docutils literal notranslate">'
        r'<span class="pre">chapter.ipynb</span></code></a></p>',
        chapter,
        re.DOTALL,
    )
    assert link, chapter
    assert (app.outdir / link.group(1)).is_file()
    assert "notebook-download" not in (app.outdir / "prose.html").read_text()
