"""The sides a case is run on: live R, Python, Python from given weights, frozen R.

Each side starts from the raw CSV and scales it in its own language, so the
data path is part of what parity checks. A side is a ``Runner``: a function
from a ``Case`` to a ``TrainResult``; the harness takes the Python side as an
argument, so tests can hand it a deliberately wrong port.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import numpy as np

from backprop import data, network
from backprop.network import Matrix, TrainResult, Weights
from parity.cases import ROOT, Case
from parity.r_session import session

Runner = Callable[[Case], TrainResult]
QUANTITIES = ("W_1", "W_2", "Y_hat", "W_1_init", "W_2_init", "cost_history")
REFERENCE_DIR = ROOT / "parity" / "reference"


@functools.cache
def run_r(case: Case) -> TrainResult:
    """``train`` in R, on data read by R's ``read_data`` and scaled in R."""
    r = session()
    raw = r.call("read_data", str(case.data_path))
    X = r.call("scale_features", raw["x"])
    Y = r.call("scale_target", raw["y"])
    result = r.call("train", X, Y, **case.train_args())
    return _read_only(
        TrainResult(**{q: np.asarray(result[q], dtype=np.float64) for q in QUANTITIES})
    )


def python_data(case: Case) -> tuple[Matrix, Matrix]:
    """The case's ``X`` (N, D) and ``Y`` (N, 1), read and scaled in Python."""
    x, y = data.read_data(case.data_path)
    return network.scale_features(x), network.scale_target(y)


@functools.cache
def run_python(case: Case) -> TrainResult:
    """``backprop.train``, the port under test."""
    X, Y = python_data(case)
    return _read_only(network.train(X, Y, **case.train_args()))  # type: ignore[arg-type]


def initial_weights(case: Case) -> Weights:
    """The case's initial weights, drawn in Python as ``train`` draws them."""
    X, Y = python_data(case)
    return network.init_weights(X.shape[1], case.hidden, Y.shape[1], case.seed)


def run_from(case: Case, weights: Weights) -> TrainResult:
    """The case trained in Python from given initial weights."""
    X, Y = python_data(case)
    return train_from(X, Y, weights.W_1, weights.W_2, case.iterations, case.step)


def train_from(
    X: Matrix, Y: Matrix, W_1: Matrix, W_2: Matrix, iterations: int, step: float
) -> TrainResult:
    """The lecture's loop from ``backprop.network``'s own functions and given weights.

    From ``init_weights``' weights it is bit-identical to ``backprop.train``
    (a test holds it to that), so it can rerun a case from nudged weights.
    """
    W_1_init, W_2_init = W_1, W_2
    cost_history = np.full(iterations, np.nan)
    fwd = network.forward(X, W_1, W_2)  # Y_hat of the initial weights, for 0 iterations
    for i in range(iterations):
        fwd = network.forward(X, W_1, W_2)
        cost_history[i] = network.cost(Y, fwd.Y_hat)
        network.stop_if_diverged(cost_history[i], i + 1, step)
        grad = network.backprop(X, Y, W_2, fwd)
        W_1 = W_1 - step * grad.dJ_dW_1
        W_2 = W_2 - step * grad.dJ_dW_2
    return TrainResult(W_1, W_2, fwd.Y_hat, cost_history, W_1_init, W_2_init)


def nudge(weights: Weights) -> Weights:
    """Every weight moved up by one ulp."""
    return Weights(W_1=np.nextafter(weights.W_1, np.inf), W_2=np.nextafter(weights.W_2, np.inf))


@functools.cache
def run_nudged(case: Case) -> TrainResult:
    """The case in Python from initial weights one ulp away: its sensitivity."""
    return _read_only(run_from(case, nudge(initial_weights(case))))


def read_reference(case: Case) -> TrainResult:
    """R's frozen outputs of ``case``, written by ``make_reference.R``."""
    return TrainResult(**{q: read_array(reference_file(case, q)) for q in QUANTITIES})


def reference_file(case: Case, quantity: str) -> Path:
    return REFERENCE_DIR / case.name / f"{quantity}.txt"


def read_array(path: Path) -> Matrix:
    """A file of ``dim d1 [d2]`` then one ``%.17g`` value a line, in R's column order."""
    header, *values = path.read_text().splitlines()
    word, *dims = header.split()
    if word != "dim" or not dims:
        raise ValueError(f"{path}: first line must be 'dim' and the dimensions; got {header!r}")
    shape = tuple(int(d) for d in dims)
    return np.array([float(v) for v in values], dtype=np.float64).reshape(shape, order="F")


def _read_only(result: TrainResult) -> TrainResult:
    """Cached results are shared: make sure nobody changes them."""
    for field in fields(result):
        getattr(result, field.name).setflags(write=False)
    return result
