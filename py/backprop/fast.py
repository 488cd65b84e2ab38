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

``train_fast_r`` is the same for R's arithmetic: ``train(as_r(X), as_r(Y))``
(the twin on ``backprop.rarith``'s RArrays) computes R's numbers to the last
bit, but pays a Python-level dispatch for each of its forty-odd small matrix
operations a step. ``train_fast_r`` runs the whole loop in the compiled core
(``backprop._rarith.lecture_train``: the reference BLAS's loop order for
``%*%``, a long double ``sum``, libm's ``exp``) and a test holds it to the
twin on RArrays, and to live R, bit for bit. Where a value stops being
finite, R's arithmetic depends on NaN bits the core does not model: it then
runs the twin on RArrays from the start, whose numbers and errors are R's.

``train_restarts_fast`` is ``backprop.fit.train_restarts`` for the lecture's
network (sigmoid, half the sum of squares, gradient descent, no bias) on R's
arithmetic, each restart trained by that compiled loop: R's loop over the
restarts, bit for bit (a test holds it to ``train_restarts`` on RArrays, which
trains them together, and to live R).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from backprop.checks import Matrix
from backprop.fit import check_restarts, train_restarts
from backprop.initialisers import init_network
from backprop.model import check_network_data
from backprop.network import (
    Progress,
    Result,
    check_start,
    check_training_args,
    init_weights,
    stop_if_diverged,
    stop_if_weights_diverged,
    train,
)
from backprop.rarith import RArray, as_r
from backprop.rng import set_seed

try:
    import backprop._rarith as _core
except ImportError:  # pragma: no cover -- a build without a C compiler
    _core = None  # type: ignore[assignment]


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
    """``backprop.network.train``, fused: the same arguments, the same result, bit for bit.

    On RArrays (R's arithmetic) it is ``train_fast_r``, as ``train`` on RArrays
    computes R's numbers."""
    if isinstance(X, RArray) or isinstance(Y, RArray):
        return train_fast_r(X, Y, hidden=hidden, seed=seed, iterations=iterations, step=step,
                            start=start, progress=progress)  # fmt: skip
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


def train_fast_r(
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
    """``train(as_r(X), as_r(Y), ...)``, fused and compiled: R's numbers, bit for bit.

    The same arguments as ``backprop.network.train`` (``X`` and ``Y`` plain arrays
    or RArrays); the result is the twin's on R's arithmetic, its matrices
    RArrays. Without the compiled core it is that twin.
    """
    check_training_args(X, Y, hidden, seed, iterations, step)
    if _core is None:  # pragma: no cover
        return train(as_r(X), as_r(Y), hidden=hidden, seed=seed, iterations=iterations,
                     step=step, start=start, progress=progress)  # fmt: skip
    if start is None:
        weights = init_weights(X.shape[1], int(hidden), Y.shape[1], seed)
    else:
        weights = check_start(start, (X.shape[1], int(hidden), Y.shape[1]), bias=False)
    X_c = np.ascontiguousarray(X, dtype=np.float64)
    Y_c = np.ascontiguousarray(Y, dtype=np.float64)
    W_1 = np.ascontiguousarray(weights["W_1"], dtype=np.float64).copy()
    W_2 = np.ascontiguousarray(weights["W_2"], dtype=np.float64).copy()
    n = int(iterations)
    cost_history = np.full(n, np.nan)
    Y_hat = np.empty_like(Y_c)
    stopped = _core.lecture_train(X_c, Y_c, W_1, W_2, float(step), 1, 0, cost_history, Y_hat)
    if progress is None:
        stopped = stopped or _core.lecture_train(
            X_c, Y_c, W_1, W_2, float(step), 1, n, cost_history, Y_hat
        )
    else:
        for i in range(1, n + 1):
            if stopped:
                break
            stopped = _core.lecture_train(X_c, Y_c, W_1, W_2, float(step), i, 1, cost_history,
                                          Y_hat)  # fmt: skip
            if not stopped:
                progress(i, float(cost_history[i - 1]))
    if stopped:  # NaN or Inf on the way: the twin's road, R's NaN arithmetic and errors
        return train(as_r(X), as_r(Y), hidden=hidden, seed=seed, iterations=iterations,
                     step=step, start=start, progress=progress)  # fmt: skip
    stop_if_weights_diverged([W_1, W_2], iterations, step)
    return {
        "W_1": W_1.view(RArray),
        "W_2": W_2.view(RArray),
        "Y_hat": Y_hat.view(RArray),
        "cost_history": cost_history,
        "W_1_init": weights["W_1"],
        "W_2_init": weights["W_2"],
    }


def train_restarts_fast(
    X: Matrix,
    Y: Matrix,
    *,
    restarts: int = 10,
    hidden: int = 3,
    seed: int = 1,
    iterations: int = 10000,
    step: float = 5.0,
) -> Result:
    """``train_restarts(as_r(X), as_r(Y), restarts=..., ...)`` for the lecture's network,
    each restart by the compiled loop of ``train_fast_r``: the same result, bit for bit.

    ``set.seed(seed)`` once, then each restart's W_1 and W_2 drawn after the
    previous one's, as R's loop draws them. Where a restart meets NaN or Inf,
    or without the compiled core, it is ``train_restarts`` on RArrays (R's
    numbers, and R's error naming the first restart that fails).
    """
    settings: dict[str, Any] = {
        "hidden": hidden,
        "seed": seed,
        "iterations": iterations,
        "step": step,
    }
    K = check_restarts(restarts, **settings)
    check_training_args(X, Y, hidden, seed, iterations, step)
    X, Y = check_network_data(X, Y)
    if _core is None:  # pragma: no cover
        return train_restarts(as_r(X), as_r(Y), restarts=K, **settings)
    rng = set_seed(seed)
    sizes = (X.shape[1], int(hidden), Y.shape[1])
    drawn = [init_network(sizes, "uniform", rng, False) for _ in range(K)]
    X_c = np.ascontiguousarray(X, dtype=np.float64)
    Y_c = np.ascontiguousarray(Y, dtype=np.float64)
    n = int(iterations)
    histories = np.full((K, n), np.nan)  # restart by restart; returned as (iterations, K)
    W_1s = np.ascontiguousarray(np.stack([d["W_1"] for d in drawn]))
    W_2s = np.ascontiguousarray(np.stack([d["W_2"] for d in drawn]))
    Y_hats = np.empty((K, *Y_c.shape))
    for k in range(K):
        if _core.lecture_train(X_c, Y_c, W_1s[k], W_2s[k], float(step), 1, n, histories[k],
                               Y_hats[k]):  # fmt: skip
            return train_restarts(as_r(X), as_r(Y), restarts=K, **settings)
    for k in range(K):
        stop_if_weights_diverged([W_1s[k], W_2s[k]], iterations, step)
    best = int(np.argmin(histories[:, -1]))  # the first of ties, as which.min
    return {
        "W_1": W_1s[best].view(RArray),
        "W_2": W_2s[best].view(RArray),
        "Y_hat": Y_hats[best].view(RArray),
        "cost_history": histories[best].copy(),
        "W_1_init": drawn[best]["W_1"],
        "W_2_init": drawn[best]["W_2"],
        "best": np.array([best + 1]),
        "cost_histories": histories.T,
        "W_1_starts": np.stack([d["W_1"] for d in drawn]),
        "W_2_starts": np.stack([d["W_2"] for d in drawn]),
    }
