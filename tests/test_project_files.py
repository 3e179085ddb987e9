"""The files that configure the build: Read the Docs, and the pages' notebook top-matter."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from notebook_pages import notebook_pages

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT.parent / "shared" / "data" / "readthedocs-schema-v2.json"


def test_readthedocs_config_matches_the_official_schema() -> None:
    if not SCHEMA.exists():
        pytest.skip(f"the Read the Docs schema is not available at {SCHEMA}")
    jsonschema = pytest.importorskip("jsonschema")
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text())
    jsonschema.validate(config, json.loads(SCHEMA.read_text()))


def test_readthedocs_builds_like_the_local_build() -> None:
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text())
    assert config["build"]["tools"]["python"] == "3.11"  # the same Sphinx as `nox -s docs`
    assert config["sphinx"]["fail_on_warning"] is True
    assert (ROOT / config["sphinx"]["configuration"]).is_file()
    assert any("--group docs" in command for command in config["build"]["jobs"]["install"])


NOTEBOOK_PAGES = notebook_pages(ROOT / "docs")


def test_the_book_has_notebook_pages() -> None:
    assert NOTEBOOK_PAGES, "no page with code cells found under docs/"


@pytest.mark.parametrize("page", NOTEBOOK_PAGES, ids=lambda p: p.name)
def test_pages_with_code_cells_declare_a_kernel(page: Path) -> None:
    """Without the notebook top-matter MyST-NB renders code cells without running them."""
    text = page.read_text()
    front = re.match(r"---\n(.*?)\n---\n", text, flags=re.DOTALL)
    assert front, f"{page.name} has code cells but no top-matter"
    meta = yaml.safe_load(front.group(1))
    assert meta["kernelspec"]["name"] == "python3"
    assert meta["jupytext"]["text_representation"]["format_name"] == "myst"
