"""Live R against Python on every default case, through the harness."""

from __future__ import annotations

import pytest
from helpers import by_case

from backprop.r_engine import RSession
from parity.cases import DEFAULT_CASES, Case
from parity.compare import PASS, TOLERANCE, check_case

pytestmark = pytest.mark.usefixtures("r_session")


@pytest.mark.parametrize("case", by_case(DEFAULT_CASES))
def test_r_and_python_agree_and_the_case_is_well_conditioned(case: Case) -> None:
    report = check_case(case)
    assert not report.ill_conditioned
    costs = len(report.python.get("cost_history", ()))  # iterations (bfgs: evaluations; nnet: 0)
    assert report.horizon == costs  # the cost histories agree all the way
    assert [row.quantity for row in report.rows] == list(case.quantities())
    assert [row.status for row in report.rows] == [PASS] * len(case.quantities())
    assert report.status == PASS
    for row in report.rows:  # the margin a default case must keep to the tolerance
        assert row.diff.max_rel is not None and row.diff.max_rel < TOLERANCE.rtol / 10
        assert row.sensitivity < TOLERANCE.rtol / 10


@pytest.mark.parametrize("case", by_case(c for c in DEFAULT_CASES if c.model == "nnet"))
def test_nnet_and_its_twin_agree_to_zero_ulps(case: Case) -> None:
    """Python's nnet does R's nnet's arithmetic (libm's exp, x * x, its C loops): every
    number of every nnet case is R's, bit for bit."""
    report = check_case(case)
    assert {row.quantity: row.diff.max_ulps for row in report.rows} == dict.fromkeys(
        case.quantities(), 0
    )


def test_the_lecture_agrees_to_a_few_ulps(r_session: RSession) -> None:
    """Measured: weights and Y_hat within 1e-14 relative, exact initial weights.

    The cost history's tail is a sum of squared residuals of about 1e-4, so
    its own rounding (and its one-ulp sensitivity) is about 5e-12 relative.
    """
    rows = {row.quantity: row for row in check_case(DEFAULT_CASES[0]).rows}
    assert rows["W_1_init"].diff.max_ulps == rows["W_2_init"].diff.max_ulps == 0
    for q in ("W_1", "W_2", "Y_hat"):
        assert rows[q].diff.max_rel < 1e-13, q
        assert rows[q].diff.max_ulps < 100, q
    assert rows["cost_history"].diff.max_rel < 2e-11
    assert rows["cost_history"].diff.max_abs < 1e-16


@pytest.mark.parametrize("case", by_case(DEFAULT_CASES))
def test_the_initial_parameters_are_the_same_doubles(case: Case) -> None:
    """Both draw from R's generator (runif, rnorm) in the same order: 0 ulps apart."""
    rows = [row for row in check_case(case).rows if row.quantity.endswith("_init")]
    expected = 1 if case.model == "nnet" else (case.depth + 1) * (2 if case.bias else 1)
    assert len(rows) == expected  # nnet: its one vector, wts_init
    assert all(row.diff.max_ulps == 0 for row in rows)
