"""The chapter *Through a network*: its experiments and its figure.

Matrix forms of the chapter's entrywise results, written out at small sizes
(:func:`named`, :func:`batch_matrices`, :func:`explicit_definitions`); the regression task
and how far each averaging-first shortcut is from the correct gradient
(:func:`regression_task`, :func:`shortcut_errors`, :func:`covariance_mismatch`,
:func:`error_table`); where training with a shortcut stops (:func:`settled_step`,
:func:`stalled_norms`); and three independent computations of the gradient
(:func:`gradient_agreement`).

:func:`plot_training_curves` draws the true mean loss against the step number for runs
of gradient descent with the correct batch gradient and with each averaging-first
shortcut, such as those of :func:`gradavg.training.training_runs`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from matplotlib.figure import Figure

from gradavg import shortcuts
from gradavg._validation import FloatArray, as_float_array
from gradavg.book.formats import shown
from gradavg.book.page import Formula, Page
from gradavg.book.style import legend_below
from gradavg.comparison import LayerError, gradient_comparison, relative_difference
from gradavg.mlp import MLP
from gradavg.parameters import Parameters
from gradavg.training import GRADIENTS
from gradavg.verify import VerifiedDerivation, latex

__all__ = [
    "GRADIENT_LABELS",
    "SHORTCUTS",
    "BatchMatrices",
    "CrossCheck",
    "TrainingSummary",
    "assignments",
    "batch_matrices",
    "covariance_mismatch",
    "error_summary",
    "error_table",
    "explicit_definitions",
    "gradient_agreement",
    "hidden_weights_worst",
    "matrix",
    "matrix_derivation",
    "matrix_proved_for",
    "named",
    "one_unit_gradient",
    "plot_training_curves",
    "regression_task",
    "settled_step",
    "shortcut_errors",
    "stalled_norms",
    "summarize_training",
]

SHORTCUTS: Mapping[str, str] = {
    "averaged_input": "gradient at the averaged example",
    "averaged_signal": "averaged error signal",
}
"""The shortcuts the chapter compares, by their names in :data:`gradavg.training.GRADIENTS`
(which holds the functions), with their names in the chapter's table."""


# --- matrix forms, written out -----------------------------------------------------------


def matrix(shape: tuple[int, int], entry: Callable[[int, int], sp.Basic]) -> sp.ImmutableMatrix:
    """The matrix of ``shape`` whose entry (r, c), counted from 1 as in the book's
    formulas, is ``entry(r, c)``; the indices are Python integers, so this works under
    ``sympy.evaluate(False)`` too."""
    rows, columns = shape
    return sp.ImmutableMatrix(
        [[entry(r, c) for c in range(1, columns + 1)] for r in range(1, rows + 1)]
    )


def named(
    name: str, shape: tuple[int, int], entry: Callable[[int, int], sp.Basic]
) -> tuple[sp.MatrixSymbol, dict[sp.Basic, sp.ImmutableMatrix]]:
    """A matrix symbol ``name`` of ``shape`` and what it stands for, :func:`matrix` of
    ``shape`` and ``entry``."""
    symbol = sp.MatrixSymbol(name, *shape)
    return symbol, {symbol: matrix(shape, entry)}


@dataclass(frozen=True)
class BatchMatrices:
    """A batch written out as vectors and matrices: for each example ``m`` the column
    vectors h_m and δ_m, the matrices H and Δ with these as rows, and the mean vectors
    h̄ and δ̄; ``values`` says what each symbol stands for."""

    h: list[sp.MatrixSymbol]
    delta: list[sp.MatrixSymbol]
    H: sp.MatrixSymbol
    Delta: sp.MatrixSymbol
    h_mean: sp.MatrixSymbol
    delta_mean: sp.MatrixSymbol
    values: dict[sp.Basic, sp.ImmutableMatrix]


def batch_matrices(
    h: sp.IndexedBase, delta: sp.IndexedBase, examples: int, hidden: int, outputs: int
) -> BatchMatrices:
    """The hidden activations ``h[m, j]`` and output errors ``delta[m, k]`` of ``examples``
    examples as :class:`BatchMatrices`."""
    rows = range(1, examples + 1)
    values: dict[sp.Basic, sp.ImmutableMatrix] = {}

    def keep(pair: tuple[sp.MatrixSymbol, dict[sp.Basic, sp.ImmutableMatrix]]) -> sp.MatrixSymbol:
        values.update(pair[1])
        return pair[0]

    def mean(base: sp.IndexedBase, r: int) -> sp.Expr:
        return sp.Add(*(base[m, r] for m in rows)) / examples

    def row(base: sp.IndexedBase, m: int) -> Callable[[int, int], sp.Basic]:
        return lambda r, _: base[m, r]

    return BatchMatrices(
        h=[keep(named(f"h_{{{m}}}", (hidden, 1), row(h, m))) for m in rows],
        delta=[keep(named(rf"\delta_{{{m}}}", (outputs, 1), row(delta, m))) for m in rows],
        H=keep(named("H", (examples, hidden), lambda m, r: h[m, r])),
        Delta=keep(named(r"\Delta", (examples, outputs), lambda m, r: delta[m, r])),
        h_mean=keep(named(r"\bar{h}", (hidden, 1), lambda r, _: mean(h, r))),
        delta_mean=keep(named(r"\bar{\delta}", (outputs, 1), lambda r, _: mean(delta, r))),
        values=values,
    )


