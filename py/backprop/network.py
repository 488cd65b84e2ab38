"""The lecture's network (inputs -> hidden sigmoid layer -> one sigmoid output).

Twin of ``r/network.R``: the same functions in the same order, so the two
files can be read side by side. Matrices keep the lecture's names and shapes;
``N`` rows of data, ``D`` inputs, ``H`` hidden units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, TypeGuard

import numpy as np
from numpy.typing import NDArray

from backprop.rng import check_seed, set_seed

Matrix = NDArray[np.float64]


def sigmoid(Z: Matrix) -> Matrix:
    return 1 / (1 + np.exp(-Z))


def sigmoid_prime(Z: Matrix) -> Matrix:
    """The slides' form of f'(z), kept for parity.

    It is NaN for z below about -710 (exp overflows to inf, inf / inf);
    ``train`` stops with a clear error instead.
    """
    return np.exp(-Z) / (1 + np.exp(-Z)) ** 2


def cost(Y: Matrix, Y_hat: Matrix) -> float:
    """J = 1/2 sum (y - y_hat)^2, the lecture's cost."""
    return float(0.5 * np.sum((Y - Y_hat) ** 2))


def scale_features(x: Matrix) -> Matrix:
    """Each feature column divided by its maximum, so it lies in [0, 1]."""
    colmax = x.max(axis=0)
    return x / colmax


def scale_target(y: Matrix) -> Matrix:
    """Scores out of 100 onto [0, 1]."""
    return y / 100


@dataclass(frozen=True)
class Weights:
    W_1: Matrix  # (D, H)
    W_2: Matrix  # (H, 1)


def init_weights(input_size: int, hidden_size: int, output_size: int, seed: int) -> Weights:
    """R's ``runif`` after ``set.seed(seed)``, filling each matrix by column."""
    rng = set_seed(seed)
    W_1 = rng.runif(input_size * hidden_size).reshape((input_size, hidden_size), order="F")
    W_2 = rng.runif(hidden_size * output_size).reshape((hidden_size, output_size), order="F")
    return Weights(W_1=W_1, W_2=W_2)


@dataclass(frozen=True)
class Forward:
    Z_2: Matrix
    A_2: Matrix
    Z_3: Matrix
    Y_hat: Matrix


def forward(X: Matrix, W_1: Matrix, W_2: Matrix) -> Forward:
    Z_2 = X @ W_1  # (N, H) = (N, D) @ (D, H)
    A_2 = sigmoid(Z_2)
    Z_3 = A_2 @ W_2  # (N, 1) = (N, H) @ (H, 1)
    Y_hat = sigmoid(Z_3)
    return Forward(Z_2=Z_2, A_2=A_2, Z_3=Z_3, Y_hat=Y_hat)


@dataclass(frozen=True)
class Gradients:
    dJ_dW_1: Matrix
    dJ_dW_2: Matrix


def backprop(X: Matrix, Y: Matrix, W_2: Matrix, fwd: Forward) -> Gradients:
    delta_3 = -(Y - fwd.Y_hat) * sigmoid_prime(fwd.Z_3)  # (N, 1)
    dJ_dW_2 = fwd.A_2.T @ delta_3  # (H, 1)
    delta_2 = delta_3 @ W_2.T * sigmoid_prime(fwd.Z_2)  # (N, H)
    dJ_dW_1 = X.T @ delta_2  # (D, H)
    return Gradients(dJ_dW_1=dJ_dW_1, dJ_dW_2=dJ_dW_2)


def check_data(X: Matrix, Y: Matrix) -> None:
    """Raise ValueError unless X is (N, D) and Y is (N, 1), all finite, N and D >= 1."""
    if not isinstance(X, np.ndarray) or not isinstance(Y, np.ndarray):
        raise ValueError("X and Y must be numpy arrays")
    if X.ndim != 2 or Y.ndim != 2:
        raise ValueError(f"X and Y must be 2-d; got shapes {X.shape} and {Y.shape}")
    if Y.shape != (X.shape[0], 1):
        raise ValueError(f"Y must be a ({X.shape[0]}, 1) matrix to match X; got {Y.shape}")
    if X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(f"X must have at least one row and one column; got {X.shape}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
        raise ValueError("X and Y must hold only finite numbers")


def check_training_args(
    X: Matrix, Y: Matrix, hidden: int, seed: int, iterations: int, step: float
) -> None:
    """Raise ValueError, naming what was expected and what arrived."""
    check_data(X, Y)
    if not is_whole(hidden) or hidden < 1:
        raise ValueError(f"hidden must be a whole number >= 1; got {hidden!r}")
    check_run_args(seed, iterations, step)


def check_run_args(seed: int, iterations: int, step: float) -> None:
    check_seed(seed)
    if not is_whole(iterations) or iterations < 0:
        raise ValueError(f"iterations must be a whole number >= 0; got {iterations!r}")
    is_number = isinstance(step, (int, float, np.floating)) and not isinstance(step, bool)
    if not is_number or not math.isfinite(step) or step <= 0:
        raise ValueError(f"step must be a finite number > 0; got {step!r}")


def is_whole(n: object) -> TypeGuard[int | np.integer[Any]]:
    """A whole number as a Python or numpy integer (not a bool)."""
    return isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_))


class DivergedError(ValueError):
    """The cost stopped being finite: the step is too large for the data."""


