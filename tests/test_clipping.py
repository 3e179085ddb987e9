"""Ghost clipping: per-example norms and the clipped mean from the backward pass's rows."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradavg.clipping import clip_factors, clipped_mean_gradient, per_example_norms
from gradavg.mlp import MLP


def materialised(model: MLP, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return model.per_example_gradients(x, y).flatten(per_example=True)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 12), st.integers(0, 10_000), st.sampled_from(["mse", "cross_entropy"]))
def test_norms_and_clipped_mean_match_the_per_example_gradients(
    n: int, seed: int, loss: str
) -> None:
    rng = np.random.default_rng(seed)
    model = MLP.init((3, 4, 2), loss=loss, seed=seed)
    x = rng.normal(size=(n, 3))
    y = rng.integers(0, 2, size=n) if loss == "cross_entropy" else rng.normal(size=(n, 2))
    per_example = materialised(model, x, y)
    norms = np.linalg.norm(per_example, axis=1)
    np.testing.assert_allclose(per_example_norms(model, x, y), norms, rtol=1e-12)
    bound = float(np.median(norms))
    expected = (per_example * np.minimum(1.0, bound / norms)[:, np.newaxis]).mean(axis=0)
    np.testing.assert_allclose(
        clipped_mean_gradient(model, x, y, bound).flatten(), expected, rtol=1e-10, atol=1e-15
    )


def test_a_large_bound_clips_nothing(task: tuple[MLP, np.ndarray, np.ndarray]) -> None:
    model, x, y = task
    np.testing.assert_allclose(
        clipped_mean_gradient(model, x, y, 1e300).flatten(),
        model.batch_gradient(x, y).flatten(),
        rtol=1e-12,
    )


def test_a_zero_gradient_keeps_factor_one() -> None:
    assert clip_factors(np.array([0.0, 4.0]), 2.0).tolist() == [1.0, 0.5]


@pytest.mark.parametrize("bound", [0.0, -1.0, float("nan"), float("inf")])
def test_a_bound_that_is_not_positive_and_finite_is_refused(bound: float) -> None:
    with pytest.raises(ValueError, match="clipping bound must be a positive finite number"):
        clip_factors(np.array([1.0]), bound)
