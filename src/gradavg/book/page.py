r"""The page API: what a chapter's code cells need, so that they stay a few lines each.

A chapter makes one :class:`Page` and builds its results through it::

    page = Page("sum-rule")
    with page.derivation("sum-rule", "gradient of the mean loss", start=..., definitions=...) as d:
        d.step(..., "definition of J")      # expressions here stay as written
        d.step(..., "sum rule")
    page["sum-rule"]                        # the verified derivation

Leaving the ``with`` block verifies the chain (a wrong step raises
:class:`~gradavg.verify.derivation.StepNotProved` naming the page) and glues it under its key:
``key`` is the aligned chain with its definitions under it, ``key-statement`` its
conclusion in one line, ``key-proved-for`` how it was proved and ``key-quantifier`` what
it establishes about its sizes ("for every $N$", or a declared claim such as
"for $M \le 4$"), both read from the engine's record; a statement glues its quantifier
(``{glue:md}`key-quantifier:myst```) rather than typing it. :meth:`Page.glue`
glues anything else in one format: numbers through :func:`~gradavg.book.formats.shown`, sympy
expressions as math that works inline (the ``glue:md`` role with the ``myst`` format,
``key:myst``, which reads ``$…$`` as math) and displayed (``glue:math``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from numbers import Number
from typing import Any

import numpy as np
import sympy as sp
from matplotlib.figure import Figure

from gradavg.book.formats import shown
from gradavg.book.links import result_url
from gradavg.book.overlaps import text_overlaps
from gradavg.verify import (
    RECORD_MIME,
    Derivation,
    Inequality,
    Relation,
    VerifiedDerivation,
    VerifiedInequality,
    latex,
    nonnegative,
)

Result = VerifiedDerivation | VerifiedInequality


class FigureOverlap(ValueError):
    """A figure glued with text drawn over its data (see :mod:`gradavg.book.overlaps`)."""


class Formula:
    """A sympy expression rendered by the book's printer, for glue (inline or displayed)."""

    def __init__(self, expr: sp.Basic | str) -> None:
        self.latex = expr if isinstance(expr, str) else latex(expr)

    def _repr_latex_(self) -> str:
        return f"${self.latex}$"

    def _repr_markdown_(self) -> str:
        return f"${self.latex}$"

    def __repr__(self) -> str:
        return f"Formula({self.latex!r})"


class Glued:
    """A verified result as a page glues it: its LaTeX, for a notebook viewer, and the
    engine's record (:data:`~gradavg.verify.derivation.RECORD_MIME`), from which the book draws it."""

    def __init__(self, result: Result) -> None:
        self.result = result

    def _repr_mimebundle_(self, **_: object) -> dict[str, object]:
        return {"text/latex": self.result._repr_latex_(), RECORD_MIME: self.result.record()}


class Markdown:
    """Text with ``$…$`` math for the ``glue:md`` role (IPython's own needs IPython, which
    the package does not)."""

    def __init__(self, markdown: str) -> None:
        self.markdown = markdown

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return f"Markdown({self.markdown!r})"


class Html:
    """Markup for the ``glue`` directive: a piece of a page that a script brings to life."""

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"Html({self.markup[:60]!r}…)"


