"""Helpers for the pages: numbers as the prose shows them, and published addresses."""

from __future__ import annotations

import os

import numpy as np
from numpy.typing import ArrayLike

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


def true_minus(text: str) -> str:
    """``text`` with every hyphen-minus ``-`` replaced by a true minus sign (U+2212)."""
    return text.replace("-", "\N{MINUS SIGN}")


def shown(value: object, spec: str = ".4g") -> str:
    """``value`` formatted by ``spec`` for the prose, with a true minus sign (U+2212).

    Accepts anything ``float()`` accepts (numpy and sympy numbers included); the minus
    of an exponent is replaced too, so ``shown(2.5e-16, ".1e")`` is ``"2.5e−16"``.
    """
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return true_minus(format(int(value), spec))  # integer specs such as ",d" work too
    return true_minus(format(float(value), spec))  # type: ignore[arg-type]


def scientific(value: object) -> str:
    """A positive number as a power of ten for the prose: ``4 × 10⁻¹⁶``, or ``10⁻⁶``."""
    mantissa, exponent = f"{float(value):.0e}".split("e")  # type: ignore[arg-type]
    power = "10" + str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return power if mantissa == "1" else f"{mantissa} × {power}"


def relative_difference(value: ArrayLike, reference: ArrayLike) -> float:
    """The largest entrywise difference, relative to the largest entry of ``reference``
    (or to the smallest positive float64, if ``reference`` is all zeros)."""
    gap = np.max(np.abs(np.asarray(value, float) - np.asarray(reference, float)))
    scale = max(float(np.max(np.abs(reference))), float(np.finfo(np.float64).tiny))
    return float(gap / scale)
