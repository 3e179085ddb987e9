"""The package's layers, enforced by reading every module's imports.

* ``gradavg`` (the modules at the top): the numerics, on numpy alone (with ``ml_dtypes``,
  which adds bfloat16 to numpy);
* ``gradavg.verify``: the derivation engine, on sympy, knowing nothing of the book;
* ``gradavg.book``: what every page shares, on the engine and the numerics;
* ``gradavg.chapters``: one module per page, on everything above, never on each other.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "gradavg"
LAYERS = ("verify", "book", "chapters")

# What each layer may import besides the standard library and its own layer.
ALLOWED: dict[str, set[str]] = {
    "numerics": {"numpy", "ml_dtypes", "gradavg"},
    "verify": {"sympy", "numpy"},
    "book": {
        "sympy",
        "numpy",
        "matplotlib",
        "IPython",
        "matplotlib_inline",
        "myst_nb",
        "gradavg",
        "gradavg.verify",
    },
    "chapters": {"sympy", "numpy", "matplotlib", "gradavg", "gradavg.verify", "gradavg.book"},
}


def layer_of(module: Path) -> str:
    """The layer a source file belongs to: its subpackage, or ``numerics``."""
    parts = module.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 and parts[0] in LAYERS else "numerics"


def imported(module: Path) -> set[str]:
    """Every module name ``module`` imports, at any depth of its code."""
    names = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{module.name}: relative import"
            base = node.module or ""
            names |= {f"{base}.{alias.name}" for alias in node.names} | {base}
    return names - {"__future__"}


def place(name: str) -> str:
    """Where an imported name lives: a layer of gradavg, or its top-level package."""
    parts = name.split(".")
    if parts[0] != "gradavg":
        return parts[0]
    if len(parts) > 1 and parts[1] in LAYERS:
        return f"gradavg.{parts[1]}"
    return "gradavg"


def violations(module: Path) -> list[str]:
    """The imports of ``module`` that cross its layer's boundary."""
    layer = layer_of(module)
    own = "gradavg" if layer == "numerics" else f"gradavg.{layer}"
    wrong = []
    for name in sorted(imported(module)):
        where = place(name)
        if layer == "chapters" and where == own:
            chapter = name.split(".")[2:3]
            if chapter and chapter != [module.stem]:
                wrong.append(f"{name} (another chapter)")
        elif where in sys.stdlib_module_names or where == own:
            continue
        elif where not in ALLOWED[layer]:
            wrong.append(name)
    return wrong


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("module", MODULES, ids=lambda m: str(m.relative_to(PACKAGE)))
def test_every_import_stays_within_its_layer(module: Path) -> None:
    assert violations(module) == [], f"{module.relative_to(PACKAGE)} ({layer_of(module)})"


def test_the_boundary_check_catches_a_crossing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A numeric module importing sympy or the book, and the engine importing the book or
    numerics, are each reported; so is a chapter importing another chapter."""
    fake = tmp_path / "gradavg"
    (fake / "verify").mkdir(parents=True)
    (fake / "chapters").mkdir()
    (fake / "numbers.py").write_text("import sympy\nfrom gradavg.book.formats import shown\n")
    (fake / "verify" / "engine.py").write_text(
        "from gradavg.book import page\nimport gradavg.mlp\n"
    )
    (fake / "chapters" / "one.py").write_text("from gradavg.chapters.two import f\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    assert violations(fake / "numbers.py") == [
        "gradavg.book.formats",
        "gradavg.book.formats.shown",
        "sympy",
    ]
    assert violations(fake / "verify" / "engine.py") == [
        "gradavg.book",
        "gradavg.book.page",
        "gradavg.mlp",
    ]
    assert violations(fake / "chapters" / "one.py") == [
        "gradavg.chapters.two (another chapter)",
        "gradavg.chapters.two.f (another chapter)",
    ]


def test_every_layer_has_modules() -> None:
    assert {layer_of(m) for m in MODULES} == {"numerics", *LAYERS}
