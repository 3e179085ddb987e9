"""The three procedures of the question, (A), (B) and (C), on one small least-squares batch.

:func:`compare_procedures` computes the gradient of the mean squared error of a line
f(x) = m x + b in the three ways the question moves between, and how far apart they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gradavg import regression, shortcuts
from gradavg.book.formats import shown

NAMES = (
    "(A) gradient of the mean loss",
    "(B) mean of per-example gradients",
    "(C) gradient at the averaged example",
)
"""The procedures, as the table names them."""


@dataclass(frozen=True)
class ProcedureComparison:
    """The gradients (∂J/∂m, ∂J/∂b) of the three procedures and their differences.

    ``diff_ab``, ``diff_c_intercept`` and ``diff_closed_form`` are relative differences;
    ``diff_c_slope`` is the error of (C) in the slope, (C) minus (A), and ``closed_form``
    the same error computed from the batch's moments.
    """

    gradients: dict[str, NDArray[np.float64]]
    closed_form: float
    diff_ab: float
    diff_c_slope: float
    diff_c_intercept: float
    diff_closed_form: float

    def table(self) -> str:
        """A Markdown table: one row per procedure, a column per parameter."""
        rows = [
            r"| procedure | slope, $\partial J / \partial m$ | intercept, $\partial J / \partial b$ |",
            "| --- | ---: | ---: |",
        ]
        rows += [
            f"| {name} | {shown(g[0], '.4f')} | {shown(g[1], '.4f')} |"
            for name, g in self.gradients.items()
        ]
        return "\n".join(rows)


def compare_procedures(
    params: ArrayLike, inputs: ArrayLike, targets: ArrayLike
) -> ProcedureComparison:
    """(A), (B) and (C) for least squares on the line with ``params`` = (m, b)."""
    grad_a = regression.batch_gradient(params, inputs, targets)
    grad_b = regression.per_example_gradients(params, inputs, targets).mean(axis=0)
    grad_c = np.asarray(shortcuts.averaged_input_gradient(params, inputs, targets), float)
    scale = np.abs(grad_a)
    slope_error = float(grad_c[0] - grad_a[0])
    closed_form = float(regression.averaging_error_closed_form(params, inputs, targets)[0])
    return ProcedureComparison(
        gradients=dict(zip(NAMES, (grad_a, grad_b, grad_c), strict=True)),
        closed_form=closed_form,
        diff_ab=float(np.max(np.abs(grad_b - grad_a) / scale)),
        diff_c_slope=slope_error,
        diff_c_intercept=float(abs(grad_c[1] - grad_a[1]) / scale[1]),
        diff_closed_form=abs(closed_form - slope_error) / abs(slope_error),
    )


def relative_text(value: float) -> str:
    """A relative difference for the prose: ``"0"`` when the two numbers are identical."""
    return "0" if value == 0 else shown(value, ".1e")
