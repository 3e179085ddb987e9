#!/usr/bin/env -S uv run --script
# /// script
# dependencies = ["nox>=2025.2.9"]
# ///
"""Sessions for *The Gradient of the Average*: ``nox`` runs lint, tests and the docs build."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "venv"

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
sys.path.insert(0, str(DOCS / "_ext"))
import notebook_pages  # the book's rule for which pages are notebooks


def _install(session: nox.Session, *groups: str) -> None:
    """Install the package and the named dependency groups of pyproject.toml."""
    requirements = [r for g in groups for r in nox.project.dependency_groups(PYPROJECT, g)]
    session.install("-e", ".", *requirements)


def _build_env() -> dict[str, str]:
    """A reproducible build: fixed timestamps, one BLAS thread, no input from the user."""
    env = {
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0",
        "NO_COLOR": "1",
    }
    try:
        epoch = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        epoch = ""
    env["SOURCE_DATE_EPOCH"] = epoch or "1767225600"  # 2026-01-01 outside a git checkout
    return env


# A script, stylesheet, font or import that the browser would fetch from the network.
REMOTE_ASSET = re.compile(
    r"""<script[^>]*\ssrc=["']?(?:https?:)?//"""
    r"""|<link[^>]*\shref=["']?(?:https?:)?//[^>]*>"""
    r"""|url\(\s*["']?(?:https?:)?//"""
    r"""|@import\s+["'](?:https?:)?//""",
    re.IGNORECASE,
)


def _remote_assets(html: Path) -> list[str]:
    """Built files that would load anything over the network (links to pages are fine)."""
    found = []
    for path in sorted(html.rglob("*")):
        if path.suffix in {".html", ".css", ".js"}:
            for match in REMOTE_ASSET.finditer(path.read_text(errors="replace")):
                tag = match.group(0)
                if tag.startswith("<link") and not re.search(
                    r"stylesheet|preload|icon|font", tag, re.IGNORECASE
                ):
                    continue  # rel="canonical" and the like are addresses, not downloads
                found.append(f"{path.relative_to(html)}: {tag[:120]}")
    return found


def _notebook_pages() -> list[str]:
    """The pages with code cells, relative to the repository (as nbqa reports them)."""
    return [str(page.relative_to(ROOT)) for page in notebook_pages.notebook_pages(DOCS)]


