"""Run the repository's search queries through a built book's own search, in Chromium.

Usage (after ``nox -s docs``; Chromium from Debian, playwright from ``--group site``)::

    python benchmarks/bench_search.py [--site docs/_build/html] [--from-disk]

Each query of ``tests/site/search-queries.toml`` is typed into the book's search page
(``search.html?q=…``, served from loopback, or opened from disk with ``--from-disk``);
the script prints, per query, the rank of the answering anchor among the hits (and of
its page, for a search that only returns pages), then the share of queries answered
first and in the top three, against the targets of the browser test
(tests/site/test_search.py): 70 % and 90 %. It reads the links of any Sphinx search
page, so it measures an older build of the book the same way.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import sys
import threading
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "tests" / "site" / "search-queries.toml"
FIRST, TOP_THREE = 0.70, 0.90
# The hit links: the book's search marks its list done; Sphinx's prints a summary at the end.
DONE = """() => document.querySelector("#search-results")?.dataset.state === "done"
  || /finished|did not match/i.test(document.querySelector(".search-summary")?.textContent ?? "")"""
LINKS = "#search-results li > a:first-child"


@dataclass(frozen=True)
class Query:
    text: str
    answer: str  # page.html#anchor


@dataclass(frozen=True)
class Ranked:
    query: Query
    hits: tuple[str, ...]

    @property
    def rank(self) -> int | None:
        """1 for the first hit; None when the answering anchor is not among the hits."""
        return self.hits.index(self.query.answer) + 1 if self.query.answer in self.hits else None

    @property
    def page_rank(self) -> int | None:
        pages = [hit.split("#")[0] for hit in self.hits]
        page = self.query.answer.split("#")[0]
        return pages.index(page) + 1 if page in pages else None


def queries(path: Path = QUERIES) -> list[Query]:
    """The query set, checked: every entry has a text and a page.html#anchor answer."""
    entries = tomllib.loads(path.read_text(encoding="utf-8"))["query"]
    found = []
    for number, entry in enumerate(entries, start=1):
        text, answer = entry.get("text", "").strip(), entry.get("answer", "")
        if not text or ".html#" not in answer:
            raise ValueError(f"{path.name}, query {number}: needs a text and a page.html#anchor")
        found.append(Query(text, answer))
    return found


def _relative(href: str) -> str:
    """A hit's link relative to the book's root, as the query set writes it."""
    parts = urlsplit(href)
    path = parts.path.rsplit("/", 1)[-1] if parts.scheme else parts.path.removeprefix("./")
    return f"{path}#{parts.fragment}" if parts.fragment else path


def run(page: Any, base: str, query: Query) -> Ranked:
    """Type one query into the search page at ``base`` and read the links of its hits."""
    page.goto(f"{base}/search.html?q={quote(query.text)}")
    page.wait_for_function(DONE, timeout=20_000)
    hrefs = page.eval_on_selector_all(LINKS, "links => links.map(a => a.getAttribute('href'))")
    return Ranked(query, tuple(_relative(href) for href in hrefs))


class SearchFailed(RuntimeError):
    """The search page raised an error, or never finished."""


def run_all(browser: Any, base: str, query_set: list[Query]) -> list[Ranked]:
    """Every query in one tab; a page that fails raises SearchFailed with its own error."""
    from playwright.sync_api import Error  # noqa: PLC0415  (the query set is read without it)

    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        ranked = []
        for query in query_set:
            try:
                ranked.append(run(page, base, query))
            except Error as error:  # a timeout, most likely: say what the page raised
                raise SearchFailed(f"{query.text!r}: {'; '.join(errors) or error}") from None
        return ranked
    finally:
        page.close()


def rates(ranked: list[Ranked]) -> tuple[float, float]:
    """The share of queries answered first, and among the first three hits."""
    first = sum(r.rank == 1 for r in ranked) / len(ranked)
    top_three = sum(r.rank is not None and r.rank <= 3 for r in ranked) / len(ranked)
    return first, top_three


def report(ranked: list[Ranked]) -> str:
    lines = [f"{'rank':>4} {'page':>4}  query -> answer"]
    for r in ranked:
        rank = "-" if r.rank is None else str(r.rank)
        page = "-" if r.page_rank is None else str(r.page_rank)
        lines.append(f"{rank:>4} {page:>4}  {r.query.text!r} -> {r.query.answer}")
    first, top_three = rates(ranked)
    page_first = sum(r.page_rank == 1 for r in ranked) / len(ranked)
    page_top = sum(r.page_rank is not None and r.page_rank <= 3 for r in ranked) / len(ranked)
    lines.append(f"its page first: {page_first:.0%}; in the top three: {page_top:.0%}")
    lines.append(
        f"answer first: {first:.0%} (target {FIRST:.0%}); "
        f"in the top three: {top_three:.0%} (target {TOP_THREE:.0%}); "
        f"no hit at all: {sum(not r.hits for r in ranked)} of {len(ranked)}"
    )
    return "\n".join(lines)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request would bury the report


class QuietServer(http.server.ThreadingHTTPServer):
    """Says nothing when the browser leaves a page before a file has been sent."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """The built book served on a free loopback port."""
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "docs" / "_build" / "html")
    parser.add_argument("--from-disk", action="store_true", help="open file:// pages")
    args = parser.parse_args()
    if not (args.site / "search.html").exists():
        parser.error(f"no built book at {args.site} (run nox -s docs)")
    from playwright.sync_api import sync_playwright  # noqa: PLC0415  (after the usage check)

    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        if args.from_disk:
            ranked = run_all(browser, args.site.resolve().as_uri(), queries())
        else:
            with served(args.site) as base:
                ranked = run_all(browser, base, queries())
        browser.close()
    print(report(ranked))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
