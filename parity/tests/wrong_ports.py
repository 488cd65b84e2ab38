"""Deliberately wrong Python ports, to show that the harness can fail.

Each is a ``Runner`` (case -> Result), handed to the harness in place of
``run_python``. The patched ones train through the port itself
(``backprop.fit.fit_file``, so the very ``train`` or ``train_network`` the
harness runs) with one function of ``backprop`` swapped, or one entry of a
table (``ACTIVATIONS``, ``OPTIMISERS``), where ``train_network`` finds it.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import replace
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from backprop import activations, network, optimisers
from backprop.data import load_scaled
from backprop.fit import fit_file
from backprop.network import train
from parity.cases import Case
from parity.sides import Result, initial_parameters, run_python


def _run_patched(case: Case, module: ModuleType, name: str, replacement: object) -> Result:
    """The case trained by ``backprop``'s own functions with one of them swapped."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, name, replacement)
        return fit_file(case.data_path, case.target, **case.settings()).result


def _run_with_entry(case: Case, table: MutableMapping[str, Any], name: str, entry: Any) -> Result:
    """The case trained by ``backprop``'s own functions with one entry of a table swapped."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(table, name, entry)
        return fit_file(case.data_path, case.target, **case.settings()).result


def changed_sigmoid(case: Case) -> Result:
    return _run_patched(case, network, "sigmoid", lambda Z: 1 / (1 + np.exp(-1.0001 * Z)))


def cost_without_the_half(case: Case) -> Result:
    return _run_patched(case, network, "cost", lambda Y, Y_hat: float(np.sum((Y - Y_hat) ** 2)))


def transposed_W_1(case: Case) -> Result:
    return {**run_python(case), "W_1": run_python(case)["W_1"].T}


def other_seed(case: Case) -> Result:
    return run_python(replace(case, seed=case.seed + 1))


def without_B_1(case: Case) -> Result:
    """A port that forgets to return the first bias."""
    return {q: v for q, v in run_python(case).items() if q != "B_1"}


def slips_at_iteration_300(case: Case) -> Result:
    """Right for 300 iterations, then one weight off by 1e-7 relative: a late bug.

    For a case of the lecture's ``train``, resumed from where it slipped
    through ``train``'s ``start``.
    """
    X, Y = load_scaled(case.data_path, case.target)
    lecture = {"hidden": case.hidden[0], "step": case.step}
    head = train(X, Y, **lecture, iterations=300, start=initial_parameters(run_python(case)))
    slipped = head["W_1"].copy()
    slipped.flat[0] *= 1 + 1e-7
    resumed = {"W_1": slipped, "W_2": head["W_2"]}
    tail = train(X, Y, **lecture, iterations=case.iterations - 300, start=resumed)
    cost_history = np.concatenate([head["cost_history"], tail["cost_history"]])
    return {**tail, "W_1_init": head["W_1_init"], "W_2_init": head["W_2_init"],
            "cost_history": cost_history}  # fmt: skip


def tanh_prime_without_the_square(case: Case) -> Result:
    """f'(z) = 1 - tanh(z) instead of 1 - tanh(z)^2."""

    def prime(Z: np.ndarray) -> np.ndarray:
        return 1 - np.tanh(Z)

    return _run_with_entry(case, activations.ACTIVATIONS, "tanh", (activations.tanh, prime))


def momentum_without_damping(case: Case) -> Result:
    """Velocity = beta * v + g: the (1 - beta) on the gradient forgotten."""

    def update(W, g, state, t, step, hyper):  # type: ignore[no-untyped-def]
        v = hyper.beta * state["v"] + g
        return W - step * v, {"v": v}

    return _run_with_entry(case, optimisers.OPTIMISERS, "momentum", (update, ("v",)))


def leaky_relu_prime_without_alpha(case: Case) -> Result:
    """f'(z) = 0 for z < 0: leaky ReLU's slope alpha forgotten (plain ReLU's derivative)."""

    def prime(Z: np.ndarray, alpha: float = 0.01) -> np.ndarray:
        return np.where(Z > 0, 1.0, 0.0)

    entry = (activations.leaky_relu, prime)
    return _run_with_entry(case, activations.ACTIVATIONS, "leaky_relu", entry)
