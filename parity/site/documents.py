"""The documents page: each activation, loss and optimiser as a formula first,
then what it gives in R and in Python on the same numbers (run by the build),
with the code folded."""

from __future__ import annotations

import contextlib
import io
from typing import Any

import numpy as np

from backprop import activations, losses, optimisers

Z = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0]])
Y = np.array([[0.75], [0.82], [0.93]])
Y_HAT = np.array([[0.7], [0.85], [0.9]])
Y_CLASS = np.array([[1.0], [0.0], [1.0]])
P_CLASS = np.array([[0.8], [0.3], [0.6]])
Y_ONEHOT = np.array([[1.0, 0.0], [0.0, 1.0]])
P_SOFTMAX = np.array([[0.7, 0.3], [0.4, 0.6]])
W = np.array([[1.0, 1.0]])
G = np.array([[0.1, -0.2]])
STEP = 0.1

# name, f in LaTeX, f' in LaTeX (None: none shown)
ACTIVATIONS = (
    (
        "sigmoid",
        r"f(z) = \frac{1}{1 + e^{-z}}",
        r"f'(z) = \frac{e^{-z}}{(1 + e^{-z})^2} = f(z)(1 - f(z))",
    ),
    ("tanh", r"f(z) = \tanh z = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}", r"f'(z) = 1 - \tanh^2 z"),
    ("relu", r"f(z) = \max(0, z)", r"f'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}"),
    (
        "leaky_relu",
        r"f(z) = \begin{cases} z & z > 0 \\ \alpha z & z \le 0 \end{cases}, \quad \alpha = 0.01",
        r"f'(z) = \begin{cases} 1 & z > 0 \\ \alpha & z \le 0 \end{cases}",
    ),
    ("linear", r"f(z) = z", r"f'(z) = 1"),
    (
        "softplus",
        r"f(z) = \log(1 + e^{z}) = \max(0, z) + \log(1 + e^{-|z|})",
        r"f'(z) = \frac{1}{1 + e^{-z}} \text{ (the sigmoid)}",
    ),
    ("softmax", r"f(\mathbf{z})_k = \frac{e^{z_k}}{\sum_j e^{z_j}} \text{ (each row)}", None),
)
LOSSES = (
    (
        "half_sse",
        r"\mathcal{J} = \frac{1}{2} \sum_n (y_n - \hat{y}_n)^2",
        r"\frac{\partial \mathcal{J}}{\partial \hat{y}_n} = -(y_n - \hat{y}_n)",
        "regression",
    ),
    (
        "mse",
        r"\mathcal{J} = \frac{1}{NK} \sum (y - \hat{y})^2",
        r"\frac{\partial \mathcal{J}}{\partial \hat{y}} = -\frac{2}{NK}(y - \hat{y})",
        "regression",
    ),
    (
        "mae",
        r"\mathcal{J} = \frac{1}{NK} \sum |y - \hat{y}|",
        r"\frac{\partial \mathcal{J}}{\partial \hat{y}} = \frac{\mathrm{sign}(\hat{y} - y)}{NK}",
        "regression",
    ),
    (
        "binary_cross_entropy",
        r"\mathcal{J} = -\frac{1}{NK} \sum \left( y \log \hat{y}"
        r" + (1 - y) \log(1 - \hat{y}) \right)",
        r"\frac{\partial \mathcal{J}}{\partial \hat{y}} = \frac{1}{NK} \left("
        r" \frac{1 - y}{1 - \hat{y}} - \frac{y}{\hat{y}} \right)",
        "classes",
    ),
    (
        "cross_entropy",
        r"\mathcal{J} = -\frac{1}{N} \sum_n \sum_k y_{nk} \log \hat{y}_{nk}",
        r"\frac{\partial \mathcal{J}}{\partial \hat{y}_{nk}}"
        r" = -\frac{1}{N} \frac{y_{nk}}{\hat{y}_{nk}}",
        "softmax",
    ),
)
OPTIMISERS = (
    ("gd", r"W \leftarrow W - \eta g"),
    ("momentum", r"v \leftarrow \beta v + (1 - \beta) g, \quad W \leftarrow W - \eta v"),
    ("rmsprop", r"s \leftarrow \rho s + (1 - \rho) g^2, \quad"
                r" W \leftarrow W - \eta \frac{g}{\sqrt{s} + \epsilon}"),
    ("adam", r"\begin{aligned} m &\leftarrow \beta_1 m + (1 - \beta_1) g, \quad"
             r" v \leftarrow \beta_2 v + (1 - \beta_2) g^2 \\ \hat{m} &= \frac{m}{1 - \beta_1^t},"
             r" \quad \hat{v} = \frac{v}{1 - \beta_2^t}, \quad"
             r" W \leftarrow W - \eta \frac{\hat{m}}{\sqrt{\hat{v}} + \epsilon} \end{aligned}"),
)  # fmt: skip


def _print(value: Any) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        print(value)
    return out.getvalue().rstrip("\n")


def _flat(value: Any) -> str:
    """An array on one line, numpy's way: [[0.75], [0.82], [0.93]]."""
    return " ".join(np.array2string(np.asarray(value), separator=", ").split())


def _r(result: Any) -> tuple[str, str]:
    return str(result["f"][0]), str(result["prime"][0])


def formula_views(r: Any) -> dict[str, list[dict[str, Any]]]:
    """Every formula with what R and Python give on the same numbers."""
    hyper = optimisers.check_hyperparameters(0.9, 0.9, 0.9, 0.999, 1e-8)
    views: dict[str, list[dict[str, Any]]] = {"activations": [], "losses": [], "optimisers": []}
    for name, f, prime in ACTIVATIONS:
        act = activations.get_activation(name)
        z = Z[:, :2] if name == "softmax" else Z
        r_f, r_prime = _r(r.call("show_activation", name, z))
        views["activations"].append({
            "name": name, "f": f, "prime": prime,
            "r": [r_f] + ([r_prime] if prime else []),
            "python": [_print(act.f(z))] + ([_print(act.prime(z))] if prime and act.prime else []),
            "input": f"Z = {_flat(z)}",
            "labels": ["f(Z)", "f′(Z)"],
        })  # fmt: skip
    for name, f, prime, kind in LOSSES:
        y, y_hat = {"regression": (Y, Y_HAT), "classes": (Y_CLASS, P_CLASS),
                    "softmax": (Y_ONEHOT, P_SOFTMAX)}[kind]  # fmt: skip
        loss = losses.get_loss(name)
        r_f, r_prime = _r(r.call("show_loss", name, y, y_hat))
        views["losses"].append({
            "name": name, "f": f, "prime": prime,
            "r": [r_f, r_prime],
            "python": [_print(loss.f(y, y_hat)), _print(loss.gradient(y, y_hat))],
            "input": f"Y = {_flat(y)}, Y_hat = {_flat(y_hat)}",
            "labels": ["J", "dJ/dY_hat"],
        })  # fmt: skip
    for name, f in OPTIMISERS:
        update = optimisers.get_optimiser(name)
        new_w, _ = update(W, G, optimisers.init_optimiser_state(name, W), 1, STEP, hyper)
        r_w, _ = _r(r.call("show_update", name, W, G, STEP))
        views["optimisers"].append({
            "name": name, "f": f, "prime": None,
            "r": [r_w], "python": [_print(new_w)],
            "input": f"W = {_flat(W)}, g = {_flat(G)}, step {STEP}, t = 1",
            "labels": ["W after one update"],
        })  # fmt: skip
    return views
