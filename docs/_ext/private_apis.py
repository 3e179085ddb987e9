"""Every part of a third-party package that the build relies on outside its public API.

Nothing else under ``docs/`` reaches into a library's internals: each dependency of that
kind is here, with why no public API does the job, and each has a unit test in
``tests/docs/test_private_apis.py`` that fails when the library stops behaving as relied
on. The docs tools are pinned (``pyproject.toml``), so such a change arrives with a
deliberate upgrade, and the tests name what broke.

1. **MyST-NB's record of how each page ran** (:func:`execution_results`): MyST-NB keeps
   every page's execution result (``ExecutionResult``, documented) in the environment,
   merged from the parallel readers, through its undocumented ``NbMetadataCollector``.
   No public API reads it; the build needs it to name every page that failed to run.
2. **The columns of MyST-NB's execution table** (:func:`hide_execution_columns`): the
   ``nb-exec-table`` directive (documented) has no option for its columns, which come from
   the private module global ``myst_nb.ext.execution_tables._key2header``. The build drops
   the columns that vary between two builds of the same sources (time and duration).
3. **The kernel manager nbclient starts** (:func:`use_ipc_kernels`): nbclient makes
   ``jupyter_client.AsyncKernelManager`` at each start unless given another class, and
   MyST-NB gives it none, so the class is replaced in ``jupyter_client`` itself. With it,
   pages run in kernels that talk over IPC sockets, not TCP: the build needs no network
   interface and opens no port.
4. **Furo's markup of its two side drawers** (:func:`label_drawers`): Furo's
   ``page.html`` writes ``<aside class="sidebar-drawer">`` and ``<aside
   class="toc-drawer">`` outside any template block, so no template override can name
   them; the written pages get distinct ``aria-label`` s (axe-core: two complementary
   landmarks need distinct names).
5. **MyST-NB's ``glue:math`` directive and its lookup of glued data**
   (:class:`PasteMathDirective`, :func:`glued_data`): what a pasted output becomes has no
   public hook, so ``derivations.py`` extends the directive (``PasteMathDirective``, in
   ``myst_nb.ext.glue.directives``) to keep a verified result's record on the math node,
   reading the glued bundle with ``myst_nb.ext.glue.utils.retrieve_glue_data``.

6. **MyST-NB's toggle of a hidden code cell** (:func:`toggle_code_cells`): MyST-NB draws
   "Show code cell source" as ``<p>`` elements inside ``<summary>`` (invalid HTML: a
   summary holds phrasing content) under the label "Toggle hidden content", which is not
   what the toggle says (axe-core: label-content-name-mismatch, WCAG 2.5.3). The node,
   ``myst_nb.sphinx_.HideCodeCellNode``, is not in MyST-NB's documented API; its HTML is
   drawn again with Sphinx's public ``add_node(override=True)``: spans, named by the text
   shown (``book.css`` styles them as MyST-NB styled the paragraphs).
7. **Sphinx's table of node visitors per builder** (:func:`html_visitors_for_singlehtml`):
   a translator takes the visitors registered under its builder's name, and only when
   there are none those of its format. sphinx-exercise registers some under
   ``singlehtml``, so the single-page build (the PDF) would lose every visitor registered
   under ``html`` (MyST-NB's, sphinx-proof's, the book's). When that build starts, the
   ``html`` visitors are copied under ``singlehtml`` (``app.registry.translation_handlers``),
   over sphinx-exercise's own, so that the PDF draws every node as the site does.

Public, so not here: ``myst_nb.core.read.read_myst_markdown_notebook`` (``notebooks.py``)
is in MyST-NB's documented Python API; the translator and templates of
``accessibility.py``, and sphinx-proof's domain registered again in ``conf.py``, use
Sphinx's extension API (``set_translator``, ``templates_path``, ``add_domain``).
"""

from __future__ import annotations

import functools
import html
import os
import re
import tempfile
import uuid
from typing import Any

import jupyter_client
from docutils import nodes
from jupyter_client.manager import AsyncKernelManager
from myst_nb.core.variables import RetrievalError
from myst_nb.ext import execution_tables
from myst_nb.ext.glue.directives import (  # re-exported for derivations.py (item 5)
    PasteMathDirective as PasteMathDirective,  # noqa: PLC0414
)
from myst_nb.ext.glue.utils import retrieve_glue_data
from myst_nb.sphinx_ import HideCodeCellNode, NbMetadataCollector
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from traitlets import CaselessStrEnum, default


