"""docs/_ext/derivations.py: a glued verified result keeps the engine's record on its math
(and the MyST-NB internals it extends, private_apis.py item 5)."""

from __future__ import annotations

import inspect
import pickle
import textwrap
from pathlib import Path
from typing import Any

import derivations
import pytest
from docutils import nodes
from myst_nb.ext.glue.directives import PasteMathDirective
from myst_nb.ext.glue.domain import NbGlueDomain
from myst_nb.ext.glue.utils import retrieve_glue_data
from sphinx.application import Sphinx

EXTENSIONS = Path(__file__).resolve().parents[2] / "docs" / "_ext"


def test_the_record_and_its_methods_are_read_from_the_node(record: dict[str, Any]) -> None:
    math = nodes.math_block("a = b", "a = b", record=record)
    assert derivations.record_of(math) == record
    assert derivations.methods_of(math) == {"symbolic", "fixed N"}
    plain = nodes.math_block("x", "x")
    assert derivations.record_of(plain) is None
    assert derivations.methods_of(plain) == set()
    assert derivations.record_of(nodes.paragraph()) is None


def test_the_myst_nb_internals_it_extends_are_as_relied_on() -> None:
    """The private parts of myst-nb the extension uses: fails when they change."""
    assert NbGlueDomain.directives["math"] is PasteMathDirective
    assert list(inspect.signature(retrieve_glue_data).parameters) == ["document", "key"]
    assert issubclass(derivations.PasteResult, PasteMathDirective)


PAGE = """\
---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A page

```{code-cell} ipython3
import sympy as sp
from myst_nb import glue

from gradavg.book.notation import N, batch_sum, i, x
from gradavg.book.page import Glued
from gradavg.verify import Derivation

chain = Derivation("sum", sp.Derivative(batch_sum(x[i] ** 2), x[i]))
chain.step(batch_sum(sp.Derivative(x[i] ** 2, x[i])), "sum rule")
glue("chain", Glued(chain.verify()), display=False)
glue("plain", sp.Symbol("q"), display=False)
```

```{glue:math} chain
```

```{glue:math} plain
```
"""


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_built_page_keeps_the_record_on_the_pasted_math(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "index.md").write_text(PAGE)
    (source / "conf.py").write_text(
        textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(EXTENSIONS)!r})
        extensions = ["myst_nb", "derivations"]
        nb_execution_mode = "force"
        nb_execution_raise_on_error = True
        """)
    )
    app = Sphinx(
        str(source), str(source), str(tmp_path / "out"), str(tmp_path / "doctrees"),
        "html", status=None, warning=None, freshenv=True,
    )  # fmt: skip
    app.build()
    doctree = app.env.get_doctree("index")
    maths = list(doctree.findall(nodes.math_block))
    assert len(maths) == 2
    chain, plain = maths
    record = derivations.record_of(chain)
    assert record is not None
    assert record["kind"] == "derivation"
    assert [row["justification"] for row in record["rows"]] == ["sum rule"]
    assert derivations.record_of(plain) is None
    pickle.dumps(doctree)  # the record survives the environment's pickling
