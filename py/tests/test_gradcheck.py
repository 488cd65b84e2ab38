"""The gradient check: every activation, loss, bias on/off and depth 1-3 pass, a planted bug fails.

Every activation and loss of the tables (``ACTIVATIONS``, ``LOSSES``) is checked:
a new entry is checked here without a line of this file changing.

Kinks: relu and leaky_relu have one at z = 0, MAE at y_hat = y. A central
difference that straddles a kink measures neither side's slope, so each
configuration is checked at the first seed (of 1..50) whose initial network
keeps every such z, and every |y_hat - y| under MAE, at least MARGIN = 1e-2
from its kink: a hundred times h = 1e-4, and every perturbation moves them by
at most about h. Xavier's weights of both signs put relu units on both sides
of the kink, so both branches of each derivative are exercised.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from backprop import activations, losses, model
from backprop.data import load_scaled
from backprop.gradcheck import (
    PASS_LIMIT,
    gradient_check,
    network_gradients,
    relative_difference,
)
from backprop.initialisers import init_network
from backprop.model import check_network_config, forward_network
from backprop.spec import network_spec

DATA = Path(__file__).resolve().parents[2] / "data"
MARGIN = 1e-2
# Every activation with a derivative, in a hidden layer and at the output, and softmax
# (whose derivative is its own rule) at the output.
HIDDEN = tuple(n for n, (_, prime) in activations.ACTIVATIONS.items() if prime is not None)
OUTPUT = (*HIDDEN, "softmax")
CLASS_LOSSES = ("binary_cross_entropy", "cross_entropy")  # through sigmoid or softmax only
DEPTHS = ((3,), (4, 3), (4, 3, 2))

X, y = load_scaled(DATA / "study.csv")  # (8, 3), (8, 1) in [0.75, 0.95]
Y_CLASS = np.eye(3)[np.digitize(y[:, 0] * 100, [84, 89])]  # one-hot, 3 classes
Y_BIN = (y >= 0.86).astype(float)  # 0/1


def target(output: str, loss: str) -> np.ndarray:
    """A two- or three-column target that suits the output's range and the loss."""
    if output == "softmax":
        return Y_CLASS
    if loss in ("binary_cross_entropy", "cross_entropy"):
        return np.hstack([Y_BIN, 1 - Y_BIN])
    if output == "tanh":
        return np.hstack([y, -y])
    if output == "linear":
        return np.hstack([y, 2 * y - 1])
    return np.hstack([y, 1 - y])


def kink_margin(Y: np.ndarray, hidden: tuple[int, ...], seed: int, act: str, out: str,
                loss: str, bias: bool) -> float:  # fmt: skip
    """How far the initial network keeps from every kink (inf if it has none)."""
    spec = network_spec(activation=act, output_activation=out, loss=loss, init="xavier", bias=bias)
    acts = check_network_config(Y, spec)
    params = init_network((X.shape[1], *hidden, Y.shape[1]), "xavier", seed, bias)
    weights = [P for name, P in params.items() if name.startswith("W_")]
    biases = [P for name, P in params.items() if name.startswith("B_")] or None
    fwd = forward_network(X, weights, biases, acts)
    margin = np.inf
    for k, Z in enumerate(fwd.Z):
        name = out if k == len(fwd.Z) - 1 else act
        if name in ("relu", "leaky_relu"):
            margin = min(margin, float(np.abs(Z).min()))
    if loss == "mae":
        margin = min(margin, float(np.abs(fwd.Y_hat - Y).min()))
    return margin


def configurations() -> list[tuple[str, str, str, bool, tuple[int, ...]]]:
    out = []
    for act, output, loss, bias, hidden in itertools.product(
        HIDDEN, OUTPUT, losses.LOSSES, (False, True), DEPTHS
    ):
        if loss in CLASS_LOSSES and output not in ("sigmoid", "softmax"):
            continue  # refused: the log of a non-probability
        out.append((act, output, loss, bias, hidden))
    return out


CONFIGS = configurations()


def test_the_sweep_covers_everything() -> None:
    regression_losses = len(losses.LOSSES) - len(CLASS_LOSSES)
    pairs = regression_losses * len(OUTPUT) + len(CLASS_LOSSES) * 2  # (output, loss)
    assert len(CONFIGS) == len(HIDDEN) * pairs * 2 * len(DEPTHS)
    assert {c[0] for c in CONFIGS} == set(HIDDEN) and {c[1] for c in CONFIGS} == set(OUTPUT)
    assert {"sigmoid", "tanh", "relu", "leaky_relu", "linear"} <= set(HIDDEN)
    assert {c[2] for c in CONFIGS} == set(losses.LOSSES)


