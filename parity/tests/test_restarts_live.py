"""Many starting points at once (issue 10): Python's batch against each restart's own run,
and against R's loop; the command's --restarts in both engines."""

from __future__ import annotations

import contextlib
import functools
import io
import json
import re
from typing import Any

import numpy as np
import pytest
import tqdm
from helpers import run_cli as run

import backprop.fit
import backprop.model
from backprop.cli import main
from backprop.data import load_scaled
from backprop.fit import fit, load_file, train_restarts
from backprop.network import train
from backprop.r_engine import RError, RSession
from backprop.resources import DATA_DIR
from parity.compare import diff, diff_results

LECTURE = load_scaled(DATA_DIR / "lecture.csv")
STUDY = load_scaled(DATA_DIR / "study.csv")
DEEP = {"hidden": (4, 3), "activation": "tanh", "init": "xavier", "optimizer": "adam",
        "bias": True, "step": 0.01, "iterations": 300}  # fmt: skip
IRIS = load_file(DATA_DIR / "iris.csv", "onehot")
BATCHES = {"hidden": 4, "activation": "tanh", "output_activation": "softmax",
           "loss": "cross_entropy", "init": "xavier", "optimizer": "adam", "bias": True,
           "step": 0.01, "iterations": 30, "batch_size": 16, "seed": 7}  # fmt: skip
CONFIGS: list[tuple[tuple[np.ndarray, np.ndarray], dict[str, Any]]] = [
    (LECTURE, {"iterations": 2000}),
    (STUDY, DEEP),
    (IRIS, BATCHES),
    (IRIS, {**BATCHES, "test_fraction": 0.3}),
]
IDS = ["lecture", "study-deep", "iris-batches", "iris-split-batches"]


@pytest.mark.parametrize(("data", "settings"), CONFIGS, ids=IDS)
def test_each_restart_is_its_own_run_from_its_starting_point(data, settings) -> None:
    X, Y = data
    together = train_restarts(X, Y, restarts=8, **settings)
    for k in range(8):
        start = {name.removesuffix("_starts"): P[k] for name, P in together.items()
                 if name.endswith("_starts")}  # fmt: skip
        alone = fit(X, Y, **settings, start=start)
        assert diff(alone["cost_history"], together["cost_histories"][:, k]).within, k
    best = int(together["best"][0]) - 1
    assert best == int(np.argmin(together["cost_histories"][-1]))
    alone = fit(X, Y, **settings, start={n.removesuffix("_init"): P for n, P in together.items()
                                         if n.endswith("_init")})  # fmt: skip
    assert all(d.within for d in diff_results(alone, {k: together[k] for k in alone}).values())


def test_restart_1_is_the_single_run_with_that_seed() -> None:
    X, Y = LECTURE
    together = train_restarts(X, Y, restarts=3, iterations=500)
    single = train(X, Y, iterations=500)
    assert np.array_equal(together["W_1_starts"][0], single["W_1_init"])
    assert diff(single["cost_history"], together["cost_histories"][:, 0]).within


@pytest.mark.parametrize("split", [None, 0.3])
def test_with_mini_batches_every_restart_shuffles_as_the_single_run(split) -> None:
    """The same held-out rows and batches for all: the restarts differ only in where
    they start, and restart 1 is the single run."""
    X, Y = IRIS
    together = train_restarts(X, Y, restarts=4, test_fraction=split, **BATCHES)
    single = fit(X, Y, test_fraction=split, **BATCHES)
    assert np.array_equal(together["batch_order"], single["batch_order"])
    if split is not None:
        assert np.array_equal(together["test_rows"], single["test_rows"])
    assert np.array_equal(together["W_1_starts"][0], single["W_1_init"])
    assert diff(single["cost_history"], together["cost_histories"][:, 0]).within
    assert len({float(c) for c in together["cost_histories"][-1]}) == 4  # four other starts


def test_python_trains_the_restarts_together_not_one_by_one(monkeypatch) -> None:
    """One forward pass per iteration for all K restarts (and one before the loop, the
    answer of 0 iterations), in train_network's own loop."""
    calls = []
    real = backprop.model.forward_network
    monkeypatch.setattr(backprop.model, "forward_network", lambda *a: calls.append(1) or real(*a))
    X, Y = LECTURE
    train_restarts(X, Y, restarts=50, iterations=100)
    assert len(calls) == 101


@pytest.mark.parametrize(("data", "settings"), CONFIGS, ids=IDS)
def test_rs_loop_and_pythons_batch_agree_restart_by_restart(r_session: RSession, data, settings):
    X, Y = data
    in_r = r_session.call("train_restarts", X, Y, 6, **settings)
    in_python = train_restarts(X, Y, restarts=6, **settings)
    assert list(in_r) == list(in_python)
    diffs = diff_results({k: np.asarray(v) for k, v in in_r.items()}, in_python)
    assert all(d.within for d in diffs.values()), {q: d for q, d in diffs.items() if not d.within}


def test_the_first_restart_that_diverges_stops_both_alike(r_session: RSession) -> None:
    X, Y = STUDY
    settings = {"activation": "linear", "output_activation": "linear", "init": "he",
                "step": 0.4, "iterations": 200, "loss": "mse", "seed": 3}  # fmt: skip
    with pytest.raises(ValueError) as in_python:
        train_restarts(X, Y, restarts=6, **settings)
    with pytest.raises(RError) as in_r:
        r_session.call("train_restarts", X, Y, 6, **settings)
    message = "restart 4: training diverged at iteration 10: the cost is Inf"
    assert str(in_python.value).startswith(message)
    assert str(in_r.value).removeprefix("Error: ") == str(in_python.value)