class Page:
    """One chapter: its name, its verified results and its glue.

    Parameters
    ----------
    name
        The page's document name (``"sum-rule"``), named in every error and link.
    number_format
        The default format of glued numbers (see :func:`gradavg.book.formats.shown`).
    """

    def __init__(self, name: str, number_format: str = ".4g") -> None:
        self.name = name
        self.number_format = number_format
        self.results: dict[str, Result] = {}

    def __getitem__(self, key: str) -> Any:
        """The verified result glued under ``key``."""
        if key not in self.results:
            known = ", ".join(sorted(self.results)) or "none yet"
            raise KeyError(f"page {self.name!r} has no result {key!r} (it has: {known})")
        return self.results[key]

    @contextmanager
    def derivation(
        self,
        key: str,
        title: str,
        start: sp.Basic,
        definitions: Mapping[sp.Basic, sp.Basic] | None = None,
        *,
        claim: str | None = None,
    ) -> Iterator[Derivation]:
        """Build a derivation in the ``with`` block; on leaving it, verify and glue it.

        Inside the block sympy keeps expressions as written (no automatic evaluation),
        so each step displays the way it was typed. ``claim`` is needed exactly when a
        step is only checked (see :class:`~gradavg.verify.derivation.Claim`).
        """
        chain = Derivation(title, start, dict(definitions or {}), page=self.name, claim=claim)
        with sp.evaluate(False):
            yield chain
        self._keep(key, chain.verify())

    def inequality(
        self,
        key: str,
        title: str,
        left: sp.Basic,
        relation: Relation,
        right: sp.Basic,
        definitions: Mapping[sp.Basic, sp.Basic] | None = None,
    ) -> VerifiedInequality:
        """Verify ``left relation right`` (two numbers), glue it under ``key`` and return it."""
        claim = Inequality(title, left, relation, right, dict(definitions or {}), self.name)
        verified = claim.verify()
        self._keep(key, verified)
        return verified

    def nonnegative(self, key: str, title: str, expr: sp.Basic) -> None:
        """Show ``expr ≥ 0`` from sympy's assumptions (see
        :func:`~gradavg.verify.derivation.nonnegative`) and glue it under ``key``."""
        self.glue(key, nonnegative(title, expr, self.name))

    def _keep(self, key: str, result: Result) -> None:
        if key in self.results:
            raise ValueError(f"page {self.name!r}: the key {key!r} is used twice")
        self.results[key] = result
        self.glue(key, result)

    def glue(self, key: str, value: object, spec: str | None = None) -> None:
        """Glue ``value`` for the prose under ``key``, formatted the book's way.

        A verified derivation is glued three times (``key``, ``key-statement``,
        ``key-proved-for``); a sympy expression as a :class:`Formula`; a number through
        :func:`~gradavg.book.formats.shown` with ``spec`` (default: the page's number format);
        text and figures as they are.
        """
        from myst_nb import glue  # noqa: PLC0415 -- the package runs without the docs tools

        if isinstance(value, VerifiedDerivation):
            glue(key, Glued(value), display=False)
            glue(f"{key}-statement", Formula(value.statement()), display=False)
            glue(f"{key}-proved-for", value.proved_for(), display=False)
            glue(f"{key}-quantifier", Markdown(value.quantifier()), display=False)
        elif isinstance(value, VerifiedInequality):
            glue(key, Glued(value), display=False)
        elif isinstance(value, Formula):
            glue(key, value, display=False)
        elif isinstance(value, Number | np.number) or (
            isinstance(value, sp.Basic) and value.is_number
        ):
            glue(key, shown(value, spec or self.number_format), display=False)
        elif isinstance(value, sp.Basic):
            glue(key, Formula(value), display=False)
        elif isinstance(value, Figure):
            if overlaps := text_overlaps(value):
                raise FigureOverlap(f"page {self.name!r}, figure {key!r}: " + "; ".join(overlaps))
            glue(key, value, display=False)
        else:
            glue(key, value, display=False)

    def url(self, label: str) -> str:
        """The published address of the result labelled ``label`` on this page."""
        return result_url(self.name, label)

    def snippet(self, label: str, key: str | None = None) -> str:
        """The Markdown an answerer pastes: the result glued under ``key`` (default:
        ``label``) with a link to ``label`` on this page."""
        result: Result = self[key or label]
        return result.snippet(url=self.url(label))

    def snippets(self, *results: tuple[str, str]) -> str:
        """The snippets of several results, each given as ``(label, key)``, one after
        another with a blank line between them.

        Print them with one ``print``: a notebook's output arrives in chunks, and where
        two chunks are joined MyST-NB strips the whitespace at the end of the first, so
        blank lines between separate prints come and go with the timing.
        """
        return "\n".join(self.snippet(label, key) for label, key in results)
