"""Initialisers: R's draws, by column, layer by layer; biases draw nothing."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backprop import initialisers, network
from backprop.rng import set_seed

# R 4.2.2: set.seed(1); sprintf("%.17g", rnorm(4))
R_RNORM_SEED_1 = [
    -0.62645381074233242,
    0.18364332422208224,
    -0.83562861241004716,
    1.5952808021377916,
]


def test_uniform_is_the_lectures_init_weights() -> None:
    params = initialisers.init_network((2, 3, 1), "uniform", 1, False)
    lecture = network.init_weights(2, 3, 1, 1)
    assert list(params) == list(lecture) == ["W_1", "W_2"]
    assert np.array_equal(params["W_1"], lecture["W_1"])
    assert np.array_equal(params["W_2"], lecture["W_2"])
    # R: set.seed(1); runif(1) is 0.26550866314209998, and it is W_1[1, 1]
    assert params["W_1"][0, 0] == 0.26550866314209998
    assert params["W_1"][1, 0] == 0.37212389963679016  # filled by column


def test_xavier_and_he_are_rs_rnorm_scaled() -> None:
    W = initialisers.draw_xavier(set_seed(1), 2, 2)
    sd = math.sqrt(2 / (2 + 2))
    expected = (sd * np.array(R_RNORM_SEED_1)).reshape((2, 2), order="F")
    np.testing.assert_allclose(W, expected, rtol=2e-16)
    W = initialisers.draw_he(set_seed(1), 4, 1)
    np.testing.assert_allclose(W[:, 0], math.sqrt(2 / 4) * np.array(R_RNORM_SEED_1), rtol=2e-16)


def test_small_uniform_is_runif_between_minus_and_plus_a_tenth() -> None:
    W = initialisers.draw_small_uniform(set_seed(2), 1, 2)
    # R: set.seed(2); sprintf("%.17g", runif(2, -0.1, 0.1))
    np.testing.assert_allclose(W, [[-0.063023548014462, 0.04047480719164015]], rtol=1e-15)
    many = initialisers.draw_small_uniform(set_seed(3), 50, 40)
    assert many.min() > -0.1 and many.max() < 0.1 and many.std() > 0.05


@pytest.mark.parametrize("init", initialisers.INITIALISERS)
def test_layers_are_drawn_in_order_and_bias_moves_no_draw(init: str) -> None:
    sizes = (3, 4, 2, 1)
    off = initialisers.init_network(sizes, init, 7, False)
    on = initialisers.init_network(sizes, init, 7, True)
    assert {name: W.shape for name, W in off.items()} == {
        "W_1": (3, 4), "W_2": (4, 2), "W_3": (2, 1)}  # fmt: skip
    assert list(on) == ["W_1", "W_2", "W_3", "B_1", "B_2", "B_3"]
    for name, W in off.items():
        assert np.array_equal(W, on[name])
    assert [on[f"B_{k}"].shape for k in (1, 2, 3)] == [(1, 4), (1, 2), (1, 1)]
    assert all(np.all(on[f"B_{k}"] == 0) for k in (1, 2, 3))
    # W_2 continues the stream where W_1 stopped
    rng = set_seed(7)
    draw = initialisers.get_initialiser(init)
    first = draw(rng, 3, 4)
    assert np.array_equal(first, off["W_1"])
    assert np.array_equal(draw(rng, 4, 2), off["W_2"])


def test_unknown_initialiser() -> None:
    with pytest.raises(ValueError, match=r"init must be one of 'uniform', 'xavier', 'he', "):
        initialisers.get_initialiser("glorot")
