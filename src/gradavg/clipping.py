"""Per-example gradient clipping without per-example gradients.

A dense layer's gradient for example i is the outer product hᵢ δᵢᵀ of its input and its
error signal (and δᵢ for the bias), and the squared Frobenius norm of an outer product is
‖hᵢ‖² ‖δᵢ‖². So :func:`per_example_norms` gets every example's gradient norm from the
rows the backward pass already has, without writing the N × P per-example gradients,
and :func:`clipped_mean_gradient` forms the clipped mean (1/N) Σᵢ cᵢ gᵢ as one product
per layer, hᵀ (c ⊙ Δ) / N, with row i of Δ scaled by its clip factor cᵢ. This is the
"ghost clipping" of differentially private training. It needs one input row per example
and layer: a layer applied at several positions of an example (tokens, a convolution)
has a per-example gradient that is a sum of outer products, whose norm this does not give.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradavg._validation import FloatArray
from gradavg.mlp import MLP
from gradavg.parameters import Parameters


def per_example_norms(model: MLP, x: Any, y: Any) -> FloatArray:
    """The Euclidean norm of every example's whole gradient, shape (N,), from
    ‖hᵢ δᵢᵀ‖_F = ‖hᵢ‖ ‖δᵢ‖ per layer (weights) plus ‖δᵢ‖ (bias)."""
    return _norms(*model.error_signals(x, y))


def _norms(inputs: tuple[FloatArray, ...], errors: tuple[FloatArray, ...]) -> FloatArray:
    squares = np.zeros(len(errors[0]))
    for h, delta in zip(inputs, errors, strict=True):
        squares += (np.sum(h**2, axis=1) + 1.0) * np.sum(delta**2, axis=1)
    return np.sqrt(squares)


def clip_factors(norms: FloatArray, bound: float) -> FloatArray:
    """cᵢ = min(1, bound / ‖gᵢ‖), the factor that brings each norm down to ``bound``."""
    bound = float(bound)
    if not np.isfinite(bound) or bound <= 0:
        raise ValueError(f"the clipping bound must be a positive finite number, got {bound}")
    with np.errstate(divide="ignore"):
        return np.minimum(1.0, bound / norms)


def clipped_mean_gradient(model: MLP, x: Any, y: Any, bound: float) -> Parameters:
    """(1/N) Σᵢ cᵢ gᵢ, every example's gradient clipped to norm ``bound``, as one
    product per layer, hᵀ (c ⊙ Δ) / N, without forming any gᵢ."""
    inputs, errors = model.error_signals(x, y)  # one forward and backward pass for both
    factors = clip_factors(_norms(inputs, errors), bound)
    n = len(factors)
    scaled = [delta * factors[:, np.newaxis] for delta in errors]
    weights = tuple(h.T @ d / n for h, d in zip(inputs, scaled, strict=True))
    return Parameters(weights, tuple(d.mean(axis=0) for d in scaled))
