"""The compiled core of R's arithmetic (py/backprop/_rarith.c) against rarith's Python
reference, and the fused trainers built on it against the twins on RArrays, bit for bit.
parity/tests/test_rarith_core_live.py holds them to live R."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import assert_bits_equal, matmul_in_another_order, one_ulp_up

from backprop import rarith
from backprop.fast import train_fast, train_fast_r, train_restarts_fast
from backprop.fit import train_restarts
from backprop.network import DivergedError, init_weights, train
from backprop.rarith import RArray, as_r

SHAPES = [(1, 1, 1), (3, 2, 3), (3, 3, 1), (1, 4, 3), (7, 1, 5), (5, 9, 2), (200, 3, 4)]


def test_the_compiled_core_is_built() -> None:
    """pip install builds it (pyproject.toml's ext-modules); without it rarith is slow."""
    import backprop._rarith as core

    assert rarith._core is core


def random_matrix(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Entries over many magnitudes and both signs, so the order of additions shows."""
    return rng.standard_normal(shape) * np.exp(rng.uniform(-20, 20, shape))


@pytest.mark.parametrize(("m", "k", "n"), SHAPES)
def test_core_matmul_is_the_python_blas_loops(m: int, k: int, n: int) -> None:
    rng = np.random.default_rng(m * 100 + k * 10 + n)
    for _ in range(20):
        a, b = random_matrix(rng, (m, k)), random_matrix(rng, (k, n))
        assert_bits_equal(rarith.matmul(a, b), rarith._blas_matprod(a, b), "a %*% b")
        assert_bits_equal(rarith.matmul(a.T.copy().T, b), rarith._blas_matprod(a, b), "strided")


def test_core_matmul_of_stacks_is_matrix_by_matrix() -> None:
    rng = np.random.default_rng(3)
    a, b, w = random_matrix(rng, (6, 4, 3)), random_matrix(rng, (6, 3, 2)), rng.random((3, 2))
    stacked = (as_r(a) @ as_r(b), as_r(a) @ w, a[0] @ as_r(b))
    one_by_one = ([rarith._blas_matprod(a[i], b[i]) for i in range(6)],
                  [rarith._blas_matprod(a[i], w) for i in range(6)],
                  [rarith._blas_matprod(a[0], b[i]) for i in range(6)])  # fmt: skip
    for together, alone in zip(stacked, one_by_one, strict=True):
        assert_bits_equal(together, np.stack(alone))


def test_core_matmul_leaves_nan_inf_and_huge_values_to_r_s_other_road() -> None:
    a = np.array([[1.0, np.nan], [np.inf, 2.0]])
    b = np.array([[0.5, -1.0], [3.0, 1e308]])
    out = np.empty((1, 2, 2))
    assert not rarith._core.matprod(a, b, out)
    assert not rarith._core.matprod(b, b, out)  # 1e308 > DBL_MAX / 2: mayHaveNaNOrInf may say so
    assert_bits_equal(rarith.matmul(a, b), rarith._simple_matprod(a, b))


def test_the_matmul_check_can_fail() -> None:
    rng = np.random.default_rng(5)
    a, b = random_matrix(rng, (4, 9)), random_matrix(rng, (9, 3))
    assert not np.array_equal(rarith.matmul(a, b), matmul_in_another_order(a, b))


@pytest.mark.parametrize(
    ("name", "f"),
    [("exp", math.exp), ("log", math.log), ("tanh", math.tanh), ("log1p", math.log1p)],
)
def test_core_math1_is_libm_value_by_value(name: str, f) -> None:
    rng = np.random.default_rng(7)
    x = np.concatenate([rng.uniform(-700, 700, 5000), rng.uniform(-5, 5, 5000)])
    if name == "log":
        x = np.abs(x)
    if name == "log1p":  # its domain x > -1, half of it near 0 (where log(1 + x) loses digits)
        x = np.concatenate([np.abs(x[:5000]), x[5000:] / 5.5])
    expected = np.array([f(v) for v in x])  # Python's math calls libm
    assert_bits_equal(getattr(rarith, name)(x), expected, name)
    assert_bits_equal(getattr(rarith, name)(x.reshape(2, 50, 100)[:, ::2, 1::3]),
                      expected.reshape(2, 50, 100)[:, ::2, 1::3], "strided")  # fmt: skip


def test_core_math1_keeps_nan_payloads_and_r_s_edges() -> None:
    na = np.array([0x7FF00000000007A2], dtype=np.uint64).view(np.float64)[0]
    x = np.array([na, np.nan, -np.inf, np.inf, 0.0, -0.0, -1.0, 800.0, -800.0])
    assert_bits_equal(rarith.exp(x)[:2], x[:2], "NA and NaN kept")
    assert_bits_equal(rarith.exp(x)[2:], [0.0, np.inf, 1.0, 1.0, math.exp(-1), np.inf, 0.0])
    assert_bits_equal(rarith.log(x)[2:], [np.nan, np.inf, -np.inf, -np.inf, np.nan,
                                          math.log(800), np.nan])  # fmt: skip
    assert_bits_equal(rarith.tanh(x)[:2], x[:2], "NA and NaN kept")
    assert_bits_equal(rarith.log1p(x)[:2], x[:2], "NA and NaN kept")
    assert_bits_equal(rarith.log1p(x)[3:7], [np.inf, 0.0, -0.0, -np.inf])  # log1p(-1) = -Inf
    assert_bits_equal(rarith.log1p(x), rarith._math1_python(x, rarith._c_log1p), "as the Python")


def test_core_sum_is_the_long_double_loop() -> None:
    rng = np.random.default_rng(11)
    for shape in [(1,), (17,), (5, 3), (1000, 3)]:
        x = random_matrix(rng, shape)
        assert rarith.rsum(x) == float(np.float64(rarith._long_double_sum(x.ravel(order="F"))))
        assert math.copysign(1, rarith.rsum(x)) == math.copysign(1, rarith.rsum(x.tolist()))
    assert rarith.rsum(np.array([1e308, 1e308, -1e308])) == 1e308  # long double: no overflow
    assert rarith.rsum(np.array([1e308, 1e308])) == math.inf
    assert rarith.rsum(np.array([-0.0, -0.0])) == 0.0
    assert math.copysign(1, rarith.rsum(np.array([-0.0]))) == 1.0


# ---------------------------------------------------------------- the fused trainers

SETTINGS = [
    {"iterations": 10000},
    {"iterations": 300, "hidden": 5, "seed": 7, "step": 2.0},
    {"iterations": 0},
    {"iterations": 1, "hidden": 1},
]


def assert_results_equal(actual: dict, expected: dict) -> None:
    assert set(actual) <= set(expected)
    for name in actual:
        assert_bits_equal(actual[name], expected[name], name)


@pytest.mark.parametrize("settings", SETTINGS)
def test_train_fast_r_is_the_twin_on_r_arrays(lecture, settings) -> None:
    X, Y = lecture
    assert list(train_fast_r(X, Y, **settings)) == list(train(X, Y, **settings))
    assert_results_equal(train_fast_r(X, Y, **settings), train(as_r(X), as_r(Y), **settings))


def test_train_fast_r_on_other_data_from_a_start(study) -> None:
    X, Y = study
    start = init_weights(3, 4, 1, seed=3)
    twin = train(as_r(X), as_r(Y), hidden=4, step=0.5, iterations=2000, start=start)
    fused = train_fast_r(as_r(X), as_r(Y), hidden=4, step=0.5, iterations=2000, start=start)
    assert_results_equal(fused, twin)
    assert isinstance(fused["W_1"], RArray)


def test_train_fast_r_check_can_fail(lecture) -> None:
    """One ulp in one starting weight is another run: the comparison above sees it."""
    X, Y = lecture
    start = init_weights(2, 3, 1, seed=1)
    moved = {name: P.copy() for name, P in start.items()}
    moved["W_2"][0, 0] = one_ulp_up(moved["W_2"][0, 0])
    fused = train_fast_r(X, Y, iterations=500, start=moved)
    twin = train(as_r(X), as_r(Y), iterations=500, start=start)
    with pytest.raises(AssertionError, match="cost_history"):
        assert_results_equal({k: fused[k] for k in ("cost_history", "W_1")}, twin)


def test_train_fast_r_reports_progress_as_the_twin(lecture) -> None:
    X, Y = lecture
    seen_fused: list[tuple[int, float]] = []
    seen_twin: list[tuple[int, float]] = []
    train_fast_r(X, Y, iterations=50, progress=lambda i, c: seen_fused.append((i, c)))
    train(as_r(X), as_r(Y), iterations=50, progress=lambda i, c: seen_twin.append((i, c)))
    assert seen_fused == seen_twin and len(seen_fused) == 50


def test_train_fast_on_r_arrays_is_train_fast_r(lecture) -> None:
    X, Y = lecture
    assert_results_equal(train_fast(as_r(X), as_r(Y), iterations=200),
                         train(as_r(X), as_r(Y), iterations=200))  # fmt: skip


def test_saturated_sigmoids_train_fast_r_is_the_twin(study) -> None:
    """Steps so large that exp(-Z) overflows the square in f' (f' is 0 there)."""
    X, Y = study
    assert_results_equal(train_fast_r(X, Y, step=60.0, iterations=300),
                         train(as_r(X), as_r(Y), step=60.0, iterations=300))  # fmt: skip


def test_where_values_stop_being_finite_train_fast_r_is_the_twin(study) -> None:
    """exp(-Z) itself overflows (Z < -709): f' is NaN, the weights follow, and the twin
    stops with its error, which train_fast_r gives word for word."""
    X, Y = study
    start = {"W_1": np.full((3, 3), -1000.0), "W_2": np.ones((3, 1))}
    with pytest.raises(DivergedError) as twin:
        train(as_r(X), as_r(Y), start=start, iterations=10)
    with pytest.raises(DivergedError) as fused:
        train_fast_r(X, Y, start=start, iterations=10)
    assert str(fused.value) == str(twin.value)
    assert str(twin.value).startswith("training diverged at iteration 2: the cost is NaN")


def test_train_fast_r_refuses_what_train_refuses(lecture) -> None:
    X, Y = lecture
    for bad in ({"hidden": 0}, {"step": -1.0}, {"iterations": -1}):
        with pytest.raises(ValueError) as twin:
            train(X, Y, **bad)
        with pytest.raises(ValueError) as fused:
            train_fast_r(X, Y, **bad)
        assert str(fused.value) == str(twin.value)


def test_train_restarts_fast_is_the_batch_on_r_arrays(lecture) -> None:
    X, Y = lecture
    settings = {"restarts": 7, "iterations": 1500, "step": 4.0, "seed": 2}
    assert_results_equal(train_restarts_fast(X, Y, **settings),
                         train_restarts(as_r(X), as_r(Y), **settings))  # fmt: skip


def test_train_restarts_fast_fails_as_the_batch(study) -> None:
    X, Y = study
    settings = {"restarts": 6, "iterations": 50, "step": 1e8, "seed": 5}
    with pytest.raises(ValueError, match="^restart 6: training diverged at iteration 3") as batch:
        train_restarts(as_r(X), as_r(Y), **settings)
    with pytest.raises(ValueError) as fused:
        train_restarts_fast(X, Y, **settings)
    assert str(fused.value) == str(batch.value)
