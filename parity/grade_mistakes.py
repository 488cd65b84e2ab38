"""The classic mistakes of an R-to-Python port, each a hypothesis the grader tests.

A ``Hypothesis`` applies one mistake to R's own computation: from an input and
R's answer it predicts what a port with that mistake returns (or raises, when
numpy would refuse the mistaken shapes). The grader names the mistake when the
student's results match the prediction on every input where the prediction
differs from R's (``parity.grade.explain``): by the numbers, never by reading
the student's source. Each carries the R line and the Python line that differ
in meaning, for the hint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from backprop.rng import set_seed

Array = NDArray[np.float64]
Values = dict[str, Array]

MISTAKES = {
    "elementwise": "`*` where R has `%*%` (elementwise where R multiplies matrices)",
    "matmul": "`@` where R has `*` (a matrix product where R multiplies elementwise)",
    "transpose": "a missing transpose (R's t())",
    "c_order": "`reshape` in C order, where `matrix(runif(...))` fills by column",
    "one_d": "a 1-D array where R has an N x 1 matrix (numpy broadcasts it to N x N)",
    "exp_sign": "the sign in `exp(-Z)`",
    "residual": "`Y - Y_hat` reversed (the gradient's sign)",
    "off_by_one": "an off-by-one in the loop",
    "aliasing": "an array changed in place (`W -= step * g`), where R's `<-` copies",
    "np_random": "`np.random` in place of R's generator (`backprop.rng.set_seed`)",
    "int_div": "integer division (`//`) where R divides",
    "mean": "a mean where the lecture sums",
    "axis": "the maximum over the wrong axis: R's apply(x, 2, max) is numpy's axis=0",
    "half": "the 1/2 of the cost left out",
}


@dataclass(frozen=True)
class Hypothesis:
    function: str
    mistake: str  # a key of MISTAKES
    r_line: str  # what R says
    py_line: str  # the port's line with the mistake
    predict: Callable[[tuple[Any, ...], Values], Values]  # (args, R's answer) -> the port's

    @property
    def title(self) -> str:
        return MISTAKES[self.mistake]


def _sig(Z: Array) -> Array:
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-Z))


def _sp(Z: Array) -> Array:
    with np.errstate(over="ignore", invalid="ignore"):
        return np.exp(-Z) / (1 + np.exp(-Z)) ** 2


def _forward(
    X: Array,
    W_1: Array,
    W_2: Array,
    mul1: Any = np.matmul,
    mul2: Any = np.matmul,
    sig: Callable[[Array], Array] = _sig,
) -> Values:
    Z_2 = mul1(X, W_1)
    A_2 = sig(Z_2)
    Z_3 = mul2(A_2, W_2)
    return {"Z_2": Z_2, "A_2": A_2, "Z_3": Z_3, "Y_hat": sig(Z_3)}


def _backprop(X: Array, Y: Array, W_2: Array, fwd: Any, **slip: Any) -> Values:
    """The lecture's backprop with one line changed (the keyword names which)."""
    Y_ = Y.ravel() if slip.get("flat_Y") else Y
    delta_3 = -(Y_ - fwd["Y_hat"]) * _sp(fwd["Z_3"])
    if slip.get("reversed"):
        delta_3 = -delta_3
    A_2t = fwd["A_2"] if slip.get("no_t_A_2") else fwd["A_2"].T
    dJ_dW_2 = (A_2t * delta_3) if slip.get("star_2") else A_2t @ delta_3
    back = delta_3 @ W_2.T
    delta_2 = back @ _sp(fwd["Z_2"]) if slip.get("at_delta_2") else back * _sp(fwd["Z_2"])
    Xt = X if slip.get("no_t_X") else X.T
    dJ_dW_1 = (Xt * delta_2) if slip.get("star_1") else Xt @ delta_2
    scale = X.shape[0] if slip.get("mean") else 1
    return {"dJ_dW_1": dJ_dW_1 / scale, "dJ_dW_2": dJ_dW_2 / scale}


def train_from(
    X: Array,
    Y: Array,
    W_1: Array,
    W_2: Array,
    iterations: int,
    step: float,
    *,
    sign: float = 1.0,
    grad_scale: float = 1.0,
    cost_scale: float = 1.0,
) -> Values:
    """The lecture's gradient descent from given weights, with the knobs a mistake turns."""
    costs = np.full(iterations, np.nan)
    with np.errstate(over="ignore", invalid="ignore"):
        fwd = _forward(X, W_1, W_2)
        for i in range(iterations):
            fwd = _forward(X, W_1, W_2)
            costs[i] = cost_scale * 0.5 * np.sum((Y - fwd["Y_hat"]) ** 2)
            grad = _backprop(X, Y, W_2, fwd)
            W_1 = W_1 - step * sign * grad_scale * grad["dJ_dW_1"]
            W_2 = W_2 - step * sign * grad_scale * grad["dJ_dW_2"]
    return {"W_1": W_1, "W_2": W_2, "Y_hat": fwd["Y_hat"], "cost_history": costs}


