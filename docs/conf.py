"""Sphinx configuration for *The Gradient of the Average*."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import jupyter_client
from traitlets import CaselessStrEnum, default

import gradavg

project = "The Gradient of the Average"
author = "The Gradient of the Average contributors"
copyright = "2026, The Gradient of the Average contributors"
release = version = gradavg.__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx_copybutton",
    "sphinx_design",
    "sphinx_proof",
]
exclude_patterns = ["_build", "_static", "**.ipynb_checkpoints", "jupyter_execute"]

# A reference that does not resolve is an error: the build runs with -n -W.
nitpicky = True

# --- MyST and notebook execution ---------------------------------------------------
myst_enable_extensions = ["amsmath", "colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3
# Every page runs on every build: jupyter-cache keys on cell source only, so a cached
# page would not notice a change in src/. NB_EXECUTION_MODE=off is for timing only.
nb_execution_mode = os.environ.get("NB_EXECUTION_MODE", "force")
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 600
nb_merge_streams = True


# Pages run in a kernel that talks to the build over local IPC sockets instead of TCP:
# the build then needs no network interface at all (not even loopback), and no port
# is opened. nbclient asks jupyter_client for AsyncKernelManager when it starts a kernel.
class _IPCKernelManager(jupyter_client.AsyncKernelManager):  # type: ignore[misc]
    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    @default("ip")
    def _socket_path(self) -> str:
        # An absolute path: the kernel runs in the page's folder, the build elsewhere.
        return os.path.join(_KERNEL_SOCKETS.name, "kernel")

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        # Plain tracebacks: a failed step reads cleanly in a build log.
        return [*super().format_kernel_cmd(extra_arguments), "--colors=nocolor"]


_KERNEL_SOCKETS = tempfile.TemporaryDirectory(prefix="gradavg-kernels-")


jupyter_client.AsyncKernelManager = _IPCKernelManager

# No widget pages: keep MyST-NB from adding the widget scripts it would load remotely.
nb_ipywidgets_js: dict[str, dict[str, str]] = {}

# --- math, offline -------------------------------------------------------------------
# A vendored MathJax (docs/_static/mathjax): no page loads a script from a CDN.
mathjax_path = "mathjax/tex-chtml-full.js"

# --- API reference -------------------------------------------------------------------
autodoc_typehints = "none"  # types are described in the numpydoc sections
autodoc_member_order = "bysource"
napoleon_google_docstring = False
napoleon_use_param = False
napoleon_use_rtype = False

# --- sphinx-proof --------------------------------------------------------------------
proof_minimal_theme = True

# --- HTML ----------------------------------------------------------------------------
html_theme = "furo"
html_title = project
html_static_path = ["_static"]
html_css_files = ["book.css"]
html_copy_source = False
# Read the Docs sets the canonical address of the published book.
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL", "")
copybutton_exclude = ".linenos, .gp, .go"


# --- pages depend on the package -----------------------------------------------------
PACKAGE = Path(gradavg.__file__).parent


def _depend_on_package(app: object, _doctree: object) -> None:
    """Every page runs or documents gradavg: re-read (and so re-run) it when gradavg changes."""
    env = app.env  # type: ignore[attr-defined]
    for module in sorted(PACKAGE.rglob("*.py")):
        env.note_dependency(str(module))


def setup(app: object) -> dict[str, bool]:
    app.connect("doctree-read", _depend_on_package)  # type: ignore[attr-defined]
    return {"parallel_read_safe": True}
