"""The command's options for the generalised network, `check` and `examples`."""

import json

import numpy as np
import pytest
from helpers import run_cli

from backprop.cli import LECTURE_DATA
from backprop.data import load_scaled
from backprop.gradcheck import PASS_LIMIT
from backprop.model import train_network
from backprop.network import train

REPO_DATA = str(LECTURE_DATA.parent)


def test_lecture_options_written_out_are_still_the_lecture():
    _, plain, _ = run_cli(["train", "--json", "--iterations", "100"])
    _, spelled, _ = run_cli(
        [
            "train",
            "--json",
            "--iterations",
            "100",
            "--activation",
            "sigmoid",
            "--loss",
            "half_sse",
            "--init",
            "uniform",
            "--optimizer",
            "gd",
        ]
    )
    assert plain == spelled
    expected = train(*load_scaled(f"{REPO_DATA}/lecture.csv"), iterations=100)
    assert json.loads(plain)["W_1"] == expected["W_1"].tolist()


def test_depth_and_bias_add_their_keys_in_order():
    status, out, err = run_cli(
        ["train", "--json", "--hidden", "4,3", "--bias", "--iterations", "20"]
    )
    assert (status, err) == (0, "")
    got = json.loads(out)
    assert list(got) == [
        "W_1",
        "B_1",
        "W_2",
        "B_2",
        "W_3",
        "B_3",
        "Y_hat",
        "W_1_init",
        "B_1_init",
        "W_2_init",
        "B_2_init",
        "W_3_init",
        "B_3_init",
        "cost_history",
    ]
    assert np.shape(got["W_2"]) == (4, 3) and np.shape(got["B_2"]) == (1, 3)
    assert got["B_1_init"] == [[0.0, 0.0, 0.0, 0.0]]
    expected = train_network(
        *load_scaled(f"{REPO_DATA}/lecture.csv"), hidden=(4, 3), bias=True, iterations=20
    )
    for key, value in expected.items():
        assert np.array_equal(np.array(got[key]), value), key


def test_a_onehot_target_with_the_other_defaults_trains():
    """It used to reach the lecture's train, which refused Y (150, 3)."""
    iris = f"{REPO_DATA}/iris.csv"
    status, out, err = run_cli(["train", "--data", iris, "--target", "onehot",
                           "--iterations", "10", "--json"])  # fmt: skip
    assert (status, err) == (0, "")
    assert np.shape(json.loads(out)["Y_hat"]) == (150, 3)


def test_softmax_on_iris_is_one_hot_automatically():
    status, out, _ = run_cli(
        [
            "train",
            "--json",
            "--data",
            f"{REPO_DATA}/iris.csv",
            "--output-activation",
            "softmax",
            "--loss",
            "cross_entropy",
            "--iterations",
            "30",
            "--step",
            "0.1",
        ]
    )
    assert status == 0
    Y_hat = np.array(json.loads(out)["Y_hat"])
    assert Y_hat.shape == (150, 3)
    np.testing.assert_allclose(Y_hat.sum(axis=1), 1.0, rtol=1e-15)


def test_gradient_check_passes_and_reports_each_matrix():
    status, out, _ = run_cli(
        ["check", "--json", "--hidden", "3,2", "--bias", "--activation", "tanh"]
    )
    report = json.loads(out)
    assert status == 0 and report["pass"] is True
    assert sorted(report["ratios"]) == ["B_1", "B_2", "B_3", "W_1", "W_2", "W_3"]
    assert max(report["ratios"].values()) < PASS_LIMIT


def test_gradient_check_exits_1_on_a_wrong_derivative(monkeypatch):
    from backprop import activations

    def wrong_prime(Z):
        return 1.01 * (1 - np.tanh(Z) ** 2)

    monkeypatch.setitem(activations.ACTIVATIONS, "tanh", (activations.tanh, wrong_prime))
    status, out, _ = run_cli(["check", "--activation", "tanh"])
    assert status == 1 and "WRONG" in out


def test_examples_json_has_the_documents_numbers_beside_the_right_ones():
    status, out, _ = run_cli(["examples", "--json"])
    records = json.loads(out)
    assert status == 0 and [r["name"] for r in records] == [
        "Sigmoid + cross-entropy",
        "ReLU + cross-entropy",
        "Softmax + cross-entropy",
    ]
    for record in records:
        assert {"prediction", "loss", "gradient", "new_weights", "document"} <= set(record)
    relu = records[1]
    assert relu["gradient"] == pytest.approx(-5.0) and relu["new_weights"] == pytest.approx(0.7)
    assert relu["document"]["gradient"] == -0.45 and relu["document"]["new_weights"] == 0.245


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train", "--activation", "swish"], "argument --activation: invalid choice: 'swish'"),
        (["train", "--loss", "hinge"], "argument --loss: invalid choice: 'hinge'"),
        (["train", "--init", "zeros"], "argument --init: invalid choice: 'zeros'"),
        (["train", "--optimizer", "sgd"], "argument --optimizer: invalid choice: 'sgd'"),
        (["train", "--hidden", "4,x"], "hidden sizes must be whole numbers separated by commas"),
        (["train", "--hidden", "4,0"], "hidden"),
        (["train", "--output-activation", "softmax", "--target", "numeric"], "softmax"),
        (["train", "--activation", "softmax"], "softmax"),
        (["train", "--optimizer", "momentum", "--beta", "0"], "beta"),
        (["train", "--optimizer", "adam", "--eps", "-1e-8"], "eps"),
        (["train", "--optimizer", "rmsprop", "--rho", "1.5"], "rho"),
        (["train", "--activation", "leaky_relu", "--alpha", "-0.1"], "alpha"),
        (["train", "--output-activation", "step"], "step"),
        (["check", "--activation", "step"], "argument --activation: invalid choice: 'step'"),
        (["train", "--data", "data/iris.csv"], "onehot"),
        (["train", "--data", "data/iris.csv", "--loss", "binary_cross_entropy"], "setosa"),
    ],
)
def test_bad_model_options_get_one_line_and_status_2(argv, message):
    status, out, err = run_cli([*argv])
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert message in err


def test_cross_entropy_refuses_targets_outside_0_1(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("a,b,score\n1,2,150\n2,1,20\n")
    status, out, err = run_cli(
        ["train", "--data", str(path), "--target", "numeric", "--loss", "binary_cross_entropy"]
    )
    assert status == 2 and out == "" and err.count("\n") == 1
    assert "[0, 1]" in err
