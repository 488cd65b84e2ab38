"""The sides a case is run on: live R, Python, Python from given weights, frozen R.

Each side starts from the raw CSV and loads it in its own language
(``load_scaled`` with the case's target), so the data path is part of what
parity checks; then it calls ``case.trainer``: the lecture's ``train`` or
``train_network``. A side is a ``Runner``: a function from a ``Case`` to a
``Result``, a dict from quantity names (``case.quantities()``) to arrays. The
harness takes the Python side as an argument, so tests can hand it a
deliberately wrong port.

For the one-ulp sensitivity, Python reruns a case from nudged initial
weights: ``train_from`` is the lecture's loop and ``train_network_from``
the generalised one, each built from its module's public pieces and
bit-identical to ``train`` / ``train_network`` from un-nudged weights (tests
hold them to that).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

import backprop.model as model
import backprop.optimisers as optimisers
from backprop import data, network
from backprop.initialisers import Parameters, init_network
from backprop.network import Matrix, TrainResult
from parity.cases import LECTURE_TRAINER, ROOT, Case
from parity.r_session import session

Result = dict[str, Matrix]
Runner = Callable[[Case], Result]
REFERENCE_DIR = ROOT / "parity" / "reference"


def r_args(case: Case) -> dict[str, Any]:
    """``case.train_args()`` for rpy2: several hidden layers go as an integer vector."""
    args = case.train_args()
    if isinstance(args["hidden"], tuple):
        args["hidden"] = np.array(args["hidden"], dtype=np.int32)
    return args


@functools.cache
def run_r(case: Case) -> Result:
    """``train`` or ``train_network`` in R, on data read and encoded by R's ``load_scaled``."""
    r = session()
    loaded = r.call("load_scaled", str(case.data_path), target=case.target)
    result = r.call(case.trainer, loaded["X"], loaded["Y"], **r_args(case))
    return _read_only({q: np.asarray(v, dtype=np.float64) for q, v in result.items()})


def python_data(case: Case) -> tuple[Matrix, Matrix]:
    """The case's ``X`` (N, D) and ``Y`` (N, K), read and encoded in Python."""
    return data.load_scaled(case.data_path, case.target)


@functools.cache
def run_python(case: Case) -> Result:
    """``backprop.train`` or ``backprop.model.train_network``: the port under test."""
    X, Y = python_data(case)
    if case.trainer == LECTURE_TRAINER:
        return _read_only(_lecture_result(network.train(X, Y, **case.train_args())))
    return _read_only(model.train_network(X, Y, **case.train_args()).as_dict())


def initial_parameters(case: Case) -> Parameters:
    """The case's initial weights (and zero biases), drawn in Python as its trainer draws them."""
    X, Y = python_data(case)
    if case.trainer == LECTURE_TRAINER:
        weights = network.init_weights(X.shape[1], case.hidden[0], Y.shape[1], case.seed)
        return Parameters((weights.W_1, weights.W_2), None)
    return init_network(case.sizes(), case.init, case.seed, case.bias)


def run_from(case: Case, start: Parameters) -> Result:
    """The case trained in Python from given initial parameters."""
    X, Y = python_data(case)
    if case.trainer == LECTURE_TRAINER:
        W_1, W_2 = start.weights
        return _lecture_result(train_from(X, Y, W_1, W_2, case.iterations, case.step))
    return train_network_from(X, Y, start, case)


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


def train_network_from(X: Matrix, Y: Matrix, start: Parameters, case: Case) -> Result:
    """``train_network``'s loop from ``backprop.model``'s public pieces and given parameters.

    From ``init_network``'s parameters it is bit-identical to
    ``train_network`` (a test holds it to that, for every case).
    """
    acts = model.check_network_config(
        Y, case.activation, case.output_activation, case.loss, case.init, case.bias, case.alpha
    )
    update = optimisers.get_optimiser(case.optimizer)
    hyper = optimisers.check_hyperparameters(case.beta, case.rho, case.beta1, case.beta2, case.eps)
    L = len(start.weights)
    params = [*start.weights, *(start.biases or ())]  # W_1 .. W_L, then B_1 .. B_L
    state = [optimisers.init_optimiser_state(case.optimizer, P) for P in params]
    cost_history = np.full(case.iterations, np.nan)
    with np.errstate(over="ignore", invalid="ignore"):  # as in train_network
        fwd = model.forward_network(X, params[:L], params[L:] or None, acts)
        for i in range(1, case.iterations + 1):
            fwd = model.forward_network(X, params[:L], params[L:] or None, acts)
            cost_history[i - 1] = acts.loss.f(Y, fwd.Y_hat)
            network.stop_if_diverged(cost_history[i - 1], i, case.step)
            grad = model.backward_network(Y, params[:L], params[L:] or None, fwd, acts)
            for k, g in enumerate([*grad.dJ_dW, *(grad.dJ_dB or ())]):
                params[k], state[k] = update(params[k], g, state[k], i, case.step, hyper)
    for P in params:  # the last update can overflow without any cost having shown it
        if not np.isfinite(P).all():
            bad = float(P[~np.isfinite(P)][0])
            network.stop_if_diverged(bad, case.iterations, case.step, "a weight")
    biases = params[L:] if start.biases is not None else None
    return model.network_result(
        params[:L], biases, fwd.Y_hat, cost_history, start.weights, start.biases
    ).as_dict()


def nudge(start: Parameters) -> Parameters:
    """Every initial weight moved up by one ulp.

    The biases start at exactly 0, where one ulp is 5e-324: added to any Z
    it vanishes, so they stay as they are.
    """
    return Parameters(tuple(np.nextafter(W, np.inf) for W in start.weights), start.biases)


@functools.cache
def run_nudged(case: Case) -> Result:
    """The case in Python from initial weights one ulp away: its sensitivity."""
    return _read_only(run_from(case, nudge(initial_parameters(case))))


def read_reference(case: Case) -> Result:
    """R's frozen outputs of ``case``, written by ``make_reference.R``."""
    return {q: read_array(reference_file(case, q)) for q in case.quantities()}


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


def _lecture_result(result: TrainResult) -> Result:
    return asdict(result)


def _read_only(result: Result) -> Result:
    """Cached results are shared: make sure nobody changes them."""
    for array in result.values():
        array.setflags(write=False)
    return result
