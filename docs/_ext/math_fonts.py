"""KaTeX's fonts, cut to the characters the book's formulas draw, and preloaded where used.

The formulas are drawn in KaTeX's own fonts (``_ext/katex/fonts``). When the build
finishes, the characters inside every page's ``katex-html`` are collected, and each font
is written to ``_static/katex/fonts`` holding those characters only (fontTools), which
takes the fonts a page needs from about 60 KB to a fraction of that. The same characters
give the same bytes, so two builds stay identical, and an unchanged set skips the work.
Each page's characters are kept (in the doctrees folder) with the page's size and time,
so a rebuild reads only the pages it wrote; fontTools is imported only to cut fonts.

A page with math before its first subsection also asks for its main fonts at once
(``<link rel="preload">``), so its text is laid out in them from the start rather than
shifting when they arrive. Math further down needs no preload: book.css lays those
subsections out only when they come into view, so a preloaded font would go unused.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

FONTS = Path(__file__).with_name("katex") / "fonts"
WRITTEN = Path("_static") / "katex" / "fonts"
RECORD = ".characters"  # the characters the written fonts hold
PAGES_RECORD = "math-font-characters.json"  # in the doctrees: page -> [size, time, characters]
PRELOADS = {  # a mark in the page's HTML -> the font it needs from the start
    'class="katex"': "KaTeX_Main-Regular.woff2",
    "mathnormal": "KaTeX_Math-Italic.woff2",
}


_DRAWN = re.compile(r'<span class="katex-html"')
_SPAN = re.compile(r"<(/?)span\b")
_TAG = re.compile(r"<[^>]*>")


def page_characters(text: str) -> str:
    """Every character KaTeX draws on a page (the text of each ``katex-html`` span),
    sorted, once each."""
    characters: set[str] = set()
    for drawn in _DRAWN.finditer(text):
        depth = 0
        for span in _SPAN.finditer(text, drawn.start()):
            depth += -1 if span[1] else 1
            if depth == 0:
                break
        characters.update(html.unescape(_TAG.sub("", text[drawn.start() : span.start()])))
    return "".join(sorted(characters - {"\n"}))


def drawn_characters(pages: Iterable[Path], known: dict[str, list[Any]] | None = None) -> str:
    """Every character KaTeX draws on these pages, sorted, once each.

    ``known`` maps a page's path to ``[size, mtime_ns, characters]`` as last read: a
    page whose size and time are unchanged is not read again; the map is updated."""
    known = {} if known is None else known
    characters: set[str] = set()
    for page in pages:
        stat = os.stat(page)
        key, stamp = str(page), [stat.st_size, stat.st_mtime_ns]
        if known.get(key, [])[:2] != stamp:
            known[key] = [*stamp, page_characters(page.read_text(encoding="utf-8"))]
        characters.update(known[key][2])
    return "".join(sorted(characters))


def write_subset(source: Path, target: Path, characters: str) -> None:
    """``source`` holding only ``characters``, as WOFF2, with no build timestamp."""
    from fontTools import subset  # noqa: PLC0415 - half a second, only when fonts are cut
    from fontTools.ttLib import TTFont  # noqa: PLC0415

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
    pages_record = Path(app.doctreedir) / PAGES_RECORD
    try:
        known = json.loads(pages_record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    pages = sorted(outdir.rglob("*.html"))
    characters = drawn_characters(pages, known)
    pages_record.write_text(
        json.dumps({str(p): known[str(p)] for p in pages}, ensure_ascii=False), encoding="utf-8"
    )
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
    app.connect("build-finished", write_fonts, priority=600)  # after accessibility's fixes
    return {"parallel_read_safe": True, "parallel_write_safe": True}
