"""Weigh every page of the built book and score it with Lighthouse, as a phone loads it.

Usage (after ``nox -s docs``; Lighthouse from npm, Chromium from Debian)::

    npm install --prefix /tmp/lighthouse lighthouse@12
    python benchmarks/bench_pages.py --lighthouse /tmp/lighthouse/node_modules/.bin/lighthouse

The built site (``docs/_build/html`` or ``--site``) is served from loopback with gzip, as
Read the Docs serves it. Each page is loaded by Lighthouse's mobile preset (a mid-range
phone on a slow 4G link, simulated) in headless Chromium (``CHROME_PATH``, default
``/usr/bin/chromium``). The script prints, per page, the bytes transferred (gzipped, all
resources), the performance score and its main parts, against the targets: at most
150 KB and a score of at least 95. It exits non-zero if a page misses either. Scores
vary by a point or two from run to run; ``--runs 3`` keeps each page's median run.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MAX_KB = 150.0
MIN_SCORE = 95
COMPRESSED = (".html", ".css", ".js", ".svg", ".json", ".txt", ".xml")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text types gzipped when the browser accepts it."""

    def send_head(self) -> Any:
        path = self.translate_path(self.path)
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.endswith(COMPRESSED) and os.path.isfile(path)):
            return super().send_head()
        data = gzip.compress(Path(path).read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)

    def log_message(self, *_args: Any) -> None:
        pass


def serve(site: Path) -> http.server.ThreadingHTTPServer:
    """The site on a free loopback port, served from a background thread."""
    handler = functools.partial(GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def lighthouse(command: str, url: str) -> dict[str, float]:
    """One Lighthouse mobile run of ``url``: transfer, score and its main parts."""
    result = subprocess.run(
        [
            command, url, "--quiet", "--output=json", "--only-categories=performance",
            "--chrome-flags=--headless=new --no-sandbox",
        ],
        capture_output=True, text=True, check=True,
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
    )  # fmt: skip
    report = json.loads(result.stdout)
    audits = report["audits"]
    return {
        "kb": audits["total-byte-weight"]["numericValue"] / 1000,
        "score": report["categories"]["performance"]["score"] * 100,
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "docs" / "_build" / "html")
    parser.add_argument("--lighthouse", default=shutil.which("lighthouse") or "lighthouse")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median counts")
    parser.add_argument("pages", nargs="*", help="page names (default: every page)")
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        sys.exit(f"no built book at {args.site}: run `nox -s docs` first")
    if not shutil.which(args.lighthouse):
        sys.exit(f"Lighthouse not found ({args.lighthouse!r}); see this script's docstring")
    if args.runs < 1:
        sys.exit("--runs must be at least 1")
    pages = args.pages or sorted(page.stem for page in args.site.glob("*.html"))
    server = serve(args.site)
    host, port = server.server_address[:2]
    print(
        f"{'page':<16} {'KB':>6} {'score':>5} {'FCP ms':>7} {'LCP ms':>7} {'TBT ms':>7} {'CLS':>6}"
    )
    missed = []
    for page in pages:
        runs = [
            lighthouse(args.lighthouse, f"http://{host}:{port}/{page}.html")
            for _ in range(args.runs)
        ]
        run = sorted(runs, key=lambda r: r["score"])[len(runs) // 2]
        ok = run["kb"] <= MAX_KB and round(run["score"]) >= MIN_SCORE
        missed += [] if ok else [page]
        print(
            f"{page:<16} {run['kb']:6.1f} {run['score']:5.0f} {run['fcp']:7.0f} {run['lcp']:7.0f}"
            f" {run['tbt']:7.0f} {run['cls']:6.3f}" + ("" if ok else "  MISSED")
        )
    server.shutdown()
    print(f"targets: at most {MAX_KB:.0f} KB and a score of at least {MIN_SCORE} on every page")
    print("all pages meet them" if not missed else f"missed on: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
