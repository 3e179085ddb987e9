"""The Notation page's glossary against the pages: one meaning per symbol, none missing."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import sympy as sp

from gradavg.book import notation
from gradavg.book.glossary import GLOSSARY, markdown_table

DOCS = Path(__file__).parent.parent / "docs"
IMPORT = re.compile(r"^from gradavg\.book\.notation import ([^\n]+)$", re.MULTILINE)
PAGES = sorted(path for path in DOCS.glob("*.md") if IMPORT.search(path.read_text()))


def atoms(symbol: str) -> list[str]:
    """The symbols of one entry: ``"m, b"`` holds two."""
    return [part.strip() for part in symbol.split(", ")]


def declared_symbols() -> set[str]:
    """The names in gradavg.book.notation that are symbols or definitions, not helpers."""
    return {
        name
        for name, value in vars(notation).items()
        if not name.startswith("_") and isinstance(value, sp.Basic | sp.FunctionClass | dict)
    }


def test_no_symbol_has_two_entries() -> None:
    counts = Counter(atom for entry in GLOSSARY for atom in atoms(entry.symbol))
    twice = sorted(atom for atom, count in counts.items() if count > 1)
    assert not twice, f"symbols listed with more than one meaning: {twice}"


def test_every_shared_symbol_has_an_entry() -> None:
    named = {name for entry in GLOSSARY for name in entry.names}
    missing = sorted(declared_symbols() - named)
    assert not missing, f"gradavg.book.notation declares symbols the glossary lacks: {missing}"
    unknown = sorted(named - set(vars(notation)))
    assert not unknown, f"the glossary names objects gradavg.book.notation lacks: {unknown}"


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_a_page_imports_only_symbols_the_glossary_explains(page: Path) -> None:
    imported = {
        name.strip() for names in IMPORT.findall(page.read_text()) for name in names.split(",")
    }
    named = {name for entry in GLOSSARY for name in entry.names}
    unexplained = sorted((imported & declared_symbols()) - named)
    assert not unexplained, f"{page.name} uses symbols with no glossary entry: {unexplained}"


def squeezed(text: str) -> str:
    return re.sub(r"[\s{}]", "", text)


@pytest.mark.parametrize("entry", GLOSSARY, ids=lambda entry: entry.symbol)
def test_a_symbol_appears_on_the_page_that_introduces_it(entry: object) -> None:
    source = squeezed((DOCS / f"{entry.page}.md").read_text())  # type: ignore[attr-defined]
    for atom in atoms(entry.symbol):  # type: ignore[attr-defined]
        assert squeezed(atom) in source, f"{atom} does not appear on {entry.page}.md"  # type: ignore[attr-defined]


def test_the_table_links_every_entry_to_its_page() -> None:
    table = markdown_table(GLOSSARY)
    assert table.count("\n") == len(GLOSSARY) + 1
    assert all(f"{{doc}}`{entry.page}`" in table for entry in GLOSSARY)
