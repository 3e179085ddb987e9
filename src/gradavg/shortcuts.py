"""The averaging-first shortcuts: average over the batch before differentiating.

Each shortcut has one name for every model it applies to, and each is wrong in general
(the book is about why):

* :func:`averaged_input_gradient` pushes the single averaged example (x̄, ȳ) through the
  gradient, for the line of :mod:`gradavg.regression` and for an :class:`~gradavg.mlp.MLP`;
* :func:`averaged_signal_gradient` runs the true forward pass of an MLP, averages the
  output error signal, and backpropagates that one mean signal through the mean
  activations.

:func:`averaging_error` is the error of the first shortcut for the line, which
:func:`gradavg.regression.averaging_error_closed_form` gives in closed form.
"""

from __future__ import annotations

from typing import Any, overload

import numpy as np
from numpy.typing import ArrayLike

from gradavg import regression
from gradavg._validation import (
    FloatArray,
    OverflowInputError,
    as_batch,
    check_finite,
    check_same_length,
    overflow_guard,
)
from gradavg.mlp import MLP
from gradavg.parameters import Parameters

__all__ = ["averaged_input_gradient", "averaged_signal_gradient", "averaging_error"]


@overload
def averaged_input_gradient(model: MLP, x: Any, y: Any) -> Parameters: ...
@overload
def averaged_input_gradient(model: ArrayLike, x: ArrayLike, y: ArrayLike) -> FloatArray: ...
def averaged_input_gradient(model: MLP | ArrayLike, x: Any, y: Any) -> Parameters | FloatArray:
    """Shortcut 1: the gradient of the loss at the single averaged example (x̄, ȳ).

    Equal to the batch gradient when N = 1 (or all examples coincide), wrong in general.
    For the line f(x) = m x + b it is (−2 x̄ (ȳ − m x̄ − b), −2 (ȳ − m x̄ − b)), whose
    b-component is exact and whose m-component is off by 2 (Cov(x, y) − m Var(x)). For
    the cross-entropy of an MLP, ȳ is the mean of the one-hot (or probability) rows, a
    soft label.

    Parameters
    ----------
    model : MLP, or array_like of shape (2,)
        A network, or the parameters θ = (m, b) of the line of :mod:`gradavg.regression`.
    x : array of shape (N, d_in) for an MLP, (N,) for the line
        Inputs, N ≥ 1.
    y : array of shape (N, d_out) or (N,) for an MLP, (N,) for the line
        Targets, as in :meth:`gradavg.mlp.MLP.check_batch` for an MLP.

    Returns
    -------
    Parameters, or array of shape (2,)
        For an MLP, the gradient of L(x̄, ȳ) with the shapes of its parameters; for the
        line, the shortcut's (∂/∂m, ∂/∂b).

    Raises
    ------
    ~gradavg._validation.OverflowInputError
        (a ``ValueError``) for both models alike, if the mean of ``x`` or ``y``, or the
        gradient at the averaged example, overflows float64.
    """
    if isinstance(model, MLP):
        inputs, targets = model.check_batch(x, y)
        x_mean, y_mean = _means(inputs, targets)
        try:
            return model.batch_gradient(x_mean, y_mean)
        except OverflowInputError:
            raise OverflowInputError(_AT_MEAN, ("x", "y")) from None
    x_arr = as_batch(x, "x")
    y_arr = as_batch(y, "y")
    check_same_length(x=x_arr, y=y_arr)
    x_mean, y_mean = _means(x_arr, y_arr)
    # One example, the batch mean; row 0 of its (1, 2) per-example gradient.
    try:
        gradient: FloatArray = regression.per_example_gradients(model, x_mean, y_mean)[0]
    except OverflowInputError:
        raise OverflowInputError(_AT_MEAN, ("theta", "x", "y")) from None
    return gradient


_AT_MEAN = "the gradient at the averaged example of"


def _means(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The batch means of ``x`` and ``y`` over axis 0, kept as one-example batches."""
    means = []
    for name, batch in (("x", x), ("y", y)):
        with overflow_guard("the mean of", name):
            mean = np.mean(batch, axis=0, keepdims=True)
        means.append(check_finite(mean, "the mean of", name))
    return means[0], means[1]


def averaged_signal_gradient(model: MLP, x: Any, y: Any) -> Parameters:
    """Shortcut 2: average the error signal, then push it back through mean activations.

    Runs the true forward pass, takes the mean output error δ̄_L, and backpropagates it
    with the batch means h̄_l and σ′(z̄_l) at the mean pre-activations:
    δ̄_l = (δ̄_{l+1} W_{l+1}ᵀ) ⊙ σ′(z̄_l), ∇W_l = h̄_{l-1} δ̄_lᵀ (outer product),
    ∇b_l = δ̄_l.

    The output-layer bias gradient is exact (it only needs the mean output error);
    everything else differs from :meth:`~gradavg.mlp.MLP.batch_gradient` in general. For
    the output weights the difference is the batch covariance of h_{L-1} and δ_L.

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
    Parameters
        The shortcut gradient, with the shapes of the parameters.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an MLP, got {type(model).__name__}")
    inputs, targets = model.check_batch(x, y)
    forward = model.forward(inputs)
    derivative = model.activation_fn.array_derivative
    n_layers = model.params.n_layers
    delta = np.mean(model.loss_fn.output_error(forward, targets), axis=0)
    weights: list[FloatArray] = [np.empty(0)] * n_layers
    biases: list[FloatArray] = [np.empty(0)] * n_layers
    for index in range(n_layers - 1, -1, -1):
        h_mean = np.mean(forward.activations[index], axis=0)
        weights[index] = np.outer(h_mean, delta)
        biases[index] = delta
        if index > 0:
            z_mean = np.mean(forward.pre_activations[index - 1], axis=0)
            delta = (model.params.weights[index] @ delta) * derivative(z_mean)
    return Parameters(tuple(weights), tuple(biases))


def averaging_error(theta: ArrayLike, x: ArrayLike, y: ArrayLike) -> FloatArray:
    """Error of shortcut 1 for the line: :func:`averaged_input_gradient` − the batch gradient.

    Parameters
    ----------
    theta : array_like of shape (2,)
        Parameters (m, b) of the line.
    x, y : array_like of shape (N,)
        Inputs and targets, N ≥ 1.

    Returns
    -------
    array of shape (2,)
        The error in (∂/∂m, ∂/∂b); see
        :func:`gradavg.regression.averaging_error_closed_form`.
    """
    shortcut: FloatArray = averaged_input_gradient(theta, x, y)
    return shortcut - regression.batch_gradient(theta, x, y)
