"""The browser fixtures of the site checks: the built book served, and Debian's chromium."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_search  # its loopback server serves the tests too

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The built book (``GRADAVG_SITE``) served on a free loopback port."""
    with bench_search.served(Path(os.environ["GRADAVG_SITE"])) as base:
        yield base


@pytest.fixture(scope="module")
def single_page() -> Iterator[str]:
    """The single-page build the PDF is printed from (``GRADAVG_SINGLE_PAGE``), served."""
    if "GRADAVG_SINGLE_PAGE" not in os.environ:
        pytest.skip("set GRADAVG_SINGLE_PAGE to the singlehtml build of nox -s pdf")
    with bench_search.served(Path(os.environ["GRADAVG_SINGLE_PAGE"])) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()
