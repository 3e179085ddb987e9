"""Cross-references in text that leaves the page: snippets, results.json, search excerpts.

A paragraph is turned into one line of text while its page is read, before any
reference is resolved; each reference is then kept as a placeholder (:func:`placeholder`)
and written out once every page has been read (:func:`resolve`): an equation as
"equation (10)", a result as "Proposition (Gradient of least squares in the slope)", a
section by its title, as Markdown links to their absolute addresses or as plain text.
A raw label (``prop-chain-rule-m``) never reaches a reader.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.environment import BuildEnvironment

from gradavg.book.links import book_url

_PLACEHOLDER = re.compile(r"⟦(eq|ref):([^⟧]+)⟧")


def placeholder(node: nodes.Node) -> str | None:
    """The placeholder of a reference not yet resolved, or None for other nodes."""
    if not isinstance(node, addnodes.pending_xref):
        return None
    kind = "eq" if node.get("reftype") == "eq" else "ref"
    return f"⟦{kind}:{node['reftarget']}⟧"


def _target(env: BuildEnvironment, kind: str, label: str) -> tuple[str, str] | None:
    """(words, absolute address) of a reference, or None when nothing has that label."""
    root = book_url()
    if kind == "eq":
        math = env.get_domain("math")
        place = math.data["objects"].get(label)  # label -> (docname, number)
        if place:
            return f"equation ({place[1]})", f"{root}{place[0]}.html#equation-{label}"
        return None
    results: dict[str, list[dict[str, Any]]] = getattr(env, "gradavg_results", {})
    for records in results.values():
        for record in records:
            if record["label"] == label:
                return f"{record['kind']} ({record['name']})", record["url"]
    section = env.get_domain("std").data["labels"].get(label)  # -> (docname, id, title)
    if section:
        return section[2], f"{root}{section[0]}.html#{section[1]}"
    return None


def resolve(text: str, env: BuildEnvironment, *, links: bool) -> str:
    """``text`` with its placeholders written out: Markdown links, or plain words."""

    def written(match: re.Match[str]) -> str:
        found = _target(env, match.group(1), match.group(2))
        if found is None:
            return match.group(2)  # unresolved: the build has already warned (-n)
        name, url = found
        return f"[{name}]({url})" if links else name

    return _PLACEHOLDER.sub(written, text)
