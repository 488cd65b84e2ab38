"""Optimisers on hand-computed tiny examples, state per matrix, and hyper-parameter errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backprop import optimisers

H = optimisers.check_hyperparameters(beta=0.9, rho=0.9, beta1=0.9, beta2=0.999, eps=1e-8)
W = np.array([[1.0, -2.0]])
g = np.array([[0.5, -0.25]])
UPDATES = [name for name, (update, _) in optimisers.OPTIMISERS.items() if update is not None]


def run(name: str, steps: int, step: float = 0.1) -> tuple[np.ndarray, optimisers.State]:
    update = optimisers.get_optimiser(name)
    W_t, state = W, optimisers.init_optimiser_state(name, W)
    for t in range(1, steps + 1):
        W_t, state = update(W_t, g, state, t, step, H)
    return W_t, state


def test_gd_is_the_lectures_step() -> None:
    W_1, state = run("gd", 1)
    assert W_1.tolist() == [[1.0 - 0.1 * 0.5, -2.0 + 0.1 * 0.25]]
    assert state == {}


def test_momentum_by_hand() -> None:
    W_2, state = run("momentum", 2)
    # v_1 = 0.1 g; v_2 = 0.9 * 0.1 g + 0.1 g = 0.19 g; W_2 = W - 0.1 (v_1 + v_2) = W - 0.029 g
    np.testing.assert_allclose(state["v"], 0.19 * g, rtol=1e-15)
    np.testing.assert_allclose(W_2, W - 0.029 * g, rtol=1e-15)


def test_rmsprop_by_hand() -> None:
    W_1, state = run("rmsprop", 1)
    np.testing.assert_allclose(state["s"], 0.1 * g**2, rtol=1e-15)
    # s = 0.1 g^2, so g / sqrt(s) = sign(g) * sqrt(10)
    expected = W - 0.1 * g / (np.sqrt(0.1 * g**2) + 1e-8)
    np.testing.assert_allclose(W_1, expected, rtol=1e-15)
    assert W_1[0, 0] == pytest.approx(1.0 - 0.1 * math.sqrt(10), rel=1e-7)


def test_adam_by_hand() -> None:
    W_1, state = run("adam", 1)
    # bias correction: m_hat = g, v_hat = g^2, so the first step is step * sign(g)
    np.testing.assert_allclose(state["m"], 0.1 * g, rtol=1e-15)
    np.testing.assert_allclose(state["v"], 0.001 * g**2, rtol=1e-12)
    np.testing.assert_allclose(W_1, [[0.9, -1.9]], rtol=1e-7)
    W_2, state = run("adam", 2)
    # with a constant gradient m_hat = g and v_hat = g^2 at every t
    np.testing.assert_allclose(W_2, [[0.8, -1.8]], rtol=1e-7)
    assert state["m"] == pytest.approx(0.19 * g, rel=1e-15)


@pytest.mark.parametrize("name", UPDATES)
def test_updates_do_not_touch_their_inputs_and_state_is_per_matrix(name: str) -> None:
    update = optimisers.get_optimiser(name)
    W_in, g_in = W.copy(), g.copy()
    state_a = optimisers.init_optimiser_state(name, W)
    state_b = optimisers.init_optimiser_state(name, W)
    update(W_in, g_in, state_a, 1, 0.1, H)
    assert np.array_equal(W_in, W) and np.array_equal(g_in, g)
    assert all(np.all(v == 0) for v in state_a.values())
    for key in state_a:
        assert state_a[key] is not state_b[key]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"beta": 0.0}, r"beta must be a number in \(0, 1\); got 0.0"),
        ({"beta": 1.0}, r"beta must be a number in \(0, 1\); got 1.0"),
        ({"rho": -0.5}, r"rho must be a number in \(0, 1\); got -0.5"),
        ({"beta1": 1.5}, r"beta1 must be a number in \(0, 1\); got 1.5"),
        ({"beta2": 1}, r"beta2 must be a number in \(0, 1\); got 1"),
        ({"beta2": math.nan}, r"beta2 must be a number in \(0, 1\); got nan"),
        ({"beta": True}, r"beta must be a number in \(0, 1\); got True"),
        ({"eps": 0.0}, r"eps must be a finite number > 0; got 0.0"),
        ({"eps": -1e-8}, r"eps must be a finite number > 0; got -1e-08"),
        ({"eps": math.inf}, r"eps must be a finite number > 0; got inf"),
    ],
)
def test_bad_hyperparameters_are_refused(kwargs: dict[str, float], message: str) -> None:
    args = {"beta": 0.9, "rho": 0.9, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, **kwargs}
    with pytest.raises(ValueError, match=message):
        optimisers.check_hyperparameters(**args)


def test_unknown_optimiser() -> None:
    with pytest.raises(ValueError, match=r"optimizer must be one of 'gd', 'momentum', 'rmsprop', "):
        optimisers.get_optimiser("sgd")


def test_bfgs_is_in_the_table_without_an_update_of_one_matrix() -> None:
    """train_network takes bfgs (through R's optim, every weight at once); the updates of
    one matrix are the others, and only they are looked up."""
    assert list(optimisers.OPTIMISERS) == [*UPDATES, "bfgs"]
    assert optimisers.init_optimiser_state("bfgs", W) == {}
    with pytest.raises(ValueError, match=r"one of 'gd', 'momentum', 'rmsprop', 'adam'; got 'bfgs'"):
        optimisers.get_optimiser("bfgs")
