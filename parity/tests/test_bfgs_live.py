"""optimizer = "bfgs" (issue 8, item 2): R's train_network through R's own
stats::optim against Python's through backprop.optim (vmmin ported), from the
same starting weights, and the command's --optimizer bfgs in both engines."""

from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import run_cli as run

from backprop.data import load_scaled
from backprop.model import train_network
from backprop.r_engine import RError, RSession
from backprop.resources import DATA_DIR
from parity.compare import diff_results

LECTURE = load_scaled(DATA_DIR / "lecture.csv")
STUDY = load_scaled(DATA_DIR / "study.csv")
CONFIGS = [
    (LECTURE, {"optimizer": "bfgs", "maxit": 40}),
    (STUDY, {"optimizer": "bfgs", "hidden": 3, "bias": True, "seed": 2, "maxit": 30}),
    (STUDY, {"optimizer": "bfgs", "hidden": 2, "decay": 0.01, "maxit": 30, "abstol": 0.01}),
]


@pytest.mark.parametrize(("data", "settings"), CONFIGS, ids=["lecture", "study-bias", "decay"])
def test_rs_optim_and_the_port_take_the_same_path(r_session: RSession, data, settings) -> None:
    X, Y = data
    in_r = r_session.call("train_network", X, Y, **settings)
    in_python = train_network(X, Y, **settings)
    assert list(in_r) == list(in_python)
    assert np.asarray(in_r["counts"]).tolist() == in_python["counts"].tolist()  # exactly
    assert len(in_python["cost_history"]) == in_python["counts"][0]  # J at every evaluation
    diffs = diff_results({k: np.asarray(v) for k, v in in_r.items()}, in_python)
    assert all(d.within for d in diffs.values()), {q: d for q, d in diffs.items() if not d.within}


def test_bfgs_stalls_on_the_lectures_plateau_that_gradient_descent_leaves() -> None:
    X, Y = LECTURE
    bfgs = train_network(X, Y, optimizer="bfgs")
    assert bfgs["convergence"].tolist() == [0]  # converged: reltol met
    assert 1e-3 < bfgs["cost_history"][-1] < 1.3e-3
    assert train_network(X, Y)["cost_history"][-1] < 1e-8


@pytest.mark.usefixtures("r_session")
def test_the_command_trains_with_bfgs_in_both_engines() -> None:
    argv = ["train", "--optimizer", "bfgs", "--json"]  # maxit 100: converged at 47 evaluations
    python, in_r = (json.loads(run([*argv, "--engine", e])[1]) for e in ("python", "r"))
    assert python["counts"] == in_r["counts"] and python["convergence"] == in_r["convergence"] == 0
    assert len(python["cost_history"]) == python["counts"][0]


@pytest.mark.usefixtures("r_session")
@pytest.mark.parametrize("engine", ["python", "r"])
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--maxit", "0"], "maxit must be a whole number >= 1; got 0"),
        (["--reltol", "-1"], "reltol must be a finite number >= 0"),
        (["--abstol", "nan"], "abstol must be a number (-Inf: none)"),
        (["--batch-size", "2"], "optimizer 'bfgs' takes all the rows at once: no batch_size"),
        (["--restarts", "2"], "restarts cannot be combined with optimizer 'bfgs'"),
    ],
)
def test_bad_bfgs_settings_are_one_line_in_both_engines(engine, argv, message) -> None:
    status, out, err = run(["train", "--optimizer", "bfgs", *argv, "--engine", engine])
    assert (status, out) == (2, "") and err.count("\n") == 1 and message in err, err


@pytest.mark.parametrize("maxit", [0, 2.5, -1])
def test_r_refuses_a_bad_maxit_in_pythons_words(r_session: RSession, maxit: float) -> None:
    X, Y = LECTURE
    with pytest.raises(ValueError) as in_python:
        train_network(X, Y, optimizer="bfgs", maxit=maxit)
    with pytest.raises(RError) as in_r:
        r_session.call("train_network", X, Y, optimizer="bfgs", maxit=maxit)
    assert (
        str(in_r.value).removeprefix("Error: ").split("; got")[0]
        == str(in_python.value).split("; got")[0]
    )
