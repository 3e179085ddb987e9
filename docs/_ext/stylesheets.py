"""Every stylesheet linked with its checksum: those extensions copy late are copied first.

Sphinx adds ``?v=<checksum>`` to a stylesheet's link when the file is in the output
folder as the page is written, so a browser fetches it again when it changes. MyST-NB
(``mystnb.<hash>.css``) and sphinx-proof (``proof.css``) copy theirs only when the
build finishes, after the pages: a fresh build linked them without a checksum, and the
pages of the next build with one. Their own copy functions run here before any page
is written as well (the copy at the end then finds the same file and leaves it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", copy_before_writing)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
