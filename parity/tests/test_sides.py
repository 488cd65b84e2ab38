"""The Python sides of the harness: the nudge, the cache and the frozen files (no R needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from backprop.fit import fit_file
from parity.cases import Case, select
from parity.compare import ulp_distance
from parity.sides import initial_parameters, nudge, read_array, run_nudged, run_python

LECTURE = select(["lecture"])[0]
DEEP = select(["depth_3_adam"])[0]  # three hidden layers with bias


@pytest.mark.parametrize("case", [LECTURE, DEEP], ids=lambda case: case.name)
def test_the_python_side_is_the_ports_fit_file(case: Case) -> None:
    fitted = fit_file(case.data_path, case.target, **case.fit_args()).result
    assert list(run_python(case)) == list(case.quantities())
    assert sorted(fitted) == sorted(case.quantities())
    assert all(np.array_equal(run_python(case)[q], fitted[q]) for q in fitted)


@pytest.mark.parametrize("case", [LECTURE, DEEP], ids=lambda case: case.name)
def test_nudge_moves_every_weight_by_exactly_one_ulp(case: Case) -> None:
    start = initial_parameters(run_python(case))
    assert list(start) == [q.removesuffix("_init") for q in case.quantities() if "_init" in q]
    nudged = nudge(start)
    for name, P in start.items():
        if name.startswith("W_"):
            assert (ulp_distance(P, nudged[name]) == 1).all() and (nudged[name] > P).all()
        else:  # zeros stay: one ulp of 0 vanishes in any sum
            assert nudged[name] is P


@pytest.mark.parametrize("case", [LECTURE, DEEP], ids=lambda case: case.name)
def test_the_nudged_rerun_starts_from_the_nudge_and_moves_only_by_rounding(case: Case) -> None:
    rerun, trained = run_nudged(case), run_python(case)
    start = nudge(initial_parameters(trained))
    assert all(np.array_equal(rerun[f"{name}_init"], P) for name, P in start.items())
    assert not np.array_equal(rerun["W_1"], trained["W_1"])
    np.testing.assert_allclose(rerun["W_1"], trained["W_1"], rtol=1e-12, atol=0)


def test_cached_results_cannot_be_changed() -> None:
    with pytest.raises(ValueError, match="read-only"):
        run_python(LECTURE)["W_1"][0, 0] = 0.0
    with pytest.raises(ValueError, match="read-only"):
        run_python(DEEP)["B_1"][0, 0] = 0.0


def test_read_array_fills_by_column_as_r_does(tmp_path: Path) -> None:
    path = tmp_path / "W.txt"
    path.write_text("dim 2 3\n1\n2\n3\n4\n5\n6\n")
    assert np.array_equal(read_array(path), [[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]])
    path.write_text("dim 0\n")
    assert read_array(path).shape == (0,)


def test_read_array_refuses_a_file_without_its_dimensions(tmp_path: Path) -> None:
    path = tmp_path / "W.txt"
    path.write_text("1\n2\n")
    with pytest.raises(ValueError, match="first line must be 'dim'"):
        read_array(path)
