"""The words of the book's search: how text and queries become terms, on both sides.

The index (``search_hits``) and the search page (``_static/book-search.js``) turn text
into terms the same way, so that a query finds what the page says:

1. lower case, split on everything that is not a letter or a digit ("per-example" is
   "per", "example"; "all_gather" is "all", "gather");
2. each word stemmed by Sphinx's English stemmer (Snowball; the search page loads its
   JavaScript twin, ``language_data.js``), so "normalising" and "normalise" agree;
3. the book's synonyms (``docs/search-synonyms.txt``): a run of stems that spells one
   member of a group also stands for the group, written ``=`` and the first member;
4. Sphinx's English stop words dropped.

The text keeps its own words and gains the group's term; a query's phrase becomes the
group's term only, so "per-sample" finds "per-example" and "minibatch" "mini-batch".
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from sphinx.search.en import SearchEnglish

SYNONYMS = Path(__file__).parents[1] / "search-synonyms.txt"
WORD = re.compile(r"[\W_]+")  # JavaScript: /[^\p{L}\p{N}]+/u


@functools.cache
def _language() -> SearchEnglish:
    return SearchEnglish({})


def words(text: str) -> list[str]:
    """The words of ``text``, lower case."""
    return [word for word in WORD.split(text.lower()) if word]


def stem(word: str) -> str:
    return _language().stem(word)


def is_stopword(word: str) -> bool:
    return word in _language().stopwords


@functools.cache
def synonym_groups() -> tuple[tuple[tuple[str, ...], str], ...]:
    """Each member of each group as its stems, with the group's term; longest first.

    Raises ValueError naming the line of the synonyms file that is not a group.
    """
    phrases: list[tuple[tuple[str, ...], str]] = []
    lines = SYNONYMS.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        group_text = line.split("#", 1)[0].strip()
        if not group_text:
            continue
        members = [tuple(stem(w) for w in words(m)) for m in group_text.split(",")]
        if len(members) < 2 or not all(members):
            raise ValueError(f"{SYNONYMS.name}, line {number}: a group needs two members or more")
        group = "=" + "_".join(members[0])
        phrases += [(member, group) for member in dict.fromkeys(members)]
    return tuple(sorted(phrases, key=lambda phrase: (-len(phrase[0]), phrase)))


@functools.cache
def _by_first_stem() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, group in synonym_groups():
        phrases.setdefault(phrase[0], []).append((phrase, group))
    return phrases


def _matches(stems: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, group term) of each synonym phrase in ``stems``, longest first, left to right."""
    found, position = [], 0
    while position < len(stems):
        for phrase, group in _by_first_stem().get(stems[position], []):
            if tuple(stems[position : position + len(phrase)]) == phrase:
                found.append((position, position + len(phrase), group))
                position += len(phrase)
                break
        else:
            position += 1
    return found


def terms(text: str) -> list[str]:
    """The terms ``text`` is indexed under: its stems and, after each phrase, its group."""
    raw = words(text)
    stems = [stem(w) for w in raw]
    groups = {end: group for _, end, group in _matches(stems)}
    out: list[str] = []
    for position, (word, stemmed) in enumerate(zip(raw, stems, strict=True), start=1):
        if not is_stopword(word):
            out.append(stemmed)
        if position in groups:
            out.append(groups[position])
    return out


def query_terms(query: str) -> list[str]:
    """The terms a query searches for: each synonym phrase as its group's term only.

    ``_static/book-search.js`` does the same in the browser (tests/site/test_search.py
    compares the two).
    """
    raw = words(query)
    stems = [stem(w) for w in raw]
    starts = {start: (end, group) for start, end, group in _matches(stems)}
    out: list[str] = []
    position = 0
    while position < len(stems):
        if position in starts:
            end, group = starts[position]
            out.append(group)
            position = end
        else:
            if not is_stopword(raw[position]):
                out.append(stems[position])
            position += 1
    return list(dict.fromkeys(out))
