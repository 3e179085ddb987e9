"""Wrong steps the engine must refuse: one test per kind of mutation a reviewer tries.

Each case takes a correct step of the book's kind, breaks it in one way, and checks the
whole message: the page, the derivation, the step, both sides and what each method
left over. A message that changes is a test to update by reading it, not a pass.
"""

from __future__ import annotations

import pytest
import sympy as sp

from gradavg.book.notation import N, batch_mean, batch_sum, f, i, m, theta, u, x, y, z
from gradavg.verify import (
    ClaimMismatch,
    Derivation,
    Inequality,
    NotAnInequality,
    StepNotProved,
    latex,
    proving,
)

K = sp.Symbol("K", integer=True, positive=True)
k = sp.Symbol("k", integer=True, positive=True)
delta, h = sp.IndexedBase(r"\delta", real=True), sp.IndexedBase("h", real=True)
zs = sp.IndexedBase("z", real=True)
sigma = sp.Function("sigma")
REGRESSION = {f: sp.Lambda(u, m * u)}


def failure(start: sp.Basic, wrong: sp.Basic, **definitions: sp.Basic) -> str:
    """The message of the one-step derivation ``start = wrong`` on a test page."""
    chain = Derivation("mutated", start, definitions=definitions.get("d", {}), page="mutations")
    with pytest.raises(StepNotProved) as error:
        chain.step(wrong, "the rule").verify()
    return str(error.value)


def residual_sum(factor: sp.Expr, term: sp.Expr) -> sp.Expr:
    return sp.Mul(factor, batch_sum(term), evaluate=False)


with sp.evaluate(False):
    GRADIENT = batch_mean(2 * (y[i] - f(x[i])) * (-x[i]))  # dJ/dm of least squares
    RIGHT = residual_sum(-2 / N, x[i] * (y[i] - f(x[i])))

METHODS = ("symbolic", "fixed sizes", "numeric")


def refused(message: str, start: sp.Basic, wrong: sp.Basic) -> dict[str, str]:
    """Check the structure of the engine's message; return what each method said.

    The message names the page, the derivation, the step and its justification, prints
    both sides as the book does, and has one line per method with its reason. sympy's
    leftover text is not compared, so a sympy release does not break the suite.
    """
    lines = message.splitlines()
    assert lines[0] == "page 'mutations', derivation 'mutated', step 1 (the rule) is not proved."
    with sp.evaluate(True):
        assert lines[1] == f"  before: {latex(start)}"
        assert lines[2] == f"  after:  {latex(wrong)}"
    assert lines[3] == "methods tried:"
    said = {}
    for line in lines[4:]:
        kind, _, reason = line.removeprefix("  - ").partition(": ")
        assert kind in METHODS, line
        assert reason.strip(), line
        said[kind] = reason
    assert list(said) == list(METHODS)
    return said


def test_the_unmutated_step_is_proved() -> None:
    proof = Derivation("right", GRADIENT, REGRESSION).step(RIGHT, "rule").verify()
    assert str(proof.steps[0].method) == "symbolic (cancel)"


SIGMOID = {sigma: sp.Lambda(u, 1 / (1 + sp.exp(-u)))}


def _regression_cases() -> list[tuple[str, sp.Basic, str]]:
    """Wrong forms of -2/N Σ xᵢ(yᵢ − f(xᵢ)), and the size at which each fails first."""
    with sp.evaluate(False):
        body = x[i] * (y[i] - f(x[i]))
        return [
            ("flipped sign", residual_sum(2 / N, body), "N = 1"),
            ("dropped factor", residual_sum(-1 / N, body), "N = 1"),
            ("1/N² for 1/N", residual_sum(-2 / N**2, body), "N = 2"),
            ("x_k for x_i", residual_sum(-2 / N, x[k] * (y[i] - f(x[i]))), "N = 1"),
            ("bound N − 1", sp.Mul(-2 / N, sp.Sum(body, (i, 1, N - 1))), "N = 1"),
        ]


