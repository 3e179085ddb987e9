"""The book's search and its results as data (docs/_ext): terms, synonyms, hits, schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import plain_text
import pytest
import search_hits
import search_terms
from docutils import nodes, utils

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_search

SCHEMA = ROOT / "docs" / "_extra" / "results.schema.json"


# --- terms -------------------------------------------------------------------------------
def test_words_split_on_everything_but_letters_and_digits() -> None:
    assert search_terms.words("Per-example all_gather, σ′(z) fp16!") == [
        "per", "example", "all", "gather", "σ", "z", "fp16",
    ]  # fmt: skip


def test_stems_make_inflections_agree() -> None:
    assert search_terms.stem("normalising") == search_terms.stem("normalise")
    assert search_terms.stem("gradients") == search_terms.stem("gradient")


def test_text_keeps_its_words_and_gains_the_group() -> None:
    found = search_terms.terms("The per-example gradients")
    assert found == ["per", "exampl", "=per_exampl", "gradient"]  # "the" is a stop word


def test_a_query_phrase_becomes_its_group_so_synonyms_meet() -> None:
    group = search_terms.query_terms("per-sample")
    assert group == ["=per_exampl"]
    assert set(group) <= set(search_terms.terms("one per-example loss"))
    for spelling in ("minibatch", "mini-batch"):
        assert search_terms.query_terms(spelling) == ["=mini_batch"]
    assert search_terms.query_terms("batchnorm") == search_terms.query_terms("batch normalization")
    assert search_terms.query_terms("DDP")[0] in search_terms.terms("data-parallel replicas")
    assert search_terms.query_terms("fp16")[0] in search_terms.terms("in half precision")


def test_the_longest_phrase_wins() -> None:
    # "batch normalisation" is a group of its own, not "batch" (mini-batch) + "normalisation".
    assert search_terms.query_terms("batch normalisation") == ["=batch_normalis"]


def test_a_query_of_stop_words_has_no_terms() -> None:
    assert search_terms.query_terms("what is the") == []


def test_every_synonym_group_has_two_members(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert len(search_terms.synonym_groups()) > 40
    bad = tmp_path / "synonyms.txt"
    bad.write_text("# a comment\nper-example, per-sample\nlonely\n", encoding="utf-8")
    monkeypatch.setattr(search_terms, "SYNONYMS", bad)
    search_terms.synonym_groups.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"synonyms.txt, line 3: a group needs two members"):
            search_terms.synonym_groups()
    finally:
        search_terms.synonym_groups.cache_clear()


# --- hits --------------------------------------------------------------------------------
def test_counted_terms_keep_their_frequency() -> None:
    assert search_hits.counted(["a", "b", "a", "a"]) == "a*3 b"


def test_excerpts_stop_at_a_word() -> None:
    assert search_hits.excerpt("short") == "short"
    assert search_hits.excerpt("For every real z:") == "For every real z…"
    cut = search_hits.excerpt("word " * 100)
    assert cut.endswith("word…")
    assert len(cut) <= search_hits.EXCERPT + 1


def _section(title: str, *children: nodes.Node) -> nodes.section:
    section = nodes.section(ids=[nodes.make_id(title)])
    section += [nodes.title(title, title), *children]
    return section


def test_a_page_gives_a_hit_per_section_with_its_own_text() -> None:
    doctree = utils.new_document("chapter")
    statement = nodes.paragraph("", "The per-sample mean ")
    statement += [nodes.math("", "\\sigma'(\\bar z)"), nodes.Text(".")]
    first = _section("First part", statement, nodes.math_block("", "x^2"))
    second = _section("Second part", nodes.paragraph("", "Other words."))
    doctree += _section("Title", nodes.paragraph("", "Opening words."), first, second)
    hits = search_hits.hits_of("chapter", doctree)
    assert [(h["label"], h["title"], h["anchor"]) for h in hits] == [
        ("Page", "Title", ""),
        ("Section", "First part", "first-part"),
        ("Section", "Second part", "second-part"),
    ]
    first = hits[1]
    assert first["excerpt"] == "The per-sample mean σ'(z̅)."  # math written out in Unicode
    assert "=per_exampl" in first["terms"]
    assert "x" not in first["terms"].split()  # the math is not text
    assert "other" not in hits[0]["terms"]  # a section's text is its own, not its subsections'


def test_api_pages_weigh_least() -> None:
    weights = search_hits.WEIGHT
    assert weights["result"] > weights["section"] > weights["reference"] > weights["api"]


# --- the query set and the schema --------------------------------------------------------
def test_the_query_set_is_well_formed() -> None:
    queries = bench_search.queries()
    assert len(queries) >= 40
    assert len({q.text for q in queries}) == len(queries)


def test_a_malformed_query_is_named(tmp_path: Path) -> None:
    path = tmp_path / "q.toml"
    path.write_text('[[query]]\ntext = "a"\nanswer = "page.html"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"q.toml, query 1: needs a text and a page.html#anchor"):
        bench_search.queries(path)


def test_the_results_schema_is_a_valid_schema() -> None:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid({"results": []})  # what it requires is required


def test_a_change_of_synonyms_rereads_every_page(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Pages read with other synonyms would keep stale terms: they are all read again."""
    env = SimpleNamespace(found_docs={"a", "b"})
    assert search_hits._outdated(None, env, set(), set(), set()) == ["a", "b"]  # a first build
    env.gradavg_hits = {}
    assert search_hits._outdated(None, env, set(), set(), set()) == []  # nothing changed
    changed = tmp_path / "synonyms.txt"
    changed.write_text("per-example, per-sample\n", encoding="utf-8")
    monkeypatch.setattr(search_terms, "SYNONYMS", changed)
    assert search_hits._outdated(None, env, set(), set(), set()) == ["a", "b"]
    assert search_hits._outdated(None, env, set(), set(), set()) == []


def test_a_fraction_in_plain_text_reads_as_one() -> None:
    assert plain_text.latex_text(r"\frac{\lambda}{2}\theta^2") == "(λ/2)θ^2"  # not λ/2θ^2
    assert plain_text.latex_text(r"\frac{M - N}{M - 1}") == "((M - N)/(M - 1))"
    assert plain_text.latex_text(r"\sigma'(\bar z)") == "σ'(z̅)"
