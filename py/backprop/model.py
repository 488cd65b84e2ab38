"""The lecture's network, generalised.

Any number of hidden layers, any number of outputs, a choice of activations,
loss, initialiser and optimiser, and optional bias terms. Twin of
``r/model.R``: the same functions in the same order.

Layers are numbered as on the slides: A_1 = X is the input layer, and layer
k + 1 gets Z_{k+1} = A_k W_k (+ B_k), A_{k+1} = f(Z_{k+1}). With L weight
matrices, A_{L+1} = Y_hat. In the lists below (0-based), ``Z[k]`` is Z_{k+2}
and ``A[k]`` is A_{k+1}, so ``A[k] @ W[k]`` is ``Z[k]``.

The default call is the lecture: ``train_network(X, Y)`` gives bit for bit
the W_1, W_2, Y_hat and cost_history of ``backprop.network.train(X, Y)``.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from backprop.activations import Activation, activation_delta, get_activation
from backprop.checks import (
    check_count,
    check_name,
    check_nonnegative,
    check_positive,
    check_seed,
    describe,
    is_numeric_matrix,
    is_whole,
)
from backprop.initialisers import get_initialiser, init_network
from backprop.losses import ENTRIES, Cost, Loss, get_loss, softmax_cross_entropy_delta
from backprop.network import (
    Params,
    Progress,
    Result,
    check_start,
    stop_if_diverged,
    stop_if_weights_diverged,
)
from backprop.optimisers import (
    OPTIMISER_NAMES,
    Hyper,
    Update,
    check_hyperparameters,
    get_optimiser,
    init_optimiser_state,
)
from backprop.rng import RGenerator, set_seed

Matrix = NDArray[np.float64]
RUN_ONLY = ("start", "progress")  # train_network's arguments that are not settings


def check_network_data(X: object, Y: object) -> tuple[Matrix, Matrix]:
    """``X`` (N, D) and ``Y`` (N, K) as float arrays, or a clear ValueError."""
    if not is_numeric_matrix(X) or not is_numeric_matrix(Y):
        raise ValueError("X and Y must be numeric matrices")
    if X.shape[0] != Y.shape[0] or min(X.shape) < 1 or Y.shape[1] < 1:
        raise ValueError(
            "X and Y must have the same number of rows (>= 1) and >= 1 column each; "
            f"got X {X.shape} and Y {Y.shape}"
        )
    X = np.asanyarray(X, dtype=np.float64)  # asany: keeps an RArray (rarith)
    Y = np.asanyarray(Y, dtype=np.float64)
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
        raise ValueError("X and Y must hold only finite numbers")
    return X, Y


def check_hidden(hidden: int | Sequence[int]) -> tuple[int, ...]:
    """The units of each hidden layer, from an int or a sequence of ints."""
    if isinstance(hidden, np.ndarray):
        items: Sequence[object] = list(np.atleast_1d(hidden))
    else:
        items = hidden if isinstance(hidden, Sequence) else (hidden,)
    sizes: list[int] = []
    for n in items:
        if not is_whole(n) or n < 1:
            sizes = []
            break
        sizes.append(int(n))
    if isinstance(hidden, str) or not sizes:
        raise ValueError(
            "hidden must be one or more whole numbers >= 1 (units per hidden layer); "
            f"got {describe(hidden)}"
        )
    return tuple(sizes)


@dataclass(frozen=True)
class Acts:
    """The hidden layers' activation, the output layer's, and the loss."""

    hidden: Activation
    output: Activation
    loss: Loss


def check_network_config(
    Y: Matrix,
    activation: str,
    output_activation: str,
    loss: str,
    init: str,
    bias: bool,
    alpha: float,
) -> Acts:
    """Everything about the network's shape and functions that training and
    the gradient check share; a clear ValueError for anything wrong."""
    check_positive("alpha", alpha)
    hidden_act = get_activation(activation, alpha)
    output_act = get_activation(output_activation, alpha)
    loss_fn = get_loss(loss)
    get_initialiser(init)
    if not isinstance(bias, (bool, np.bool_)):
        raise ValueError(f"bias must be True or False; got {describe(bias)}")
    if activation == "softmax":
        raise ValueError(
            "activation must not be 'softmax': softmax is for the output layer only "
            "(output_activation='softmax')"
        )
    is_step = {"activation": activation, "output_activation": output_activation}
    for arg, name in is_step.items():
        if name == "step":
            raise ValueError(
                f"{arg} must not be 'step': the step function has no useful derivative "
                "(it is 0 wherever it exists), so nothing can be trained or "
                "gradient-checked through it"
            )
    if output_activation == "softmax" and Y.shape[1] < 2:
        raise ValueError(
            "output_activation 'softmax' needs a target with >= 2 columns (one per class); "
            "Y has 1. For a single yes/no output use 'sigmoid'"
        )
    if loss in ("binary_cross_entropy", "cross_entropy"):
        if output_activation not in ("sigmoid", "softmax"):
            raise ValueError(
                f"loss '{loss}' takes the log of the outputs, so output_activation must be "
                f"'sigmoid' or 'softmax'; got '{output_activation}'"
            )
        if np.any((Y < 0) | (Y > 1)):
            raise ValueError(
                f"loss '{loss}' needs targets in [0, 1]; Y has values in [{Y.min():g}, {Y.max():g}]"
            )
    if loss == "cross_entropy" and output_activation == "softmax":
        row_sums = Y.sum(axis=1)
        bad = np.flatnonzero(np.abs(row_sums - 1) > 1e-8)
        if bad.size > 0:
            raise ValueError(
                "loss 'cross_entropy' with a softmax output needs each row of Y to sum to 1 "
                f"(one-hot or class probabilities); row {bad[0] + 1} sums to "
                f"{row_sums[bad[0]]:g}"
            )
    return Acts(hidden_act, output_act, loss_fn)


@dataclass(frozen=True)
class Forward:
    Z: list[Matrix]  # Z_2 .. Z_{L+1}
    A: list[Matrix]  # A_1 = X .. A_{L+1} = Y_hat
    Y_hat: Matrix


def forward_network(
    X: Matrix, weights: Sequence[Matrix], biases: Sequence[Matrix] | None, acts: Acts
) -> Forward:
    """Z_{k+1} = A_k W_k (+ B_k), A_{k+1} = f(Z_{k+1}), for k = 1 .. L.

    The hidden layers use ``acts.hidden``, the last ``acts.output``. B_k is
    (1, n_out) and broadcasts over the rows.
    """
    L = len(weights)
    Z: list[Matrix] = []
    A: list[Matrix] = [X]  # (N, D)
    for k in range(L):
        Z_k = A[k] @ weights[k]  # (N, n_out) = (N, n_in) @ (n_in, n_out)
        if biases is not None:
            Z_k = Z_k + biases[k]
        Z.append(Z_k)
        act = acts.hidden if k < L - 1 else acts.output
        A.append(act.f(Z_k))
    return Forward(Z=Z, A=A, Y_hat=A[L])


@dataclass(frozen=True)
class Gradients:
    dJ_dW: list[Matrix]
    dJ_dB: list[Matrix] | None


def backward_network(
    Y: Matrix,
    weights: Sequence[Matrix],
    biases: Sequence[Matrix] | None,
    fwd: Forward,
    acts: Acts,
) -> Gradients:
    """The lecture's backward pass, layer by layer from the output.

    ::

        delta_{L+1} = dJ/dY_hat * f'(Z_{L+1})   (or softmax's rules)
        dJ/dW_k     = t(A_k) %*% delta_{k+1}
        dJ/dB_k     = colSums(delta_{k+1})
        delta_k     = delta_{k+1} %*% t(W_k) * f'(Z_k)

    The bias gradient (the lecture's "future homework exercise"): with B_k,
    Z_{k+1} = A_k W_k + 1 B_k, where 1 is an (N, 1) column of ones, so B_k is
    a weight on an input that is always 1. Replacing A_k by that column in
    dJ/dW_k = t(A_k) delta_{k+1} gives dJ/dB_k = t(1) delta_{k+1}: each
    z_{n,j} moves one for one with b_j, so dJ/db_j = sum_n delta_{n,j}.
    """
    L = len(weights)
    Y_hat = fwd.Y_hat
    if acts.output.name == "softmax" and acts.loss.name == "cross_entropy":
        delta = softmax_cross_entropy_delta(Y, Y_hat)  # (N, K); see losses.py
    else:
        G = acts.loss.gradient(Y, Y_hat)  # dJ/dY_hat, (N, K)
        delta = activation_delta(acts.output, fwd.Z[L - 1], Y_hat, G)
    # .mT transposes a matrix (its last two axes), and axis=-2 runs over its rows:
    # the same as .T and axis=0 for one network, and right for K restarts at
    # once too, every array then with a leading restart axis (train_restarts).
    dJ_dW: list[Matrix] = [np.empty(0)] * L
    dJ_dB: list[Matrix] | None = None if biases is None else [np.empty(0)] * L
    for k in reversed(range(L)):
        dJ_dW[k] = fwd.A[k].mT @ delta  # (n_in, n_out)
        if dJ_dB is not None:
            dJ_dB[k] = delta.sum(axis=-2, keepdims=True)  # (1, n_out)
        if k > 0:
            G = delta @ weights[k].mT  # (N, n_in) = dJ/dA_k
            delta = activation_delta(acts.hidden, fwd.Z[k - 1], fwd.A[k], G)
    return Gradients(dJ_dW=dJ_dW, dJ_dB=dJ_dB)


def decay_cost(weights: Sequence[Matrix], decay: float) -> Cost:
    """Weight decay (L2): (decay / 2) * the sum of every squared weight, added to the
    cost (0 without decay); one per restart when the weights have a restart axis.

    The biases are not decayed: a bias only shifts a unit's input, so shrinking
    it does not make the function the network draws any smoother, it only
    pulls the fit off the data's level (nnet decays them too; most texts do not).
    The matrices' sums are added one by one in double, as R's twin does (R's
    ``sum()`` of them would add in long double; Python 3.12's ``sum()`` compensates).
    """
    if decay == 0:
        return 0.0
    penalty = 0.0
    for W in weights:
        penalty = penalty + np.sum(W * W, axis=ENTRIES)
    return decay / 2 * penalty


def decay_gradients(grad: Gradients, weights: Sequence[Matrix], decay: float) -> Gradients:
    """The gradients with weight decay's part added: decay * W_k to each dJ/dW_k."""
    if decay == 0:
        return grad
    return Gradients([g + decay * W for g, W in zip(grad.dJ_dW, weights, strict=True)], grad.dJ_dB)


def network_result(
    weights: Sequence[Matrix],
    biases: Sequence[Matrix] | None,
    Y_hat: Matrix,
    cost_history: NDArray[np.float64],
    start: Params,
) -> Result:
    """R's named list: W_1 .. W_L, B_1 .. B_L (with bias), Y_hat, cost_history,
    then the starting parameters as W_k_init, B_k_init."""
    return {
        **{f"W_{k}": W for k, W in enumerate(weights, 1)},
        **{f"B_{k}": B for k, B in enumerate(biases or (), 1)},
        "Y_hat": Y_hat,
        "cost_history": cost_history,
        **{f"{name}_init": P for name, P in start.items()},
    }


@dataclass
class Net:
    """The parameters being trained and the optimiser's state for each (R's list ``net``)."""

    weights: list[Matrix]
    biases: list[Matrix] | None
    W_state: list[Any]
    B_state: list[Any]


def step_network(
    net: Net, grad: Gradients, t: int, update: Update, step: float, hyper: Hyper
) -> Net:
    """One update of every weight (and bias) matrix by the optimiser, from the
    gradients ``grad``; ``t`` counts the updates so far (Adam's bias correction).
    The parameters and the optimiser's state, moved."""
    for k in range(len(net.weights)):
        net.weights[k], net.W_state[k] = update(
            net.weights[k], grad.dJ_dW[k], net.W_state[k], t, step, hyper
        )
    if net.biases is not None and grad.dJ_dB is not None:
        for k in range(len(net.biases)):
            net.biases[k], net.B_state[k] = update(
                net.biases[k], grad.dJ_dB[k], net.B_state[k], t, step, hyper
            )
    return net


def check_bfgs(batch_size: object, maxit: object, reltol: object, abstol: object) -> None:
    """BFGS's own settings, as optim takes them: maxit >= 1 iterations, reltol >= 0,
    abstol a number (-inf: none); it draws no mini-batches."""
    if batch_size is not None:
        raise ValueError("optimizer 'bfgs' takes all the rows at once: no batch_size")
    check_count("maxit", maxit, 1)
    check_nonnegative("reltol", reltol)
    if not isinstance(abstol, int | float | np.number) or math.isnan(abstol) or abstol == math.inf:
        raise ValueError(f"abstol must be a number (-Inf: none); got {describe(abstol)}")


def train_bfgs(
    X: Matrix,
    Y: Matrix,
    params: Params,
    acts: Acts,
    decay: float,
    maxit: int,
    reltol: float,
    abstol: float,
    progress: Progress | None = None,
) -> Result:
    """BFGS, as R users fit this network (the lecture's own source trains it so):
    every parameter flattened, W_1 .. W_L then B_1 .. B_L, each column by column
    (R's order), through ``optim(method="BFGS")`` (``backprop.optim``, R's vmmin
    ported) with ``backward_network``'s gradient. ``iterations`` and ``step``
    play no part: BFGS makes up to ``maxit`` iterations, each with its own line
    search. ``cost_history`` holds J at every evaluation of the objective, in
    order; ``Y_hat`` is the forward pass at optim's answer; the result adds
    ``counts`` (of J and of the gradient) and ``convergence`` (0: converged, 1:
    maxit)."""
    from backprop.optim import optim

    shapes = [P.shape for P in params.values()]
    L = sum(name.startswith("W_") for name in params)

    def unflatten(par: Matrix) -> tuple[list[Matrix], list[Matrix] | None]:
        par = par.view(type(X))  # X's kind of array: an RArray keeps R's arithmetic (rarith)
        ends = np.cumsum([np.prod(d) for d in shapes])
        p = [
            par[end - np.prod(d) : end].reshape(d, order="F")
            for d, end in zip(shapes, ends, strict=True)
        ]
        return p[:L], (p[L:] if len(p) > L else None)

    costs: list[float] = []

    def fn(par: Matrix) -> float:
        weights, biases = unflatten(par)
        Y_hat = forward_network(X, weights, biases, acts).Y_hat
        J = float(acts.loss.f(Y, Y_hat) + decay_cost(weights, decay))
        costs.append(J)
        if progress is not None:
            progress(len(costs), J)
        return J

    def gr(par: Matrix) -> Matrix:
        weights, biases = unflatten(par)
        fwd = forward_network(X, weights, biases, acts)
        grad = decay_gradients(backward_network(Y, weights, biases, fwd, acts), weights, decay)
        return np.concatenate([g.ravel(order="F") for g in [*grad.dJ_dW, *(grad.dJ_dB or ())]])

    start = np.concatenate([P.ravel(order="F") for P in params.values()])
    control = {"maxit": maxit, "reltol": reltol, "abstol": abstol}
    with np.errstate(over="ignore", invalid="ignore"):  # as in train_network
        found = optim(start, fn, gr, method="BFGS", control=control)
        weights, biases = unflatten(np.asarray(found["par"]))
        Y_hat = forward_network(X, weights, biases, acts).Y_hat
    result = network_result(weights, biases, Y_hat, np.array(costs), params)
    return {
        **result,
        "counts": np.asarray(found["counts"]),
        "convergence": np.array([found["convergence"]]),
    }


def check_batch_size(batch_size: object, n_rows: int) -> int:
    """A batch size: a whole number from 1 to the rows there are to train on."""
    size = check_count("batch_size", batch_size, 1)
    if size > n_rows:
        raise ValueError(f"batch_size must be at most the {n_rows} training rows; got {size}")
    return size


def train_epoch(
    X: Matrix,
    Y: Matrix,
    net: Net,
    fwd: Forward,
    order: NDArray[np.int64] | None,
    batch_size: int | None,
    t: int,
    acts: Acts,
    decay: float,
    update: Update,
    step: float,
    hyper: Hyper,
) -> tuple[Net, int]:
    """One epoch of updates of ``net``. Without an ``order``, one step on all the
    rows, whose forward pass ``fwd`` is given; with ``order`` (a shuffle of the
    row numbers, 1-based as R's), one step per batch of ``batch_size``
    consecutive rows of it, the last one shorter, each on the loss over its
    batch alone. ``t`` is the updates made before (Adam counts them); the answer
    is ``(net, t)`` after the epoch.
    """
    if order is None or batch_size is None:
        grad = backward_network(Y, net.weights, net.biases, fwd, acts)
        grad = decay_gradients(grad, net.weights, decay)
        return step_network(net, grad, t + 1, update, step, hyper), t + 1
    for first in range(1, X.shape[0] + 1, int(batch_size)):
        rows = order[first - 1 : min(first + batch_size - 1, X.shape[0])] - 1
        batch = forward_network(X[rows, :], net.weights, net.biases, acts)
        grad = backward_network(Y[rows, :], net.weights, net.biases, batch, acts)
        grad = decay_gradients(grad, net.weights, decay)
        t += 1
        net = step_network(net, grad, t, update, step, hyper)
    return net, t


def train_network(
    X: Matrix,
    Y: Matrix,
    *,
    hidden: int | Sequence[int] = 3,
    seed: int | RGenerator = 1,
    iterations: int = 10000,
    step: float = 5.0,
    batch_size: int | None = None,
    decay: float = 0.0,
    activation: str = "sigmoid",
    output_activation: str = "sigmoid",
    loss: str = "half_sse",
    init: str = "uniform",
    optimizer: str = "gd",
    bias: bool = False,
    alpha: float = 0.01,
    beta: float = 0.9,
    rho: float = 0.9,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    maxit: int = 100,
    reltol: float = math.sqrt(np.finfo(np.float64).eps),
    abstol: float = -math.inf,
    start: Mapping[str, Matrix] | None = None,
    progress: Progress | None = None,
) -> Result:
    """Train on ``X`` (N, D) and ``Y`` (N, K); ``hidden`` gives each hidden layer's units.

    ``Y_hat`` comes from the last forward pass over all rows, made before the
    last epoch's updates, as on the slides. ``set.seed(seed)`` first (``seed``
    may instead be an ``RGenerator``, R's stream as it stands: ``fit`` draws
    its test rows from it first); then the starting parameters are drawn by
    ``init``, or given as ``start={"W_1": ..., "B_1": ...}`` (biases with
    ``bias``; the stream then moves past the draws they replace all the
    same). With ``batch_size`` B, each iteration is an epoch: ``order =
    rng.sample(N)``, then one update per batch of B consecutive rows of that
    order (the last one shorter), each from the loss over its batch alone;
    ``cost_history[i]`` is the cost over all rows before epoch i, and the
    result adds ``batch_order``, the epochs' orders (iterations x N). Without
    it, each iteration is one update from all rows. ``optimizer="bfgs"`` trains
    with optim instead (``train_bfgs``, with maxit, reltol and abstol).
    ``decay`` adds weight decay
    (``decay_cost``) to every cost and gradient. ``progress`` is
    ``train``'s. Returns R's named list as a dict (``network_result``). These
    keyword arguments are the one table of defaults: ``network_defaults``
    reads it.
    """
    X, Y = check_network_data(X, Y)
    sizes = (X.shape[1], *check_hidden(hidden), Y.shape[1])
    if not isinstance(seed, RGenerator):
        check_seed(seed)
    check_count("iterations", iterations, 0)
    check_positive("step", step)
    if batch_size is not None:
        check_batch_size(batch_size, X.shape[0])
    check_nonnegative("decay", decay)
    acts = check_network_config(Y, activation, output_activation, loss, init, bias, alpha)
    check_name("optimizer", optimizer, OPTIMISER_NAMES)
    if optimizer == "bfgs":
        check_bfgs(batch_size, maxit, reltol, abstol)
    hyper = check_hyperparameters(beta, rho, beta1, beta2, eps)
    rng = seed if isinstance(seed, RGenerator) else set_seed(seed)
    drawn = init_network(sizes, init, rng, bias)  # even under `start`: the
    # stream moves past the weights, so the batches are shuffled the same
    params = drawn if start is None else check_start(start, sizes, bias)
    params = {name: P.view(type(X)) for name, P in params.items()}  # X's arithmetic (rarith)
    if optimizer == "bfgs":
        return train_bfgs(X, Y, params, acts, decay, maxit, reltol, abstol, progress)
    update = get_optimiser(optimizer)
    L = len(sizes) - 1
    net = Net(
        weights=[params[f"W_{k}"] for k in range(1, L + 1)],
        biases=[params[f"B_{k}"] for k in range(1, L + 1)] if bias else None,
        W_state=[],
        B_state=[],
    )
    net.W_state = [init_optimiser_state(optimizer, W) for W in net.weights]
    net.B_state = [init_optimiser_state(optimizer, B) for B in net.biases or ()]
    cost_history = np.full(int(iterations), np.nan)
    batch_order = None
    if batch_size is not None:
        batch_order = np.zeros((int(iterations), X.shape[0]), dtype=np.int64)
    t = 0  # updates so far
    # exp(-Z) overflows to inf where a sigmoid saturates: expected, and any NaN
    # it leads to is caught by the divergence checks, so numpy need not warn.
    with np.errstate(over="ignore", invalid="ignore"):
        fwd = forward_network(X, net.weights, net.biases, acts)  # for 0 iterations
        for i in range(1, int(iterations) + 1):
            fwd = forward_network(X, net.weights, net.biases, acts)
            cost_history[i - 1] = acts.loss.f(Y, fwd.Y_hat) + decay_cost(net.weights, decay)
            stop_if_diverged(cost_history[i - 1], i, step)
            if progress is not None:
                progress(i, cost_history[i - 1])
            order = None
            if batch_size is not None:
                order = rng.sample(X.shape[0])
                batch_order[i - 1, :] = order  # type: ignore[index]
            net, t = train_epoch(
                X, Y, net, fwd, order, batch_size, t, acts, decay, update, step, hyper
            )
    stop_if_weights_diverged([*net.weights, *(net.biases or ())], iterations, step)
    result = network_result(net.weights, net.biases, fwd.Y_hat, cost_history, params)
    if batch_order is not None:
        result["batch_order"] = batch_order
    return result


class Evaluated(NamedTuple):
    """``evaluate_network``'s answer: R's ``list(Y_hat, cost)``."""

    Y_hat: Matrix
    cost: float


def evaluate_network(result: Result, X: Matrix, Y: Matrix, **settings: Any) -> Evaluated:
    """The trained network of ``result`` (``train``'s or ``train_network``'s) applied to
    ``X``, with the ``settings`` it was trained with: ``Y_hat``, and the cost against ``Y``."""
    s = network_settings(**settings)
    X, Y = check_network_data(X, Y)
    acts = check_network_config(
        Y, s["activation"], s["output_activation"], s["loss"], s["init"], s["bias"], s["alpha"]
    )
    L = len(check_hidden(s["hidden"])) + 1
    weights = [result[f"W_{k}"] for k in range(1, L + 1)]
    biases = [result[f"B_{k}"] for k in range(1, L + 1)] if s["bias"] else None
    with np.errstate(over="ignore", invalid="ignore"):  # as in training
        Y_hat = forward_network(X, weights, biases, acts).Y_hat
    return Evaluated(Y_hat, float(acts.loss.f(Y, Y_hat)))


def network_defaults() -> dict[str, Any]:
    """Every setting's default, read from ``train_network``'s keyword arguments.

    All but ``start`` and ``progress`` (``RUN_ONLY``): the lecture's network
    (``batch_size`` None: all rows at once). The command, the parity cases and
    the gradient check take their defaults from here.
    """
    parameters = inspect.signature(train_network).parameters.values()
    kept = [p for p in parameters if p.kind is p.KEYWORD_ONLY and p.name not in RUN_ONLY]
    return {p.name: p.default for p in kept}


def network_settings(**given: Any) -> dict[str, Any]:
    """The settings given (``train_network``'s keyword arguments), with the default
    for every one not given; an unknown name is a ValueError."""
    defaults = network_defaults()
    unknown = [name for name in given if name not in defaults]
    if unknown:
        raise ValueError(f"unknown setting '{unknown[0]}'; the settings are {', '.join(defaults)}")
    return {**defaults, **given}
