"""A meta description and Open Graph tags on every page (docs/_ext/meta.py)."""

from __future__ import annotations

import re
from collections.abc import Callable

import meta
from docutils import nodes
from docutils.core import publish_doctree
from sphinx.testing.util import SphinxTestApp

Build = Callable[..., SphinxTestApp]


def _doctree(source: str) -> nodes.document:
    return publish_doctree(source, settings_overrides={"report_level": 5})


def test_the_description_is_the_first_paragraph_on_one_line() -> None:
    doctree = _doctree("Title\n=====\n\nThe *first*\nparagraph.\n\nThe second.\n")
    assert meta.description(doctree) == "The first paragraph."


def test_the_notebook_link_is_not_the_description() -> None:
    doctree = _doctree("Title\n=====\n\nDownload.\n\nThe text.\n")
    next(iter(doctree.findall(nodes.paragraph)))["classes"].append("notebook-download")
    assert meta.description(doctree) == "The text."


def test_a_long_description_is_cut_at_a_word() -> None:
    words = " ".join(f"word{n}" for n in range(60))
    text = meta.description(_doctree(words))
    assert text.endswith("…")
    assert len(text) <= meta.LENGTH + 1
    assert text[:-1] in words
    assert words[len(text) - 1] == " "  # the cut falls between two words


def test_a_page_without_a_paragraph_has_no_description() -> None:
    assert meta.description(_doctree("Title\n=====\n")) == ""


CONF = """extensions = ["meta"]
project = "A & B"
html_baseurl = "https://example.org/book/"
"""
PAGES = {
    "index.rst": "Sums & means\n============\n\nThe gradient of a <mean> & more.\n",
}


def _tags(html: str) -> dict[str, str]:
    found = re.findall(r'<meta (name|property)="([^"]+)" content="([^"]*)" />', html)
    return {key: value for _kind, key, value in found if key != "viewport"}  # the theme's


def test_every_page_has_its_description_title_and_address(build_once: Build) -> None:
    app = build_once(CONF, PAGES)
    tags = _tags((app.outdir / "index.html").read_text())
    assert tags == {
        "description": "The gradient of a &lt;mean&gt; &amp; more.",
        "og:title": "Sums &amp; means",  # escaped once, as Sphinx gives the title escaped
        "og:type": "website",
        "og:url": "https://example.org/book/index.html",
        "og:site_name": "A &amp; B",
        "og:description": "The gradient of a &lt;mean&gt; &amp; more.",
    }


def test_a_generated_page_is_described_in_words_of_its_own(build_once: Build) -> None:
    """Sphinx's index and search pages have no paragraph of the book's: they get one each."""
    app = build_once(CONF, PAGES)
    for page in ("genindex", "search"):
        tags = _tags((app.outdir / f"{page}.html").read_text())
        assert tags["description"] == meta.GENERATED[page]
        assert tags["og:url"] == f"https://example.org/book/{page}.html"
