"""Small fixes to the theme's HTML so that every page passes axe-core's checks.

Applied to the written pages when the build finishes:

- the sidebar captions have ``role="heading"`` and now also an ``aria-level``;
- the two side drawers (site navigation, contents of the page) get distinct labels;
- code blocks that can scroll sideways can take the keyboard focus;
- the search page gets the level-one heading every page has;
- the entries of the References page, which docutils marks with the deprecated
  ``doc-biblioentry`` role inside a ``role="list"``, are list items.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

FIXES = (
    (re.compile(r'<p class="caption" role="heading">'), '<p class="caption" role="heading" aria-level="2">'),
    (re.compile(r'<aside class="sidebar-drawer">'), '<aside class="sidebar-drawer" aria-label="The book">'),
    (re.compile(r'<aside class="toc-drawer( no-toc)?">'), r'<aside class="toc-drawer\1" aria-label="On this page">'),
    (re.compile(r"<pre(?![^>]*tabindex)"), '<pre tabindex="0"'),
    (re.compile(r'role="doc-biblioentry"'), 'role="listitem"'),
)  # fmt: skip


def fix_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in sorted(Path(app.outdir).rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        fixed = text
        for pattern, replacement in FIXES:
            fixed = pattern.sub(replacement, fixed)
        if page.name == "search.html" and "<h1" not in fixed:
            main = '<article role="main" id="furo-main-content">'
            fixed = fixed.replace(main, f"{main}<h1>Search</h1>", 1)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", fix_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
