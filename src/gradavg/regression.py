"""Linear regression f(x) = m x + b under squared loss: per-example gradients, the
gradient of the mean loss, and the closed-form error 2 (Cov(x, y) − m Var(x)) in m of the
shortcut that differentiates at the averaged example (x̄, ȳ) instead (the shortcut itself
is :func:`gradavg.shortcuts.averaged_input_gradient`); plus the linear loss of the source
question, whose gradient −x̄ does not depend on θ.

Every function checks its inputs are finite real numbers, and raises
:class:`~gradavg._validation.OverflowInputError` (a ``ValueError``) naming the quantity
and the arguments when an intermediate (a mean, a square, a gradient) overflows float64,
rather than returning inf or NaN.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from gradavg._validation import (
    FloatArray,
    as_batch,
    as_float_array,
    check_finite,
    check_same_length,
    overflow_guard,
)


def _as_theta(theta: ArrayLike) -> FloatArray:
    """Validate the parameters θ = (m, b) of the linear model."""
    theta_arr = as_float_array(theta, "theta", ndim=1)
    if theta_arr.shape != (2,):
        raise ValueError(f"theta must have shape (2,) holding (m, b), got shape {theta_arr.shape}")
    return theta_arr


def _as_xy(x: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Validate a batch of inputs and targets of equal length N ≥ 1."""
    x_arr = as_batch(x, "x")
    y_arr = as_batch(y, "y")
    check_same_length(x=x_arr, y=y_arr)
    return x_arr, y_arr


def _residuals(theta: FloatArray, x: FloatArray, y: FloatArray) -> FloatArray:
    """r_i = y_i − (m x_i + b)."""
    m, b = float(theta[0]), float(theta[1])
    return y - (m * x + b)


def predict(theta: ArrayLike, x: ArrayLike) -> FloatArray:
    """Model output f(x_i) = m x_i + b.

    Parameters
    ----------
    theta : array_like of shape (2,)
        Parameters (m, b).
    x : array_like of shape (N,)
        Inputs, N ≥ 1.

    Returns
    -------
    array of shape (N,)
        Predictions.
    """
    theta_arr = _as_theta(theta)
    m, b = float(theta_arr[0]), float(theta_arr[1])
    x_arr = as_batch(x, "x")
    with overflow_guard("the predictions at", "theta", "x"):
        return check_finite(m * x_arr + b, "the predictions at", "theta", "x")


def per_example_losses(theta: ArrayLike, x: ArrayLike, y: ArrayLike) -> FloatArray:
    """Squared errors L_i = (y_i − f(x_i))².

    Parameters
    ----------
    theta : array_like of shape (2,)
        Parameters (m, b).
    x, y : array_like of shape (N,)
        Inputs and targets, N ≥ 1.

    Returns
    -------
    array of shape (N,)
        One loss per example.
    """
    theta_arr = _as_theta(theta)
    x_arr, y_arr = _as_xy(x, y)
    what = "the squared errors at"
    with overflow_guard(what, "theta", "x", "y"):
        return check_finite(_residuals(theta_arr, x_arr, y_arr) ** 2, what, "theta", "x", "y")


def mean_loss(theta: ArrayLike, x: ArrayLike, y: ArrayLike) -> float:
    """Mean squared error J(θ) = (1/N) Σ_i L_i.

    Parameters
    ----------
    theta : array_like of shape (2,)
        Parameters (m, b).
    x, y : array_like of shape (N,)
        Inputs and targets, N ≥ 1.

    Returns
    -------
    float
        J(θ).
    """
    losses = per_example_losses(theta, x, y)
    with overflow_guard("the mean loss at", "theta", "x", "y"):
        return float(check_finite(np.mean(losses), "the mean loss at", "theta", "x", "y"))


def per_example_gradients(theta: ArrayLike, x: ArrayLike, y: ArrayLike) -> FloatArray:
    """Gradient of each L_i with respect to θ = (m, b).

    Row i is (∂L_i/∂m, ∂L_i/∂b) = (−2 x_i r_i, −2 r_i) with r_i = y_i − f(x_i).

    Parameters
    ----------
    theta : array_like of shape (2,)
        Parameters (m, b).
    x, y : array_like of shape (N,)
        Inputs and targets, N ≥ 1.

    Returns
    -------
    array of shape (N, 2)
        Per-example gradients, one row per example.
    """
    theta_arr = _as_theta(theta)
    x_arr, y_arr = _as_xy(x, y)
    what = "the per-example gradients at"
    with overflow_guard(what, "theta", "x", "y"):
        r = _residuals(theta_arr, x_arr, y_arr)
        return check_finite(np.column_stack((-2.0 * x_arr * r, -2.0 * r)), what, "theta", "x", "y")


