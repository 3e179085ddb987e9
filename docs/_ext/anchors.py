"""Anchors that hold: every id on a page unique, proofs linkable, headings whole.

- sphinx-proof gives every proof ``id="proof"`` and every statement body
  ``id="proof-content"``; here a proof becomes ``proof-<label>`` (the result it follows)
  and a body ``<label>-statement``.
- Furo wraps each equation and table in a container that copies its id; only the
  equation or table itself, which carries the ¶ link, keeps it.
- A heading with Greek letters or primes gets a readable, whole slug
  (``…-curvature-of-sigma-prime``) as its first id, so its ¶ link points there; the id
  docutils made from the ASCII part stays as a second anchor.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

_SPELLED = {
    "′": " prime", "″": " double prime", "‴": " triple prime", "∇": " nabla ",
    "σ": "sigma", "δ": "delta", "Δ": "Delta", "θ": "theta", "η": "eta", "ε": "epsilon",
    "μ": "mu", "λ": "lambda", "γ": "gamma", "β": "beta", "α": "alpha", "ℓ": "ell",
}  # fmt: skip


def heading_slug(title: str) -> str:
    """A readable ASCII anchor for a heading: Greek letters and primes spelled out."""
    text = "".join(_SPELLED.get(char, char) for char in title)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class UniqueAnchors(SphinxPostTransform):
    """Rename the ids that sphinx-proof and MyST-NB repeat within a page."""

    default_priority = 600  # after Furo wraps equations and tables, copying their ids (500)

    def run(self, **_: Any) -> None:
        label, used = "", set[str]()
        for node in list(self.document.findall(nodes.Element)):
            if node.get("label") and "proof" in node.get("classes", []):
                label = node["label"]  # a theorem, proposition, example…
            ids: list[str] = node.get("ids", [])
            if ids == ["proof-content"]:
                node["ids"] = [f"{label}-statement"]
            elif ids == ["proof"]:
                name, count = f"proof-{label}", 2
                while name in used:
                    name, count = f"proof-{label}-{count}", count + 1
                node["ids"] = [name]
                used.add(name)
            elif isinstance(node, nodes.container):
                maths = list(node.findall(nodes.math_block))
                inner = {
                    i
                    for child in node.findall(nodes.Element)
                    if child is not node
                    for i in child["ids"]
                }
                inner |= {nodes.make_id(f"equation-{m['label']}") for m in maths if m.get("label")}
                node["ids"] = [i for i in ids if i not in inner]
            elif isinstance(node, nodes.section) and node.children:
                readable = heading_slug(node[0].astext())
                if readable in ids:
                    node["ids"] = [readable, *(i for i in ids if i != readable)]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_post_transform(UniqueAnchors)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
