"""A record the build environment keeps per page: ``env.<name>``, docname -> the page's data.

Made empty on a first build, a page's entry dropped when the page is read again or
removed, and the entries of parallel readers merged back, so that the record of any
build is the one a fresh serial build makes.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


def keep_per_page(app: Sphinx, name: str) -> None:
    """Keep ``env.<name>`` through incremental and parallel builds."""

    def init(_app: Sphinx, env: BuildEnvironment, _docnames: list[str]) -> None:
        if not hasattr(env, name):
            setattr(env, name, {})

    def purge(_app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        getattr(env, name, {}).pop(docname, None)

    def merge(
        _app: Sphinx, env: BuildEnvironment, docnames: list[str], other: BuildEnvironment
    ) -> None:
        init(_app, env, docnames)
        mine: dict[str, Any] = getattr(env, name)
        theirs: dict[str, Any] = getattr(other, name, {})
        for docname in docnames:
            if docname in theirs:
                mine[docname] = theirs[docname]

    app.connect("env-before-read-docs", init)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
