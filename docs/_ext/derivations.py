"""Verified results reach the page as data: the engine's record kept on the math it glues.

A page glues each verified derivation and inequality with two representations: LaTeX,
for a notebook viewer, and the engine's record under :data:`gradavg.verify.RECORD_MIME`
(its rows: left side, relation, right side, justification, method; and its
definitions). The ``glue:math`` directive is extended to keep that record on the math
node it makes, as ``node["record"]``; ``server_math`` draws a derivation from its rows
and ``results`` reads the methods from them. Nothing parses LaTeX back.
"""

from __future__ import annotations

import json
from typing import Any

from docutils import nodes
from private_apis import PasteMathDirective, glued_data
from sphinx.application import Sphinx

from gradavg.verify import RECORD_MIME


def record_of(node: nodes.Node) -> dict[str, Any] | None:
    """The engine's record on a math node, or None for math that is not a verified result."""
    record = node.get("record") if isinstance(node, nodes.math_block) else None
    return record if isinstance(record, dict) else None


def methods_of(node: nodes.Node) -> set[str]:
    """How each line of a verified result was established (empty for other math)."""
    record = record_of(node)
    return {row["method"] for row in record["rows"]} if record else set()


class PasteResult(PasteMathDirective):  # type: ignore[misc]  # myst-nb has no types
    """``glue:math``, which also keeps a verified result's record on its math node."""

    def run(self) -> list[nodes.Node]:
        pasted: list[nodes.Node] = super().run()
        data = glued_data(self.document, self.arguments[0])  # None: the directive warned
        if data and RECORD_MIME in data:
            record = json.loads(json.dumps(data[RECORD_MIME]))  # plain dicts, for pickling
            for node in pasted:
                if isinstance(node, nodes.math_block):
                    node["record"] = record
        return pasted


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_nb")
    app.add_directive_to_domain("glue", "math", PasteResult, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
