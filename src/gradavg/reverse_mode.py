"""What reverse mode keeps and what it produces: activation memory and gradient ranks.

:func:`forward_pass_floats` counts the numbers that one forward pass of
:class:`gradavg.mlp.MLP` keeps for the backward pass, N rows per layer;
:func:`gradient_ranks` measures the ranks of a network's per-example and batch weight
gradients (at most one, and at most min(N, fan_in, fan_out)).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from gradavg._validation import as_positive_int, as_widths
from gradavg.cost import FLOAT64_BYTES
from gradavg.mlp import MLP

__all__ = ["LayerRanks", "forward_pass_bytes", "forward_pass_floats", "gradient_ranks"]


def forward_pass_floats(widths: Sequence[int], batch_size: int) -> int:
    """Numbers kept by a forward pass over N examples: every z_l and every h_l.

    Parameters
    ----------
    widths : sequence of int
        Layer sizes ``(d_0, ..., d_D)``.
    batch_size : int
        N ≥ 1.

    Returns
    -------
    int
        N (d_0 + d_1 + ... + d_D) for the activations h_0, ..., h_D plus
        N (d_1 + ... + d_D) for the pre-activations z_1, ..., z_D: what
        :class:`gradavg.losses.ForwardPass` holds.
    """
    sizes = as_widths(widths)
    n = as_positive_int(batch_size, "batch_size")
    return n * (sum(sizes) + sum(sizes[1:]))


def forward_pass_bytes(widths: Sequence[int], batch_size: int) -> int:
    """Memory of :func:`forward_pass_floats` in float64: 8 bytes a number."""
    return FLOAT64_BYTES * forward_pass_floats(widths, batch_size)


@dataclass(frozen=True)
class LayerRanks:
    """Ranks of one layer's weight gradients.

    Attributes
    ----------
    layer : int
        Layer number l, from 1.
    fan_in, fan_out : int
        Shape of the weight matrix W_l.
    batch_size : int
        N.
    per_example : int
        Largest rank of the N per-example gradients h_{l−1,i} δ_{l,i}ᵀ.
    batch : int
        Rank of the batch gradient (1/N) h_{l−1}ᵀ Δ_l.
    """

    layer: int
    fan_in: int
    fan_out: int
    batch_size: int
    per_example: int
    batch: int

    def __str__(self) -> str:
        return (
            f"N = {self.batch_size:3d}, layer {self.layer} ({self.fan_in} × {self.fan_out}): "
            f"largest per-example rank {self.per_example}, batch rank {self.batch}"
        )

    @property
    def bound(self) -> int:
        """min(N, fan_in, fan_out), the most the batch gradient's rank can be."""
        return min(self.batch_size, self.fan_in, self.fan_out)


def gradient_ranks(model: MLP, x: Any, y: Any) -> list[LayerRanks]:
    """Ranks of the per-example and batch weight gradients of every layer.

    Parameters
    ----------
    model : MLP
        The network.
    x : array of shape (N, d_in)
        Inputs.
    y : array of shape (N, d_out), or (N,)
        Targets, as in :meth:`gradavg.mlp.MLP.check_batch`.

    Returns
    -------
    list of LayerRanks
        One per layer, from the input; ranks by ``numpy.linalg.matrix_rank`` with its
        default tolerance.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an MLP, got {type(model).__name__}")
    per_example = model.per_example_gradients(x, y)
    batch = model.batch_gradient(x, y)
    n = per_example.weights[0].shape[0]
    return [
        LayerRanks(
            layer=index + 1,
            fan_in=int(mean.shape[0]),
            fan_out=int(mean.shape[1]),
            batch_size=int(n),
            per_example=int(np.max(np.linalg.matrix_rank(each))),
            batch=int(np.linalg.matrix_rank(mean)),
        )
        for index, (each, mean) in enumerate(zip(per_example.weights, batch.weights, strict=True))
    ]
