"""The weights and biases of a network, layer by layer, and their flat vector."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gradavg._validation import FloatArray, as_float_array

__all__ = ["Parameters"]


@dataclass(frozen=True)
class Parameters:
    """Weights and biases of an MLP, or a gradient with the same layout.

    The same container holds parameters, gradients, and per-example gradients. For
    per-example gradients every array has an extra leading axis of length N: the
    weights have shape (N, fan_in, fan_out) and the biases shape (N, fan_out).

    Parameters
    ----------
    weights : tuple of arrays
        ``weights[l]`` has shape (fan_in, fan_out) for layer ``l + 1``.
    biases : tuple of arrays
        ``biases[l]`` has shape (fan_out,) for layer ``l + 1``.
    """

    weights: tuple[FloatArray, ...]
    biases: tuple[FloatArray, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "weights", tuple(self.weights))
        object.__setattr__(self, "biases", tuple(self.biases))
        if len(self.weights) != len(self.biases):
            raise ValueError(
                f"weights and biases must have one entry per layer, got {len(self.weights)} weights "
                f"and {len(self.biases)} biases"
            )

    @property
    def n_layers(self) -> int:
        """Number of layers L."""
        return len(self.weights)

    @property
    def size(self) -> int:
        """Total number of entries over all arrays (N P for per-example gradients, P parameters)."""
        return sum(
            int(w.size) + int(b.size) for w, b in zip(self.weights, self.biases, strict=True)
        )

    def flatten(self, *, per_example: bool = False) -> FloatArray:
        """Concatenate the arrays in the order W_1, b_1, W_2, b_2, ... (each row-major).

        Parameters
        ----------
        per_example : bool
            If true, treat axis 0 of every array as the example axis and flatten the rest,
            so that per-example gradients become one row per example.

        Returns
        -------
        array of shape (P,), or (N, P) if ``per_example``
            P is the number of parameters.
        """
        arrays = [a for pair in zip(self.weights, self.biases, strict=True) for a in pair]
        if per_example:
            n = arrays[0].shape[0]
            return np.concatenate([a.reshape(n, -1) for a in arrays], axis=1)
        return np.concatenate([a.ravel() for a in arrays])

    @classmethod
    def unflatten(cls, vector: Any, template: Parameters) -> Parameters:
        """Inverse of :meth:`flatten`: cut ``vector`` into arrays shaped like ``template``.

        Parameters
        ----------
        vector : array of shape (P,)
            Flat parameters in the order of :meth:`flatten`.
        template : Parameters
            Supplies the array shapes.

        Returns
        -------
        Parameters
            New arrays (copies) with the shapes of ``template``.
        """
        flat = as_float_array(vector, "vector", ndim=1)
        if flat.size != template.size:
            raise ValueError(
                f"vector has {flat.size} entries but the template has {template.size} parameters"
            )
        weights, biases, start = [], [], 0
        for w, b in zip(template.weights, template.biases, strict=True):
            weights.append(flat[start : start + w.size].reshape(w.shape).copy())
            start += w.size
            biases.append(flat[start : start + b.size].reshape(b.shape).copy())
            start += b.size
        return cls(tuple(weights), tuple(biases))
