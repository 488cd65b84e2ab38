"""Live R against Python for the generalised network (r/model.R, py/backprop/model.py).

Every activation, loss, initialiser and optimiser, bias on and off, depth 1-3,
on the lecture's data, the study data and iris: all returned matrices and the
cost history within rtol 1e-10 (``parity.compare.TOLERANCE``). Each fixed case
is also shown to be well-conditioned: nudging X by one ulp moves Python's own
result by far less than the tolerance, so agreement is meaningful and a
disagreement would be a bug. A hypothesis sweep draws ~50 more configurations
and seeds, and the gradient checks of the two languages are compared. Wrong
ports planted in Python make the comparison fail, so it can fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from backprop import activations, optimisers
from backprop.data import load_scaled
from backprop.gradcheck import gradient_check, network_gradients
from backprop.model import train_network
from parity.compare import TOLERANCE
from parity.r_session import RError, RSession

DATA = Path(__file__).resolve().parents[2] / "data"
Matrix = np.ndarray

LECTURE = load_scaled(DATA / "lecture.csv")  # (3, 2), (3, 1)
STUDY = load_scaled(DATA / "study.csv")  # (8, 3), (8, 1)
STUDY_CLASSES = (STUDY[0], np.eye(3)[np.digitize(STUDY[1][:, 0] * 100, [84, 89])])  # one-hot
STUDY_BINARY = (STUDY[0], (STUDY[1] >= 0.86).astype(float))  # 0/1
IRIS = load_scaled(DATA / "iris.csv", target="onehot")  # (150, 4), (150, 3)
IRIS_BINARY = load_scaled(DATA / "iris2.csv", target="binary")  # (100, 4), (100, 1)
DATASETS = {
    "lecture": LECTURE,
    "study": STUDY,
    "study_classes": STUDY_CLASSES,
    "study_binary": STUDY_BINARY,
    "iris": IRIS,
    "iris_binary": IRIS_BINARY,
}


def r_args(kwargs: dict[str, Any]) -> dict[str, Any]:
    """rpy2 passes a tuple or list as an R list: hidden goes as an integer vector.

    An int beyond R's integer range goes as a double (rpy2 cannot pass it).
    """
    out = dict(kwargs)
    if "hidden" in out:
        out["hidden"] = np.atleast_1d(np.asarray(out["hidden"], dtype=np.int64))
    for key, value in out.items():
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**31:
            out[key] = float(value)
    return out


def r_train(r: RSession, data: str, kwargs: dict[str, Any]) -> dict[str, Matrix]:
    X, Y = DATASETS[data]
    result = r.call("train_network", X, Y, **r_args(kwargs))
    assert isinstance(result, dict)
    return {k: np.asarray(v, dtype=np.float64) for k, v in result.items()}


def py_train(data: str, kwargs: dict[str, Any], X: Matrix | None = None) -> dict[str, Matrix]:
    X_data, Y = DATASETS[data]
    return train_network(X_data if X is None else X, Y, **kwargs).as_dict()


def max_rel_diff(expected: dict[str, Matrix], actual: dict[str, Matrix]) -> dict[str, float]:
    """Per key: max |a - b| / max(|a|, |b|) (0 where both are 0); shapes must match."""
    assert list(expected) == list(actual)
    out = {}
    for key, a in expected.items():
        b = actual[key]
        assert a.shape == b.shape, f"{key}: R {a.shape}, Python {b.shape}"
        scale = np.maximum(np.abs(a), np.abs(b))
        rel = np.divide(np.abs(a - b), scale, out=np.zeros_like(scale), where=scale > 0)
        out[key] = float(rel.max(initial=0.0))
    return out


def assert_agree(expected: dict[str, Matrix], actual: dict[str, Matrix]) -> None:
    max_rel_diff(expected, actual)  # keys in the same order, shapes
    for key, a in expected.items():
        close = TOLERANCE.close(a, actual[key])
        assert close.all(), f"{key}: max rel diff {max_rel_diff({key: a}, {key: actual[key]})}"


def sensitivity(data: str, kwargs: dict[str, Any]) -> float:
    """How far one ulp of X moves Python's own result (max relative change, over keys)."""
    X = DATASETS[data][0]
    base = py_train(data, kwargs)
    nudged = py_train(data, kwargs, X=np.nextafter(X, np.inf))
    trained = {k: v for k, v in max_rel_diff(base, nudged).items() if not k.endswith("_init")}
    return max(trained.values())


