"""The sigmoid chapter's batches and their float64 check."""

from __future__ import annotations

import pytest
import sympy as sp

from gradavg.book.notation import SIGMOID_PRIME, sigma_prime
from gradavg.chapters.sigmoid import (
    factor_numbers,
    float64_agreement,
    gap_explorer,
    mean_and_at_mean,
    one_line,
)
from gradavg.verify import Derivation, Inequality, Relation, VerifiedInequality


def test_mean_and_at_mean_are_kept_as_written() -> None:
    mean, at_mean = mean_and_at_mean([0, 1])
    assert isinstance(mean, sp.Mul)
    assert sp.Rational(1, 2) in mean.args
    assert at_mean == sigma_prime(sp.Rational(1, 2))
    assert sp.simplify(mean.doit() - (sigma_prime(0) + sigma_prime(1)) / 2) == 0


def test_mean_and_at_mean_rejects_an_empty_batch() -> None:
    with pytest.raises(ValueError, match="at least one"):
        mean_and_at_mean([])


def _verified(batch: list[int], relation: Relation) -> VerifiedInequality:
    mean, at_mean = mean_and_at_mean(batch)
    return Inequality("test", mean, relation, at_mean, SIGMOID_PRIME).verify()


def test_the_package_agrees_with_the_exact_values() -> None:
    exact = _verified([0, 1], "<")
    assert float64_agreement([0.0, 1.0], exact) < 1e-15
    numbers = factor_numbers([0.0, 1.0], exact)
    assert float(numbers["gap"]) < 0  # type: ignore[arg-type]
    assert numbers["gap-abs"] == abs(exact.gap)
    assert numbers["relative"] == "5.2%"
    assert str(numbers["agreement"]).startswith(("to the last bit", "to within"))


def test_factor_numbers_rejects_a_package_that_disagrees() -> None:
    exact = _verified([2, 4], ">")  # the exact values of another batch
    with pytest.raises(ValueError, match="off by"):
        factor_numbers([0.0, 1.0], exact)


def test_one_line_joins_every_expression() -> None:
    z = sp.Symbol("z")
    chain = Derivation("t", (z + 1) ** 2).step(z**2 + 2 * z + 1, "expand")
    proof = chain.step(z * (z + 2) + 1, "factor z").verify()
    assert (
        one_line(proof).latex
        == r"\left(1 + z\right)^{2} = 1 + z^{2} + 2 z = 1 + z \left(2 + z\right)"
    )


def test_the_figure_to_play_with_carries_its_batch_range_and_inflection() -> None:
    markup = gap_explorer((0.0, 1.0), (-6.0, 6.0), 1.3169578969248166, 0.05).markup
    assert markup.startswith('<div class="gap-explorer" hidden')  # shown by its script
    assert 'data-inflection="1.3169578969248166"' in markup
    for k, value in ((1, "0"), (2, "1")):
        assert f'id="gap-explorer-z{k}" min="-6" max="6" step="0.05" value="{value}"' in markup
    assert markup.count('<dd data-value="') == 3


@pytest.mark.parametrize(
    ("batch", "z_range", "step"),
    [
        ((0.0, 7.0), (-6.0, 6.0), 0.05),
        ((0.0, 1.0), (6.0, -6.0), 0.05),
        ((0.0, 1.0), (-6.0, 6.0), 0.0),
    ],
)
def test_the_figure_to_play_with_refuses_a_batch_outside_its_range(
    batch: tuple[float, float], z_range: tuple[float, float], step: float
) -> None:
    with pytest.raises(ValueError, match="must lie in the increasing range"):
        gap_explorer(batch, z_range, 1.3, step)
