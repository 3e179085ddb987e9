"""KaTeX's fonts, cut to the characters the book's formulas draw, and preloaded where used.

The formulas are drawn in KaTeX's own fonts (``_ext/katex/fonts``). When the build
finishes, the characters inside every page's ``katex-html`` are collected, and each font
is written to ``_static/katex/fonts`` holding those characters only (fontTools), which
takes the fonts a page needs from about 60 KB to a fraction of that. The same characters
give the same bytes, so two builds stay identical, and an unchanged set skips the work.

A page with math before its first subsection also asks for its main fonts at once
(``<link rel="preload">``), so its text is laid out in them from the start rather than
shifting when they arrive. Math further down needs no preload: book.css lays those
subsections out only when they come into view, so a preloaded font would go unused.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from fontTools import subset
from fontTools.ttLib import TTFont
from sphinx.application import Sphinx

FONTS = Path(__file__).with_name("katex") / "fonts"
WRITTEN = Path("_static") / "katex" / "fonts"
RECORD = ".characters"  # the characters the written fonts hold
PRELOADS = {  # a mark in the page's HTML -> the font it needs from the start
    'class="katex"': "KaTeX_Main-Regular.woff2",
    "mathnormal": "KaTeX_Math-Italic.woff2",
}


_DRAWN = re.compile(r'<span class="katex-html"')
_SPAN = re.compile(r"<(/?)span\b")
_TAG = re.compile(r"<[^>]*>")


def drawn_characters(pages: list[Path]) -> str:
    """Every character KaTeX draws on these pages (the text of each ``katex-html`` span),
    sorted, once each."""
    characters: set[str] = set()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for drawn in _DRAWN.finditer(text):
            depth = 0
            for span in _SPAN.finditer(text, drawn.start()):
                depth += -1 if span[1] else 1
                if depth == 0:
                    break
            characters.update(html.unescape(_TAG.sub("", text[drawn.start() : span.start()])))
    return "".join(sorted(characters - {"\n"}))


def write_subset(source: Path, target: Path, characters: str) -> None:
    """``source`` holding only ``characters``, as WOFF2, with no build timestamp."""
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False  # a fifth of the bytes; browsers draw these sizes unhinted
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(target, reorderTables=False)


def write_fonts(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    characters = drawn_characters(sorted(outdir.rglob("*.html")))
    written = outdir / WRITTEN
    record = written / RECORD
    fonts = sorted(FONTS.glob("*.woff2"))
    if (
        record.exists()
        and record.read_text(encoding="utf-8") == characters
        and all((written / font.name).exists() for font in fonts)
    ):
        return
    written.mkdir(parents=True, exist_ok=True)
    for font in fonts:
        write_subset(font, written / font.name, characters)
    record.write_text(characters, encoding="utf-8")


def first_screen(body: str) -> str:
    """A page's HTML up to its first subsection: the part that is always laid out."""
    return "<section".join(body.split("<section", 2)[:2])


def add_preloads(
    _app: Sphinx, _pagename: str, _template: str, context: dict[str, Any], _doctree: Any
) -> None:
    body = first_screen(context.get("body", ""))
    links = [
        f'<link rel="preload" href="{context["pathto"](str(WRITTEN / font), 1)}" '
        'as="font" type="font/woff2" crossorigin />'
        for mark, font in PRELOADS.items()
        if mark in body
    ]
    if links:
        context["metatags"] = context.get("metatags", "") + "\n".join(links) + "\n"


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", add_preloads)
    app.connect("build-finished", write_fonts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
