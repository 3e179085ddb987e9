"""A paragraph as one line of plain text, its math written out in Unicode.

For the places that cannot draw math: the search page's excerpts, the statements of
``results.json`` and ``llms.txt``. pylatexenc writes ``\\sigma'(\\bar z)`` as ``σ'(z̅)``.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from references import placeholder


def _fraction(node: Any, l2tobj: LatexNodes2Text) -> str:
    """A fraction in parentheses, so that it reads as one: ``(λ/2)θ^2``, ``(1/(N − 1))``.

    pylatexenc writes ``\\frac{\\lambda}{2}\\theta^2`` as ``λ/2θ^2``, which reads λ/(2θ²).
    """
    arguments = node.nodeargd.argnlist[-2:] if node.nodeargd else []
    if len(arguments) < 2 or None in arguments:
        return "/"  # as pylatexenc writes a fraction it cannot read
    top, bottom = (l2tobj.nodelist_to_text([arg]).strip() for arg in arguments)
    return f"({_grouped(top)}/{_grouped(bottom)})"


def _grouped(text: str) -> str:
    return text if len(text) == 1 or text.isdigit() else f"({text})"


_context = get_default_latex_context_db()
_context.add_context_category(
    "fractions-grouped",
    prepend=True,
    macros=[MacroTextSpec(name, simplify_repl=_fraction) for name in ("frac", "dfrac")],
)
_latex = LatexNodes2Text(math_mode="text", latex_context=_context)


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
