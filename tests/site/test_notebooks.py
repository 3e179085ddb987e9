"""Every notebook the book offers for download runs, in a fresh kernel, outside the book.

Run by ``nox -s site`` on the built book (``GRADAVG_SITE``); skipped otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

if "GRADAVG_SITE" not in os.environ:
    pytest.skip("set GRADAVG_SITE to a built book (nox -s site)", allow_module_level=True)

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted(Path(os.environ["GRADAVG_SITE"]).glob("_downloads/*/*.ipynb"))


def test_every_chapter_offers_a_notebook() -> None:
    names = {path.stem for path in NOTEBOOKS}
    assert {"sum-rule", "sigmoid", "network", "accumulation"} <= names, names


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_the_notebook_runs(notebook: Path, tmp_path: Path) -> None:
    """Executed where a reader would save it: an empty folder, with the package installed."""
    document = nbformat.read(notebook, as_version=4)
    client = nbclient.NotebookClient(
        document, timeout=600, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    outputs = [output for cell in document.cells for output in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
