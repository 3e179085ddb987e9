"""The functions of the book's docs/conf.py: a failing page fails the build and is named,
and sphinx-proof's domain survives a parallel build."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from sphinx.domains import Domain
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors
from sphinx_proof.domain import ProofDomain

Build = Callable[..., SphinxTestApp]
DOCS = Path(__file__).resolve().parents[2] / "docs"

IPYTHON_TRACEBACK = """\
---------------------------------------------------------------------------
StepNotProved                             Traceback (most recent call last)
Cell In[3], line 2
      1 with page.derivation("x", "y") as chain:
----> 2     chain.step(a, "sum rule")

StepNotProved: page 'sum-rule', derivation 'x', step 1 (sum rule):
  left  = a
  right = b
"""


def test_the_message_of_an_ipython_traceback_is_its_exception_lines(
    book_conf: ModuleType,
) -> None:
    assert book_conf._exception_message(IPYTHON_TRACEBACK) == (
        "StepNotProved: page 'sum-rule', derivation 'x', step 1 (sum rule):\n"
        "  left  = a\n  right = b"
    )


def test_the_message_of_an_ipython_traceback_after_a_wrapping_error(
    book_conf: ModuleType,
) -> None:
    wrapped = "Traceback (most recent call last):\n  ...\nCellExecutionError: in cell\n"
    assert book_conf._exception_message(wrapped + IPYTHON_TRACEBACK).startswith(
        "StepNotProved: page 'sum-rule'"
    )


def test_the_message_of_another_traceback_is_its_last_line(book_conf: ModuleType) -> None:
    plain = 'Traceback (most recent call last):\n  File "x", line 1\nValueError: bad\n'
    assert book_conf._exception_message(plain) == "ValueError: bad"
    assert book_conf._exception_message("") == "(no traceback)"


def test_a_page_that_fails_to_run_fails_the_build_and_is_named(
    notebook_book: SphinxTestApp,
) -> None:
    assert notebook_book.statuscode == 1
    warnings = strip_colors(notebook_book.warning.getvalue())
    errors = [line for line in warnings.splitlines() if "ERROR" in line]
    assert len(errors) == 2
    assert errors[0].endswith(
        "fails.md: ERROR: page failed to run: ZeroDivisionError: division by zero"
    )
    assert errors[1].endswith("1 page(s) failed to run: fails")


def test_a_build_that_raised_is_not_judged_again(
    book_conf: ModuleType, notebook_book: SphinxTestApp
) -> None:
    notebook_book.statuscode = 0
    book_conf._fail_on_failed_pages(notebook_book, RuntimeError("the build failed"))
    assert notebook_book.statuscode == 0


def test_the_proof_domain_merges_what_it_keeps_nothing(
    book_conf: ModuleType, notebook_book: SphinxTestApp
) -> None:
    if ProofDomain.merge_domaindata is not Domain.merge_domaindata:
        pytest.fail("sphinx-proof now merges its domain data: drop conf._ParallelProofDomain")
    domain = notebook_book.env.domains["prf"]
    assert isinstance(domain, book_conf._ParallelProofDomain)
    assert set(domain.data) == {"version"}  # proofs live in env.proof_list, not here
    domain.merge_domaindata({"runs"}, {"version": domain.data["version"]})


PROOF_CONF = f"""import importlib.util

spec = importlib.util.spec_from_file_location("book_conf", {str(DOCS / "conf.py")!r})
book = importlib.util.module_from_spec(spec)
spec.loader.exec_module(book)
extensions = ["sphinx_proof"]


def setup(app):
    book.setup(app)
"""
THEOREM = """{name}
=====

.. prf:theorem:: {name}
   :label: thm-{name}

   Statement of {name}, after :prf:ref:`thm-{other}`.

.. prf:proof::

   By {other}.
"""


def test_a_book_with_proofs_builds_in_parallel(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "conf.py").write_text(PROOF_CONF)
    names = ["a", "b", "c", "d"]
    toctree = "\n".join(f"   {name}" for name in names)
    (source / "index.rst").write_text(f"Book\n====\n\n.. toctree::\n\n{toctree}\n")
    for name, other in zip(names, names[1:] + names[:1], strict=True):
        (source / f"{name}.rst").write_text(THEOREM.format(name=name, other=other))
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-j", "2", "-W"]
    done = subprocess.run(
        [*command, str(source), str(tmp_path / "html")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert 'href="b.html#thm-b"' in (tmp_path / "html" / "a.html").read_text()
