"""Small fixes to the theme's HTML so that every page passes axe-core's checks.

Applied to the written pages when the build finishes:

- the sidebar captions have ``role="heading"`` and now also an ``aria-level``;
- the two side drawers (site navigation, contents of the page) get distinct labels;
- code blocks that can scroll sideways can take the keyboard focus;
- the search page gets the level-one heading every page has;
- the entries of the References page, which docutils marks with the deprecated
  ``doc-biblioentry`` role inside a ``role="list"``, are list items.

A page fixed before, whose size and time are unchanged since, is not read again (the
record is kept in the doctrees folder).
"""

from __future__ import annotations

import json
import os
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


RECORD = "accessibility-fixed.json"  # in the doctrees: page -> [size, mtime_ns] once fixed


def fix(text: str, name: str) -> str:
    """A page's HTML with the fixes applied (``name``: the file's name)."""
    for pattern, replacement in FIXES:
        text = pattern.sub(replacement, text)
    if name == "search.html" and "<h1" not in text:
        main = '<article role="main" id="furo-main-content">'
        text = text.replace(main, f"{main}<h1>Search</h1>", 1)
    return text


def _stamp(page: Path) -> list[int]:
    stat = os.stat(page)
    return [stat.st_size, stat.st_mtime_ns]


def fix_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    record = Path(app.doctreedir) / RECORD
    try:
        fixed_before = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        fixed_before = {}
    stamps = {}
    for page in sorted(Path(app.outdir).rglob("*.html")):
        if fixed_before.get(str(page)) != _stamp(page):
            text = page.read_text(encoding="utf-8")
            fixed = fix(text, page.name)
            if fixed != text:
                page.write_text(fixed, encoding="utf-8")
        stamps[str(page)] = _stamp(page)
    record.write_text(json.dumps(stamps), encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", fix_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
