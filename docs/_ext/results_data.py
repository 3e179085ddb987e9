"""The results as data, beside the book: ``results.json`` and ``llms.txt``.

Both are written from the records the results extension keeps for "Citing this book"
(``env.gradavg_results``), in the order of the table of contents:

- ``results.json``: every labelled result, with its label, kind, title, statement (the
  words with their math as ``$…$``, the same as plain text, and the displayed equation
  in LaTeX), how its derivation was verified, its page, its absolute address and the
  snippet its Quote button copies. ``results.schema.json`` (beside it, from
  ``docs/_extra``) is its JSON Schema; tests/test_results_data.py validates a build.
- ``llms.txt`` (https://llmstxt.org): the book's pages, each with its opening words, and
  every result with its statement in Markdown (math as ``$…$`` and ``$$…$$``) and how it
  was verified, so that tools reading the web find what is verified.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from references import resolve
from results import toc_order
from sphinx.application import Sphinx

from gradavg.book.links import book_url

SCHEMA = "results.schema.json"
SUMMARY = (
    "Is the gradient of the average loss the average of the per-example gradients, and "
    "what goes wrong when you average first? An online book that answers it, with the "
    "Python package gradavg; every displayed derivation step is verified by sympy when "
    "the book is built, and every number in the text is computed by its page."
)


def _pages(app: Sphinx) -> list[str]:
    return [app.config.root_doc, *toc_order(app.env)]


def results_data(app: Sphinx) -> dict[str, Any]:
    """The contents of ``results.json``."""
    env, root = app.env, book_url()
    recorded: dict[str, list[dict[str, Any]]] = env.gradavg_results  # type: ignore[attr-defined]
    results = []
    for docname in _pages(app):
        page = {
            "name": docname,
            "title": env.titles[docname].astext(),
            "url": root + app.builder.get_target_uri(docname),
        }
        for result in recorded.get(docname, []):
            results.append(
                {
                    "label": result["label"],
                    "kind": result["kind"],
                    "title": result["name"],
                    "statement": {
                        "words": result["statement"],
                        "text": result["text"],
                        "latex": result["equation"],
                    },
                    "verified": result["methods"],
                    "page": page,
                    "url": result["url"],
                    "snippet": result["snippet"],
                }
            )
    return {
        "$schema": root + SCHEMA,
        "title": app.config.project,
        "version": app.config.release,
        "url": root,
        "results": results,
    }


def llms_txt(app: Sphinx, data: dict[str, Any]) -> str:
    """The contents of ``llms.txt``: a title, a summary, the pages, the results."""
    env, root = app.env, book_url()
    openings = {
        docname: resolve(
            next((h["excerpt"] for h in hits if h["label"] == "Page"), ""), env, links=True
        )
        for docname, hits in env.gradavg_hits.items()  # type: ignore[attr-defined]
    }
    lines = [f"# {app.config.project}", "", f"> {SUMMARY}", ""]
    lines += [
        (
            f"Every labelled result, as data: [results.json]({root}results.json) "
            f"(its JSON Schema: [{SCHEMA}]({root}{SCHEMA}))."
        ),
        "",
        "## Pages",
        "",
    ]
    for docname in _pages(app):
        url = root + app.builder.get_target_uri(docname)
        opening = f": {openings[docname]}" if openings.get(docname) else ""
        lines.append(f"- [{env.titles[docname].astext()}]({url}){opening}")
    lines += ["", "## Results", ""]
    for result in data["results"]:
        how = "; ".join(result["verified"]) or "no verified display"
        statement = result["statement"]
        shown = f" $${statement['latex']}$$" if statement["latex"] else ""
        lines.append(
            f"- [{result['kind']}: {result['title']}]({result['url']}): "
            f"{statement['words']}{shown} (verified: {how})"
        )
    return "\n".join(lines) + "\n"


def _write(app: Sphinx) -> list[Any]:
    """Write both files (``html-collect-pages``: every page has been read)."""
    data = results_data(app)
    out = Path(app.outdir)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    (out / "results.json").write_text(text, encoding="utf-8")
    (out / "llms.txt").write_text(llms_txt(app, data), encoding="utf-8")
    return []


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("results")
    app.setup_extension("search_hits")
    app.connect("html-collect-pages", _write)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
