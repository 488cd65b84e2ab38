"""Deliberately wrong Python ports, to show that the harness can fail.

Each is a ``Runner`` (case -> TrainResult), handed to the harness in place of
``run_python``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from backprop import network
from backprop.network import TrainResult
from parity.cases import Case
from parity.sides import initial_weights, python_data, run_from, run_python, train_from


def _run_patched(case: Case, name: str, replacement: object) -> TrainResult:
    """The case trained by backprop.network's own functions with one of them swapped."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(network, name, replacement)
        return run_from(case, initial_weights(case))


def changed_sigmoid(case: Case) -> TrainResult:
    return _run_patched(case, "sigmoid", lambda Z: 1 / (1 + np.exp(-1.0001 * Z)))


def cost_without_the_half(case: Case) -> TrainResult:
    return _run_patched(case, "cost", lambda Y, Y_hat: float(np.sum((Y - Y_hat) ** 2)))


def transposed_W_1(case: Case) -> TrainResult:
    result = run_python(case)
    return replace(result, W_1=result.W_1.T)


def other_seed(case: Case) -> TrainResult:
    return run_python(replace(case, seed=case.seed + 1))


def slips_at_iteration_300(case: Case) -> TrainResult:
    """Right for 300 iterations, then one weight off by 1e-7 relative: a late bug."""
    X, Y = python_data(case)
    start = initial_weights(case)
    head = train_from(X, Y, start.W_1, start.W_2, 300, case.step)
    W_1 = head.W_1 * np.where(np.arange(head.W_1.size).reshape(head.W_1.shape) == 0, 1 + 1e-7, 1)
    tail = train_from(X, Y, W_1, head.W_2, case.iterations - 300, case.step)
    cost_history = np.concatenate([head.cost_history, tail.cost_history])
    return replace(tail, cost_history=cost_history, W_1_init=start.W_1, W_2_init=start.W_2)
