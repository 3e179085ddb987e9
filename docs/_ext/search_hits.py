"""The book's search: a hit for every section and every labelled result.

While a page is read, each of its sections and labelled results is recorded as a hit:
its title, a one-line excerpt, its anchor, a kind and the terms of its title and of its
own text (``search_terms``: stemmed, with the book's synonyms; math, code cells and
subsections left out). When the pages are written, the hits of every page, in the order
of the table of contents, go to ``_static/search-hits.js``, a script the search page
loads (a script, not a fetched file, so that search works from disk as well as served);
``_static/book-search.js`` ranks them with MiniSearch (BM25, field and hit weights).

A hit's weight ranks the answers above the apparatus: labelled results and Answers
entries first, then the chapters' sections, then the reference pages, the API last.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import search_terms
from docutils import nodes
from per_page import keep_per_page
from plain_text import plain
from references import resolve
from results import is_result, result_name, toc_order
from search_terms import synonym_groups, terms
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx_exercise.nodes import (
    exercise_enumerable_node,
    exercise_node,
    exercise_subtitle,
    solution_node,
)

WEIGHT = {"result": 1.6, "answer": 1.6, "section": 1.0, "reference": 0.5, "api": 0.25}
PAGE_TOP = 0.6  # a page's own hit (its title and opening) below its sections and results
REFERENCE_PAGES = {"benchmark", "checks", "citing", "notation", "references", "status"}
EXCERPT = 160  # characters, cut at a word
DATA = "_static/search-hits.js"

Hit = dict[str, Any]
EXERCISES = (exercise_enumerable_node, exercise_node)  # numbered, and ``:nonumber:``
SKIPPED = (
    nodes.math, nodes.math_block, nodes.raw, nodes.comment, nodes.system_message,
    nodes.literal_block,
)  # fmt: skip


def _page_kind(docname: str) -> str:
    if docname.startswith("api"):
        return "api"
    return "reference" if docname in REFERENCE_PAGES else "section"


def _skipped(node: nodes.Element) -> bool:
    """What a hit's text leaves out: math (LaTeX), code, markup, links to notebooks, other hits."""
    return (
        isinstance(node, SKIPPED)
        or (isinstance(node, nodes.section) and "proof-content" not in node["ids"])
        or is_result(node)
        or isinstance(node, (*EXERCISES, solution_node))
        or (isinstance(node, nodes.container) and "cell" in node["classes"])
        or "notebook-download" in node["classes"]
    )


def _own_text(node: nodes.Element) -> str:
    """The text of ``node`` but its title, outside what :func:`_skipped` leaves out."""
    parts: list[str] = []

    def visit(element: nodes.Element) -> None:
        for child in element.children:
            if isinstance(child, nodes.title) and element is node:
                continue  # the title is a field of its own
            if isinstance(child, nodes.Text):
                parts.append(child.astext())
            elif isinstance(child, nodes.Element) and not _skipped(child):
                visit(child)
            parts.append(" ")

    visit(node)
    return " ".join("".join(parts).split())


def excerpt(text: str) -> str:
    """The opening words of ``text``, cut at a word; "…" where it stops short."""
    if len(text) > EXCERPT:
        text = text[:EXCERPT].rsplit(" ", 1)[0]
    elif not text.endswith(":"):
        return text
    return text.rstrip(",;:") + "…"  # a statement that goes on in a display ends in ":"


def _first_paragraph(node: nodes.Element) -> str:
    for paragraph in node.findall(nodes.paragraph):
        shown = not any(_skipped(e) for e in [paragraph, *_parents(paragraph, node)])
        if shown and (text := plain(paragraph)):
            return text
    return ""


def _parents(node: nodes.Node, top: nodes.Element) -> list[nodes.Element]:
    found, parent = [], node.parent
    while parent is not None and parent is not top:
        found.append(parent)
        parent = parent.parent
    return found


def _hit(kind: str, anchor: str, title: str, label: str, text: str, summary: str) -> Hit:
    return {
        "kind": kind,
        "anchor": anchor,
        "title": title,
        "label": label,
        "excerpt": excerpt(summary),
        "title_terms": counted(terms(title)),
        "terms": counted(terms(text)),
        "context_terms": "",
    }


def counted(found: list[str]) -> str:
    """Terms as the search page reads them: each once, in order, ``*n`` when it occurs n times."""
    counts = Counter(found)
    return " ".join(term if counts[term] == 1 else f"{term}*{counts[term]}" for term in counts)


def _section_of(node: nodes.Element) -> nodes.section | None:
    """The section ``node`` sits in."""
    section = node.parent
    while section is not None and not isinstance(section, nodes.section):
        section = section.parent
    return section


def _placed(hit: Hit, node: nodes.Element, section: nodes.section | None) -> Hit:
    """``hit``, with the words of its section's heading and of its label as context, and
    the anchor of that section when it is not the page itself."""
    heading = section[0].astext() if section is not None and section.children else ""
    hit["context_terms"] = counted(terms(f"{heading} {node['label']}"))  # "…-shared-parameter"
    inside = section is not None and not isinstance(section.parent, nodes.document)
    hit["section"] = section["ids"][0] if section is not None and inside else ""
    return hit


