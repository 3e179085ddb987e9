"""The command line: the book's counterexamples for the user's own numbers."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest

from gradavg import activations, regression, shortcuts
from gradavg.accumulation import accumulation_weights
from gradavg.activations import averaging_gap
from gradavg.cli import main
from gradavg.scaling import expected_squared_norm, gradient_noise


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_activation_prints_the_sigmoid_counterexample(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "activation", "0", "1", "--digits", "8")
    gap = averaging_gap([0.0, 1.0])
    assert f"{gap.mean_of_derivative:.8f}" in out
    assert f"{gap.derivative_at_mean:.8f}" in out
    assert "mean of sigmoid' < sigmoid' of the mean" in out


def test_activation_reverses_in_the_convex_region(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "activation", "2", "4")
    assert "mean of sigmoid' > sigmoid' of the mean" in out


def test_activation_choice(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "activation", "-1", "3", "--activation", "tanh")
    assert f"{averaging_gap([-1.0, 3.0], 'tanh').gap:+.6e}" in out


def test_regression_table_matches_the_package(capsys: pytest.CaptureFixture[str]) -> None:
    x, y, theta = [1.0, 2.0, 3.0], [2.0, 4.0, 7.0], np.array([0.5, 0.0])
    out = run(capsys, "regression", "--x", "1", "2", "3", "--y", "2", "4", "7",
              "--slope", "0.5", "--intercept", "0")  # fmt: skip
    rows = {
        line[:38].strip(): [float(v) for v in line[38:].split()] for line in out.splitlines()[1:]
    }
    batch = regression.batch_gradient(theta, x, y)
    shortcut = shortcuts.averaged_input_gradient(theta, x, y)
    np.testing.assert_allclose(rows["batch gradient (mean of per-example)"], batch, atol=1e-6)
    np.testing.assert_allclose(rows["gradient at the averaged example"], shortcut, atol=1e-6)
    np.testing.assert_allclose(rows["difference"], rows["2 (Cov(x, y) - m Var(x)), 0"], atol=1e-6)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["activation", "abc"], r"argument points: 'abc' is not a number"),
        (["activation", "nan"], r"argument points: 'nan' is not a number \(NaN\)"),
        (["activation", "1", "--activation", "softplus"], r"argument --activation: invalid choice"),
        (["activation", "1", "--digits", "40"], r"argument --digits: must be between 1 and 17"),
        (["regression", "--x", "1", "2", "--y", "1", "--slope", "1", "--intercept", "0"],
         r"batch sizes differ: --x has 2, --y has 1"),
        (["regression", "--x", "1", "--y", "1", "--slope", "1"], r"--intercept"),
        ([], r"required: command"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_naming_the_argument(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert re.search(message, capsys.readouterr().err)


def test_installed_entry_point_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gradavg.cli", "activation", "0", "1"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "sigmoid' at the mean input" in done.stdout


def test_accumulation_table_matches_the_package(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "accumulation", "--counts", "7", "3", "1.2e1", "--digits", "8")
    rows = [line.split() for line in out.splitlines()[1:4]]
    weights = accumulation_weights([7, 3, 12])
    assert [int(r[1]) for r in rows] == [7, 3, 12]
    np.testing.assert_allclose([float(r[2]) for r in rows], weights.naive, atol=1e-8)
    np.testing.assert_allclose([float(r[3]) for r in rows], weights.correct, atol=1e-8)
    np.testing.assert_allclose([float(r[4]) for r in rows], [22 / 21, 22 / 9, 22 / 36], atol=1e-8)
    assert "N = 22 in Q = 3 micro-batches" in out


def test_accumulation_equal_counts_are_exact(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "accumulation", "--counts", "4", "4", "--digits", "3")
    assert [line.split()[-1] for line in out.splitlines()[1:3]] == ["1.000", "1.000"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--counts", "7", "-3"], r"counts\[1\] must be positive, got -3"),
        (["--counts", "7", "-1e3"], r"counts\[1\] must be positive, got -1000"),
        (["--counts", "2.5"], r"counts\[0\] must be a whole number, got 2.5"),
        (["--counts", "0"], r"counts\[0\] must be positive, got 0"),
        (["--counts", "x"], r"argument --counts: 'x' is not a number"),
        (["--counts", "1", "nan"], r"argument --counts: 'nan' is not a number \(NaN\)"),
        ([], r"the following arguments are required: --counts"),
    ],
)
def test_accumulation_bad_input_exits_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["accumulation", *argv])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert re.search(message, err)
    assert "Traceback" not in err


# Bad input gets a clear one-line error (exit 2, no traceback, no RuntimeWarning), never a
# silent NaN or inf; one test per case of the issue.


ERROR = re.compile(r"gradavg(?: \w+)?: error: (.*)")


def fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run ``main`` on bad input; return the one-line message after "gradavg …: error: "."""
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    assert "Warning" not in captured.err
    (message,) = [found[1] for line in captured.err.splitlines() if (found := ERROR.match(line))]
    return message


