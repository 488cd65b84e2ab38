"""backprop.rarith against live R: %*%, crossprod, sum, mean, colSums, rowSums, max, exp,
log, tanh, ^, bit for bit (the same 64 bits, NaN payloads included).

Each example draws a shape (1x1, Nx1, 1xN, NxM up to 50) and a seed; the seed fills
the matrix with values of both signs spanning many magnitudes, and some examples
sprinkle NA, NaN and +-Inf in. Then each function is called on R's side through
the embedded session (base R's own functions, by name) and compared to the last bit.

The numpy one-liners (``A @ B``, ``np.sum``, ``np.exp``, ...) are counted over the
same kind of inputs: the tests at the end document how often they are not R's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from live_r import require_live_r
from numpy.typing import NDArray

from backprop import rarith

R = require_live_r("backprop.rarith is")

live = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60)
NA = np.array([0x7FF00000000007A2], dtype=np.uint64).view(np.float64)[0]  # R's NA_real_

sizes = st.sampled_from([1, 1, 2, 3, 5, 8, 13, 21, 34, 50])
seeds = st.integers(0, 2**32 - 1)


def values(rng: np.random.Generator, shape: tuple[int, ...], specials: bool) -> NDArray[Any]:
    """Both signs, magnitudes 1e-6 .. 1e6 (and a few exact zeros); NA/NaN/Inf if asked."""
    x = rng.normal(size=shape) * 10.0 ** rng.uniform(-6, 6, size=shape)
    x[rng.random(shape) < 0.03] = 0.0
    if specials:
        for special in (NA, np.nan, np.inf, -np.inf):
            x[rng.random(shape) < 0.03] = special
    return x


def bits(x: Any) -> NDArray[np.uint64]:
    return np.atleast_1d(np.asarray(x, dtype=np.float64)).view(np.uint64)


def assert_bits_equal(actual: Any, expected: Any) -> None:
    """Equal to the last bit, shape included, with the first mismatch named."""
    a, e = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    assert np.atleast_1d(a).shape == np.atleast_1d(e).shape
    differ = bits(a) != bits(e)
    if differ.any():
        i = int(np.flatnonzero(differ)[0])
        raise AssertionError(
            f"{differ.sum()} of {differ.size} differ; first at {i}: "
            f"Python {np.atleast_1d(a).ravel()[i]!r} != R {np.atleast_1d(e).ravel()[i]!r}"
        )


# ------------------------------------------------------------------ each primitive


@live
@given(n=sizes, k=sizes, m=sizes, seed=seeds, specials=st.booleans())
def test_matmul_is_r(n: int, k: int, m: int, seed: int, specials: bool) -> None:
    rng = np.random.default_rng(seed)
    a, b = values(rng, (n, k), specials), values(rng, (k, m), specials)
    assert_bits_equal(rarith.matmul(a, b), R.call("%*%", a, b))


@live
@given(n=sizes, k=sizes, m=sizes, seed=seeds, specials=st.booleans())
def test_t_matmul_is_r(n: int, k: int, m: int, seed: int, specials: bool) -> None:
    """The lecture's ``t(X) %*% delta``: R transposes a copy, then multiplies."""
    rng = np.random.default_rng(seed)
    a, b = values(rng, (k, n), specials), values(rng, (k, m), specials)
    assert_bits_equal(rarith.matmul(a.T, b), R.call("%*%", R.call("t", a), b))
    assert_bits_equal(rarith.crossprod(a, b), R.call("crossprod", a, b))
    assert_bits_equal(rarith.crossprod(a), R.call("crossprod", a))


@live
@given(n=sizes, m=sizes, seed=seeds, specials=st.booleans())
def test_sums_and_means_are_r(n: int, m: int, seed: int, specials: bool) -> None:
    x = values(np.random.default_rng(seed), (n, m), specials)
    assert_bits_equal(rarith.rsum(x), R.call("sum", x))
    assert_bits_equal(rarith.rsum(x, na_rm=True), R.call("sum", x, **{"na.rm": True}))
    assert_bits_equal(rarith.mean(x), R.call("mean", x))
    assert_bits_equal(rarith.colsums(x), R.call("colSums", x))
    assert_bits_equal(rarith.rowsums(x), R.call("rowSums", x))
    assert_bits_equal(rarith.colsums(x, na_rm=True), R.call("colSums", x, **{"na.rm": True}))
    assert_bits_equal(rarith.rowsums(x, na_rm=True), R.call("rowSums", x, **{"na.rm": True}))
    assert_bits_equal(rarith.rmax(x), R.call("max", x))


