"""Optimizer steps in PyTorch's conventions, and how they see the loss reduction.

:class:`SGD` follows ``torch.optim.SGD`` (momentum buffer B₁ = g₁, then
B_t = μ B_{t−1} + (1 − τ) g_t, step θ_t = θ_{t−1} − η B_t; ``weight_decay`` λ adds λθ to
the gradient). :class:`Adam` follows ``torch.optim.Adam`` (bias-corrected moments, step
η m̂_t / (√v̂_t + ε); ``weight_decay`` adds λθ to the gradient) and, with
``decoupled=True``, ``torch.optim.AdamW`` (θ ← θ − ηλθ first, the moments never see λ).
The learning rate ``lr`` is the book's step size η (PyTorch's documentation calls it γ).
:func:`run` iterates one optimizer on a gradient function, :func:`reduced` makes one from
per-example gradients. :func:`minibatch_means` and
:func:`minibatch_variances` draw minibatches with replacement; :func:`ridge_line`
minimizes a sum- or mean-reduced squared loss plus an L2 penalty in closed form.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from gradavg._validation import (
    FloatArray,
    as_batch,
    as_float_array,
    as_positive_int,
    check_same_length,
)

__all__ = [
    "SGD",
    "Adam",
    "AdamW",
    "State",
    "minibatch_means",
    "minibatch_variances",
    "reduced",
    "ridge_line",
    "run",
]

Reduction = Literal["mean", "sum"]


def _nonnegative(value: Any, name: str) -> float:
    number = float(as_float_array(value, name, ndim=0))
    if number < 0:
        raise ValueError(f"{name} must be non-negative, got {number}")
    return number


def _fraction(value: Any, name: str) -> float:
    number = _nonnegative(value, name)
    if number >= 1:
        raise ValueError(f"{name} must lie in [0, 1), got {number}")
    return number


@dataclass(frozen=True)
class State:
    """An optimizer's state after ``step`` updates: the first and second moment buffers.

    ``first`` is SGD's momentum buffer B or Adam's m; ``second`` is Adam's v (unused by
    SGD). Both have the shape of θ.
    """

    step: int
    first: FloatArray
    second: FloatArray


def _initial(theta: FloatArray) -> State:
    return State(0, np.zeros_like(theta), np.zeros_like(theta))


@dataclass(frozen=True)
class SGD:
    """``torch.optim.SGD``: learning rate η, momentum μ, dampening τ, L2 weight decay λ."""

    lr: float
    momentum: float = 0.0
    dampening: float = 0.0
    weight_decay: float = 0.0

    def __post_init__(self) -> None:
        _nonnegative(self.lr, "lr")
        _fraction(self.momentum, "momentum")
        _nonnegative(self.dampening, "dampening")
        _nonnegative(self.weight_decay, "weight_decay")

    def update(
        self, theta: FloatArray, gradient: FloatArray, state: State
    ) -> tuple[FloatArray, State]:
        """One step from θ_{t−1} with gradient g_t (both shape (P,)): (θ_t, new state)."""
        g = gradient + self.weight_decay * theta
        if self.momentum == 0:
            return theta - self.lr * g, State(state.step + 1, state.first, state.second)
        buffer = g if state.step == 0 else self.momentum * state.first + (1 - self.dampening) * g
        return theta - self.lr * buffer, State(state.step + 1, buffer, state.second)


@dataclass(frozen=True)
class Adam:
    """``torch.optim.Adam`` (L2 weight decay) or, with ``decoupled``, ``torch.optim.AdamW``.

    Defaults are PyTorch's for ``Adam``: η = 10⁻³, (β₁, β₂) = (0.9, 0.999), ε = 10⁻⁸, λ = 0.
    """

    lr: float = 1e-3
    betas: tuple[float, float] = field(default=(0.9, 0.999))
    eps: float = 1e-8
    weight_decay: float = 0.0
    decoupled: bool = False

    def __post_init__(self) -> None:
        _nonnegative(self.lr, "lr")
        if len(self.betas) != 2:
            raise ValueError(f"betas must hold two numbers (β₁, β₂), got {self.betas!r}")
        _fraction(self.betas[0], "betas[0]")
        _fraction(self.betas[1], "betas[1]")
        _nonnegative(self.eps, "eps")
        _nonnegative(self.weight_decay, "weight_decay")

    def update(
        self, theta: FloatArray, gradient: FloatArray, state: State
    ) -> tuple[FloatArray, State]:
        """One step from θ_{t−1} with gradient g_t (both shape (P,)): (θ_t, new state)."""
        beta1, beta2 = self.betas
        t = state.step + 1
        if self.decoupled:
            theta, g = theta - self.lr * self.weight_decay * theta, gradient
        else:
            g = gradient + self.weight_decay * theta
        m = beta1 * state.first + (1 - beta1) * g
        v = beta2 * state.second + (1 - beta2) * g**2
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        denominator = np.sqrt(v_hat) + self.eps
        if np.any(denominator == 0):
            raise ZeroDivisionError("eps = 0 and a coordinate has had only zero gradients")
        return theta - self.lr * m_hat / denominator, State(t, m, v)


def AdamW(
    lr: float = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    weight_decay: float = 1e-2,
) -> Adam:
    """``torch.optim.AdamW`` with PyTorch's defaults (decoupled weight decay λ = 10⁻²)."""
    return Adam(lr, betas, eps, weight_decay, decoupled=True)


