"""The pages' stylesheets: copied before the pages are written, then linked as one file.

Sphinx adds ``?v=<checksum>`` to a stylesheet's link when the file is in the output
folder as the page is written, so a browser fetches it again when it changes. MyST-NB
(``mystnb.<hash>.css``) and sphinx-proof (``proof.css``) copy theirs only when the
build finishes, after the pages: a fresh build linked them without a checksum, and the
pages of the next build with one. Their own copy functions run here before any page
is written as well (the copy at the end then finds the same file and leaves it).

Each page links one stylesheet, ``_static/bundle.css``: every stylesheet the theme and the
extensions add, in the order they would be linked, joined as each page is written, with
their relative ``url(…)`` references rewritten to hold from ``_static``. One
render-blocking request instead of eight. Furo writes its ``pygments.css`` only when the
build finishes, so the bundle takes it from Furo's ``get_pygments_stylesheet`` instead of
the file.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from furo import get_pygments_stylesheet
from myst_nb.sphinx_ext import add_global_html_resources
from sphinx.application import Sphinx
from sphinx_proof import copy_asset_files

# The build-finished handlers that copy a stylesheet the pages link: (app, exception).
LATE_COPIES: tuple[Callable[[Sphinx, Exception | None], None], ...] = (
    add_global_html_resources,
    copy_asset_files,
)


def copy_before_writing(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    Path(app.outdir, "_static").mkdir(parents=True, exist_ok=True)  # a folder to copy into
    for copy in LATE_COPIES:
        copy(app, None)


BUNDLE = "bundle.css"
_RELATIVE_URL = re.compile(r"""url\((['"]?)(?![a-z]+:|/|#)([^'")]+)\1\)""")


def _from_static(css: str, name: str) -> str:
    """``css``, the stylesheet ``_static/<name>``, with its relative URLs made to hold from
    ``_static`` (KaTeX's ``fonts/…`` becomes ``katex/fonts/…``)."""
    folder = posixpath.dirname(name)
    if not folder:
        return css
    return _RELATIVE_URL.sub(
        lambda m: f"url({m[1]}{posixpath.normpath(posixpath.join(folder, m[2]))}{m[1]})", css
    )


def bundled(static: Path, names: list[str]) -> str:
    """The stylesheets ``names`` (paths under ``static``) joined into one, in order."""
    parts = []
    for name in names:
        css = get_pygments_stylesheet() if name == "pygments.css" else (static / name).read_text()
        parts.append(f"/* {name} */\n{_from_static(css, name).strip()}\n")
    return "\n".join(parts)


def link_one_stylesheet(
    app: Sphinx, pagename: str, _template: str, context: dict[str, Any], _doctree: Any
) -> None:
    """Write ``_static/bundle.css`` (if it changed) and make it the page's only stylesheet."""
    if "css_files" not in context:
        return
    sheets = context["css_files"]
    bundle = next(css for css in sheets if css.filename == f"_static/{BUNDLE}")
    others = [css for css in sheets if css is not bundle]
    if any(css.attributes.get("media") or "://" in css.filename for css in others):
        raise ValueError(
            f"{pagename}: a stylesheet for a medium or from elsewhere cannot be bundled"
        )
    names = [css.filename.removeprefix("_static/") for css in others]
    text = bundled(Path(app.outdir, "_static"), names)
    target = Path(app.outdir, "_static", BUNDLE)
    if not target.exists() or target.read_text() != text:  # parallel writers agree
        partial = target.with_name(f"{BUNDLE}.{os.getpid()}")
        partial.write_text(text)
        partial.replace(target)
    context["css_files"] = [bundle]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", copy_before_writing)
    app.add_css_file(BUNDLE, priority=1000)
    app.connect("html-page-context", link_one_stylesheet, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
