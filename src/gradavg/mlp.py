"""A small multilayer perceptron with exact, per-example and shortcut gradients.

Rows are examples. With ``h_0 = X`` of shape (N, d_in), layer ``l = 1, ..., L`` computes

.. math::

    z_l = h_{l-1} W_l + b_l, \\qquad h_l = \\sigma(z_l) \\quad (l < L),

with ``W_l`` of shape (fan_in, fan_out) and ``b_l`` of shape (fan_out,). The output layer
is linear for the squared error (``loss="mse"``) and a softmax for the cross-entropy
(``loss="cross_entropy"``). The per-example losses are

* mse: :math:`L_i = \\lVert \\hat y_i - y_i \\rVert^2` (summed over outputs, no 1/2),
* cross-entropy: :math:`L_i = -\\sum_k y_{ik} \\log \\operatorname{softmax}(z_L)_{ik}`,

and the objective is their mean :math:`J = \\frac1N \\sum_i L_i`. The output error signal
is :math:`\\delta_{L,i} = \\partial L_i / \\partial z_{L,i}`, equal to
:math:`2(\\hat y_i - y_i)` for mse and :math:`\\operatorname{softmax}(z_{L,i}) - y_i` for
the cross-entropy.

Each loss is a :class:`~gradavg.losses.Loss` record in :data:`~gradavg.losses.LOSSES`; a model resolves its loss and its
hidden :class:`~gradavg.activations.Activation` once, when it is made.

:class:`MLP` checks its input, runs the forward pass and backpropagates: the exact
gradient (:meth:`MLP.batch_gradient`), the per-example gradients
(:meth:`MLP.per_example_gradients`) and a finite-difference oracle
(:meth:`MLP.finite_difference_gradient`). The averaging-first shortcuts, which are wrong
in general, are in :mod:`gradavg.shortcuts`; gradient descent is in
:mod:`gradavg.training`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from gradavg._validation import (
    FloatArray,
    as_batch,
    as_float_array,
    as_widths,
    check_finite,
    check_same_length,
    overflow_guard,
)
from gradavg.activations import Activation, get_activation
from gradavg.finite_differences import central_difference_gradient
from gradavg.losses import ForwardPass, Loss, get_loss
from gradavg.parameters import Parameters

__all__ = ["MLP"]


@dataclass(frozen=True)
class MLP:
    """A fully connected network with one hidden activation and a loss.

    Parameters
    ----------
    params : Parameters
        ``weights[l]`` of shape (n_l, n_{l+1}) and ``biases[l]`` of shape (n_{l+1},);
        consecutive layers must fit together.
    activation : str
        Hidden-layer nonlinearity: ``"sigmoid"``, ``"tanh"`` or ``"relu"``.
    loss : str
        ``"mse"`` (linear output) or ``"cross_entropy"`` (softmax output).

    Notes
    -----
    The names are looked up once, when the model is made: ``activation_fn`` holds the
    :class:`~gradavg.activations.Activation` (function and derivative) and ``loss_fn``
    the :class:`~gradavg.losses.Loss` record. Unknown names raise ``ValueError`` naming the bad value.
    """

    params: Parameters
    activation: str = "sigmoid"
    loss: str = "mse"
    activation_fn: Activation = field(init=False, repr=False, compare=False)
    loss_fn: Loss = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.params, Parameters):
            raise TypeError(
                f"params must be a Parameters instance, got {type(self.params).__name__}"
            )
        if self.params.n_layers == 0:
            raise ValueError("params must have at least one layer")
        object.__setattr__(self, "loss_fn", get_loss(self.loss))
        if not isinstance(self.activation, str):
            raise TypeError(f"activation must be a string, got {type(self.activation).__name__}")
        try:
            object.__setattr__(self, "activation_fn", get_activation(self.activation))
        except ValueError as error:
            raise ValueError(f"activation: {error}") from None
        weights = tuple(
            as_float_array(w, f"params.weights[{i}]", ndim=2)
            for i, w in enumerate(self.params.weights)
        )
        biases = tuple(
            as_float_array(b, f"params.biases[{i}]", ndim=1)
            for i, b in enumerate(self.params.biases)
        )
        for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
            if b.shape[0] != w.shape[1]:
                raise ValueError(
                    f"params.biases[{i}] has shape {b.shape} but params.weights[{i}] has shape {w.shape}"
                )
            if i > 0 and w.shape[0] != weights[i - 1].shape[1]:
                raise ValueError(
                    f"params.weights[{i}] has shape {w.shape} but params.weights[{i - 1}] has shape "
                    f"{weights[i - 1].shape}: fan_in must equal the previous fan_out"
                )
        object.__setattr__(self, "params", Parameters(weights, biases))

    # -- construction -------------------------------------------------------------------

    @classmethod
    def init(
        cls,
        widths: Sequence[int],
        activation: str = "sigmoid",
        loss: str = "mse",
        seed: int = 0,
    ) -> MLP:
        """A network with Glorot-scaled normal weights and zero biases.

        Weights of layer l are drawn from N(0, 2 / (fan_in + fan_out)) with
        ``np.random.default_rng(seed)``, layer by layer from the input.

        Parameters
        ----------
        widths : sequence of int
            Layer sizes ``(d_in, n_1, ..., d_out)``; at least two positive entries.
        activation : str
            ``"sigmoid"``, ``"tanh"`` or ``"relu"``.
        loss : str
            ``"mse"`` or ``"cross_entropy"``.
        seed : int
            Seed of the random generator.

        Returns
        -------
        MLP
            The initialised model.
        """
        sizes = as_widths(widths)
        rng = np.random.default_rng(seed)
        weights = tuple(
            rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))
            for fan_in, fan_out in itertools.pairwise(sizes)
        )
        biases = tuple(np.zeros(fan_out) for fan_out in sizes[1:])
        return cls(Parameters(weights, biases), activation=activation, loss=loss)

    @property
    def widths(self) -> tuple[int, ...]:
        """Layer sizes ``(d_in, n_1, ..., d_out)``."""
        return (
            self.params.weights[0].shape[0],
            *(w.shape[1] for w in self.params.weights),
        )

    # -- input checks -------------------------------------------------------------------

    def _inputs(self, x: Any) -> FloatArray:
        inputs = as_batch(x, "x", ndim=2)
        d_in = self.widths[0]
        if inputs.shape[1] != d_in:
            raise ValueError(
                f"x has {inputs.shape[1]} features per example (shape {inputs.shape}) "
                f"but the first layer expects {d_in}"
            )
        return inputs

    def check_batch(self, x: Any, y: Any) -> tuple[FloatArray, FloatArray]:
        """Check a batch against the model and return it as float arrays.

        Parameters
        ----------
        x : array of shape (N, d_in)
            Inputs, N ≥ 1, finite.
        y : array of shape (N, d_out), or (N,)
            Targets. For mse, shape (N,) is allowed when d_out is 1. For the
            cross-entropy, rows are probability vectors, or ``y`` is a vector of integer
            class labels in 0..d_out-1.

        Returns
        -------
        inputs : array of shape (N, d_in)
            ``x`` as floats.
        targets : array of shape (N, d_out)
            ``y`` as floats; class labels become one-hot rows.
        """
        inputs = self._inputs(x)
        targets = as_batch(y, "y", ndim=(1, 2))
        check_same_length(x=inputs, y=targets)
        return inputs, self.loss_fn.targets(targets, self.widths[-1])

    # -- forward ------------------------------------------------------------------------

    def _forward(self, x: FloatArray) -> ForwardPass:
        sigma = self.activation_fn.array_function
        output = self.loss_fn.output
        last = self.params.n_layers - 1
        zs, hs = [], [x]
        for index, (w, b) in enumerate(zip(self.params.weights, self.params.biases, strict=True)):
            z = hs[-1] @ w
            z += b
            zs.append(z)
            hs.append(sigma(z) if index < last else output(z))
        return ForwardPass(tuple(zs), tuple(hs))

    def forward(self, x: Any) -> ForwardPass:
        """Run the network on a batch and keep every z_l and h_l.

        Parameters
        ----------
        x : array of shape (N, d_in)
            Inputs, one example per row.

        Returns
        -------
        ForwardPass
            Pre-activations z_1..z_L and activations h_0..h_L.
        """
        return self._forward(self._inputs(x))

    def predict(self, x: Any) -> FloatArray:
        """Model output: predictions (mse) or class probabilities (cross-entropy).

        Parameters
        ----------
        x : array of shape (N, d_in)
            Inputs.

        Returns
        -------
        array of shape (N, d_out)
            The output h_L.
        """
        return self.forward(x).output

    def per_example_losses(self, x: Any, y: Any) -> FloatArray:
        """The losses L_i of every example.

        Parameters
        ----------
        x : array of shape (N, d_in)
            Inputs.
        y : array of shape (N, d_out), or (N,)
            Targets, as in :meth:`check_batch`.

        Returns
        -------
        array of shape (N,)
            Per-example losses.
        """
        inputs, targets = self.check_batch(x, y)
        return self.loss_fn.per_example(self._forward(inputs), targets)

    def mean_loss(self, x: Any, y: Any) -> float:
        """The objective J = (1/N) Σ L_i.

        Parameters
        ----------
        x : array of shape (N, d_in)
            Inputs.
        y : array of shape (N, d_out), or (N,)
            Targets, as in :meth:`check_batch`.

        Returns
        -------
        float
            Mean loss over the batch.
        """
        return float(np.mean(self.per_example_losses(x, y)))

    # -- backward -----------------------------------------------------------------------

    def _errors(self, forward: ForwardPass, y: FloatArray) -> list[FloatArray]:
        """Per-example error signals Δ_l = ∂L_i/∂z_l, each of shape (N, n_l), for l = 1..L."""
        derivative = self.activation_fn.array_derivative
        deltas = [self.loss_fn.output_error(forward, y)]
        for index in range(self.params.n_layers - 1, 0, -1):
            # δ_l = (δ_{l+1} W_{l+1}ᵀ) ⊙ σ′(z_l), one row per example
            back = deltas[0] @ self.params.weights[index].T
            back *= derivative(forward.pre_activations[index - 1])
            deltas.insert(0, back)
        return deltas

    def error_signals(
        self, x: Any, y: Any
    ) -> tuple[tuple[FloatArray, ...], tuple[FloatArray, ...]]:
        """What every layer's gradient is made of, one row per example.

        Returns
        -------
        inputs, errors : tuples of arrays, one per layer
            ``inputs[l]`` is the layer's input h_l of shape (N, fan_in) and ``errors[l]``
            its error signal Δ_l = ∂L_i/∂z of shape (N, fan_out). Example i's gradient of
            the layer's weights is the outer product of row i of each, and of its bias
            the row of ``errors[l]``.
        """
        return self._signals(*self.check_batch(x, y))

    def _signals(
        self, inputs: FloatArray, targets: FloatArray
    ) -> tuple[tuple[FloatArray, ...], tuple[FloatArray, ...]]:
        forward = self._forward(inputs)
        return forward.activations[:-1], tuple(self._errors(forward, targets))

    def per_example_gradients(self, x: Any, y: Any, *, out: Parameters | None = None) -> Parameters:
        """Gradients of every L_i, in one vectorized backward pass.

        Parameters
        ----------
        x : array of shape (N, d_in)
            Inputs.
        y : array of shape (N, d_out), or (N,)
            Targets, as in :meth:`check_batch`.
        out : Parameters, optional
            Float64 arrays with the shapes of the result to write it into, for instance
            the result of an earlier call on a batch of the same size. The weight
            gradients, nearly all of the N P numbers, are then written in place rather
            than into fresh memory. The arrays must not overlap ``x`` or ``y``.

        Returns
        -------
        Parameters
            Per-example gradients with a leading axis N: ``weights[l]`` has shape
            (N, fan_in, fan_out) and ``biases[l]`` shape (N, fan_out); entry i is the
            gradient of L_i alone. This is ``out`` when it was given.
        """
        inputs, targets = self.check_batch(x, y)
        if out is not None:
            self._check_per_example_out(out, inputs, targets)
        activations, deltas = self._signals(inputs, targets)
        if out is None:
            weights = tuple(
                np.einsum("ni,nj->nij", h, delta)
                for h, delta in zip(activations, deltas, strict=True)
            )
            return Parameters(weights, tuple(deltas))
        for h, delta, weight, bias in zip(
            activations, deltas, out.weights, out.biases, strict=True
        ):
            np.einsum("ni,nj->nij", h, delta, out=weight)
            np.copyto(bias, delta)
        return out

    def _check_per_example_out(self, out: Parameters, x: FloatArray, y: FloatArray) -> None:
        """Raise unless ``out`` can take the per-example gradients of the batch ``(x, y)``."""
        n = x.shape[0]
        if not isinstance(out, Parameters):
            raise TypeError(f"out must be a Parameters instance, got {type(out).__name__}")
        if out.n_layers != self.params.n_layers:
            raise ValueError(
                f"out has {out.n_layers} layers but the model has {self.params.n_layers}"
            )
        for kind, parameters, arrays in (
            ("weights", self.params.weights, out.weights),
            ("biases", self.params.biases, out.biases),
        ):
            for index, (parameter, array) in enumerate(zip(parameters, arrays, strict=True)):
                name, shape = f"out.{kind}[{index}]", (n, *parameter.shape)
                if not isinstance(array, np.ndarray) or array.dtype != np.float64:  # type: ignore[redundant-expr]
                    raise TypeError(f"{name} must be a float64 numpy array, got {_describe(array)}")
                if array.shape != shape:
                    raise ValueError(
                        f"{name} has shape {array.shape} but this batch needs shape {shape}"
                    )
                if not array.flags.writeable:
                    raise ValueError(f"{name} is read-only")
                if np.may_share_memory(array, x) or np.may_share_memory(array, y):
                    raise ValueError(f"{name} overlaps the memory of x or y")

    def batch_gradient(self, x: Any, y: Any) -> Parameters:
        """Gradient of the mean loss J by batched backpropagation.

        Uses matrix products over the batch, ∇W_l = (1/N) h_{l-1}ᵀ Δ_l and
        ∇b_l = (1/N) Σ_i Δ_{l,i}; it never forms per-example gradients.

        Parameters
        ----------
        x : array of shape (N, d_in)
            Inputs.
        y : array of shape (N, d_out), or (N,)
            Targets, as in :meth:`check_batch`.

        Returns
        -------
        Parameters
            ∇J with the shapes of the parameters.

        Raises
        ------
        ~gradavg._validation.OverflowInputError
            (a ``ValueError``) if the gradient overflows float64, rather than returning
            inf or NaN.
        """
        inputs, targets = self.check_batch(x, y)
        what = "the batch gradient of the model at"
        with overflow_guard(what, "x", "y"):
            forward = self._forward(inputs)
            deltas = self._errors(forward, targets)
            n = inputs.shape[0]
            # ∇W_l = (1/N) h_{l-1}ᵀ Δ_l, ∇b_l = mean of the rows of Δ_l
            weights = tuple(
                check_finite((h.T @ delta) / n, what, "x", "y")
                for h, delta in zip(forward.activations[:-1], deltas, strict=True)
            )
            biases = tuple(check_finite(np.mean(delta, axis=0), what, "x", "y") for delta in deltas)
        return Parameters(weights, biases)

    def finite_difference_gradient(self, x: Any, y: Any, step: float = 1e-6) -> Parameters:
        """Central-difference gradient of :meth:`mean_loss`, one parameter at a time.

        A slow test oracle: 2 P forward passes for P parameters, with truncation error O(step²) and
        rounding error O(ε J / step).

        Parameters
        ----------
        x : array of shape (N, d_in)
            Inputs.
        y : array of shape (N, d_out), or (N,)
            Targets, as in :meth:`check_batch`.
        step : float
            Positive step h; entry k is (J(θ + h e_k) − J(θ − h e_k)) / (2h).

        Returns
        -------
        Parameters
            The approximate gradient, with the shapes of the parameters.
        """
        h = float(as_float_array(step, "step", ndim=0))
        if h <= 0.0:
            raise ValueError(f"step must be positive, got {h!r}")
        inputs, targets = self.check_batch(x, y)
        template = self.params

        def objective(theta: FloatArray) -> float:
            model = replace(self, params=Parameters.unflatten(theta, template))
            return float(np.mean(model.loss_fn.per_example(model._forward(inputs), targets)))

        return Parameters.unflatten(
            central_difference_gradient(objective, template.flatten(), h), template
        )


def _describe(value: object) -> str:
    """Type, and dtype for arrays, of ``value`` for error messages."""
    dtype = getattr(value, "dtype", None)
    return type(value).__name__ if dtype is None else f"{type(value).__name__} of {dtype}"
