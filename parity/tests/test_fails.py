"""The harness can fail: wrong ports are reported as FAIL, and the CLI exits 1."""

from __future__ import annotations

import json

import pytest
from wrong_ports import changed_sigmoid, cost_without_the_half, other_seed, transposed_W_1

from parity.__main__ import main
from parity.cases import DEFAULT_CASES
from parity.compare import FAIL, PASS, check_case
from parity.sides import QUANTITIES, Runner

pytestmark = pytest.mark.usefixtures("r_session")

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