def stop_if_diverged(value: float, i: int, step: float, what: str = "the cost") -> None:
    if not math.isfinite(value):
        raise DivergedError(
            f"training diverged at iteration {i}: {what} is {_r_name(value)}; "
            f"try a step smaller than {step:.6g}"
        )


def _r_name(value: float) -> str:
    """NaN, Inf, -Inf: the way R's sprintf("%s") writes them, so messages match."""
    return "NaN" if math.isnan(value) else ("Inf" if value > 0 else "-Inf")


@dataclass(frozen=True)
class TrainResult:
    W_1: Matrix
    W_2: Matrix
    Y_hat: Matrix  # from the last forward pass, made before the last update
    cost_history: NDArray[np.float64]
    W_1_init: Matrix
    W_2_init: Matrix


def train(
    X: Matrix,
    Y: Matrix,
    *,
    hidden: int = 3,
    seed: int = 1,
    iterations: int = 10000,
    step: float = 5.0,
) -> TrainResult:
    """Gradient descent as on the slides, on scaled ``X`` (N, D) and ``Y`` (N, 1).

    The loop does exactly the arithmetic of ``forward`` and ``backprop`` (a
    test holds it to them bit for bit), written for speed: each exp(-Z) is
    computed once and serves both f(Z) = 1 / (1 + e) and the slides'
    f'(Z) = e / (1 + e)^2, and every matrix lives in a buffer made once.
    That takes a direct transcription from about 1.6x R's time to below it.
    The comments give the R line each step twins.
    """
    check_training_args(X, Y, hidden, seed, iterations, step)
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    weights = init_weights(X.shape[1], hidden, Y.shape[1], seed)
    W_1 = weights.W_1.copy()
    W_2 = weights.W_2.copy()
    cost_history = np.full(iterations, np.nan)
    Z_2, A_2, F_2, delta_2 = (np.empty((X.shape[0], hidden)) for _ in range(4))
    Z_3, Y_hat, F_3, delta_3 = (np.empty_like(Y) for _ in range(4))
    dJ_dW_1, dJ_dW_2 = np.empty_like(W_1), np.empty_like(W_2)
    X_T, A_2_T, W_2_T = X.T, A_2.T, W_2.T  # views made once; they follow the buffers
    # exp(-Z) overflows to inf where the sigmoid saturates: expected, and any
    # NaN it leads to is caught by the divergence checks, so numpy need not warn.
    with np.errstate(over="ignore", invalid="ignore"):
        _sigmoid_and_prime(np.matmul(X, W_1, out=Z_2), A_2, F_2)  # Y_hat for 0 iterations
        _sigmoid_and_prime(np.matmul(A_2, W_2, out=Z_3), Y_hat, F_3)
        for i in range(iterations):
            np.matmul(X, W_1, out=Z_2)  # Z_2 <- X %*% W_1
            _sigmoid_and_prime(Z_2, A_2, F_2)  # A_2 <- sigmoid(Z_2)
            np.matmul(A_2, W_2, out=Z_3)  # Z_3 <- A_2 %*% W_2
            _sigmoid_and_prime(Z_3, Y_hat, F_3)  # Y_hat <- sigmoid(Z_3)
            np.subtract(Y_hat, Y, out=delta_3)  # == -(Y - Y_hat), exactly
            cost_history[i] = cost_i = 0.5 * np.add.reduce(delta_3 * delta_3, axis=None)
            if not math.isfinite(cost_i):  # checked here, not in a call: this loop is hot
                stop_if_diverged(cost_i, i + 1, step)
            np.multiply(delta_3, F_3, out=delta_3)  # delta_3 <- -(Y - Y_hat) * f'(Z_3)
            np.matmul(A_2_T, delta_3, out=dJ_dW_2)  # dJ_dW_2 <- t(A_2) %*% delta_3
            np.matmul(delta_3, W_2_T, out=delta_2)  # delta_2 <- delta_3 %*% t(W_2)
            np.multiply(delta_2, F_2, out=delta_2)  #            * f'(Z_2)
            np.matmul(X_T, delta_2, out=dJ_dW_1)  # dJ_dW_1 <- t(X) %*% delta_2
            W_1 -= np.multiply(step, dJ_dW_1, out=dJ_dW_1)  # W_1 <- W_1 - step * dJ_dW_1
            W_2 -= np.multiply(step, dJ_dW_2, out=dJ_dW_2)  # W_2 <- W_2 - step * dJ_dW_2
    # The last update can overflow without any cost having shown it.
    not_finite = [w for w in (*W_1.ravel(order="F"), *W_2.ravel(order="F")) if not math.isfinite(w)]
    if not_finite:
        stop_if_diverged(not_finite[0], iterations, step, "a weight")
    return TrainResult(
        W_1=W_1,
        W_2=W_2,
        Y_hat=Y_hat,
        cost_history=cost_history,
        W_1_init=weights.W_1,
        W_2_init=weights.W_2,
    )


def _sigmoid_and_prime(Z: Matrix, A: Matrix, F: Matrix) -> None:
    """A <- sigmoid(Z) and F <- sigmoid_prime(Z), sharing one exp(-Z)."""
    np.negative(Z, out=F)
    np.exp(F, out=F)  # e = exp(-Z)
    np.add(F, 1.0, out=A)  # 1 + e
    np.divide(F, A * A, out=F)  # f'(Z) = e / (1 + e)^2
    np.divide(1.0, A, out=A)  # f(Z) = 1 / (1 + e)
