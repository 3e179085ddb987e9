"""The book's search in a real browser: it lands on the answer, served and from disk.

Every query of ``search-queries.toml`` is run through the built search page
(benchmarks/bench_search.py prints the same figures with each query's rank).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

if "GRADAVG_SITE" not in os.environ:
    pytest.skip("set GRADAVG_SITE to a built book (nox -s site)", allow_module_level=True)
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
if not CHROMIUM.exists():
    pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("playwright.sync_api")
axe_playwright_python = pytest.importorskip("axe_playwright_python")
AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()

import bench_search  # on the path: conftest.py

SITE = Path(os.environ["GRADAVG_SITE"])
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "docs" / "_ext"))
import search_terms


def test_search_lands_on_the_answer(browser: object, server: str) -> None:
    """The answering anchor is first for 70 % of the queries, in the top three for 90 %,
    and no query's first hit is on an API page."""
    ranked = bench_search.run_all(browser, server, bench_search.queries())
    first, top_three = bench_search.rates(ranked)
    report = bench_search.report(ranked)
    assert first >= bench_search.FIRST, report
    assert top_three >= bench_search.TOP_THREE, report
    apparatus = [r.query.text for r in ranked if r.hits and r.hits[0].startswith("api")]
    assert not apparatus, f"an API page comes first for {apparatus}"


def test_search_works_opened_from_disk(browser: object) -> None:
    """Opened as files, with no server: the same hits, and their links lead to the anchor."""
    queries = bench_search.queries()[:5]
    ranked = bench_search.run_all(browser, SITE.resolve().as_uri(), queries)
    assert all(r.rank == 1 for r in ranked), bench_search.report(ranked)
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{SITE.resolve().as_uri()}/search.html?q={quote(queries[0].text)}")
    page.wait_for_function(bench_search.DONE)
    page.locator(bench_search.LINKS).first.click()
    page.wait_for_load_state()
    landed = page.url.rsplit("/", 1)[-1]
    page.close()
    assert landed == queries[0].answer


def test_the_page_and_the_index_turn_a_query_into_the_same_terms(
    browser: object, server: str
) -> None:
    """The search page's JavaScript and docs/_ext/search_terms.py agree, synonyms and all."""
    texts = [query.text for query in bench_search.queries()]
    texts += ["Normalising per-instance losses", "what is the", "σ′ at 0", "ALL_GATHER", "fp32"]
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{server}/search.html")
    in_browser = page.evaluate("texts => texts.map(window.bookSearch.queryTerms)", texts)
    page.close()
    assert dict(zip(texts, in_browser, strict=True)) == {
        text: search_terms.query_terms(text) for text in texts
    }


def test_every_hit_lands_on_an_anchor_of_its_page() -> None:
    """Each hit's page and anchor exist in the built book."""
    script = (SITE / "_static" / "search-hits.js").read_text(encoding="utf-8")
    data = json.loads(script.removeprefix("window.BOOK_SEARCH = ").rstrip().removesuffix(";"))
    for page, anchor, *_ in data["hits"]:
        uri = data["pages"][page][0]
        html = (SITE / uri).read_text(encoding="utf-8")
        assert not anchor or f'id="{anchor}"' in html, f"{uri}#{anchor}: no such anchor"
    labels = {hit[1] for hit in data["hits"]}
    assert {"thm-sum-rule", "answer-batchnorm", "prop-kinks-relu-rule"} <= labels


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_hits_pass_axe(browser: object, server: str, width: int, scheme: str) -> None:
    """A page of hits: axe-core finds nothing, on a phone and a desktop, light and dark."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{server}/search.html?q={quote('per-sample gradients batchnorm')}")
    page.wait_for_function(bench_search.DONE)
    assert page.locator(bench_search.LINKS).count() > 3
    page.evaluate(AXE)
    violations = page.evaluate("axe.run(document).then(result => result.violations)")
    context.close()
    found = [(v["id"], [n["html"][:80] for n in v["nodes"][:2]]) for v in violations]
    assert not found, f"{width} px, {scheme}: {found}"


def test_a_query_that_matches_nothing_says_so(browser: object, server: str) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{server}/search.html?q=zzzqqq")
    page.wait_for_function(bench_search.DONE)
    summary = page.locator("#search-results .search-summary").text_content()
    count = page.locator(bench_search.LINKS).count()
    page.close()
    assert count == 0
    assert summary == "Nothing in the book matches “zzzqqq”. Try fewer or other words."


def test_a_query_no_place_fully_matches_says_so(browser: object, server: str) -> None:
    """The book has no Huber loss: the hits have "loss" only, and the page says so."""
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{server}/search.html?q=huber%20loss")
    page.wait_for_function(bench_search.DONE)
    summary = page.locator("#search-results .search-summary").text_content()
    page.close()
    assert (
        summary == "No place in the book has every word of “huber loss”; these have some of them."
    )
