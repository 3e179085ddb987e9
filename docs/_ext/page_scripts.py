"""Scripts that only some pages need, linked only from the pages that use them.

A page gets ``gap-explorer.js`` when its body holds the figure to play with
(``gradavg.chapters.sigmoid.gap_explorer``); every other page loads nothing for it.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

# A marker in a page's body, and the script (in _static) that the page then needs.
SCRIPTS = {'class="gap-explorer"': "gap-explorer.js"}


def add_page_scripts(
    app: Sphinx, _pagename: str, _template: str, context: dict[str, Any], _doctree: object
) -> None:
    body = context.get("body", "")
    for marker, script in SCRIPTS.items():
        if marker in body:
            app.add_js_file(script, loading_method="defer")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", add_page_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