def explicit_definitions(
    displayed: Iterable[sp.Basic], values: Mapping[sp.Basic, sp.Basic]
) -> dict[sp.Basic, sp.Basic]:
    """Definitions under which each displayed matrix expression is its explicit matrix.

    ``values`` gives each matrix symbol its matrix (and may fix sizes, such as K = 3);
    each expression in ``displayed`` is mapped to itself with ``values`` substituted and
    the products carried out, so that a derivation proves the steps entry by entry. The
    largest expressions come first, since definitions are unfolded in order and an
    expression may contain another.
    """
    keys = [sp.ImmutableMatrix(e) if isinstance(e, sp.MatrixBase) else e for e in displayed]
    explicit: dict[sp.Basic, sp.Basic] = {}
    for key in sorted(keys, key=lambda e: -sum(1 for _ in sp.preorder_traversal(e))):
        with sp.evaluate(True):
            explicit[key] = sp.ImmutableMatrix(sp.Matrix(key.xreplace(values).doit()).doit())
    return explicit


def matrix_derivation(
    page: Page,
    key: str,
    values: Mapping[sp.Basic, sp.Basic],
    start: sp.Basic,
    *steps: tuple[sp.Basic, str],
    title: str | None = None,
) -> None:
    """Verify ``start = step 1 = …`` on ``page`` entry by entry, each displayed matrix
    expression standing for its explicit matrix under ``values``
    (:func:`explicit_definitions`), and glue it under ``key`` as
    :meth:`gradavg.book.page.Page.derivation` does; ``key-how`` is :func:`matrix_proved_for`.
    Each step is ``(expression, justification)``; the title defaults to the key. The
    verified derivation is ``page[key]``."""
    title = title or f"{key}, written out as matrices"
    displayed = [start, *(expr for expr, _ in steps)]
    definitions = explicit_definitions(displayed, values)
    with page.derivation(key, title, start=start, definitions=definitions) as chain:
        for expr, why in steps:
            chain.step(expr, why)
    page.glue(f"{key}-how", matrix_proved_for(page[key]))


def matrix_proved_for(result: VerifiedDerivation) -> str:
    """How a derivation of :func:`explicit_definitions` was proved, for the prose: its
    :meth:`~gradavg.verify.derivation.VerifiedDerivation.proved_for`, and ``entry by entry`` when
    every step was proved so."""
    entrywise = all(method.entrywise for _, _, method in result.methods())
    return result.proved_for() + (", entry by entry" if entrywise else "")


# --- one gradient, each shortcut -----------------------------------------------------------


def regression_task(
    widths: tuple[int, ...], n_examples: int, seed: int = 2019, model_seed: int = 1
) -> tuple[FloatArray, FloatArray, MLP]:
    """The chapter's regression task and a sigmoid network at its random starting point.

    Inputs are uniform on [−2, 2]; the target is sin(2 x₁) cos(x₂) of the first two
    inputs. The network has the given ``widths``, sigmoid hidden units and the squared
    error.
    """
    rng = np.random.default_rng(seed)
    inputs = rng.uniform(-2.0, 2.0, size=(n_examples, widths[0]))
    targets = np.sin(2.0 * inputs[:, 0]) * np.cos(inputs[:, 1])
    return inputs, targets, MLP.init(widths, activation="sigmoid", loss="mse", seed=model_seed)


def shortcut_errors(model: MLP, x: Any, y: Any) -> dict[str, list[LayerError]]:
    """For each shortcut in :data:`SHORTCUTS`, its per-layer error against the correct
    gradient (:func:`gradavg.comparison.gradient_comparison`)."""
    reference = model.batch_gradient(x, y)
    return {
        name: gradient_comparison(reference, GRADIENTS[name](model, x, y)) for name in SHORTCUTS
    }


