"""Optimisers: how a weight matrix W moves, given its gradient g = dJ/dW, and one table
of them by name.

Twin of ``r/optimisers.R``: the same functions in the same order, the same table. Each
parameter matrix keeps its own state (velocity, running averages).

Every update takes (W, g, state, t, step, hyper) and returns (new W, new
state); t counts updates from 1 and ``hyper`` holds beta, rho, beta1, beta2
and eps. The formulas are seed document 001's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from backprop.checks import Matrix, check_name, check_positive, check_rate

State = dict[str, Matrix]


class Hyper(NamedTuple):
    """The optimisers' hyper-parameters; ``check_hyperparameters`` makes one."""

    beta: float
    rho: float
    beta1: float
    beta2: float
    eps: float


def gd_update(
    W: Matrix, g: Matrix, state: State, t: int, step: float, hyper: Hyper
) -> tuple[Matrix, State]:
    """The lecture's gradient descent: W <- W - step * g."""
    return W - step * g, state


def momentum_update(
    W: Matrix, g: Matrix, state: State, t: int, step: float, hyper: Hyper
) -> tuple[Matrix, State]:
    """Velocity = beta * previous velocity + (1 - beta) * gradient; W <- W - step * velocity."""
    v = hyper.beta * state["v"] + (1 - hyper.beta) * g
    return W - step * v, {"v": v}


def rmsprop_update(
    W: Matrix, g: Matrix, state: State, t: int, step: float, hyper: Hyper
) -> tuple[Matrix, State]:
    """A running average s of g^2 scales each weight's step.

    Large, steady gradients take smaller steps, small ones larger.
    """
    s = hyper.rho * state["s"] + (1 - hyper.rho) * g**2
    return W - step * g / (np.sqrt(s) + hyper.eps), {"s": s}


def adam_update(
    W: Matrix, g: Matrix, state: State, t: int, step: float, hyper: Hyper
) -> tuple[Matrix, State]:
    """Adam: momentum's average m of g and RMSprop's average v of g^2.

    Both are corrected for starting at 0 (after t updates they hold only
    1 - beta^t of their weight), then W <- W - step * m_hat / (sqrt(v_hat) + eps).
    """
    m = hyper.beta1 * state["m"] + (1 - hyper.beta1) * g
    v = hyper.beta2 * state["v"] + (1 - hyper.beta2) * g**2
    m_hat = m / (1 - hyper.beta1**t)
    v_hat = v / (1 - hyper.beta2**t)
    return W - step * m_hat / (np.sqrt(v_hat) + hyper.eps), {"m": m, "v": v}


Update = Callable[[Matrix, Matrix, State, int, float, Hyper], tuple[Matrix, State]]

# Every optimiser train_network takes, by name: its update of one matrix and
# the state each matrix keeps (zeros shaped like it to start). bfgs has no
# update of one matrix: it moves every weight at once through R's optim
# (train_bfgs in model.py).
OPTIMISERS: dict[str, tuple[Update | None, tuple[str, ...]]] = {
    "gd": (gd_update, ()),
    "momentum": (momentum_update, ("v",)),
    "rmsprop": (rmsprop_update, ("s",)),
    "adam": (adam_update, ("m", "v")),
    "bfgs": (None, ()),
}


def init_optimiser_state(name: str, W: Matrix) -> State:
    """The starting state of one parameter matrix: zeros shaped like W."""
    _, state = OPTIMISERS[name]
    return {key: np.zeros(W.shape) for key in state}


def get_optimiser(name: str) -> Update:
    """The update function of the optimiser called ``name`` (any but bfgs)."""
    updates = {n: update for n, (update, _) in OPTIMISERS.items() if update is not None}
    check_name("optimizer", name, tuple(updates))
    return updates[name]


def check_hyperparameters(beta: float, rho: float, beta1: float, beta2: float, eps: float) -> Hyper:
    """beta, rho, beta1 and beta2 are decay rates in (0, 1); eps is > 0."""
    rates = {"beta": beta, "rho": rho, "beta1": beta1, "beta2": beta2}
    for name, value in rates.items():
        check_rate(name, value)
    check_positive("eps", eps)
    return Hyper(float(beta), float(rho), float(beta1), float(beta2), float(eps))
