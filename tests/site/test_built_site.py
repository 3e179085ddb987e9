"""Checks of the built book (``nox -s site`` builds it, then runs these on it).

The site's folder comes from ``GRADAVG_SITE``; without it (a plain test run, before any
build) the module is skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

if "GRADAVG_SITE" not in os.environ:
    pytest.skip("set GRADAVG_SITE to a built book (nox -s site)", allow_module_level=True)

SITE = Path(os.environ["GRADAVG_SITE"])
PAGES = sorted(SITE.glob("*.html"))
ANCHORS = Path(__file__).with_name("published-anchors.txt")
FONTS = Path(__file__).parents[2] / "docs" / "_ext" / "katex" / "fonts"
ID = re.compile(r"""\sid=["']([^"']+)["']""")


def ids(page: Path) -> list[str]:
    return ID.findall(page.read_text())


def test_the_site_was_built() -> None:
    assert (SITE / "index.html").is_file(), f"no built book at {SITE}"
    assert len(PAGES) >= 10


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_every_id_on_a_page_is_unique(page: Path) -> None:
    twice = sorted(name for name, count in Counter(ids(page)).items() if count > 1)
    assert not twice, f"{page.name}: ids used more than once: {twice}"


def test_every_published_anchor_still_exists() -> None:
    """The list only grows: an anchor, once published, must stay."""
    missing = []
    for line in ANCHORS.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            page, anchor = line.split("#", 1)
            if anchor not in ids(SITE / page):
                missing.append(line)
    assert not missing, f"published anchors that disappeared: {missing}"


def test_results_and_proofs_are_linkable() -> None:
    for page in PAGES:
        text = page.read_text()
        for label in re.findall(
            r'class="proof (?:theorem|proposition|lemma|example|remark|corollary|definition)[^"]*" id="([^"]+)"',
            text,
        ):
            assert f'id="{label}-statement"' in text, f"{page.name}: {label} has no statement id"


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_math_is_rendered_when_the_book_is_built(page: Path) -> None:
    """Every formula is KaTeX's HTML already: no error, no math engine loaded."""
    text = page.read_text()
    assert 'class="katex-error"' not in text, f"{page.name}: a formula failed to render"
    scripts = re.findall(r"<script[^>]*src=\"([^\"]+)\"", text)
    engines = [src for src in scripts if re.search(r"mathjax|katex", src, re.IGNORECASE)]
    assert not engines, f"{page.name} loads a math engine: {engines}"


def test_every_internal_link_and_anchor_resolves() -> None:
    """Links between the book's pages point at files and ids that exist."""
    broken = []
    for page in PAGES:
        for href in re.findall(r'<a [^>]*href="([^"#:?]*)(?:#([^"]*))?"', page.read_text()):
            target = SITE / href[0] if href[0] else page
            if href[0] and not target.exists():
                broken.append(f"{page.name} -> {href[0]}")
            elif href[1] and target.suffix == ".html" and href[1] not in ids(target):
                broken.append(f"{page.name} -> {href[0] or page.name}#{href[1]}")
    assert not broken, f"broken links: {sorted(set(broken))[:20]}"


class KatexText(HTMLParser):
    """The text inside each ``katex-html`` span: the characters KaTeX's fonts draw."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.characters: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "span" and (self.depth or "katex-html" in str(dict(attrs).get("class"))):
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.characters.update(data)


def test_math_fonts_keep_every_character_the_pages_draw() -> None:
    """The fonts the site serves are cut to the book's characters; none was cut too far."""
    parser = KatexText()
    for page in PAGES:
        parser.feed(page.read_text())
    characters = parser.characters
    assert {"θ", "∑", "∂", "σ"} <= characters  # the formulas were found
    for original in sorted(FONTS.glob("*.woff2")):
        served = SITE / "_static" / "katex" / "fonts" / original.name
        before = set(map(chr, TTFont(original).getBestCmap()))
        after = set(map(chr, TTFont(served).getBestCmap()))
        assert before & characters <= after, (
            f"{original.name} lost {sorted(before & characters - after)}"
        )
        assert served.stat().st_size < original.stat().st_size, f"{original.name} was not cut"