# --- 1. MyST-NB's record of how each page ran -------------------------------------------
def execution_results(env: BuildEnvironment) -> dict[str, dict[str, Any]]:
    """Each executed page's result, by document name: MyST-NB's ``ExecutionResult``
    (``method``, ``succeeded``, ``error``, ``traceback``, ``mtime``, ``runtime``)."""
    recorded: dict[str, dict[str, Any]] = NbMetadataCollector.get_doc_data(env)
    return {
        docname: data["exec_data"] for docname, data in recorded.items() if data.get("exec_data")
    }


# --- 2. The columns of MyST-NB's execution table ----------------------------------------
def hide_execution_columns(*keys: str) -> None:
    """Leave the ``ExecutionResult`` fields ``keys`` out of every ``nb-exec-table``."""
    for key in keys:
        execution_tables._key2header.pop(key, None)


# --- 3. The kernel manager nbclient starts ----------------------------------------------
@functools.cache
def _socket_folder() -> tempfile.TemporaryDirectory[str]:
    """One folder for the kernels' sockets, made by the process that sets up the build
    (the readers of ``sphinx-build -j`` are forked from it) and removed when it exits."""
    return tempfile.TemporaryDirectory(prefix="gradavg-kernels-")


class IPCKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels listen on IPC sockets in a private folder."""

    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    @default("ip")
    def _socket_path(self) -> str:
        # An absolute path: the kernel runs in the page's folder, the build elsewhere.
        # One name per kernel: the readers of `sphinx-build -j` start kernels at once, and
        # jupyter_client picks socket numbers by which files exist, so a shared name races.
        return os.path.join(_socket_folder().name, uuid.uuid4().hex[:12])

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        # Plain tracebacks: a failed step reads cleanly in a build log.
        return [*super().format_kernel_cmd(extra_arguments), "--colors=nocolor"]


def use_ipc_kernels() -> None:
    """Make every kernel nbclient starts from now on an :class:`IPCKernelManager`."""
    _socket_folder()
    # jupyter_client re-exports the class without __all__, so mypy does not see the name.
    jupyter_client.AsyncKernelManager = IPCKernelManager  # type: ignore[attr-defined]


# --- 4. Furo's markup of its two side drawers -------------------------------------------
DRAWERS = (
    (re.compile(r'<aside class="sidebar-drawer">'), '<aside class="sidebar-drawer" aria-label="The book">'),
    (re.compile(r'<aside class="toc-drawer( no-toc)?">'), r'<aside class="toc-drawer\1" aria-label="On this page">'),
)  # fmt: skip


def label_drawers(page: str) -> str:
    """A page written by Furo, its navigation and contents drawers named."""
    for pattern, replacement in DRAWERS:
        page = pattern.sub(replacement, page)
    return page


# --- 5. MyST-NB's glue:math directive and its lookup ------------------------------------
def glued_data(document: nodes.document, key: str) -> dict[str, Any] | None:
    """The mime bundle a page glued under ``key``, or None if it glued nothing there."""
    try:
        return dict(retrieve_glue_data(document, key).data)
    except RetrievalError:
        return None


# --- 6. MyST-NB's toggle of a hidden code cell ------------------------------------------
def _visit_toggle(self: Any, node: HideCodeCellNode) -> None:
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>')
    for state, prompt in (("collapsed", "prompt_show"), ("expanded", "prompt_hide")):
        text = html.escape(node[prompt])
        self.body.append(f'<span class="{state} admonition-title">{text}</span>')
    self.body.append("</summary>\n")


def _depart_toggle(self: Any, _node: HideCodeCellNode) -> None:
    self.body.append("</details>\n")


def toggle_code_cells(app: Sphinx) -> None:
    """Draw the toggles of hidden code cells as valid, truthfully named HTML."""
    app.add_node(HideCodeCellNode, override=True, html=(_visit_toggle, _depart_toggle))


# --- 7. Sphinx's node visitors per builder ------------------------------------------------
def html_visitors_for_singlehtml(app: Sphinx) -> None:
    """Give the single-page HTML build every visitor of the HTML build."""
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    handlers["singlehtml"] = {**handlers.get("singlehtml", {}), **handlers.get("html", {})}
