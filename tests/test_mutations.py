"""Wrong steps the engine must refuse: one test per kind of mutation a reviewer tries.

Each case takes a correct step of the book's kind, breaks it in one way, and checks the
whole message: the page, the derivation, the step, both sides and what each method
left over. A message that changes is a test to update by reading it, not a pass.
"""

from __future__ import annotations

import pytest
import sympy as sp

from gradavg import proving
from gradavg.derivation import Derivation, Inequality, NotAnInequality, StepNotProved
from gradavg.notation import N, batch_mean, batch_sum, f, i, m, u, x, y, z

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

HEADER = (
    "page 'mutations', derivation 'mutated', step 1 (the rule) is not proved.\n"
    "  before: {before}\n"
    "  after:  {after}\n"
    "methods tried:\n"
)


def expected(before: str, after: str, *tried: str) -> str:
    return HEADER.format(before=before, after=after) + "\n".join(f"  - {t}" for t in tried)


def test_the_unmutated_step_is_proved() -> None:
    proof = Derivation("right", GRADIENT, REGRESSION).step(RIGHT, "rule").verify()
    assert str(proof.steps[0].method) == "symbolic (cancel)"


SIGMOID = {sigma: sp.Lambda(u, 1 / (1 + sp.exp(-u)))}

# Each case: (start, wrong step, definitions) and the message the engine must give.


def test_flipped_sign() -> None:
    with sp.evaluate(False):
        start, wrong = GRADIENT, residual_sum(2 / N, x[i] * (y[i] - f(x[i])))
    assert failure(start, wrong, d=REGRESSION) == expected(
        "\\frac{1}{N} \\sum_{i=1}^{N} 2 \\left({y}_{i} - f{\\left({x}_{i} \\right)}\\right) \\left(- {x}_{i}\\right)",
        "\\frac{2}{N} \\sum_{i=1}^{N} {x}_{i} \\left({y}_{i} - f{\\left({x}_{i} \\right)}\\right)",
        "symbolic: the difference reduces to \\frac{1}{N} \\sum_{i=1}^{N} - 2 {x}_{i} {y}_{i} + \\frac{1}{N} \\sum_{i=1}^{N} 2 m {x}_{i}^{2} - \\frac{2}{N} \\sum_{i=1}^{N} {x}_{i} {y}_{i} - \\frac{2}{N} \\sum_{i=1}^{N} - m {x}_{i}^{2}",
        "fixed N = 1…4: at N = 1 the difference is 4 \\left(- {y}_{1} + m {x}_{1}\\right) {x}_{1}",
        "numeric (5 random exact points at each N = 1…4, 50 digits): at N = 1, m = 50/11, {x}_{1} = 39, {y}_{1} = 14/5, the difference is 27217.745",
    )


def test_dropped_factor() -> None:
    with sp.evaluate(False):
        start, wrong = GRADIENT, residual_sum(-1 / N, x[i] * (y[i] - f(x[i])))
    assert failure(start, wrong, d=REGRESSION) == expected(
        "\\frac{1}{N} \\sum_{i=1}^{N} 2 \\left({y}_{i} - f{\\left({x}_{i} \\right)}\\right) \\left(- {x}_{i}\\right)",
        "- \\frac{1}{N} \\sum_{i=1}^{N} {x}_{i} \\left({y}_{i} - f{\\left({x}_{i} \\right)}\\right)",
        "symbolic: the difference reduces to \\frac{1}{N} \\sum_{i=1}^{N} {x}_{i} {y}_{i} + \\frac{1}{N} \\sum_{i=1}^{N} - m {x}_{i}^{2} + \\frac{1}{N} \\sum_{i=1}^{N} - 2 {x}_{i} {y}_{i} + \\frac{1}{N} \\sum_{i=1}^{N} 2 m {x}_{i}^{2}",
        "fixed N = 1…4: at N = 1 the difference is \\left(- {y}_{1} + m {x}_{1}\\right) {x}_{1}",
        "numeric (5 random exact points at each N = 1…4, 50 digits): at N = 1, m = -15/2, {x}_{1} = 20/3, {y}_{1} = -39/2, the difference is -203.33333",
    )


