"""Helpers for the pages: numbers as the prose shows them, and published addresses."""

from __future__ import annotations

import os


def result_url(page: str, label: str) -> str | None:
    """The published address of ``label`` on ``page``, or None for a local build.

    Read the Docs sets ``READTHEDOCS_CANONICAL_URL`` (the book's root, ending in ``/``)
    while it builds; pages pass the result to ``snippet(url=...)``.
    """
    root = os.environ.get("READTHEDOCS_CANONICAL_URL", "")
    return f"{root.rstrip('/')}/{page}.html#{label}" if root else None


def shown(value: object, spec: str = ".4g") -> str:
    """``value`` formatted by ``spec`` for the prose, with a true minus sign (U+2212).

    Accepts anything ``float()`` accepts (numpy and sympy numbers included); the minus
    of an exponent is replaced too, so ``shown(2.5e-16, ".1e")`` is ``"2.5e−16"``.
    """
    return format(float(value), spec).replace("-", "\N{MINUS SIGN}")  # type: ignore[arg-type]
