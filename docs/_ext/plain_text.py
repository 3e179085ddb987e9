"""A paragraph as one line of plain text, its math written out in Unicode.

For the places that cannot draw math: the search page's excerpts, the statements of
``results.json`` and ``llms.txt``. pylatexenc writes ``\\sigma'(\\bar z)`` as ``σ'(z̅)``.
"""

from __future__ import annotations

from docutils import nodes
from pylatexenc.latex2text import LatexNodes2Text
from references import placeholder

_latex = LatexNodes2Text(math_mode="text")


def latex_text(latex: str) -> str:
    """LaTeX math as Unicode text."""
    return " ".join(_latex.latex_to_text(latex).split())


def plain(paragraph: nodes.Element) -> str:
    """A paragraph as one line of plain text, its inline math as Unicode, its references
    as placeholders (``references.resolve``)."""
    parts = [
        latex_text(node.astext())
        if isinstance(node, nodes.math)
        else placeholder(node) or node.astext()
        for node in paragraph.children
    ]
    return " ".join("".join(parts).split())
