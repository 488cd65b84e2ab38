"""Checking the backward pass against central differences.

Twin of ``r/gradcheck.R``: the same functions in the same order.

Each weight (and bias) is moved by +h and -h in turn, and
(J(w + h) - J(w - h)) / (2 h) is compared with the analytic dJ/dw from
``backward_network``. The error of a central difference is about
h^2 |J'''| / 6 (truncation) plus about eps |J| / h (rounding, eps = 2.2e-16).
For J and its derivatives of order 1 the sum is smallest near
h = eps^(1/3) = 6e-6, but a gradient matrix can be far smaller than J (deep
leaky_relu networks: |dJ/dW_1| = 1e-5 with J = 1), and then rounding, which
grows as h shrinks, dominates. Measured over 660 configurations (every
activation, loss, bias on/off, depth 1-3), the worst ratio was 2.7e-6 with
h = 1e-3 (truncation), 2.7e-8 with 1e-4, 5.4e-8 with 3e-5 and 1.9e-7 with
1e-5 (rounding). With softplus (900 configurations) 1e-4 is too coarse: a
softplus output under three tanh layers with biases leaves 1.2e-7
(truncation, falling as h^2); the worst with h = 5e-5 is 3.0e-8, hence the
default h = 5e-5.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from backprop.checks import Matrix, check_positive
from backprop.initialisers import init_network
from backprop.model import (
    backward_network,
    decay_cost,
    decay_gradients,
    forward_network,
    network_setup,
)
from backprop.network import check_start, stop_if_diverged

Gradients = dict[str, NDArray[np.float64]]
PASS_LIMIT = 1e-7  # a ratio below this means the backward pass is right
Progress = Callable[[int], object]  # progress(1) after each central difference


def relative_difference(analytic: Matrix, numeric: Matrix) -> float:
    """|analytic - numeric| / |analytic + numeric| (Frobenius norms).

    About 1e-10 when the two agree, near 1 or above when they do not. 0 when
    both are 0 (a unit whose ReLU is off for every row has a zero gradient,
    exactly).
    """
    difference = math.sqrt(np.sum((analytic - numeric) ** 2))
    if difference == 0:
        return 0.0
    return difference / math.sqrt(np.sum((analytic + numeric) ** 2))


def network_gradients(
    X: Matrix,
    Y: Matrix,
    *,
    h: float = 5e-5,
    start: Mapping[str, Matrix] | None = None,
    progress: Progress | None = None,
    **settings: Any,
) -> tuple[Gradients, Gradients]:
    """The analytic gradients (``backward_network``) and the central differences.

    Each is a dict W_1 .. W_L, B_1 .. B_L, at the initial parameters of the
    network the ``settings`` describe (``train_network``'s keyword arguments,
    with its defaults; those of training alone, such as ``step``, play no
    part), or at ``start``, given as ``train_network`` takes it. ``progress``, if
    given, is called with 1 after each parameter's central difference (for a
    progress bar, such as tqdm's ``update``).
    """
    X, Y, s, sizes, acts, _ = network_setup(X, Y, **settings)
    check_positive("h", h)
    if start is None:
        params = init_network(sizes, s["init"], s["seed"], s["bias"])
    else:
        params = check_start(start, sizes, s["bias"])
    params = {name: P.view(type(X)) for name, P in params.items()}  # X's arithmetic (rarith)
    L = len(sizes) - 1
    weights = [params[f"W_{k}"] for k in range(1, L + 1)]
    biases = [params[f"B_{k}"] for k in range(1, L + 1)] if s["bias"] else None
    grad = backward_network(Y, weights, biases, forward_network(X, weights, biases, acts), acts)
    grad = decay_gradients(grad, weights, s["decay"])
    analytic = {f"W_{k + 1}": grad.dJ_dW[k] for k in range(L)}
    if grad.dJ_dB is not None:
        analytic.update({f"B_{k + 1}": grad.dJ_dB[k] for k in range(L)})

    def cost_at(weights: Sequence[Matrix], biases: Sequence[Matrix] | None) -> float:
        Y_hat = forward_network(X, weights, biases, acts).Y_hat
        return float(acts.loss.f(Y, Y_hat) + decay_cost(weights, s["decay"]))

    def with_weight(k: int) -> Callable[[Matrix], float]:
        return lambda P: cost_at([*weights[:k], P, *weights[k + 1 :]], biases)

    def with_bias(k: int, biases: list[Matrix]) -> Callable[[Matrix], float]:
        return lambda P: cost_at(weights, [*biases[:k], P, *biases[k + 1 :]])

    stop_if_diverged(cost_at(weights, biases), 1, h)  # nothing to check against
    numeric = dict(analytic)
    for k in range(L):
        numeric[f"W_{k + 1}"] = central_differences(weights[k], with_weight(k), h, progress)
        if biases is not None:
            numeric[f"B_{k + 1}"] = central_differences(
                biases[k], with_bias(k, biases), h, progress
            )
    return analytic, numeric


def central_differences(
    P: Matrix, cost: Callable[[Matrix], float], h: float, progress: Progress | None = None
) -> Matrix:
    """(J(P + h e_i) - J(P - h e_i)) / (2 h) for every element i of the matrix ``P``.

    ``cost(P)`` is J with ``P`` in its place; ``progress(1)``, if given, after each.
    """
    numeric = np.zeros(P.shape)
    for i in np.ndindex(P.shape):
        plus = P.copy()
        plus[i] = P[i] + h
        minus = P.copy()
        minus[i] = P[i] - h
        numeric[i] = (cost(plus) - cost(minus)) / (2 * h)
        if progress is not None:
            progress(1)
    return numeric


def gradient_check(
    X: Matrix,
    Y: Matrix,
    *,
    h: float = 5e-5,
    start: Mapping[str, Matrix] | None = None,
    progress: Progress | None = None,
    **settings: Any,
) -> dict[str, float]:
    """``relative_difference`` per parameter matrix: {"W_1": ..., "B_1": ...}.

    Below ``PASS_LIMIT`` (1e-7) means the backward pass is right. Same arguments as
    ``network_gradients``.
    """
    with np.errstate(all="ignore"):  # a non-finite cost stops it with a clear error
        analytic, numeric = network_gradients(X, Y, h=h, start=start, progress=progress, **settings)
    return {name: relative_difference(analytic[name], numeric[name]) for name in analytic}
