"""Figures of the chapter *When the loss is not a sum of per-example losses*.

:func:`plot_coupling` draws the matrix ∂ℓ_i/∂x_j of a squared loss after batch
normalisation beside what is left of it when the batch statistics are held fixed.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from gradavg._validation import as_float_array
from gradavg.book.formats import true_minus

__all__ = ["plot_coupling"]


def plot_coupling(jacobian: ArrayLike, frozen: ArrayLike) -> Figure:
    """Two heat maps: the coupled Jacobian ∂ℓ_i/∂x_j and the frozen-statistics diagonal.

    Parameters
    ----------
    jacobian : array_like, shape (N, N)
        ∂ℓ_i/∂x_j, row i the loss of example i (for example
        :attr:`gradavg.batchnorm.CoupledGradients.jacobian`).
    frozen : array_like, shape (N,)
        ∂ℓ_i/∂x_i with the batch statistics held fixed; drawn as a diagonal matrix.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes on one colour scale, symmetric about 0. The images carry the ``gid``
        ``"coupled"`` and ``"frozen"``; each cell is labelled with its value.
    """
    coupled = as_float_array(jacobian, "jacobian", ndim=2)
    n = coupled.shape[0]
    if coupled.shape != (n, n):
        raise ValueError(f"jacobian must be square, got shape {coupled.shape}")
    diagonal = as_float_array(frozen, "frozen", ndim=1)
    if diagonal.shape != (n,):
        raise ValueError(f"frozen must have {n} entries (one per example), got {diagonal.shape}")
    panels = {"coupled": coupled, "frozen": np.diag(diagonal)}
    limit = max(float(np.max(np.abs(m))) for m in panels.values()) or 1.0

    fig, axes = plt.subplots(2, 1, figsize=(4.8, 8.4), layout="constrained")  # one above the other
    titles = {
        "coupled": "batch statistics differentiated",
        "frozen": "batch statistics held fixed",
    }
    for ax, (name, matrix) in zip(axes, panels.items(), strict=True):
        image = ax.imshow(matrix, cmap="RdBu_r", vmin=-limit, vmax=limit, gid=name)
        for (row, column), value in np.ndenumerate(matrix):
            ax.text(
                column,
                row,
                true_minus(f"{value:.2f}"),
                ha="center",
                va="center",
                color="white" if abs(value) > 0.6 * limit else "black",
            )
        ax.set_title(titles[name])
        ax.set_xlabel("input i′")
        ax.set_xticks(range(n), [str(k + 1) for k in range(n)])
        ax.set_yticks(range(n), [str(k + 1) for k in range(n)])
        ax.grid(False)
    for ax in axes:
        ax.set_ylabel("loss of example i")
    fig.colorbar(image, ax=axes, shrink=0.8, label=r"$\partial \ell_i / \partial x_{i'}$")
    return fig
