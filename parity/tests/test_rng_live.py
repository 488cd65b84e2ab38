"""backprop.rng against live R (through parity.r_session): runif, rnorm and qnorm, bit for bit.

Every call goes to base R with arguments (set.seed, runif, rnorm, qnorm), never
through pasted code. Equality is exact: the same 64 bits.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from live_r import require_live_r
from numpy.typing import NDArray

from backprop.checks import INT_MAX
from backprop.rng import qnorm, set_seed

R = require_live_r("backprop.rng is")

seeds = st.integers(min_value=-INT_MAX, max_value=INT_MAX)
live = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_bits_equal(actual: NDArray[np.float64], expected: Any) -> None:
    """Equal to the last bit, with the first mismatch named."""
    expected = np.atleast_1d(np.asarray(expected, dtype=np.float64))
    assert actual.shape == expected.shape
    differ = actual.view(np.uint64) != expected.view(np.uint64)
    if differ.any():
        i = int(np.flatnonzero(differ)[0])
        raise AssertionError(
            f"{differ.sum()} of {differ.size} values differ; first at [{i}]: "
            f"Python {actual[i]!r} != R {expected[i]!r}"
        )


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
