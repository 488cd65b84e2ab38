"""`backprop train/check --engine r` for the generalised network: the harness's R side, exactly."""

import numpy as np
import pytest
from helpers import run_cli_json

from backprop.gradcheck import PASS_LIMIT
from parity.cases import Case
from parity.compare import PASS, check_case
from parity.sides import run_python, run_r

pytestmark = pytest.mark.usefixtures("r_session")  # loud skip where R is missing

DEEP = Case("cli_deep", "data/study.csv", hidden=(4, 3), seed=-9, iterations=300, step=0.01,
            bias=True, activation="tanh", optimizer="adam")  # fmt: skip
DEEP_ARGV = ["--hidden", "4,3", "--bias", "--activation", "tanh", "--optimizer", "adam",
             "--step", "0.01", "--iterations", "300", "--data", str(DEEP.data_path),
             "--seed", "-9"]  # fmt: skip


def test_each_engine_trains_the_sides_deep_network_exactly():
    python = run_cli_json(["train", "--json", *DEEP_ARGV])
    r = run_cli_json(["train", "--json", *DEEP_ARGV, "--engine", "r"])
    assert list(python) == list(r) and "B_3" in r
    for printed, side in ((python, run_python(DEEP)), (r, run_r(DEEP))):
        for key, value in side.items():
            assert np.array(printed[key]).reshape(value.shape).tobytes() == value.tobytes(), key
    assert check_case(DEEP).status == PASS


def test_engine_r_gradient_check_agrees_with_python():
    argv = ["check", "--json", "--hidden", "3,2", "--bias", "--activation", "leaky_relu"]
    python = run_cli_json(argv)
    r = run_cli_json([*argv, "--engine", "r"])
    assert python["pass"] and r["pass"] and list(python["ratios"]) == list(r["ratios"])
    assert all(ratio < PASS_LIMIT for ratio in r["ratios"].values())
