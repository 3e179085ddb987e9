"""Exercises and their folded solutions (docs/_ext/exercises.py) in a small book."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

Build = Callable[..., SphinxTestApp]
# sphinx-exercise 1.2.1 reads the deprecated ``app`` of Sphinx's environment and
# transforms (Sphinx warns; the build is unaffected until Sphinx 11).
pytestmark = pytest.mark.filterwarnings("ignore:'sphinx[_a-z.]*[A-Za-z]+.app' is deprecated")

EXTENSIONS = Path(__file__).resolve().parents[2] / "docs" / "_ext"
CONF = f'import sys\nsys.path.insert(0, {str(EXTENSIONS)!r})\nextensions = ["myst_parser", "exercises"]\nmyst_enable_extensions = ["dollarmath"]\n'
PAGES = {
    "index.md": "# Book\n\n```{toctree}\nchapter\n```\n",
    "chapter.md": """# Chapter

```{exercise} A sum
:label: ex-sum

Show that $1 + 1 = 2$.
```

````{solution-start} ex-sum
````

Count.

````{solution-end}
````

```{exercise} A product
:label: ex-product

Show that $2 \\cdot 2 = 4$.
```

```{solution} ex-product
Multiply.
```
""",
}


def test_each_solution_is_folded_under_its_title(build_once: Build) -> None:
    page = (build_once(CONF, PAGES).outdir / "chapter.html").read_text()
    folded = re.findall(
        r'<details class="solution admonition" id="[^"]+">\s*<summary[^>]*>([^<]*)</summary>', page
    )
    assert folded == [
        "Solution to Exercise 1 (A sum)",
        "Solution to Exercise 2 (A product)",
    ]
    assert "Count." in page
    assert "Multiply." in page


def test_no_solution_repeats_an_id_or_links_inside_its_summary(build_once: Build) -> None:
    page = (build_once(CONF, PAGES).outdir / "chapter.html").read_text()
    assert 'id="solution-content"' not in page  # sphinx-exercise gives each body that id
    assert 'id="exercise-content"' not in page
    assert re.findall(r'id="(ex-[a-z]+-content)"', page) == ["ex-sum-content", "ex-product-content"]
    for summary in re.findall(r"<summary[^>]*>.*?</summary>", page, re.DOTALL):
        assert "<a " not in summary


def test_exercises_are_numbered_and_linkable(build_once: Build) -> None:
    page = (build_once(CONF, PAGES).outdir / "chapter.html").read_text()
    for label in ("ex-sum", "ex-product"):
        assert f'id="{label}"' in page
    assert re.findall(r"Exercise (\d)</span>", page) or re.findall(r"Exercise \d", page)


def test_sphinx_exercises_stylesheet_is_not_linked(build_once: Build) -> None:
    page = (build_once(CONF, PAGES).outdir / "chapter.html").read_text()
    assert "exercise.css" not in page


def test_search_finds_each_exercise_under_its_label(build_once: Build) -> None:
    """An exercise is one hit, named by its subtitle and anchored at its label; its body
    and its solution are no hits of their own (nor sections of the page's text)."""
    conf = CONF.replace('"exercises"]', '"exercises", "search_hits"]')
    unnumbered = "```{exercise} A difference\n:label: ex-difference\n:nonumber:\n\nShow that $2 - 1 = 1$.\n```\n"
    pages = {**PAGES, "chapter.md": PAGES["chapter.md"] + "\n" + unnumbered}
    script = (build_once(conf, pages).outdir / "_static" / "search-hits.js").read_text()
    hits = json.loads(script.removeprefix("window.BOOK_SEARCH = ").rstrip(";\n"))["hits"]
    found = [(anchor, label, title) for _, anchor, label, title, *_ in hits]
    assert found == [
        ("", "Page", "Book"),
        ("", "Page", "Chapter"),
        ("ex-sum", "Exercise", "A sum"),
        ("ex-product", "Exercise", "A product"),
        ("ex-difference", "Exercise", "A difference"),
    ]
    chapter_terms = hits[1][7]
    assert "show" not in chapter_terms.split()  # the exercises' words are theirs alone
    assert "show" in hits[2][7].split()
    assert "multipli" not in hits[3][7].split()  # a solution's words are not its exercise's