def covariance_mismatch(model: MLP, x: Any, y: Any) -> float:
    """How far the averaged-signal shortcut's output-weight error is from the covariance.

    For a network with one hidden layer and the squared error, the correct output-weight
    gradient minus the shortcut's is, in exact arithmetic, the batch covariance of the
    hidden activations and the output errors 2(ŷ − y). Returns the largest entrywise
    difference of the two, relative to the largest entry of the covariance.
    """
    inputs, targets = model.check_batch(x, y)
    forward = model.forward(inputs)
    hidden, error = forward.activations[1], 2.0 * (forward.output - targets)
    covariance = (hidden - hidden.mean(0)).T @ (error - error.mean(0)) / len(inputs)
    gap = (
        model.batch_gradient(inputs, targets).weights[-1]
        - shortcuts.averaged_signal_gradient(model, inputs, targets).weights[-1]
    )
    return relative_difference(gap, covariance)


def hidden_weights_worst(errors: Mapping[str, list[LayerError]]) -> bool:
    """True when, for every shortcut, the layer-1 weight error exceeds every other relative
    error in its rows of :func:`error_table` (for a network with one hidden layer)."""
    for hidden, output in errors.values():
        others = (
            output.weight_relative_error,
            hidden.bias_relative_error,
            output.bias_relative_error,
        )
        if hidden.weight_relative_error <= max(others):
            return False
    return True


def error_summary(errors: Mapping[str, list[LayerError]]) -> dict[str, float]:
    """The numbers the chapter quotes from :func:`shortcut_errors` (one hidden layer),
    keyed ``<shortcut>-<layer>-<what>``: ``signal-w1-error``, ``input-b2-error``, …"""
    (input_w1, input_w2), (signal_w1, signal_w2) = (
        errors["averaged_input"],
        errors["averaged_signal"],
    )
    return {
        "signal-w1-error": signal_w1.weight_relative_error,
        "signal-w1-cosine": signal_w1.weight_cosine,
        "input-w1-error": input_w1.weight_relative_error,
        "signal-w2-error": signal_w2.weight_relative_error,
        "input-w2-error": input_w2.weight_relative_error,
        "signal-b2-error": signal_w2.bias_relative_error,
        "input-b2-error": input_w2.bias_relative_error,
    }


def error_table(errors: Mapping[str, list[LayerError]], spec: str = ".3g") -> str:
    """A Markdown table of :func:`shortcut_errors`: a row per shortcut and layer.

    The bias cosine is left out: with one output, the output bias is one number, and its
    cosine can only be ±1.
    """
    rows = [
        "| shortcut | layer | weights: relative error | weights: cosine | biases: relative error |",
        "|---|---|---|---|---|",
    ]
    for name, layers in errors.items():
        label = SHORTCUTS.get(name, name)
        rows += [
            f"| {label} | {e.layer} | {shown(e.weight_relative_error, spec)} "
            f"| {shown(e.weight_cosine, spec)} | {shown(e.bias_relative_error, spec)} |"
            for e in layers
        ]
    return "\n".join(rows)


# --- training ------------------------------------------------------------------------------


def settled_step(record: Any, tolerance: float = 1e-3) -> int:
    """The first step from which the loss ``record`` stays within ``tolerance`` (relative)
    of its last value."""
    losses = np.asarray(record, dtype=float)
    far = np.flatnonzero(np.abs(losses - losses[-1]) > tolerance * abs(losses[-1]))
    return int(far[-1]) + 1 if far.size else 0


def stalled_norms(
    runs: Mapping[str, tuple[MLP, Any]], x: Any, y: Any
) -> dict[str, tuple[float, float]]:
    """For each shortcut run of :func:`gradavg.training.training_runs`, the norms of the
    shortcut gradient and of the correct gradient at the point where the run ends."""
    return {
        name: (
            float(np.linalg.norm(GRADIENTS[name](runs[name][0], x, y).flatten())),
            float(np.linalg.norm(runs[name][0].batch_gradient(x, y).flatten())),
        )
        for name in SHORTCUTS
        if name in runs
    }


@dataclass(frozen=True)
class TrainingSummary:
    """What the chapter reads off the runs of :func:`gradavg.training.training_runs`."""

    histories: dict[str, FloatArray]
    """The loss record of each run, keyed by gradient name."""
    losses: dict[str, float]
    """``initial-loss``, ``final-batch``, ``final-input``, ``final-signal`` and
    ``constant-loss`` (J of predicting the mean target everywhere)."""
    settled: int
    """The last step from which any shortcut run settles (:func:`settled_step`)."""
    batch_settled: int
    """The same for the run with the correct gradient."""
    batch_monotone: bool
    """Whether the correct gradient's loss never rises."""
    excess: tuple[float, float]
    """The smallest and largest final shortcut loss, relative to the constant loss, minus 1."""
    stalled_shortcut: float
    """The largest shortcut-gradient norm where a shortcut run ends."""
    stalled_true: float
    """The smallest correct-gradient norm where a shortcut run ends."""

    @property
    def constant_loss(self) -> float:
        """J of predicting the mean target everywhere."""
        return self.losses["constant-loss"]

    def quoted(self) -> dict[str, str]:
        """The numbers as the chapter quotes them, keyed by the end of their glue key."""
        return {
            **{key: shown(value, ".3g") for key, value in self.losses.items()},
            "settled-step": str(self.settled),
            "shortcut-excess": f"{self.excess[1]:.0%}",
            "stalled-shortcut": shown(self.stalled_shortcut, ".0e"),
            "stalled-true": shown(self.stalled_true, ".3g"),
        }