def test_changed_factor() -> None:
    with sp.evaluate(False):
        start, wrong = GRADIENT, residual_sum(-2 / N**2, x[i] * (y[i] - f(x[i])))
    assert failure(start, wrong, d=REGRESSION) == expected(
        "\\frac{1}{N} \\sum_{i=1}^{N} 2 \\left({y}_{i} - f{\\left({x}_{i} \\right)}\\right) \\left(- {x}_{i}\\right)",
        "- \\frac{2 \\sum_{i=1}^{N} {x}_{i} \\left({y}_{i} - f{\\left({x}_{i} \\right)}\\right)}{N^{2}}",
        "symbolic: the difference reduces to \\frac{1}{N} \\sum_{i=1}^{N} - 2 {x}_{i} {y}_{i} + \\frac{1}{N} \\sum_{i=1}^{N} 2 m {x}_{i}^{2} + \\frac{2}{N^{2}} \\sum_{i=1}^{N} {x}_{i} {y}_{i} + \\frac{2}{N^{2}} \\sum_{i=1}^{N} - m {x}_{i}^{2}",
        "fixed N = 1…4: at N = 2 the difference is \\frac{1}{2} m {x}_{1}^{2} + \\frac{1}{2} m {x}_{2}^{2} - \\frac{1}{2} {x}_{1} {y}_{1} - \\frac{1}{2} {x}_{2} {y}_{2}",
        "numeric (5 random exact points at each N = 1…4, 50 digits): at N = 2, m = -27/13, {x}_{1} = -38/15, {x}_{2} = 48/13, {y}_{1} = -11/4, {y}_{2} = -23/2, the difference is -3.0746670",
    )


def test_wrong_index() -> None:
    with sp.evaluate(False):
        start, wrong = GRADIENT, residual_sum(-2 / N, x[k] * (y[i] - f(x[i])))
    assert failure(start, wrong, d=REGRESSION) == expected(
        "\\frac{1}{N} \\sum_{i=1}^{N} 2 \\left({y}_{i} - f{\\left({x}_{i} \\right)}\\right) \\left(- {x}_{i}\\right)",
        "- \\frac{2}{N} \\sum_{i=1}^{N} {x}_{k} \\left({y}_{i} - f{\\left({x}_{i} \\right)}\\right)",
        "symbolic: the difference reduces to \\frac{1}{N} \\sum_{i=1}^{N} - 2 {x}_{i} {y}_{i} + \\frac{1}{N} \\sum_{i=1}^{N} 2 m {x}_{i}^{2} + \\frac{2}{N} \\sum_{i=1}^{N} {x}_{k} {y}_{i} + \\frac{2}{N} \\sum_{i=1}^{N} - m {x}_{i} {x}_{k}",
        "fixed N = 1…4: at N = 1 the difference is - 2 {x}_{1} {y}_{1} + 2 m {x}_{1}^{2} + 2 {x}_{k} {y}_{1} - 2 m {x}_{1} {x}_{k}",
        "numeric (5 random exact points at each N = 1…4, 50 digits): at N = 1, m = -27/5, {x}_{1} = 11/3, {x}_{k} = 19/5, {y}_{1} = -1/2, the difference is 5.1466667",
    )


def test_bounds_one_to_n_minus_one() -> None:
    with sp.evaluate(False):
        start, wrong = GRADIENT, sp.Mul(-2 / N, sp.Sum(x[i] * (y[i] - f(x[i])), (i, 1, N - 1)))
    assert failure(start, wrong, d=REGRESSION) == expected(
        "\\frac{1}{N} \\sum_{i=1}^{N} 2 \\left({y}_{i} - f{\\left({x}_{i} \\right)}\\right) \\left(- {x}_{i}\\right)",
        "- \\frac{2}{N} \\sum_{i=1}^{N - 1} {x}_{i} \\left({y}_{i} - f{\\left({x}_{i} \\right)}\\right)",
        "symbolic: the difference reduces to \\frac{1}{N} \\sum_{i=1}^{N} - 2 {x}_{i} {y}_{i} + \\frac{1}{N} \\sum_{i=1}^{N} 2 m {x}_{i}^{2} + \\frac{2}{N} \\sum_{i=1}^{N - 1} {x}_{i} {y}_{i} + \\frac{2}{N} \\sum_{i=1}^{N - 1} - m {x}_{i}^{2}",
        "fixed N = 1…4: at N = 1 the difference is 2 \\left(- {y}_{1} + m {x}_{1}\\right) {x}_{1}",
        "numeric (5 random exact points at each N = 1…4, 50 digits): at N = 1, m = -31/11, {x}_{1} = 33/14, {y}_{1} = -4/5, the difference is -27.544898",
    )


def test_true_only_for_n_equal_one() -> None:
    with sp.evaluate(False):
        start, wrong = batch_sum(x[i]) ** 2, batch_sum(x[i] ** 2)
    assert failure(start, wrong, d={}) == expected(
        "\\left(\\sum_{i=1}^{N} {x}_{i}\\right)^{2}",
        "\\sum_{i=1}^{N} {x}_{i}^{2}",
        "symbolic: the difference reduces to \\left(\\sum_{i=1}^{N} {x}_{i}\\right)^{2} - \\sum_{i=1}^{N} {x}_{i}^{2}",
        "fixed N = 1…4: at N = 2 the difference is 2 {x}_{1} {x}_{2}",
        "numeric (5 random exact points at each N = 1…4, 50 digits): at N = 2, {x}_{1} = 43/5, {x}_{2} = -59/2, the difference is -507.40000",
    )


