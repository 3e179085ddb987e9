"""No statement types its quantifier over the sizes: it is glued from the engine's record.

A result's statement (a ``prf:`` theorem, proposition, lemma or corollary) that says
"for every N" must take those words from the derivation that established it
(``{glue:md}`key-quantifier:myst```), so a step that was only checked at some sizes can
never sit under a typed "for every N". The test reads the pages' sources.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
RESULT = re.compile(
    r"^(`{4,})\{prf:(?:theorem|proposition|lemma|corollary)\}[^\n]*\n(.*?)^\1\s*$",
    re.MULTILINE | re.DOTALL,
)
SIZES = r"(?:N|K|M|T|n_k|n_1|n_i)"
TYPED = re.compile(rf"\b(?i:every|all|each)\b[^.,;:$]{{0,40}}\$\s*{SIZES}\b[^$]*\$")
"""A quantifier over a size written in the text: "for every batch size $N$", "all $n_k$"."""
GLUED = re.compile(r"\{glue:md\}`([\w-]+)-quantifier:myst`")


def _results() -> list[tuple[str, str]]:
    found = []
    for page in sorted(DOCS.glob("*.md")):
        source = page.read_text(encoding="utf-8")
        found += [(page.stem, match[2]) for match in RESULT.finditer(source)]
    return found


RESULTS = _results()


def test_the_pages_have_results() -> None:
    assert len(RESULTS) > 30


@pytest.mark.parametrize(
    ("page", "body"), RESULTS, ids=[f"{p}:{i}" for i, (p, _) in enumerate(RESULTS)]
)
def test_no_statement_types_a_size_quantifier(page: str, body: str) -> None:
    statement = body.partition("```{glue")[0]  # the words before the displayed result
    typed = TYPED.findall(statement)
    assert not typed, f"{page}: typed quantifier(s) {typed}; glue the derivation's quantifier"


def test_a_glued_quantifier_belongs_to_a_derivation_on_its_page() -> None:
    for page in sorted(DOCS.glob("*.md")):
        source = page.read_text(encoding="utf-8")
        for key in GLUED.findall(source):
            assert re.search(rf'["\']{re.escape(key)}["\']', source) or re.search(
                rf"\{{glue:math\}} {re.escape(key)}(?:-statement)?\n", source
            ), f"{page.stem}: {key}-quantifier glued, but no derivation {key!r} on the page"
