"""The backprop command: its outputs, and one clear line for every bad input."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import run_cli

from backprop.cli import LECTURE_DATA as LECTURE_CSV
from backprop.data import load_scaled
from backprop.network import train


def test_json_reproduces_the_python_port_exactly():
    status, out, err = run_cli(["train", "--json", "--iterations", "300", "--seed", "-3"])
    assert (status, err) == (0, "")
    got = json.loads(out)
    expected = train(*load_scaled(LECTURE_CSV), iterations=300, seed=-3)
    for key in ("W_1", "W_2", "Y_hat", "W_1_init", "W_2_init", "cost_history"):
        assert np.array_equal(np.array(got[key]), expected[key]), key  # full precision


def test_json_keys_and_shapes():
    status, out, _ = run_cli(["train", "--json", "--hidden", "5", "--iterations", "7"])
    got = json.loads(out)
    assert list(got) == ["W_1", "W_2", "Y_hat", "W_1_init", "W_2_init", "cost_history"]
    assert np.shape(got["W_1"]) == (2, 5) and np.shape(got["W_2"]) == (5, 1)
    assert np.shape(got["Y_hat"]) == (3, 1) and len(got["cost_history"]) == 7


def test_text_output_is_r_style():
    status, out, _ = run_cli(["train"])
    assert status == 0
    assert "[1,]  2.1169800 1.6157951 -1.4547416" in out
    assert "[1,] 0.7499998 0.75" in out
    assert out.splitlines()[-1].startswith("[1] 7.07")


def test_plot_writes_two_pngs(tmp_path):
    status, _, _ = run_cli(["train", "--iterations", "50", "--plot", str(tmp_path / "plots")])
    assert status == 0
    for name in ("cost_history.png", "cost_history_log.png"):
        assert (tmp_path / "plots" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


BAD_FILES = {
    "empty": ("", "the file is empty"),
    "non_numeric": ("a,b,y\n1,x,3\n", "'x' is not a number"),
    "nan": ("a,b,y\n1,NaN,3\n", "'NaN' is not a finite number"),
    "inf": ("a,b,y\n1,2,inf\n", "'inf' is not a finite number"),
    "ragged": ("a,b,y\n1,2,3\n4,5\n", "line 3: expected 3 cells, got 2"),
    "one_column": ("y\n1\n2\n", "need at least two columns"),
    "zero_max": ("a,b,y\n0,1,3\n0,2,4\n", "feature column 'a' has maximum 0"),
    "negative_max": ("a,b,y\n-1,1,3\n-2,2,4\n", "feature column 'a' has maximum -1"),
    "header_only": ("a,b,y\n", "no data rows"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_data_file(tmp_path, case):
    text, message = BAD_FILES[case]
    path = tmp_path / "bad.csv"
    path.write_text(text)
    assert_refused(tmp_path, message, "--data", str(path))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--data", "no/such.csv"], "no/such.csv: no such file"),
        (["--hidden", "0"], "hidden must be a whole number >= 1; got 0"),
        (["--iterations", "-1"], "iterations must be a whole number >= 0; got -1"),
        (["--step", "inf"], "step must be a finite number > 0; got inf"),
        (["--step", "nan"], "step must be a finite number > 0; got nan"),
        (["--step", "-0.5"], "step must be a finite number > 0; got -0.5"),
        (["--seed", "2147483648"], "seed must be in [-2147483647, 2147483647]"),
        (["--seed", "1.5"], "argument --seed: must be a whole number (digits 0-9); got '1.5'"),
        (["--iterations", "1_000"], "argument --iterations: must be a whole number"),
        (["--step", "\uff15"], "argument --step: must be a number such as 5"),
        (["--engine", "julia"], "argument --engine: invalid choice: 'julia'"),
    ],
)
def test_bad_option(tmp_path, argv, message):
    assert_refused(tmp_path, message, *argv)


def test_diverging_step(tmp_path):
    path = tmp_path / "low.csv"
    path.write_text("a,b,score\n1,2,1\n2,1,2\n")
    message = "training diverged at iteration 3: the cost is NaN; try a step smaller than 100000"
    assert_refused(tmp_path, message, "--data", str(path), "--step", "1e5")


def assert_refused(tmp_path, message, *argv):
    plots = tmp_path / "plots"
    status, out, err = run_cli(["train", *argv, "--plot", str(plots)])
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert message in err
    assert not plots.exists()  # nothing written


def test_usage_errors_exit_2_with_one_line():
    proc = subprocess.run(
        [sys.executable, "-m", "backprop", "train", "--hidden", "many"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr == (
        "backprop train: error: argument --hidden: "
        "hidden sizes must be whole numbers separated by commas; got 'many'\n"
    )


def test_engine_r_without_rpy2_says_how_to_install(tmp_path):
    code = (
        "import sys; sys.modules['rpy2'] = None\n"  # as if rpy2 were not installed
        "from backprop.cli import main; raise SystemExit(main(['train', '--engine', 'r']))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1
    assert "apt-get install r-base-core" in proc.stderr and "rpy2>=3.5.17,<3.6" in proc.stderr


def test_json_matches_rs_frozen_full_precision_lecture_without_r():
    """The acceptance check: no R involved, R's own %.17g numbers, rtol 1e-10."""
    from parity.sides import read_array  # reads text files; R is not started

    reference = Path(__file__).resolve().parents[2] / "parity" / "reference" / "lecture"
    status, out, _ = run_cli(["train", "--json"])
    got = json.loads(out)
    for key in ("W_1", "W_2", "Y_hat", "W_1_init", "W_2_init", "cost_history"):
        expected = read_array(reference / f"{key}.txt")
        assert np.shape(got[key]) == expected.shape, key
        np.testing.assert_allclose(got[key], expected, rtol=1e-10, atol=1e-15, err_msg=key)
