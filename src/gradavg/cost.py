"""A deterministic cost model for backpropagation through an MLP: flops and memory.

The counts refer to the model of ``gradavg.mlp`` with widths ``(n_0, n_1, ..., n_L)``
and a batch of N examples, and follow these conventions:

* a matrix product of shapes (m, k) and (k, n) costs 2 m k n flops (each multiply-add
  counts as two);
* every other elementwise operation costs one flop per entry: the bias addition, one
  evaluation of the activation or of its derivative, a Hadamard product, a subtraction,
  a scaling;
* a sum of N rows of width n costs (N − 1) n flops.

The forward pass counts, per layer, the product h_{l-1} W_l, the bias addition and (for
hidden layers) the activation; the output layer is linear, as for the squared error. The
output error δ_L = 2(ŷ − y) costs two flops per entry. The backward pass counts, per
layer, the product h_{l-1}ᵀ Δ_l, the column sums of Δ_l, and (below the output layer)
Δ_l W_lᵀ, σ′(z_{l-1}) and their Hadamard product; finally, scaling the summed gradient by
1/N costs one flop per parameter. The loss value itself is not counted: only what the
gradient needs is.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from importlib import resources
from typing import Any

from gradavg._validation import as_positive_int, as_widths

__all__ = [
    "FLOAT64_BYTES",
    "backprop_flops",
    "backward_flops",
    "forward_flops",
    "looped_backprop_flops",
    "parameter_count",
    "per_example_gradient_bytes",
    "per_example_gradient_floats",
    "recorded_benchmark",
]

#: Bytes per float64 entry.
FLOAT64_BYTES = 8


def _as_batch_size(batch_size: int) -> int:
    return as_positive_int(batch_size, "batch_size")


def _layers(widths: Sequence[int]) -> list[tuple[int, int]]:
    sizes = as_widths(widths)
    return list(itertools.pairwise(sizes))


def parameter_count(widths: Sequence[int]) -> int:
    """Number of parameters P = Σ_l (n_{l-1} n_l + n_l).

    Parameters
    ----------
    widths : sequence of int
        Layer sizes ``(n_0, ..., n_L)``, at least two positive entries.

    Returns
    -------
    int
        Total count of weights and biases.
    """
    return sum(fan_in * fan_out + fan_out for fan_in, fan_out in _layers(widths))


def forward_flops(widths: Sequence[int], batch_size: int) -> int:
    """Flops of the forward pass over a batch (matrix products, biases, activations).

    Parameters
    ----------
    widths : sequence of int
        Layer sizes ``(n_0, ..., n_L)``.
    batch_size : int
        N ≥ 1.

    Returns
    -------
    int
        Σ_l (2 N n_{l-1} n_l + N n_l) plus N n_l for every hidden layer.
    """
    n = _as_batch_size(batch_size)
    layers = _layers(widths)
    products = sum(2 * n * fan_in * fan_out + n * fan_out for fan_in, fan_out in layers)
    activations = sum(n * fan_out for _, fan_out in layers[:-1])
    return products + activations


def backward_flops(widths: Sequence[int], batch_size: int) -> int:
    """Flops from the output error to the mean gradient, given a forward pass.

    Parameters
    ----------
    widths : sequence of int
        Layer sizes ``(n_0, ..., n_L)``.
    batch_size : int
        N ≥ 1.

    Returns
    -------
    int
        Output error (2 N n_L), per layer h_{l-1}ᵀ Δ_l (2 N n_{l-1} n_l) and column
        sums ((N − 1) n_l), per hidden layer the back-propagated error
        (2 N n_l n_{l-1} + 2 N n_{l-1}), and the final 1/N scaling (P, the parameter count).
    """
    n = _as_batch_size(batch_size)
    layers = _layers(widths)
    output_error = 2 * n * layers[-1][1]
    gradients = sum(2 * n * fan_in * fan_out + (n - 1) * fan_out for fan_in, fan_out in layers)
    # Δ_{l-1} = (Δ_l W_lᵀ) ⊙ σ′(z_{l-1}) for l = L, ..., 2
    propagation = sum(2 * n * fan_in * fan_out + 2 * n * fan_in for fan_in, fan_out in layers[1:])
    return output_error + gradients + propagation + parameter_count(widths)


def backprop_flops(widths: Sequence[int], batch_size: int) -> int:
    """Flops of one batched gradient of the mean loss: forward plus backward pass.

    See the module docstring for what is counted.

    Parameters
    ----------
    widths : sequence of int
        Layer sizes ``(n_0, ..., n_L)``.
    batch_size : int
        N ≥ 1.

    Returns
    -------
    int
        ``forward_flops(widths, N) + backward_flops(widths, N)``.
    """
    return forward_flops(widths, batch_size) + backward_flops(widths, batch_size)


def looped_backprop_flops(widths: Sequence[int], batch_size: int) -> int:
    """Flops of N single-example gradients accumulated into one.

    Parameters
    ----------
    widths : sequence of int
        Layer sizes ``(n_0, ..., n_L)``.
    batch_size : int
        N ≥ 1.

    Returns
    -------
    int
        ``N * backprop_flops(widths, 1) + (N - 1) * parameter_count(widths)``: N
        single-example passes and the N − 1 additions of their gradients. The final
        division of the sum by N (another P flops) is not included, so that both counts
        agree at N = 1.
    """
    n = _as_batch_size(batch_size)
    return n * backprop_flops(widths, 1) + (n - 1) * parameter_count(widths)


def per_example_gradient_floats(widths: Sequence[int], batch_size: int) -> int:
    """Number of floats that the per-example gradients occupy: N P for P parameters.

    Parameters
    ----------
    widths : sequence of int
        Layer sizes ``(n_0, ..., n_L)``.
    batch_size : int
        N ≥ 1.

    Returns
    -------
    int
        N times the parameter count.
    """
    return _as_batch_size(batch_size) * parameter_count(widths)


def per_example_gradient_bytes(widths: Sequence[int], batch_size: int) -> int:
    """Memory of the per-example gradients in float64: 8 N P bytes for P parameters.

    Parameters
    ----------
    widths : sequence of int
        Layer sizes ``(n_0, ..., n_L)``.
    batch_size : int
        N ≥ 1.

    Returns
    -------
    int
        Bytes.
    """
    return FLOAT64_BYTES * per_example_gradient_floats(widths, batch_size)


def recorded_benchmark() -> dict[str, Any]:
    """The gradient benchmark's recorded results, shipped with the package.

    ``python benchmarks/bench_gradients.py`` measures them on the machine it runs on and
    writes ``gradavg/data/benchmark-gradients.json``; the book plots this record, so a
    build never times anything.
    """
    record = resources.files("gradavg").joinpath("data", "benchmark-gradients.json")
    return dict(json.loads(record.read_text()))
