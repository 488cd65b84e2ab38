"""Issue 11's table, row by row, in both engines: exit 2 (or 130) with one line on
stderr and nothing written, or exit 0 with valid output; the engines agree.

Each test is one of the table's rows (the number in its name); each failed on
the main it was written against.
"""

from __future__ import annotations

import io
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from helpers import run_module

from backprop.cli import main

pytestmark = pytest.mark.usefixtures("r_session")
ENGINES = ("python", "r")
REPO = Path(__file__).resolve().parents[2]


def one_line_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run in-process; assert exit 2, no output, one line on stderr; return that line."""
    status = main(argv)
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("backprop: error: "), err
    return err


def write(tmp_path: Path, text: str, name: str = "data.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("engine", ENGINES)
def test_row_2_a_check_that_cannot_be_made_is_refused_not_nan_json(capsys, tmp_path, engine):
    data = write(tmp_path, "a,b,score\n1,2,1e308\n2,1,50\n")
    err = one_line_exit_2(capsys, ["check", "--json", "--data", data, "--engine", engine])
    assert "the cost is Inf at the starting weights, before any step" in err


@pytest.mark.parametrize("engine", ENGINES)
def test_row_3_zero_iterations_prints_as_r_does_and_plots(capsys, tmp_path, engine):
    plots = tmp_path / "plots"
    argv = ["train", "--iterations", "0", "--plot", str(plots), "--engine", engine]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.endswith("$final_cost\nnumeric(0)\n")
    assert sorted(p.name for p in plots.iterdir()) == ["cost_history.png", "cost_history_log.png"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("option", ["--iterations", "--hidden"])
def test_row_4_counts_beyond_rs_integers_are_refused_up_front(capsys, engine, option):
    err = one_line_exit_2(capsys, ["train", option, "2147483648", "--engine", engine])
    assert "must be at most 2147483647 (R's largest integer); got 2147483648" in err


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("option", [("--hidden", "100000000"), ("--iterations", "1000000000")])
def test_row_5_memory_that_would_not_fit_is_refused_before_allocating(tmp_path, engine, option):
    def limit_memory() -> None:  # as `ulimit -v` would: 3 GiB of address space
        resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, resource.RLIM_INFINITY))

    plots = tmp_path / "plots"
    done = subprocess.run([sys.executable, "-m", "backprop", "train", *option, "--engine", engine,
                           "--plot", str(plots)], preexec_fn=limit_memory, capture_output=True,
                          text=True, check=False, cwd=REPO)  # fmt: skip
    assert (done.returncode, done.stdout, plots.exists()) == (2, "", False)
    assert done.stderr.count("\n") == 1, done.stderr
    assert "this run would need about" in done.stderr and "GiB is available" in done.stderr


@pytest.mark.parametrize("engine", ENGINES)
def test_row_6_ctrl_c_says_interrupted_exits_130_and_writes_nothing(tmp_path, engine):
    plots = tmp_path / "plots"
    proc = subprocess.Popen([sys.executable, "-m", "backprop", "train", "--iterations",
                             "100000000", "--engine", engine, "--plot", str(plots)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=REPO)  # fmt: skip
    time.sleep(3)  # well inside the training
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, out, err) == (130, "", "backprop: interrupted\n")
    assert not plots.exists()


@pytest.mark.parametrize("engine", ENGINES)
def test_row_7_class_labels_in_any_utf8_text(capsys, tmp_path, engine):
    data = write(tmp_path, "a,b,species\n1,2,sétosa\n2,1,virginica\n3,3,Ωmega\n")
    argv = ["train", "--data", data, "--target", "onehot", "--iterations", "3", "--json"]
    assert main([*argv, "--engine", engine]) == 0
    assert len(json.loads(capsys.readouterr().out)["Y_hat"][0]) == 3


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("cell", ["1_000", "\u00a05", "\uff15", "\u0665"])
def test_row_8_what_r_does_not_read_as_a_number_neither_engine_does(capsys, tmp_path, engine, cell):
    data = write(tmp_path, f"a,b,score\n1,2,50\n{cell},1,60\n")
    err = one_line_exit_2(capsys, ["train", "--data", data, "--engine", engine])
    assert data in err


def test_row_9_plots_get_an_ordinary_files_permissions(capsys, tmp_path):
    plots = tmp_path / "plots"
    old = os.umask(0o022)
    try:
        assert main(["train", "--iterations", "5", "--plot", str(plots)]) == 0
    finally:
        os.umask(old)
    capsys.readouterr()
    assert {stat.S_IMODE(p.stat().st_mode) for p in plots.iterdir()} == {0o644}


def test_row_10_no_plot_when_the_output_cannot_be_written(tmp_path):
    plots = tmp_path / "plots"
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "backprop", "train", "--iterations", "5",
                               "--plot", str(plots)], stdout=full, stderr=subprocess.PIPE,
                              text=True, cwd=REPO, check=False)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == "backprop: error: cannot write the output: No space left on device\n"
    assert not plots.exists()


def test_row_10_two_writers_never_leave_a_mixed_pair(tmp_path):
    plots = tmp_path / "plots"
    runs = [subprocess.Popen([sys.executable, "-m", "backprop", "train", "--iterations",
                              str(n), "--plot", str(plots)], stdout=subprocess.DEVNULL, cwd=REPO)
            for n in (50, 3000)]  # fmt: skip
    assert [run.wait() for run in runs] == [0, 0]
    names = sorted(p.name for p in plots.iterdir())
    assert names == ["cost_history.png", "cost_history_log.png"]  # no temporary left over


@pytest.mark.parametrize("engine", ENGINES)
def test_row_11_a_column_that_overflows_when_scaled(capsys, tmp_path, engine):
    data = write(tmp_path, "a,b,score\n1e-300,1,50\n-1e300,2,60\n")
    err = one_line_exit_2(capsys, ["train", "--data", data, "--engine", engine])
    assert f"{data}: feature column 'a' cannot be scaled" in err


def test_row_11_r_missing_from_path_is_one_line_without_rpy2s_chatter(tmp_path):
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path)}  # no R on PATH, no R_HOME
    done = run_module("backprop", "train", "--engine", "r", env=env)
    assert (done.returncode, done.stdout, done.stderr.count("\n")) == (2, "", 1), done.stderr
    assert done.stderr.startswith("backprop: error: the R engine needs R, R's pkgload and nnet")
    assert "Unable to determine R home" in done.stderr  # rpy2's reason, inside the one line


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("target", ["auto", "onehot"])
def test_row_11_an_unterminated_quote_names_file_line_and_column(capsys, tmp_path, engine, target):
    data = write(tmp_path, 'a,b,species\n1,2,setosa\n3,4,"virginica\n5,6,setosa\n')
    err = one_line_exit_2(capsys, ["train", "--data", data, "--target", target,
                                   "--engine", engine])  # fmt: skip
    assert f"{data}, line 3: the quote that opens column 3 ('species') is never closed" in err


@pytest.mark.parametrize("engine", ENGINES)
def test_row_12_stdin_is_read_once_and_both_engines_see_it(engine):
    study = (REPO / "data" / "study.csv").read_text()
    piped = run_module("backprop", "train", "--data", "/dev/stdin", "--iterations", "5", "--json",
                     "--engine", engine, stdin=study)  # fmt: skip
    from_file = run_module(
        "backprop", "train", "--data", "data/study.csv", "--iterations", "5", "--json"
    )
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["W_1_init"] == json.loads(from_file.stdout)["W_1_init"]


def test_row_12_a_tilde_means_home_as_in_r(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HOME", str(tmp_path))
    write(tmp_path, (REPO / "data" / "study.csv").read_text(), "x.csv")
    assert main(["train", "--data", "~/x.csv", "--iterations", "2"]) == 0
    assert "$W_1" in capsys.readouterr().out


def test_row_13_parity_plot_onto_a_file_is_one_line(tmp_path):
    target = tmp_path / "a_file"
    target.write_text("")
    done = run_module("parity", "--case", "one_iteration", "--plot", str(target))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "parity: error:" in done.stderr


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("command", ["train", "check"])
def test_row_15_probabilities_are_not_relabelled_as_classes(capsys, tmp_path, engine, command):
    data = write(tmp_path, "a,b,p\n1,2,0.2\n2,1,0.8\n3,3,0.2\n")
    argv = [command, "--data", data, "--loss", "binary_cross_entropy", "--engine", engine]
    err = one_line_exit_2(capsys, argv)
    assert "holds numbers ('0.2', '0.8'), not two class labels" in err
    asked = [*argv, "--target", "binary"] + (["--iterations", "2"] if command == "train" else [])
    assert main(asked) in (0, 1)  # when asked: trained, or checked (1 if a ratio is large)


@pytest.mark.parametrize("engine", ENGINES)
def test_row_15_an_infinite_starting_cost_is_not_a_step_too_large(capsys, tmp_path, engine):
    data = write(tmp_path, "a,b,score\n1,2,1e308\n2,1,50\n")
    err = one_line_exit_2(capsys, ["train", "--data", data, "--engine", engine])
    assert "at the starting weights, before any step, so no step size can help" in err
    assert "try a step smaller" not in err


@pytest.mark.parametrize("shape", [(11, 2), (9, 3), (5, 2), (12, 1)])
def test_row_14_a_long_matrix_prints_as_r_prints_it_up_to_max_print(r_session, shape):
    """R stops at max.print entries (99999; 20 here, to keep the test small) and says
    how many rows it left out; and it right-aligns the row labels."""
    from backprop.rprint import format_matrix

    rows, cols = shape
    values = (np.arange(rows * cols) % 7 / 4).reshape(shape, order="F")
    previous = r_session.call("options", **{"max.print": 20})
    try:
        in_r = r_session.call("capture.output", values)  # R's print() of it, as text
    finally:
        r_session.call("options", **previous)
    assert format_matrix(values, max_print=20) == "\n".join(in_r)


@pytest.mark.parametrize("engine", ENGINES)
def test_row_14_check_shows_progress_on_a_terminal_and_nothing_elsewhere(
    capsys, monkeypatch, engine
):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    argv = ["check", "--hidden", "5", "--engine", engine]
    assert main(argv) == 0
    assert capsys.readouterr().err == ""  # not a terminal: no bar
    monkeypatch.setattr("backprop.progress.PROGRESS_DELAY", 0.0)
    monkeypatch.setattr(sys, "stderr", terminal := Terminal())
    assert main(argv) == 0
    shown = terminal.getvalue()
    assert "central differences:" in shown and "/15 [" in shown  # 2 x 5 + 5 x 1 weights
    assert shown.endswith("\r")  # erased when done: the report is all that stays