@pytest.mark.parametrize(
    "argv",
    [
        ["activation", "-1e3", "0"],
        ["activation", "0", "-1E+3"],
        ["activation", "-.5e-1", "0", "--activation", "tanh"],
        ["regression", "--x", "-1e3", "2", "--y", "1", "-2.5e1", "--slope", "-1e-1",
         "--intercept", "-2E0"],
    ],
)  # fmt: skip
def test_negative_scientific_notation_is_a_number_in_every_subcommand(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    out = run(capsys, *argv)  # exit 0: no "unrecognized arguments"
    assert "' at the mean input" in out or "dJ/dm" in out


def test_negative_scientific_notation_gives_the_same_numbers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, "activation", "-1e3", "0") == run(capsys, "activation", "-1000", "0")


def test_negative_infinity_is_refused_as_a_value_not_a_flag(
    capsys: pytest.CaptureFixture[str],
) -> None:
    message = fails(capsys, "activation", "1", "-inf")
    assert message == "argument points: '-inf': an infinite value has no gradient"


def test_activation_mean_overflow_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    message = fails(capsys, "activation", "1e308", "1e308")
    assert message == "the mean of points overflows float64: the values are too large"


def test_regression_gradient_overflow_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    message = fails(capsys, "regression", "--x", "1e200", "2e200", "--y", "1", "2",
                    "--slope", "1", "--intercept", "0")  # fmt: skip
    assert re.fullmatch(
        r"the batch gradient at --slope/--intercept, --x and --y overflows float64: .*", message
    )


def test_regression_large_numbers_print_in_scientific_notation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = run(capsys, "regression", "--x", "1e7", "-2e7", "--y", "1", "2",
              "--slope", "1", "--intercept", "0")  # fmt: skip
    lines = out.splitlines()
    assert len({len(line) for line in lines}) == 1  # the columns stay aligned
    cells = [line[38:].split() for line in lines[1:]]
    assert all(len(row) == 2 for row in cells)  # neighbouring numbers do not run together
    assert cells[0][0] == "5.000000e+14"
    assert "e+" in cells[2][0]
    batch = regression.batch_gradient([1.0, 0.0], [1e7, -2e7], [1.0, 2.0])
    np.testing.assert_allclose([float(v) for v in cells[0]], batch, rtol=1e-6)


def test_digits_0_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    message = fails(capsys, "activation", "0", "1", "--digits", "0")
    assert message == "argument --digits: must be between 1 and 17, got 0"


