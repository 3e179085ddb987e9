"""The book's own Sphinx extensions (docs/_ext): the sitemap and the font preloads."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

pytest.importorskip("sphinx")  # the extension is part of the docs tools, not the package
EXTENSIONS = Path(__file__).parent.parent / "docs" / "_ext"
spec = importlib.util.spec_from_file_location("book_sitemap", EXTENSIONS / "sitemap.py")
assert spec is not None
assert spec.loader is not None
sitemap = importlib.util.module_from_spec(spec)
sys.modules["book_sitemap"] = sitemap
spec.loader.exec_module(sitemap)


def test_every_page_is_listed_once_in_sorted_order() -> None:
    xml = sitemap.sitemap_xml("https://example.org/book", ["sum-rule", "index", "api", "index"])
    locs = [e.text for e in ElementTree.fromstring(xml).iter(f"{{{sitemap.NAMESPACE}}}loc")]
    assert locs == [
        "https://example.org/book/api.html",
        "https://example.org/book/index.html",
        "https://example.org/book/sum-rule.html",
    ]


def test_the_order_of_the_pages_does_not_change_the_bytes() -> None:
    pages = ["b", "a", "c"]
    assert sitemap.sitemap_xml("https://x/", pages) == sitemap.sitemap_xml(
        "https://x/", pages[::-1]
    )
    assert sitemap.sitemap_xml("https://x/", pages).startswith(
        b"<?xml version='1.0' encoding='utf-8'?>"
    )


def test_preloads_follow_the_math_of_the_first_screen() -> None:
    spec = importlib.util.spec_from_file_location("book_math_fonts", EXTENSIONS / "math_fonts.py")
    assert spec is not None
    assert spec.loader is not None
    fonts = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fonts)
    body = '<section id="a"><p>intro</p><section id="b"><span class="katex"></span></section></section>'
    assert 'class="katex"' not in fonts.first_screen(body)
    assert 'class="katex"' in fonts.first_screen(body.replace("intro", '<span class="katex">'))
