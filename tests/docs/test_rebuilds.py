"""Rebuilds that stay right and read only what changed (docs/_ext): the search index of
incremental builds, the characters each page draws, the drawers' labels."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import accessibility
import math_fonts
import pytest
import search_index

EXTENSIONS = Path(__file__).resolve().parents[2] / "docs" / "_ext"

# --- the search index of incremental builds ---------------------------------------------
PAGES = {
    "index": "Book\n====\n\n.. toctree::\n\n   alpha\n   beta\n",
    "alpha": "Alpha\n=====\n\n.. index:: single: Gradient; of the mean\n\nThe alpha page.\n",
    "beta": "Beta\n====\n\n.. index:: pair: batch; mean\n\nThe beta page says hello.\n",
}


def _project(root: Path) -> Path:
    source = root / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(EXTENSIONS)!r})\nextensions = ['search_index']\n"
    )
    for name, text in PAGES.items():
        (source / f"{name}.rst").write_text(text)
    return source


def _build(source: Path, out: Path) -> dict[str, Any]:
    """Build ``source`` into ``out`` (incrementally if built there before); the index."""
    from sphinx.application import Sphinx

    app = Sphinx(source, source, out / "html", out / "doctrees", "html", status=None,
                 warning=io.StringIO())  # fmt: skip
    app.build()
    text = (out / "html" / "searchindex.js").read_text()
    return dict(json.loads(text[len("Search.setIndex(") : -1]))


def _edit(page: Path, text: str) -> None:
    """Write ``text`` to ``page``, dated after its last build."""
    page.write_text(text)
    later = page.stat().st_mtime + 10
    os.utime(page, (later, later))


def test_incremental_builds_keep_every_index_entry(tmp_path: Path) -> None:
    """A no-op rebuild and a one-page edit (and its revert) write the fresh build's
    index: IndexBuilder's private records (search_index.ENTRIES, WORDS) still work."""
    source = _project(tmp_path)
    fresh = _build(source, tmp_path / "out")
    assert {"gradient", "batch", "mean"} <= set(fresh["indexentries"])
    assert _build(source, tmp_path / "out") == fresh  # nothing changed

    beta = source / "beta.rst"
    _edit(beta, PAGES["beta"].replace("hello", "goodbye"))
    edited = _build(source, tmp_path / "out")
    assert edited["indexentries"] == fresh["indexentries"]
    assert "goodby" in edited["terms"]
    _edit(beta, PAGES["beta"])
    assert _build(source, tmp_path / "out") == fresh  # "goodby" is gone, not an empty entry


def test_a_removed_page_takes_its_entries_with_it(tmp_path: Path) -> None:
    source = _project(tmp_path)
    _build(source, tmp_path / "out")
    (source / "beta.rst").unlink()
    _edit(source / "index.rst", PAGES["index"].replace("   beta\n", ""))
    index = _build(source, tmp_path / "out")
    assert "batch" not in index["indexentries"]
    assert "gradient" in index["indexentries"]


def test_entries_read_back_freeze_to_the_same_lists() -> None:
    frozen = {
        "docnames": ["a", "b"],
        "indexentries": {"mean": [[0, "id1", True], [1, "id2", False]], "sum": [[1, "s", False]]},
    }
    assert search_index.entries_from_frozen(frozen) == {
        "a": [("mean", "id1", "main")],
        "b": [("mean", "id2", ""), ("sum", "s", "")],
    }
    entries = {"b": [("x", "", "")], "gone": [("y", "", "")], "a": [("z", "", "")]}
    assert list(search_index.kept_in_order(entries, ["a", "b"])) == ["a", "b"]


# --- rebuilds read only the pages they wrote -----------------------------------------------
def test_drawn_characters_reads_a_page_again_only_when_it_changed(tmp_path: Path) -> None:
    fonts = math_fonts
    page = tmp_path / "a.html"
    page.write_text('<span class="katex-html"><span>x+y</span></span> z')
    known: dict[str, list[object]] = {}
    assert fonts.drawn_characters([page], known) == "+xy"
    known[str(page)][2] = "q"  # what the record says the page draws
    assert fonts.drawn_characters([page], known) == "q"  # unchanged: not read again
    page.write_text('<span class="katex-html">σ</span>')
    assert fonts.drawn_characters([page], known) == "σ"


def test_the_drawers_are_labelled_only_on_pages_written_since(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, doctrees = tmp_path / "html", tmp_path / "doctrees"
    out.mkdir()
    doctrees.mkdir()
    page = out / "a.html"
    page.write_text('<aside class="sidebar-drawer">x</aside>')
    app = SimpleNamespace(outdir=out, doctreedir=doctrees, builder=SimpleNamespace(format="html"))
    accessibility.label_pages(app, None)
    labelled = page.read_text()
    assert 'aria-label="' in labelled
    reads: list[Path] = []
    read_text = Path.read_text

    def spy(self: Path, *args: Any, **kwargs: Any) -> str:
        reads.append(self)
        return read_text(self, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Path, "read_text", spy)
        accessibility.label_pages(app, None)  # nothing written since
    assert page not in reads
    page.write_text('<aside class="sidebar-drawer">y</aside>')
    later = page.stat().st_mtime + 10
    os.utime(page, (later, later))
    accessibility.label_pages(app, None)
    assert 'aria-label="' in page.read_text()