def test_the_sitemap_lists_every_page() -> None:
    """After any build, fresh or incremental, the sitemap has every page, sorted."""
    from xml.etree import ElementTree

    xml = ElementTree.parse(SITE / "sitemap.xml")
    locs = [e.text or "" for e in xml.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs == sorted(locs)
    listed = {loc.rsplit("/", 1)[-1] for loc in locs}
    pages = {p.name for p in SITE.glob("*.html")} - {
        "genindex.html",
        "search.html",
        "py-modindex.html",
        "prf-prf.html",
    }
    assert pages <= listed, f"missing from the sitemap: {sorted(pages - listed)}"


def test_every_stylesheet_is_linked_with_its_checksum() -> None:
    """Sphinx's ``?v=`` makes a browser fetch a changed stylesheet again: on every page,
    fresh build or not (MyST-NB and sphinx-proof copy theirs late, _ext/stylesheets.py)."""
    unversioned = sorted(
        f"{page.relative_to(SITE)}: {href}"
        for page in SITE.rglob("*.html")
        for tag in re.findall(r"<link\b[^>]*>", page.read_text())
        if re.search(r"""rel=["']?stylesheet""", tag)
        for href in re.findall(r"""href=["']([^"']+)["']""", tag)
        if "?v=" not in href
    )
    assert not unversioned, f"stylesheets linked without a checksum: {unversioned[:10]}"


VNU_JAR = Path(
    os.environ.get("VNU_JAR", "/tmp/gradavg-vnu/node_modules/vnu-jar/build/dist/vnu.jar")
)


def test_the_nu_html_checker_finds_no_error() -> None:
    """Every page is valid HTML (vnu.jar: npm's vnu-jar, run by Java; CI installs both)."""
    if not (VNU_JAR.is_file() and shutil.which("java")):
        if os.environ.get("CI"):
            pytest.fail(f"no Nu HTML Checker: java and {VNU_JAR} (npm install vnu-jar)")
        pytest.skip(f"no Nu HTML Checker at {VNU_JAR}, or no java")
    checked = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "gnu", *map(str, PAGES)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    errors = [line.replace(str(SITE) + "/", "") for line in checked.stderr.splitlines()]
    assert checked.returncode == 0, f"{len(errors)} errors:\n" + "\n".join(errors[:40])


def test_every_page_has_a_description() -> None:
    """A meta description on every page, Sphinx's own included (Lighthouse, search engines)."""
    for page in PAGES:
        found = re.search(r'<meta name="description" content="([^"]+)"', page.read_text())
        assert found, f"{page.name} has no meta description"


def test_every_figure_has_its_size_and_loads_lazily() -> None:
    """Each figure's <img> declares width and height (no shift as the page loads) and
    loads lazily."""
    for page in PAGES:
        for tag in re.findall(r'<img [^>]*src="_images/[^>]*>', page.read_text()):
            assert re.search(r'\swidth="\d+" height="\d+" loading="lazy"', tag), (
                page.name,
                tag[:120],
            )


STYLESHEET = re.compile(r"""<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"?]+)""")
CSS_URL = re.compile(r"""url\((['"]?)(?![a-z]+:|#)([^'")]+)\1\)""")


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_every_page_links_one_stylesheet(page: Path) -> None:
    """One render-blocking request for the styles: the bundle of them all."""
    assert STYLESHEET.findall(page.read_text()) == ["_static/bundle.css"]


def test_the_bundle_holds_every_stylesheet_and_its_references_resolve() -> None:
    bundle = SITE / "_static" / "bundle.css"
    css = bundle.read_text()
    for name in ("styles/furo.css", "pygments.css", "katex/katex.min.css", "book.css"):
        assert f"/* {name} */" in css
    pygments = css.split("/* pygments.css */", 1)[1].split("\n/* ", 1)[0]
    assert "@media not print" in pygments  # Furo's light and dark styles, not Sphinx's file
    missing = {ref for _, ref in CSS_URL.findall(css) if not (bundle.parent / ref).is_file()}
    assert not missing, f"bundle.css refers to files that are not there: {sorted(missing)}"


def test_no_code_cell_shows_a_formula_of_its_own() -> None:
    """A verified result appears where the prose glues it; a cell that ends in a bare
    ``page.inequality(…)`` would show it a second time, under its code."""
    shown = [
        page.name
        for page in PAGES
        if re.search(
            r'<div class="cell_output[^"]*">\s*<div class="math-wrapper output', page.read_text()
        )
    ]
    assert not shown, f"code cells display formulas on {shown}"
