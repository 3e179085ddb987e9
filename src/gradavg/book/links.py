"""The book's published address, and the absolute address of a result on a page."""

from __future__ import annotations

import os

PUBLISHED_URL = "https://gradient-of-the-average.readthedocs.io/en/latest/"
"""Where the book is published, the base of every absolute link it prints."""


def book_url() -> str:
    """The book's root address, ending in ``/``: Read the Docs' canonical URL while it
    builds (``READTHEDOCS_CANONICAL_URL``), the published address otherwise."""
    root = os.environ.get("READTHEDOCS_CANONICAL_URL") or PUBLISHED_URL
    return root.rstrip("/") + "/"


def result_url(page: str, label: str) -> str:
    """The absolute address of ``label`` on ``page``; pages pass it to ``snippet(url=...)``."""
    return f"{book_url()}{page}.html#{label}"