@live
@given(n=sizes, m=sizes, seed=seeds, specials=st.booleans())
def test_elementwise_is_r(n: int, m: int, seed: int, specials: bool) -> None:
    rng = np.random.default_rng(seed)
    with np.errstate(invalid="ignore"):  # NA / 1e4
        x = values(rng, (n, m), specials) / 1e4  # exp's interesting range, and beyond
    assert_bits_equal(rarith.exp(x), R.call("exp", x))
    assert_bits_equal(rarith.tanh(x), R.call("tanh", x))
    assert_bits_equal(rarith.log(x), R.call("log", x))
    assert_bits_equal(rarith.square(x), R.call("^", x, 2.0))
    with np.errstate(invalid="ignore"):  # rounding Inf and NaN
        y = np.round(values(rng, (n, m), specials) / 1e5, int(rng.integers(0, 3)))
    assert_bits_equal(rarith.power(x, y), R.call("^", x, y))
    assert_bits_equal(rarith.power(np.abs(x), 0.5), R.call("^", np.abs(x), 0.5))


def test_edge_cases_are_r() -> None:
    """Empty operands, overflowing sums, signed zeros, NA against NaN, pow's special cases."""
    specials = np.array([0.0, -0.0, 1.0, -1.0, 2.0, 0.5, -2.5, np.inf, -np.inf, np.nan, NA, 3.0])
    x, y = np.meshgrid(specials, specials)
    assert_bits_equal(rarith.power(x, y), R.call("^", x, y))
    for v in (
        np.array([[1e308, 1e308, -1e308]]),
        np.array([[-0.0]]),
        np.array([[np.nan, NA, np.nan]]),
        np.array([[NA, np.nan]]),
        np.array([[-0.0, 0.0]]),
        np.array([[0.0, -0.0]]),
        np.array([[1.7976931348623157e308, 1e292]]),
    ):
        assert_bits_equal(rarith.rsum(v), R.call("sum", v))
        assert_bits_equal(rarith.mean(v), R.call("mean", v))
        assert_bits_equal(rarith.rmax(v), R.call("max", v))
        assert_bits_equal(rarith.colsums(v.T), R.call("colSums", v.T))
        assert_bits_equal(rarith.exp(v), R.call("exp", v))
        assert_bits_equal(rarith.log(v), R.call("log", v))
    assert_bits_equal(rarith.rmax(np.zeros(0)), R.eval("suppressWarnings(max(numeric(0)))"))
    assert_bits_equal(rarith.rsum(np.zeros((0, 3))), R.call("sum", np.zeros((0, 3))))
    big = np.array([[1e308, 1e308], [1.0, 2.0]])  # no NaN, but mayHaveNaNOrInf says maybe
    assert_bits_equal(rarith.matmul(big, big), R.call("%*%", big, big))


# ------------------------------------------------- numpy's one-liners are not R's


def count_differences(cases: int, make: Any, ours: Any, numpys: Any) -> tuple[int, int]:
    """Over ``cases`` seeded inputs: how often R (ours, proven equal above) and numpy differ."""
    ours_differ = numpy_differ = 0
    for seed in range(cases):
        args = make(np.random.default_rng(seed))
        ours_differ += bool((bits(ours[0](*args)) != bits(R.call(ours[1], *args))).any())
        numpy_differ += bool((bits(numpys(*args)) != bits(R.call(ours[1], *args))).any())
    return ours_differ, numpy_differ


def report(name: str, numpy_differ: int, cases: int) -> None:
    print(f"\n{name}: numpy differs from R in {numpy_differ} of {cases} cases")


def test_numpy_matmul_is_not_r() -> None:
    cases = 100

    def make(rng: np.random.Generator) -> tuple[NDArray[Any], NDArray[Any]]:
        n, k, m = rng.integers(1, 51, size=3)
        return values(rng, (n, k), False), values(rng, (k, m), False)

    ours, numpys = count_differences(cases, make, (rarith.matmul, "%*%"), np.matmul)
    report("A @ B", numpys, cases)
    assert ours == 0 and numpys > 0


