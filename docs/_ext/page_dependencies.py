"""A page depends on the modules its code imports and on the data files they read.

When a page is read, its code cells are parsed (``ast``) for the imports of the book's
package (``page_dependencies_package`` in conf.py). From those modules the package's
own imports are followed, read statically from its source: ``import p.x``,
``from p.x import y`` (``p.x.y`` when ``y`` is a submodule), relative imports, and the
``__init__.py`` of every package a module is in, which Python runs first. Every module
of that closure is noted as a dependency of the page, and so is every data file of the
package (a file that is not Python) whose name appears in one of those modules' source,
such as ``benchmark-gradients.json`` read with ``resources.files(...)``. Sphinx then
re-reads, and so re-runs, a page when one of them changes, and only then.

Imports made from a computed name (``importlib.import_module(name)``) are not seen.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from myst_nb.core.read import read_myst_markdown_notebook
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

CODE_CELL = "{code-cell}"
KEPT = "page_dependencies_scan"  # env attribute: the package as last read, for the next build
_MAGIC = re.compile(r"^\s*[%!].*$", re.MULTILINE)  # IPython magics and shell lines: not Python


def imported_names(tree: ast.AST, module: str = "", is_package: bool = False) -> set[str]:
    """The dotted names ``tree`` imports, each possibly a module: for
    ``from a import b`` both ``a`` and ``a.b``. Relative imports are resolved against
    ``module`` (a package when ``is_package``); without it they are left out."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, is_package)
            if base is not None:
                names.add(base)
                names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str | None:
    """The module ``from ... import`` takes its names from, as an absolute name."""
    if not node.level:
        return node.module
    parts = module.split(".") if module else []
    keep = len(parts) - node.level + (1 if is_package else 0)
    if not module or keep < 1:
        return None
    return ".".join([*parts[:keep], *([node.module] if node.module else [])])


def parse_cell(code: str) -> ast.AST | None:
    """A code cell as Python: its magics and shell lines blanked; None if not Python."""
    for text in (code, _MAGIC.sub("", code)):
        try:
            return ast.parse(text)
        except SyntaxError:
            continue
    return None


def page_cells(path: Path) -> list[str]:
    """The source of the code cells of a MyST notebook page (none for other pages)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".md" or CODE_CELL not in text:
        return []
    notebook = read_myst_markdown_notebook(text)
    return [cell["source"] for cell in notebook.cells if cell["cell_type"] == "code"]


@dataclass(frozen=True)
class Package:
    """A package's modules (dotted name -> file), the names each imports, and for each
    the package's data files named in its source."""

    modules: dict[str, Path]
    imports: dict[str, frozenset[str]]
    reads: dict[str, frozenset[Path]]
    stamps: dict[Path, tuple[int, int]]  # every file: (mtime_ns, size) when read

    @classmethod
    def scan(cls, root: Path, name: str, previous: Package | None = None) -> Package:
        """Read the package ``name`` whose folder is ``root``; a module unchanged since
        ``previous`` was read is not parsed again (unless the data files changed)."""
        stamps = {path: _stamp(path) for path in _files(root)}
        modules = {_module_name(p, root, name): p for p in stamps if p.suffix == ".py"}
        data = [p for p in stamps if p.suffix != ".py"]
        if previous is None or [p for p in previous.stamps if p.suffix != ".py"] != data:
            previous = None  # a module's data files are found by name: look again
        imports, reads = {}, {}
        for module, path in modules.items():
            if (
                previous
                and previous.stamps.get(path) == stamps[path]
                and module in previous.imports
            ):
                imports[module], reads[module] = previous.imports[module], previous.reads[module]
                continue
            source = path.read_text(encoding="utf-8")
            tree = ast.parse(source, filename=str(path))
            imports[module] = frozenset(imported_names(tree, module, path.name == "__init__.py"))
            reads[module] = frozenset(p for p in data if p.name in source)
        return cls(modules, imports, reads, stamps)

    def closure(self, names: set[str]) -> set[str]:
        """The package's modules run when ``names`` are imported."""
        found: set[str] = set()
        pending = [m for n in names for m in self._run_by(n)]
        while pending:
            module = pending.pop()
            if module not in found:
                found.add(module)
                pending.extend(m for n in self.imports[module] for m in self._run_by(n))
        return found

    def _run_by(self, name: str) -> list[str]:
        """The modules importing ``name`` runs: it (if a module) and its packages."""
        if name not in self.modules:
            return []
        parts = name.split(".")
        return [p for i in range(1, len(parts) + 1) if (p := ".".join(parts[:i])) in self.modules]

    def files(self, names: set[str]) -> list[Path]:
        """Every module file and data file that importing ``names`` reads, sorted."""
        modules = self.closure(names)
        found = {self.modules[m] for m in modules}
        found.update(p for m in modules for p in self.reads[m])
        return sorted(found)


def _module_name(path: Path, root: Path, name: str) -> str:
    """``name.sub.module`` for ``root/sub/module.py`` (``name.sub`` for its __init__)."""
    parts = [name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _files(root: Path) -> list[Path]:
    """The package's files, sorted, without Python's caches."""
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


_SCANNED: dict[str, Package] = {}  # package name -> as last read, in this process


def package(name: str) -> Package | None:
    """The installed package ``name``, as the pages' kernels import it (read again only
    when one of its files changed)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    known = _SCANNED.get(name)
    if known is None or {p: _stamp(p) for p in _files(root)} != known.stamps:
        known = _SCANNED[name] = Package.scan(root, name, known)
    return known


def page_files(path: Path, name: str) -> list[Path]:
    """The files of package ``name`` the page at ``path`` reads when it runs."""
    found = package(name)
    if found is None:
        return []
    imports: set[str] = set()
    for cell in page_cells(path):
        tree = parse_cell(cell)
        if tree is not None:
            imports |= imported_names(tree)
    return found.files({n for n in imports if n == name or n.startswith(f"{name}.")})


def note_dependencies(app: Sphinx, _doctree: object) -> None:
    env = app.env
    name = app.config.page_dependencies_package
    if name:
        for path in page_files(Path(env.doc2path(env.docname)), name):
            env.note_dependency(path)


def scan_before_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Read the package before ``-j`` forks the readers, if any page is read, starting
    from the scan the environment kept from the last build."""
    name = app.config.page_dependencies_package
    if not docnames or not name:
        return
    kept: dict[str, Package] = getattr(env, KEPT, {})
    if name in kept:
        _SCANNED.setdefault(name, kept[name])
    found = package(name)
    if found is not None:
        setattr(env, KEPT, {name: found})


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("page_dependencies_package", "", "env", types=frozenset({str}))
    app.connect("env-before-read-docs", scan_before_reading)
    app.connect("doctree-read", note_dependencies)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
