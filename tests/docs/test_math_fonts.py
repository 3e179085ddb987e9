"""KaTeX's fonts cut to the drawn characters, and preloaded where the first screen has math
(docs/_ext/math_fonts.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import math_fonts
from fontTools.ttLib import TTFont
from sphinx.testing.util import SphinxTestApp

Build = Callable[..., SphinxTestApp]
MAIN = math_fonts.FONTS / "KaTeX_Main-Regular.woff2"


def test_the_drawn_characters_are_the_text_of_katex_html_spans(tmp_path: Path) -> None:
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    first.write_text(
        '<p>outside</p><span class="katex"><span class="katex-mathml">mathml</span>'
        '<span class="katex-html"><span class="mord">x</span><span>+&lt;\n</span></span>'
        "</span> after"
    )
    second.write_text('<span class="katex-html">y</span><span class="katex-html">x</span>')
    assert math_fonts.drawn_characters([first, second]) == "+<xy"
    assert math_fonts.drawn_characters([tmp_path / "a.html"]) == "+<x"


def test_a_page_without_math_draws_nothing(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_text("<p>x</p>")
    assert math_fonts.drawn_characters([page]) == ""


def _characters(font: Path) -> set[str]:
    return {chr(code) for code in TTFont(font).getBestCmap()}


def test_a_subset_holds_the_characters_only_and_is_the_same_every_time(tmp_path: Path) -> None:
    first, second = tmp_path / "first.woff2", tmp_path / "second.woff2"
    math_fonts.write_subset(MAIN, first, "ab=")
    math_fonts.write_subset(MAIN, second, "ab=")
    assert first.read_bytes()[:4] == b"wOF2"
    assert _characters(first) == {"a", "b", "="}
    assert first.read_bytes() == second.read_bytes()
    assert first.stat().st_size < MAIN.stat().st_size / 4


CONF = 'extensions = ["math_fonts"]\n'
MATH = '<span class="katex"><span class="katex-html">{}</span></span>'


def _page(tex: str) -> dict[str, str]:
    return {"index.rst": f"Math\n====\n\n.. raw:: html\n\n   {MATH.format(tex)}\n"}


def test_a_build_writes_every_font_cut_to_the_books_characters(build: Build) -> None:
    app = build(CONF, _page("x=1"))
    written = app.outdir / math_fonts.WRITTEN
    assert sorted(f.name for f in written.glob("*.woff2")) == sorted(
        f.name for f in math_fonts.FONTS.glob("*.woff2")
    )
    assert (written / math_fonts.RECORD).read_text() == "1=x"
    assert _characters(written / MAIN.name) == {"1", "=", "x"}


def test_a_build_with_the_same_characters_writes_no_font(build: Build) -> None:
    app = build(CONF, _page("x=1"))
    font = app.outdir / math_fonts.WRITTEN / MAIN.name
    font.write_bytes(b"kept")  # not rewritten: the record says the characters are the same
    build(CONF, _page("1=x"), freshenv=True)
    assert font.read_bytes() == b"kept"
    build(CONF, _page("y"), freshenv=True)
    assert _characters(font) == {"y"}


def _preloads(body: str) -> list[str]:
    context: dict[str, Any] = {"body": body, "pathto": lambda name, _resource: f"../{name}"}
    math_fonts.add_preloads(None, "page", "page.html", context, None)
    return [line for line in context.get("metatags", "").splitlines() if line]


def test_preloads_follow_the_math_of_the_first_screen() -> None:
    body = '<section id="a"><p>intro</p><section id="b"><span class="katex"></span></section></section>'
    assert 'class="katex"' not in math_fonts.first_screen(body)
    assert 'class="katex"' in math_fonts.first_screen(body.replace("intro", '<span class="katex">'))
    assert _preloads(body) == []
    upright = '<section><span class="katex"><span class="mord">1</span></span></section>'
    main = "../_static/katex/fonts/KaTeX_Main-Regular.woff2"
    assert _preloads(upright) == [
        f'<link rel="preload" href="{main}" as="font" type="font/woff2" crossorigin />'
    ]
    italic = upright.replace("mord", "mord mathnormal")
    assert [link.split('"')[3].rsplit("/", 1)[1] for link in _preloads(italic)] == [
        "KaTeX_Main-Regular.woff2",
        "KaTeX_Math-Italic.woff2",
    ]


def test_preloads_follow_the_tags_already_there() -> None:
    context: dict[str, Any] = {
        "body": '<span class="katex">',
        "pathto": lambda name, _resource: name,
        "metatags": '<meta name="x" />\n',
    }
    math_fonts.add_preloads(None, "page", "page.html", context, None)
    assert context["metatags"].startswith('<meta name="x" />\n<link rel="preload"')