@pytest.mark.parametrize(("name", "wrong", "first"), _regression_cases())
def test_regression_mutations(name: str, wrong: sp.Basic, first: str) -> None:
    said = refused(failure(GRADIENT, wrong, d=REGRESSION), GRADIENT, wrong)
    assert said["symbolic"].startswith("the difference reduces to "), name
    assert said["fixed sizes"].startswith(f"at {first} the difference is "), name
    assert said["numeric"].startswith(f"at {first}, "), name
    assert "the difference is" in said["numeric"], name


def test_true_only_for_n_equal_one() -> None:
    with sp.evaluate(False):
        start, wrong = batch_sum(x[i]) ** 2, batch_sum(x[i] ** 2)
    said = refused(failure(start, wrong), start, wrong)
    assert said["fixed sizes"] == f"at N = 2 the difference is {latex(2 * x[1] * x[2])}"


def test_product_of_means() -> None:
    with sp.evaluate(False):
        start, wrong = batch_mean(h[i] * delta[i]), batch_mean(h[i]) * batch_mean(delta[i])
    said = refused(failure(start, wrong), start, wrong)
    assert said["fixed sizes"].startswith("at N = 2 the difference is")


def test_derivative_at_the_mean() -> None:
    with sp.evaluate(False):
        start, wrong = (
            batch_mean(sp.Derivative(sigma(zs[i]), zs[i])),
            sp.Subs(sp.Derivative(sigma(z), z), z, batch_mean(zs[i])),
        )
    said = refused(failure(start, wrong, d=SIGMOID), start, wrong)
    assert said["fixed sizes"].startswith("at N = 2 the difference is")
    assert said["numeric"].startswith("at N = 2, {z}_{1} = ")


def test_bound_k_to_n() -> None:
    with sp.evaluate(False):
        start, wrong = (
            sp.Sum(delta[i, k] * h[i, k], (k, 1, K)),
            sp.Sum(delta[i, k] * h[i, k], (k, 1, N)),
        )
    said = refused(failure(start, wrong), start, wrong)
    assert said["fixed sizes"].startswith("at K = 1, N = 2 the difference is")


def test_factor_one_over_k_to_one_over_n() -> None:
    with sp.evaluate(False):
        start, wrong = (
            sp.Mul(1 / K, sp.Sum(delta[i, k], (k, 1, K))),
            sp.Mul(1 / N, sp.Sum(delta[i, k], (k, 1, K))),
        )
    said = refused(failure(start, wrong), start, wrong)
    assert said["fixed sizes"].startswith("at K = 1 the difference is")


# --- what the fixed-size check used to accept ---------------------------------------------

n_k = sp.IndexedBase("n", integer=True, positive=True)
g_bar = sp.IndexedBase(r"\bar{g}", real=True)
g = sp.IndexedBase("g", real=True)
j = sp.Symbol("j", integer=True, positive=True)


def test_unequal_micro_batches_are_tried() -> None:
    """The mean over all examples is not the mean of the micro-batch means unless all nₖ
    are equal: the check gives each nₖ its own value, and fails at n₁ ≠ n₂."""
    with sp.evaluate(False):
        inner = batch_sum(g[k, j], j, n_k[k])
        start = sp.Mul(1 / batch_sum(n_k[k], k, K), batch_sum(inner, k, K))
        wrong = sp.Mul(1 / K, batch_sum(sp.Mul(1 / n_k[k], inner), k, K))
    said = refused(failure(start, wrong), start, wrong)
    assert said["fixed sizes"].startswith("at K = 2, {n}_{1} = 1, {n}_{2} = 2 the difference is")


def test_nested_sizes_every_combination() -> None:
    """A right step over micro-batches of unequal sizes is checked at each of them."""
    with sp.evaluate(False):
        inner = batch_sum(g[k, j], j, n_k[k])
        start = batch_sum(inner, k, K) ** 2
        right = batch_sum(batch_sum(inner * batch_sum(g[i, j], j, n_k[i]), i, K), k, K)
    chain = Derivation("square", start, claim="K ≤ 4, n_k ≤ 4")
    proof = chain.step(right, "distributivity").verify()
    method = proof.steps[0].method
    assert method.label.startswith("checked at K = 1…4, each n_")
    assert " = 1…4 and at K = " in method.label
    assert proof.quantifier() == r"for $K \le 4$ and for $n_k \le 4$"