def summarize_training(
    runs: Mapping[str, tuple[MLP, Any]], x: Any, y: Any, tolerance: float = 1e-3
) -> TrainingSummary:
    """Summarise the runs of :func:`gradavg.training.training_runs` (all three gradients)
    for the targets ``y`` of shape (N,)."""
    histories = {name: np.asarray(record, dtype=float) for name, (_, record) in runs.items()}
    constant = float(np.var(np.asarray(y, dtype=float)))
    shortcut_final = [histories[name][-1] / constant - 1 for name in SHORTCUTS]
    stalled = stalled_norms(runs, x, y)
    return TrainingSummary(
        histories=histories,
        losses={
            "initial-loss": float(histories["batch"][0]),
            "final-batch": float(histories["batch"][-1]),
            "final-input": float(histories["averaged_input"][-1]),
            "final-signal": float(histories["averaged_signal"][-1]),
            "constant-loss": constant,
        },
        settled=max(settled_step(histories[name], tolerance) for name in SHORTCUTS),
        batch_settled=settled_step(histories["batch"], tolerance),
        batch_monotone=bool(np.all(np.diff(histories["batch"]) <= 0)),
        excess=(float(min(shortcut_final)), float(max(shortcut_final))),
        stalled_shortcut=max(shortcut for shortcut, _ in stalled.values()),
        stalled_true=min(true for _, true in stalled.values()),
    )


# --- a cross-check ------------------------------------------------------------------------


@dataclass(frozen=True)
class CrossCheck:
    """How closely two independent computations agree with batched backpropagation."""

    parameters: int
    """Number of partial derivatives compared."""
    per_example: float
    """Mean of the per-example gradients against the batch gradient (relative)."""
    finite_differences: float
    """Central finite differences of J against the batch gradient (relative)."""

    def __str__(self) -> str:
        return (
            f"parameters:                                     {self.parameters}\n"
            f"mean of per-example vs batch, max rel. diff.:   {self.per_example:.1e}\n"
            f"finite differences vs batch, max rel. diff.:    {self.finite_differences:.1e}"
        )


def assignments(values: Mapping[sp.Basic, sp.Basic]) -> Formula:
    """``name = value`` for each item, separated by a wide space, as one formula."""
    return Formula(
        r", \quad ".join(f"{latex(name)} = {latex(value)}" for name, value in values.items())
    )


def one_unit_gradient(v: float, w: float, x: Any, y: Any) -> float:
    """The gradient of the mean loss in the hidden weight ``v`` of a network with one input,
    one hidden sigmoid unit, one linear output (weight ``w``), zero biases and the squared
    error, on the batch ``x``, ``y`` (:meth:`~gradavg.mlp.MLP.batch_gradient`)."""
    weights = (np.array([[float(v)]]), np.array([[float(w)]]))
    network = MLP(Parameters(weights, (np.zeros(1), np.zeros(1))))
    inputs = np.asarray(x, dtype=float).reshape(-1, 1)
    return float(network.batch_gradient(inputs, np.asarray(y, dtype=float)).weights[0][0, 0])


def gradient_agreement(model: MLP, x: Any, y: Any) -> CrossCheck:
    """Compare :meth:`~gradavg.mlp.MLP.batch_gradient` with the mean of
    :meth:`~gradavg.mlp.MLP.per_example_gradients` and with
    :meth:`~gradavg.mlp.MLP.finite_difference_gradient`, by :func:`~gradavg.comparison.relative_difference`."""
    batched = model.batch_gradient(x, y).flatten()
    per_example = model.per_example_gradients(x, y).flatten(per_example=True).mean(axis=0)
    finite = model.finite_difference_gradient(x, y).flatten()
    return CrossCheck(
        batched.size,
        relative_difference(per_example, batched),
        relative_difference(finite, batched),
    )


# --- figures --------------------------------------------------------------------------


GRADIENT_LABELS: dict[str, str] = {
    "batch": "batch gradient (correct)",
    **{name: f"shortcut: {label}" for name, label in SHORTCUTS.items()},
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
    fig, ax = plt.subplots(layout="constrained")
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
    legend_below(fig)
    return fig
