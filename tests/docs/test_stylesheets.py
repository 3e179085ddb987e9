"""One stylesheet per page (docs/_ext/stylesheets.py): the theme's and the extensions'
stylesheets joined in order, their relative URLs made to hold from ``_static``."""

from __future__ import annotations

from pathlib import Path

import stylesheets


def test_relative_urls_are_rewritten_from_their_folder() -> None:
    css = "a{src:url(fonts/A.woff2)} b{src:url('../img/b.png')} c{background:url(data:x)}"
    rewritten = stylesheets._from_static(css, "katex/katex.min.css")
    assert "url(katex/fonts/A.woff2)" in rewritten
    assert "url('img/b.png')" in rewritten
    assert "url(data:x)" in rewritten
    assert stylesheets._from_static(css, "book.css") == css  # already in _static


def test_the_bundle_keeps_the_order_and_names_each_part(tmp_path: Path) -> None:
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "theme.css").write_text("body{color:red}")
    (tmp_path / "book.css").write_text("body{color:blue}")
    css = stylesheets.bundled(tmp_path, ["styles/theme.css", "book.css"])
    assert css.index("/* styles/theme.css */") < css.index("red") < css.index("/* book.css */")
    assert css.index("/* book.css */") < css.index("blue")  # the later rule wins, as linked