def test_product_of_means() -> None:
    with sp.evaluate(False):
        start, wrong = batch_mean(h[i] * delta[i]), batch_mean(h[i]) * batch_mean(delta[i])
    assert failure(start, wrong, d={}) == expected(
        "\\frac{1}{N} \\sum_{i=1}^{N} {h}_{i} {\\delta}_{i}",
        "\\frac{1}{N^{2}} \\left(\\sum_{i=1}^{N} {h}_{i}\\right) \\sum_{i=1}^{N} {\\delta}_{i}",
        "symbolic: the difference reduces to \\frac{1}{N} \\sum_{i=1}^{N} {\\delta}_{i} {h}_{i} - \\frac{1}{N^{2}} \\left(\\sum_{i=1}^{N} {\\delta}_{i}\\right) \\sum_{i=1}^{N} {h}_{i}",
        "fixed N = 1…4: at N = 2 the difference is - \\frac{1}{4} {\\delta}_{1} {h}_{2} - \\frac{1}{4} {\\delta}_{2} {h}_{1} + \\frac{1}{4} {\\delta}_{1} {h}_{1} + \\frac{1}{4} {\\delta}_{2} {h}_{2}",
        "numeric (5 random exact points at each N = 1…4, 50 digits): at N = 2, {\\delta}_{1} = -25/8, {\\delta}_{2} = 27/4, {h}_{1} = -53/17, {h}_{2} = 41/14, the difference is 14.926602",
    )


def test_derivative_at_the_mean() -> None:
    with sp.evaluate(False):
        start, wrong = (
            batch_mean(sp.Derivative(sigma(zs[i]), zs[i])),
            sp.Subs(sp.Derivative(sigma(z), z), z, batch_mean(zs[i])),
        )
    assert failure(start, wrong, d=SIGMOID) == expected(
        "\\frac{1}{N} \\sum_{i=1}^{N} \\frac{\\partial}{\\partial {z}_{i}} \\sigma{\\left({z}_{i} \\right)}",
        "\\left. \\frac{d}{d z} \\sigma{\\left(z \\right)} \\right|_{\\substack{ z=\\frac{1}{N} \\sum_{i=1}^{N} {z}_{i} }}",
        "symbolic: the difference reduces to - \\frac{1}{2 + e^{\\frac{1}{N} \\sum_{i=1}^{N} {z}_{i}} + e^{- \\frac{1}{N} \\sum_{i=1}^{N} {z}_{i}}} + \\frac{1}{N} \\sum_{i=1}^{N} \\frac{1}{2 + e^{- {z}_{i}} + e^{{z}_{i}}}",
        "fixed N = 1…4: at N = 2 the difference is \\frac{1}{4 + 2 e^{- {z}_{1}} + 2 e^{{z}_{1}}} + \\frac{1}{4 + 2 e^{- {z}_{2}} + 2 e^{{z}_{2}}} - \\frac{1}{2 + e^{\\frac{1}{2} {z}_{1}} e^{\\frac{1}{2} {z}_{2}} + e^{- \\frac{1}{2} {z}_{1}} e^{- \\frac{1}{2} {z}_{2}}}",
        "numeric (5 random exact points at each N = 1…4, 50 digits): at N = 2, {z}_{1} = -13/16, {z}_{2} = -56/3, the difference is 0.10638564",
    )


def test_bound_k_to_n() -> None:
    with sp.evaluate(False):
        start, wrong = (
            sp.Sum(delta[i, k] * h[i, k], (k, 1, K)),
            sp.Sum(delta[i, k] * h[i, k], (k, 1, N)),
        )
    assert failure(start, wrong, d={}) == expected(
        "\\sum_{k=1}^{K} {\\delta}_{i,k} {h}_{i,k}",
        "\\sum_{k=1}^{N} {\\delta}_{i,k} {h}_{i,k}",
        "symbolic: the difference reduces to - \\sum_{k=1}^{N} {\\delta}_{i,k} {h}_{i,k} + \\sum_{k=1}^{K} {\\delta}_{i,k} {h}_{i,k}",
        "fixed K = 1…4, N = 1…4: at K = 1, N = 2 the difference is - {\\delta}_{i,2} {h}_{i,2}",
        "numeric (5 random exact points at each K = 1…4, N = 1…4, 50 digits): at K = 1, N = 2, {\\delta}_{i,2} = -17/5, {h}_{i,2} = 21/16, the difference is 4.4625000",
    )


