"""Exercises and their solutions: sphinx-exercise's directives, each solution folded away.

sphinx-exercise numbers the exercises and links each solution to its exercise; its
solutions are open admonitions, and its ``dropdown`` class needs the Book Theme's script.
Here a solution is written as a ``<details>`` element whose ``<summary>`` is the
solution's title ("Solution to Exercise 3"), so it stays folded until the reader opens
it, with or without JavaScript, and prints open (book.css). The solution's derivations and
numbers are made by the page's code like every other result, so a wrong step fails the
build.

sphinx-exercise's own stylesheet is left off the pages: it is written for the Book Theme
(a Font Awesome glyph after each exercise's title, ``div.solution`` rules), and book.css
styles the exercises for this theme instead.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.html5 import HTML5Translator
from sphinx_exercise.nodes import solution_node


class solution_summary(nodes.TextElement):
    """A solution's title, written as the ``<summary>`` of its ``<details>``."""


class OwnIds(SphinxTransform):
    """Give the body of each exercise and solution an id of its own (``<label>-content``)
    as the page is read: sphinx-exercise gives them all the same one, and what records a
    page when it has been read (the ``doctree-read`` event) should find the ids the page
    will show."""

    default_priority = 870  # after sphinx-exercise's transforms (1, 10), before doctree-read (880)

    def apply(self, **_: Any) -> None:
        for body in self.document.findall(nodes.section):
            if body["ids"] in (["exercise-content"], ["solution-content"]):
                label = body.parent.get("label") if body.parent is not None else None
                body["ids"] = [f"{label}-content"] if label else []


class FoldSolutions(SphinxPostTransform):
    """Give each solution a summary: its title as plain text ("Solution to Exercise 3
    (…)", with no link inside the control that opens it)."""

    default_priority = 30  # after sphinx-exercise has written the titles (21, 22)
    formats = ("html",)

    def run(self, **_: Any) -> None:
        for solution in self.document.findall(solution_node):
            title = solution[0]
            assert isinstance(title, nodes.title), "a solution's first child is its title"
            text = " ".join(title.astext().split())
            solution.replace(title, solution_summary(text, text))


def visit_solution(self: HTML5Translator, node: solution_node) -> None:
    self.body.append(self.starttag(node, "details", CLASS="admonition"))


def depart_solution(self: HTML5Translator, _: solution_node) -> None:
    self.body.append("</details>\n")


def visit_summary(self: HTML5Translator, node: solution_summary) -> None:
    self.body.append(self.starttag(node, "summary", "", CLASS="admonition-title"))


def depart_summary(self: HTML5Translator, _: solution_summary) -> None:
    self.body.append("</summary>\n")


def drop_exercise_stylesheet(
    _app: Sphinx, _pagename: str, _template: str, context: dict[str, Any], _doctree: object
) -> None:
    if "css_files" in context:
        context["css_files"] = [
            css for css in context["css_files"] if css.filename != "_static/exercise.css"
        ]


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_exercise")
    app.add_node(solution_node, override=True, html=(visit_solution, depart_solution))
    app.add_node(solution_summary, html=(visit_summary, depart_summary))
    app.add_transform(OwnIds)
    app.add_post_transform(FoldSolutions)
    app.connect("html-page-context", drop_exercise_stylesheet, priority=800)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
