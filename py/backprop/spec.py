"""Every setting of the general network in one table, and a network's settings checked.

Twin of ``r/R/spec.R``: the same functions in the same order. ``SETTINGS`` is the
one home of each setting's default, kind and meaning: ``train_network`` takes
its defaults from here, the command declares its options from it
(``backprop.cli``), the parity cases fill what a row of ``cases.csv`` leaves
empty from it, and ``network_spec`` checks a network's settings once, before
any data is read or any weight drawn. Checks that need the data (a batch no
larger than the rows, targets a loss can take) are ``train_network``'s.

A kind says what a value must be: "sizes" (units per hidden layer), "seed"
(R's ``set.seed``), "count" (a whole number >= 0), "count1" (>= 1), "batch"
(a count >= 1, or None: all rows at once), "positive", "nonnegative", "rate"
(in (0, 1)), "abstol" (a number, -Inf: none), "flag" (True or False), or
"choice" (a name of ``choices``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from backprop.activations import ACTIVATIONS
from backprop.checks import (
    check_count,
    check_name,
    check_nonnegative,
    check_positive,
    check_rate,
    check_seed,
    describe,
    is_whole,
)
from backprop.initialisers import INITIALISERS
from backprop.losses import LOSSES
from backprop.optimisers import OPTIMISERS
from backprop.rng import RGenerator

# Activations with a derivative (step has none), and softmax, for the output alone.
HIDDEN_ACTIVATIONS = tuple(n for n, (_, prime) in ACTIVATIONS.items() if prime is not None)
OUTPUT_ACTIVATIONS = tuple(n for n in ACTIVATIONS if n in HIDDEN_ACTIVATIONS or n == "softmax")


@dataclass(frozen=True)
class Setting:
    """One setting: its default, its kind (see the module's notes), what it means,
    whether it shapes the network itself (``network``: the command ``check`` takes
    it too) or only its training, and the names it may take (kind "choice")."""

    default: Any
    kind: str
    help: str
    network: bool = False
    choices: tuple[str, ...] = ()


SETTINGS: dict[str, Setting] = {
    "hidden": Setting(3, "sizes", "units per hidden layer: 3, or 4,3", network=True),
    "seed": Setting(1, "seed", "R's set.seed, before the weights are drawn", network=True),
    "iterations": Setting(10000, "count", "gradient steps (epochs, with a batch size)"),
    "step": Setting(5.0, "positive", "step size"),
    "batch_size": Setting(
        None,
        "batch",
        "mini-batches of this many rows, reshuffled each epoch (None: all rows at once)",
    ),
    "decay": Setting(0.0, "nonnegative", "weight decay: (decay/2) sum W^2", network=True),
    "activation": Setting(
        "sigmoid", "choice", "the hidden layers' activation", True, HIDDEN_ACTIVATIONS
    ),
    "output_activation": Setting(
        "sigmoid", "choice", "the output layer's activation", True, OUTPUT_ACTIVATIONS
    ),
    "loss": Setting("half_sse", "choice", "cost function", True, tuple(LOSSES)),
    "init": Setting("uniform", "choice", "starting weights", True, tuple(INITIALISERS)),
    "optimizer": Setting(
        "gd",
        "choice",
        "update rule; bfgs: R's optim(method = 'BFGS'), which takes no iterations or step",
        choices=tuple(OPTIMISERS),
    ),
    "bias": Setting(False, "flag", "add bias rows B_1, B_2, ... (starting at 0)", network=True),
    "alpha": Setting(0.01, "positive", "leaky_relu's slope below 0", network=True),
    "beta": Setting(0.9, "rate", "momentum's decay"),
    "rho": Setting(0.9, "rate", "RMSprop's decay"),
    "beta1": Setting(0.9, "rate", "Adam's decay of the mean"),
    "beta2": Setting(0.999, "rate", "Adam's decay of the square"),
    "eps": Setting(1e-8, "positive", "RMSprop's and Adam's epsilon"),
    "maxit": Setting(100, "count1", "bfgs: the most iterations"),
    "reltol": Setting(
        math.sqrt(np.finfo(np.float64).eps), "nonnegative", "bfgs: relative tolerance"
    ),
    "abstol": Setting(-math.inf, "abstol", "bfgs: absolute tolerance (-Inf: none)"),
}

BFGS_ONLY = ("maxit", "reltol", "abstol")  # checked only for bfgs, as optim checks them


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


def check_setting(name: str, value: object) -> None:
    """One setting's value, checked by its kind; a clear ValueError if it is wrong."""
    setting = SETTINGS[name]
    kind = setting.kind
    if kind == "sizes":
        check_hidden(value)  # type: ignore[arg-type]
    elif kind == "seed" and not isinstance(value, RGenerator):
        check_seed(value)
    elif kind in ("count", "count1"):
        check_count(name, value, 1 if kind == "count1" else 0)
    elif kind == "batch" and value is not None:
        check_count(name, value, 1)
    elif kind == "positive":
        check_positive(name, value)
    elif kind == "nonnegative":
        check_nonnegative(name, value)
    elif kind == "rate":
        check_rate(name, value)
    elif kind == "abstol" and (
        isinstance(value, bool | np.bool_)  # R's is.numeric(TRUE) is FALSE
        or not isinstance(value, int | float | np.number)
        or math.isnan(value)
        or value == math.inf
    ):
        raise ValueError(f"{name} must be a number (-Inf: none); got {describe(value)}")
    elif kind == "flag" and not isinstance(value, bool | np.bool_):
        raise ValueError(f"{name} must be True or False; got {describe(value)}")
    elif kind == "choice":
        check_name(name, value, setting.choices)


def network_defaults() -> dict[str, Any]:
    """Every setting's default (``SETTINGS``): the lecture's network (``batch_size``
    None: all rows at once). The command, the parity cases and the gradient check
    take their defaults from here."""
    return {name: setting.default for name, setting in SETTINGS.items()}


def network_settings(**given: Any) -> dict[str, Any]:
    """The settings given, with the default for every one not given; an unknown name
    is a ValueError. Not checked: ``network_spec`` checks them."""
    defaults = network_defaults()
    unknown = [name for name in given if name not in defaults]
    if unknown:
        raise ValueError(f"unknown setting '{unknown[0]}'; the settings are {', '.join(defaults)}")
    return {**defaults, **given}


class Spec(Mapping[str, Any]):
    """A network's settings, every one, checked (``network_spec``'s answer): read as
    ``spec["step"]``, passed on as ``**spec``. It cannot be changed."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        given = ", ".join(f"{k}={v!r}" for k, v in self._values.items() if _given(k, v))
        return f"Spec({given})"


def network_spec(**given: Any) -> Spec:
    """The settings given (``network_settings``), each checked by its kind, then the
    rules between them: softmax and step are no hidden activation, step no output
    activation, and BFGS takes no batches (its own settings are checked only for it)."""
    s = network_settings(**given)
    if s["activation"] == "softmax":
        raise ValueError(
            "activation must not be 'softmax': softmax is for the output layer only "
            "(output_activation='softmax')"
        )
    for arg in ("activation", "output_activation"):
        if s[arg] == "step":
            raise ValueError(
                f"{arg} must not be 'step': the step function has no useful derivative "
                "(it is 0 wherever it exists), so nothing can be trained or "
                "gradient-checked through it"
            )
    for name in SETTINGS:
        if name not in BFGS_ONLY or s["optimizer"] == "bfgs":
            check_setting(name, s[name])
    if s["optimizer"] == "bfgs" and s["batch_size"] is not None:
        raise ValueError("optimizer 'bfgs' takes all the rows at once: no batch_size")
    return Spec(s)


def _given(name: str, value: object) -> bool:
    """A setting that differs from its default (R's ``identical``)."""
    default = SETTINGS[name].default
    return not (type(value) is type(default) and value == default)
