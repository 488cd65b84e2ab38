"""The one trainer dispatch (backprop.fit) and the one table of defaults."""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np
import pytest

from backprop.data import load_scaled
from backprop.fit import choose_target, choose_trainer, fit, fit_file
from backprop.model import train_network
from backprop.network import train
from backprop.spec import SETTINGS, network_defaults, network_settings, network_spec

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.mark.parametrize(
    ("target", "settings", "encoding"),
    [
        ("auto", {}, "numeric"),
        ("auto", {"output_activation": "softmax"}, "onehot"),
        ("auto", {"loss": "cross_entropy"}, "onehot"),
        ("auto", {"loss": "binary_cross_entropy"}, "binary"),
        ("auto", {"loss": "mse", "hidden": (4, 3)}, "numeric"),
        ("onehot", {}, "onehot"),
        ("binary", {"output_activation": "softmax"}, "binary"),  # as asked
    ],
)
def test_choose_target(target, settings, encoding):
    assert choose_target(target, **settings) == encoding


def test_choose_target_refuses_an_unknown_encoding():
    with pytest.raises(ValueError, match="target must be one of 'auto', 'numeric', 'onehot'"):
        choose_target("ordinal")


ONE_COLUMN = np.zeros((3, 1))


@pytest.mark.parametrize(
    ("Y", "settings", "trainer"),
    [
        (ONE_COLUMN, {}, "train"),
        (ONE_COLUMN, {"hidden": 5, "seed": -3, "iterations": 7, "step": 0.1}, "train"),
        (ONE_COLUMN, {"hidden": (5,)}, "train"),  # R's c(5) is 5
        (ONE_COLUMN, {"hidden": 3.0, "activation": "sigmoid", "eps": 1e-8}, "train"),
        (ONE_COLUMN, {"hidden": (4, 3)}, "train_network"),
        (np.zeros((3, 3)), {}, "train_network"),  # iris one-hot: the lecture's train cannot
        (ONE_COLUMN, {"bias": True}, "train_network"),
        (ONE_COLUMN, {"alpha": 0.1}, "train_network"),  # even where it changes nothing
        (ONE_COLUMN, {"bias": np.False_}, "train_network"),  # not R's FALSE: checked there
    ],
)
def test_choose_trainer(Y, settings, trainer):
    assert choose_trainer(Y, **settings) == trainer


def test_fit_runs_the_chosen_trainer_bit_for_bit():
    X, Y = load_scaled(DATA / "study.csv")
    lecture = fit(X, Y, hidden=(4,), iterations=200, step=0.5)
    assert all(np.array_equal(v, train(X, Y, hidden=4, iterations=200, step=0.5)[k])
               for k, v in lecture.items())  # fmt: skip
    deep = fit(X, Y, hidden=(4, 3), bias=True, iterations=20)
    expected = train_network(X, Y, hidden=(4, 3), bias=True, iterations=20)
    assert list(deep) == list(expected)
    assert all(np.array_equal(deep[k], expected[k]) for k in expected)


def test_a_onehot_target_trains_with_the_lectures_other_defaults():
    """The command's old rule sent this to the lecture's train, which refused Y (150, 3)."""
    fitted = fit_file(DATA / "iris.csv", "onehot", iterations=3)
    assert fitted.Y.shape == (150, 3)
    assert fitted.result["W_2"].shape == (3, 3) and fitted.result["Y_hat"].shape == (150, 3)


@pytest.mark.parametrize("settings", [{}, {"hidden": (3, 2), "bias": True, "optimizer": "adam"}])
def test_fit_honours_start(settings):
    fitted = fit_file(DATA / "study.csv", iterations=30, step=0.05, **settings)
    X, Y, first = fitted.X, fitted.Y, fitted.result
    start = {q.removesuffix("_init"): P for q, P in first.items() if q.endswith("_init")}
    again = fit(X, Y, iterations=30, step=0.05, seed=12345, start=start, **settings)
    assert list(again) == list(first)
    assert all(np.array_equal(again[k], first[k]) for k in first)


def test_the_settings_table_is_the_one_home_of_the_defaults():
    """train_network takes its settings from the table (none of its own), and every
    default passes its own check: the lecture's network is a valid spec."""
    parameters = inspect.signature(train_network).parameters
    run_only = ("X", "Y", "start", "progress", "updated")
    assert [p for p in parameters if p not in run_only] == ["settings"]
    assert network_defaults() == {name: entry.default for name, entry in SETTINGS.items()}
    assert dict(network_spec()) == network_defaults()
    with pytest.raises(ValueError, match="unknown setting 'stepp'"):
        network_settings(stepp=1)


def test_the_lectures_train_has_the_same_defaults():
    """train (the lecture's own function) writes its four defaults out; they must agree."""
    own = {name: p.default for name, p in inspect.signature(train).parameters.items()}
    shared = {name: value for name, value in network_defaults().items() if name in own}
    assert shared == {"hidden": 3, "seed": 1, "iterations": 10000, "step": 5.0}
    assert all(own[name] == value for name, value in shared.items())


def test_network_settings_fills_defaults_and_refuses_unknown_names():
    settings = network_settings(hidden=(4, 3), loss="mse")
    assert settings == {**network_defaults(), "hidden": (4, 3), "loss": "mse"}
    with pytest.raises(ValueError, match="unknown setting 'learning_rate'; the settings are"):
        network_settings(learning_rate=0.1)
