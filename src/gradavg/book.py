"""Where a result of the book lives once published, for links in Q&A snippets."""

from __future__ import annotations

import os


def result_url(page: str, label: str) -> str | None:
    """The published address of ``label`` on ``page``, or None for a local build.

    Read the Docs sets ``READTHEDOCS_CANONICAL_URL`` (the book's root, ending in ``/``)
    while it builds; pages pass the result to ``snippet(url=...)``.
    """
    root = os.environ.get("READTHEDOCS_CANONICAL_URL", "")
    return f"{root.rstrip('/')}/{page}.html#{label}" if root else None