def batch_gradient(theta: ArrayLike, x: ArrayLike, y: ArrayLike) -> FloatArray:
    """Gradient of the mean loss J, in closed form on the whole batch.

    ∇J = (−(2/N) Σ_i x_i r_i, −(2/N) Σ_i r_i), computed from dot products rather than by
    averaging :func:`per_example_gradients`, so comparing the two is a real check of
    linearity.

    Parameters
    ----------
    theta : array_like of shape (2,)
        Parameters (m, b).
    x, y : array_like of shape (N,)
        Inputs and targets, N ≥ 1.

    Returns
    -------
    array of shape (2,)
        (∂J/∂m, ∂J/∂b).
    """
    theta_arr = _as_theta(theta)
    x_arr, y_arr = _as_xy(x, y)
    what = "the batch gradient at"
    with overflow_guard(what, "theta", "x", "y"):
        r = _residuals(theta_arr, x_arr, y_arr)
        ones = np.ones_like(r)
        gradient = (-2.0 / r.size) * np.array([x_arr @ r, ones @ r])
        return check_finite(gradient, what, "theta", "x", "y")


def averaging_error_closed_form(theta: ArrayLike, x: ArrayLike, y: ArrayLike) -> FloatArray:
    """The shortcut's error in closed form, (2 (Cov(x, y) − m Var(x)), 0).

    The shortcut is :func:`gradavg.shortcuts.averaged_input_gradient`, and its error
    :func:`gradavg.shortcuts.averaging_error`. Cov and Var are population moments (divided by N), computed from centred data.
    Derivation: the shortcut's m-component is −2 x̄ (ȳ − m x̄ − b), the batch one is
    −2 (mean(xy) − m mean(x²) − b x̄); their difference is 2 (mean(xy) − x̄ ȳ) −
    2 m (mean(x²) − x̄²). Both b-components are −2 (ȳ − m x̄ − b).

    Parameters
    ----------
    theta : array_like of shape (2,)
        Parameters (m, b).
    x, y : array_like of shape (N,)
        Inputs and targets, N ≥ 1.

    Returns
    -------
    array of shape (2,)
        The error in (∂/∂m, ∂/∂b); the second entry is exactly 0.
    """
    m = float(_as_theta(theta)[0])
    x_arr, y_arr = _as_xy(x, y)
    what = "2 (Cov(x, y) − m Var(x)) at"
    with overflow_guard(what, "theta", "x", "y"):
        dx = x_arr - np.mean(x_arr)
        dy = y_arr - np.mean(y_arr)
        cov_xy = (dx @ dy) / dx.size
        var_x = (dx @ dx) / dx.size
        return check_finite([2.0 * (cov_xy - m * var_x), 0.0], what, "theta", "x", "y")


def linear_loss(theta: float, x: ArrayLike, y: ArrayLike) -> float:
    """The linear loss J(θ) = (1/N) Σ_i (y_i − θ x_i) for a scalar parameter θ.

    Parameters
    ----------
    theta : float
        The parameter, finite.
    x, y : array_like of shape (N,)
        Inputs and targets, N ≥ 1.

    Returns
    -------
    float
        J(θ).
    """
    theta_val = float(as_float_array(theta, "theta", ndim=0))
    x_arr, y_arr = _as_xy(x, y)
    with overflow_guard("the linear loss at", "theta", "x", "y"):
        loss = np.mean(y_arr - theta_val * x_arr)
        return float(check_finite(loss, "the linear loss at", "theta", "x", "y"))


def linear_loss_gradient(x: ArrayLike) -> float:
    """Gradient of :func:`linear_loss`: dJ/dθ = −x̄, the same for every θ.

    Parameters
    ----------
    x : array_like of shape (N,)
        Inputs, N ≥ 1.

    Returns
    -------
    float
        −x̄.
    """
    x_arr = as_batch(x, "x")
    with overflow_guard("the mean of", "x"):
        return -float(check_finite(np.mean(x_arr), "the mean of", "x"))