GD = {"iterations": 300, "step": 0.5}
CASES: list[tuple[str, str, dict[str, Any]]] = [
    # family, data, arguments
    ("lecture", "lecture", {}),  # the lecture's 10,000 iterations, defaults throughout
    ("lecture", "study", {"hidden": 5, "step": 0.5, "iterations": 3000}),
    *[("activation", "study", {**GD, "activation": a, "init": "xavier"})
      for a in ("sigmoid", "tanh", "relu", "leaky_relu", "linear")],
    *[("activation", "lecture", {**GD, "activation": a, "init": "he", "alpha": 0.1})
      for a in ("relu", "leaky_relu")],
    *[("output", "study", {**GD, "output_activation": o, "activation": "tanh", "init": "xavier",
                           "step": 0.2})
      for o in ("sigmoid", "tanh", "linear", "relu", "leaky_relu")],
    ("output", "study_classes", {**GD, "output_activation": "softmax", "loss": "mse"}),
    ("loss", "study", {**GD, "loss": "half_sse"}),
    ("loss", "study", {**GD, "loss": "mse", "step": 2.0}),
    ("loss", "study", {**GD, "loss": "mae", "step": 0.2, "iterations": 100}),
    ("loss", "study_binary", {**GD, "loss": "binary_cross_entropy", "step": 1.0}),
    ("loss", "study_classes", {**GD, "loss": "cross_entropy", "output_activation": "softmax",
                               "step": 1.0}),
    ("loss", "study_classes", {**GD, "loss": "cross_entropy", "output_activation": "sigmoid",
                               "step": 1.0}),
    *[("init", "study", {**GD, "init": i, "seed": 7})
      for i in ("uniform", "xavier", "he", "small_uniform")],
    *[("optimizer", "study", {"optimizer": o, "step": s, "iterations": 300, "hidden": (4, 3),
                              "bias": True, "activation": "tanh", "init": "xavier"})
      for o, s in (("gd", 0.5), ("momentum", 0.5), ("rmsprop", 0.001), ("adam", 0.005))],
    ("optimizer", "study", {"optimizer": "adam", "step": 0.01, "iterations": 200,
                            "beta1": 0.8, "beta2": 0.99, "eps": 1e-6}),
    ("optimizer", "study", {"optimizer": "momentum", "beta": 0.5, **GD}),
    ("optimizer", "study", {"optimizer": "rmsprop", "rho": 0.99, "step": 0.001,
                            "iterations": 300}),
    *[("bias", "study", {**GD, "bias": b, "hidden": h})
      for b in (False, True) for h in (3, (4, 3), (4, 3, 2))],
    *[("depth", "lecture", {**GD, "hidden": h, "activation": "tanh", "init": "xavier"})
      for h in (2, (3, 2), (4, 3, 2))],
    ("iris", "iris", {"hidden": 5, "output_activation": "softmax", "loss": "cross_entropy",
                      "step": 0.5, "iterations": 300, "bias": True, "init": "xavier"}),
    ("iris", "iris", {"hidden": (6, 4), "activation": "relu", "output_activation": "softmax",
                      "loss": "cross_entropy", "optimizer": "adam", "step": 0.005,
                      "iterations": 200, "bias": True, "init": "he"}),
    ("iris", "iris_binary", {"hidden": 4, "loss": "binary_cross_entropy", "step": 0.5,
                             "iterations": 300, "bias": True}),
]  # fmt: skip


def case_id(case: tuple[str, str, dict[str, Any]]) -> str:
    family, data, kwargs = case
    return f"{family}-{data}-" + ",".join(f"{k}={v}" for k, v in kwargs.items())


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_r_and_python_agree(r_session: RSession, case: tuple[str, str, dict[str, Any]]) -> None:
    _, data, kwargs = case
    expected = r_train(r_session, data, kwargs)
    actual = py_train(data, kwargs)
    assert_agree(expected, actual)
    for key in expected:
        if key.endswith("_init"):  # the same draws of the same generator
            assert np.array_equal(expected[key], actual[key]), key
    # well-conditioned, so the agreement means something
    assert sensitivity(data, kwargs) < TOLERANCE.rtol / 10


def test_the_default_is_the_lecture_in_r_too(r_session: RSession) -> None:
    X, Y = LECTURE
    lecture = r_session.call("train", X, Y)
    generalised = r_session.call("train_network", X, Y)
    assert list(generalised) == list(lecture)
    for key in lecture:
        assert np.array_equal(lecture[key], generalised[key]), key


