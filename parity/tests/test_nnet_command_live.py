"""fit_nnet (r/fit.R against backprop.fit) and ``backprop nnet`` in both engines:
R's own nnet::nnet against its Python twin, to zero ulps, trace and all."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from helpers import run_cli as run

from backprop.data import load_scaled
from backprop.fit import fit_nnet
from backprop.r_engine import RError, RSession
from backprop.resources import DATA_DIR

CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("lecture.csv", "numeric", {}),
    ("study.csv", "numeric", {"decay": 1e-3, "maxit": 500}),
    ("iris2.csv", "binary", {"output": "entropy", "size": 2}),
    ("iris.csv", "onehot", {"output": "softmax", "seed": 7}),
    ("lecture.csv", "numeric", {"output": "linout", "rang": 0.5}),
]


@pytest.mark.parametrize(("name", "target", "settings"), CASES, ids=[c[0] for c in CASES])
def test_fit_nnet_is_rs_nnet_to_the_last_bit(r_session: RSession, name, target, settings):
    X, Y = load_scaled(DATA_DIR / name, target)
    in_r = r_session.call("fit_nnet", X, Y, **settings)
    in_python = fit_nnet(X, Y, **settings)
    assert list(in_r) == list(in_python)
    for key, value in in_python.items():
        if key != "nnet":  # the fit itself: R's nnet object, the twin's NnetFit
            assert np.array_equal(np.asarray(in_r[key]), value), key  # zero ulps
    fit = in_python["nnet"]
    assert np.array_equal(np.asarray(in_r["nnet"]["wts"]), fit.wts)
    assert np.array_equal(fit.predict(X), in_python["fitted_values"])


def test_given_weights_replace_the_draw(r_session: RSession) -> None:
    X, Y = load_scaled(DATA_DIR / "lecture.csv")
    Wts = np.linspace(-0.5, 0.5, 13)
    in_r = r_session.call("fit_nnet", X, Y, Wts=Wts)
    in_python = fit_nnet(X, Y, Wts=Wts)
    assert np.array_equal(in_python["wts_init"], Wts)
    assert np.array_equal(np.asarray(in_r["wts"]), in_python["wts"])


@pytest.mark.usefixtures("r_session")
def test_the_command_prints_nnets_trace_and_the_same_weights_in_both_engines() -> None:
    python, in_r = (run(["nnet", "--engine", e]) for e in ("python", "r"))
    assert python == in_r and python[0] == 0
    out = python[1]
    assert out.startswith("# weights:  13\ninitial  value 0.895458 \niter  10 value 0.008524\n")
    assert "final  value 0.000063 \nconverged\n" in out and "$W_1\n" in out
    as_json = [json.loads(run(["nnet", "--json", "--engine", e])[1]) for e in ("python", "r")]
    assert as_json[0] == as_json[1]  # every double, exactly
    assert len(as_json[0]["wts"]) == 13 and as_json[0]["convergence"] == 0


@pytest.mark.usefixtures("r_session")
@pytest.mark.parametrize("engine", ["python", "r"])
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--size", "0"], "no weights to fit"),
        (["--rang", "-1"], "rang must be a finite number >= 0"),
        (["--decay", "-1"], "decay must be a finite number >= 0"),
        (["--maxit", "-1"], "maxit must be a whole number >= 0"),
        (["--softmax", "--target", "numeric"], "softmax"),
        (["--linout", "--entropy"], "not allowed with argument"),
    ],
)
def test_bad_nnet_input_is_one_line_in_both_engines(engine, argv, message) -> None:
    status, out, err = run(["nnet", *argv, "--engine", engine])
    assert (status, out) == (2, "") and err.count("\n") == 1 and message in err, err


def test_r_refuses_a_negative_rang_in_pythons_words(r_session: RSession) -> None:
    X, Y = load_scaled(DATA_DIR / "lecture.csv")
    with pytest.raises(ValueError) as in_python:
        fit_nnet(X, Y, rang=-1.0)
    with pytest.raises(RError) as in_r:
        r_session.call("fit_nnet", X, Y, rang=-1.0)
    assert str(in_r.value).removeprefix("Error: ") == str(in_python.value).replace("-1.0", "-1")
