"""The whole book as a PDF: the single-page HTML build, printed by chromium.

``sphinx-build -b singlehtml`` writes every chapter into one ``index.html``, its links
turned into links within that page; when that build ends, this extension opens the page
in Debian's chromium (``CHROMIUM``, default ``/usr/bin/chromium``) through playwright and
prints it with the book's print stylesheet (book.css): A4, a table of contents before
the first chapter, each chapter from a new page, the page number in each footer, the
headings as the PDF's outline. The same KaTeX math, derivation grids, figures
and equation numbers as the site, because it is the site's HTML.

Chromium, not LaTeX: the pages are HTML with server-side KaTeX and SVG figures, and
Sphinx's LaTeX writer would have to typeset every derivation grid a second way; chromium
is already what the site checks run in.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from private_apis import html_visitors_for_singlehtml
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

PDF = "the-gradient-of-the-average.pdf"
# Before printing: a table of contents, the sidebar's (its links lead within the page),
# ahead of the first chapter.
CONTENTS = """() => {
  const tree = document.querySelector(".sidebar-tree");
  const first = document.querySelector('article span[id^="document-"]');
  if (!tree || !first) throw new Error("no contents or no chapter to print");
  const contents = document.createElement("nav");
  contents.className = "book-contents";
  contents.setAttribute("aria-label", "Contents");
  contents.innerHTML = "<h2>Contents</h2>";
  for (const part of tree.children) contents.appendChild(part.cloneNode(true));
  first.before(contents);
}"""
# In print, every chapter must be laid out: a print rule that hid one (or the whole
# single page) would otherwise give a short PDF and no error.
UNPRINTED_CHAPTERS = """() => [...document.querySelectorAll('span[id^="document-"] + section')]
  .filter((chapter) => chapter.getBoundingClientRect().height < 100)
  .map((chapter) => chapter.previousElementSibling.id.replace("document-", ""))"""
# A4 less the side margins, in CSS pixels (96 to the inch): the width of the printed
# column. The page is laid out for print at this width before it is printed, so that
# wide-formulas.js fits each formula and table to the paper as it is measured there.
SIDE_MM = 16
COLUMN_PX = round((210 - 2 * SIDE_MM) / 25.4 * 96)
FOOTER = (
    '<div style="width: 100%; font-size: 8px; text-align: center; color: #555;">'
    '<span class="title"></span> · <span class="pageNumber"></span>'
    ' / <span class="totalPages"></span></div>'
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *_: object) -> None:
        pass


@contextmanager
def _served(folder: Path) -> Iterator[str]:
    """``folder`` over HTTP on a free loopback port (fonts and scripts load as online)."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def print_pdf(folder: Path, target: Path, chromium: Path) -> None:
    """Print ``folder/index.html`` to ``target``."""
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415 -- only this build needs it
    except ImportError as error:
        raise ExtensionError("the PDF needs playwright (pip install --group site .)") from error
    if not chromium.exists():
        raise ExtensionError(f"the PDF needs chromium at {chromium} (apt-get install chromium)")
    with _served(folder) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": COLUMN_PX, "height": 1000})
        page.goto(f"{base}/index.html", wait_until="load")
        page.evaluate("document.fonts.ready")
        page.evaluate(CONTENTS)
        page.emulate_media(media="print")
        if missing := page.evaluate(UNPRINTED_CHAPTERS):
            browser.close()
            raise ExtensionError(f"the print stylesheet hides chapters: {', '.join(missing)}")
        page.pdf(
            path=str(target),
            format="A4",
            margin={
                "top": "18mm",
                "bottom": "18mm",
                "left": f"{SIDE_MM}mm",
                "right": f"{SIDE_MM}mm",
            },
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=FOOTER,
            outline=True,
            tagged=True,
        )
        browser.close()


def print_book(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name != "singlehtml":
        return
    target = Path(app.outdir, PDF)
    print_pdf(Path(app.outdir), target, Path(os.environ.get("CHROMIUM", "/usr/bin/chromium")))
    logger.info("the book as a PDF: %s (%d bytes)", target, target.stat().st_size)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", html_visitors_for_singlehtml)
    app.connect("build-finished", print_book, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
