"""Figures of the chapter *Through a network*.

:func:`plot_training_curves` draws the true mean loss against the step number for runs
of gradient descent with the correct batch gradient and with each averaging-first
shortcut, such as those of :func:`gradavg.training.training_runs`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from gradavg._validation import as_float_array

__all__ = ["GRADIENT_LABELS", "plot_training_curves"]

GRADIENT_LABELS: dict[str, str] = {
    "batch": "batch gradient (correct)",
    "averaged_input": "shortcut: gradient at the averaged example",
    "averaged_signal": "shortcut: averaged error signal",
}
"""Legend text for each name in :data:`gradavg.training.GRADIENTS`."""

_STYLES: dict[str, dict[str, Any]] = {
    "batch": {"color": "tab:blue", "ls": "-"},
    "averaged_input": {"color": "tab:orange", "ls": "--"},
    "averaged_signal": {"color": "tab:red", "ls": ":", "lw": 2.4},
}


def plot_training_curves(
    histories: Mapping[str, Any],
    *,
    reference: float | None = None,
    reference_label: str = "reference",
    log_scale: bool = True,
) -> Figure:
    """The true mean loss against the step number, one curve per gradient.

    Parameters
    ----------
    histories : mapping of str to array of shape (steps + 1,)
        Loss records keyed by gradient name, such as the second entries of the
        pairs returned by :func:`gradavg.training.training_runs`.
        Names in :data:`GRADIENT_LABELS` get its legend text, others their own name.
    reference : float, optional
        If given, a horizontal dotted line at this loss (for example the loss of always
        predicting the mean target).
    reference_label : str
        Legend text of the reference line.
    log_scale : bool
        Draw the loss on a logarithmic axis.

    Returns
    -------
    matplotlib.figure.Figure
        One axes. Each curve carries its gradient name as ``gid`` and plots the record
        against the steps 0, 1, ..., steps; the reference line has the ``gid``
        ``"reference"``.
    """
    if not histories:
        raise ValueError("histories is empty: give at least one loss record")
    fig, ax = plt.subplots()
    for name, record in histories.items():
        losses = as_float_array(record, f"histories[{name!r}]", ndim=1)
        ax.plot(
            np.arange(losses.size),
            losses,
            label=GRADIENT_LABELS.get(name, name),
            gid=name,
            **_STYLES.get(name, {}),
        )
    if reference is not None:
        ax.axhline(
            float(reference),
            color="0.45",
            ls=(0, (1, 3)),
            lw=1.2,
            label=reference_label,
            gid="reference",
        )
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("gradient-descent step")
    ax.set_ylabel("true mean loss J")
    ax.legend(loc="lower left")
    fig.tight_layout()
    return fig
