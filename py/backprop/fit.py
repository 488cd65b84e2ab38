"""From data and settings to a trained network: which target encoding, which trainer.

Twin of ``r/fit.R``: the same functions in the same order. The one place that
decides how the target column is encoded and which trainer runs; the command
(``backprop train``), the parity harness and ``make_reference.R`` all come
through here.

The ``settings`` are ``train_network``'s keyword arguments (hidden, seed, ...,
eps); any not given take ``train_network``'s defaults.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from backprop.checks import check_name
from backprop.data import TARGETS, describe_classes, load_scaled, parse_numbers, read_classes
from backprop.model import network_defaults, network_settings, train_network
from backprop.network import Matrix, Result, train

LECTURE_ARGS = tuple(p for p in inspect.signature(train).parameters if p not in ("X", "Y", "start"))


def choose_target(target: str = "auto", **settings: Any) -> str:
    """The target encoding ``load_scaled`` is to use.

    "numeric", "onehot" or "binary" as asked, or, for "auto", what the network
    needs: one column per class for a softmax output or cross-entropy, 0/1 for
    binary cross-entropy, else the lecture's y / 100.
    """
    check_name("target", target, ("auto", *TARGETS))
    if target != "auto":
        return target
    s = network_settings(**settings)
    if s["output_activation"] == "softmax" or s["loss"] == "cross_entropy":
        return "onehot"
    if s["loss"] == "binary_cross_entropy":
        return "binary"
    return "numeric"


def choose_trainer(Y: Matrix, *, start: Mapping[str, Matrix] | None = None, **settings: Any) -> str:
    """ "train", the lecture's trainer (``network.py``), when the network is the lecture's.

    That is: one hidden layer, one output column, and ``train_network``'s
    default for every setting but hidden, seed, iterations and step; else
    "train_network". Where both apply they give the same numbers, bit for bit.
    """
    s = network_settings(**settings)
    defaults = network_defaults()
    model = [name for name in defaults if name not in LECTURE_ARGS]
    same = [_identical(s[name], defaults[name]) for name in model]
    one_output = np.ndim(Y) == 2 and np.shape(Y)[1] == 1
    if np.size(s["hidden"]) == 1 and one_output and all(same):
        return "train"
    return "train_network"


def fit(
    X: Matrix, Y: Matrix, *, start: Mapping[str, Matrix] | None = None, **settings: Any
) -> Result:
    """Train on ``X`` and ``Y`` with the trainer ``choose_trainer`` picks.

    ``start``, if given, is the starting parameters (see ``train_network``).
    """
    if choose_trainer(Y, **settings) == "train":
        lecture = {name: settings[name] for name in LECTURE_ARGS if name in settings}
        if isinstance(lecture.get("hidden"), (tuple, list)):  # (3,): R's c(3) is 3
            lecture["hidden"] = lecture["hidden"][0]
        return train(X, Y, **lecture, start=start)
    return train_network(X, Y, **settings, start=start)


def check_binary_labels(path: str | Path) -> None:
    """Binary cross-entropy chose the 0/1 encoding by itself: numbers other than 0 and 1
    in the target column are probabilities or scores, not two class labels, and are
    not silently relabelled (``target="binary"`` asks for that)."""
    classes = read_classes(path)
    if not np.any(np.isnan(parse_numbers(classes))) and not set(classes) <= {"0", "1"}:
        raise ValueError(
            f"{path}: the target column holds numbers ({describe_classes(classes)}), not two "
            "class labels; binary cross-entropy would relabel them 0 and 1: ask for that "
            "with the target encoding 'binary'"
        )


def load_file(path: str | Path, target: str = "auto", **settings: Any) -> tuple[Matrix, Matrix]:
    """The CSV at ``path`` read, its target encoded as ``choose_target`` says, and
    scaled: ``load_scaled``'s ``X``, ``Y``, for training or the gradient check."""
    encoding = choose_target(target, **settings)
    if target == "auto" and encoding == "binary":
        check_binary_labels(path)
    return load_scaled(path, encoding)


class Fitted(NamedTuple):
    """``fit_file``'s answer: R's ``list(X, Y, result)``."""

    X: Matrix
    Y: Matrix
    result: Result


def fit_file(
    path: str | Path,
    target: str = "auto",
    *,
    start: Mapping[str, Matrix] | None = None,
    **settings: Any,
) -> Fitted:
    """The CSV at ``path`` read (``load_file``), then ``fit``."""
    X, Y = load_file(path, target, **settings)
    return Fitted(X, Y, fit(X, Y, **settings, start=start))


def _identical(a: object, b: object) -> bool:
    """R's ``identical`` for the settings' scalars: the same type of value and equal."""
    return type(a) is type(b) and a == b