def test_every_family_is_covered() -> None:
    seen: dict[str, set[Any]] = {}
    for _, data, kwargs in CASES:
        for key in ("activation", "output_activation", "loss", "init", "optimizer", "bias"):
            seen.setdefault(key, set()).add(kwargs.get(key))
        seen.setdefault("depth", set()).add(len(np.atleast_1d(kwargs.get("hidden", 3))))
        seen.setdefault("data", set()).add(data)
    assert {"sigmoid", "tanh", "relu", "leaky_relu", "linear"} <= seen["activation"]
    assert {"sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"} <= seen[
        "output_activation"
    ]
    assert {"half_sse", "mse", "mae", "binary_cross_entropy", "cross_entropy"} <= seen["loss"]
    assert {"uniform", "xavier", "he", "small_uniform"} <= seen["init"]
    assert {"gd", "momentum", "rmsprop", "adam"} <= seen["optimizer"]
    assert {True, False} <= seen["bias"] and seen["depth"] == {1, 2, 3}
    assert {"lecture", "study"} <= seen["data"]


# -- the sweep -------------------------------------------------------------------

STEPS = {"gd": 0.5, "momentum": 0.5, "rmsprop": 0.001, "adam": 0.005}


@st.composite
def configurations(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    loss = draw(st.sampled_from(("half_sse", "mse", "mae", "binary_cross_entropy",
                                 "cross_entropy")))  # fmt: skip
    if loss == "cross_entropy":
        output = draw(st.sampled_from(("softmax", "sigmoid")))
        data = draw(st.sampled_from(("study_classes", "iris")))
    elif loss == "binary_cross_entropy":
        output = "sigmoid"
        data = draw(st.sampled_from(("study_binary", "iris_binary")))
    else:
        output = draw(st.sampled_from(("sigmoid", "tanh", "linear", "relu", "leaky_relu")))
        data = draw(st.sampled_from(("lecture", "study")))
    optimizer = draw(st.sampled_from(tuple(STEPS)))
    depth = draw(st.integers(1, 3))
    kwargs = {
        "hidden": tuple(draw(st.lists(st.integers(1, 5), min_size=depth, max_size=depth))),
        "seed": draw(st.integers(-(2**31) + 1, 2**31 - 1)),
        "iterations": 200,
        "step": STEPS[optimizer] * (0.2 if output in ("linear", "relu", "leaky_relu") else 1),
        "activation": draw(st.sampled_from(("sigmoid", "tanh", "relu", "leaky_relu", "linear"))),
        "output_activation": output,
        "loss": loss,
        "init": draw(st.sampled_from(("uniform", "xavier", "he", "small_uniform"))),
        "optimizer": optimizer,
        "bias": draw(st.booleans()),
    }
    return data, kwargs


@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,  # the same 50 every run: a sweep, not a flaky test
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(configurations())
def test_sweep(r_session: RSession, config: tuple[str, dict[str, Any]]) -> None:
    data, kwargs = config
    try:
        actual = py_train(data, kwargs)
    except ValueError as e:  # diverged: R must stop the same way
        with pytest.raises(Exception, match="training diverged"):
            r_train(r_session, data, kwargs)
        assert "training diverged" in str(e)
        event("diverged in both")
        return
    # a chaotic run (one ulp of X moves the result by more than the tolerance)
    # cannot agree without a bug on either side: those are not compared
    conditioned = sensitivity(data, kwargs) < TOLERANCE.rtol / 10
    event("compared" if conditioned else "ill-conditioned: not compared")
    assume(conditioned)
    assert_agree(r_train(r_session, data, kwargs), actual)


# -- gradient checks ---------------------------------------------------------------

GRAD_CASES: list[tuple[str, dict[str, Any]]] = [
    ("lecture", {}),
    ("study", {"hidden": (4, 3), "activation": "tanh", "init": "xavier", "bias": True}),
    ("study", {"hidden": 4, "activation": "relu", "init": "xavier", "seed": 3, "loss": "mse"}),
    ("study", {"hidden": (3, 2), "activation": "leaky_relu", "output_activation": "linear",
               "init": "xavier", "seed": 2, "alpha": 0.2}),
    ("study", {"hidden": 3, "loss": "mae", "bias": True}),
    ("study_binary", {"hidden": 3, "loss": "binary_cross_entropy", "init": "xavier"}),
    ("study_classes", {"hidden": (4, 3, 2), "output_activation": "softmax",
                       "loss": "cross_entropy", "init": "xavier", "bias": True}),
    ("study_classes", {"hidden": 3, "output_activation": "softmax", "loss": "half_sse",
                       "activation": "linear", "init": "small_uniform"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "kwargs"), GRAD_CASES, ids=[case_id(("grad", *c)) for c in GRAD_CASES]
)
def test_gradient_checks_agree(r_session: RSession, data: str, kwargs: dict[str, Any]) -> None:
    X, Y = DATASETS[data]
    r_ratios = r_session.call("gradient_check", X, Y, **r_args(kwargs))
    py_ratios = gradient_check(X, Y, **kwargs)
    assert list(r_ratios) == list(py_ratios)
    for name, ratio in py_ratios.items():
        assert ratio < 1e-7 and float(np.asarray(r_ratios[name]).item()) < 1e-7, name
    r_grads = r_session.call("network_gradients", X, Y, **r_args(kwargs))
    analytic, numeric = network_gradients(X, Y, **kwargs)
    for name in analytic:
        a_r = np.asarray(r_grads["analytic"][name], dtype=np.float64)
        n_r = np.asarray(r_grads["numeric"][name], dtype=np.float64)
        assert TOLERANCE.close(a_r, analytic[name]).all(), name
        # a central difference divides rounding-level differences of J by 2h = 2e-4
        scale = np.abs(analytic[name]).max()
        np.testing.assert_allclose(n_r, numeric[name], rtol=0, atol=1e-8 * max(scale, 1e-3))


def test_r_refuses_the_step_function(r_session: RSession) -> None:
    X, Y = LECTURE
    with pytest.raises(Exception, match="activation must not be 'step': the step function"):
        r_session.call("gradient_check", X, Y, activation="step")
    with pytest.raises(Exception, match="output_activation must not be 'step'"):
        r_session.call("train_network", X, Y, output_activation="step")


# -- the comparison can fail -----------------------------------------------------------


def test_a_wrong_optimiser_port_is_caught(
    r_session: RSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    def momentum_without_damping(W, g, state, t, step, hyper):  # type: ignore[no-untyped-def]
        v = hyper.beta * state["v"] + g  # the (1 - beta) forgotten
        return W - step * v, {"v": v}

    kwargs = {"optimizer": "momentum", **GD}
    monkeypatch.setattr(optimisers, "momentum_update", momentum_without_damping)
    diffs = max_rel_diff(r_train(r_session, "study", kwargs), py_train("study", kwargs))
    assert diffs["W_1"] > 1e-3 and diffs["cost_history"] > 1e-3


def test_a_wrong_activation_port_is_caught(
    r_session: RSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        activations, "leaky_relu_prime", lambda Z, alpha=0.01: np.where(Z > 0, 1.0, 0.0)
    )
    kwargs = {"activation": "leaky_relu", "init": "xavier", **GD}
    diffs = max_rel_diff(r_train(r_session, "study", kwargs), py_train("study", kwargs))
    assert diffs["W_1"] > 1e-6


# -- the same refusals in both languages ------------------------------------------------

BAD: list[dict[str, Any]] = [
    {"hidden": 0},
    {"hidden": (3, 0)},
    {"seed": 2**31},
    {"iterations": -1},
    {"step": 0.0},
    {"activation": "softmax"},
    {"activation": "step"},
    {"output_activation": "step"},
    {"activation": "swish"},
    {"output_activation": "softmax"},
    {"loss": "l1"},
    {"loss": "cross_entropy", "output_activation": "linear"},
    {"loss": "binary_cross_entropy", "Y": np.array([[0.5], [1.5], [0.0]])},
    {"init": "glorot"},
    {"optimizer": "sgd"},
    {"alpha": -1.0},
    {"beta": 1.0},
    {"rho": 0.0},
    {"beta1": 1.5},
    {"beta2": 1.0},
    {"eps": 0.0},
    {"X": np.array([[np.nan, 1.0], [1.0, 1.0], [1.0, 1.0]])},
]


@pytest.mark.parametrize("bad", BAD, ids=[",".join(b) for b in BAD])
def test_r_and_python_refuse_alike(r_session: RSession, bad: dict[str, Any]) -> None:
    """Both stop; the messages agree up to how each language prints the value."""
    kwargs = dict(bad)
    X = kwargs.pop("X", LECTURE[0])
    Y = kwargs.pop("Y", LECTURE[1])
    with pytest.raises(ValueError) as py_error:
        train_network(X, Y, **{"iterations": 1, **kwargs})
    with pytest.raises(RError) as r_error:
        r_session.call("train_network", X, Y, **r_args({"iterations": 1, **kwargs}))
    shared = str(py_error.value).split("; got")[0].split("; Y has")[0].split("; row")[0]
    shared = shared.replace("True or False", "TRUE or FALSE").replace("='", " = '")
    assert shared in str(r_error.value)
