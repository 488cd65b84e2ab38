"""backprop.rng against live R (through backprop.r_engine): runif, rnorm and qnorm, bit for bit.

Every call goes to base R with arguments (set.seed, runif, rnorm, qnorm), never
through pasted code. Equality is exact: the same 64 bits.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import assert_bits_equal, require_live_r
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from backprop.checks import INT_MAX
from backprop.rng import qnorm, set_seed

R = require_live_r("backprop.rng is")

seeds = st.integers(min_value=-INT_MAX, max_value=INT_MAX)
live = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def r_draws(seed: int, fun: str, n: int, *args: float) -> NDArray[np.float64]:
    R.call("set.seed", seed)
    return np.atleast_1d(np.asarray(R.call(fun, n, *args), dtype=np.float64))


def test_r_uses_the_default_kinds() -> None:
    """The port is of Mersenne-Twister + Inversion; a session on other kinds would mislead."""
    assert list(R.call("RNGkind"))[:2] == ["Mersenne-Twister", "Inversion"]


@settings(live, max_examples=100)
@given(seed=seeds, n=st.integers(1, 2000))
def test_runif_and_rnorm_match_r_over_the_seed_range(seed: int, n: int) -> None:
    assert_bits_equal(set_seed(seed).runif(n), r_draws(seed, "runif", n))
    assert_bits_equal(set_seed(seed).rnorm(n), r_draws(seed, "rnorm", n))


@pytest.mark.parametrize("seed", [1, 0, -1, 42, 123456, -INT_MAX, INT_MAX])
def test_long_rnorm_streams_match_r(seed: int) -> None:
    """100,000 normals per seed: about 15,000 of them go through qnorm's tails."""
    assert_bits_equal(set_seed(seed).rnorm(100_000), r_draws(seed, "rnorm", 100_000))


calls = st.one_of(
    st.tuples(
        st.just("runif"),
        st.integers(0, 50),
        st.sampled_from([(0.0, 1.0), (-2.0, 5.0), (3.0, 3.0), (1e-3, 1e3)]),
    ),
    st.tuples(
        st.just("rnorm"),
        st.integers(0, 50),
        st.sampled_from([(0.0, 1.0), (10.0, 2.5), (5.0, 0.0), (-1e6, 1e-6)]),
    ),
)


@settings(live, max_examples=40)
@given(seed=seeds, stream=st.lists(calls, min_size=1, max_size=6))
def test_mixed_streams_match_r(
    seed: int, stream: list[tuple[str, int, tuple[float, float]]]
) -> None:
    """Calls in any order from one seed; sd = 0 and min = max spend no draws in either."""
    generator = set_seed(seed)
    R.call("set.seed", seed)
    for fun, n, (a, b) in stream:
        expected = R.call(fun, n, a, b)
        actual = generator.runif(n, a, b) if fun == "runif" else generator.rnorm(n, a, b)
        assert_bits_equal(actual, expected)


def test_qnorm_matches_r_on_a_wide_grid() -> None:
    """Central, tail (r <= 5) and far-tail (r > 5) regions, down to the smallest double."""
    generator = np.random.default_rng(20240)
    p = np.concatenate(
        [
            generator.random(100_000),
            10.0 ** -generator.uniform(0.0, 323.0, 50_000),
            1.0 - 10.0 ** -generator.uniform(0.0, 16.0, 20_000),
            [0.0, 1.0, 0.5, 0.075, 0.925, 5e-324, math.exp(-25.0)],
        ]
    )
    assert_bits_equal(qnorm(p), R.call("qnorm", p))


@settings(live, max_examples=100)
@given(
    p=st.lists(
        st.floats(min_value=0.0, max_value=1.0, allow_subnormal=True), min_size=1, max_size=20
    )
)
def test_qnorm_matches_r_anywhere(p: list[float]) -> None:
    p_array = np.array(p)
    assert_bits_equal(qnorm(p_array), R.call("qnorm", p_array))


# sample(): R's default sample.kind "Rejection", against R's own sample().

BOUNDARIES = [
    1, 2, 3, 4, 5, 7, 8, 9, 255, 256, 257, 32767, 32768, 32769, 65535, 65536, 65537,
    2**17, 2**17 + 1, 10**7, 10**7 + 1, 2**24, 2**24 + 1, 2**30, 2**30 + 1,
    INT_MAX - 1, INT_MAX,
]  # fmt: skip
populations = st.one_of(
    st.sampled_from(BOUNDARIES),
    st.integers(1, 100),
    # n of every bit length 1..31 alike (st.integers(1, INT_MAX) leans to small n)
    st.sampled_from(range(31)).flatmap(lambda b: st.integers(2**b, min(2 ** (b + 1) - 1, INT_MAX))),
)


