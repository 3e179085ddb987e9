"""docs/_ext/page_dependencies.py: a page depends on what its code imports and reads."""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import page_dependencies as deps
import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


# A package as the book's is laid out: subpackages, relative imports, a data file.
PACKAGE = {
    "__init__.py": '"""Top."""\n',
    "core.py": "import numpy as np\n",
    "reader.py": (
        "from importlib import resources\n"
        "def table():\n"
        "    return resources.files('toypkg').joinpath('data', 'table.csv').read_text()\n"
    ),
    "unused.py": "from toypkg import core\n",
    "verify/__init__.py": "from .checks import check\n",
    "verify/checks.py": "from .. import core\n\ndef check():\n    return core\n",
    "chapters/__init__.py": "",
    "chapters/sums.py": (
        "from toypkg.verify import checks\n"
        "def run():\n"
        "    from toypkg import reader  # imported where it is used\n"
        "    return reader.table()\n"
    ),
    "chapters/plain.py": "from . import sums as _\n",
    "data/table.csv": "a,b\n",
    "data/other.csv": "c\n",
}


@pytest.fixture
def toypkg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``toypkg`` written under ``tmp_path`` and importable (not imported)."""
    root = tmp_path / "toypkg"
    for name, text in PACKAGE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    deps._SCANNED.clear()
    yield root
    deps._SCANNED.clear()


def names(code: str, module: str = "", is_package: bool = False) -> set[str]:
    return set(deps.imported_names(ast.parse(code), module, is_package))


def test_imports_name_modules_and_what_they_import() -> None:
    code = "import toypkg.core as c\nfrom toypkg.verify import checks, check\nimport os"
    assert names(code) == {
        "toypkg.core",
        "toypkg.verify",
        "toypkg.verify.checks",
        "toypkg.verify.check",
        "os",
    }


def test_relative_imports_resolve_against_the_module() -> None:
    assert names("from .. import core", "toypkg.verify.checks") == {"toypkg", "toypkg.core"}
    assert names("from .checks import check", "toypkg.verify", is_package=True) == {
        "toypkg.verify.checks",
        "toypkg.verify.checks.check",
    }
    assert names("from . import x") == set()  # a page's cell belongs to no package
    assert names("from .... import x", "toypkg.a") == set()  # above the top


def test_cells_with_magics_are_read_as_python() -> None:
    tree = deps.parse_cell("%matplotlib inline\n!ls\nfrom toypkg import core\n")
    assert tree is not None
    assert deps.imported_names(tree) == {"toypkg", "toypkg.core"}
    assert deps.parse_cell("%%bash\necho $((1 +))\n") is None


def test_the_closure_follows_the_package_static_imports(toypkg: Path) -> None:
    package = deps.package("toypkg")
    relative = {str(p.relative_to(toypkg)) for p in package.files({"toypkg.chapters.sums"})}
    assert relative == {
        "__init__.py",
        "chapters/__init__.py",  # a parent package runs first
        "chapters/sums.py",
        "verify/__init__.py",
        "verify/checks.py",
        "core.py",  # through a relative import
        "reader.py",  # imported inside a function
        "data/table.csv",  # named by reader.py
    }
    assert {p.name for p in package.files({"toypkg.core"})} == {"__init__.py", "core.py"}
    assert package.files({"toypkg.missing"}) == []


def test_a_new_scan_parses_only_the_modules_that_changed(toypkg: Path) -> None:
    first = deps.Package.scan(toypkg, "toypkg")
    (toypkg / "core.py").write_text("from toypkg import reader\n")
    again = deps.Package.scan(toypkg, "toypkg", first)
    assert again.imports["toypkg.core"] == {"toypkg", "toypkg.reader"}
    assert again.imports["toypkg.reader"] is first.imports["toypkg.reader"]  # not parsed
    assert deps.package("toypkg") == again  # as the build finds it
    (toypkg / "data" / "new.csv").write_text("n\n")  # a module may name the new file
    assert (
        deps.Package.scan(toypkg, "toypkg", again).imports["toypkg.reader"]
        is not (first.imports["toypkg.reader"])
    )


def test_a_page_depends_on_what_its_cells_import(toypkg: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# A page\n\nText with `import toypkg.unused` in prose only.\n\n"
        "```{code-cell} ipython3\n:tags: [hide-input]\n\n"
        "from toypkg.chapters import plain\nimport numpy\n```\n"
    )
    files = {str(p.relative_to(toypkg)) for p in deps.page_files(page, "toypkg")}
    assert "chapters/plain.py" in files
    assert "chapters/sums.py" in files  # plain imports it
    assert "data/table.csv" in files
    assert "unused.py" not in files
    assert "data/other.csv" not in files

    noted: list[Path] = []
    env = SimpleNamespace(
        docname="page", doc2path=lambda _docname: page, note_dependency=noted.append
    )
    config = SimpleNamespace(page_dependencies_package="toypkg")
    deps.note_dependencies(SimpleNamespace(env=env, config=config), None)
    assert sorted(noted) == deps.page_files(page, "toypkg")


@pytest.mark.usefixtures("toypkg")
def test_a_page_without_code_depends_on_nothing(tmp_path: Path) -> None:
    page = tmp_path / "prose.md"
    page.write_text("# Prose\n\n```python\nimport toypkg.core\n```\n")
    assert deps.page_files(page, "toypkg") == []


def test_every_data_file_of_the_book_is_a_dependency_of_a_page() -> None:
    """The book's own pages: every data file a module of gradavg names is read by a page,
    and every page that imports gradavg depends on its ``__init__.py``."""
    pytest.importorskip("myst_nb")
    deps._SCANNED.clear()
    package = deps.package("gradavg")
    assert package is not None
    init = package.modules["gradavg"]
    data = {p for ps in package.reads.values() for p in ps}
    found: set[Path] = set()
    for page in sorted(DOCS.glob("*.md")):
        files = deps.page_files(page, "gradavg")
        assert not files or init in files, page.name
        found.update(files)
    assert data
    assert data <= found


# --- the execution cache (NB_EXECUTION_MODE=cache) -----------------------------------------
def test_cached_outputs_go_when_a_file_the_page_reads_changes(
    toypkg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nbformat = pytest.importorskip("nbformat")
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    monkeypatch.syspath_prepend(str(DOCS / "_ext"))
    import execution_cache

    page = tmp_path / "page.md"
    page.write_text("# Page\n\n```{code-cell} ipython3\nimport toypkg.core\n```\n")
    cache = get_cache(str(tmp_path / "cache"))
    env = SimpleNamespace(
        doc2path=lambda _docname: page,
        mystnb_config=SimpleNamespace(execution_cache_path=str(tmp_path / "cache")),
    )
    config = SimpleNamespace(page_dependencies_package="toypkg", nb_execution_mode="cache")

    def cached_after_reading() -> bool:
        """Cache the page's outputs if none are, then read it: are they still there?"""
        if not cache.list_cache_records():
            notebook = nbformat.v4.new_notebook(
                cells=[nbformat.v4.new_code_cell("import toypkg.core")]
            )
            bundle = CacheBundleIn(notebook, str(page))
            cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
        execution_cache.forget_stale_outputs(SimpleNamespace(config=config), env, ["page"])
        return bool(cache.list_cache_records())

    assert not cached_after_reading()  # never ran with these files: run it
    assert cached_after_reading()  # nothing changed
    (toypkg / "unused.py").write_text("x = 2\n")
    assert cached_after_reading()  # the page does not import it
    (toypkg / "core.py").write_text("import numpy as np  # changed\n")
    assert not cached_after_reading()
    (toypkg / "data" / "other.csv").write_text("d\n")
    assert cached_after_reading()
    config.nb_execution_mode = "force"
    (toypkg / "core.py").write_text("import numpy as np  # changed again\n")
    assert cached_after_reading()  # force runs every page: nothing to drop
    config.nb_execution_mode = "cache"
    assert not cached_after_reading()  # outputs older than the files
