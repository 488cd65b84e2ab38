"""The gradient check in both languages: the analytic gradients agree, and both pass.

The analytic gradients (one backward pass at the initial parameters) go
through the harness's comparator and tolerance. The numeric ones are central
differences, rounding divided by 2h: each language holds its own against its
analytic gradients (the ratio below 1e-7), not against the other's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from backprop.data import load_scaled
from backprop.gradcheck import PASS_LIMIT, gradient_check, network_gradients
from backprop.model import train_network
from backprop.r_engine import RSession
from backprop.resources import DATA_DIR
from parity.compare import diff_results

DATASETS = {
    "lecture": load_scaled(DATA_DIR / "lecture.csv"),
    "study": load_scaled(DATA_DIR / "study.csv"),
    "iris2": load_scaled(DATA_DIR / "iris2.csv", "binary"),
    "iris": load_scaled(DATA_DIR / "iris.csv", "onehot"),
}
CASES: list[tuple[str, dict[str, Any]]] = [
    ("lecture", {}),
    ("study", {"hidden": (4, 3), "activation": "tanh", "init": "xavier", "bias": True}),
    ("study", {"hidden": 4, "activation": "relu", "init": "xavier", "seed": 3, "loss": "mse"}),
    ("study", {"hidden": (3, 2), "activation": "leaky_relu", "output_activation": "linear",
               "init": "xavier", "seed": 2, "alpha": 0.2}),
    ("study", {"hidden": 3, "loss": "mae", "bias": True}),
    ("iris2", {"hidden": 3, "loss": "binary_cross_entropy", "init": "xavier"}),
    ("iris", {"hidden": (4, 3, 2), "output_activation": "softmax", "loss": "cross_entropy",
              "init": "xavier", "bias": True}),
    ("iris", {"hidden": 3, "output_activation": "softmax", "loss": "half_sse",
              "activation": "linear", "init": "small_uniform"}),
    ("study", {"hidden": (4, 3), "activation": "tanh", "init": "xavier", "bias": True,
               "decay": 0.1}),
    ("iris", {"hidden": 4, "output_activation": "softmax", "loss": "cross_entropy",
              "init": "xavier", "bias": True, "decay": 0.01}),
]  # fmt: skip


@pytest.mark.parametrize(("data", "settings"), CASES, ids=[f"{d}-{s}" for d, s in CASES])
def test_gradients_agree_and_both_checks_pass(
    r_session: RSession, data: str, settings: dict[str, Any]
) -> None:
    X, Y = DATASETS[data]
    in_r = r_session.call("network_gradients", X, Y, **settings)
    analytic, _ = network_gradients(X, Y, **settings)
    r_analytic = {k: np.asarray(v, dtype=np.float64) for k, v in in_r["analytic"].items()}
    diffs = diff_results(r_analytic, analytic)
    assert all(d.within for d in diffs.values()), diffs
    r_ratios = r_session.call("gradient_check", X, Y, **settings)
    py_ratios = gradient_check(X, Y, **settings)
    assert list(r_ratios) == list(py_ratios) == list(analytic)
    assert all(float(r_ratios[name][0]) < PASS_LIMIT > ratio for name, ratio in py_ratios.items())


@pytest.mark.parametrize("bias", [False, True])
def test_progress_is_called_once_per_parameter_in_both_languages(
    r_session: RSession, bias: bool
) -> None:
    X, Y = DATASETS["iris"]  # (150, 4) -> 4, 3 -> (150, 3): 16 + 12 + 9 weights, 4 + 3 + 3 biases
    settings = {"hidden": (4, 3), "output_activation": "softmax", "loss": "cross_entropy",
                "bias": bias}  # fmt: skip
    in_r: list[float] = []
    in_python: list[int] = []
    r_session.call("gradient_check", X, Y, progress=in_r.append, **settings)
    gradient_check(X, Y, progress=in_python.append, **settings)
    expected = 16 + 12 + 9 + (4 + 3 + 3 if bias else 0)
    assert in_r == in_python == [1] * expected


def test_the_check_sees_weight_decay_and_a_wrong_decay_gradient_fails_it(monkeypatch) -> None:
    X, Y = DATASETS["study"]
    settings = {"hidden": 4, "decay": 0.5}
    assert all(ratio < PASS_LIMIT for ratio in gradient_check(X, Y, **settings).values())
    import backprop.gradcheck

    def half_the_decay(grad, weights, decay):  # a wrong port: decay/2 * W
        return real(grad, weights, decay / 2)

    real = backprop.gradcheck.decay_gradients
    monkeypatch.setattr(backprop.gradcheck, "decay_gradients", half_the_decay)
    assert gradient_check(X, Y, **settings)["W_1"] > 1e-3


@pytest.mark.parametrize("decay", [-1.0, float("nan")])
def test_a_negative_decay_is_refused_alike(r_session: RSession, decay: float) -> None:
    X, Y = DATASETS["study"]
    with pytest.raises(ValueError) as in_python:
        train_network(X, Y, iterations=1, decay=decay)
    with pytest.raises(Exception) as in_r:
        r_session.call("train_network", X, Y, iterations=1, decay=decay)
    assert "decay must be a finite number >= 0" in str(in_python.value)
    assert (
        str(in_r.value).removeprefix("Error: ").split("; got")[0]
        == str(in_python.value).split("; got")[0]
    )
