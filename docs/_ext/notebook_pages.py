"""Which pages of the book are notebooks: the one rule, for the build, nox and the tests.

A page is a notebook when its MyST source has a code cell: a line that opens a
```` ```{code-cell} ```` fence. Such a page is run by MyST-NB (it needs the notebook
top-matter, which ``tests/test_project_files.py`` requires of each), offered for download
as a notebook (``notebooks.py``), linted cell by cell (``nox -s lint``) and held to more
prose than code (``tests/test_pages.py``). Standard library only, so that ``noxfile.py``
imports it without the docs tools.
"""

from __future__ import annotations

import re
from pathlib import Path

CODE_CELL = re.compile(r"^(?:`{3,}|~{3,})\{code-cell\}", re.MULTILINE)


def is_notebook(source: str) -> bool:
    """Whether a page's MyST source has a code cell."""
    return CODE_CELL.search(source) is not None


def notebook_pages(docs: Path) -> list[Path]:
    """The pages in the folder ``docs`` that are notebooks, sorted."""
    return sorted(
        page for page in docs.glob("*.md") if is_notebook(page.read_text(encoding="utf-8"))
    )
