"""``train_fast``: the lecture's ``train``, fused for speed, bit for bit the same numbers.

``backprop.network.train`` is the twin of R's ``train``, statement for
statement, and the code a reader should meet first; ``backprop train`` runs
it. This module is the one place speed is bought, and a test holds it to
``train`` bit for bit (every weight, ``Y_hat`` and cost).

What it fuses, and why: on the lecture's 3-row data every numpy call costs
more in overhead than in arithmetic, so the twin's loop (about twenty
small-array calls a step, each allocating its result) is dominated by call
overhead. Here

- each ``exp(-Z)`` is computed once and serves both the sigmoid
  ``1 / (1 + e)`` and the slides' derivative ``e / (1 + e)^2``, the same
  operations in the same order as ``sigmoid`` and ``sigmoid_prime``;
- ``-(Y - Y_hat)`` is computed as ``Y_hat - Y`` (exactly the same double),
  once for the cost and once for ``delta_3``;
- every matrix lives in a buffer made once, written with ``out=``.

The comments give the R line each step twins.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from backprop.network import (
    Matrix,
    Progress,
    Result,
    check_start,
    check_training_args,
    init_weights,
    stop_if_diverged,
    stop_if_weights_diverged,
)


def train_fast(
    X: Matrix,
    Y: Matrix,
    *,
    hidden: int = 3,
    seed: int = 1,
    iterations: int = 10000,
    step: float = 5.0,
    start: Mapping[str, Matrix] | None = None,
    progress: Progress | None = None,
) -> Result:
    """``backprop.network.train``, fused: the same arguments, the same result, bit for bit."""
    check_training_args(X, Y, hidden, seed, iterations, step)
    if start is None:
        weights = init_weights(X.shape[1], int(hidden), Y.shape[1], seed)
    else:
        weights = check_start(start, (X.shape[1], int(hidden), Y.shape[1]), bias=False)
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    W_1 = weights["W_1"].copy()
    W_2 = weights["W_2"].copy()
    cost_history = np.full(int(iterations), np.nan)
    Z_2, A_2, F_2, delta_2 = (np.empty((X.shape[0], W_1.shape[1])) for _ in range(4))
    Z_3, Y_hat, F_3, delta_3 = (np.empty_like(Y) for _ in range(4))
    dJ_dW_1, dJ_dW_2 = np.empty_like(W_1), np.empty_like(W_2)
    X_T, A_2_T, W_2_T = X.T, A_2.T, W_2.T  # views made once; they follow the buffers
    with np.errstate(over="ignore", invalid="ignore"):  # as in train
        _sigmoid_and_prime(np.matmul(X, W_1, out=Z_2), A_2, F_2)  # Y_hat for 0 iterations
        _sigmoid_and_prime(np.matmul(A_2, W_2, out=Z_3), Y_hat, F_3)
        for i in range(1, int(iterations) + 1):
            np.matmul(X, W_1, out=Z_2)  # Z_2 <- X %*% W_1
            _sigmoid_and_prime(Z_2, A_2, F_2)  # A_2 <- sigmoid(Z_2)
            np.matmul(A_2, W_2, out=Z_3)  # Z_3 <- A_2 %*% W_2
            _sigmoid_and_prime(Z_3, Y_hat, F_3)  # Y_hat <- sigmoid(Z_3)
            np.subtract(Y_hat, Y, out=delta_3)  # == -(Y - Y_hat), exactly
            cost_history[i - 1] = cost_i = 0.5 * np.add.reduce(delta_3 * delta_3, axis=None)
            if not math.isfinite(cost_i):  # checked here, not in a call: this loop is hot
                stop_if_diverged(cost_i, i, step)
            if progress is not None:
                progress(i, cost_i)
            np.multiply(delta_3, F_3, out=delta_3)  # delta_3 <- -(Y - Y_hat) * f'(Z_3)
            np.matmul(A_2_T, delta_3, out=dJ_dW_2)  # dJ_dW_2 <- t(A_2) %*% delta_3
            np.matmul(delta_3, W_2_T, out=delta_2)  # delta_2 <- delta_3 %*% t(W_2)
            np.multiply(delta_2, F_2, out=delta_2)  #            * f'(Z_2)
            np.matmul(X_T, delta_2, out=dJ_dW_1)  # dJ_dW_1 <- t(X) %*% delta_2
            W_1 -= np.multiply(step, dJ_dW_1, out=dJ_dW_1)  # W_1 <- W_1 - step * dJ_dW_1
            W_2 -= np.multiply(step, dJ_dW_2, out=dJ_dW_2)  # W_2 <- W_2 - step * dJ_dW_2
    stop_if_weights_diverged([W_1, W_2], iterations, step)
    return {
        "W_1": W_1,
        "W_2": W_2,
        "Y_hat": Y_hat,
        "cost_history": cost_history,
        "W_1_init": weights["W_1"],
        "W_2_init": weights["W_2"],
    }


def _sigmoid_and_prime(Z: Matrix, A: Matrix, F: Matrix) -> None:
    """A <- sigmoid(Z) and F <- sigmoid_prime(Z), sharing one exp(-Z)."""
    np.negative(Z, out=F)
    np.exp(F, out=F)  # e = exp(-Z)
    np.add(F, 1.0, out=A)  # 1 + e
    np.divide(F, A * A, out=F)  # f'(Z) = e / (1 + e)^2
    np.divide(1.0, A, out=A)  # f(Z) = 1 / (1 + e)