# ------------------------------------------------------------------ by function


Predict = Callable[[tuple[Any, ...], Values], Values]


def _one(function: str, mistake: str, r_line: str, py_line: str, predict: Predict) -> Hypothesis:
    return Hypothesis(function, mistake, r_line, py_line, predict)


def _value(f: Callable[..., Any]) -> Callable[[tuple[Any, ...], Values], Values]:
    return lambda args, r: {"value": np.asarray(f(*args), dtype=np.float64)}


def _legacy(seed: int, shapes: list[tuple[int, int]], order: str) -> list[Array]:
    state = np.random.RandomState(seed)
    return [state.random_sample(d * h).reshape(d, h, order=order) for d, h in shapes]  # type: ignore[call-overload]


def _generator(seed: int, shapes: list[tuple[int, int]]) -> list[Array]:
    rng = np.random.default_rng(seed)
    return [rng.random((d, h)) for d, h in shapes]


def _c_order(r: Values) -> list[Array]:
    return [r[w].ravel(order="F").reshape(r[w].shape) for w in ("W_1", "W_2")]


def _init_shapes(args: tuple[Any, ...]) -> list[tuple[int, int]]:
    D, H, K, _ = (int(a) for a in args)
    return [(D, H), (H, K)]


def _train_shapes(args: tuple[Any, ...]) -> list[tuple[int, int]]:
    X, Y, hidden = args[:3]
    return [(X.shape[1], int(hidden)), (int(hidden), Y.shape[1])]


def _train(start: Callable[[tuple[Any, ...], Values], list[Array]], **knobs: Any) -> Any:
    def predict(args: tuple[Any, ...], r: Values) -> Values:
        X, Y, _, _, iterations, step = args
        W_1, W_2 = start(args, r)
        return train_from(X, Y, W_1, W_2, int(iterations), float(step), **knobs)

    return predict


def _r_start(args: tuple[Any, ...], r: Values) -> list[Array]:
    return [r["W_1_init"], r["W_2_init"]]


def _off_by_one(extra: int) -> Any:
    def predict(args: tuple[Any, ...], r: Values) -> Values:
        X, Y, _, _, iterations, step = args
        n = int(iterations) + extra
        out = train_from(X, Y, r["W_1_init"], r["W_2_init"], n, float(step))
        return {"W_1": out["W_1"], "W_2": out["W_2"]}

    return predict


def _cost_after_update(args: tuple[Any, ...], r: Values) -> Values:
    X, Y, _, _, iterations, step = args
    longer = train_from(X, Y, r["W_1_init"], r["W_2_init"], int(iterations) + 1, float(step))
    return {"cost_history": longer["cost_history"][1:]}


def _aliased(args: tuple[Any, ...], r: Values) -> Values:
    return {"W_1_init": r["W_1"], "W_2_init": r["W_2"]}


R_TRAIN = "W_1 <- W_1 - step * grad$dJ_dW_1"

