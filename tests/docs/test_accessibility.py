"""The book's accessibility changes (docs/_ext/accessibility.py and the search template),
on a small project written with Furo as the book is."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import accessibility
from sphinx.testing.util import SphinxTestApp

Build = Callable[..., SphinxTestApp]
TEMPLATES = Path(__file__).resolve().parents[2] / "docs" / "_templates"
CONF = f"""extensions = ["accessibility"]
html_theme = "furo"
templates_path = [{str(TEMPLATES)!r}]
"""
PAGES = {
    "index.rst": """Book
====

.. toctree::
   :caption: The chapters

   sources

A block of code:

.. code-block:: python

   x = 1

A parsed literal, *not* highlighted:

.. parsed-literal::

   y = *2*
""",
    "sources.rst": """Sources
=======

As in [First]_ and [Second]_.

.. [First] The first source.
.. [Second] The second source.
""",
}


def _pages(build_once: Build) -> dict[str, str]:
    outdir = build_once(CONF, PAGES).outdir
    return {page.stem: page.read_text() for page in outdir.glob("*.html")}


def test_captions_of_a_table_of_contents_are_headings_with_a_level(build_once: Build) -> None:
    index = _pages(build_once)["index"]
    captions = re.findall(r"<p [^>]*class=\"caption\"[^>]*>", index)
    assert len(captions) == 2  # in the page and in the navigation drawer
    assert set(captions) == {'<p aria-level="2" class="caption" role="heading">'}


def test_every_code_block_takes_the_keyboard_focus(build_once: Build) -> None:
    index = _pages(build_once)["index"]
    blocks = re.findall(r"<pre[^>]*>", index)
    assert len(blocks) == 2
    assert all('tabindex="0"' in block for block in blocks), blocks
    assert '<pre tabindex="0" class="literal-block">' in blocks


def test_the_entries_of_a_bibliography_are_list_items(build_once: Build) -> None:
    sources = _pages(build_once)["sources"]
    assert sources.count('<div role="list" class="citation-list">') == 1
    assert len(re.findall(r'<div class="citation" id="[^"]+" role="listitem">', sources)) == 2
    assert "doc-biblioentry" not in sources


def test_the_search_page_has_a_level_one_heading(build_once: Build) -> None:
    search = _pages(build_once)["search"]
    assert re.findall(r"<h1[^>]*>.*?</h1>", search) == ["<h1>Search</h1>"]
    assert re.search(r'<article role="main" id="furo-main-content">\s*<h1>Search</h1>', search)


def test_the_two_drawers_of_every_page_are_labelled(build_once: Build) -> None:
    for name, page in _pages(build_once).items():
        asides = re.findall(r"<aside [^>]*>", page)
        assert '<aside class="sidebar-drawer" aria-label="The book">' in asides, name
        assert any('aria-label="On this page"' in aside for aside in asides), name


def test_only_a_finished_html_build_is_changed(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text('<aside class="sidebar-drawer">')
    folders = {"outdir": tmp_path, "doctreedir": tmp_path}
    text = SimpleNamespace(builder=SimpleNamespace(format="text"), **folders)
    html = SimpleNamespace(builder=SimpleNamespace(format="html"), **folders)
    accessibility.label_pages(text, None)
    accessibility.label_pages(html, RuntimeError("the build failed"))
    assert page.read_text() == '<aside class="sidebar-drawer">'
    accessibility.label_pages(html, None)
    assert page.read_text() == '<aside class="sidebar-drawer" aria-label="The book">'


def test_an_svg_declares_its_size_in_css_pixels(tmp_path: Path) -> None:
    svg = tmp_path / "figure.svg"
    svg.write_text(
        '<?xml version="1.0"?>\n<svg width="360pt" height="180pt" viewBox="0 0 360 180">'
    )
    assert accessibility.svg_size(svg) == (480, 240)  # 1 pt = 4/3 px
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">')
    assert accessibility.svg_size(svg) == (100, 50)
    assert accessibility.svg_size(tmp_path / "missing.svg") is None
    png = tmp_path / "figure.png"
    png.write_bytes(b"\x89PNG")
    assert accessibility.svg_size(png) is None
