"""The files that configure the build: Read the Docs, the pages' notebook top-matter, the README's layout."""

from __future__ import annotations

import importlib.metadata
import json
import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest
import yaml
from notebook_pages import notebook_pages
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

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


def test_the_readme_layout_table_matches_the_tree() -> None:
    """Every path the README's Layout table names exists, and every subpackage of
    ``gradavg`` (a layer) has its row."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    paths = re.findall(r"^\| `([^`]+)` \|", layout, re.MULTILINE)
    missing = [path for path in paths if not (ROOT / path).exists()]
    assert not missing, f"the README's Layout table names paths that do not exist: {missing}"
    layers = sorted(
        f"src/gradavg/{p.parent.name}/" for p in (ROOT / "src" / "gradavg").glob("*/__init__.py")
    )
    assert set(layers) <= set(paths), (
        f"layers without a row in the README: {set(layers) - set(paths)}"
    )


# --- each version written once -----------------------------------------------------------
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PRE_COMMIT = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
TOOL_REPOS = {  # a pre-commit repository -> the package whose version is its rev
    "https://github.com/astral-sh/ruff-pre-commit": "ruff",
    "https://github.com/nbQA-dev/nbQA": "nbqa",
    "https://github.com/pre-commit/mirrors-mypy": "mypy",
}


def _requirements() -> list[Requirement]:
    """Every requirement pyproject.toml writes: the package's, and each group's own."""
    groups = PYPROJECT["dependency-groups"].values()
    written = [*PYPROJECT["project"]["dependencies"]]
    written += [entry for group in groups for entry in group if isinstance(entry, str)]
    return [Requirement(entry) for entry in written]


SPECIFIERS = {canonicalize_name(r.name): r.specifier for r in _requirements()}


def test_pyproject_gives_each_package_once() -> None:
    names = Counter(canonicalize_name(r.name) for r in _requirements())
    assert [name for name, count in names.items() if count > 1] == []


def test_every_docs_tool_is_pinned() -> None:
    for entry in PYPROJECT["dependency-groups"]["docs"]:
        specifier = Requirement(entry).specifier
        assert len(specifier) == 1, entry
        assert next(iter(specifier)).operator == "==", entry


def test_pre_commit_installs_the_versions_of_pyproject() -> None:
    """pre-commit cannot read pyproject.toml: what it says of a package must agree."""
    checked = 0
    for repo in PRE_COMMIT["repos"]:
        if repo["repo"] in TOOL_REPOS:
            tool = TOOL_REPOS[repo["repo"]]
            assert SPECIFIERS[tool].contains(repo["rev"].removeprefix("v")), (tool, repo["rev"])
            checked += 1
        for hook in repo["hooks"]:
            for entry in hook.get("additional_dependencies", []):
                requirement = Requirement(entry)
                name = canonicalize_name(requirement.name)
                if name in SPECIFIERS:
                    assert requirement.specifier == SPECIFIERS[name], (hook["id"], entry)
                    checked += 1
    assert checked >= 6  # ruff's rev and pins, nbQA's and mypy's revs, jupytext, numpy...


def test_ruff_is_pinned_and_pre_commit_runs_that_ruff() -> None:
    assert str(SPECIFIERS["ruff"]).startswith("==")
    ruff = next(r for r in PRE_COMMIT["repos"] if r["repo"].endswith("/ruff-pre-commit"))
    assert f"=={ruff['rev'].removeprefix('v')}" == str(SPECIFIERS["ruff"])


def test_every_mention_of_noxs_version_agrees() -> None:
    mentions = re.findall(r"nox(>=[\d.]+)", (ROOT / "noxfile.py").read_text())
    mentions += re.findall(r"needs_version = \"(>=[\d.]+)\"", (ROOT / "noxfile.py").read_text())
    mentions += re.findall(r"nox(>=[\d.]+)", (ROOT / ".ci" / "run").read_text())
    assert len(mentions) == 3
    assert set(mentions) == {str(SPECIFIERS["nox"])}


def test_the_package_version_is_written_once() -> None:
    import gradavg

    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "src/gradavg/__init__.py"
    assert importlib.metadata.version("gradavg") == gradavg.__version__
