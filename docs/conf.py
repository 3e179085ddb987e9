"""Sphinx configuration for *The Gradient of the Average*."""

from __future__ import annotations

import logging as std_logging
import os
import re
import sys
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.util import logging
from sphinx_proof.domain import ProofDomain

import gradavg
from gradavg.book.links import book_url

sys.path.insert(0, str(Path(__file__).parent / "_ext"))  # the book's own extensions
import private_apis  # every reliance on a library's internals, with its reason

# A build prints its pages and its warnings: fontTools' subsetting (math_fonts) and the
# notebook client log every step at INFO, which would drown a real warning.
for _noisy in ("fontTools", "traitlets"):
    std_logging.getLogger(_noisy).setLevel(std_logging.WARNING)

project = "The Gradient of the Average"
author = "The Gradient of the Average contributors"
copyright = "2026, The Gradient of the Average contributors"
release = version = gradavg.__version__

extensions = [
    "myst_nb",
    "derivations",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx_copybutton",
    "sphinx_proof",
    "exercises",  # sphinx-exercise, with its solutions folded
    "sphinxcontrib.bibtex",
    "sitemap",
    "search_index",
    "search_hits",
    "page_dependencies",
    "execution_cache",
    "stylesheets",
    "meta",
    "anchors",
    "quote",
    "page_scripts",
    "print_book",
    "notebooks",
    "results",
    "results_data",
    "server_math",
    "math_fonts",
    "accessibility",
]
exclude_patterns = [
    "_build",
    "_static",
    "_extra",
    "_notebooks",
    "**.ipynb_checkpoints",
    "jupyter_execute",
]

# The sources, cited in the text as author (year) and listed on the References page.
bibtex_bibfiles = ["references.bib"]
bibtex_reference_style = "author_year"
bibtex_default_style = "plain"
bibtex_cite_id = "cite-{key}"  # a permanent anchor per source: references.html#cite-higham2002
bibtex_bibliography_id = "bibliography"

# A reference that does not resolve is an error: the build runs with -n -W.
nitpicky = True

# --- MyST and notebook execution ---------------------------------------------------
myst_enable_extensions = ["amsmath", "colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3
myst_heading_slug_func = "anchors.heading_slug"  # σ′ reads "sigma-prime" in an anchor
# Every page runs whenever it is read: jupyter-cache keys on cell source only. The
# published book is built this way; NB_EXECUTION_MODE=cache (nox -s serve) reuses a
# page's outputs while its code and the files it reads are unchanged
# (_ext/execution_cache.py). NB_EXECUTION_MODE=off is for timing only.
nb_execution_mode = os.environ.get("NB_EXECUTION_MODE", "force")
# A failing page does not stop the build: every page runs, MyST-NB warns once per failing
# page with its traceback, and _fail_on_failed_pages names them all and fails the build.
nb_execution_raise_on_error = False
nb_execution_show_tb = True
nb_execution_timeout = 600
nb_merge_streams = True
# The status page says how each page ran and whether it succeeded, not when or for how
# long: two builds of the same sources give the same HTML (benchmarks/bench_build.py
# reports the run times). See setup(): private_apis.hide_execution_columns.
# Pages run in kernels that talk to the build over local IPC sockets instead of TCP: the
# build then needs no network interface at all (not even loopback), and no port is
# opened. See setup(): private_apis.use_ipc_kernels.


# sphinx-proof says it is parallel-read safe but its domain lacks merge_domaindata, so
# `sphinx-build -j` crashes (then hangs) on merging. The domain keeps no data of its
# own (proofs live in env.proof_list, merged by sphinx-proof itself): nothing to merge.
class _ParallelProofDomain(ProofDomain):  # type: ignore[misc]  # sphinx-proof is untyped
    def merge_domaindata(self, docnames: AbstractSet[str], otherdata: dict[str, Any]) -> None:
        pass


# No widget pages: keep MyST-NB from adding the widget scripts it would load remotely.
nb_ipywidgets_js: dict[str, dict[str, str]] = {}

# --- math, offline -------------------------------------------------------------------
# Formulas are rendered when the book is built (KaTeX in QuickJS, _ext/server_math.py):
# pages carry HTML and MathML and load no math engine.
html_math_renderer = "katex_server"
myst_update_mathjax = False

# --- API reference -------------------------------------------------------------------
autodoc_typehints = "none"  # types are described in the numpydoc sections
autodoc_member_order = "bysource"
toc_object_entries = False  # the API pages list their sections, not 300 functions
napoleon_google_docstring = False
napoleon_use_param = False
napoleon_use_rtype = False

# --- sphinx-proof --------------------------------------------------------------------
proof_minimal_theme = True

# --- HTML ----------------------------------------------------------------------------
html_theme = "furo"
html_title = project
templates_path = ["_templates"]
html_static_path = ["_static"]
html_extra_path = ["_extra"]  # results.schema.json, beside results.json (_ext/results_data.py)
html_css_files = ["book.css"]
# Furo's sidebar, with a link to the whole book as a PDF (nox -s pdf) under the contents.
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/downloads.html",
        "sidebar/ethical-ads.html",
        "sidebar/scroll-end.html",
    ]
}
html_copy_source = False
html_favicon = "_static/favicon.svg"
# Absolute links, canonical links and the sitemap: the published address, or the one
# Read the Docs sets while it builds (gradavg.book.links.book_url).
html_baseurl = book_url()
copybutton_exclude = ".linenos, .gp, .go"


# --- pages depend on the package -----------------------------------------------------
# A page is re-read (and so re-run) when a module its code imports changes, directly or
# through other modules, or a data file one of them names (_ext/page_dependencies.py).
page_dependencies_package = "gradavg"


# --- a failing page fails the build, after every page has run -------------------------
_logger = logging.getLogger(__name__)


def _exception_message(traceback: str) -> str:
    """The exception line(s) at the end of a page's traceback, e.g. ``StepNotProved: ...``."""
    header = re.search(r"^(\S+)\s+Traceback \(most recent call last\)", traceback, re.MULTILINE)
    if header:
        start = traceback.rfind(f"\n{header.group(1)}: ")
        if start >= 0:
            return traceback[start + 1 :].strip()
    lines = traceback.strip().splitlines()
    return lines[-1] if lines else "(no traceback)"


def _fail_on_failed_pages(app: Sphinx, exception: Exception | None) -> None:
    """Name every page whose execution failed and make the build exit non-zero.

    MyST-NB's own warning (type ``mystnb.exec``) could be silenced by ``suppress_warnings``
    and counts only with -W; this error cannot be silenced and fails any build. It reads
    the execution results that MyST-NB keeps in the environment, merged from every reader.
    """
    if exception is not None:
        return
    env = app.env
    failed = sorted(
        (docname, result)
        for docname, result in private_apis.execution_results(env).items()
        if docname in env.found_docs and not result.get("succeeded", True)
    )
    if not failed:
        return
    for docname, result in failed:
        message = _exception_message(result.get("traceback") or "")
        _logger.error("page failed to run: %s", message, location=docname)
    _logger.error("%d page(s) failed to run: %s", len(failed), ", ".join(d for d, _ in failed))
    app.statuscode = 1


def setup(app: Sphinx) -> dict[str, bool]:
    private_apis.hide_execution_columns("mtime", "runtime")
    private_apis.use_ipc_kernels()
    if ProofDomain.merge_domaindata is Domain.merge_domaindata:  # until sphinx-proof has one
        app.add_domain(_ParallelProofDomain, override=True)
    app.connect("build-finished", _fail_on_failed_pages)
    return {"parallel_read_safe": True}