def test_numpy_sum_is_not_r() -> None:
    cases = 100

    def make(rng: np.random.Generator) -> tuple[NDArray[Any]]:
        return (values(rng, tuple(rng.integers(1, 51, size=2)), False),)

    ours, numpys = count_differences(cases, make, (rarith.rsum, "sum"), np.sum)
    report("np.sum", numpys, cases)
    assert ours == 0 and numpys > 0
    ours, numpys = count_differences(cases, make, (rarith.mean, "mean"), np.mean)
    report("np.mean", numpys, cases)
    assert ours == 0 and numpys > 0
    ours, numpys = count_differences(
        cases, make, (rarith.colsums, "colSums"), lambda x: np.sum(x, axis=0)
    )
    report("np.sum(axis=0)", numpys, cases)
    assert ours == 0 and numpys > 0
    ours, numpys = count_differences(
        cases, make, (rarith.rowsums, "rowSums"), lambda x: np.sum(x, axis=1)
    )
    report("np.sum(axis=1)", numpys, cases)
    assert ours == 0 and numpys > 0


def test_numpy_exp_tanh_log_power_are_not_r() -> None:
    """numpy's SIMD exp, tanh, log and power are not the C library's: over 100,000 values."""
    x = np.random.default_rng(0).uniform(-20, 20, size=100_000)
    for ours, numpys, name, args in (
        (rarith.exp, np.exp, "exp", (x,)),
        (rarith.tanh, np.tanh, "tanh", (x,)),
        (rarith.log, np.log, "log", (np.abs(x),)),
        (rarith.power, np.power, "^", (np.abs(x), 0.37)),
    ):
        r = bits(R.call(name, *args))
        ours_differ, numpy_differ = (bits(ours(*args)) != r).sum(), (bits(numpys(*args)) != r).sum()
        print(f"\nnp.{numpys.__name__}: differs from R for {numpy_differ} of {x.size} values")
        assert ours_differ == 0 and numpy_differ > 0


# --------------------------------------------- the lecture's training, with rarith


def train_with_rarith(
    X: NDArray[Any], Y: NDArray[Any], W_1: NDArray[Any], W_2: NDArray[Any], iterations: int
) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
    """r/network.R's train(), line by line, with R's arithmetic from rarith (step 5)."""

    def sigmoid(Z: NDArray[Any]) -> NDArray[Any]:
        return 1 / (1 + rarith.exp(-Z))

    def sigmoid_prime(Z: NDArray[Any]) -> NDArray[Any]:  # the slides' form
        return rarith.exp(-Z) / rarith.square(1 + rarith.exp(-Z))

    costs = np.empty(iterations)
    for i in range(iterations):
        Z_2 = rarith.matmul(X, W_1)
        A_2 = sigmoid(Z_2)
        Z_3 = rarith.matmul(A_2, W_2)
        Y_hat = sigmoid(Z_3)
        costs[i] = 0.5 * rarith.rsum(rarith.square(Y - Y_hat))
        delta_3 = -(Y - Y_hat) * sigmoid_prime(Z_3)
        dJ_dW_2 = rarith.matmul(A_2.T.copy(), delta_3)
        delta_2 = rarith.matmul(delta_3, W_2.T.copy()) * sigmoid_prime(Z_2)
        dJ_dW_1 = rarith.matmul(X.T.copy(), delta_2)
        W_1 = W_1 - 5 * dJ_dW_1
        W_2 = W_2 - 5 * dJ_dW_2
    return W_1, W_2, costs


def test_the_lecture_training_is_r_to_the_last_bit() -> None:
    """10,000 iterations of the lecture's network: weights and every cost are R's train()'s.

    The starting weights are R's (W_1_init, W_2_init), so only the arithmetic is tested.
    """
    from backprop.data import load_scaled

    X, Y = load_scaled("data/lecture.csv")
    r = R.call("train", X, Y)
    W_1, W_2, costs = train_with_rarith(X, Y, r["W_1_init"], r["W_2_init"], 10_000)
    assert_bits_equal(costs, r["cost_history"])
    assert_bits_equal(W_1, r["W_1"])
    assert_bits_equal(W_2, r["W_2"])
