"""The chapter *Batch size and the linear scaling rule*: how far k small SGD steps land
from one large one, against the step size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from gradavg.book.style import legend_below
from gradavg.scaling import steps_against_one


def scaling_gaps(
    theta: Any, batches: Sequence[tuple[Any, Any]], etas: Sequence[float]
) -> np.ndarray:
    """‖θ after k steps of η − θ after one step of kη‖ for each η of ``etas``."""
    return np.array(
        [float(np.linalg.norm(np.subtract(*steps_against_one(theta, batches, e)))) for e in etas]
    )


def plot_scaling_gap(
    theta: Any, batches: Sequence[tuple[Any, Any]], etas: Sequence[float]
) -> Figure:
    """The gap of :func:`scaling_gaps` against η on log–log axes, with a line of slope 2
    through the smallest η.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with the lines ``gid="gap"`` (the computed gaps) and ``gid="slope-two"``
        (the reference c η²).
    """
    steps = np.asarray(etas, dtype=np.float64)
    gaps = scaling_gaps(theta, batches, etas)
    fig, ax = plt.subplots(layout="constrained")
    reference = gaps[0] * (steps / steps[0]) ** 2
    ax.plot(steps, reference, color="0.5", ls="--", label="slope 2: ∝ η²", gid="slope-two")
    ax.plot(steps, gaps, "o-", color="tab:blue", label="k steps of η against one of kη", gid="gap")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("step size η")
    ax.set_ylabel("distance between the two results")
    legend_below(fig, ncols=1)
    return fig
