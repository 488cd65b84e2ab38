"""The lecture's script and the command, live: R's and Python's, side by side."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import run_module

from parity.cases import Case, select
from parity.compare import PASS, check_case
from parity.sides import run_python, run_r

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.usefixtures("r_session")  # loud skip where R is missing


def test_python_lecture_prints_what_r_lecture_prints():
    r_out = subprocess.run(["Rscript", "--vanilla", str(REPO / "r" / "lecture.R")],
                           capture_output=True, text=True, check=True).stdout  # fmt: skip
    py_out = run_module("backprop.lecture").stdout
    assert "0.01532851" in r_out
    assert py_out == r_out


def test_both_lecture_scripts_plot_only_when_asked(tmp_path):
    """--plot DIR writes the same two PNGs in both languages; without it, no file at all."""
    scripts = {"r": ["Rscript", "--vanilla", str(REPO / "r" / "lecture.R")],
               "py": [sys.executable, "-m", "backprop.lecture"]}  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO / "py")}
    for name, command in scripts.items():
        quiet = tmp_path / f"{name}_quiet"
        quiet.mkdir()
        subprocess.run(command, cwd=quiet, env=env, capture_output=True, check=True)
        assert list(quiet.iterdir()) == [], name  # no Rplots.pdf, nothing
        plots = tmp_path / f"{name}_plots"
        subprocess.run([*command, "--plot", str(plots)], cwd=quiet, env=env,
                       capture_output=True, check=True)  # fmt: skip
        pngs = sorted(path.name for path in plots.iterdir())
        assert pngs == ["cost_history.png", "cost_history_log.png"], name
        assert all((plots / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for png in pngs)


def test_sourcing_the_lecture_through_rpy2_writes_no_file(r_session, tmp_path, monkeypatch):
    """rpy2 starts R as interactive(): the script must still draw nothing there."""
    monkeypatch.chdir(tmp_path)
    previous = r_session.call("setwd", str(tmp_path))  # R's own working directory
    try:
        lecture = r_session.call("new.env")
        r_session.call("sys.source", str(REPO / "r" / "lecture.R"), envir=lecture)
    finally:
        r_session.call("setwd", previous)
    assert r_session.call("get", "cost_hist", envir=lecture).shape == (10000,)  # it ran
    assert list(tmp_path.iterdir()) == []


def backprop_json(*argv: str) -> dict[str, np.ndarray]:
    done = run_module("backprop", "train", "--json", *argv)
    assert done.returncode == 0, done.stderr
    return {key: np.array(value) for key, value in json.loads(done.stdout).items()}


STUDY = Case("cli_study", "data/study.csv", hidden=(4,), seed=-11, iterations=3000, step=0.5)


@pytest.mark.parametrize(
    ("argv", "case"),
    [
        ([], select(["lecture"])[0]),
        (["--data", str(REPO / STUDY.data), "--hidden", "4", "--seed", "-11",
          "--step", "0.5", "--iterations", "3000"], STUDY),
    ],
    ids=["lecture", "study"],
)  # fmt: skip
def test_each_engine_prints_its_sides_result_exactly(argv, case):
    """The command is the harness's sides, to the last bit; R against Python is the harness's."""
    python, r = backprop_json(*argv), backprop_json(*argv, "--engine", "r")
    for printed, side in ((python, run_python(case)), (r, run_r(case))):
        assert sorted(printed) == sorted(side)
        for key, value in side.items():
            assert printed[key].reshape(value.shape).tobytes() == value.tobytes(), key
    assert check_case(case).status == PASS


def test_engine_r_refuses_a_diverging_step_in_one_line(tmp_path):
    path = tmp_path / "low.csv"
    path.write_text("a,b,score\n1,2,1\n2,1,2\n")
    argv = ["train", "--data", str(path), "--step", "1e5"]
    python, r = run_module("backprop", *argv), run_module("backprop", *argv, "--engine", "r")
    assert python.returncode == r.returncode == 2
    assert (
        r.stderr
        == python.stderr
        == (
            "backprop: error: training diverged at iteration 3: the cost is NaN; "
            "try a step smaller than 100000\n"
        )
    )
