"""The lecture's network (inputs -> hidden sigmoid layer -> one sigmoid output).

Twin of ``r/network.R``: the same functions in the same order, so the two
files can be read side by side. Matrices keep the lecture's names and shapes;
``N`` rows of data, ``D`` inputs, ``H`` hidden units.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from backprop.checks import (
    Matrix,
    check_count,
    check_positive,
    check_seed,
    describe,
    is_numeric_matrix,
)
from backprop.rng import set_seed

Params = dict[str, Matrix]  # W_1, W_2, ... (and B_1, ...): R's named list of matrices
Progress = Callable[[int, float], object]  # progress(i, cost): a bar's update
Result = dict[str, NDArray[Any]]  # what a trainer returns, in R's order (batch_order: ints)


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


def init_weights(input_size: int, hidden_size: int, output_size: int, seed: int) -> Params:
    """R's ``runif`` after ``set.seed(seed)``, filling each matrix by column.

    W_1 is drawn before W_2, as on the slides. A dict, the shape ``train``'s
    ``start`` takes.
    """
    rng = set_seed(seed)
    W_1 = rng.runif(input_size * hidden_size).reshape((input_size, hidden_size), order="F")
    W_2 = rng.runif(hidden_size * output_size).reshape((hidden_size, output_size), order="F")
    return {"W_1": W_1, "W_2": W_2}


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
    if not is_numeric_matrix(X) or not is_numeric_matrix(Y):
        raise ValueError(f"X and Y must be numeric matrices; got {_kind(X)} and {_kind(Y)}")
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
    check_count("hidden", hidden, 1)
    check_run_args(seed, iterations, step)


def check_run_args(seed: int, iterations: int, step: float) -> None:
    check_seed(seed)
    check_count("iterations", iterations, 0)
    check_positive("step", step)


def check_start(start: Mapping[str, Matrix], sizes: Sequence[int], bias: bool) -> Params:
    """Starting parameters given by hand (``train``'s and ``train_network``'s ``start``).

    A mapping of exactly W_1 .. W_L (and B_1 .. B_L with bias), each a matrix
    of finite numbers shaped for the layer sizes (D, *hidden, K), the way
    ``nnet`` takes ``Wts``. Returned in that order, as float copies.
    """
    k = range(1, len(sizes))
    needed = [f"W_{i}" for i in k] + ([f"B_{i}" for i in k] if bias else [])
    if not isinstance(start, Mapping) or set(start) != set(needed):
        got = list(start) if isinstance(start, Mapping) else start
        raise ValueError(f"start must hold exactly {', '.join(needed)}; got {describe(got)}")
    shapes = [(sizes[i - 1], sizes[i]) for i in k] + ([(1, sizes[i]) for i in k] if bias else [])
    for name, shape in zip(needed, shapes, strict=True):
        P = start[name]
        if not is_numeric_matrix(P) or P.shape != shape or not np.all(np.isfinite(P)):
            found = P.shape if isinstance(P, np.ndarray) else type(P).__name__
            raise ValueError(
                f"{name} of start must be a {shape} matrix of finite numbers; got {found}"
            )
    return {name: np.array(start[name], dtype=np.float64) for name in needed}


class DivergedError(ValueError):
    """The cost stopped being finite: the step is too large for the data."""


def stop_if_diverged(value: float, i: int, step: float, what: str = "the cost") -> None:
    """A cost (or weight) that is no longer finite means the step is too large.

    Unless it is the first cost, at the starting weights, before any step:
    then no step size helps.
    """
    if math.isfinite(value):
        return
    if i == 1 and what != "a weight":
        raise DivergedError(
            f"{what} is {_r_name(value)} at the starting weights, before any step, so "
            "no step size can help: the targets or the data are out of this network's range"
        )
    raise DivergedError(
        f"training diverged at iteration {i}: {what} is {_r_name(value)}; "
        f"try a step smaller than {step:.6g}"
    )


def stop_if_weights_diverged(params: Sequence[Matrix], iterations: int, step: float) -> None:
    """The last update can overflow without any cost having shown it."""
    for P in params:
        flat = P.ravel(order="F")  # R's unlist() order
        not_finite = flat[~np.isfinite(flat)]
        if not_finite.size > 0:
            stop_if_diverged(float(not_finite[0]), iterations, step, "a weight")


def train(
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
    """Gradient descent as on the slides, on scaled ``X`` (N, D) and ``Y`` (N, 1).

    ``Y_hat`` comes from the last forward pass, made before the last update,
    exactly as the slides print it. The starting weights are drawn after
    ``set.seed(seed)``, or given as ``start={"W_1": ..., "W_2": ...}``.
    ``progress``, if given, is called with i and the cost after each
    iteration's cost (for a progress bar: ``backprop train`` on a terminal).
    Returns R's named list as a dict: W_1, W_2, Y_hat, cost_history,
    W_1_init, W_2_init. (``backprop.fast.train_fast`` is the same arithmetic,
    fused for speed.)
    """
    check_training_args(X, Y, hidden, seed, iterations, step)
    if start is None:
        weights = init_weights(X.shape[1], int(hidden), Y.shape[1], seed)
    else:
        weights = check_start(start, (X.shape[1], int(hidden), Y.shape[1]), bias=False)
    W_1 = weights["W_1"]
    W_2 = weights["W_2"]
    cost_history = np.full(int(iterations), np.nan)
    # exp(-Z) overflows to inf where the sigmoid saturates: expected, and any
    # NaN it leads to is caught by the divergence checks, so numpy need not warn.
    with np.errstate(over="ignore", invalid="ignore"):
        fwd = forward(X, W_1, W_2)  # Y_hat of the initial weights, for 0 iterations
        for i in range(1, int(iterations) + 1):
            fwd = forward(X, W_1, W_2)
            cost_history[i - 1] = cost(Y, fwd.Y_hat)
            stop_if_diverged(cost_history[i - 1], i, step)
            if progress is not None:
                progress(i, cost_history[i - 1])
            grad = backprop(X, Y, W_2, fwd)
            W_1 = W_1 - step * grad.dJ_dW_1
            W_2 = W_2 - step * grad.dJ_dW_2
    stop_if_weights_diverged([W_1, W_2], iterations, step)
    return {
        "W_1": W_1,
        "W_2": W_2,
        "Y_hat": fwd.Y_hat,
        "cost_history": cost_history,
        "W_1_init": weights["W_1"],
        "W_2_init": weights["W_2"],
    }


def _kind(x: object) -> str:
    """A 2-d array's dtype and shape, or the type of anything else."""
    return f"{x.dtype} {x.shape}" if isinstance(x, np.ndarray) else type(x).__name__


def _r_name(value: float) -> str:
    """NaN, Inf, -Inf: the way R's sprintf("%s") writes them, so messages match."""
    return "NaN" if math.isnan(value) else ("Inf" if value > 0 else "-Inf")
