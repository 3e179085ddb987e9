"""The results index: every labelled result of the book, generated from the pages.

While a page is read, each labelled result (a sphinx-proof theorem, proposition, example,
…) is recorded with its name, its statement in words, its displayed equation, and how
its derivation was verified: the methods in the engine's records (``derivations``) of
the result and of its proof. The directive ``results-index`` lists them, page by page
in the order of the table of contents, each with its anchor and the snippet its Quote
button copies.
"""

from __future__ import annotations

import re
from typing import Any

from derivations import methods_of
from docutils import nodes
from per_page import keep_per_page
from plain_text import plain as plain_statement
from quote import quote, words
from references import resolve
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from gradavg.book.links import result_url

logger = logging.getLogger(__name__)


def is_result(node: nodes.Node) -> bool:
    """Whether ``node`` is a labelled result (a sphinx-proof theorem, proposition, …)."""
    return (
        isinstance(node, nodes.Element)
        and bool(node.get("label"))
        and bool(node.get("countertype"))
        and "proof" in node.get("classes", [])
    )


def _record(app: Sphinx, doctree: nodes.document) -> None:
    """Record the page's labelled results in the environment."""
    env = app.env
    found: list[dict[str, Any]] = []
    for result in [n for n in doctree.findall(is_result) if isinstance(n, nodes.Element)]:
        label, name = result["label"], result_name(result)
        body = result[1] if len(result) > 1 else nodes.section()
        paragraphs = list(body.findall(nodes.paragraph))
        equations = [math.astext() for math in body.findall(nodes.math_block)]
        methods = {m for math in body.findall(nodes.math_block) for m in methods_of(math)}
        for sibling in _following_proofs(result):
            methods |= {m for math in sibling.findall(nodes.math_block) for m in methods_of(math)}
        statement = words(paragraphs[0]) if paragraphs else ""
        kind = str(result.get("realtype", "result")).title()
        url = result_url(env.docname, label)
        found.append(
            {
                "label": label, "kind": kind, "name": name, "statement_raw": statement,
                "text_raw": plain_statement(paragraphs[0]) if paragraphs else "",
                "equation": equations[0].strip() if equations else None,
                "methods": sorted(methods), "url": url,
            }
        )  # fmt: skip
    env.gradavg_results[env.docname] = found  # type: ignore[attr-defined]


def result_name(result: nodes.Element) -> str:
    """The result's name: its title without the parentheses around it."""
    title = result[0].astext().strip()
    if title.startswith("(") and title.endswith(")"):
        title = title[1:-1]  # one pair only: a name may end in ")", as in "(M − 1)"
    return title.strip()


def _resolve(_app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Write out the references of every statement, once every page has been read: the
    statement in Markdown with links (snippets, results.json), as shown on the Citing
    page (names, math kept), and as plain text."""
    for records in env.gradavg_results.values():  # type: ignore[attr-defined]
        for record in records:
            record["statement"] = resolve(record["statement_raw"], env, links=True)
            record["shown"] = resolve(record["statement_raw"], env, links=False)
            record["text"] = resolve(record["text_raw"], env, links=False)
            record["snippet"] = quote(
                record["kind"],
                record["name"],
                record["statement"],
                record["equation"],
                record["url"],
            )
    return []


def _following_proofs(result: nodes.Element) -> list[nodes.Element]:
    """The proof blocks after a result, up to the next result."""
    proofs, sibling = [], result.next_node(descend=False, siblings=True)
    while sibling is not None and not is_result(sibling):
        if isinstance(sibling, nodes.Element) and any(
            "proof" in n.get("classes", []) for n in sibling.findall(nodes.Element)
        ):
            proofs.append(sibling)  # a proof block, or one inside a container
        sibling = sibling.next_node(descend=False, siblings=True)
    return proofs


class results_index(nodes.General, nodes.Element):
    """Where the index goes; filled in once every page has been read."""


class ResultsIndex(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        return [results_index()]


def _fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    env = app.env
    for placeholder in doctree.findall(results_index):
        placeholder.replace_self(_listing(env, docname))


def _listing(env: BuildEnvironment, docname: str) -> list[nodes.Node]:
    recorded: dict[str, list[dict[str, Any]]] = env.gradavg_results  # type: ignore[attr-defined]
    order = [d for d in toc_order(env) if recorded.get(d)]
    out: list[nodes.Node] = []
    for page in order:
        title = env.titles[page].astext() if page in env.titles else page
        section = nodes.rubric(title, title)
        out.append(section)
        items = nodes.bullet_list(classes=["results-index"])
        for result in recorded[page]:
            href = f"{env.app.builder.get_relative_uri(docname, page)}#{result['label']}"
            item = nodes.paragraph()
            item += nodes.reference(
                "", f"{result['kind']}: {result['name']}", refuri=href, internal=True
            )
            if result["shown"]:
                item += nodes.Text(" — ")
                item += _with_math(result["shown"])
            how = (
                "; ".join(result["methods"])
                or "no verified display (a definition, remark or computed example)"
            )
            meta = nodes.paragraph(classes=["results-index-meta"])
            meta += nodes.Text("Verified: ")
            meta += nodes.emphasis(how, how)
            meta += nodes.Text(" · anchor ")
            meta += nodes.literal(f"#{result['label']}", f"#{result['label']}")
            # Plain text: highlighted as Markdown, the TeX in a snippet would be set in italics.
            snippet = nodes.literal_block(result["snippet"], result["snippet"], language="text")
            entry = nodes.list_item("", item, meta, snippet)
            items += entry
        out.append(items)
    return out


def _with_math(line: str) -> list[nodes.Node]:
    """A line of Markdown with ``$…$`` as text and inline math nodes."""
    pieces = re.split(r"\$([^$]+)\$", line)
    return [
        nodes.math(piece, piece) if index % 2 else nodes.Text(piece)
        for index, piece in enumerate(pieces)
        if piece
    ]


def toc_order(env: BuildEnvironment) -> list[str]:
    """Documents in the order of the table of contents, depth first."""
    seen: list[str] = []

    def visit(doc: str) -> None:
        for child in env.toctree_includes.get(doc, []):
            if child not in seen:
                seen.append(child)
                visit(child)

    visit(env.config.root_doc)
    return seen


def _check_labels(_app: Sphinx, env: BuildEnvironment) -> None:
    """A label used on two pages, or a result without a statement, fails the build."""
    pages: dict[str, str] = {}
    for docname, results in sorted(env.gradavg_results.items()):  # type: ignore[attr-defined]
        for result in results:
            if result["label"] in pages:
                logger.warning(
                    f"result label {result['label']!r} is used on {pages[result['label']]!r} and {docname!r}"
                )
            pages[result["label"]] = docname
            if not result["statement"] and result["snippet"].count("$$") < 2:
                logger.warning(f"result {result['label']!r} on {docname!r} has no statement")


def _note_reread(_app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    env.gradavg_reread = bool(docnames)  # type: ignore[attr-defined]


def _refresh_index(_app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Rewrite the pages that hold the index whenever any page was read again."""
    if not getattr(env, "gradavg_reread", False):
        return []
    return [doc for doc in env.found_docs if "results-index" in env.doc2path(doc).read_text()]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(results_index)
    app.add_directive("results-index", ResultsIndex)
    keep_per_page(app, "gradavg_results")
    app.connect("env-before-read-docs", _note_reread)
    app.connect("doctree-read", _record)
    app.connect("env-updated", _resolve)
    app.connect("env-updated", _refresh_index)
    app.connect("env-check-consistency", _check_labels)
    app.connect("doctree-resolved", _fill)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 3}