@pytest.mark.parametrize(
    ("act", "output", "loss", "bias", "hidden"),
    CONFIGS,
    ids=lambda v: str(v).replace(" ", ""),
)
def test_every_configuration_passes(
    act: str, output: str, loss: str, bias: bool, hidden: tuple[int, ...]
) -> None:
    Y = target(output, loss)
    seed = next(
        s for s in range(1, 51) if kink_margin(Y, hidden, s, act, output, loss, bias) > MARGIN
    )
    ratios = gradient_check(
        X, Y, hidden=hidden, seed=seed, activation=act, output_activation=output,
        loss=loss, init="xavier", bias=bias,
    )  # fmt: skip
    names = [f"W_{k}" for k in range(1, len(hidden) + 2)]
    names += [f"B_{k}" for k in range(1, len(hidden) + 2)] if bias else []
    assert list(ratios) == names
    assert max(ratios.values()) < 5e-8 < PASS_LIMIT  # measured: at most 3.0e-8 (h = 5e-5)


def test_the_lecture_and_the_default_initialiser() -> None:
    ratios = gradient_check(*load_scaled(DATA / "lecture.csv"))
    assert set(ratios) == {"W_1", "W_2"}
    assert max(ratios.values()) < 1e-8  # measured: 3.6e-9 (h = 1e-4)


def test_at_given_parameters_with_nonzero_biases() -> None:
    rng = np.random.default_rng(5)
    params = {
        "W_1": rng.normal(size=(3, 4)), "W_2": rng.normal(size=(4, 3)),
        "B_1": rng.normal(size=(1, 4)), "B_2": rng.normal(size=(1, 3)),
    }  # fmt: skip
    ratios = gradient_check(X, Y_CLASS, hidden=4, activation="tanh", output_activation="softmax",
                            loss="cross_entropy", bias=True, start=params)  # fmt: skip
    assert max(ratios.values()) < PASS_LIMIT
    analytic, numeric = network_gradients(X, Y_CLASS, hidden=4, activation="tanh",
                                          output_activation="softmax", loss="cross_entropy",
                                          bias=True, start=params)  # fmt: skip
    assert np.abs(analytic["B_1"]).max() > 1e-3  # a real gradient, not zeros agreeing
    np.testing.assert_allclose(analytic["B_1"], numeric["B_1"], rtol=1e-6)


def test_a_wrong_derivative_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def wrong_tanh_prime(Z: np.ndarray) -> np.ndarray:
        return 1.1 * (1 - np.tanh(Z) ** 2)  # off by 10%

    monkeypatch.setitem(activations.ACTIVATIONS, "tanh", (activations.tanh, wrong_tanh_prime))
    ratios = gradient_check(X, y, hidden=(4, 3), activation="tanh", init="xavier")
    assert ratios["W_3"] < PASS_LIMIT  # the output layer's delta does not use tanh'
    assert ratios["W_2"] > 1e-3 and ratios["W_1"] > 1e-3


def test_a_wrong_loss_gradient_and_softmax_rule_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def lost_the_2(Y: np.ndarray, P: np.ndarray) -> np.ndarray:
        return -(Y - P) / Y.size

    monkeypatch.setitem(losses.LOSSES, "mse", (losses.mse, lost_the_2))
    ratios = gradient_check(X, y, loss="mse")
    assert min(ratios.values()) > 0.1  # 1/3 for a factor of 2
    monkeypatch.setattr(losses, "softmax_cross_entropy_delta", lambda Y, P: P - Y)  # lost 1/N
    monkeypatch.setattr(model, "softmax_cross_entropy_delta", lambda Y, P: P - Y)
    ratios = gradient_check(X, Y_CLASS, output_activation="softmax", loss="cross_entropy")
    assert min(ratios.values()) > 0.5


def test_relative_difference() -> None:
    a = np.array([[1.0, 2.0]])
    assert relative_difference(a, a) == 0.0
    assert relative_difference(np.zeros((1, 2)), np.zeros((1, 2))) == 0.0
    assert relative_difference(a, 1.1 * a) == pytest.approx(0.1 / 2.1, rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"activation": "step"}, r"activation must not be 'step': the step function"),
        ({"output_activation": "step"}, r"output_activation must not be 'step'"),
        ({"h": 0.0}, r"h must be a finite number > 0; got 0.0"),
        ({"start": {"W_1": np.ones((3, 3))}}, r"start must hold exactly W_1, W_2"),
        ({"start": {"W_1": np.ones((3, 2)), "W_2": np.ones((3, 1))}},
         r"W_1 of start must be a \(3, 3\) matrix of finite numbers; got \(3, 2\)"),
        ({"start": {"W_1": np.ones((3, 3)), "W_2": np.ones((3, 1))}, "bias": True},
         r"start must hold exactly W_1, W_2, B_1, B_2"),
        ({"hiden": 3}, r"unknown setting 'hiden'; the settings are hidden, seed"),
    ],
)  # fmt: skip
def test_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        gradient_check(X, y, **kwargs)  # type: ignore[arg-type]
