"""The losses of :class:`~gradavg.mlp.MLP`: the softmax, each loss as a record, the registry.

The per-example losses are

* mse: :math:`L_i = \\lVert \\hat y_i - y_i \\rVert^2` (summed over outputs, no 1/2),
* cross-entropy: :math:`L_i = -\\sum_k y_{ik} \\log \\operatorname{softmax}(z_L)_{ik}`,

with output error signals :math:`2(\\hat y_i - y_i)` and
:math:`\\operatorname{softmax}(z_{L,i}) - y_i`. Each is a :class:`Loss` in :data:`LOSSES`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from gradavg._validation import FloatArray

__all__ = ["LOSSES", "ForwardPass", "Loss", "get_loss", "log_softmax", "softmax"]

# Tolerance on the row sums of probability targets for the cross-entropy.
_ROW_SUM_TOLERANCE = 1e-6


def softmax(z: FloatArray) -> FloatArray:
    """Row-wise softmax, shifted by the row maximum so that it cannot overflow.

    Parameters
    ----------
    z : array of shape (N, K)
        Logits.

    Returns
    -------
    array of shape (N, K)
        Probabilities; every row sums to one.
    """
    shifted = z - np.max(z, axis=-1, keepdims=True)
    exp = np.exp(shifted)
    result: FloatArray = exp / np.sum(exp, axis=-1, keepdims=True)
    return result


def log_softmax(z: FloatArray) -> FloatArray:
    """Row-wise log-softmax, ``z - logsumexp(z)``, computed stably.

    Parameters
    ----------
    z : array of shape (N, K)
        Logits.

    Returns
    -------
    array of shape (N, K)
        Log-probabilities (all finite for finite logits).
    """
    shifted = z - np.max(z, axis=-1, keepdims=True)
    result: FloatArray = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    return result


@dataclass(frozen=True)
class ForwardPass:
    """Everything backpropagation needs from a forward pass over a batch.

    Parameters
    ----------
    pre_activations : tuple of arrays
        ``pre_activations[l]`` is z_{l+1}, of shape (N, n_{l+1}), for l = 0, ..., L-1.
    activations : tuple of arrays
        ``activations[l]`` is h_l, of shape (N, n_l), for l = 0, ..., L: h_0 is the input
        and h_L the model output (identity of z_L for mse, softmax of z_L for the
        cross-entropy).
    """

    pre_activations: tuple[FloatArray, ...]
    activations: tuple[FloatArray, ...]

    @property
    def output(self) -> FloatArray:
        """The model output h_L, array of shape (N, d_out)."""
        return self.activations[-1]

    @property
    def logits(self) -> FloatArray:
        """The output pre-activation z_L, array of shape (N, d_out)."""
        return self.pre_activations[-1]


@dataclass(frozen=True)
class Loss:
    """A named loss: its output layer, its value, its error signal and its targets.

    Parameters
    ----------
    name : str
        Key of the loss in :data:`LOSSES`.
    output : callable
        The output nonlinearity, from z_L of shape (N, d_out) to h_L of the same shape:
        the identity for mse, the row-wise softmax for the cross-entropy.
    per_example : callable
        ``per_example(forward, y)``: the losses L_i, array of shape (N,), of a
        :class:`ForwardPass` against targets ``y`` of shape (N, d_out).
    output_error : callable
        ``output_error(forward, y)``: the error signal δ_L = ∂L_i/∂z_L, one row per
        example, array of shape (N, d_out): 2(ŷ − y) for mse, softmax(z_L) − y for the
        cross-entropy.
    targets : callable
        ``targets(y, d_out)``: check finite float targets of shape (N,) or (N, d_out)
        and return them with shape (N, d_out); raises ``ValueError`` naming ``y``.
    """

    name: str
    output: Callable[[FloatArray], FloatArray]
    per_example: Callable[[ForwardPass, FloatArray], FloatArray]
    output_error: Callable[[ForwardPass, FloatArray], FloatArray]
    targets: Callable[[FloatArray, int], FloatArray]


def _identity(z: FloatArray) -> FloatArray:
    return z


def _squared_errors(forward: ForwardPass, y: FloatArray) -> FloatArray:
    residual = forward.output - y
    squared: FloatArray = np.sum(residual * residual, axis=1)
    return squared


def _cross_entropies(forward: ForwardPass, y: FloatArray) -> FloatArray:
    entropy: FloatArray = -np.sum(y * log_softmax(forward.logits), axis=1)
    return entropy


def _squared_error_signal(forward: ForwardPass, y: FloatArray) -> FloatArray:
    error: FloatArray = 2.0 * (forward.output - y)
    return error


def _cross_entropy_signal(forward: ForwardPass, y: FloatArray) -> FloatArray:
    error: FloatArray = forward.output - y
    return error


def _real_targets(targets: FloatArray, d_out: int) -> FloatArray:
    """Targets of the squared error: shape (N, d_out), or (N,) when d_out is 1."""
    if targets.ndim == 1:
        if d_out != 1:
            raise ValueError(
                f"y has shape {targets.shape} but the model has {d_out} outputs; "
                f"pass shape (N, {d_out})"
            )
        return targets[:, np.newaxis]
    if targets.shape[1] != d_out:
        raise ValueError(f"y has shape {targets.shape} but the model has {d_out} outputs")
    return targets


def _class_targets(targets: FloatArray, d_out: int) -> FloatArray:
    """Targets of the cross-entropy: integer class labels of shape (N,), or probability rows."""
    if targets.ndim == 1:
        if not np.all(targets == np.round(targets)):
            raise ValueError("y must hold integer class labels when it is one-dimensional")
        if np.any(targets < 0) or np.any(targets >= d_out):
            raise ValueError(
                f"y holds class labels outside 0..{d_out - 1} "
                f"(got min {targets.min():g}, max {targets.max():g})"
            )
        one_hot: FloatArray = np.eye(d_out)[targets.astype(np.intp)]
        return one_hot
    if targets.shape[1] != d_out:
        raise ValueError(f"y has shape {targets.shape} but the model has {d_out} classes")
    if np.any(targets < 0) or not np.allclose(
        targets.sum(axis=1), 1.0, rtol=0, atol=_ROW_SUM_TOLERANCE
    ):
        raise ValueError("y rows must be probability vectors (non-negative, summing to 1)")
    return targets


LOSSES: Mapping[str, Loss] = MappingProxyType(
    {
        "mse": Loss("mse", _identity, _squared_errors, _squared_error_signal, _real_targets),
        "cross_entropy": Loss(
            "cross_entropy", softmax, _cross_entropies, _cross_entropy_signal, _class_targets
        ),
    }
)
"""Read-only mapping from loss name to :class:`Loss`, the names accepted by :class:`~gradavg.mlp.MLP`."""


def get_loss(name: str) -> Loss:
    """Look up a loss by name.

    Parameters
    ----------
    name : str
        ``"mse"`` or ``"cross_entropy"``.

    Returns
    -------
    Loss
        The loss record.

    Raises
    ------
    TypeError
        If ``name`` is not a string.
    ValueError
        If ``name`` is not a known loss; the message repeats it and lists the valid names.
    """
    if not isinstance(name, str):
        raise TypeError(f"loss must be a string, got {type(name).__name__} {name!r}")
    try:
        return LOSSES[name]
    except KeyError:
        valid = ", ".join(map(repr, LOSSES))
        raise ValueError(f"loss must be one of {valid}; got {name!r}") from None
