"""False steps written into the chapters themselves.

Each test changes one step of a page's own code, runs the page's code cells as the build
runs them and requires the engine's message for that step: the page, the derivation, the
step and what every method left. These are the false steps that the fixed-size and numeric
methods once accepted, in the terms the pages use.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest

from gradavg.verify import StepNotProved

DOCS = Path(__file__).parent.parent / "docs"
CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
pytestmark = pytest.mark.usefixtures("glued")  # myst_nb.glue is not a test dependency


def run_page(name: str, original: str, mutated: str) -> None:
    """Run the code cells of ``docs/{name}.md`` with ``original`` replaced by ``mutated``."""
    source = (DOCS / f"{name}.md").read_text()
    assert source.count(original) == 1, f"{name}.md no longer has the line {original!r}"
    cells = CELL.findall(source.replace(original, mutated))
    code = "\n".join(
        line for cell in cells for line in cell.splitlines() if not line.startswith(":")
    )
    namespace: dict[str, object] = {"__name__": f"page_{name}"}
    exec(compile(code, f"{name}.md", "exec"), namespace)  # noqa: S102 -- the book's own pages


@pytest.fixture(autouse=True)
def as_the_build_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages run from docs/, drawing their figures without a display."""
    matplotlib.use("Agg")
    monkeypatch.chdir(DOCS)


