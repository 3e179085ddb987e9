"""Fixtures shared by the test modules."""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import settings

from gradavg.mlp import MLP

# The book's own modules (docs/_ext), imported by name as docs/conf.py does: the rule for
# which pages are notebooks (notebook_pages), and the extensions that tests/docs tests.
sys.path.append(str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))

# No per-example deadline: a busy machine is slow, not wrong. In CI the examples are
# derandomized, so a run is repeatable; elsewhere they vary, to find new failures.
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture
def task() -> tuple[MLP, np.ndarray, np.ndarray]:
    """A small regression task for a 2-4-1 network: inputs, targets and a seeded model."""
    rng = np.random.default_rng(7)
    x = rng.uniform(-2.0, 2.0, size=(12, 2))
    y = np.sin(x[:, 0]) * np.cos(x[:, 1])
    return MLP.init((2, 4, 1), seed=3), x, y


@pytest.fixture
def glued(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """What a page glues, recorded by a stand-in for ``myst_nb.glue`` (not a test dependency)."""
    record: dict[str, object] = {}
    fake = types.ModuleType("myst_nb")

    def glue(key: str, value: object, display: bool = True) -> None:
        assert display is False
        record[key] = value

    fake.glue = glue  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "myst_nb", fake)
    return record


@pytest.fixture
def close_figures() -> Iterator[None]:
    """Each test's matplotlib settings restored and its figures closed after it."""
    with mpl.rc_context():
        yield
    plt.close("all")