def _exercise_hit(exercise: nodes.Element) -> Hit:
    """An exercise's hit: its subtitle, and the text of its body (its solution left out)."""
    body = exercise[-1]
    assert isinstance(body, nodes.Element), "an exercise's last child is its body"
    subtitle = next(exercise.findall(exercise_subtitle), None)
    title = " ".join(subtitle.astext().split()) if subtitle is not None else "Exercise"
    text, summary = _own_text(body), _first_paragraph(body)
    hit = _hit("section", exercise["label"], title, "Exercise", text, summary)
    return _placed(hit, exercise, _section_of(exercise))


def _searched(node: nodes.Node) -> bool:
    """Whether ``node`` is a hit: a section (not a body sphinx-proof or sphinx-exercise
    makes a section of), a labelled result, or an exercise."""
    if isinstance(node, nodes.section):
        return "proof-content" not in node["ids"] and not isinstance(
            node.parent, (*EXERCISES, solution_node)
        )
    return is_result(node) or isinstance(node, EXERCISES)


def hits_of(docname: str, doctree: nodes.document) -> list[Hit]:
    """The hits of one page, in document order."""
    page_kind = _page_kind(docname)
    found: list[Hit] = []
    for node in doctree.findall(_searched):
        assert isinstance(node, nodes.Element)
        if isinstance(node, EXERCISES):
            found.append(_exercise_hit(node))
        elif is_result(node):
            name = result_name(node)
            kind = str(node.get("realtype", "result")).title()
            body = node[1] if len(node) > 1 and isinstance(node[1], nodes.Element) else node
            text, summary = _own_text(body), _first_paragraph(body)
            hit = _hit("result", node["label"], name, kind, text, summary)
            found.append(_placed(hit, node, _section_of(node)))
        else:
            title = node[0].astext() if node.children else ""
            top = isinstance(node.parent, nodes.document)
            kind = "answer" if docname == "answers" and not top else page_kind
            label = "Answer" if kind == "answer" else "Page" if top else "Section"
            text = _own_text(node)
            anchor = "" if top else node["ids"][0]
            found.append(_hit(kind, anchor, title, label, text, _first_paragraph(node)))
    return found


# --- recorded while reading, merged across parallel readers ------------------------------


def _record(app: Sphinx, doctree: nodes.document) -> None:
    app.env.gradavg_hits[app.env.docname] = hits_of(app.env.docname, doctree)  # type: ignore[attr-defined]


def _how_terms_are_made() -> str:
    """A digest of the synonyms and of the code that turns text into terms."""
    digest = hashlib.sha256(search_terms.SYNONYMS.read_bytes())
    for module in (search_terms, sys.modules[__name__]):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


def _outdated(
    _app: Sphinx, env: BuildEnvironment, _added: set[str], _changed: set[str], _removed: set[str]
) -> list[str]:
    """Every page, when the synonyms or the making of terms changed since it was read."""
    now = _how_terms_are_made()
    if getattr(env, "gradavg_terms_digest", now) == now and hasattr(env, "gradavg_hits"):
        env.gradavg_terms_digest = now  # type: ignore[attr-defined]
        return []
    env.gradavg_terms_digest = now  # type: ignore[attr-defined]
    return sorted(env.found_docs)


# --- written with the pages ------------------------------------------------------------


def search_data(app: Sphinx) -> dict[str, Any]:
    """Every page's hits, in the order of the table of contents, as the search page reads them."""
    env = app.env
    recorded: dict[str, list[Hit]] = env.gradavg_hits  # type: ignore[attr-defined]
    pages: list[list[str]] = []
    hits: list[list[Any]] = []
    order = [env.config.root_doc, *toc_order(env)]
    for page, docname in enumerate(d for d in order if recorded.get(d)):
        sections = {h["anchor"]: len(hits) + n for n, h in enumerate(recorded[docname])
                    if h["kind"] != "result"}  # fmt: skip
        title = env.titles[docname].astext()
        pages.append([app.builder.get_target_uri(docname), title, counted(terms(title))])
        for hit in recorded[docname]:
            weight = WEIGHT[hit["kind"]] * (PAGE_TOP if hit["label"] == "Page" else 1)
            hits.append(
                [page, hit["anchor"], hit["label"], hit["title"],
                 resolve(hit["excerpt"], env, links=False), weight,
                 hit["title_terms"], hit["terms"], hit["context_terms"],
                 sections.get(hit.get("section"), -1)]
            )  # fmt: skip
    synonyms = [[list(phrase), group] for phrase, group in synonym_groups()]
    return {"pages": pages, "synonyms": synonyms, "hits": hits}


def _write(app: Sphinx) -> list[Any]:
    """Write the hits (``html-collect-pages``: after every page, before the search page)."""
    data = json.dumps(search_data(app), ensure_ascii=False, separators=(",", ":"))
    script = f"window.BOOK_SEARCH = {data};\n"
    path = Path(app.outdir) / DATA
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(script, encoding="utf-8")
    app.builder.book_search_version = hashlib.sha256(script.encode()).hexdigest()[:12]  # type: ignore[attr-defined]
    return []


def _context(
    app: Sphinx, pagename: str, _template: str, context: dict[str, Any], _doctree: Any
) -> None:
    if pagename == "search":
        version = getattr(app.builder, "book_search_version", "")
        context["book_search_hits"] = f"{DATA}?v={version}" if version else DATA


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("env-get-outdated", _outdated)
    keep_per_page(app, "gradavg_hits")
    app.connect("doctree-read", _record)
    app.connect("html-collect-pages", _write)
    app.connect("html-page-context", _context)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