@pytest.mark.parametrize(
    ("vanishing", "above"),
    [
        (sp.Mul(*(N - c for c in range(1, 5))), 4),
        (sp.Mul(*(N - c for c in range(1, 10))), 9),
    ],
)
def test_a_term_that_vanishes_at_the_small_sizes(vanishing: sp.Expr, above: int) -> None:
    """A term zero at N = 1…4 (or at every integer the step writes) is caught at a size
    chosen above them."""
    with sp.evaluate(False):
        term = sp.Derivative(sp.Function("L")(x[i], theta), theta)
        start = sp.Mul(1 / N, batch_sum(term))
        wrong = start + vanishing * batch_sum(term)
    said = refused(failure(start, wrong), start, wrong)
    at = int(said["fixed sizes"].removeprefix("at N = ").split(" ")[0])
    assert at > above
    assert "undefined function(s) L" in said["numeric"]


def test_the_numeric_check_also_tries_the_larger_sizes() -> None:
    """With numbers in place of an unknown function, the vanishing term reaches the
    numeric check, which must fail it at a size above 4 too, not accept it at K = 1…4."""
    g = sp.IndexedBase("g", real=True)
    with sp.evaluate(False):
        start = batch_sum(g[k], k, K)
        wrong = start + sp.Mul(*(K - c for c in range(1, 5))) * batch_sum(g[k], k, K)
    said = refused(failure(start, wrong), start, wrong)
    for method in ("fixed sizes", "numeric"):
        assert int(said[method].removeprefix("at K = ").split(",")[0].split(" ")[0]) > 4


def test_min_of_the_size_and_a_constant() -> None:
    eta = sp.Symbol("eta", positive=True)
    start, wrong = N * eta * batch_sum(x[i]), sp.Min(N, 4) * eta * batch_sum(x[i])
    said = refused(failure(start, wrong), start, wrong)
    assert int(said["fixed sizes"].removeprefix("at N = ").split(" ")[0]) > 4
    assert said["numeric"] == "not applicable: branch function(s) Min"


def test_a_check_needs_a_declared_claim() -> None:
    square = Derivation("square", batch_sum(x[i]) ** 2, page="mutations")
    square.step(sp.Sum(sp.Sum(x[i] * x[k], (k, 1, N)), (i, 1, N)), "distributivity")
    with pytest.raises(ClaimMismatch) as error:
        square.verify()
    assert str(error.value).startswith(
        "page 'mutations', derivation 'square', step 1 (distributivity) is only checked "
        "(checked at N = 1…4 and at N = "
    )
    assert str(error.value).endswith("e.g. claim='N ≤ 4'.")


@pytest.mark.parametrize(
    ("claim", "complaint"),
    [
        ("K ≤ 4", "must bound N"),
        ("N ≤ 4, K ≤ 2", "bounds K, which no check fixed"),
        ("N ≤ 9", "cannot read the claim part 'N ≤ 9'"),
        ("N ≤ 4, numerically", None),
    ],
)
def test_a_claim_must_match_the_record(claim: str, complaint: str | None) -> None:
    square = Derivation("square", batch_sum(x[i]) ** 2, page="mutations", claim=claim)
    square.step(sp.Sum(sp.Sum(x[i] * x[k], (k, 1, N)), (i, 1, N)), "distributivity")
    if complaint is None:
        assert square.verify().quantifier() == (
            r"for $N \le 4$, checked numerically at random points"
        )
        return
    with pytest.raises(ClaimMismatch, match=complaint):
        square.verify()


