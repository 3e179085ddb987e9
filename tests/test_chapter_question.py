"""The question's three procedures on a small least-squares batch."""

from __future__ import annotations

import numpy as np

from gradavg.chapters.question import NAMES, compare_procedures, relative_text


def test_a_and_b_agree_and_c_differs_only_in_the_slope() -> None:
    rng = np.random.default_rng(0)
    inputs = rng.uniform(0.0, 4.0, size=8)
    targets = 2.0 * inputs - 1.0 + rng.normal(size=8)
    compared = compare_procedures([0.5, 0.0], inputs, targets)
    assert list(compared.gradients) == list(NAMES)
    assert compared.diff_ab < 1e-12
    assert compared.diff_c_intercept < 1e-12
    assert abs(compared.diff_c_slope) > 0.01
    assert compared.diff_closed_form < 1e-12
    table = compared.table().splitlines()
    assert len(table) == 2 + len(NAMES)
    assert table[2].startswith(f"| {NAMES[0]} |")


def test_relative_text() -> None:
    assert relative_text(0.0) == "0"
    assert relative_text(-1.5e-16) == "\N{MINUS SIGN}1.5e\N{MINUS SIGN}16"
