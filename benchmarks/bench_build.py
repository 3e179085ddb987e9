"""Time the book's build: cold, without running, a no-op, a prose edit, a module change.

Usage (with the docs environment, e.g. the one ``nox -s docs`` creates)::

    .nox/docs/bin/python benchmarks/bench_build.py [--jobs auto] [--module batchnorm] [--keep]

The book (``docs/`` and ``src/``) is copied to a temporary folder, and every build and
edit happens there, with the copy's ``gradavg`` first on the path, so the checkout is
never touched. The builds, one after the other, with the flags of ``nox -s docs``
(``-T -n -W --keep-going``) and ``-j --jobs``:

* ``cold``: a fresh build that runs every page;
* ``off``: the same fresh build with ``NB_EXECUTION_MODE=off`` (glued numbers are then
  missing, so this build warns and exits non-zero: only its time counts);
* ``no-op``: the cold build again, with nothing changed;
* ``prose edit``: a word added to a line of prose of a chapter (``--page``), until its
  HTML holds the word; then ``revert``, the edit undone;
* ``module change``: a comment added to one module of the package (``--module``, found
  by file name anywhere under ``src/gradavg``), listing the pages re-read and re-run.

``--execution cache`` runs them all with ``NB_EXECUTION_MODE=cache`` (as ``nox -s serve``):
the cold build then fills the cache, and a page runs again only when its code or a file
it reads changed.

The script prints the wall-clock and CPU seconds of each (CPU: the build's and its
kernels' user + system time, which a busy machine does not inflate as much), the
figures against the targets, and how long each page took to run in the cold build. It
exits non-zero if the cold build fails; it asserts nothing about the times.
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FORCED_OVER_OFF = 3.0  # target: a cold build takes at most 3x the build without running
NOOP_SECONDS = 2.0  # target: a rebuild with nothing changed
EDIT_SECONDS = 3.0  # target: a one-word prose edit, until its page's HTML is updated
COPIED = shutil.ignore_patterns("_build", "_notebooks", "jupyter_execute", "__pycache__", ".*")
WORD = "indeed"


@dataclass
class Run:
    """One build: wall-clock and CPU seconds, exit code."""

    wall: float
    cpu: float
    code: int

    def __str__(self) -> str:
        return f"{self.wall:7.2f} s  (CPU {self.cpu:6.2f} s, exit {self.code})"


class Book:
    """A copy of the book to build and edit: ``root/docs``, ``root/src``, builds in ``root``."""

    def __init__(self, root: Path, jobs: str, execution: str | None) -> None:
        self.root, self.jobs, self.execution = root, jobs, execution
        for folder in ("docs", "src"):
            shutil.copytree(ROOT / folder, root / folder, ignore=COPIED)
        self.docs, self.src = root / "docs", root / "src"

    def env(self, execution: str | None) -> dict[str, str]:
        """The environment of ``nox -s docs`` (noxfile.py's _build_env), this copy first."""
        env = dict(os.environ)
        env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", PYTHONHASHSEED="0", NO_COLOR="1")
        env.setdefault("SOURCE_DATE_EPOCH", "1767225600")
        env["PYTHONPATH"] = os.pathsep.join([str(self.src), env.get("PYTHONPATH", "")]).rstrip(
            os.pathsep
        )
        env.pop("NB_EXECUTION_MODE", None)
        if execution is not None:
            env["NB_EXECUTION_MODE"] = execution
        return env

    def log(self, name: str) -> Path:
        return self.root / f"{name.replace(' ', '-')}.log"

    def build(self, name: str, out: str, execution: str | None = None) -> Run:
        """Build into ``root/out``, logging to ``root/name.log``; ``execution``: the
        NB_EXECUTION_MODE (default: ``--execution``)."""
        command = [
            sys.executable, "-m", "sphinx", "-b", "html", "-T", "-j", self.jobs,
            "-n", "-W", "--keep-going",
            "-d", str(self.root / out / "doctrees"), str(self.docs), str(self.root / out / "html"),
        ]  # fmt: skip
        with self.log(name).open("w") as stream:
            before = _children_cpu()
            start = time.perf_counter()
            code = subprocess.run(
                command, env=self.env(execution or self.execution), stdout=stream, stderr=subprocess.STDOUT,
                cwd=self.root, check=False,
            ).returncode  # fmt: skip
            return Run(time.perf_counter() - start, _children_cpu() - before, code)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _environment(doctrees: Path, docs: Path) -> Any:
    """A build's own environment (its pickle refers to the book's extensions)."""
    if str(docs / "_ext") not in sys.path:
        sys.path.insert(0, str(docs / "_ext"))
    with (doctrees / "environment.pickle").open("rb") as stream:
        return pickle.load(stream)


def _page_runtimes(env: Any) -> dict[str, float]:
    """Seconds each page took to run, from MyST-NB's execution data in the environment."""
    return {
        docname: data["exec_data"]["runtime"]
        for docname, data in getattr(env, "nb_metadata", {}).items()
        if data.get("exec_data")
    }


# MyST-NB's log line for a page it ran (not for one it took from the cache)
RAN = re.compile(r"([^/\s]+)\.md: (?:Executed notebook in|Executing notebook failed)")


def _pages_run(log: Path) -> list[str]:
    """The pages a build ran, from its log."""
    return sorted(set(RAN.findall(log.read_text(encoding="utf-8", errors="replace"))))


def edit_prose(text: str) -> str:
    """``text`` with a word added to its first line of prose (as noxfile.py's site)."""
    lines = text.split("\n")
    start = lines.index("---", 1) + 1 if lines[0] == "---" else 0
    fenced = False
    for number in range(start, len(lines)):
        if lines[number].lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and re.match(r"[A-Z][a-z]* ", lines[number]):
            lines[number] += f" {WORD}"
            return "\n".join(lines)
    msg = "no line of prose to edit"
    raise ValueError(msg)


@dataclass
class Rebuild:
    """A build over the cold build: its run, and the pages it read and ran again."""

    run: Run
    reread: list[str]
    rerun: list[str]

    def pages(self) -> str:
        return f"re-read: {', '.join(self.reread) or 'none'}; re-run: {', '.join(self.rerun) or 'none'}"


def _rebuild(book: Book, name: str) -> Rebuild:
    """Build ``name`` over the cold build, noting which pages it read and ran."""
    doctrees = book.root / "cold" / "doctrees"
    read_before = dict(_environment(doctrees, book.docs).all_docs)  # page -> when read
    run = book.build(name, "cold")
    read_after = _environment(doctrees, book.docs).all_docs
    reread = sorted(d for d, t in read_after.items() if read_before.get(d) != t)
    return Rebuild(run, reread, _pages_run(book.log(name)))


def _prose_edit(book: Book, page: Path) -> tuple[Rebuild, Rebuild, bool]:
    """The prose edit of ``page`` and its revert; whether the page's HTML showed the edit."""
    original = page.read_text(encoding="utf-8")
    page.write_text(edit_prose(original), encoding="utf-8")
    edit = _rebuild(book, "prose edit")
    html = book.root / "cold" / "html" / f"{page.stem}.html"
    updated = WORD in re.sub(r"<[^>]+>", " ", html.read_text(encoding="utf-8")).split()
    page.write_text(original, encoding="utf-8")
    return edit, _rebuild(book, "revert"), updated


def _module_change(book: Book, name: str) -> tuple[Rebuild, Path]:
    """A comment added to module ``name`` (found by file name), rebuilt."""
    module = next(book.src.rglob(f"{name}.py"))
    with module.open("a", encoding="utf-8") as stream:
        stream.write("\n# changed by benchmarks/bench_build.py\n")
    return _rebuild(book, "module change"), module.relative_to(book.src)


def _report(
    args: argparse.Namespace, runs: dict[str, Run], rebuilds: dict[str, Rebuild], updated: bool
) -> None:
    mode = args.execution or "conf.py's"
    print(
        f"sphinx-build -j {args.jobs}, execution {mode}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f} after the builds"
    )
    for name, run in {**runs, **{n: r.run for n, r in rebuilds.items()}}.items():
        print(f"  {name:<14} {run}")
    met = {True: "met", False: "NOT met"}
    cold, off, noop = runs["cold"], runs["off"], runs["no-op"]
    ratio = cold.wall / off.wall
    print(
        f"cold / off = {ratio:.2f} (CPU {cold.cpu / off.cpu:.2f}; target <= {FORCED_OVER_OFF:g}):"
        f" {met[ratio <= FORCED_OVER_OFF]}"
    )
    print(
        f"no-op = {noop.wall:.2f} s (target <= {NOOP_SECONDS:g} s): {met[noop.wall <= NOOP_SECONDS]}"
    )
    edit = rebuilds["prose edit"].run.wall
    print(
        f"prose edit of {args.page}.md = {edit:.2f} s (target <= {EDIT_SECONDS:g} s): "
        f"{met[edit <= EDIT_SECONDS]}; its HTML "
        + ("holds the new word" if updated else "was NOT updated")
    )
    for name, rebuild in rebuilds.items():
        print(f"  {name}: {rebuild.pages()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", default="auto", help="sphinx-build -j (default: auto)")
    parser.add_argument("--page", default="sum-rule", help="the chapter to edit (%(default)s)")
    parser.add_argument("--module", default="batchnorm", help="the module to change (%(default)s)")
    parser.add_argument(
        "--execution", choices=["force", "cache"], help="NB_EXECUTION_MODE (default: conf.py's)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the copy and its builds")
    args = parser.parse_args(argv)

    book = Book(Path(tempfile.mkdtemp(prefix="gradavg-bench-build-")), args.jobs, args.execution)
    try:
        runs = {"cold": book.build("cold", "cold"), "off": book.build("off", "off", "off")}
        if runs["cold"].code != 0:
            print(f"the cold build failed: see {book.root / 'cold.log'}", file=sys.stderr)
            args.keep = True
            return 1
        page_seconds = _page_runtimes(_environment(book.root / "cold" / "doctrees", book.docs))
        runs["no-op"] = book.build("no-op", "cold")
        edit, revert, updated = _prose_edit(book, book.docs / f"{args.page}.md")
        change, module = _module_change(book, args.module)
        rebuilds = {"prose edit": edit, "revert": revert, f"changed {module}": change}
        _report(args, runs, rebuilds, updated)
        print(f"page execution (cold build), {sum(page_seconds.values()):.2f} s in all:")
        for docname, seconds in sorted(page_seconds.items(), key=lambda item: -item[1]):
            print(f"  {docname:<14} {seconds:6.2f} s")
        return 0
    finally:
        if args.keep:
            print(f"the copy, its builds and logs kept in {book.root}")
        else:
            shutil.rmtree(book.root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