def test_factor_one_over_k_to_one_over_n() -> None:
    with sp.evaluate(False):
        start, wrong = (
            sp.Mul(1 / K, sp.Sum(delta[i, k], (k, 1, K))),
            sp.Mul(1 / N, sp.Sum(delta[i, k], (k, 1, K))),
        )
    assert failure(start, wrong, d={}) == expected(
        "\\frac{1}{K} \\sum_{k=1}^{K} {\\delta}_{i,k}",
        "\\frac{1}{N} \\sum_{k=1}^{K} {\\delta}_{i,k}",
        "symbolic: the difference reduces to \\frac{1}{K} \\sum_{k=1}^{K} {\\delta}_{i,k} - \\frac{1}{N} \\sum_{k=1}^{K} {\\delta}_{i,k}",
        "fixed K = 1…4: at K = 1 the difference is - \\frac{1}{N} {\\delta}_{i,1} + {\\delta}_{i,1}",
        "numeric (5 random exact points at each K = 1…4, 50 digits): at K = 1, N = 3, {\\delta}_{i,1} = -2, the difference is -1.3333333",
    )


def test_transposed_product() -> None:
    """h δᵀ written as δ hᵀ: the entries (1, 2) and (2, 1) swap."""
    hs = sp.Matrix(sp.symbols("h_1 h_2", real=True))
    ds = sp.Matrix(sp.symbols("d_1 d_2", real=True))
    chain = Derivation("outer product", hs * ds.T, page="mutations")
    with pytest.raises(StepNotProved) as error:
        chain.step(ds * hs.T, "transpose").verify()
    assert str(error.value) == (
        "page 'mutations', derivation 'outer product', step 1 (transpose) is not proved.\n"
        r"  before: \left[\begin{matrix}d_{1} h_{1} & d_{2} h_{1}\\d_{1} h_{2} & d_{2} h_{2}"
        r"\end{matrix}\right]" + "\n"
        r"  after:  \left[\begin{matrix}d_{1} h_{1} & d_{1} h_{2}\\d_{2} h_{1} & d_{2} h_{2}"
        r"\end{matrix}\right]" + "\n"
        "methods tried:\n"
        "  - symbolic: entry (1, 2): the difference reduces to d_{2} h_{1} - d_{1} h_{2}\n"
        "  - fixed sizes: entry (1, 2): no sum has a symbolic bound\n"
        "  - numeric (5 random exact points, 50 digits): entry (1, 2): at d_{1} = -14/3, "
        "d_{2} = -7/2, h_{1} = 2, h_{2} = 35/13, the difference is 5.5641026"
    )


def test_an_exception_inside_a_method_is_that_methods_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """sympy raising (here an empty StopIteration) must not stop the other methods."""

    def raises(_: sp.Basic) -> sp.Basic:
        raise StopIteration

    monkeypatch.setattr(proving, "_TRANSFORMS", (("simplify", raises),))
    with sp.evaluate(False):
        start, wrong = batch_sum(x[i]) ** 2, batch_sum(x[i] ** 2)
    assert failure(start, wrong) == expected(
        r"\left(\sum_{i=1}^{N} {x}_{i}\right)^{2}",
        r"\sum_{i=1}^{N} {x}_{i}^{2}",
        "symbolic: simplify: sympy raised StopIteration: (no message)",
        "fixed N = 1…4: at N = 2 the difference is 2 {x}_{1} {x}_{2}",
        "numeric (5 random exact points at each N = 1…4, 50 digits): at N = 2, "
        "{x}_{1} = 43/5, {x}_{2} = -59/2, the difference is -507.40000",
    )
    # ...and a right step is still proved by the methods that did not raise.
    with sp.evaluate(False):
        square = Derivation("square", batch_sum(x[i]) ** 2)
        square.step(sp.Sum(sp.Sum(x[i] * x[k], (k, 1, N)), (i, 1, N)), "distributivity")
    assert str(square.verify().steps[0].method) == "fixed N = 1…4 (sums expanded)"


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
    assert "  - fixed N = 1…4: at N = 2 the difference is" in message


def test_a_difference_with_nothing_to_substitute_reads_plainly() -> None:
    assert failure(sp.Integer(2), sp.Integer(3)) == expected(
        "2",
        "3",
        "symbolic: the difference reduces to -1",
        "fixed sizes: no sum has a symbolic bound",
        "numeric (5 random exact points, 50 digits): the difference is -1.0000000",
    )


def test_nested_sums_print_distinct_indices() -> None:
    from gradavg.printing import distinct_indices, latex

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
