"""The harness can fail: wrong ports are reported as FAIL, and the CLI exits 1."""

from __future__ import annotations

import json

import numpy as np
import pytest
from wrong_ports import (
    changed_sigmoid,
    cost_without_the_half,
    leaky_relu_prime_without_alpha,
    momentum_without_damping,
    other_seed,
    tanh_prime_without_the_square,
    transposed_W_1,
    without_B_1,
)

from parity.__main__ import main
from parity.cases import DEFAULT_CASES, Case, select
from parity.compare import FAIL, PASS, check_case, is_trained
from parity.sides import Result, Runner, run_python

pytestmark = pytest.mark.usefixtures("r_session")

QUANTITIES = DEFAULT_CASES[0].quantities()
TRAINED_FAIL = {"W_1": FAIL, "W_2": FAIL, "Y_hat": FAIL, "cost_history": FAIL}
INIT_PASS = {"W_1_init": PASS, "W_2_init": PASS}
EVERY = dict.fromkeys(QUANTITIES, PASS)


@pytest.mark.parametrize(
    ("port", "statuses"),
    [
        (changed_sigmoid, TRAINED_FAIL | INIT_PASS),
        (cost_without_the_half, EVERY | {"cost_history": FAIL}),
        (transposed_W_1, EVERY | {"W_1": FAIL}),
        (other_seed, dict.fromkeys(QUANTITIES, FAIL)),
    ],
    ids=lambda p: getattr(p, "__name__", ""),
)
def test_a_wrong_port_fails_on_exactly_what_it_broke(port: Runner, statuses: dict) -> None:
    report = check_case(DEFAULT_CASES[0], python=port)
    assert {row.quantity: row.status for row in report.rows} == statuses
    assert report.status == FAIL
    assert not report.ill_conditioned  # a wrong port cannot pass itself off as chaos


@pytest.mark.parametrize(
    ("port", "name"),
    [
        (tanh_prime_without_the_square, "act_tanh"),
        (momentum_without_damping, "opt_momentum"),
        (leaky_relu_prime_without_alpha, "act_leaky_relu"),
    ],
    ids=lambda p: getattr(p, "__name__", p),
)
def test_a_wrong_model_piece_fails_every_trained_quantity(port: Runner, name: str) -> None:
    """A wrong derivative or update rule in backprop moves every trained quantity, not the start."""
    (case,) = select([name])
    report = check_case(case, python=port)
    statuses = {row.quantity: row.status for row in report.rows}
    assert statuses == {q: FAIL if is_trained(q) else PASS for q in case.quantities()}
    assert report.status == FAIL and not report.ill_conditioned
    assert report.horizon < 5  # they part within the first few updates
    worst = max(row.diff.max_rel or 0.0 for row in report.rows)
    assert worst > 1e-3  # by far more than rounding


def test_a_missing_bias_is_a_failure_not_skipped() -> None:
    (case,) = select(["bias_1"])
    report = check_case(case, python=without_B_1)
    rows = {row.quantity: row for row in report.rows}
    assert rows["B_1"].status == FAIL and rows["B_1"].diff.shape_actual is None
    assert [q for q, row in rows.items() if row.status == FAIL] == ["B_1"]
    assert report.status == FAIL


def test_an_extra_quantity_is_a_failure(capsys: pytest.CaptureFixture) -> None:
    def with_a_bias(case: Case) -> Result:
        return {**run_python(case), "B_1": np.zeros((1, 3))}

    assert main(["--case", "one_iteration"], python=with_a_bias) == 1
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[2:-2]]
    assert [row[-1] for row in rows] == [PASS] * 6 + [FAIL]
    assert rows[-1][:5] == ["one_iteration", "B_1", "missing", "vs", "1x3"]


def test_a_transposed_matrix_is_a_shape_failure_not_fixed() -> None:
    row = check_case(DEFAULT_CASES[0], python=transposed_W_1).rows[0]
    assert (row.quantity, row.diff.shape_expected, row.diff.shape_actual) == ("W_1", (2, 3), (3, 2))
    assert row.diff.max_abs is None


def test_the_cli_exits_1_and_says_fail_for_a_wrong_port(capsys: pytest.CaptureFixture) -> None:
    assert main(["--case", "lecture", "--case", "one_iteration"], python=changed_sigmoid) == 1
    out = capsys.readouterr().out
    failed = [line.split()[:2] for line in out.splitlines() if line.endswith(" FAIL")]
    assert failed == [[case, q] for case in ("lecture", "one_iteration") for q in TRAINED_FAIL]
    assert "lecture: FAIL: R and Python cost histories agree up to iteration 0 of 10000" in out
    assert "2 cases: 0 pass, 2 fail, 0 ill-conditioned" in out


def test_the_cli_json_shows_the_shape_failure(capsys: pytest.CaptureFixture) -> None:
    assert main(["--case", "lecture", "--json"], python=transposed_W_1) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    w_1 = report["cases"][0]["quantities"][0]
    assert (w_1["shape_r"], w_1["shape_python"], w_1["status"]) == ([2, 3], [3, 2], FAIL)
