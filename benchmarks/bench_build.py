"""Time the book's build: cold with every page run, cold without running, and a no-op.

Usage (with the docs environment, e.g. the one ``nox -s docs`` creates)::

    .nox/docs/bin/python benchmarks/bench_build.py [--jobs auto] [--keep]

Three builds of ``docs/`` run one after the other, each into a fresh temporary folder
(the no-op into the folder of the first), with the flags of ``nox -s docs``
(``-T -n -W --keep-going``) and ``-j --jobs``:

* ``forced``: a cold build that runs every page (``nb_execution_mode = "force"``);
* ``off``: the same cold build with ``NB_EXECUTION_MODE=off`` (glued numbers are then
  missing, so this build warns and exits non-zero: only its time counts);
* ``no-op``: the first build again, with nothing changed.

The script prints the seconds of each, the ratios against the targets (forced at most
3 times off; a no-op at most 2 s) and how long each page took to run, as MyST-NB
recorded it in the build environment. It exits non-zero if the forced build fails.
"""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FORCED_OVER_OFF = 3.0  # target: a forced build takes at most 3x the build without running
NOOP_SECONDS = 2.0  # target: a rebuild with nothing changed


def _env(execution: str | None) -> dict[str, str]:
    """The environment of ``nox -s docs`` (see noxfile.py's _build_env)."""
    env = dict(os.environ)
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", PYTHONHASHSEED="0", NO_COLOR="1")
    env.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    env.pop("NB_EXECUTION_MODE", None)
    if execution is not None:
        env["NB_EXECUTION_MODE"] = execution
    return env


def _build(out: Path, jobs: str, execution: str | None, log: Path) -> tuple[float, int]:
    """Build the book into ``out``; return the wall-clock seconds and the exit code."""
    command = [
        sys.executable, "-m", "sphinx", "-b", "html", "-T", "-j", jobs,
        "-n", "-W", "--keep-going",
        "-d", str(out / "doctrees"), str(DOCS), str(out / "html"),
    ]  # fmt: skip
    with log.open("w") as stream:
        start = time.perf_counter()
        code = subprocess.run(
            command, env=_env(execution), stdout=stream, stderr=subprocess.STDOUT, check=False
        ).returncode
        return time.perf_counter() - start, code


def _page_runtimes(doctrees: Path) -> dict[str, float]:
    """Seconds each page took to run, from MyST-NB's execution data in the environment."""
    sys.path.insert(0, str(DOCS / "_ext"))  # the environment refers to the book's extensions
    with (doctrees / "environment.pickle").open("rb") as stream:
        env = pickle.load(stream)  # this build's own environment
    return {
        docname: data["exec_data"]["runtime"]
        for docname, data in sorted(getattr(env, "nb_metadata", {}).items())
        if data.get("exec_data")
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", default="auto", help="sphinx-build -j (default: auto)")
    parser.add_argument("--keep", action="store_true", help="keep the build folders")
    args = parser.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="gradavg-bench-build-"))
    try:
        forced, off = root / "forced", root / "off"
        runs = {
            "forced": _build(forced, args.jobs, None, root / "forced.log"),
            "off": _build(off, args.jobs, "off", root / "off.log"),
            "no-op": _build(forced, args.jobs, None, root / "no-op.log"),
        }
        print(f"sphinx-build -j {args.jobs} on {os.cpu_count()} cores")
        for name, (seconds, code) in runs.items():
            print(f"  {name:<7} {seconds:7.2f} s  (exit {code})")
        ratio = runs["forced"][0] / runs["off"][0]
        noop = runs["no-op"][0]
        met = {True: "met", False: "NOT met"}
        fast, quick = ratio <= FORCED_OVER_OFF, noop <= NOOP_SECONDS
        print(f"forced / off = {ratio:.2f} (target <= {FORCED_OVER_OFF:g}): {met[fast]}")
        print(f"no-op = {noop:.2f} s (target <= {NOOP_SECONDS:g} s): {met[quick]}")

        runtimes = _page_runtimes(forced / "doctrees")
        print(f"page execution (forced build), {sum(runtimes.values()):.2f} s in all:")
        for docname, seconds in sorted(runtimes.items(), key=lambda item: -item[1]):
            print(f"  {docname:<14} {seconds:6.2f} s")

        if runs["forced"][1] != 0:
            print(f"the forced build failed: see {root / 'forced.log'}", file=sys.stderr)
            args.keep = True
            return 1
        return 0
    finally:
        if args.keep:
            print(f"builds and logs kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
