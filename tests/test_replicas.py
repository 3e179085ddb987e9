"""Replicas that gather each other's scores (gradavg.replicas), against one process."""

from __future__ import annotations

import numpy as np
import pytest

from gradavg.finite_differences import central_difference_gradient
from gradavg.replicas import coupled_gradient, coupled_loss, replica_gradient

RNG = np.random.default_rng(2)
X, THETA = RNG.normal(size=(6, 2)), RNG.normal(size=2)
OWNERS = np.array([0, 0, 1, 1, 2, 2])


def test_the_coupled_gradient_is_the_slope_of_the_loss() -> None:
    slope = central_difference_gradient(lambda t: coupled_loss(t, X), THETA, 1e-5)
    assert coupled_gradient(THETA, X) == pytest.approx(slope, rel=1e-7, abs=1e-9)


@pytest.mark.parametrize("scope", ["whole batch", "local queries"])
def test_a_gather_that_passes_gradients_back_gives_the_gradient(scope: str) -> None:
    found = replica_gradient(THETA, X, OWNERS, "differentiable", scope)  # type: ignore[arg-type]
    assert found == pytest.approx(coupled_gradient(THETA, X), rel=1e-12)


def test_a_gather_without_gradient() -> None:
    exact = coupled_gradient(THETA, X)
    whole = replica_gradient(THETA, X, OWNERS, "stop-gradient", "whole batch")
    assert 3 * whole == pytest.approx(exact, rel=1e-12)  # 1/R, and the factor R restores it
    local = replica_gradient(THETA, X, OWNERS, "stop-gradient", "local queries")
    assert np.ptp(local / exact) > 0.01  # no single factor restores it
    one = replica_gradient(THETA, X, np.zeros(6, dtype=int), "stop-gradient", "local queries")
    assert one == pytest.approx(exact, rel=1e-12)  # one replica: nothing to gather


@pytest.mark.parametrize(
    ("owners", "gather", "scope", "error", "message"),
    [
        (np.array([0, 0, 1, 1, 1, 2]), "differentiable", "whole batch", ValueError, "same number"),
        (np.array([0, 0, 2, 2, 3, 3]), "differentiable", "whole batch", ValueError, "same number"),
        (OWNERS[:4], "differentiable", "whole batch", ValueError, "batch sizes differ"),
        (OWNERS.astype(float), "differentiable", "whole batch", TypeError, "replica numbers"),
        (OWNERS, "all-to-all", "whole batch", ValueError, "gather must be"),
        (OWNERS, "differentiable", "some", ValueError, "scope must be"),
    ],
)
def test_bad_input_is_named(
    owners: np.ndarray, gather: str, scope: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        replica_gradient(THETA, X, owners, gather, scope)  # type: ignore[arg-type]


def test_mismatched_features_are_named() -> None:
    with pytest.raises(ValueError, match="x has 2 features per example, theta 3"):
        coupled_gradient([1.0, 2.0, 3.0], X)
