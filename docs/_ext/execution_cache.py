"""A cached page runs again when a file it reads changes, not only when its code does.

With ``NB_EXECUTION_MODE=cache`` (``nox -s serve``) MyST-NB takes a page's outputs from
jupyter-cache when its code cells are unchanged: a prose edit then needs no run. The
cache keys on the code alone, so before pages are read this compares a digest of the
files each one reads (``page_dependencies.page_files``: the package's modules it imports
and their data) with the digest kept when it last ran, and drops the page's cached
outputs when they differ; it then runs. The book's default, ``force``, runs every page
it reads and needs none of this.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from jupyter_cache import get_cache
from page_dependencies import page_files
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

DIGESTS = "execution_cache_digests"  # env attribute: docname -> digest of its files when cached


def digest(files: list[Path]) -> str:
    """One hash of these files' names and bytes."""
    total = hashlib.sha256()
    for path in files:
        total.update(f"{path}\0{path.stat().st_size}\0".encode())
        total.update(path.read_bytes())
    return total.hexdigest()


def forget_stale_outputs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Drop the cached outputs of pages to be read whose files changed since they ran."""
    package = app.config.page_dependencies_package
    if app.config.nb_execution_mode != "cache" or not package or not docnames:
        return
    digests: dict[str, str] = getattr(env, DIGESTS, {})
    stale: set[str] = set()
    for docname in docnames:
        path = Path(env.doc2path(docname))
        now = digest(page_files(path, package))
        if digests.get(docname) != now:
            stale.add(str(path))
        digests[docname] = now
    setattr(env, DIGESTS, digests)
    if stale:
        cache = get_cache(env.mystnb_config.execution_cache_path)  # type: ignore[attr-defined]
        for record in cache.list_cache_records():
            if record.uri in stale:
                cache.remove_cache(record.pk)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("page_dependencies")
    app.connect("env-before-read-docs", forget_stale_outputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