MUTATIONS = {
    "the sum rule plus a term zero at N = 1…4": (
        "sum-rule",
        'chain.step(1 / N * batch_sum(sp.Derivative(per_example, theta)), "sum rule")',
        (
            "chain.step(1 / N * batch_sum(sp.Derivative(per_example, theta)) + (N - 1) * (N - 2)"
            ' * (N - 3) * (N - 4) * batch_sum(sp.Derivative(per_example, theta)), "sum rule")'
        ),
        "derivation 'gradient of the mean loss = mean of per-example gradients', step 3 (sum rule)",
    ),
    "min(N, 4) for N in the step size": (
        "step-size",
        'chain.step(theta - N * eta * sp.Derivative(J(theta), theta), "definition of J")',
        'chain.step(theta - sp.Min(N, 4) * eta * sp.Derivative(J(theta), theta), "definition of J")',
        "step 3 (definition of J)",
    ),
    "the plain mean of micro-batch means": (
        "accumulation",
        'chain.step(weighted, "1/N is constant")',
        'chain.step(naive_mean, "1/N is constant")',
        "derivation 'full-batch mean from micro-batch means', step 3 (1/N is constant)",
    ),
    "an error of zero": (
        "accumulation",
        'chain.step(batch_sum((1 / Q - n[q] / N) * g_q[q], q, Q), "factor out the mean")',
        'chain.step(sp.Integer(0), "factor out the mean")',
        "derivation 'error of the naive mean', step 4 (factor out the mean)",
    ),
    "the weighted mean plus a term zero at Q = 1…4": (
        "accumulation",
        'chain.step(weighted, "1/N is constant")',
        (
            "chain.step(weighted + (Q - 1) * (Q - 2) * (Q - 3) * (Q - 4) * batch_sum(g_q[q], q, Q),"
            ' "1/N is constant")'
        ),
        "derivation 'full-batch mean from micro-batch means', step 3 (1/N is constant)",
    ),
    "the Hessian of the mean plus a term zero at N = 1…4": (
        "second-order",
        'chain.step(1 / N * batch_sum(sp.Derivative(per_example, theta_1, theta_2)), "sum rule, twice")',
        (
            "chain.step(1 / N * batch_sum(sp.Derivative(per_example, theta_1, theta_2))"
            ' + (N - 1) * (N - 2) * (N - 3) * (N - 4) * theta_1, "sum rule, twice")'
        ),
        "step 3 (sum rule, twice)",
    ),
    "Gauss-Newton as the whole Hessian": (
        "second-order",
        "2 * d_1 * d_2 + 2 * residual(prediction) * sp.Derivative(prediction, theta_1, theta_2),",
        "2 * d_1 * d_2,",
        "derivation 'the Hessian of one squared error', step 2 (product rule in θ₁)",
    ),
    "the Fisher as the outer product of the mean": (
        "second-order",
        'chain.step(middle, "definition of ḡ₁, ḡ₂")',
        'chain.step(g_bar[1] * g_bar[2], "definition of ḡ₁, ḡ₂")',
        "derivation 'Fisher minus outer product', step 2 (definition of ḡ₁, ḡ₂)",
    ),
    "reverse mode at ReLU's kink as the derivative 1": (
        "kinks",
        'chain.step(sp.Piecewise((1, sp.Ne(theta, 0)), (2 * r_0, True)), "cases θ ≠ 0 and θ = 0")',
        'chain.step(sp.Integer(1), "cases θ ≠ 0 and θ = 0")',
        "derivation 'reverse mode through relu(θ) − relu(−θ)', step 2 (cases θ ≠ 0 and θ = 0)",
    ),
    "relu(θ) + relu(−θ) for the difference": (
        "kinks",
        'chain.step(sp.Max(theta, 0) + minus(sp.Max(-theta, 0)), "definition of relu")',
        'chain.step(sp.Max(theta, 0) + sp.Max(-theta, 0), "definition of relu")',
        "derivation 'relu(θ) − relu(−θ) = θ', step 1 (definition of relu)",
    ),
    "the norm differentiable at zero, with gradient 0": (
        "kinks",
        'chain.step(sp.sqrt(along[0] ** 2 + along[1] ** 2), "h > 0")',
        'chain.step(sp.Integer(0), "h > 0")',
        "derivation 'the norm at zero', step 2 (h > 0)",
    ),
    "the masked mean divided by N": (
        "kinks",
        'chain.step(batch_sum(chi[i] * sp.Derivative(one, theta)) / count, "sum rule")',
        'chain.step(batch_sum(chi[i] * sp.Derivative(one, theta)) / N, "sum rule")',
        "derivation 'the gradient of a masked mean', step 3 (sum rule)",
    ),
    "the expected 0-1 loss as flat as its examples": (
        "expectation",
        'chain.step(rho(theta), "fundamental theorem of calculus")',
        'chain.step(sp.Integer(0), "fundamental theorem of calculus")',
        "derivation 'the derivative of the expected 0-1 loss', step 2 (fundamental theorem",
    ),
    "the score without the probability": (
        "expectation",
        'chain.step(batch_sum(p(k, theta) * loss_k * score, k, K), "∂p = p ∂ log p")',
        'chain.step(batch_sum(loss_k * score, k, K), "∂p = p ∂ log p")',
        "derivation 'the score-function identity', step 2 (∂p = p ∂ log p)",
    ),
    "a score-function estimate biased by θ": (
        "expectation",
        'chain.step(mean_over(x**2 * (x - theta)), "the score of a normal density")',
        'chain.step(mean_over(x**2 * x), "the score of a normal density")',
        "derivation 'score', step 1 (the score of a normal density)",
    ),
    "the gradient of a log-mean as the mean of the per-example ratios": (
        "batch-statistics",
        'chain.step(batch_mean(sp.Derivative(one, theta)) / batch_mean(one), "sum rule")',
        'chain.step(batch_mean(sp.Derivative(one, theta) / one), "sum rule")',
        "derivation 'the gradient of the log of a batch mean', step 2 (sum rule)",
    ),
    "γₙ reaching 1 at n = 1/u": (
        "low-precision",
        'chain.step(sp.Rational(1, 2) / (1 - sp.Rational(1, 2)), "n u = 1/2")',
        'chain.step(sp.Integer(1) / (1 - sp.Rational(1, 2)), "n u = 1/2")',
        "derivation 'γ at n = 1/(2u)', step 1 (n u = 1/2)",
    ),
    "the unscaled gradient still scaled": (
        "low-precision",
        'chain.step(sp.Derivative(J(theta), theta), "factor rule")',
        'chain.step(c * sp.Derivative(J(theta), theta), "factor rule")',
        "derivation 'scaled, then unscaled', step 1 (factor rule)",
    ),
    "the world-size factor forgotten": (
        "replicas",
        'chain.step(1 / N * sp.Sum(local_sum, (r, 1, R)), "R cancels")',
        'chain.step(1 / (R * N) * sp.Sum(local_sum, (r, 1, R)), "R cancels")',
        "derivation 'mean all-reduce of R times the local sums over N', step 1 (R cancels)",
    ),
    "k small steps exactly one large step": (
        "batch-size",
        'chain.step(eta**2 * sp.Add(*pairs, *cubic), "expand, collect powers of η")',
        'chain.step(eta**3 * sp.Add(*pairs, *cubic), "expand, collect powers of η")',
        "derivation '2 steps of η against one of 2η', step 1 (expand, collect powers of η)",
    ),
    "the noise-scale estimate without its weights": (
        "batch-size",
        '"batch-size-squared-norm", "‖Ḡ‖² from two sizes", (N_2 * E_2 - N_1 * E_1) / (N_2 - N_1), MOMENTS',
        '"batch-size-squared-norm", "‖Ḡ‖² from two sizes", (E_2 + E_1) / 2, MOMENTS',
        "derivation '‖Ḡ‖² from two sizes', step 1 (unfold E₁, E₂)",
    ),
    "the mean's weight left at β": (
        "loss-terms",
        'chain.step(1 / T * (batch_sum(L_t[t], t, T) + T * beta * kl), "factor 1/T")',
        'chain.step(1 / T * (batch_sum(L_t[t], t, T) + beta * kl), "factor 1/T")',
        "derivation 'mean over elements with weight β', step 1 (factor 1/T)",
    ),
    "Q updates as Q times the momentum": (
        "loss-terms",
        'chain.step(1 - (1 - momentum) ** Q, "geometric series")',
        'chain.step(Q * momentum, "geometric series")',
        "derivation 'the weight of Q updates', step 1 (geometric series)",
    ),
}


@pytest.mark.parametrize(
    ("page", "original", "mutated", "where"), MUTATIONS.values(), ids=list(MUTATIONS)
)
def test_a_false_step_in_a_chapter_stops_its_page(
    page: str, original: str, mutated: str, where: str
) -> None:
    with pytest.raises(StepNotProved) as caught:
        run_page(page, original, mutated)
    message = str(caught.value)
    assert message.startswith(f"page {page!r}, ")
    assert where in message
    assert "\n  before: " in message
    assert "\n  after:  " in message
    for method in ("symbolic", "fixed sizes", "numeric"):
        assert f"  - {method}" in message, f"{method} gave no reason:\n{message}"


def test_the_unchanged_pages_run() -> None:
    """The same pages, unchanged, run to the end: the failures above are the mutations'."""
    pages = {page: original for page, original, *_ in MUTATIONS.values()}
    for page, original in pages.items():
        run_page(page, original, original)
