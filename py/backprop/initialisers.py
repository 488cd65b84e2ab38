"""Weight initialisers, all drawn from R's generator, one table of them by name, and the
network's starting parameters.

Twin of ``r/initialisers.R``: the same functions in the same order, the same table. R draws
from the generator ``set.seed()`` started; Python passes it as ``rng``.

Each W_k is an (n_in, n_out) matrix filled by column, the way R's
``matrix(runif(n), nrow = n_in)`` fills it; the layers are drawn in order
W_1, W_2, ..., so R and Python start from the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from backprop.checks import Matrix, check_name
from backprop.network import Params
from backprop.rng import RGenerator, set_seed


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

# Every initialiser by name.
INITIALISERS: dict[str, Initialiser] = {
    "uniform": draw_uniform,
    "xavier": draw_xavier,
    "he": draw_he,
    "small_uniform": draw_small_uniform,
}


def get_initialiser(name: str) -> Initialiser:
    """The initialiser called ``name``: a function of (rng, n_in, n_out)."""
    check_name("init", name, tuple(INITIALISERS))
    return INITIALISERS[name]


def init_network(sizes: Sequence[int], init: str, seed: int | RGenerator, bias: bool) -> Params:
    """Weights for layer sizes (D, *hidden, K), drawn in order after ``set_seed(seed)``
    (or from ``seed`` itself when it is an ``RGenerator``, R's stream as it stands).

    Then (with bias) B_1 .. B_L: (1, n_out) rows of zeros that draw nothing,
    so turning bias on moves no weight draw. A dict W_1 .. W_L, B_1 .. B_L,
    the shape ``train_network``'s ``start`` takes.
    """
    draw = get_initialiser(init)
    rng = seed if isinstance(seed, RGenerator) else set_seed(seed)
    k = range(1, len(sizes))
    params = {f"W_{i}": draw(rng, sizes[i - 1], sizes[i]) for i in k}
    if bias:
        zeros = {f"B_{i}": np.zeros((1, sizes[i])) for i in k}
        params.update(zeros)
    return params
