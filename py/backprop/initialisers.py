"""Weight initialisers, all drawn from R's generator, and the network's starting parameters.

Twin of ``r/initialisers.R``: the same functions in the same order. R draws
from the generator ``set.seed()`` started; Python passes it as ``rng``.

Each W_k is an (n_in, n_out) matrix filled by column, the way R's
``matrix(runif(n), nrow = n_in)`` fills it; the layers are drawn in order
W_1, W_2, ..., so R and Python start from the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from backprop.activations import check_name
from backprop.rng import RGenerator, set_seed

Matrix = NDArray[np.float64]

INITIALISER_NAMES = ("uniform", "xavier", "he", "small_uniform")


def draw_uniform(rng: RGenerator, n_in: int, n_out: int) -> Matrix:
    """The lecture's runif(n): every weight in (0, 1)."""
    return rng.runif(n_in * n_out).reshape((n_in, n_out), order="F")


def draw_xavier(rng: RGenerator, n_in: int, n_out: int) -> Matrix:
    """Xavier (Glorot), as in seed document 000: N(0, 2 / (n_in + n_out)).

    A sigmoid or tanh layer then keeps the variance of its signal roughly
    constant both forward and backward.
    """
    sd = math.sqrt(2 / (n_in + n_out))
    return rng.rnorm(n_in * n_out, 0, sd).reshape((n_in, n_out), order="F")


def draw_he(rng: RGenerator, n_in: int, n_out: int) -> Matrix:
    """He: N(0, 2 / n_in).

    A ReLU zeroes about half its inputs, and the factor 2 makes up for the
    variance that loses.
    """
    sd = math.sqrt(2 / n_in)
    return rng.rnorm(n_in * n_out, 0, sd).reshape((n_in, n_out), order="F")


def draw_small_uniform(rng: RGenerator, n_in: int, n_out: int) -> Matrix:
    """ "Random initialisation in a small range" of seed document 001: U(-0.1, 0.1).

    0.1 keeps z = x w small for the lecture's inputs in [0, 1] (|z| < 0.1 D),
    so sigmoid and tanh units start near their steepest point, not saturated,
    while the weights still differ enough to break the symmetry between units.
    """
    return rng.runif(n_in * n_out, -0.1, 0.1).reshape((n_in, n_out), order="F")


Initialiser = Callable[[RGenerator, int, int], Matrix]


def get_initialiser(name: str) -> Initialiser:
    """The initialiser called ``name``: a function of (rng, n_in, n_out)."""
    check_name("init", name, INITIALISER_NAMES)
    initialisers: dict[str, Initialiser] = {
        "uniform": draw_uniform,
        "xavier": draw_xavier,
        "he": draw_he,
        "small_uniform": draw_small_uniform,
    }
    return initialisers[name]


class Parameters(NamedTuple):
    """Weights W_1 .. W_L, and biases B_1 .. B_L (None when bias is off)."""

    weights: tuple[Matrix, ...]
    biases: tuple[Matrix, ...] | None


def init_network(sizes: Sequence[int], init: str, seed: int, bias: bool) -> Parameters:
    """Weights for layer sizes (D, *hidden, K), drawn in order after ``set_seed(seed)``.

    Biases B_k are (1, n_out) rows of zeros and draw nothing, so turning bias
    on moves no weight draw.
    """
    draw = get_initialiser(init)
    rng = set_seed(seed)
    L = len(sizes) - 1
    weights = tuple(draw(rng, sizes[k], sizes[k + 1]) for k in range(L))
    biases = None
    if bias:
        biases = tuple(np.zeros((1, sizes[k + 1])) for k in range(L))
    return Parameters(weights, biases)
