"""The chapter sources stay thin: prose leads, code is short, helpers live in the package."""

from __future__ import annotations

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
    """Non-blank lines of code in code cells, and lines of running prose outside them."""
    source = FRONT_MATTER.sub("", source)
    cells = CELL.findall(source)
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