@pytest.mark.usefixtures("r_session")
def test_the_command_lists_the_restarts_in_both_engines() -> None:
    argv = ["train", "--restarts", "5", "--iterations", "3000"]
    python, in_r = (run([*argv, "--engine", e]) for e in ("python", "r"))
    assert python == in_r and python[0] == 0
    assert "$best\n[1] 4\n\n$`sort(final_costs)`\n[1] " in python[1]
    as_json = json.loads(run([*argv, "--json"])[1])
    assert as_json["best"] == 4 and len(as_json["restarts"]) == 5
    assert list(as_json["restarts"][0]) == ["final_cost", "W_1_init", "W_2_init"]
    assert as_json["cost_history"][-1] == as_json["restarts"][3]["final_cost"]


@pytest.mark.usefixtures("r_session")
@pytest.mark.parametrize("engine", ["python", "r"])
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--restarts", "0"], "restarts must be a whole number >= 1; got 0"),
        (["--restarts", "-3"], "restarts must be a whole number >= 1; got -3"),
        (["--restarts", "2", "--iterations", "0"], "iterations must be a whole number >= 1"),
        (["--restarts", "2", "--batch-size", "4"], "batch_size must be at most the 3 training"),
        (["--restarts", "2", "--optimizer", "bfgs"], "cannot be combined with optimizer 'bfgs'"),
        (["--restarts", "2", "--test-fraction", "0"], "test_fraction must be"),
        (["--restarts", "2", "--test-fraction", "0.34", "--batch-size", "3"], "at most the 2"),
        (["--restarts", "2000000000"], "GiB of memory"),
    ],
)
def test_bad_restarts_are_one_line_in_both_engines(engine, argv, message) -> None:
    status, out, err = run(["train", *argv, "--engine", engine])
    assert (status, out) == (2, "") and err.count("\n") == 1 and message in err, err


@pytest.mark.parametrize("trainer", ["train", "train_network"])
def test_progress_is_called_with_each_iteration_and_its_cost_in_both(r_session, trainer):
    X, Y = LECTURE
    seen: dict[str, list[tuple[int, float]]] = {"r": [], "python": []}
    in_r = r_session.call(trainer, X, Y, iterations=50,
                          progress=lambda i, c: seen["r"].append((i, c)))  # fmt: skip
    run_python = {"train": train, "train_network": backprop.fit.train_network}[trainer]
    in_python = run_python(X, Y, iterations=50, progress=lambda i, c: seen["python"].append((i, c)))
    assert [i for i, _ in seen["python"]] == list(range(1, 51)) == [i for i, _ in seen["r"]]
    assert [c for _, c in seen["python"]] == in_python["cost_history"].tolist()
    assert [c for _, c in seen["r"]] == np.asarray(in_r["cost_history"]).tolist()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.usefixtures("r_session")
@pytest.mark.parametrize("engine", ["python", "r"])
@pytest.mark.parametrize("extra", [[], ["--restarts", "3"]])
def test_a_long_training_shows_a_bar_on_a_terminal_only(monkeypatch, engine, extra) -> None:
    argv = ["train", "--iterations", "500", "--engine", engine, *extra]
    plain = run(argv)
    assert plain[0] == 0 and plain[2] == ""  # not a terminal: nothing on stderr
    monkeypatch.setattr("backprop.progress.PROGRESS_DELAY", 0.0)  # shown at once,
    redraw_at_every_tick = functools.partialmethod(tqdm.tqdm.__init__, mininterval=0)
    monkeypatch.setattr(tqdm.tqdm, "__init__", redraw_at_every_tick)  # a short run will do
    monkeypatch.setattr("sys.stderr", terminal := Terminal())
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0
    assert out.getvalue() == plain[1]  # the same output
    shown = terminal.getvalue()
    assert "training:" in shown and "it/s" in shown and ", cost " in shown, shown[-300:]
    assert shown.endswith("\r")  # erased when done


@pytest.mark.usefixtures("r_session")
@pytest.mark.parametrize("engine", ["python", "r"])
@pytest.mark.parametrize("extra", [[], ["--restarts", "2"], ["--test-fraction", "0.2"]])
def test_the_bar_counts_updates_as_they_are_made(monkeypatch, engine, extra) -> None:
    """Issue 21, row 8: one epoch of 150 mini-batches is 150 updates (120 after holding
    out 30 rows), and the bar moves through them, not from 0 to 1 epoch at its start.
    R trains restart after restart: its bar counts every restart's updates."""
    argv = ["train", "--data", str(DATA_DIR / "iris.csv"), "--output-activation", "softmax",
            "--loss", "cross_entropy", "--step", "0.1", "--batch-size", "1", "--iterations", "1",
            "--engine", engine, *extra]  # fmt: skip
    monkeypatch.setattr("backprop.progress.PROGRESS_DELAY", 0.0)
    redraw_at_every_tick = functools.partialmethod(tqdm.tqdm.__init__, mininterval=0)
    monkeypatch.setattr(tqdm.tqdm, "__init__", redraw_at_every_tick)
    monkeypatch.setattr("sys.stderr", terminal := Terminal())
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(argv) == 0
    updates = 120 if "--test-fraction" in extra else 150
    total = updates * (2 if engine == "r" and "--restarts" in extra else 1)
    counts = [int(n) for n in re.findall(rf"\| *(\d+)/{total} ", terminal.getvalue())]
    assert counts[-1] == total, terminal.getvalue()[-300:]
    assert len(set(counts)) > total // 2  # one tick an update (R's every one: 150 < 200 calls)
