"""backprop.rarith against live R: %*%, crossprod, sum, mean, colSums, rowSums, max, exp,
log, tanh, log1p, ^, bit for bit (the same 64 bits, NaN payloads included).

Each example draws a shape (1x1, Nx1, 1xN, NxM up to 50) and a seed; the seed fills
the matrix with values of both signs spanning many magnitudes, and some examples
sprinkle NA, NaN and +-Inf in. Then each function is called on R's side through
the embedded session (base R's own functions, by name) and compared to the last bit.

Then the checks are shown to fail on slips that are slips on every machine (a
product added in another order, a sum in double, a function one ulp off); how often
numpy's own one-liners are not R's is printed, never asserted (it is the processor's).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from helpers import (
    assert_bits_equal,
    bits,
    matmul_in_another_order,
    one_ulp_up,
    require_live_r,
    sum_in_double,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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
    assert_bits_equal(rarith.log1p(x), R.call("log1p", x))
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
        assert_bits_equal(rarith.log1p(v), R.call("log1p", v))
    assert_bits_equal(rarith.log1p(specials), R.call("log1p", specials))
    assert_bits_equal(rarith.rmax(np.zeros(0)), R.eval("suppressWarnings(max(numeric(0)))"))
    assert_bits_equal(rarith.rsum(np.zeros((0, 3))), R.call("sum", np.zeros((0, 3))))
    big = np.array([[1e308, 1e308], [1.0, 2.0]])  # no NaN, but mayHaveNaNOrInf says maybe
    assert_bits_equal(rarith.matmul(big, big), R.call("%*%", big, big))


# ------------------------------------ the checks above can fail: slips on every machine


def count_differences(cases: int, make: Any, r_name: str, *functions: Any) -> list[int]:
    """Over ``cases`` seeded inputs: how often each function's result is not R's."""
    differ = [0] * len(functions)
    for seed in range(cases):
        args = make(np.random.default_rng(seed))
        r = bits(R.call(r_name, *args))
        for i, function in enumerate(functions):
            differ[i] += bool((bits(function(*args)) != r).any())
    return differ


def test_a_product_in_another_order_is_not_r() -> None:
    def make(rng: np.random.Generator) -> tuple[NDArray[Any], NDArray[Any]]:
        n, k, m = rng.integers(2, 51, size=3)
        return values(rng, (n, k), False), values(rng, (k, m), False)

    ours, slipped = count_differences(100, make, "%*%", rarith.matmul, matmul_in_another_order)
    assert ours == 0 and slipped > 50


def test_a_sum_in_double_is_not_r() -> None:
    def make(rng: np.random.Generator) -> tuple[NDArray[Any]]:
        return (values(rng, (int(rng.integers(5, 51)), int(rng.integers(5, 51))), False),)

    ours, slipped = count_differences(100, make, "sum", rarith.rsum, sum_in_double)
    assert ours == 0 and slipped > 50
    ours, slipped = count_differences(
        100, make, "mean", rarith.mean, lambda x: sum_in_double(x) / x.size
    )
    assert ours == 0 and slipped > 50


def test_a_function_one_ulp_off_is_not_r() -> None:
    x = np.random.default_rng(0).uniform(-20, 20, size=10_000)
    for ours, name, args in (
        (rarith.exp, "exp", (x,)),
        (rarith.tanh, "tanh", (x[x != 0],)),
        (rarith.log, "log", (np.abs(x),)),
        (rarith.log1p, "log1p", (np.abs(x),)),
        (rarith.power, "^", (np.abs(x), 0.37)),
    ):
        r = bits(R.call(name, *args))
        assert (bits(ours(*args)) != r).sum() == 0, name
        assert (bits(one_ulp_up(ours(*args))) != r).all(), name


def test_how_often_numpy_is_not_r_here() -> None:
    """numpy's one-liners on this machine, printed, never asserted: its BLAS and its SIMD
    exp, tanh, log, log1p and power are the processor's choice (on an Intel machine with AVX-512
    a few percent of exp's values differ from libm's; on an AMD EPYC with AVX2 none did).
    Only R's side is asserted: the check itself is above."""
    x = np.random.default_rng(0).uniform(-20, 20, size=100_000)
    for numpys, name, args in (
        (np.exp, "exp", (x,)),
        (np.tanh, "tanh", (x,)),
        (np.log, "log", (np.abs(x),)),
        (np.log1p, "log1p", (np.abs(x),)),
        (np.power, "^", (np.abs(x), 0.37)),
    ):
        r = bits(R.call(name, *args))
        print(f"\nnp.{numpys.__name__}: {(bits(numpys(*args)) != r).sum()} of {x.size} not R's")
        assert (bits(getattr(rarith, numpys.__name__)(*args)) != r).sum() == 0


# --------------------------------------------- the lecture's training, with rarith


def test_the_lecture_training_is_r_to_the_last_bit() -> None:
    """10,000 iterations of the lecture's network: the twin train() on RArrays gives R's
    train()'s weights and every cost. It starts from R's initial weights, so only the
    arithmetic is tested."""
    from backprop.data import load_scaled
    from backprop.network import train

    X, Y = load_scaled("data/lecture.csv")
    r = R.call("train", X, Y)
    start = {"W_1": r["W_1_init"], "W_2": r["W_2_init"]}
    ours = train(rarith.as_r(X), rarith.as_r(Y), start=start)
    for name in ("cost_history", "W_1", "W_2", "Y_hat"):
        assert_bits_equal(ours[name], r[name], name)