@st.composite
def sample_calls(draw: st.DrawFn) -> tuple[str, int, int, bool]:
    """("sample", n, size, replace): size up to n without replacement, up to 60 with."""
    n = draw(populations)
    replace = draw(st.booleans())
    most = 60 if replace else min(n, 60)
    size = draw(st.one_of(st.integers(0, most), st.just(n if n <= 2000 else most)))
    if replace:
        size = min(size, 2000)
    return ("sample", n, size, replace)


def r_sample(n: int, size: int, replace: bool) -> list[int]:
    return np.atleast_1d(R.call("sample", n, size, replace)).astype(np.int64).tolist()


def test_r_uses_the_rejection_sample_kind() -> None:
    assert list(R.call("RNGkind"))[2] == "Rejection"


@settings(live, max_examples=150)
@given(seed=seeds, call=sample_calls())
def test_sample_matches_r(seed: int, call: tuple[str, int, int, bool]) -> None:
    """sample(n, size, replace), then runif(2): same indices, and the stream in step."""
    _, n, size, replace = call
    path = "replace" if replace else "hash" if n > 10**7 and 2 * size <= n else "shuffle"
    event(f"{path}, {'two uniforms' if n > 32768 else 'one uniform'} per attempt")
    generator = set_seed(seed)
    R.call("set.seed", seed)
    assert generator.sample(n, size, replace=replace).tolist() == r_sample(n, size, replace)
    assert_bits_equal(generator.runif(2), R.call("runif", 2))


stream_calls = st.one_of(
    sample_calls(),
    st.tuples(st.just("runif"), st.integers(0, 5), st.just(0), st.just(False)),
)


@settings(live, max_examples=60)
@given(seed=seeds, stream=st.lists(stream_calls, min_size=1, max_size=6))
def test_sample_and_runif_interleave_as_in_r(
    seed: int, stream: list[tuple[str, int, int, bool]]
) -> None:
    generator = set_seed(seed)
    R.call("set.seed", seed)
    for fun, n, size, replace in stream:
        if fun == "runif":
            assert_bits_equal(generator.runif(n), R.call("runif", n))
        else:
            assert generator.sample(n, size, replace=replace).tolist() == r_sample(n, size, replace)
    assert_bits_equal(generator.runif(1), R.call("runif", 1))


@settings(live, max_examples=40)
@given(
    seed=seeds,
    elements=st.lists(st.integers(-1000, 1000), min_size=2, max_size=30),
    size=st.integers(0, 40),
    replace=st.booleans(),
)
def test_sample_of_elements_matches_r(
    seed: int, elements: list[int], size: int, replace: bool
) -> None:
    """R's sample(x) for length(x) > 1 draws x's elements (as doubles and as strings)."""
    if not replace:
        size = min(size, len(elements))
    x = np.array(elements, dtype=np.float64)
    R.call("set.seed", seed)
    expected = R.call("sample", x, size, replace)
    assert_bits_equal(set_seed(seed).sample(x, size, replace=replace), expected)
    words = np.array([f"w{e}" for e in elements])
    R.call("set.seed", seed)
    expected_words = list(R.call("sample", words, size, replace))
    assert set_seed(seed).sample(words, size, replace=replace).tolist() == expected_words


@pytest.mark.parametrize("seed", [1, -7, 2024, INT_MAX])
@pytest.mark.parametrize("n", [40_000, 70_000])
def test_whole_permutations_across_the_two_uniform_boundary_match_r(seed: int, n: int) -> None:
    """A full shuffle of n > 32768 spends two uniforms per attempt, then one once n - i <= 32768."""
    generator = set_seed(seed)
    R.call("set.seed", seed)
    assert generator.sample(n).tolist() == r_sample(n, n, False)
    assert_bits_equal(generator.runif(3), R.call("runif", 3))


@pytest.mark.parametrize("seed", [277, 1, 99])
def test_hash_threshold_matches_r(seed: int) -> None:
    """sample.int switches to do_sample2 for n > 1e7 (no replacement, size <= n / 2)."""
    for n in (10**7, 10**7 + 1):
        generator = set_seed(seed)
        R.call("set.seed", seed)
        assert generator.sample(n, 300).tolist() == r_sample(n, 300, False), n
        assert_bits_equal(generator.runif(1), R.call("runif", 1))