def test_no_negative_zero_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    # The batch gradient is (-0.02, -0.01): with one decimal it rounds to 0.0, not -0.0.
    out = run(capsys, "regression", "--x", "1", "2", "--y", "1", "2.01",
              "--slope", "1", "--intercept", "0", "--digits", "1")  # fmt: skip
    assert "-0.0" not in out
    assert out.splitlines()[1].split()[-2:] == ["0.0", "0.0"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["activation", "1+2j"], r"argument points: '1\+2j' is not a number"),
        (["regression", "--x", "1", "2", "--y", "1", "nan", "--slope", "1", "--intercept", "0"],
         r"argument --y: 'nan' is not a number \(NaN\)"),
        (["regression", "--x", "1", "--y", "1", "--slope", "inf", "--intercept", "0"],
         r"argument --slope: 'inf': an infinite value has no gradient"),
        (["regression", "--x", "1", "1e400", "--y", "1", "2", "--slope", "1", "--intercept", "0"],
         r"argument --x: 1e400 is too large for a float \(the largest is about 1.8e308\)"),
        (["accumulation", "--counts", "1e20", "1"],
         r"counts\[0\] must be at most 2\*\*53 = 9,007,199,254,740,992 \(.*\), got 1e\+20"),
        (["accumulation", "--counts", *["4e15"] * 3],
         r"counts must add up to at most 2\*\*53 = 9,007,199,254,740,992, got 1.2e\+16"),
    ],
)  # fmt: skip
def test_cli_names_the_argument_as_typed(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert re.fullmatch(message + ".*", fails(capsys, *argv))


def test_a_refused_negative_number_is_quoted_as_typed(capsys: pytest.CaptureFixture[str]) -> None:
    message = fails(capsys, "activation", "0", "1", "--digits", "-1e3")
    assert message == "argument --digits: invalid int value: '-1e3'"


def test_batch_size_scales_the_step_by_each_rule(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "batch-size", "--eta", "0.1", "--from", "256", "--to", "1024")
    assert "linear rule, SGD:       0.400000" in out
    assert "square-root rule, Adam: 0.200000" in out
    assert "heuristic" in out


def test_noise_scale_recovers_the_package_value(capsys: pytest.CaptureFixture[str]) -> None:
    x, y, theta = np.array([0.0, 1.0, 2.0, 4.0]), np.array([1.0, 0.5, 3.0, 2.0]), [0.2, 0.1]
    norms = [expected_squared_norm(theta, x, y, n, replace=True) for n in (1, 3)]
    out = run(
        capsys, "noise-scale", "--sizes", "1", "3", "--norms", *map(repr, norms), "--digits", "9"
    )
    expected = gradient_noise(theta, x, y).noise_scale
    (printed,) = re.findall(r"noise scale tr Sigma / \|G\|\^2:\s+(\S+)", out)
    assert float(printed) == pytest.approx(expected, rel=1e-8)


def test_noise_scale_says_when_the_estimate_is_unusable(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "noise-scale", "--sizes", "1", "4", "--norms", "1", "3")
    assert "Not a usable estimate" in out


def test_precision_shows_the_float16_mean_three_ways(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "precision", "--loss", "20", "--count", "4096")
    assert re.search(r"the exact sum exceeds it from N:\s+3276", out)
    assert re.search(r"a float16 running sum is inf from N:\s+2969", out)
    assert re.search(r"sum then divide, in float16:\s+inf", out)
    assert re.search(r"divide then sum, in float16:\s+16\n", out)
    assert re.search(r"either, accumulated in float32:\s+20\n", out)
    assert re.search(r"a sum of ones stops growing at:\s+2048", out)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["batch-size", "--eta", "0", "--from", "2", "--to", "4"], "--eta must be positive"),
        (["batch-size", "--eta", "1", "--from", "2.5", "--to", "4"], "--from must be a whole"),
        (["noise-scale", "--sizes", "4", "1", "--norms", "1", "2"], "the first of --sizes"),
        (
            ["noise-scale", "--sizes", "1", "4", "--norms", "nan", "2"],
            "argument --norms: 'nan' is not a number",
        ),
        (["precision", "--loss", "-1", "--count", "3"], "--loss must be positive"),
        (["precision", "--loss", "1", "--count", "1e9"], "--count must be at most"),
        (["precision", "--loss", "1", "--count", "3", "--format", "int8"], "invalid choice"),
    ],
)
def test_new_subcommands_name_bad_input(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_an_error_found_after_parsing_prints_the_subcommands_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["accumulation", "--counts", "1.5"])
    err = capsys.readouterr().err
    assert err.startswith("usage: gradavg accumulation ")
    assert "gradavg accumulation: error: counts[0] must be a whole number, got 1.5" in err


def test_small_numbers_keep_their_significant_digits(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "activation", "-1e3", "5")
    at_mean = out.splitlines()[2].split()[-1]
    assert at_mean == "8.679511e-217"  # sigma' at -497.5, not 0.000000
    assert float(at_mean) == pytest.approx(float(activations.sigmoid_prime(-497.5)), rel=1e-6)


def test_many_inputs_are_not_all_echoed(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "activation", *[str(i) for i in range(100_000)])
    first = out.splitlines()[0]
    assert first.endswith("0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … (100,000 inputs)")
    assert max(len(line) for line in out.splitlines()) < 120


def test_relu_says_what_it_takes_at_zero(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "activation", "--activation", "relu", "-1", "1")  # the mean is 0
    assert "relu' at the mean input:       0.000000" in out
    assert out.splitlines()[-1].startswith("relu'(0) is taken as 0, as PyTorch and JAX take it")
    assert "taken as 0" not in run(capsys, "activation", "--activation", "relu", "1", "2")
