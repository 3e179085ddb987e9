"""Plain gradient descent on an MLP, driven by the exact gradient or by a shortcut.

:func:`train` runs one deterministic descent and records the true mean loss after every
step; :func:`training_runs` starts one run per gradient from a common network, which is
what the chapter *Through a network* plots.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import Any

import numpy as np

from gradavg import shortcuts
from gradavg._validation import FloatArray, as_float_array
from gradavg.mlp import MLP
from gradavg.parameters import Parameters

__all__ = ["GRADIENTS", "train", "training_runs"]

GRADIENTS: Mapping[str, Callable[[MLP, Any, Any], Parameters]] = MappingProxyType(
    {
        "batch": MLP.batch_gradient,
        "averaged_input": shortcuts.averaged_input_gradient,
        "averaged_signal": shortcuts.averaged_signal_gradient,
    }
)
"""Read-only mapping from the names accepted by :func:`train` to the gradient each names:
:meth:`gradavg.mlp.MLP.batch_gradient` (correct),
:func:`gradavg.shortcuts.averaged_input_gradient` and
:func:`gradavg.shortcuts.averaged_signal_gradient` (the shortcuts)."""


def train(
    model: MLP,
    x: Any,
    y: Any,
    gradient: str = "batch",
    steps: int = 100,
    learning_rate: float = 0.1,
) -> tuple[MLP, FloatArray]:
    """Plain, deterministic gradient descent with the exact gradient or a shortcut.

    Parameters
    ----------
    model : MLP
        Starting point; it is not modified.
    x : array of shape (N, d_in)
        Inputs.
    y : array of shape (N, d_out), or (N,)
        Targets, as in :meth:`gradavg.mlp.MLP.check_batch`.
    gradient : str
        A name in :data:`GRADIENTS`: ``"batch"``, ``"averaged_input"`` or
        ``"averaged_signal"``.
    steps : int
        Number of descent steps, at least 0.
    learning_rate : float
        Positive step size η; each step sets θ ← θ − η g.

    Returns
    -------
    model : MLP
        The model after ``steps`` updates.
    history : array of shape (steps + 1,)
        The true mean loss J before the first step and after every step, whatever
        gradient drives the updates.

    Notes
    -----
    Gradient descent diverges if the learning rate is too large: numpy then warns about
    overflow, and once a parameter is no longer finite the update raises ``ValueError``.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an MLP, got {type(model).__name__}")
    if not isinstance(gradient, str) or gradient not in GRADIENTS:  # type: ignore[redundant-expr]
        raise ValueError(
            f"gradient must be one of {', '.join(map(repr, GRADIENTS))}; got {gradient!r}"
        )
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or steps < 0:  # type: ignore[redundant-expr]
        raise ValueError(f"steps must be a non-negative int, got {steps!r}")
    eta = float(as_float_array(learning_rate, "learning_rate", ndim=0))
    if eta <= 0.0:
        raise ValueError(f"learning_rate must be positive, got {eta!r}")
    direction = GRADIENTS[gradient]
    inputs, targets = model.check_batch(x, y)
    history = np.empty(int(steps) + 1)
    history[0] = model.mean_loss(inputs, targets)
    for step in range(int(steps)):
        g = direction(model, inputs, targets)
        params = Parameters(
            tuple(w - eta * gw for w, gw in zip(model.params.weights, g.weights, strict=True)),
            tuple(b - eta * gb for b, gb in zip(model.params.biases, g.biases, strict=True)),
        )
        model = replace(model, params=params)
        history[step + 1] = model.mean_loss(inputs, targets)
    return model, history


def training_runs(
    model: MLP,
    x: Any,
    y: Any,
    *,
    steps: int,
    learning_rate: float,
    gradients: Sequence[str] = tuple(GRADIENTS),
) -> dict[str, tuple[MLP, FloatArray]]:
    """Gradient descent from one starting point, driven by each gradient in turn.

    Every run starts from ``model`` and uses the same step size; only the gradient that
    drives the updates differs. Each run is one call of :func:`train`.

    Parameters
    ----------
    model : MLP
        The common starting point; it is not modified.
    x : array of shape (N, d_in)
        Inputs, one example per row.
    y : array of shape (N, d_out), or (N,)
        Targets, as in :meth:`gradavg.mlp.MLP.check_batch`.
    steps : int
        Number of descent steps of every run.
    learning_rate : float
        The common step size.
    gradients : sequence of str
        Names from :data:`GRADIENTS`; by default all of them.

    Returns
    -------
    dict of str to (MLP, array of shape (steps + 1,))
        For each name, the model after the last step and the true mean loss over the
        whole batch before the first step and after every step.
    """
    return {
        name: train(model, x, y, name, steps=steps, learning_rate=learning_rate)
        for name in gradients
    }