def test_a_claim_on_a_proved_chain_is_refused() -> None:
    chain = Derivation("sum", batch_sum(2 * x[i]), claim="N ≤ 4").step(
        2 * batch_sum(x[i]), "factor"
    )
    with pytest.raises(ClaimMismatch, match="every step is proved: drop the claim"):
        chain.verify()


# --- what the numeric check used to accept ------------------------------------------------

a = sp.Symbol("a", real=True)
TINY = sp.Rational(1, 10**31)


@pytest.mark.parametrize(
    ("wrong", "numeric"),
    [
        (a + TINY, "the difference is -1.0000000E-31"),
        (a / 1000 * (1 + TINY), "the difference is"),
        (
            sp.Piecewise((a + 1, sp.Eq(a, sp.Rational(7, 3))), (a, True)),
            "branch function(s) Piecewise",
        ),
        (a + sp.floor(sp.Abs(a) / 1000), "branch function(s) Abs, floor"),
        (a + sp.Heaviside(a - 10**7), "branch function(s) Heaviside"),
    ],
)
def test_numeric_check_is_not_fooled(wrong: sp.Expr, numeric: str) -> None:
    start = a / 1000 if wrong.has(sp.Integer(1000)) and not wrong.has(sp.floor) else a
    said = refused(failure(start, wrong), start, wrong)
    assert numeric in said["numeric"]


def test_numeric_agreement_is_relative() -> None:
    assert proving.agree(sp.Integer(10) ** 20, sp.Integer(10) ** 20 + sp.Rational(1, 10**25))[0]
    assert not proving.agree(sp.Rational(1, 10**20), sp.Rational(1, 10**20) * (1 + TINY))[0]
    assert proving.agree(sp.sin(1) ** 2 + sp.cos(1) ** 2 - 1, sp.Integer(0))[0]


def test_a_wrong_definition_is_caught_where_the_page_uses_it() -> None:
    """A definition off by a factor makes the step that unfolds it fail."""
    mean = sp.Symbol("mu", real=True)
    chain = Derivation("mean", N * mean, {mean: batch_sum(x[i]) / (N + 1)}, page="mutations")
    with pytest.raises(StepNotProved, match=r"step 1 \(definition of mu\)"):
        chain.step(batch_sum(x[i]), "definition of mu").verify()


def test_transposed_product() -> None:
    """h δᵀ written as δ hᵀ: the entries (1, 2) and (2, 1) swap."""
    hs = sp.Matrix(sp.symbols("h_1 h_2", real=True))
    ds = sp.Matrix(sp.symbols("d_1 d_2", real=True))
    chain = Derivation("outer product", hs * ds.T, page="mutations")
    with pytest.raises(StepNotProved) as error:
        chain.step(ds * hs.T, "transpose").verify()
    lines = str(error.value).splitlines()
    assert (
        lines[0]
        == "page 'mutations', derivation 'outer product', step 1 (transpose) is not proved."
    )
    (h1, h2), (d1, d2) = hs, ds
    leftover = latex(h1 * d2 - d1 * h2)  # entry (1, 2) of h δᵀ − δ hᵀ, as the book prints it
    assert lines[4] == f"  - symbolic: entry (1, 2): the difference reduces to {leftover}"
    assert lines[5] == "  - fixed sizes: entry (1, 2): no sum has a symbolic bound"
    assert lines[6].startswith("  - numeric: entry (1, 2): at d_{1} = ")


def test_an_exception_inside_a_method_is_that_methods_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """sympy raising (here an empty StopIteration) must not stop the other methods."""

    def raises(_: sp.Basic) -> sp.Basic:
        raise StopIteration

    monkeypatch.setattr(proving, "_TRANSFORMS", (("simplify", raises),))
    with sp.evaluate(False):
        start, wrong = batch_sum(x[i]) ** 2, batch_sum(x[i] ** 2)
    said = refused(failure(start, wrong), start, wrong)
    assert said["symbolic"] == "simplify: sympy raised StopIteration: (no message)"
    assert said["fixed sizes"] == f"at N = 2 the difference is {latex(2 * x[1] * x[2])}"
    # ...and a right step is still established by the methods that did not raise.
    with sp.evaluate(False):
        square = Derivation("square", batch_sum(x[i]) ** 2, claim="N ≤ 4")
        square.step(sp.Sum(sp.Sum(x[i] * x[k], (k, 1, N)), (i, 1, N)), "distributivity")
    assert square.verify().steps[0].method.kind is proving.ProofKind.FIXED_SIZES


