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
from backprop.gradcheck import gradient_check, network_gradients
from backprop.resources import DATA_DIR
from parity.compare import diff_results
from parity.r_session import RSession

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
    assert all(float(r_ratios[name][0]) < 1e-7 > ratio for name, ratio in py_ratios.items())


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
