"""The frozen R reference: Python against it (no R needed), R against its own past.

Both at the harness's one tolerance. The files must read back to exactly the
doubles R printed.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from helpers import by_case

from backprop.r_engine import RSession
from parity import sides
from parity.cases import DEFAULT_CASES, Case, select
from parity.compare import PASS, TOLERANCE, check_case, diff
from parity.sides import REFERENCE_DIR, read_reference, reference_file, run_r

CASE_IDS = [case.name for case in DEFAULT_CASES]


def test_the_reference_holds_exactly_the_default_cases() -> None:
    frozen = {path.name for path in REFERENCE_DIR.iterdir() if path.is_dir()}
    assert frozen == set(CASE_IDS), "run `make reference` after changing cases.csv"
    for case in DEFAULT_CASES:
        assert {p.name for p in (REFERENCE_DIR / case.name).iterdir()} == {
            f"{q}.txt" for q in case.quantities()
        }
    assert "R version" in (REFERENCE_DIR / "R_VERSION.txt").read_text()


@pytest.mark.parametrize("case", DEFAULT_CASES, ids=CASE_IDS)
def test_every_value_reads_back_to_the_double_r_printed(case: Case) -> None:
    """%.17g names one double; printing what we read must give R's text back."""
    for q in case.quantities():
        lines = reference_file(case, q).read_text().splitlines()[1:]
        assert lines == [f"{float(line):.17g}" for line in lines], q


@pytest.mark.parametrize("case", DEFAULT_CASES, ids=CASE_IDS)
def test_the_reference_has_the_case_shapes(case: Case) -> None:
    frozen = read_reference(case)
    sizes = case.sizes()  # (D, *hidden, K)
    if case.model == "nnet":  # nnet's weights, as a vector and as the lecture's matrices
        D, H, K = sizes
        assert frozen["wts"].shape == frozen["wts_init"].shape == ((D + 1) * H + (H + 1) * K,)
        assert frozen["W_1"].shape == (D, H) and frozen["W_2"].shape == (H, K)
        return
    for k in range(1, len(sizes)):
        W = (sizes[k - 1], sizes[k])
        assert frozen[f"W_{k}"].shape == frozen[f"W_{k}_init"].shape == W
        if case.bias:
            assert frozen[f"B_{k}"].shape == frozen[f"B_{k}_init"].shape == (1, sizes[k])
            assert not frozen[f"B_{k}_init"].any()  # biases start at zero
    assert frozen["Y_hat"].shape[1] == sizes[-1]
    if case.optimizer == "bfgs":  # J at every evaluation: as many as counts says
        assert frozen["cost_history"].shape == (frozen["counts"][0],)
    else:
        assert frozen["cost_history"].shape == (case.iterations,)


@pytest.mark.parametrize("case", by_case(DEFAULT_CASES))
def test_python_matches_the_frozen_r_reference(case: Case) -> None:
    report = check_case(case, r=read_reference)
    assert [row.status for row in report.rows] == [PASS] * len(case.quantities())
    assert report.status == PASS


@pytest.mark.parametrize("case", by_case(DEFAULT_CASES))
def test_live_r_matches_its_frozen_past(case: Case, r_session: RSession) -> None:
    frozen, live = read_reference(case), run_r(case)
    assert sorted(live) == sorted(case.quantities())  # R returns exactly these
    for q in case.quantities():
        d = diff(frozen[q], live[q], TOLERANCE)
        assert d.within, f"{q}: {d}"


def test_r_reads_the_files_as_python_does(r_session: RSession) -> None:
    """R's own parser of the files gives the same doubles, bit for bit."""
    for case in [*DEFAULT_CASES[:3], *select(["depth_3_adam", "loss_ce_softmax"])]:
        for q in case.quantities():
            path = reference_file(case, q)
            by_r = r_session.call("scan", str(path), skip=1, quiet=True)
            by_python = read_reference(case)[q].ravel(order="F")
            assert by_r.tobytes() == np.ascontiguousarray(by_python).tobytes(), (case.name, q)


def test_the_exact_check_knows_when_bit_identity_is_not_expected(monkeypatch) -> None:
    """The frozen reference's provenance decides whether its bits can be met here."""
    made_with = sides.reference_provenance()
    assert set(made_with) == {"R", "BLAS", "LAPACK", "libc"}
    like_here = {**made_with, "libc": os.confstr("CS_GNU_LIBC_VERSION")}
    monkeypatch.setattr(sides, "reference_provenance", lambda: like_here)
    assert sides.frozen_bits_unexpected() == ""
    monkeypatch.setattr(sides, "reference_provenance", lambda: {**made_with, "libc": "glibc 2.17"})
    assert "written with glibc 2.17; this is glibc" in sides.frozen_bits_unexpected()
    openblas = {**made_with, "BLAS": "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"}
    monkeypatch.setattr(sides, "reference_provenance", lambda: openblas)
    assert "written with BLAS /usr/lib/x86_64-linux-gnu/openblas" in sides.frozen_bits_unexpected()
