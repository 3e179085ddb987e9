"""The third-party internals the build relies on (docs/_ext/private_apis.py) still behave
as relied on: each test fails when a library changes the part the book uses."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import jupyter_client
import nbclient
import nbformat
import private_apis
import pytest
from myst_nb.ext import execution_tables
from sphinx.testing.util import SphinxTestApp

Build = Callable[..., SphinxTestApp]


def test_execution_results_are_myst_nbs_record_of_each_run_page(
    notebook_book: SphinxTestApp,
) -> None:
    results = private_apis.execution_results(notebook_book.env)
    assert sorted(results) == ["fails", "runs"]  # the pages without code cells do not run
    assert results["runs"]["succeeded"] is True
    assert results["runs"]["method"] == "force"
    assert results["fails"]["succeeded"] is False
    assert results["fails"]["error"] == "CellExecutionError"
    assert "ZeroDivisionError" in results["fails"]["traceback"]


def test_the_execution_table_has_only_the_columns_that_do_not_vary(
    notebook_book: SphinxTestApp,
) -> None:
    html = (notebook_book.outdir / "status.html").read_text()
    assert re.findall(r'<th class="head"><p>([^<]*)</p></th>', html) == [
        "Document",
        "Method",
        "Status",
    ]


def test_hiding_a_column_removes_it_from_myst_nbs_table() -> None:
    record = {"mtime": 0.0, "runtime": 1.5, "method": "force", "succeeded": True}
    metadata = {"page": {"exec_data": record}}

    def headers() -> list[str]:
        table = execution_tables.make_stat_table("status", metadata)
        return [entry.astext() for entry in table.findall(lambda n: n.tagname == "entry")][:5]

    assert "Run Time (s)" in headers()
    private_apis.hide_execution_columns("mtime", "runtime")
    assert headers()[:3] == ["Document", "Method", "Status"]


def test_pages_run_in_kernels_that_talk_over_ipc(notebook_book: SphinxTestApp) -> None:
    html = (notebook_book.outdir / "runs.html").read_text()
    assert "transport: ipc" in html


def test_nbclient_starts_the_kernel_manager_jupyter_client_names() -> None:
    private_apis.use_ipc_kernels()
    assert jupyter_client.AsyncKernelManager is private_apis.IPCKernelManager
    client = nbclient.NotebookClient(nbformat.v4.new_notebook())
    assert client.kernel_manager_class is private_apis.IPCKernelManager


def test_each_kernel_has_its_own_socket_in_the_private_folder() -> None:
    first, second = (private_apis.IPCKernelManager(kernel_name="python3") for _ in range(2))
    folder = private_apis._socket_folder().name
    assert first.transport == second.transport == "ipc"
    assert first.ip.startswith(folder + "/")
    assert second.ip.startswith(folder + "/")
    assert first.ip != second.ip
    assert first.format_kernel_cmd()[-1] == "--colors=nocolor"


# Furo's drawers, as a page of Furo's writes them.
FURO = 'extensions = []\nhtml_theme = "furo"\n'
FURO_PAGES = {
    "index.rst": "Book\n====\n\n.. toctree::\n\n   plain\n\nPart\n----\n\nText.\n",
    "plain.rst": "Plain\n=====\n\nNo sections.\n",
}


def test_furo_writes_the_drawers_that_are_labelled(build_once: Build) -> None:
    outdir = build_once(FURO, FURO_PAGES).outdir
    index, plain = ((outdir / f"{page}.html").read_text() for page in ("index", "plain"))
    assert '<aside class="sidebar-drawer">' in index
    assert '<aside class="toc-drawer">' in index
    assert '<aside class="toc-drawer no-toc">' in plain
    for page in (index, plain):
        labelled = private_apis.label_drawers(page)
        assert '<aside class="sidebar-drawer" aria-label="The book">' in labelled
        assert re.search(
            r'<aside class="toc-drawer( no-toc)?" aria-label="On this page">', labelled
        )
        assert "<aside" not in re.sub(r"<aside[^>]*aria-label[^>]*>", "", labelled)
        assert private_apis.label_drawers(labelled) == labelled


# --- 6. MyST-NB's toggle of a hidden code cell ------------------------------------------
HIDDEN = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
---
# Hidden

```{code-cell} ipython3
:tags: [hide-input]
1 + 1
```
"""
TOGGLE_PAGES = {
    "index.md": "# Book\n\n```{toctree}\nhidden\n```\n",
    "hidden.md": HIDDEN,
}
EXTENSIONS = Path(__file__).resolve().parents[2] / "docs" / "_ext"
OWN_TOGGLES = f'import sys\nsys.path.insert(0, {str(EXTENSIONS)!r})\nextensions = ["myst_nb", "accessibility"]\nnb_execution_mode = "off"\n'


def test_myst_nb_draws_its_toggle_with_paragraphs_in_summary(build_once: Build) -> None:
    """What toggle_code_cells replaces (if MyST-NB changes it, this says so)."""
    conf = 'extensions = ["myst_nb"]\nnb_execution_mode = "off"\n'
    page = (build_once(conf, TOGGLE_PAGES).outdir / "hidden.html").read_text()
    assert '<summary aria-label="Toggle hidden content">' in page
    assert '<p class="collapsed admonition-title">Show code cell source</p>' in page


def test_the_books_toggle_is_named_by_what_it_says(build_once: Build) -> None:
    page = (build_once(OWN_TOGGLES, TOGGLE_PAGES).outdir / "hidden.html").read_text()
    summary = re.search(r"<summary>(.*?)</summary>", page, re.DOTALL)
    assert summary is not None
    assert summary.group(1) == (
        '<span class="collapsed admonition-title">Show code cell source</span>'
        '<span class="expanded admonition-title">Hide code cell source</span>'
    )
    assert "Toggle hidden content" not in page


SINGLE_PAGE = 'extensions = ["myst_nb", "sphinx_exercise"]\nnb_execution_mode = "off"\n'


def test_without_them_the_single_page_build_cannot_draw_a_hidden_cell(build: Build) -> None:
    """Why html_visitors_for_singlehtml is needed: with sphinx-exercise the single-page
    build has visitors of its own, and MyST-NB's toggle is not among them."""
    with pytest.raises(NotImplementedError, match="unknown node type: HideCodeCellNode"):
        build(SINGLE_PAGE, TOGGLE_PAGES, buildername="singlehtml")


def test_the_single_page_build_draws_what_the_html_build_draws(build_once: Build) -> None:
    conf = (
        f"import sys\nsys.path.insert(0, {str(EXTENSIONS)!r})\nimport private_apis\n"
        + SINGLE_PAGE
        + "def setup(app):\n"
        + '    app.connect("builder-inited", private_apis.html_visitors_for_singlehtml)\n'
    )
    app = build_once(conf, TOGGLE_PAGES, buildername="singlehtml")
    page = (app.outdir / "index.html").read_text()
    assert '<details class="admonition hide above-input">' in page