def test_undefined_at_a_size_is_skipped_and_said() -> None:
    """1/(N − 1) at N = 1 is skipped (both sides undefined), never printed as zoo."""
    with sp.evaluate(False):
        start = sp.Mul(1 / (N - 1), batch_sum(x[i] ** 2))
        right = sp.Mul(1 / (N - 1), sp.Sum(sp.Sum(x[i] * x[i], (k, 1, 1)), (i, 1, N)))
        wrong = sp.Mul(1 / (N - 1), batch_sum(x[i]) ** 2)
    proof = Derivation("variance", start).step(right, "a sum of one term").verify()
    assert "zoo" not in str(proof.steps[0].method)
    message = failure(start, wrong)
    assert "zoo" not in message
    assert "tilde{\\infty}" not in message
    assert "  - fixed sizes: at N = 2 the difference is" in message


def test_a_difference_with_nothing_to_substitute_reads_plainly() -> None:
    said = refused(failure(sp.Integer(2), sp.Integer(3)), sp.Integer(2), sp.Integer(3))
    assert said == {
        "symbolic": "the difference reduces to -1",
        "fixed sizes": "no sum has a symbolic bound",
        "numeric": "the difference is -1.0000000",
    }


def test_nested_sums_print_distinct_indices() -> None:
    from gradavg.verify.printing import distinct_indices, latex

    nested = sp.Sum(sp.Sum(x[i], (i, 1, N)) * y[i], (i, 1, N))
    assert latex(distinct_indices(nested)) == (r"\sum_{i=1}^{N} {y}_{i} \sum_{i'=1}^{N} {x}_{i'}")


def test_flipped_inequality_claim() -> None:
    def sigma_prime(value: sp.Expr) -> sp.Expr:
        s = 1 / (1 + sp.exp(-value))
        return s * (1 - s)

    mean_of_derivative = (sigma_prime(sp.Integer(0)) + sigma_prime(sp.Integer(1))) / 2
    at_the_mean = sigma_prime(sp.Rational(1, 2))
    claim = Inequality("mean σ′ against σ′ at the mean", mean_of_derivative, ">", at_the_mean)
    with pytest.raises(NotAnInequality) as error:
        claim.verify()
    assert str(error.value).startswith(
        "inequality 'mean σ′ against σ′ at the mean' claims left > right, but left < right "
        "(left − right = -0.011697746).\n  left:  "
    )


def test_inequality_with_the_wrong_inputs() -> None:
    """The {2, 4} example claims the reversed gap; given {0, 1} it must fail."""

    def gap(a: int, c: int) -> tuple[sp.Expr, sp.Expr]:
        def sigma_prime(value: sp.Expr) -> sp.Expr:
            return sp.exp(-value) / (1 + sp.exp(-value)) ** 2

        mean = (sigma_prime(sp.Integer(a)) + sigma_prime(sp.Integer(c))) / 2
        return mean, sigma_prime(sp.Rational(a + c, 2))

    assert Inequality("{2, 4}", *gap(2, 4)[:1], ">", gap(2, 4)[1]).verify().relation == ">"
    with pytest.raises(NotAnInequality, match="claims left > right, but left < right"):
        Inequality("{2, 4}", gap(0, 1)[0], ">", gap(0, 1)[1], page="sigmoid").verify()


def test_an_unknown_relation_is_refused() -> None:
    with pytest.raises(ValueError, match="relation must be one of '<', '>', '!=', got '<='"):
        Inequality("bad", sp.Integer(1), "<=", sp.Integer(2))  # type: ignore[arg-type]
