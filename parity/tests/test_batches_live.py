"""Mini-batch gradient descent: R's train_network against Python's, batch order by batch order.

Each epoch's order is R's ``sample(N)``, drawn in Python by ``backprop.rng``
from the stream that drew the weights: the orders must be equal exactly, the
weights and costs within the harness's tolerance.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from backprop.data import load_scaled
from backprop.model import train_network
from backprop.r_engine import RError, RSession
from backprop.resources import DATA_DIR
from parity.compare import diff_results

STUDY = load_scaled(DATA_DIR / "study.csv")  # (8, 3), (8, 1)
IRIS = load_scaled(DATA_DIR / "iris.csv", "onehot")  # (150, 4), (150, 3)
IRIS_SETTINGS = {"hidden": 4, "output_activation": "softmax", "loss": "cross_entropy",
                 "init": "xavier", "bias": True, "step": 0.05, "iterations": 30}  # fmt: skip
CASES: list[tuple[str, dict[str, Any]]] = [
    ("study", {"batch_size": 1, "iterations": 200, "step": 0.5}),
    ("study", {"batch_size": 3, "iterations": 200, "step": 0.5, "optimizer": "adam"}),
    ("study", {"batch_size": 8, "iterations": 200, "step": 0.5}),
    ("iris", {**IRIS_SETTINGS, "batch_size": 1}),
    ("iris", {**IRIS_SETTINGS, "batch_size": 16, "optimizer": "momentum"}),
    ("iris", {**IRIS_SETTINGS, "batch_size": 150}),
]
DATA = {"study": STUDY, "iris": IRIS}


@pytest.mark.parametrize(("data", "settings"), CASES, ids=[f"{d}-{s}" for d, s in CASES])
def test_r_and_python_train_the_same_mini_batches(
    r_session: RSession, data: str, settings: dict[str, Any]
) -> None:
    X, Y = DATA[data]
    in_r = r_session.call("train_network", X, Y, **settings)
    in_python = train_network(X, Y, **settings)
    assert list(in_r) == list(in_python)  # batch_order last
    assert in_python["batch_order"].shape == (settings["iterations"], X.shape[0])
    np.testing.assert_array_equal(in_r["batch_order"], in_python["batch_order"], strict=False)
    diffs = diff_results({k: np.asarray(v) for k, v in in_r.items()}, in_python)
    assert all(d.within for d in diffs.values()), {q: d for q, d in diffs.items() if not d.within}


def test_a_wrong_order_is_caught(r_session: RSession, monkeypatch) -> None:
    """The comparison fails when Python's shuffle is not R's (rows in order instead)."""
    X, Y = STUDY
    settings = {"batch_size": 3, "iterations": 20, "step": 0.5}
    in_r = r_session.call("train_network", X, Y, **settings)
    monkeypatch.setattr("backprop.rng.RGenerator.sample", lambda self, n: np.arange(1, n + 1))
    in_python = train_network(X, Y, **settings)
    diffs = diff_results({k: np.asarray(v) for k, v in in_r.items()}, in_python)
    assert not diffs["batch_order"].within and not diffs["W_1"].within


def test_one_batch_of_every_row_is_gradient_descent_again() -> None:
    """B = N: every epoch is one update from all rows, in a shuffled order, so equal to
    plain gradient descent up to the order of the sums (a few ulps)."""
    X, Y = STUDY
    plain = train_network(X, Y, iterations=300, step=0.5)
    batched = train_network(X, Y, iterations=300, step=0.5, batch_size=X.shape[0])
    diffs = diff_results(plain, {k: v for k, v in batched.items() if k != "batch_order"})
    assert all(d.within for d in diffs.values()), diffs


@pytest.mark.parametrize("batch_size", [0, 9, 2.5, -1])
def test_a_bad_batch_size_is_refused_alike(r_session: RSession, batch_size: float) -> None:
    X, Y = STUDY
    with pytest.raises(ValueError, match="batch_size must be") as in_python:
        train_network(X, Y, iterations=2, batch_size=batch_size)
    with pytest.raises(RError) as in_r:
        r_session.call("train_network", X, Y, iterations=2, batch_size=batch_size)
    assert str(in_python.value) == str(in_r.value).removeprefix("Error: ")
