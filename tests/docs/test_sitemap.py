"""``sitemap.xml`` from the book's own extension (docs/_ext/sitemap.py)."""

from __future__ import annotations

from collections.abc import Callable
from xml.etree import ElementTree

import sitemap
from sphinx.testing.util import SphinxTestApp

Build = Callable[..., SphinxTestApp]


def _locations(xml: bytes) -> list[str | None]:
    return [e.text for e in ElementTree.fromstring(xml).iter(f"{{{sitemap.NAMESPACE}}}loc")]


def test_every_page_is_listed_once_in_sorted_order() -> None:
    xml = sitemap.sitemap_xml("https://example.org/book", ["sum-rule", "index", "api", "index"])
    assert _locations(xml) == [
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


def test_the_suffix_follows_the_builder() -> None:
    assert _locations(sitemap.sitemap_xml("https://x", ["a"], ".htm")) == ["https://x/a.htm"]


PAGES = {
    "index.rst": "Book\n====\n\n.. toctree::\n\n   chapter\n",
    "chapter.rst": "Chapter\n=======\n",
    "orphan.rst": ":orphan:\n\nOrphan\n======\n",
}


def test_a_build_lists_every_document(build: Build) -> None:
    conf = 'extensions = ["sitemap"]\nhtml_baseurl = "https://example.org/book/"\n'
    app = build(conf, PAGES)
    assert _locations((app.outdir / "sitemap.xml").read_bytes()) == [
        "https://example.org/book/chapter.html",
        "https://example.org/book/index.html",
        "https://example.org/book/orphan.html",
    ]


def test_a_book_without_an_address_has_no_sitemap(build: Build) -> None:
    app = build('extensions = ["sitemap"]\n', PAGES)
    assert not (app.outdir / "sitemap.xml").exists()


def test_an_incremental_build_still_lists_every_document(build: Build) -> None:
    conf = 'extensions = ["sitemap"]\nhtml_baseurl = "https://example.org/book/"\n'
    build(conf, PAGES)
    app = build(conf, {"chapter.rst": "Chapter\n=======\n\nChanged.\n"}, freshenv=False)
    assert len(_locations((app.outdir / "sitemap.xml").read_bytes())) == 3
