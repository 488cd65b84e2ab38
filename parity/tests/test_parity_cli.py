"""``python -m parity`` as `make parity` runs it: table, JSON, plot, exit codes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from helpers import run_module

from parity.__main__ import main
from parity.cases import CASES_FILE

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.usefixtures("r_session")
def test_the_table_has_a_row_per_case_and_quantity_and_exit_0() -> None:
    done = run_module("parity", "--case", "lecture", "--case", "zero_iterations")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "rtol 1e-10, atol 1e-15" in lines[0]
    assert (
        lines[1].split()
        == "case quantity shape max|diff| max rel max ulps 1-ulp rel status".split()
    )
    rows = [line.split() for line in lines[2:-1]]
    assert [row[:3] for row in rows[:2]] == [["lecture", "W_1", "2x3"], ["lecture", "W_2", "3x1"]]
    assert rows[5][:3] == ["lecture", "cost_history", "10000"]
    assert len(rows) == 12 and all(row[-1] == "PASS" for row in rows)
    assert lines[-1].startswith(
        "2 cases: 2 pass, 0 fail, 0 ill-conditioned (rtol 1e-10, atol 1e-15); on R's "
        "arithmetic (backprop.rarith): 2 of 2 EXACT (0 ulps in every quantity) in "
    )


@pytest.mark.usefixtures("r_session")
def test_a_case_not_exact_on_rs_arithmetic_fails_make_parity(monkeypatch, capsys) -> None:
    """A planted slip in R's arithmetic (numpy's pairwise sum for R's long-double one):
    still within the tolerance, no longer EXACT, and make parity fails."""
    import backprop.rarith
    import parity.__main__
    from parity.sides import run_python_r

    monkeypatch.setattr(backprop.rarith, "rsum", lambda x, na_rm=False: float(np.sum(x)))
    uncached = run_python_r.__wrapped__  # neither an earlier result nor this one is cached
    monkeypatch.setattr(parity.__main__, "run_python_r", uncached)
    assert main(["--case", "lecture"]) == 1
    out = capsys.readouterr().out
    assert "lecture: not EXACT on R's arithmetic" in out and "0 of 1 EXACT" in out
    assert main(["--case", "lecture", "--numpy-only"]) == 0  # the tolerance alone still holds


@pytest.mark.usefixtures("r_session")
def test_the_chaotic_case_agrees_for_every_iteration_on_rs_arithmetic() -> None:
    """study.csv at step 10 parts from R after iteration ~700 on numpy's arithmetic
    (ILL-COND); on R's, all 2,000 costs are R's to the last bit."""
    from test_detector import CHAOTIC

    from parity.compare import check_case
    from parity.sides import run_python_r

    report = check_case(CHAOTIC, exact=run_python_r)
    assert report.ill_conditioned and report.exact
    costs = run_python_r(CHAOTIC)["cost_history"]
    assert len(costs) == 2000


@pytest.mark.usefixtures("r_session")
def test_json_is_one_object_and_plot_writes_the_lecture_costs(tmp_path: Path) -> None:
    done = run_module("parity", "--case", "lecture", "--json", "--plot", str(tmp_path))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True and report["tolerance"] == {"rtol": 1e-10, "atol": 1e-15}
    (lecture,) = report["cases"]
    assert (lecture["case"], lecture["status"], lecture["horizon"]) == ("lecture", "PASS", 10000)
    w_1 = lecture["quantities"][0]
    assert w_1["quantity"] == "W_1" and w_1["shape_r"] == w_1["shape_python"] == [2, 3]
    assert 0 < w_1["max_rel"] < 1e-13 and isinstance(w_1["max_ulps"], int)
    plot = tmp_path / "parity_lecture_cost.png"
    assert plot.read_bytes().startswith(PNG)
    assert f"wrote {plot}" in done.stderr


@pytest.mark.usefixtures("r_session")
def test_plot_runs_the_lecture_even_when_not_selected(tmp_path: Path) -> None:
    assert main(["--case", "zero_iterations", "--plot", str(tmp_path / "figs")]) == 0
    assert (tmp_path / "figs" / "parity_lecture_cost.png").read_bytes().startswith(PNG)


def test_without_r_one_line_on_stderr_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "rpy2").mkdir()  # an rpy2 that cannot be imported, first on the path
    (tmp_path / "rpy2" / "__init__.py").write_text("raise ImportError('no rpy2 here')\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = run_module("parity", "--case", "lecture", env=env)
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("python -m parity: error: ") and "apt-get install r-base-core" in line
    assert "Traceback" not in done.stderr


def test_an_unknown_case_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--case", "nope"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("python -m parity: error: unknown case(s) nope; known: lecture, zero_")
    assert err.count("\n") == 1  # no usage block


@pytest.mark.parametrize("repeats", ["0", "-3", "x", "1.5"])
def test_bench_refuses_a_bad_repeats_in_one_line(repeats: str) -> None:
    done = run_module("parity.bench", "--repeats", repeats)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"python -m parity.bench: error: argument --repeats: must be a whole number >= 1; "
        f"got {repeats!r}\n"
    )


HEADER, LECTURE = CASES_FILE.read_text().splitlines()[:2]  # the lecture's row
BROKEN_CASES = {  # a cases file -> what the one line says
    "empty": ("", "holds no cases: nothing would be checked"),
    "header only": (HEADER, "holds no cases: nothing would be checked"),
    "truncated row": (
        f"{HEADER}\n{','.join(LECTURE.split(',')[:12])}",
        "line 2: 12 fields where the header names 30",
    ),
    "mistyped": (
        f"{HEADER}\n{LECTURE.replace('numeric,,,,', 'numeric,,,ten,', 1)}",  # iterations
        "line 2: bad case 'lecture'",
    ),
    "missing data": (
        f"{HEADER}\n{LECTURE.replace('data/lecture.csv', 'data/gone.csv')}",
        "line 2: case 'lecture' names data/gone.csv, which does not exist",
    ),
    "repeated": (f"{HEADER}\n{LECTURE}\n{LECTURE}", "repeated: lecture"),
    "not UTF-8": ("\xff\xfe", "cannot read the cases file"),
}


@pytest.mark.parametrize("broken", BROKEN_CASES)
def test_a_cases_file_that_checks_nothing_or_cannot_be_read_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], broken: str
) -> None:
    text, message = BROKEN_CASES[broken]
    cases = tmp_path / "cases.csv"
    cases.write_bytes(f"{text}\n".encode("latin-1") if text else b"")
    with pytest.raises(SystemExit) as exit_:
        main(["--cases", str(cases)])
    out, err = capsys.readouterr()
    assert (exit_.value.code, out, err.count("\n")) == (2, "", 1), err
    assert err.startswith("python -m parity: error: ") and str(cases) in err, err
    assert message in err, err


@pytest.mark.usefixtures("r_session")
def test_a_cases_file_of_ones_own_runs_its_cases(tmp_path: Path) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_text(f"{HEADER}\n{LECTURE.replace('lecture,', 'mine,', 1)}\n")
    done = run_module("parity", "--cases", str(cases), "--numpy-only", "--json")
    assert done.returncode == 0, done.stderr
    assert [case["case"] for case in json.loads(done.stdout)["cases"]] == ["mine"]


@pytest.mark.usefixtures("r_session")
def test_cases_checked_in_parallel_report_as_in_one_process() -> None:
    """--jobs 2: each worker its own R; the same rows, in the cases' order."""
    cases = ["--case", "split_lecture", "--case", "zero_iterations", "--case", "nnet_lecture"]
    alone, together = (
        run_module("parity", *cases, "--numpy-only", "--json", "--jobs", jobs) for jobs in "12"
    )
    assert alone.returncode == together.returncode == 0, together.stderr
    assert together.stderr == ""
    drop_times = [
        {k: v for k, v in c.items() if k != "seconds"} for c in json.loads(alone.stdout)["cases"]
    ]
    assert [
        {k: v for k, v in c.items() if k != "seconds"} for c in json.loads(together.stdout)["cases"]
    ] == drop_times


@pytest.mark.usefixtures("r_session")
def test_ctrl_c_stops_every_worker_and_says_so_once(tmp_path: Path) -> None:
    run = subprocess.Popen([sys.executable, "-m", "parity", "--jobs", "2"], cwd=tmp_path,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    time.sleep(3)  # the workers have started their R and are checking cases
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=30)
    assert (run.returncode, out, err) == (130, "", "python -m parity: interrupted\n")