Optimizer = SGD | Adam


def run(
    optimizer: Optimizer,
    theta0: Any,
    gradient: Callable[[FloatArray], Any],
    steps: int,
) -> FloatArray:
    """Iterate ``optimizer`` from θ₀ with the gradient ∇(θ) returned by ``gradient``.

    Parameters
    ----------
    optimizer : SGD or Adam
        The update rule.
    theta0 : array_like of shape (P,)
        Starting parameters.
    gradient : callable
        θ of shape (P,) ↦ the gradient at θ, shape (P,).
    steps : int
        Number of updates T ≥ 1.

    Returns
    -------
    array of shape (T + 1, P)
        The trajectory θ₀, θ₁, …, θ_T.
    """
    theta = as_float_array(theta0, "theta0", ndim=1)
    steps = as_positive_int(steps, "steps")
    state = _initial(theta)
    path = [theta]
    for _ in range(steps):
        g = as_float_array(gradient(theta), "gradient(theta)", ndim=1)
        if g.shape != theta.shape:
            raise ValueError(f"gradient(theta) has shape {g.shape}, theta has {theta.shape}")
        theta, state = optimizer.update(theta, g, state)
        path.append(theta)
    return np.array(path)


def minibatch_means(
    per_example: Any, batch_size: int, draws: int, rng: np.random.Generator
) -> FloatArray:
    """Means of ``draws`` minibatches of N examples drawn uniformly with replacement.

    Parameters
    ----------
    per_example : array_like of shape (M,)
        One number per example of the data set (a coordinate of its gradient), M ≥ 1.
    batch_size : int
        N ≥ 1.
    draws : int
        Number of minibatches.
    rng : numpy.random.Generator
        Source of the draws.

    Returns
    -------
    array of shape (draws,)
        The minibatch means ĝ = (1/N) Σ_i G_{s_i}.
    """
    values = as_batch(per_example, "per_example")
    n = as_positive_int(batch_size, "batch_size")
    count = as_positive_int(draws, "draws")
    indices = rng.integers(0, values.size, size=(count, n))
    means: FloatArray = values[indices].mean(axis=1)
    return means


def minibatch_variances(
    per_example: Any, batch_sizes: Sequence[int], draws: int, seed: int
) -> tuple[FloatArray, FloatArray]:
    """Empirical variance of minibatch means for each N, and the prediction σ_G²/N.

    σ_G² is the population variance (1/M) Σ_s (G_s − Ḡ)² of ``per_example``.

    Returns
    -------
    (array of shape (len(batch_sizes),), same shape)
        The empirical variances (over ``draws`` minibatches, ``ddof=1``) and σ_G²/N.
    """
    values = as_batch(per_example, "per_example")
    sizes = [as_positive_int(n, f"batch_sizes[{k}]") for k, n in enumerate(batch_sizes)]
    rng = np.random.default_rng(seed)
    empirical = np.array([minibatch_means(values, n, draws, rng).var(ddof=1) for n in sizes])
    return empirical, values.var() / np.array(sizes, dtype=np.float64)


def ridge_line(x: Any, y: Any, penalty: float, reduction: Reduction) -> FloatArray:
    """Minimizer (m, b) of R_i (y_i − m x_i − b)² + (λ/2)(m² + b²), R the reduction.

    Parameters
    ----------
    x, y : array_like of shape (N,)
        Inputs and targets, N ≥ 1.
    penalty : float
        λ ≥ 0, added once per batch.
    reduction : {"mean", "sum"}
        R = (1/N) Σ_i or Σ_i.

    Returns
    -------
    array of shape (2,)
        (m, b) where the gradient vanishes.
    """
    x_arr, y_arr = as_batch(x, "x"), as_batch(y, "y")
    n = check_same_length(x=x_arr, y=y_arr)
    lam = _nonnegative(penalty, "penalty")
    if reduction not in ("mean", "sum"):
        raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")
    weight = 1.0 / n if reduction == "mean" else 1.0
    design = np.column_stack((x_arr, np.ones_like(x_arr)))
    lhs = 2 * weight * design.T @ design + lam * np.eye(2)
    return np.asarray(np.linalg.solve(lhs, 2 * weight * design.T @ y_arr), dtype=np.float64)


def reduced(
    per_example: Callable[[FloatArray], Any], reduction: Reduction, scale: float = 1.0
) -> Callable[[FloatArray], FloatArray]:
    """The gradient of a reduced loss, from a function returning per-example gradients.

    Parameters
    ----------
    per_example : callable
        θ of shape (P,) ↦ per-example gradients, shape (N, P).
    reduction : {"mean", "sum"}
        How the per-example losses are combined.
    scale : float, default 1
        c > 0 multiplying the reduced loss (and so its gradient).

    Returns
    -------
    callable
        θ ↦ c Σ_i ∇L_i or c (1/N) Σ_i ∇L_i, shape (P,).
    """
    if reduction not in ("mean", "sum"):
        raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")
    factor = float(as_float_array(scale, "scale", ndim=0))
    if factor <= 0:
        raise ValueError(f"scale must be positive, got {factor}")

    def gradient(theta: FloatArray) -> FloatArray:
        rows = as_float_array(per_example(theta), "per_example(theta)", ndim=2)
        total: FloatArray = rows.sum(axis=0) * factor
        return total if reduction == "sum" else total / rows.shape[0]

    return gradient
