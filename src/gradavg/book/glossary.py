"""The book's notation: one meaning for every symbol, and the page that introduces it.

The Notation page is rendered from :data:`GLOSSARY`, and the tests hold the pages to it:
every name a page imports from :mod:`gradavg.book.notation` has an entry, no symbol has two,
and every symbol appears on the page that is said to introduce it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """One symbol: its LaTeX, what it means, the page that introduces it and, for the
    symbols declared in :mod:`gradavg.book.notation`, their Python names there."""

    symbol: str
    meaning: str
    page: str
    names: tuple[str, ...] = ()


def _entries(page: str, *rows: tuple[str, str] | tuple[str, str, tuple[str, ...]]) -> list[Entry]:
    return [Entry(row[0], row[1], page, row[2] if len(row) == 3 else ()) for row in rows]


GLOSSARY: tuple[Entry, ...] = (
    *_entries(
        "question",
        ("N", "the batch size, the number of examples in a mini-batch", ("N",)),
        ("i", "the index of an example in the batch, $1 \\le i \\le N$", ("i",)),
        ("x_i, y_i", "the input and the target of example $i$", ("x", "y")),
        (
            "\\bar x, \\bar y",
            "the batch means of the inputs and of the targets",
            ("xbar", "ybar", "MEANS"),
        ),
        ("\\theta", "a parameter, one coordinate of the parameter vector", ("theta",)),
        ("L", "the loss of one example, $L(x_i, y_i, \\theta)$; $L_i$ for short", ("L",)),
        ("J", "the objective: the mean of the per-example losses", ("J",)),
        ("f", "the model's prediction $f(x)$", ("f",)),
        ("m, b", "the slope and the intercept of the line $f(x) = m x + b$", ("m", "b")),
        (
            "g_{\\mathrm{A}}, g_{\\mathrm{B}}, g_{\\mathrm{C}}",
            "the gradients computed by procedures (A), (B) and (C)",
        ),
        (
            "\\xi",
            "a placeholder argument in a definition, as in $J(\\xi)$; $\\xi_1, \\xi_2, \\dots$ for several",
            ("u",),
        ),
    ),
    *_entries(
        "chain-rule",
        ("e_i", "the error of example $i$, $y_i - f(x_i)$; $\\bar e$ that of the averaged example"),
        ("g_m, g_b", "running totals of the per-example gradients in $m$ and $b$"),
    ),
    *_entries(
        "sigmoid",
        (
            "z",
            "a pre-activation, the input of an activation function; $\\bar z$ its batch mean",
            ("z",),
        ),
        (
            "\\sigma",
            "an activation function, the logistic sigmoid where a page says so",
            ("sigma", "SIGMOID"),
        ),
        (
            "\\sigma'",
            "the derivative of $\\sigma$",
            ("sigma_prime", "SIGMOID_PRIME", "SIGMA_PRIME"),
        ),
        (
            "\\varphi",
            "a function in Jensen's inequality; $\\varphi_1, \\varphi_2$ inner functions of a composition",
        ),
    ),
    *_entries(
        "linear-loss",
        ("g", "a component of the per-example gradient, as a function of the data $(x, y)$"),
        (
            "\\operatorname{Cov}, \\operatorname{Var}",
            "covariance and variance over the batch, dividing by $N$",
        ),
        ("E_m", "the error of the averaged-data shortcut in $m$"),
        ("a_x, a_y, a_0", "the coefficients of an affine function of the data"),
        (
            "\\zeta",
            "a point of the plane in the proof of the affine criterion; $\\zeta', \\zeta''$ others",
        ),
        ("\\psi, \\alpha", "an additive function and a rational number in that proof"),
    ),
    *_entries(
        "network",
        ("K", "the number of outputs of a network, or of classes", ("K",)),
        ("j, k, p", "a hidden unit, an output (or a class), an input", ("j", "k", "p")),
        ("h_i", "the activations of a hidden layer for example $i$; $H$ their matrix"),
        ("\\hat y", "the network's output"),
        (
            "\\delta_i",
            "the error signal of example $i$, $\\partial L_i / \\partial z$; $\\bar\\delta$ its batch mean",
        ),
        ("\\Delta", "the matrix whose rows are the error signals $\\delta_i^\\top$"),
        ("v_{p,j}, w_{j,k}", "the hidden and the output weights"),
        (
            "r_{i,j}, s_{i,k}, R_i",
            "the terms of a sum that do not involve the weight being differentiated",
        ),
    ),
    *_entries(
        "frameworks",
        ("X", "the matrix whose rows are a layer's inputs $x_i^\\top$"),
        ("W", "a dense layer's weight matrix"),
        ("\\ell", "the loss of one example as a function of one pre-activation"),
        ("n_{\\text{in}}, n_{\\text{out}}", "a dense layer's numbers of inputs and outputs"),
        ("P", "the number of parameters of a network"),
        ("C, c_i", "a clipping bound and example $i$'s clip factor"),
    ),
    *_entries(
        "step-size",
        ("i'", "another example of the same batch ($i''$ a third)"),
        ("\\eta", "a step size (PyTorch's documentation writes $\\gamma$)"),
        ("\\mu, \\tau", "momentum and dampening of SGD"),
        ("B_t", "SGD's momentum buffer at step $t$; $B^{\\Sigma}_t$ that of the run on the sum"),
        ("t", "a step of an optimizer, or a position in a sequence"),
        ("\\lambda", "the coefficient of an L2 penalty or of weight decay"),
        ("M", "the number of examples in the data set"),
        ("s", "the index of an example in the data set; $s_i$ the draw of example $i$ of a batch"),
        (
            "G_s",
            "the per-example gradient of data-set example $s$; $\\bar G$ their mean, $D_s = G_s - \\bar G$",
        ),
        ("\\sigma_G^2", "the variance of the per-example gradients over the data set"),
        (
            "\\mathbb{E}",
            "an expectation: over the draw of a minibatch, or over the distribution of examples",
        ),
        ("\\beta_1, \\beta_2, \\varepsilon", "Adam's decay rates and its $\\varepsilon$"),
        ("m_t, v_t", "Adam's first and second moments at step $t$"),
        ("c", "a constant factor on the loss"),
    ),
    *_entries(
        "reductions",
        (
            "\\chi_{i,t}",
            "the mask of position $t$ of sequence $i$: 1 for a real token, 0 for padding",
        ),
        ("T_i", "the length of sequence $i$"),
        (
            "\\omega_i",
            "the weight of example $i$ in a weighted mean; $\\omega_k$ that of class $k$",
        ),
        ("\\pi_k", "the frequency of class $k$"),
    ),
    *_entries(
        "accumulation",
        ("Q, q", "the number of micro-batches (or replicas) and the index of one; $q'$ another"),
        (
            "n_q",
            "the number of examples (or tokens) in micro-batch $q$; $\\bar n$ when all are equal",
        ),
        ("\\bar g_q", "the mean gradient of micro-batch $q$"),
        ("E", "an error: of the mean of micro-batch means, or of a computed sum"),
        ("\\nu", "a count of the terms after a singled-out one, as in $Q = q' + \\nu$"),
    ),
    *_entries(
        "coupled-losses",
        ("\\mu_B, \\sigma_B^2", "batch normalisation's batch mean and biased batch variance"),
        (
            "\\gamma_B, \\beta_B, \\varepsilon_B",
            "batch normalisation's scale, shift and $\\varepsilon$",
        ),
        ("\\hat x_i", "the normalised input of example $i$"),
        ("\\kappa", "a shift added to every input"),
        ("F, \\Phi", "a function of the outputs of a layer, and of the normalised outputs"),
    ),
    *_entries(
        "floating-point",
        (
            "u",
            "the unit roundoff: $2^{-53}$ in float64, $2^{-11}$ in float16, $2^{-8}$ in bfloat16",
        ),
        ("\\operatorname{fl}", "the floating-point result of an operation"),
        ("a_i", "the terms of a sum"),
        ("\\rho_1, \\rho_2", "the relative rounding errors of two additions"),
        ("\\gamma_n", "Higham's factor $n u / (1 - n u)$ for $n$ additions"),
        ("S", "an exact sum"),
    ),
    *_entries(
        "reverse-mode",
        ("A", "the mean as a function of the losses it averages"),
        ("d_0, D", "the widths of a network's layers, $d_0$ to $d_D$, and its depth $D$"),
    ),
    *_entries(
        "batch-size",
        ("a_j, H_j", "the gradient and the curvature of batch $j$'s mean loss at $\\theta_0$"),
        ("\\theta_0", "the starting point of a few SGD steps"),
        (
            "\\theta^{(k)}, \\tilde\\theta^{(k)}",
            "where $k$ SGD steps of $\\eta$ land, and where one step of $k\\eta$ lands",
        ),
        ("\\theta^*", "the minimum of a quadratic"),
        ("N_1, N_2", "two batch sizes"),
        ("E_1, E_2", "the expected squared norms of the minibatch mean gradient at them"),
        ("\\lVert\\bar G\\rVert^2", "the squared norm of the full-data gradient"),
        ("\\operatorname{tr}\\Sigma", "the trace of the per-example gradients' covariance"),
    ),
    *_entries(
        "replicas",
        ("R, r", "the number of data-parallel replicas, and one of them"),
        ("n_r", "the number of examples replica $r$ holds"),
        ("g_{r,i}", "the gradient of the loss of replica $r$'s $i$-th example"),
        ("\\Gamma_r", "the part of $\\nabla_\\theta L$ through the outputs replica $r$ holds"),
    ),
    *_entries(
        "kinks",
        ("\\operatorname{relu}", "the rectified linear unit $\\max(z, 0)$"),
        (
            "\\operatorname{relu}'",
            "the value a backward pass uses for relu's derivative, $r_0$ at the kink $z = 0$",
        ),
        ("r_0", "the value a backward pass takes for $\\operatorname{relu}'(0)$"),
        ("\\tilde g_i", "what reverse mode returns for example $i$'s loss alone"),
        ("o_i", "the point of example $i$'s kink"),
        ("h", "a positive step of a difference quotient"),
        ("\\dot\\theta_1, \\dot\\theta_2", "a direction in the parameters $\\theta_1, \\theta_2$"),
        ("\\lVert\\theta\\rVert", "the Euclidean norm of $\\theta$"),
        ("\\varepsilon_0", "the constant of the safe norm"),
        ("\\chi_i", "1 if example $i$ counts in a masked mean, else 0"),
    ),
    *_entries(
        "expectation",
        (
            "\\mathcal{R}",
            "the population objective, the loss expected over the examples' distribution",
        ),
        (
            "p_k",
            "the probability of outcome $k$ of $K$; $p(k, \\theta)$ where it depends on $\\theta$",
        ),
        ("H", "the unit step: 1 for a positive argument, else 0"),
        ("\\varrho", "the standard normal density"),
        ("L_k", "the loss of outcome $k$, not depending on $\\theta$"),
        ("\\epsilon", "a standard normal draw, in $x = \\theta + \\epsilon$"),
    ),
    *_entries(
        "batch-statistics",
        ("a", "a positive per-example quantity $a(x_i, \\theta)$, such as $e^{\\theta x_i}$"),
        ("\\hat g_N", "the gradient of a minibatch of $N$ examples"),
        ("g_{\\mathrm{full}}", "the gradient on the whole data set"),
    ),
    *_entries(
        "low-precision",
        ("n", "a number of additions"),
    ),
    *_entries(
        "loss-terms",
        ("T", "the number of elements of an example's output"),
        ("L_t", "the loss of element $t$ of an example's output"),
        ("\\mathrm{KL}, \\beta", "a term computed once per example, and its weight"),
        (
            "m_{\\mathrm{bn}}",
            "PyTorch's `momentum`, the weight of the newest statistic in a running estimate",
        ),
    ),
    *_entries(
        "second-order",
        (
            "\\theta_1, \\theta_2",
            (
                "two coordinates of the parameter vector; $g_{i,1}, g_{i,2}$ the components"
                " of example $i$'s gradient in them, $\\bar g_1, \\bar g_2$ their batch means"
            ),
        ),
    ),
)
"""Every symbol of the book, in the order the book introduces them."""


def markdown_table(entries: Iterable[Entry]) -> str:
    """The entries as a MyST table: symbol, meaning, and a link to the introducing page."""
    lines = ["| Symbol | Meaning | Introduced in |", "| --- | --- | --- |"]
    lines += [f"| ${e.symbol}$ | {e.meaning} | {{doc}}`{e.page}` |" for e in entries]
    return "\n".join(lines)
