"""Which pages of the book are notebooks: the one rule (docs/_ext/notebook_pages.py) that
the build, nox and the tests use."""

from __future__ import annotations

from pathlib import Path

import pytest
from myst_nb.core.read import is_myst_markdown_notebook
from notebook_pages import is_notebook, notebook_pages

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize(
    ("source", "notebook"),
    [
        ("# Page\n\n```{code-cell} ipython3\nx = 1\n```\n", True),
        ("# Page\n\n````{code-cell}\nx = 1\n````\n", True),
        ("# Page\n\n~~~{code-cell} ipython3\nx = 1\n~~~\n", True),
        ("# Page\n\n```python\nx = 1\n```\n", False),
        ("# Page\n\nA page may name ```{code-cell}``` in its text.\n", False),
        ("# Page\n\n    ```{code-cell}\n", False),  # indented: a literal block
    ],
)
def test_a_page_is_a_notebook_when_it_has_a_code_cell(source: str, notebook: bool) -> None:
    assert is_notebook(source) is notebook


def test_the_notebook_pages_are_the_ones_with_code_cells_sorted(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text("```{code-cell}\n1\n```\n")
    (tmp_path / "a.md").write_text("```{code-cell}\n1\n```\n")
    (tmp_path / "prose.md").write_text("# Prose\n")
    (tmp_path / "c.ipynb").write_text("```{code-cell}\n")
    assert notebook_pages(tmp_path) == [tmp_path / "a.md", tmp_path / "b.md"]


def test_the_books_notebooks_are_the_pages_myst_nb_reads_as_notebooks() -> None:
    pages = sorted(DOCS.glob("*.md"))
    read_as_notebooks = [page for page in pages if is_myst_markdown_notebook(page.read_text())]
    assert notebook_pages(DOCS) == read_as_notebooks
    assert len(read_as_notebooks) >= 7
