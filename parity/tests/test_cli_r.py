"""`backprop train/check --engine r` for the generalised network, against Python."""

import json

import numpy as np
import pytest

from backprop.cli import LECTURE_DATA, main

pytestmark = pytest.mark.usefixtures("r_session")  # loud skip where R is missing

STUDY = str(LECTURE_DATA.with_name("study.csv"))
DEEP = ["--hidden", "4,3", "--bias", "--activation", "tanh", "--optimizer", "adam"]
DEEP += ["--step", "0.01", "--iterations", "300", "--data", STUDY, "--seed", "-9"]


def run_json(capsys, *argv):
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_engine_r_trains_the_same_deep_network(capsys):
    python = run_json(capsys, "train", "--json", *DEEP)
    r = run_json(capsys, "train", "--json", *DEEP, "--engine", "r")
    assert list(python) == list(r) and "B_3" in r
    for key in python:
        assert np.shape(python[key]) == np.shape(r[key]), key
        np.testing.assert_allclose(r[key], python[key], rtol=1e-10, atol=1e-15, err_msg=key)


def test_engine_r_gradient_check_agrees_with_python(capsys):
    argv = ["check", "--json", "--hidden", "3,2", "--bias", "--activation", "leaky_relu"]
    python = run_json(capsys, *argv)
    r = run_json(capsys, *argv, "--engine", "r")
    assert python["pass"] and r["pass"] and list(python["ratios"]) == list(r["ratios"])
    for name, ratio in r["ratios"].items():
        assert ratio < 1e-7 and ratio == pytest.approx(python["ratios"][name], rel=1e-3), name
