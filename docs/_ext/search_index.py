"""A complete search index after any build: the index entries of every page kept.

Sphinx's ``IndexBuilder`` keeps each page's index entries (``.. index::``, the
objects' entries) in ``_index_entries``, a dictionary of the build environment. The
environment is saved before the pages are written, when that dictionary is still
empty, and ``IndexBuilder.load`` reloads the previous ``searchindex.js`` without its
``indexentries`` part: a rebuild that rewrites only some pages (or none) published an
index holding only their entries. This puts the entries of the previous index back
when it is loaded and, when pages are pruned, drops the entries of removed pages and
keeps the others in page order, and drops the words no page holds any more (Sphinx
kept them, as words of no page); the index written is then the one a fresh build
writes, whichever pages were rewritten and whichever ``-j``.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable
from typing import Any

from sphinx.application import Sphinx
from sphinx.search import IndexBuilder

# The private names used, IndexBuilder's own records (tests/test_docs_extensions.py
# fails if they change): the index entries, docname -> [(entry, anchor, "main" or "")],
# which freeze() writes to searchindex.js and load() does not read back; and the
# words of the text and of the titles, word -> {docname}, where prune() leaves a word
# whose pages were all pruned, written as an empty list (a fresh build has no such word).
ENTRIES = "_index_entries"
WORDS = ("_mapping", "_title_mapping")

Entries = dict[str, list[tuple[str, str, str]]]


def entries_from_frozen(frozen: dict[str, Any]) -> Entries:
    """The index entries of a loaded ``searchindex.js``, per page.

    ``freeze`` writes ``{entry.lower(): [(page number, anchor, is main), ...]}``;
    each page's entries are given back in the order they appear there, so freezing
    them again writes the same lists.
    """
    docnames = frozen["docnames"]
    entries: Entries = {}
    for entry, places in frozen.get("indexentries", {}).items():
        for page, anchor, main in places:
            entries.setdefault(docnames[page], []).append((entry, anchor, "main" if main else ""))
    return entries


def kept_in_order(entries: Entries, docnames: Iterable[str]) -> Entries:
    """The entries of ``docnames`` only, in the order of the page names."""
    keep = set(docnames)
    return {page: entries[page] for page in sorted(entries) if page in keep}


def _load(original: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(original)
    def load(self: IndexBuilder, stream: Any, format: Any) -> None:
        data = stream.read()  # read once: Sphinx's load, then the entries from the same text
        original(self, io.BytesIO(data) if isinstance(data, bytes) else io.StringIO(data), format)
        if isinstance(format, str):
            format = self.formats[format]
        setattr(self, ENTRIES, entries_from_frozen(format.loads(data)))

    return load


def _prune(original: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(original)
    def prune(self: IndexBuilder, docnames: Iterable[str]) -> None:
        docnames = list(docnames)
        original(self, docnames)
        setattr(self, ENTRIES, kept_in_order(getattr(self, ENTRIES), docnames))
        for words in WORDS:
            setattr(self, words, {w: pages for w, pages in getattr(self, words).items() if pages})

    return prune


def keep_index_entries() -> None:
    """Patch ``IndexBuilder.load`` and ``IndexBuilder.prune`` (once per process)."""
    if getattr(IndexBuilder, "_book_keeps_entries", False):
        return
    IndexBuilder.load = _load(IndexBuilder.load)  # type: ignore[method-assign]
    IndexBuilder.prune = _prune(IndexBuilder.prune)  # type: ignore[method-assign]
    IndexBuilder._book_keeps_entries = True  # type: ignore[attr-defined]


def setup(_app: Sphinx) -> dict[str, Any]:
    keep_index_entries()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
