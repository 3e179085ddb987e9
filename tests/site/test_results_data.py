"""The results as data beside the built book: results.json against its schema, llms.txt.

Every labelled result drawn on any page (``<div class="proof <kind> admonition" id=…>``)
must be in results.json, under its page and its anchor, and in llms.txt.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import jsonschema
import pytest

if "GRADAVG_SITE" not in os.environ:
    pytest.skip("set GRADAVG_SITE to a built book (nox -s site)", allow_module_level=True)

SITE = Path(os.environ["GRADAVG_SITE"])
SCHEMA = Path(__file__).parents[2] / "docs" / "_extra" / "results.schema.json"
GENERATED = {"genindex", "py-modindex", "prf-prf", "search"}  # Sphinx's pages, not the book's
RESULT = re.compile(r'<div class="proof (\w+) admonition" id="([^"]+)"')


def _results() -> list[dict[str, object]]:
    return json.loads((SITE / "results.json").read_text(encoding="utf-8"))["results"]  # type: ignore[no-any-return]


def _drawn() -> set[tuple[str, str, str]]:
    """(page, kind, label) of every labelled result on every page of the built book."""
    return {
        (page.stem, kind.title(), label)
        for page in SITE.glob("*.html")
        for kind, label in RESULT.findall(page.read_text(encoding="utf-8"))
    }


def test_results_json_validates_against_its_schema() -> None:
    data = json.loads((SITE / "results.json").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert (SITE / "results.schema.json").read_text(encoding="utf-8") == SCHEMA.read_text(
        encoding="utf-8"
    )  # published beside it


def test_every_labelled_result_of_every_page_is_in_results_json() -> None:
    drawn = _drawn()
    listed = {(r["page"]["name"], r["kind"], r["label"]) for r in _results()}  # type: ignore[index]
    assert len(drawn) > 60
    assert listed == drawn
    for result in _results():
        url = str(result["url"])
        assert url.endswith(f"/{result['page']['name']}.html#{result['label']}")  # type: ignore[index]
        assert f"]({url})" in str(result["snippet"])


def test_verified_results_say_how() -> None:
    by_label = {r["label"]: r for r in _results()}
    assert by_label["thm-sum-rule"]["verified"]  # a theorem proved by the engine
    statement = by_label["thm-sum-rule"]["statement"]
    assert "\\frac{1}{N}" in statement["latex"]  # type: ignore[index]
    assert "$" not in statement["text"]  # type: ignore[index]
    assert "\\" not in statement["text"]  # type: ignore[index]


def test_llms_txt_lists_every_page_and_every_result() -> None:
    text = (SITE / "llms.txt").read_text(encoding="utf-8")
    assert text.startswith("# The Gradient of the Average\n\n> ")
    for result in _results():
        assert f"]({result['url']}): " in text, result["label"]
    root = json.loads((SITE / "results.json").read_text(encoding="utf-8"))["url"]
    for page in SITE.glob("*.html"):
        if page.stem not in GENERATED:
            assert f"]({root}{page.name}): " in text, page.name
    assert f"]({root}results.json)" in text


def test_no_raw_label_or_placeholder_reaches_a_reader() -> None:
    """References in statements are written out: "Proposition (…)" linked, not a label."""
    raw = re.compile(
        r"(?<![#/\w-])(?:eq|prop|thm|ex|lem|def|cor|rem|alg)-[a-z0-9-]+(?![\w-]*\.html)"
    )
    for result in _results():
        statement = result["statement"]
        for text in (
            statement["words"],
            statement["text"],
            str(result["snippet"]).split("From [")[0],
        ):  # type: ignore[index]
            assert "⟦" not in text, (result["label"], text)
            assert not raw.findall(re.sub(r"\]\([^)]*\)", "]", text)), (result["label"], text)
    for name in ("llms.txt", "_static/search-hits.js", "citing.html"):
        assert "⟦" not in (SITE / name).read_text(encoding="utf-8"), name
