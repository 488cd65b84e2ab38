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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from backprop.activations import Activation, activation_delta, get_activation
from backprop.checks import Matrix, check_count, is_numeric_matrix
from backprop.initialisers import init_network
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
    Hyper,
    Update,
    check_hyperparameters,
    get_optimiser,
    init_optimiser_state,
)
from backprop.rng import RGenerator, set_seed
from backprop.spec import Spec, check_hidden, network_settings, network_spec

Updated = Callable[[int], object]  # updated(t) after the t-th update: a bar counting updates


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


@dataclass(frozen=True)
class Acts:
    """The hidden layers' activation, the output layer's, and the loss."""

    hidden: Activation
    output: Activation
    loss: Loss


def network_acts(spec: Mapping[str, Any]) -> Acts:
    """The hidden layers' activation, the output layer's and the loss the settings name."""
    return Acts(
        get_activation(spec["activation"], spec["alpha"]),
        get_activation(spec["output_activation"], spec["alpha"]),
        get_loss(spec["loss"]),
    )


def check_network_config(Y: Matrix, spec: Mapping[str, Any]) -> Acts:
    """The network's functions for these settings (``network_spec``'s, checked), and
    what they ask of the targets ``Y``; a clear ValueError for anything wrong."""
    output_activation, loss = spec["output_activation"], spec["loss"]
    acts = network_acts(spec)
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
    return acts


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
    updated: Updated | None = None,
) -> tuple[Net, int]:
    """One epoch of updates of ``net``. Without an ``order``, one step on all the
    rows, whose forward pass ``fwd`` is given; with ``order`` (a shuffle of the
    row numbers, 1-based as R's), one step per batch of ``batch_size``
    consecutive rows of it, the last one shorter, each on the loss over its
    batch alone. ``t`` is the updates made before (Adam counts them); the answer
    is ``(net, t)`` after the epoch. ``updated``, if given, is called with t after
    each update (a progress bar that counts updates).
    """
    if order is None or batch_size is None:
        grad = backward_network(Y, net.weights, net.biases, fwd, acts)
        grad = decay_gradients(grad, net.weights, decay)
        net = step_network(net, grad, t + 1, update, step, hyper)
        if updated is not None:
            updated(t + 1)
        return net, t + 1
    for first in range(1, X.shape[0] + 1, int(batch_size)):
        rows = order[first - 1 : min(first + batch_size - 1, X.shape[0])] - 1
        batch = forward_network(X[rows, :], net.weights, net.biases, acts)
        grad = backward_network(Y[rows, :], net.weights, net.biases, batch, acts)
        grad = decay_gradients(grad, net.weights, decay)
        t += 1
        net = step_network(net, grad, t, update, step, hyper)
        if updated is not None:
            updated(t)
    return net, t


def new_net(params: Mapping[str, Matrix], optimizer: str) -> Net:
    """The parameters W_1 .. W_L (and B_1 .. B_L) to train, each with the optimiser's
    starting state (R's list ``net``). The updates make new arrays: ``params``
    stay as they are."""
    weights = [P for name, P in params.items() if name.startswith("W_")]
    biases = [P for name, P in params.items() if name.startswith("B_")] or None
    return Net(
        weights=weights,
        biases=biases,
        W_state=[init_optimiser_state(optimizer, W) for W in weights],
        B_state=[init_optimiser_state(optimizer, B) for B in biases or ()],
    )


class Trained(NamedTuple):
    """``train_loop``'s answer: the trained ``net``, ``Y_hat`` of the last forward pass
    over all rows (before the last epoch's updates), the cost before each
    iteration, and with mini-batches each epoch's order of the rows."""

    net: Net
    Y_hat: Matrix
    cost_history: NDArray[np.float64]
    batch_order: NDArray[np.int64] | None


def train_loop(
    X: Matrix,
    Y: Matrix,
    net: Net,
    acts: Acts,
    spec: Mapping[str, Any],
    hyper: Hyper,
    shuffles: RGenerator | None,
    progress: Progress | None = None,
    updated: Updated | None = None,
) -> Trained:
    """The slides' loop, generalised: ``iterations`` times, a forward pass over all
    rows, its cost (with weight decay's), then an epoch of updates (``train_epoch``;
    with mini-batches, in the order ``shuffles.sample(N)`` draws). A cost that is
    not finite stops the training (``stop_if_diverged``).

    The parameters may carry a leading restart axis (K, n_in, n_out): K networks
    are then trained at once, as one computation (numpy broadcasts ``X @ W`` over
    them; the losses sum each one's entries), the cost is one per restart
    (``cost_history`` is iterations x K), ``progress`` gets the lowest, and a
    restart that diverges trains on (as NaN): ``train_restarts`` finds it, as R's
    loop over its restarts would.
    """
    iterations, step, decay = int(spec["iterations"]), spec["step"], spec["decay"]
    batch_size, update = spec["batch_size"], get_optimiser(spec["optimizer"])
    restarts = net.weights[0].shape[:-2]  # (K,) with a restart axis, else ()
    cost_history = np.full((iterations, *restarts), np.nan)
    batch_order = None
    if batch_size is not None:
        batch_order = np.zeros((iterations, X.shape[0]), dtype=np.int64)
    t = 0  # updates so far
    # exp(-Z) overflows to inf where a sigmoid saturates: expected, and any NaN
    # it leads to is caught by the divergence checks, so numpy need not warn.
    with np.errstate(all="ignore"):
        fwd = forward_network(X, net.weights, net.biases, acts)  # for 0 iterations
        for i in range(1, iterations + 1):
            fwd = forward_network(X, net.weights, net.biases, acts)
            cost_history[i - 1] = acts.loss.f(Y, fwd.Y_hat) + decay_cost(net.weights, decay)
            if not restarts:
                stop_if_diverged(cost_history[i - 1], i, step)
            if progress is not None:  # with restarts, the lowest cost of any
                progress(i, np.nanmin(cost_history[i - 1], initial=np.inf))
            order = None
            if batch_size is not None and shuffles is not None:
                order = shuffles.sample(X.shape[0])
                batch_order[i - 1, :] = order  # type: ignore[index]
            net, t = train_epoch(
                X, Y, net, fwd, order, batch_size, t, acts, decay, update, step, hyper, updated
            )
    return Trained(net, fwd.Y_hat, cost_history, batch_order)