HYPOTHESES: tuple[Hypothesis, ...] = (
    _one(
        "sigmoid",
        "exp_sign",
        "1 / (1 + exp(-Z))",
        "1 / (1 + np.exp(Z))",
        _value(lambda Z: 1 / (1 + np.exp(Z))),
    ),
    _one(
        "cost",
        "mean",
        "0.5 * sum((Y - Y_hat)^2)",
        "0.5 * np.mean((Y - Y_hat) ** 2)",
        _value(lambda Y, Yh: 0.5 * np.mean((Y - Yh) ** 2)),
    ),
    _one(
        "cost",
        "half",
        "0.5 * sum((Y - Y_hat)^2)",
        "np.sum((Y - Y_hat) ** 2)",
        _value(lambda Y, Yh: np.sum((Y - Yh) ** 2)),
    ),
    _one(
        "cost",
        "int_div",
        "0.5 * sum((Y - Y_hat)^2)",
        "1 // 2 * np.sum((Y - Y_hat) ** 2)",
        _value(lambda Y, Yh: 0.0),
    ),
    _one(
        "cost",
        "one_d",
        "0.5 * sum((Y - Y_hat)^2)",
        "0.5 * np.sum((Y.ravel() - Y_hat) ** 2)  # (N,) - (N, 1) is N x N",
        _value(lambda Y, Yh: 0.5 * np.sum((Y.ravel() - Yh) ** 2)),
    ),
    _one(
        "scale_features",
        "int_div",
        "t(t(x) / colmax)",
        "x // colmax",
        _value(lambda x: x // x.max(axis=0)),
    ),
    _one(
        "scale_features",
        "axis",
        "colmax <- apply(x, 2, max)",
        "colmax = x.max(axis=1, keepdims=True)",
        _value(lambda x: x / x.max(axis=1, keepdims=True)),
    ),
    _one(
        "scale_features",
        "axis",
        "colmax <- apply(x, 2, max)",
        "colmax = x.max()",
        _value(lambda x: x / x.max()),
    ),
    _one("scale_target", "int_div", "y / 100", "y // 100", _value(lambda y: y // 100)),
    _one(
        "init_weights",
        "c_order",
        "matrix(runif(input_size * hidden_size), nrow = input_size, ncol = hidden_size)",
        "rng.runif(input_size * hidden_size).reshape(input_size, hidden_size)",
        lambda args, r: dict(zip(("W_1", "W_2"), _c_order(r), strict=True)),
    ),
    _one(
        "init_weights",
        "np_random",
        "set.seed(seed); runif(input_size * hidden_size)",
        "np.random.seed(seed); np.random.rand(input_size, hidden_size)",
        lambda args, r: dict(
            zip(("W_1", "W_2"), _legacy(int(args[3]), _init_shapes(args), "C"), strict=True)
        ),
    ),
    _one(
        "init_weights",
        "np_random",
        "set.seed(seed); runif(input_size * hidden_size)",
        "np.random.default_rng(seed).random((input_size, hidden_size))",
        lambda args, r: dict(
            zip(("W_1", "W_2"), _generator(int(args[3]), _init_shapes(args)), strict=True)
        ),
    ),
    _one(
        "forward",
        "elementwise",
        "Z_2 <- X %*% W_1",
        "Z_2 = X * W_1",
        lambda args, r: _forward(args[0], args[1], args[2], mul1=np.multiply),
    ),
    _one(
        "forward",
        "elementwise",
        "Z_3 <- A_2 %*% W_2",
        "Z_3 = A_2 * W_2",
        lambda args, r: _forward(args[0], args[1], args[2], mul2=np.multiply),
    ),
    _one(
        "forward",
        "elementwise",
        "Z_2 <- X %*% W_1; Z_3 <- A_2 %*% W_2",
        "Z_2 = X * W_1; Z_3 = A_2 * W_2",
        lambda args, r: _forward(args[0], args[1], args[2], mul1=np.multiply, mul2=np.multiply),
    ),
    _one(
        "forward",
        "transpose",
        "Z_2 <- X %*% W_1",
        "Z_2 = X @ W_1.T",
        lambda args, r: _forward(args[0], args[1], args[2], mul1=lambda a, b: a @ b.T),
    ),
    _one(
        "forward",
        "exp_sign",
        "sigmoid <- function(Z) 1 / (1 + exp(-Z))",
        "1 / (1 + np.exp(Z))",
        lambda args, r: _forward(args[0], args[1], args[2], sig=lambda Z: 1 - _sig(Z)),
    ),
    _one(
        "backprop",
        "residual",
        "delta_3 <- -(Y - fwd$Y_hat) * sigmoid_prime(fwd$Z_3)",
        "delta_3 = -(Y_hat - Y) * sigmoid_prime(Z_3)",
        lambda args, r: _backprop(*args, reversed=True),
    ),
    _one(
        "backprop",
        "transpose",
        "dJ_dW_2 <- t(fwd$A_2) %*% delta_3",
        "dJ_dW_2 = A_2 @ delta_3",
        lambda args, r: _backprop(*args, no_t_A_2=True),
    ),
    _one(
        "backprop",
        "transpose",
        "dJ_dW_1 <- t(X) %*% delta_2",
        "dJ_dW_1 = X @ delta_2",
        lambda args, r: _backprop(*args, no_t_X=True),
    ),
    _one(
        "backprop",
        "elementwise",
        "dJ_dW_2 <- t(fwd$A_2) %*% delta_3",
        "dJ_dW_2 = A_2.T * delta_3",
        lambda args, r: _backprop(*args, star_2=True),
    ),
    _one(
        "backprop",
        "elementwise",
        "dJ_dW_1 <- t(X) %*% delta_2",
        "dJ_dW_1 = X.T * delta_2",
        lambda args, r: _backprop(*args, star_1=True),
    ),
    _one(
        "backprop",
        "matmul",
        "delta_2 <- delta_3 %*% t(W_2) * sigmoid_prime(fwd$Z_2)",
        "delta_2 = delta_3 @ W_2.T @ sigmoid_prime(Z_2)",
        lambda args, r: _backprop(*args, at_delta_2=True),
    ),
    _one(
        "backprop",
        "mean",
        "dJ_dW_1 <- t(X) %*% delta_2  # a sum over the N rows",
        "dJ_dW_1 = X.T @ delta_2 / len(X)",
        lambda args, r: _backprop(*args, mean=True),
    ),
    _one(
        "backprop",
        "one_d",
        "delta_3 <- -(Y - fwd$Y_hat) * sigmoid_prime(fwd$Z_3)",
        "delta_3 = -(Y.ravel() - Y_hat) * sigmoid_prime(Z_3)  # N x N",
        lambda args, r: _backprop(*args, flat_Y=True),
    ),
    _one(
        "train",
        "off_by_one",
        "for (i in seq_len(iterations))  # 1, ..., iterations",
        "for i in range(1, iterations):  # iterations - 1 of them",
        _off_by_one(-1),
    ),
    _one(
        "train",
        "off_by_one",
        "for (i in seq_len(iterations))  # 1, ..., iterations",
        "for i in range(iterations + 1):  # iterations + 1 of them",
        _off_by_one(+1),
    ),
    _one(
        "train",
        "off_by_one",
        "cost_history[i] <- cost(Y, fwd$Y_hat)  # before the update",
        "cost_history[i] = cost(Y, forward(X, W_1, W_2)...)  # after the update",
        _cost_after_update,
    ),
    _one(
        "train",
        "aliasing",
        "W_1 <- W_1 - step * grad$dJ_dW_1  # a new matrix",
        "W_1 -= step * grad['dJ_dW_1']  # changes W_1_init too",
        _aliased,
    ),
    _one(
        "train",
        "residual",
        "delta_3 <- -(Y - fwd$Y_hat) * ...; " + R_TRAIN,
        "W_1 = W_1 + step * dJ_dW_1  # or (Y_hat - Y): the cost climbs",
        _train(_r_start, sign=-1.0),
    ),
    _one(
        "train",
        "np_random",
        "set.seed(seed); runif(...)  # init_weights",
        "np.random.seed(seed); W_1 = np.random.rand(D, hidden)",
        _train(lambda args, r: _legacy(int(args[3]), _train_shapes(args), "C")),
    ),
    _one(
        "train",
        "np_random",
        "set.seed(seed); runif(...)  # init_weights",
        "rng = np.random.default_rng(seed); W_1 = rng.random((D, hidden))",
        _train(lambda args, r: _generator(int(args[3]), _train_shapes(args))),
    ),
    _one(
        "train",
        "c_order",
        "matrix(runif(D * hidden), nrow = D)  # by column",
        "rng.runif(D * hidden).reshape(D, hidden)  # by row",
        _train(
            lambda args, r: [
                r[w].ravel(order="F").reshape(r[w].shape) for w in ("W_1_init", "W_2_init")
            ]
        ),
    ),
    _one(
        "train",
        "mean",
        R_TRAIN + "; cost: 0.5 * sum(...)",
        "cost = 0.5 * np.mean(...); W_1 = W_1 - step * dJ_dW_1 / N",
        lambda args, r: _mean_train(args, r),
    ),
    _one(
        "train",
        "mean",
        "cost_history[i] <- cost(Y, fwd$Y_hat)  # 0.5 * sum(...)",
        "cost_history[i] = 0.5 * np.mean((Y - Y_hat) ** 2)",
        lambda args, r: {"cost_history": r["cost_history"] / args[0].shape[0]},
    ),
)


def _mean_train(args: tuple[Any, ...], r: Values) -> Values:
    X, Y, _, _, iterations, step = args
    n = X.shape[0]
    W_1, W_2 = r["W_1_init"], r["W_2_init"]
    return train_from(
        X, Y, W_1, W_2, int(iterations), float(step), grad_scale=1 / n, cost_scale=1 / n
    )


def for_function(name: str) -> tuple[Hypothesis, ...]:
    return tuple(h for h in HYPOTHESES if h.function == name)


def uniform_draws(values: Values, names: tuple[str, ...]) -> bool:
    """Every named value a matrix of numbers in [0, 1): a generator's draws."""
    return all(
        name in values
        and values[name].ndim == 2
        and bool(np.all((values[name] >= 0) & (values[name] < 1)))
        for name in names
    )


def r_draws(seed: int, n: int) -> Array:
    """R's first ``n`` draws of runif after set.seed(seed)."""
    return set_seed(seed).runif(n)