@nox.session(default=True)
def lint(session: nox.Session) -> None:
    """Ruff (lint and format) on the package and the pages' code cells, repo-review, mypy.

    Errors in a page are reported as ``docs/page.md:cell_N:line:column``; see what the
    formatter would change with ``nbqa "ruff format --diff" docs/page.md``.
    """
    # mypy sees what the tests, the pages and the PDF build import
    _install(session, "test", "docs", "site", "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    pages = _notebook_pages()
    session.run("nbqa", "ruff check --output-format=concise", *pages)
    session.run("nbqa", "ruff format --check --output-format=concise", *pages)
    # The Scientific Python development guide's checks ([tool.repo-review] in pyproject.toml)
    session.run("repo-review", "--show", "err", ".")
    session.run("mypy")


@nox.session(default=True)
def tests(session: nox.Session) -> None:
    """The test suite, one worker per core, then the coverage of gradavg by module, with
    the lines and branches no test runs; extra arguments go to pytest (``-- -n 0`` runs
    it in one process).

    With the docs tools: tests/docs tests the book's Sphinx side (conf.py, docs/_ext).
    """
    _install(session, "test", "docs")
    session.run("pytest", "-n", "auto", "--cov", "--cov-report=term-missing", *session.posargs)


@nox.session(default=True)
def docs(session: nox.Session) -> None:
    """Build the book strictly (-n -W), running every page, into docs/_build/html.

    Pages are read (and run) in parallel, one process per core (-j auto); every failing
    page is named before the build exits non-zero. ``-- -j 1`` builds serially.

    ``nox -s docs -- --no-execute`` skips running the pages (for timing only: glued
    numbers are then missing and the build is not strict).
    """
    parser = argparse.ArgumentParser(prog="nox -s docs --")
    parser.add_argument("--no-execute", action="store_true", help="do not run the pages")
    args, sphinx_args = parser.parse_known_args(session.posargs)

    _install(session, "docs")
    env = _build_env()
    strict = ["-n", "-W", "--keep-going"]
    if args.no_execute:
        env["NB_EXECUTION_MODE"] = "off"
        strict = []
    session.run(
        "sphinx-build", "-b", "html", "-T", "-j", "auto", *strict, *sphinx_args,
        "-d", str(BUILD / "doctrees"), str(DOCS), str(BUILD / "html"), env=env,
    )  # fmt: skip
    remote = _remote_assets(BUILD / "html")
    if remote:
        session.error("built pages load assets over the network:\n" + "\n".join(remote))
    session.log(
        f"No page loads a script, stylesheet or font over the network. Open {BUILD / 'html' / 'index.html'}"
    )


PDF = "the-gradient-of-the-average.pdf"  # docs/_ext/print_book.py writes it


@nox.session(default=True, requires=["docs"])
def pdf(session: nox.Session) -> None:
    """The whole book as one PDF: the single-page HTML build (strict, every page run),
    printed by Debian's chromium (``CHROMIUM``), then put beside the HTML build, whose
    pages link to it."""
    chromium = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    if not chromium.exists():
        session.error(f"the PDF is printed by chromium, and there is none at {chromium}"
                      " (apt-get install chromium, or set CHROMIUM)")  # fmt: skip
    _install(session, "docs", "site")
    single = BUILD / "singlehtml"
    session.run(
        "sphinx-build", "-b", "singlehtml", "-T", "-j", "auto", "-n", "-W", "--keep-going",
        "-q", "-d", str(BUILD / "doctrees-singlehtml"), str(DOCS), str(single),
        env=_build_env(),
    )  # fmt: skip
    shutil.copyfile(single / PDF, BUILD / "html" / PDF)
    size = (single / PDF).stat().st_size
    session.log(f"The book as a PDF ({size / 1e6:.1f} MB): {BUILD / 'html' / PDF}")


@nox.session(default=True, requires=["docs", "pdf"])
def site(session: nox.Session) -> None:
    """Check the built book: builds that agree, unique ids, every published anchor, every
    downloadable notebook run in a fresh kernel, valid HTML (the Nu HTML Checker, at
    ``VNU_JAR``), and every page in Debian's chromium (console, requests, axe-core, the
    Quote control, the search queries, each page and the PDF's single page printed;
    skipped when /usr/bin/chromium is missing).

    The build of ``docs`` must be byte-identical (sitemap.xml and searchindex.js too) to
    a fresh build with ``-j 4``, and to that build rebuilt over its own output: with
    nothing changed, after a one-word edit of a page's prose, and after its revert.
    """
    _install(session, "docs", "test", "site")
    again = BUILD / "again"
    shutil.rmtree(again, ignore_errors=True)
    _check_same(session, again, "a fresh build with -j 4", jobs="4")
    _check_same(session, again, "a rebuild of it with nothing changed")
    page = ROOT / _notebook_pages()[0]  # a chapter: prose and code
    original = page.read_text(encoding="utf-8")
    try:
        page.write_text(edit_prose(original), encoding="utf-8")
        _sphinx(session, again)
    finally:
        page.write_text(original, encoding="utf-8")
    _check_same(session, again, f"a rebuild after an edit of {page.name} and its revert")
    built = {"GRADAVG_SITE": str(BUILD / "html"), "GRADAVG_SINGLE_PAGE": str(BUILD / "singlehtml")}
    session.run("pytest", "-n", "auto", "tests/site", env=built)  # one worker per core


def _sphinx(session: nox.Session, out: Path, jobs: str = "auto") -> None:
    """The strict build into ``out``, as ``docs`` builds (quietly)."""
    session.run(
        "sphinx-build", "-b", "html", "-T", "-j", jobs, "-n", "-W", "--keep-going", "-q",
        "-d", str(out / "doctrees"), str(DOCS), str(out / "html"), env=_build_env(),
    )  # fmt: skip


def _check_same(session: nox.Session, out: Path, what: str, jobs: str = "auto") -> None:
    """Build into ``out`` and fail, naming the files, unless it equals the docs build."""
    _sphinx(session, out, jobs)
    differ = _differences(BUILD / "html", out / "html")
    if differ:
        session.error(f"{what} differs from the docs build in:\n" + "\n".join(differ))
    session.log(f"{what}: byte-identical to the docs build.")


def edit_prose(text: str) -> str:
    """``text`` with a word added to its first line of prose (outside the front matter
    and fenced blocks): an author's smallest edit."""
    lines = text.split("\n")
    start = lines.index("---", 1) + 1 if lines[0] == "---" else 0  # after the front matter
    fenced = False
    for number in range(start, len(lines)):
        line = lines[number]
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and re.match(r"[A-Z][a-z]* ", line):
            lines[number] = f"{line} indeed"
            return "\n".join(lines)
    msg = "no line of prose to edit"
    raise ValueError(msg)


def _differences(first: Path, second: Path) -> list[str]:
    """Files present in only one of two trees, or with different bytes (the PDF, which
    only ``pdf`` puts in the HTML build, aside)."""
    names = {p.relative_to(first) for p in first.rglob("*") if p.is_file()}
    names |= {p.relative_to(second) for p in second.rglob("*") if p.is_file()}
    names.discard(Path(PDF))
    return sorted(
        str(name)
        for name in names
        if not (first / name).is_file()
        or not (second / name).is_file()
        or (first / name).read_bytes() != (second / name).read_bytes()
    )


@nox.session(default=False)
def serve(session: nox.Session) -> None:
    """Rebuild the book on every change and serve it at http://127.0.0.1:8000.

    A page runs again only when its code or a file it reads changed (its outputs are
    cached in docs/_build/.jupyter_cache, NB_EXECUTION_MODE=cache): a prose edit is
    shown in seconds."""
    _install(session, "docs")
    session.install("sphinx-autobuild")
    session.run(
        "sphinx-autobuild", "-n", "--watch", "src", "--ignore", "*/_build/*",
        str(DOCS), str(BUILD / "html"), *session.posargs,
        env={**_build_env(), "NB_EXECUTION_MODE": "cache"},
    )  # fmt: skip


@nox.session(default=False)
def clean(session: nox.Session) -> None:
    """Remove the built book."""
    if BUILD.exists():
        shutil.rmtree(BUILD)
    session.log(f"removed {BUILD}")


if __name__ == "__main__":
    os.chdir(ROOT)
    nox.main()
