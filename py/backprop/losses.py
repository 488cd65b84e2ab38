"""Loss functions J(Y, Y_hat), each with its gradient dJ/dY_hat, and one table of them by name.

Twin of ``r/losses.R``: the same functions in the same order, the same table.

``Y`` and ``Y_hat`` are (N, K) matrices: N rows of data, K outputs. "mean" is
over all N * K entries, except cross_entropy, which sums over the K classes
and averages over the N rows.

The sums run over a matrix's ENTRIES, its last two axes: one number for one
network, and, for ``Y_hat`` of K restarts trained together (K, N, K_out), one
per restart (``train_restarts``). The gradients are entry by entry already.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from backprop.checks import Matrix, check_name

ENTRIES = (-2, -1)  # a matrix's rows and columns: R's sum() of all of it
Cost = float | NDArray[np.float64]  # a number, or one per restart


def half_sse(Y: Matrix, Y_hat: Matrix) -> Cost:
    """The lecture's J = 1/2 sum (y - y_hat)^2, as ``backprop.network.cost``."""
    return 0.5 * np.sum((Y - Y_hat) ** 2, axis=ENTRIES)


def half_sse_gradient(Y: Matrix, Y_hat: Matrix) -> Matrix:
    """-(Y - Y_hat), the lecture's factor of delta_3."""
    return -(Y - Y_hat)


def mse(Y: Matrix, Y_hat: Matrix) -> Cost:
    return np.sum((Y - Y_hat) ** 2, axis=ENTRIES) / Y.size


def mse_gradient(Y: Matrix, Y_hat: Matrix) -> Matrix:
    return -2 * (Y - Y_hat) / Y.size


def mae(Y: Matrix, Y_hat: Matrix) -> Cost:
    """mean |y - y_hat|: a kink at y_hat = y, where sign() gives 0."""
    return np.sum(np.abs(Y - Y_hat), axis=ENTRIES) / Y.size


def mae_gradient(Y: Matrix, Y_hat: Matrix) -> Matrix:
    return np.sign(Y_hat - Y) / Y.size


def xlogy(x: Matrix, y: Matrix) -> Matrix:
    """x * log(y) with 0 * log(0) = 0.

    A class the target gives no weight costs nothing, even where the
    prediction for it has saturated to exactly 0.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, 0.0, x * np.log(y))


def xdivy(x: Matrix, y: Matrix) -> Matrix:
    """x / y with 0 / 0 = 0, for the gradients of the same terms."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, 0.0, x / y)


def binary_cross_entropy(Y: Matrix, Y_hat: Matrix) -> Cost:
    """-mean(y log p + (1 - y) log(1 - p)), over all N * K outputs.

    Each output is its own yes/no question; targets and predictions in [0, 1].
    """
    return -np.sum(xlogy(Y, Y_hat) + xlogy(1 - Y, 1 - Y_hat), axis=ENTRIES) / Y.size


def binary_cross_entropy_gradient(Y: Matrix, Y_hat: Matrix) -> Matrix:
    return (xdivy(1 - Y, 1 - Y_hat) - xdivy(Y, Y_hat)) / Y.size


def cross_entropy(Y: Matrix, Y_hat: Matrix) -> Cost:
    """Categorical: -(1/N) sum_n sum_k y_nk log p_nk.

    Each row of ``Y`` is a distribution over the K classes (one-hot for hard labels).
    """
    return -np.sum(xlogy(Y, Y_hat), axis=ENTRIES) / Y.shape[0]


def cross_entropy_gradient(Y: Matrix, Y_hat: Matrix) -> Matrix:
    return -xdivy(Y, Y_hat) / Y.shape[0]


def softmax_cross_entropy_delta(Y: Matrix, Y_hat: Matrix) -> Matrix:
    """The output delta dJ/dZ for a softmax output and cross_entropy.

    G = dJ/dA = -Y / (N A); softmax's rule delta = A * (G - rowSums(G * A))
    gives delta = -Y / N + A * rowSums(Y) / N = (A - Y) / N, because each row
    of Y sums to 1 (``train_network`` checks it). No division by A, so it
    stays finite where a softmax output has saturated to 0.
    """
    return (Y_hat - Y) / Y.shape[0]


LossFunction = Callable[[Matrix, Matrix], Cost]  # J(Y, Y_hat)
Gradient = Callable[[Matrix, Matrix], Matrix]  # dJ/dY_hat (Y, Y_hat)


class Loss(NamedTuple):
    """A loss's name, f (a number) and gradient dJ/dY_hat (a matrix): ``get_loss``'s answer."""

    name: str
    f: LossFunction
    gradient: Gradient


# Every loss by name: J and its gradient side by side.
LOSSES: dict[str, tuple[LossFunction, Gradient]] = {
    "half_sse": (half_sse, half_sse_gradient),
    "mse": (mse, mse_gradient),
    "mae": (mae, mae_gradient),
    "binary_cross_entropy": (binary_cross_entropy, binary_cross_entropy_gradient),
    "cross_entropy": (cross_entropy, cross_entropy_gradient),
}


def get_loss(name: str) -> Loss:
    """The loss called ``name``; a clear ValueError for an unknown name."""
    check_name("loss", name, tuple(LOSSES))
    f, gradient = LOSSES[name]
    return Loss(name, f, gradient)
