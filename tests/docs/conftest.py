"""Fixtures for the tests of the book's Sphinx side: ``docs/conf.py`` and ``docs/_ext``.

These need the docs tools (the ``docs`` dependency group); without them the folder is
skipped. Small projects are built in a temporary folder with ``sphinx.testing``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("sphinx")
pytest.importorskip("myst_nb")

import jupyter_client
from myst_nb.ext import execution_tables
from sphinx.testing.util import SphinxTestApp

DOCS = Path(__file__).resolve().parents[2] / "docs"  # its _ext is on sys.path (../conftest.py)

Build = Callable[..., SphinxTestApp]

# sphinx-proof 0.4 reads env.app, which Sphinx 9 deprecates (a warning the build does not
# show): not an error of the book's.
SPHINX_PROOF_ENV_APP = (
    "ignore:'sphinx.environment.BuildEnvironment.app' is deprecated"
    ":sphinx.deprecation.RemovedInSphinx11Warning:sphinx_proof"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.filterwarnings(SPHINX_PROOF_ENV_APP))


@contextlib.contextmanager
def libraries_restored() -> Iterator[None]:
    """Undo, on leaving, what the book's setup changes in its libraries (private_apis)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jupyter_client, "AsyncKernelManager", jupyter_client.AsyncKernelManager)
        patch.setattr(execution_tables, "_key2header", dict(execution_tables._key2header))
        yield


@pytest.fixture(autouse=True)
def _library_state() -> Iterator[None]:
    with libraries_restored():
        yield


@pytest.fixture
def record() -> dict[str, Any]:
    """An engine's record of a two-step derivation with two definitions, as glued."""
    return {
        "kind": "derivation",
        "title": "t",
        "rows": [
            {
                "left": "a",
                "relation": "=",
                "right": "b",
                "justification": "why",
                "method": "symbolic",
            },
            {"left": "", "relation": "=", "right": "c", "justification": "so", "method": "fixed N"},
        ],
        "definitions": ["J = x", "K = y"],
    }


@pytest.fixture(scope="session")
def book_conf() -> ModuleType:
    """The book's ``docs/conf.py``, imported as a module (``book_conf``)."""
    spec = importlib.util.spec_from_file_location("book_conf", DOCS / "conf.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["book_conf"] = module
    spec.loader.exec_module(module)
    return module


# Sphinx adds the suffixes of the extensions to its default source_suffix in place, so a
# project built later in the same process would read .md with the parser of an earlier
# one: each project has a dict of its own.
OWN_SUFFIXES = 'source_suffix = {".rst": "restructuredtext"}\n'


def _build(folder: Path, conf: str, pages: dict[str, str], **options: Any) -> SphinxTestApp:
    """Write the project (``conf.py`` and its pages, by file name) into ``folder/source``
    and build it (as HTML unless ``buildername`` says otherwise) into ``folder/build``, in a
    fresh environment unless told."""
    source = folder / "source"
    source.mkdir(parents=True, exist_ok=True)
    (source / "conf.py").write_text(OWN_SUFFIXES + conf, encoding="utf-8")
    for name, text in pages.items():
        (source / name).write_text(text, encoding="utf-8")
    options.setdefault("freshenv", True)
    builder = options.pop("buildername", "html")
    with libraries_restored():  # the project's setup may be the book's
        app = SphinxTestApp(builder, srcdir=source, builddir=folder / "build", **options)
        try:
            app.build()
        finally:
            app.cleanup()
    return app


@pytest.fixture
def build(tmp_path: Path) -> Build:
    """``build(conf, pages, **options)``: build a small project, return its application."""

    def build(conf: str, pages: dict[str, str], **options: Any) -> SphinxTestApp:
        return _build(tmp_path, conf, pages, **options)

    return build


@pytest.fixture(scope="session")
def build_once(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Like ``build``, but a project built once serves every test that asks for it."""
    built: dict[str, SphinxTestApp] = {}

    def build(conf: str, pages: dict[str, str], **options: Any) -> SphinxTestApp:
        key = repr((conf, sorted(pages.items()), sorted(options.items())))
        if key not in built:
            built[key] = _build(tmp_path_factory.mktemp("project"), conf, pages, **options)
        return built[key]

    return build


NOTEBOOK = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
---
# {title}

```{{code-cell}} ipython3
{code}
```
"""
RUNS = """from ipykernel.connect import get_connection_info

print("transport:", get_connection_info(unpack=True)["transport"])"""
NOTEBOOK_CONF = """import sys

extensions = ["myst_nb", "sphinx_proof"]
nb_execution_mode = "force"
nb_execution_raise_on_error = False
nb_execution_show_tb = True


def setup(app):
    sys.modules["book_conf"].setup(app)
"""
NOTEBOOK_PAGES = {
    "index.md": "# Book\n\n```{toctree}\nruns\nfails\nstatus\n```\n",
    "runs.md": NOTEBOOK.format(title="Runs", code=RUNS),
    "fails.md": NOTEBOOK.format(title="Fails", code="1 / 0"),
    "status.md": "# Status\n\n```{nb-exec-table}\n```\n",
}


@pytest.fixture(scope="session")
def notebook_book(build_once: Build, book_conf: ModuleType) -> SphinxTestApp:
    """A book of three pages under the book's own setup (conf.py's): one page runs, one
    fails, one has the execution table. Built once."""
    assert book_conf.setup  # imported as book_conf, which the project's conf.py calls
    return build_once(NOTEBOOK_CONF, NOTEBOOK_PAGES)
