"""The case list: one file, read the same way by Python and by R."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

from parity.cases import CASES_FILE, DEFAULT_CASES, Case, read_cases, select
from parity.r_session import RSession

MAKE_REFERENCE = CASES_FILE.parent / "make_reference.R"


def test_the_lecture_comes_first_as_on_the_slides() -> None:
    lecture = DEFAULT_CASES[0]
    assert (lecture.name, lecture.data) == ("lecture", "data/lecture.csv")
    assert lecture.train_args() == {"hidden": 3, "seed": 1, "iterations": 10000, "step": 5.0}


def test_the_cases_cover_seeds_sizes_steps_and_both_data_sets() -> None:
    seeds = {case.seed for case in DEFAULT_CASES}
    assert {0, -1, 2147483647, -2147483647} <= seeds
    assert set(range(1, 9)) <= {case.hidden for case in DEFAULT_CASES}
    assert {0, 1} <= {case.iterations for case in DEFAULT_CASES}
    assert len({case.step for case in DEFAULT_CASES}) >= 4
    study = [case for case in DEFAULT_CASES if case.data == "data/study.csv"]
    assert len(study) >= 3
    assert all(case.data_path.is_file() for case in DEFAULT_CASES)


def test_fields_have_their_types() -> None:
    for case in DEFAULT_CASES:
        assert [type(v) for v in case.train_args().values()] == [int, int, int, float]


def test_select_keeps_the_order_asked_and_rejects_unknown_names() -> None:
    assert [c.name for c in select(["seed_0", "lecture"])] == ["seed_0", "lecture"]
    assert select([]) == DEFAULT_CASES
    with pytest.raises(ValueError, match="unknown case.*nope.*known: lecture"):
        select(["nope"])


def test_a_missing_column_takes_the_default(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("name,data,hidden,seed,iterations,step\nx,data/lecture.csv,2,3,4,0.5\n")
    assert read_cases(path) == (Case("x", "data/lecture.csv", 2, 3, 4, 0.5),)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("x,d,2,3,4,0.5,\nx,d,2,3,4,0.5,\n", "unique; repeated: x"),
        ("x,d,2.5,3,4,0.5,\n", "bad case 'x'"),
        ("x/y,d,2,3,4,0.5,\n", "case name must match"),
    ],
)
def test_bad_case_files_are_refused(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("name,data,hidden,seed,iterations,step,why\n" + body)
    with pytest.raises(ValueError, match=message):
        read_cases(path)


def test_an_unknown_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("name,data,hidden,seed,iterations,step,lr\nx,d,2,3,4,0.5,1\n")
    with pytest.raises(ValueError, match=r"unknown column\(s\) \['lr'\]"):
        read_cases(path)


def test_r_reads_the_same_cases_as_python(r_session: RSession) -> None:
    r_session.call("sys.source", str(MAKE_REFERENCE), envir=r_session.env)
    r_cases = r_session.call("read_cases", str(CASES_FILE))
    assert {r_cases.dtype[k].kind for k in ("hidden", "seed", "iterations")} == {"i"}
    as_r_reads = [Case(**{k: row[k].item() for k in r_cases.dtype.names}) for row in r_cases]
    assert [asdict(case) for case in as_r_reads] == [asdict(case) for case in DEFAULT_CASES]
