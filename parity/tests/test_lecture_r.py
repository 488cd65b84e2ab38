"""The lecture's R code against itself and against its Python twins, live."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.usefixtures("r_session")  # loud skip where R is missing


def test_network_r_default_call_equals_lecture_r_exactly(r_session):
    r = r_session
    lecture = r.call("new.env")
    r.call("sys.source", str(REPO / "r" / "lecture.R"), envir=lecture)
    raw = r.call("read_data", str(REPO / "data" / "lecture.csv"))
    X, Y = r.call("scale_features", raw["x"]), r.call("scale_target", raw["y"])
    result = r.call("train", X, Y)
    for mine, slides in [("W_1", "W_1"), ("W_2", "W_2"), ("Y_hat", "Y_hat"),
                         ("cost_history", "cost_hist")]:  # fmt: skip
        assert np.array_equal(result[mine], r.call("get", slides, envir=lecture)), mine


def test_python_lecture_prints_what_r_lecture_prints():
    r_out = subprocess.run(["Rscript", str(REPO / "r" / "lecture.R")],
                           capture_output=True, text=True, check=True).stdout  # fmt: skip
    py_out = subprocess.run([sys.executable, "-m", "backprop.lecture"],
                            capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "0.01532851" in r_out
    assert py_out == r_out


def backprop_json(*argv):
    proc = subprocess.run([sys.executable, "-m", "backprop", "train", "--json", *argv],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(proc.stdout)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--data", str(REPO / "data" / "study.csv"), "--hidden", "4", "--seed", "-11",
         "--step", "0.5", "--iterations", "3000"],
    ],
)  # fmt: skip
def test_engine_r_agrees_with_engine_python(argv):
    python, r = backprop_json(*argv), backprop_json(*argv, "--engine", "r")
    assert list(python) == list(r)
    for key in python:
        assert np.shape(python[key]) == np.shape(r[key]), key
        np.testing.assert_allclose(python[key], r[key], rtol=1e-10, atol=1e-300, err_msg=key)


def test_engine_r_refuses_a_diverging_step_in_one_line(tmp_path):
    path = tmp_path / "low.csv"
    path.write_text("a,b,score\n1,2,1\n2,1,2\n")
    argv = ["train", "--data", str(path), "--step", "1e5"]
    python = subprocess.run([sys.executable, "-m", "backprop", *argv],
                            capture_output=True, text=True, check=False)  # fmt: skip
    r = subprocess.run([sys.executable, "-m", "backprop", *argv, "--engine", "r"],
                       capture_output=True, text=True, check=False)  # fmt: skip
    assert python.returncode == r.returncode == 2
    assert (
        r.stderr
        == python.stderr
        == (
            "backprop: error: training diverged at iteration 3: the cost is NaN; "
            "try a step smaller than 100000\n"
        )
    )