class Setup(NamedTuple):
    """``network_setup``'s answer: the data and the network's settings, checked, its
    layer sizes (D, *hidden, K), functions and optimiser's hyper-parameters."""

    X: Matrix
    Y: Matrix
    spec: Spec
    sizes: tuple[int, ...]
    acts: Acts
    hyper: Hyper


def network_setup(X: Matrix, Y: Matrix, **settings: Any) -> Setup:
    """Every check ``train_network`` makes before it draws a weight, and what they give:
    the data, the settings (``network_spec``), the batch size against the rows, and
    the network's functions against the targets. A clear ValueError for anything wrong."""
    X, Y = check_network_data(X, Y)
    s = network_spec(**settings)
    sizes = (X.shape[1], *check_hidden(s["hidden"]), Y.shape[1])
    if s["batch_size"] is not None:
        check_batch_size(s["batch_size"], X.shape[0])
    acts = check_network_config(Y, s)
    hyper = check_hyperparameters(s["beta"], s["rho"], s["beta1"], s["beta2"], s["eps"])
    return Setup(X, Y, s, sizes, acts, hyper)


def train_network(
    X: Matrix,
    Y: Matrix,
    *,
    start: Mapping[str, Matrix] | None = None,
    progress: Progress | None = None,
    updated: Updated | None = None,
    **settings: Any,
) -> Result:
    """Train on ``X`` (N, D) and ``Y`` (N, K) the network the ``settings`` describe.

    The settings are ``backprop.spec.SETTINGS``'s (``hidden``, each hidden
    layer's units; ``seed``, ``iterations``, ``step``, ``batch_size``,
    ``decay``, ``activation``, ``output_activation``, ``loss``, ``init``,
    ``optimizer``, ``bias``, ``alpha``, ``beta``, ``rho``, ``beta1``, ``beta2``,
    ``eps``, ``maxit``, ``reltol``, ``abstol``), checked by ``network_spec``;
    any not given takes the table's default, the lecture's.

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
    ``train``'s; ``updated``, if given, is called with t after the t-th update
    (``train_epoch``). Returns R's named list as a dict (``network_result``).
    """
    X, Y, s, sizes, acts, hyper = network_setup(X, Y, **settings)
    rng = s["seed"] if isinstance(s["seed"], RGenerator) else set_seed(s["seed"])
    drawn = init_network(sizes, s["init"], rng, s["bias"])  # even under `start`: the
    # stream moves past the weights, so the batches are shuffled the same
    params = drawn if start is None else check_start(start, sizes, s["bias"])
    params = {name: P.view(type(X)) for name, P in params.items()}  # X's arithmetic (rarith)
    if s["optimizer"] == "bfgs":
        bfgs = (s["decay"], s["maxit"], s["reltol"], s["abstol"])
        return train_bfgs(X, Y, params, acts, *bfgs, progress)
    net = new_net(params, s["optimizer"])
    trained = train_loop(X, Y, net, acts, s, hyper, rng, progress, updated)
    net = trained.net
    stop_if_weights_diverged([*net.weights, *(net.biases or ())], int(s["iterations"]), s["step"])
    result = network_result(net.weights, net.biases, trained.Y_hat, trained.cost_history, params)
    if trained.batch_order is not None:
        result["batch_order"] = trained.batch_order
    return result


class Evaluated(NamedTuple):
    """``evaluate_network``'s answer: R's ``list(Y_hat, cost)``."""

    Y_hat: Matrix
    cost: float


def network_output(result: Result, X: Matrix, **settings: Any) -> Matrix:
    """The trained network of ``result`` (``train``'s or ``train_network``'s) applied to
    the rows of ``X``, with the ``settings`` it was trained with: its outputs, ``Y_hat``
    on its final parameters (a ``Fit``'s ``predict``)."""
    s = network_settings(**settings)
    acts = network_acts(s)
    L = len(check_hidden(s["hidden"])) + 1
    weights = [result[f"W_{k}"] for k in range(1, L + 1)]
    biases = [result[f"B_{k}"] for k in range(1, L + 1)] if s["bias"] else None
    with np.errstate(over="ignore", invalid="ignore"):  # as in training
        return forward_network(X, weights, biases, acts).Y_hat


def evaluate_network(result: Result, X: Matrix, Y: Matrix, **settings: Any) -> Evaluated:
    """The trained network of ``result`` applied to ``X`` (``network_output``), with the
    ``settings`` it was trained with: ``Y_hat``, and the cost against ``Y``."""
    X, Y = check_network_data(X, Y)
    acts = check_network_config(Y, network_spec(**settings))
    Y_hat = network_output(result, X, **settings)
    return Evaluated(Y_hat, float(acts.loss.f(Y, Y_hat)))
