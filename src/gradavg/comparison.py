"""How far one gradient is from another: entrywise, and layer by layer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from gradavg._validation import FloatArray, as_float_array
from gradavg.parameters import Parameters

__all__ = ["LayerError", "gradient_comparison", "relative_difference"]


def relative_difference(value: ArrayLike, reference: ArrayLike) -> float:
    """The largest entrywise difference, relative to the largest entry of ``reference``
    (or to the smallest positive float64, if ``reference`` is all zeros)."""
    gap = np.max(np.abs(np.asarray(value, float) - np.asarray(reference, float)))
    scale = max(float(np.max(np.abs(reference))), float(np.finfo(np.float64).tiny))
    return float(gap / scale)


@dataclass(frozen=True)
class LayerError:
    """How far an approximate gradient is from a reference, for one layer.

    Relative errors are ``‖a − r‖ / ‖r‖`` (0 if both are zero, infinity if only the
    reference is); cosines are ``⟨a, r⟩ / (‖a‖ ‖r‖)`` (NaN if either norm is zero).

    Parameters
    ----------
    layer : int
        Layer number, starting at 1.
    weight_relative_error : float
        Relative error of the weight gradient.
    weight_cosine : float
        Cosine similarity of the weight gradients.
    bias_relative_error : float
        Relative error of the bias gradient.
    bias_cosine : float
        Cosine similarity of the bias gradients.
    """

    layer: int
    weight_relative_error: float
    weight_cosine: float
    bias_relative_error: float
    bias_cosine: float


def _relative_error(approximation: FloatArray, reference: FloatArray) -> float:
    difference = float(np.linalg.norm(approximation - reference))
    scale = float(np.linalg.norm(reference))
    if scale == 0.0:
        return 0.0 if difference == 0.0 else float("inf")
    return difference / scale


def _cosine(approximation: FloatArray, reference: FloatArray) -> float:
    scale = float(np.linalg.norm(approximation)) * float(np.linalg.norm(reference))
    if scale == 0.0:
        return float("nan")
    return float(np.vdot(approximation, reference)) / scale


def gradient_comparison(reference: Parameters, approximation: Parameters) -> list[LayerError]:
    """Per-layer relative error and cosine similarity of ``approximation`` to ``reference``.

    Parameters
    ----------
    reference : Parameters
        The trusted gradient, usually :meth:`~gradavg.mlp.MLP.batch_gradient`.
    approximation : Parameters
        The gradient to judge, with the same shapes.

    Returns
    -------
    list of LayerError
        One entry per layer, in order from the input.
    """
    if reference.n_layers != approximation.n_layers:
        raise ValueError(
            f"approximation has {approximation.n_layers} layers but reference has {reference.n_layers}"
        )
    rows = []
    for index in range(reference.n_layers):
        pairs = []
        for kind in ("weights", "biases"):
            r = as_float_array(getattr(reference, kind)[index], f"reference.{kind}[{index}]")
            a = as_float_array(
                getattr(approximation, kind)[index], f"approximation.{kind}[{index}]"
            )
            if a.shape != r.shape:
                raise ValueError(
                    f"approximation.{kind}[{index}] has shape {a.shape} but reference.{kind}[{index}] "
                    f"has shape {r.shape}"
                )
            pairs.append((_relative_error(a, r), _cosine(a, r)))
        (w_error, w_cosine), (b_error, b_cosine) = pairs
        rows.append(LayerError(index + 1, w_error, w_cosine, b_error, b_cosine))
    return rows
