"""The generalised network: the lecture bit for bit, shapes, a hand-checked step, errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from backprop import network
from backprop.losses import softmax_cross_entropy_delta
from backprop.model import (
    backward_network,
    check_network_config,
    forward_network,
    train_network,
)
from backprop.optimisers import OPTIMISERS
from backprop.spec import network_spec


def onehot(Y: np.ndarray) -> np.ndarray:
    """Three classes from the study scores: below 84, 84 to 88, 89 and above."""
    return np.eye(3)[np.digitize(Y[:, 0] * 100, [84, 89])]


def test_default_is_the_lecture_bit_for_bit(lecture: tuple[np.ndarray, np.ndarray]) -> None:
    X, Y = lecture
    expected = network.train(X, Y)
    got = train_network(X, Y)
    for name in ("W_1", "W_2", "Y_hat", "cost_history", "W_1_init", "W_2_init"):
        assert np.array_equal(got[name], expected[name]), name
    # the slides' printed result
    np.testing.assert_allclose(got["Y_hat"][:, 0], [0.7499998, 0.8200548, 0.9298944], atol=5e-8)


def test_lecture_functions_bit_for_bit_on_other_shapes(
    study: tuple[np.ndarray, np.ndarray],
) -> None:
    X, Y = study
    expected = network.train(X, Y, hidden=5, seed=42, iterations=300, step=0.5)
    got = train_network(X, Y, hidden=(5,), seed=42, iterations=300, step=0.5)
    for name in ("W_1", "W_2", "Y_hat", "cost_history"):
        assert np.array_equal(got[name], expected[name]), name


def test_result_keys_in_rs_order(study: tuple[np.ndarray, np.ndarray]) -> None:
    X, Y = study
    plain = train_network(X, Y, hidden=(4, 3), iterations=2, step=0.1)
    assert list(plain) == [
        "W_1", "W_2", "W_3", "Y_hat", "cost_history", "W_1_init", "W_2_init", "W_3_init",
    ]  # fmt: skip
    with_bias = train_network(X, Y, hidden=2, iterations=2, step=0.1, bias=True)
    assert list(with_bias) == [
        "W_1", "W_2", "B_1", "B_2", "Y_hat", "cost_history",
        "W_1_init", "W_2_init", "B_1_init", "B_2_init",
    ]  # fmt: skip
    shapes = {key: value.shape for key, value in with_bias.items()}
    assert shapes["W_1"] == (3, 2) and shapes["B_1"] == (1, 2) and shapes["B_2"] == (1, 1)
    assert with_bias["B_2_init"].tolist() == [[0.0]]


def test_zero_iterations(study: tuple[np.ndarray, np.ndarray]) -> None:
    X, Y = study
    r = train_network(X, Y, iterations=0, bias=True)
    assert r["cost_history"].shape == (0,)
    assert np.array_equal(r["W_1"], r["W_1_init"]) and np.array_equal(r["B_1"], r["B_1_init"])
    expected = network.forward(X, r["W_1_init"], r["W_2_init"]).Y_hat  # biases are still 0
    assert np.array_equal(r["Y_hat"], expected)


def test_one_step_with_bias_by_hand(study: tuple[np.ndarray, np.ndarray]) -> None:
    X, Y = study
    r = train_network(X, Y, hidden=3, iterations=1, step=0.7, bias=True, init="xavier")
    W_1, W_2 = r["W_1_init"], r["W_2_init"]
    Z_2 = X @ W_1  # biases start at 0
    A_2 = network.sigmoid(Z_2)
    Z_3 = A_2 @ W_2
    Y_hat = network.sigmoid(Z_3)
    delta_3 = -(Y - Y_hat) * network.sigmoid_prime(Z_3)
    delta_2 = delta_3 @ W_2.T * network.sigmoid_prime(Z_2)
    np.testing.assert_allclose(r["W_2"], W_2 - 0.7 * A_2.T @ delta_3, rtol=1e-15)
    np.testing.assert_allclose(r["W_1"], W_1 - 0.7 * X.T @ delta_2, rtol=1e-15)
    np.testing.assert_allclose(r["B_2"], -0.7 * delta_3.sum(axis=0, keepdims=True), rtol=1e-15)
    np.testing.assert_allclose(r["B_1"], -0.7 * delta_2.sum(axis=0, keepdims=True), rtol=1e-15)
    assert r["cost_history"][0] == 0.5 * np.sum((Y - Y_hat) ** 2)


def test_bias_is_added_to_every_row(study: tuple[np.ndarray, np.ndarray]) -> None:
    X, Y = study
    spec = network_spec(activation="linear", output_activation="linear", loss="mse", bias=True)
    acts = check_network_config(Y, spec)
    W = [np.ones((3, 2)), np.ones((2, 1))]
    B = [np.array([[1.0, -2.0]]), np.array([[0.5]])]
    fwd = forward_network(X, W, B, acts)
    np.testing.assert_allclose(fwd.Z[0], X @ W[0] + [1.0, -2.0], rtol=1e-15)
    np.testing.assert_allclose(fwd.Y_hat, (X @ W[0] + [1.0, -2.0]) @ W[1] + 0.5, rtol=1e-15)


def test_softmax_output_rows_sum_to_one_and_use_the_simplified_delta(
    study: tuple[np.ndarray, np.ndarray],
) -> None:
    X, Y = study
    Yc = onehot(Y)
    r = train_network(
        X, Yc, hidden=(4, 3), iterations=50, step=0.5, activation="tanh",
        output_activation="softmax", loss="cross_entropy", init="xavier",
    )  # fmt: skip
    np.testing.assert_allclose(r["Y_hat"].sum(axis=1), 1.0, rtol=0, atol=1e-15)
    assert r["cost_history"][-1] < r["cost_history"][0]
    spec = network_spec(activation="tanh", output_activation="softmax", loss="cross_entropy")
    acts = check_network_config(Yc, spec)
    W = [r["W_1"], r["W_2"], r["W_3"]]
    fwd = forward_network(X, W, None, acts)
    grad = backward_network(Yc, W, None, fwd, acts)
    expected = fwd.A[2].T @ softmax_cross_entropy_delta(Yc, fwd.Y_hat)
    assert np.array_equal(grad.dJ_dW[2], expected)


@pytest.mark.parametrize(("optimizer", "step"), [("gd", 1.0), ("momentum", 1.0),
                                                ("rmsprop", 0.01), ("adam", 0.01)])  # fmt: skip
def test_every_optimiser_lowers_the_cost(
    study: tuple[np.ndarray, np.ndarray], optimizer: str, step: float
) -> None:
    X, Y = study
    r = train_network(X, Y, hidden=(4, 3), iterations=200, step=step, optimizer=optimizer,
                      bias=True, init="xavier", activation="tanh")  # fmt: skip
    assert r["cost_history"][-1] < 0.5 * r["cost_history"][0]
    assert optimizer in OPTIMISERS


def test_divergence_stops_with_the_lectures_error(study: tuple[np.ndarray, np.ndarray]) -> None:
    X, Y = study
    with pytest.raises(network.DivergedError, match=r"training diverged at iteration 5: "
                       r"the cost is Inf; try a step smaller than 1000"):  # fmt: skip
        train_network(X, Y, step=1000.0, activation="linear", output_activation="linear",
                      loss="mse", iterations=1000)  # fmt: skip


BAD: list[tuple[dict[str, Any], str]] = [
    ({"hidden": 0}, r"hidden must be one or more whole numbers >= 1 .*; got 0"),
    ({"hidden": ()}, r"hidden must be one or more whole numbers >= 1 .*; got \(\)"),
    ({"hidden": (3, 0)}, r"hidden must be .*; got \(3, 0\)"),
    ({"hidden": 2.5}, r"hidden must be .*; got 2.5"),
    ({"hidden": "3"}, r"hidden must be .*; got '3'"),
    ({"seed": 1.5}, r"seed must be a whole number; got 1.5"),
    ({"seed": 2**31}, r"seed must be in \[-2147483647, 2147483647\]; got 2147483648"),
    ({"iterations": -1}, r"iterations must be a whole number >= 0; got -1"),
    ({"step": 0.0}, r"step must be a finite number > 0; got 0.0"),
    ({"step": float("nan")}, r"step must be a finite number > 0; got nan"),
    ({"activation": "softmax"}, r"activation must not be 'softmax': softmax is for the output"),
    ({"activation": "step"}, r"activation must not be 'step': the step function has no useful"),
    ({"output_activation": "step"}, r"output_activation must not be 'step'"),
    ({"activation": "swish"}, r"activation must be one of 'sigmoid', .*; got 'swish'"),
    ({"loss": "l1"}, r"loss must be one of 'half_sse', .*; got 'l1'"),
    ({"init": "glorot"}, r"init must be one of 'uniform', .*; got 'glorot'"),
    ({"optimizer": "sgd"}, r"optimizer must be one of 'gd', .*; got 'sgd'"),
    ({"bias": 1}, r"bias must be True or False; got 1"),
    ({"alpha": 0.0}, r"alpha must be a finite number > 0; got 0.0"),
    ({"beta": 1.0}, r"beta must be a number in \(0, 1\); got 1.0"),
    ({"eps": 0.0}, r"eps must be a finite number > 0; got 0.0"),
    ({"output_activation": "softmax"}, r"output_activation 'softmax' needs a target with >= 2"),
    ({"loss": "cross_entropy", "output_activation": "linear"},
     r"loss 'cross_entropy' takes the log of the outputs, so output_activation must be"),
]  # fmt: skip


@pytest.mark.parametrize(("kwargs", "message"), BAD)
def test_bad_arguments_get_one_clear_error_each(
    study: tuple[np.ndarray, np.ndarray], kwargs: dict[str, Any], message: str
) -> None:
    X, Y = study
    with pytest.raises(ValueError, match=message):
        train_network(X, Y, **{"iterations": 1, **kwargs})


def test_bad_targets_for_cross_entropy(study: tuple[np.ndarray, np.ndarray]) -> None:
    X, Y = study
    with pytest.raises(ValueError, match=r"loss 'binary_cross_entropy' needs targets in \[0, 1\]; "
                       r"Y has values in \[-0.1, 0.95\]"):  # fmt: skip
        train_network(X, np.vstack([Y[:-1], [[-0.1]]]), loss="binary_cross_entropy")
    Yc = onehot(Y)
    Yc[2] = [0.5, 0.0, 0.0]
    with pytest.raises(ValueError, match=r"each row of Y to sum to 1 .*; row 3 sums to 0.5"):
        train_network(X, Yc, output_activation="softmax", loss="cross_entropy")
    Yc[2] = [2.0, 0.0, 0.0]
    with pytest.raises(ValueError, match=r"loss 'cross_entropy' needs targets in \[0, 1\]"):
        train_network(X, Yc, output_activation="softmax", loss="cross_entropy")


@pytest.mark.parametrize(
    ("X", "Y", "message"),
    [
        ([[1.0]], np.ones((1, 1)), r"X and Y must be numeric matrices"),
        (
            np.ones((3, 2)),
            np.ones((2, 1)),
            r"same number of rows .*; got X \(3, 2\) and Y \(2, 1\)",
        ),
        (np.ones(3), np.ones((3, 1)), r"X and Y must be numeric matrices"),
        (np.array([["a"]]), np.ones((1, 1)), r"X and Y must be numeric matrices"),
        (np.array([[np.nan]]), np.ones((1, 1)), r"X and Y must hold only finite numbers"),
    ],
)
def test_bad_data(X: Any, Y: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        train_network(X, Y, iterations=1)


def test_hidden_accepts_numpy_ints(study: tuple[np.ndarray, np.ndarray]) -> None:
    X, Y = study
    a = train_network(X, Y, hidden=np.array([4, 2]), iterations=3, step=0.1)
    b = train_network(X, Y, hidden=[4, 2], iterations=3, step=0.1)
    assert np.array_equal(a["cost_history"], b["cost_history"])
    assert a["W_2"].shape == (4, 2)
