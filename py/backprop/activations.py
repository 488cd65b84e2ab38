"""Activation functions, each with its derivative next to it, and one table of them by name.

Twin of ``r/activations.R``: the same functions in the same order, the same table.

``Z`` is a matrix of pre-activations, (N, units). Every function works element
by element, except softmax, which works on each row. At the kink z = 0 the
derivatives take the right-hand side's value for leaky_relu (alpha) and the
left-hand side's for relu (0); the gradient check keeps away from z = 0.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

import numpy as np

# The lecture's sigmoid and f'(z): one definition, so the default network
# reproduces the lecture bit for bit.
from backprop.checks import Matrix, check_name
from backprop.network import sigmoid, sigmoid_prime


def tanh(Z: Matrix) -> Matrix:
    return np.tanh(Z)


def tanh_prime(Z: Matrix) -> Matrix:
    return 1 - np.tanh(Z) ** 2


def relu(Z: Matrix) -> Matrix:
    return np.where(Z > 0, Z, 0.0)


def relu_prime(Z: Matrix) -> Matrix:
    return np.where(Z > 0, 1.0, 0.0)


def leaky_relu(Z: Matrix, alpha: float = 0.01) -> Matrix:
    return np.where(Z > 0, Z, alpha * Z)


def leaky_relu_prime(Z: Matrix, alpha: float = 0.01) -> Matrix:
    return np.where(Z > 0, 1.0, alpha)


def linear(Z: Matrix) -> Matrix:
    return Z


def linear_prime(Z: Matrix) -> Matrix:
    return np.ones_like(Z, dtype=np.float64)


def softplus(Z: Matrix) -> Matrix:
    """log(1 + e^z), a smooth relu, written so that e^z never overflows.

    For z > 0, log(1 + e^z) = z + log(1 + e^-z); so in general it is
    max(z, 0) + log1p(e^-|z|), and log1p keeps the digits of a tiny e^-|z|.
    """
    return np.maximum(Z, 0) + np.log1p(np.exp(-np.abs(Z)))


def softplus_prime(Z: Matrix) -> Matrix:
    """d/dz log(1 + e^z) = e^z / (1 + e^z) = 1 / (1 + e^-z): the lecture's sigmoid."""
    return sigmoid(Z)


def softmax(Z: Matrix) -> Matrix:
    """Each row of ``Z`` becomes a probability vector: e^z_j / sum_k e^z_k.

    Subtracting the row's maximum first changes nothing mathematically (it
    cancels between numerator and denominator) but keeps exp() from overflowing.
    """
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))  # (N, K); axis -1: a row's units,
    return E / E.sum(axis=-1, keepdims=True)  # also under a leading restart axis


def softmax_backward(A: Matrix, G: Matrix) -> Matrix:
    """delta = dLoss/dZ from ``G`` = dLoss/dA, row by row, for A = softmax(Z).

    Softmax mixes a row's units, so its derivative is a K x K Jacobian per row,
    dA_j/dZ_i = A_j (1[i = j] - A_i). Applied to G:
    delta_i = sum_j G_j A_j (1[i = j] - A_i) = A_i (G_i - sum_j G_j A_j).
    """
    return A * (G - (G * A).sum(axis=-1, keepdims=True))  # (N, K)


def step_function(Z: Matrix) -> Matrix:
    """The classical perceptron's step: forward only.

    Its derivative is 0 wherever it exists, so no gradient can flow through
    it; training refuses it.
    """
    return np.where(Z >= 0, 1.0, 0.0)


class Activation(NamedTuple):
    """An activation's name, f and f' (``get_activation``'s answer).

    ``prime`` is None for softmax, whose derivative is ``softmax_backward``,
    and for step, which has none.
    """

    name: str
    f: Callable[[Matrix], Matrix]
    prime: Callable[[Matrix], Matrix] | None


# Every activation by name: f and f' side by side. Those whose f and f' take
# ``alpha`` (leaky_relu's slope below 0) get get_activation's.
ACTIVATIONS: dict[str, tuple[Callable[..., Matrix], Callable[..., Matrix] | None]] = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "leaky_relu": (leaky_relu, leaky_relu_prime),
    "linear": (linear, linear_prime),
    "softplus": (softplus, softplus_prime),
    "softmax": (softmax, None),  # f' is a Jacobian per row: softmax_backward
    "step": (step_function, None),  # no useful f': forward only
}


def get_activation(name: str, alpha: float = 0.01) -> Activation:
    """The activation called ``name``; a clear ValueError for an unknown name."""
    check_name("activation", name, tuple(ACTIVATIONS))
    f, prime = ACTIVATIONS[name]
    if "alpha" in inspect.signature(f).parameters:
        f = partial(f, alpha=alpha)
        prime = None if prime is None else partial(prime, alpha=alpha)
    return Activation(name, f, prime)


def activation_delta(act: Activation, Z: Matrix, A: Matrix, G: Matrix) -> Matrix:
    """delta = dLoss/dZ from G = dLoss/dA: G * f'(Z), or softmax's row rule."""
    if act.name == "softmax":
        return softmax_backward(A, G)
    if act.prime is None:
        valid = ", ".join(f"'{n}'" for n in ACTIVATIONS if n != "step")
        raise ValueError(
            f"the '{act.name}' activation has no useful derivative, so nothing can be "
            f"trained or gradient-checked through it; choose one of {valid}"
        )
    return G * act.prime(Z)
