"""The chapter sources stay thin: prose leads, code is short, helpers live in the package."""

from __future__ import annotations

import ast
import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest
from notebook_pages import notebook_pages

DOCS = Path(__file__).parent.parent / "docs"
CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
CHAPTERS = notebook_pages(DOCS)


MARKUP = re.compile(r"^\s*(`{3,}|:|\(.*\)=\s*$|#)")
"""Lines that are not running prose: fences, directive options, labels, headings."""


def code_and_prose(source: str) -> tuple[int, int]:
    """Non-blank lines of code in code cells, and lines of running prose outside them.

    A cell's options (``:tags:`` lines, or a YAML block with a figure's caption and alt
    text) are neither.
    """
    source = FRONT_MATTER.sub("", source)
    cells = [FRONT_MATTER.sub("", cell) for cell in CELL.findall(source)]
    code = sum(
        1
        for cell in cells
        for line in cell.splitlines()
        if line.strip() and not line.startswith(":")
    )
    prose = CELL.sub("", source).splitlines()
    return code, sum(1 for line in prose if line.strip() and not MARKUP.match(line))


def test_there_are_chapters() -> None:
    assert len(CHAPTERS) >= 7


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_code_is_at_most_as_long_as_prose(chapter: Path) -> None:
    code, prose = code_and_prose(chapter.read_text())
    assert code <= prose, f"{chapter.name}: {code} lines of code against {prose} of prose"


def test_no_helper_is_defined_on_two_pages() -> None:
    defined = Counter(
        name
        for chapter in CHAPTERS
        for name in set(re.findall(r"^def (\w+)", chapter.read_text(), flags=re.MULTILINE))
    )
    twice = sorted(name for name, count in defined.items() if count > 1)
    assert not twice, f"defined on more than one page (move them to the package): {twice}"


def test_code_and_prose_counts_lines() -> None:
    source = "---\nkernelspec: x\n---\n# Title\n\nProse.\n```{code-cell} ipython3\n:tags: [x]\n\na = 1\n```\n"
    assert code_and_prose(source) == (1, 1)  # the heading is not running prose


INTRODUCTION = re.compile(r"^This page's code uses .*The cell below imports them.*$", re.MULTILINE)


def imported_modules(cell: str) -> set[str]:
    """The gradavg modules a cell imports (``from gradavg import x`` imports ``gradavg.x``)."""
    modules = set()
    code = "\n".join(line for line in cell.splitlines() if not line.startswith(":"))
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gradavg"):
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                is_module = importlib.util.find_spec(
                    submodule.split(".", maxsplit=1)[0]
                ) and _is_module(submodule)
                modules.add(submodule if is_module else node.module)
    return modules


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_the_import_cell_is_introduced_naming_each_module(chapter: Path) -> None:
    """A sentence before the first cell names every gradavg module the cell imports."""
    source = FRONT_MATTER.sub("", chapter.read_text())
    first = CELL.search(source)
    assert first is not None
    sentence = INTRODUCTION.search(source[: first.start()])
    imports = imported_modules(first.group(1))
    if chapter.stem == "index" or not imports or "remove-cell" in first.group(1):
        return  # the front page shows a figure, not a chapter's code; hidden cells show nothing
    assert sentence is not None, f"{chapter.name}: no sentence introduces the import cell"
    named = set(re.findall(r"`(gradavg[\w.]*)`", sentence.group(0)))
    assert named == imports, (
        f"{chapter.name}: the sentence names {named}, the cell imports {imports}"
    )


PARTS = ("The book", "In practice", "Beyond one machine's finite sum")
TOCTREE = re.compile(r"^```\{toctree\}\n(.*?)^```", re.MULTILINE | re.DOTALL)


def part_chapters() -> list[Path]:
    """The chapters of the book's three parts (index.md's toctrees), with code cells."""
    chapters = []
    for tree in TOCTREE.findall((DOCS / "index.md").read_text()):
        caption = re.search(r"^:caption: (.*)$", tree, re.MULTILINE)
        if caption and caption.group(1) in PARTS:
            names = [line for line in tree.splitlines() if line and not line.startswith(":")]
            chapters += [DOCS / f"{name}.md" for name in names if DOCS / f"{name}.md" in CHAPTERS]
    return chapters


def test_every_part_has_chapters() -> None:
    assert len(part_chapters()) >= 3 * 6


EXERCISE = re.compile(r"^`{3,}\{exercise\}[^\n]*\n:label: (\S+)$", re.MULTILINE)
SOLUTION = re.compile(r"^`{3,}\{solution(?:-start)?\} (\S+)$", re.MULTILINE)


@pytest.mark.parametrize("chapter", part_chapters(), ids=lambda path: path.stem)
def test_every_chapter_has_two_exercises_each_with_a_solution(chapter: Path) -> None:
    source = chapter.read_text()
    exercises, solutions = EXERCISE.findall(source), SOLUTION.findall(source)
    assert len(exercises) >= 2, f"{chapter.name}: {len(exercises)} exercises"
    assert sorted(solutions) == sorted(exercises), f"{chapter.name}: {exercises} vs {solutions}"
