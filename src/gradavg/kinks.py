"""What reverse mode returns where a derivative does not exist: at ReLU's kink, for the
Euclidean norm at the zero vector, and for a mean over no examples.

Each function computes the value a framework's backward pass produces by its rules, not
a derivative: at a kink the rule picks a value (ReLU′(0) = 0 in PyTorch and JAX), and
where a rule gives an infinite factor the product can be NaN. The NaN that
:func:`norm_gradient` and :func:`masked_mean` return for the cases named in their
documentation is that value, computed on purpose; bad *input* is still refused.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from gradavg._validation import FloatArray, as_batch, as_float_array, check_same_length

__all__ = ["NormRule", "masked_mean", "norm_gradient", "odd_relu_backward", "relu_backward"]

NormRule = Literal["chain rule", "double where", "epsilon"]
"""How :func:`norm_gradient` differentiates ‖θ‖ = √(Σ θₖ²)."""


def relu_backward(z: Any, at_zero: float = 0.0) -> FloatArray:
    """The value a backward pass uses for relu′(z): 1 for z > 0, 0 for z < 0, and
    ``at_zero`` at the kink z = 0, where relu has no derivative.

    Parameters
    ----------
    z : array_like
        Pre-activations, finite.
    at_zero : float
        The rule's value at 0: 0 in PyTorch and JAX; any value in [0, 1] is a
        subgradient.

    Returns
    -------
    ndarray of float64, the shape of ``z``
    """
    values = as_float_array(z, "z")
    (rule,) = as_float_array([at_zero], "at_zero")
    return np.where(values > 0, 1.0, np.where(values < 0, 0.0, rule))


def odd_relu_backward(theta: float, anchors: Any, at_zero: float = 0.0) -> tuple[float, float]:
    """Reverse mode for the mean of Lᵢ(θ) = relu(θ − aᵢ) − relu(aᵢ − θ), which is θ − aᵢ.

    Every Lᵢ has derivative 1, so the mean loss has derivative 1 at every θ. Reverse
    mode applies the ReLU rule to both branches of each example, so where θ = aᵢ it
    returns 2 · ``at_zero`` for that example instead of 1.

    Parameters
    ----------
    theta : float
        The parameter.
    anchors : array_like, shape (N,)
        The points aᵢ, one per example, N ≥ 1.
    at_zero : float
        The ReLU rule's value at 0 (see :func:`relu_backward`).

    Returns
    -------
    (float, float)
        The backward pass through the batch mean (each example's branch receiving 1/N),
        and the mean of the N per-example backward passes (each receiving 1).
    """
    a = as_batch(anchors, "anchors")
    (t,) = as_float_array([theta], "theta")
    n = len(a)
    # d/dθ relu(θ − a) = r(θ − a); d/dθ [−relu(a − θ)] = −r(a − θ) · (−1) = r(a − θ)
    per_example = relu_backward(t - a, at_zero) + relu_backward(a - t, at_zero)
    through_mean = float(np.sum(np.full(n, 1.0 / n) * per_example))
    return through_mean, float(np.mean(per_example))


def norm_gradient(theta: Any, rule: NormRule = "chain rule", epsilon: float = 1e-12) -> FloatArray:
    """The backward pass of ‖θ‖ = √(Σ θₖ²), written three ways.

    Away from θ = 0 all three return θ/‖θ‖ (the epsilon rule θ/√(Σ θₖ² + ε)). At θ = 0,
    where the norm has no gradient:

    - ``"chain rule"``: √ is differentiated by continuity, 1/(2√s) = ∞ at s = 0, and ∞
      times the 2θ = 0 of the sum of squares is NaN in every entry;
    - ``"double where"``: the norm is computed as where(s > 0, √(where(s > 0, s, 1)), 0),
      so neither branch has an infinite factor; the result is 0, the subgradient of
      minimum norm;
    - ``"epsilon"``: √(s + ε), whose gradient θ/√(s + ε) is 0 at θ = 0.

    Parameters
    ----------
    theta : array_like, shape (P,)
        The vector, finite, P ≥ 1.
    rule : {"chain rule", "double where", "epsilon"}
    epsilon : float
        The ε of the epsilon rule, positive.

    Returns
    -------
    ndarray of float64, shape (P,)
    """
    vector = as_batch(theta, "theta")
    if rule not in ("chain rule", "double where", "epsilon"):
        raise ValueError(f"rule must be 'chain rule', 'double where' or 'epsilon', got {rule!r}")
    (eps,) = as_float_array([epsilon], "epsilon")
    if eps <= 0:
        raise ValueError(f"epsilon must be positive, got {epsilon!r}")
    squares = float(np.sum(vector**2))
    if rule == "epsilon":
        safe: FloatArray = vector / np.sqrt(squares + eps)
        return safe
    if rule == "double where" and squares == 0:
        return np.zeros_like(vector)  # the outer where sends no cotangent to √
    with np.errstate(divide="ignore", invalid="ignore"):  # ∞ · 0, as autodiff computes it
        sqrt_derivative = 0.5 / np.sqrt(squares)
        chained: FloatArray = sqrt_derivative * 2 * vector
    return chained


def masked_mean(values: Any, mask: Any, *, at_least_one: bool = False) -> FloatArray:
    """The mean of ``values`` over the examples where ``mask`` is true: Σ mᵢ vᵢ / Σ mᵢ.

    This is how a loss that ignores some targets (padding, ``ignore_index``) averages,
    and its gradient is the same mean of the per-example gradients. When every example
    is masked out, Σ mᵢ = 0 and the mean is 0/0: NaN in every entry, as the formula
    gives. With ``at_least_one`` the count is max(Σ mᵢ, 1) and the mean over no examples
    is 0.

    Parameters
    ----------
    values : array_like, shape (N,) or (N, P)
        One value (a loss) or one row (a gradient) per example, finite.
    mask : array_like of bool or 0/1, shape (N,)
        Which examples count.
    at_least_one : bool
        Divide by max(Σ mᵢ, 1) instead of Σ mᵢ.

    Returns
    -------
    ndarray of float64, shape () or (P,)
    """
    rows = as_batch(values, "values", ndim=(1, 2))
    weights = as_batch(mask, "mask")
    check_same_length(values=rows, mask=weights)
    if not np.all((weights == 0) | (weights == 1)):
        raise ValueError("mask must hold only 0/1 or True/False")
    count = float(np.sum(weights))
    if at_least_one:
        count = max(count, 1.0)
    total = np.tensordot(weights, rows, axes=1)
    with np.errstate(invalid="ignore"):  # 0/0 over no examples, as the formula gives
        result: FloatArray = np.asarray(total / count)
    return result
