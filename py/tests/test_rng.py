"""backprop.rng against draws R itself wrote (fixtures/rng_vectors.json): no R needed.

The fixtures come from fixtures/make_rng_vectors.R; the sample() vectors further
down were pasted from R 4.2.2 runs (Rscript -e), each under the R call that made
it. Every comparison is bit for bit: the same 64 bits, not "close".
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import assert_bits_equal
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from backprop.checks import INT_MAX, check_seed
from backprop.rng import RGenerator, qnorm, set_seed

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rng_vectors.json"
REFERENCE: dict[str, Any] = json.loads(FIXTURES.read_text())
BIG = 2.0**27
TWO_TO_MINUS_32 = 2.0**-32
I2_32M1 = 2.328306437080797e-10  # R's RNG.c literal for 1/(2^32 - 1), 1 ulp off the exact quotient


def draw_id(case: dict[str, Any]) -> str:
    return f"seed={case['seed']},n={case['n']}"


def test_fixtures_are_r_defaults() -> None:
    assert REFERENCE["rng_kind"][:2] == ["Mersenne-Twister", "Inversion"]
    assert REFERENCE["r_version"].startswith("R version 4.")  # made with 4.2.2
    assert len(REFERENCE["draws"]) == len(REFERENCE["seeds"]) * len(REFERENCE["counts"]) == 28


@pytest.mark.parametrize("case", REFERENCE["draws"], ids=draw_id)
def test_runif_matches_r(case: dict[str, Any]) -> None:
    assert_bits_equal(set_seed(case["seed"]).runif(case["n"]), case["runif"])


@pytest.mark.parametrize("case", REFERENCE["draws"], ids=draw_id)
def test_rnorm_matches_r(case: dict[str, Any]) -> None:
    assert_bits_equal(set_seed(case["seed"]).rnorm(case["n"]), case["rnorm"])


@pytest.mark.parametrize("case", REFERENCE["mixed"], ids=lambda case: f"seed={case['seed']}")
def test_mixed_stream_matches_r(case: dict[str, Any]) -> None:
    """runif, rnorm, runif, ... from one seed: each call picks up where the last stopped."""
    generator = set_seed(case["seed"])
    for call in case["calls"]:
        a, b = (float(x) for x in call["args"])
        if call["fun"] == "runif":
            values = generator.runif(call["n"], min=a, max=b)
        else:
            values = generator.rnorm(call["n"], mean=a, sd=b)
        assert_bits_equal(values, call["values"])


def test_qnorm_matches_r_in_all_regions() -> None:
    p = np.array(REFERENCE["qnorm"]["p"])
    q = np.array(REFERENCE["qnorm"]["q"])
    r = np.sqrt(-np.log(np.minimum(p, 1.0 - p)[(p > 0) & (p < 1)]))
    # The fixture reaches all three branches of AS 241 and both boundaries.
    assert np.count_nonzero(np.abs(p - 0.5) <= 0.425) > 500
    assert np.count_nonzero((np.abs(p - 0.5) > 0.425) & (p > 0) & (p < 1)) > 500
    assert np.count_nonzero(r > 5.0) > 500
    assert {0.0, 1.0} <= set(p.tolist())
    assert_bits_equal(qnorm(p), q)


def test_qnorm_boundaries_and_scale() -> None:
    assert_bits_equal(qnorm([0.0, 0.5, 1.0]), [-math.inf, 0.0, math.inf])
    p = np.array(REFERENCE["qnorm"]["p"])
    assert_bits_equal(qnorm(p, 10.0, 2.5), 10.0 + 2.5 * np.array(REFERENCE["qnorm"]["q"]))
    assert_bits_equal(qnorm([0.1, 0.9], mean=3.0, sd=0.0), [3.0, 3.0])


@pytest.mark.parametrize("p", [-0.1, 1.5, math.nan, -math.inf])
def test_qnorm_rejects_non_probabilities(p: float) -> None:
    with pytest.raises(ValueError, match="p must be a probability in"):
        qnorm([0.5, p])


def test_rnorm_is_more_than_one_branch() -> None:
    """The 1000-draw fixtures go through qnorm's central and tail regions."""
    for case in REFERENCE["draws"]:
        if case["n"] == 1000:
            z = np.abs(case["rnorm"])
            assert np.count_nonzero(z <= 1.43) > 700  # |p - 0.5| <= 0.425
            assert np.count_nonzero(z > 1.44) > 100  # the tails


def test_norm_rand_spends_two_uniforms_per_value_in_order() -> None:
    u = set_seed(42).unif_rand(2 * 50 + 1)  # (101,)
    expected = qnorm((np.trunc(BIG * u[0:100:2]) + u[1:100:2]) / BIG)
    generator = set_seed(42)
    assert_bits_equal(generator.norm_rand(50), expected)
    assert_bits_equal(generator.unif_rand(1), u[100:])  # the stream moved by 100 uniforms
    swapped = qnorm((np.trunc(BIG * u[1:100:2]) + u[0:100:2]) / BIG)
    assert np.count_nonzero(swapped != expected) == 50  # so the order is really tested


def test_rnorm_scales_norm_rand() -> None:
    z = set_seed(7).norm_rand(100)
    assert_bits_equal(set_seed(7).rnorm(100, mean=-3.0, sd=0.25), -3.0 + 0.25 * z)
    assert_bits_equal(set_seed(7).rnorm(100), z)


def test_sd_zero_and_equal_bounds_spend_no_draws() -> None:
    """As in R: rnorm(n, m, 0) is m, runif(n, a, a) is a, and neither moves the stream."""
    generator = set_seed(3)
    assert_bits_equal(generator.rnorm(5, mean=2.0, sd=0.0), np.full(5, 2.0))
    assert_bits_equal(generator.runif(4, min=-1.0, max=-1.0), np.full(4, -1.0))
    assert_bits_equal(generator.runif(3), set_seed(3).runif(3))


class _FixedBits:
    """Stands in for MT19937: hands out chosen raw 32-bit words."""

    def __init__(self, words: list[int]) -> None:
        self.words = words

    def random_raw(self, n: int) -> NDArray[np.uint64]:
        out, self.words = self.words[:n], self.words[n:]
        return np.array(out, dtype=np.uint64)


def fixed_generator(words: list[int]) -> RGenerator:
    generator = set_seed(1)
    generator._bits = _FixedBits(words)  # type: ignore[assignment]
    return generator


def test_unif_rand_fixup_keeps_draws_inside_0_1() -> None:
    """R's fixup(): a raw 0 becomes half of 1/(2^32 - 1); the largest word stays below 1."""
    u = fixed_generator([0, 1, 2**32 - 1]).unif_rand(3)
    assert_bits_equal(u, [0.5 * I2_32M1, TWO_TO_MINUS_32, (2**32 - 1) * TWO_TO_MINUS_32])
    assert np.all((u > 0.0) & (u < 1.0))


def test_norm_rand_extremes_follow_r() -> None:
    """The largest u_1 and u_2 round (2^27 - 1) + u_2 up to 2^27: R's qnorm(1) = Inf.

    The smallest words give p = 2^-28 / (2^32 - 1), deep in AS 241's far tail.
    """
    z = fixed_generator([2**32 - 1, 2**32 - 1, 0, 0]).norm_rand(2)
    assert z[0] == math.inf
    assert_bits_equal(z[1:], qnorm([0.5 * I2_32M1 / BIG]))
    assert -9.0 < z[1] < -8.0


@pytest.mark.parametrize("seed", [2**31, -(2**31), 1.5, "1", True, None, float("nan")])
def test_rejected_seeds(seed: object) -> None:
    with pytest.raises(ValueError, match="seed must be"):
        set_seed(seed)  # type: ignore[arg-type]


def test_accepted_seed_edges() -> None:
    assert check_seed(INT_MAX) == INT_MAX
    assert check_seed(-INT_MAX) == -INT_MAX
    assert check_seed(np.int32(5)) == 5
    assert check_seed(5.0) == 5 and type(check_seed(5.0)) is int  # R's set.seed(5) is a double
    assert np.array_equal(set_seed(5.0).runif(3), set_seed(5).runif(3))
    assert_bits_equal(set_seed(np.int64(42)).rnorm(3), set_seed(42).rnorm(3))


@pytest.mark.parametrize("n", [-1, 2.5, True, "3", None])
def test_rejected_counts(n: object) -> None:
    for draw in ("unif_rand", "runif", "norm_rand", "rnorm"):
        with pytest.raises(ValueError, match="n must be a whole number >= 0"):
            getattr(set_seed(1), draw)(n)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sd": -1.0}, "sd must be >= 0"),
        ({"sd": math.nan}, "sd must be a finite number"),
        ({"sd": math.inf}, "sd must be a finite number"),
        ({"mean": math.inf}, "mean must be a finite number"),
        ({"mean": math.nan}, "mean must be a finite number"),
        ({"mean": "0"}, "mean must be a finite number"),
    ],
)
def test_rnorm_refuses_what_r_turns_into_nan_or_inf(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        set_seed(1).rnorm(3, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min": 1.0, "max": 0.0}, "max must be >= min"),
        ({"max": math.inf}, "max must be a finite number"),
        ({"min": math.nan}, "min must be a finite number"),
    ],
)
def test_runif_refuses_what_r_turns_into_nan(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        set_seed(1).runif(3, **kwargs)


def test_zero_draws() -> None:
    assert set_seed(1).rnorm(0).shape == (0,)
    assert set_seed(1).runif(0).shape == (0,)


seeds = st.integers(min_value=-INT_MAX, max_value=INT_MAX)


@settings(max_examples=60, deadline=None)
@given(seed=seeds, n=st.integers(0, 300), split=st.integers(0, 300))
def test_draws_stay_inside_and_streams_split_anywhere(seed: int, n: int, split: int) -> None:
    """runif is in (0, 1); rnorm(n) is finite and equals rnorm(k) then rnorm(n - k)."""
    split = min(split, n)
    generator = set_seed(seed)
    u = generator.unif_rand(2 * n)  # (2n,): what norm_rand(n) spends
    assert np.all((u > 0.0) & (u < 1.0))
    p = (np.trunc(BIG * u[0::2]) + u[1::2]) / BIG
    assert np.all((p > 0.0) & (p < 1.0))  # p = 1 (qnorm Inf) needs odds of 2^-54
    z = set_seed(seed).rnorm(n)
    assert np.all(np.isfinite(z))
    assert_bits_equal(z, qnorm(p))
    generator = set_seed(seed)
    assert_bits_equal(np.concatenate([generator.rnorm(split), generator.rnorm(n - split)]), z)


@settings(max_examples=60, deadline=None)
@given(p=st.floats(min_value=0.0, max_value=1.0, exclude_min=True, exclude_max=True))
def test_qnorm_is_finite_with_the_sign_of_p_minus_half(p: float) -> None:
    q = qnorm([p])[0]
    assert math.isfinite(q)
    assert np.sign(q) == np.sign(p - 0.5)
    assert abs(q) < 38.5  # qnorm(5e-324) is about -38.47


# sample(): vectors pasted from R 4.2.2 (sample.kind "Rejection"), each under its R call.

SAMPLE_CASES = [
    # set.seed(1); sample(10)
    (1, (10,), {}, [9, 4, 7, 1, 2, 5, 3, 10, 6, 8]),
    # set.seed(42); sample(100, 5)
    (42, (100, 5), {}, [49, 65, 25, 74, 18]),
    # set.seed(1); sample(2^31 - 1, 3)  (n > 1e7: sample.int's hash algorithm, do_sample2)
    (1, (INT_MAX, 3), {}, [1140350788, 312928385, 866248189]),
    # set.seed(2024); sample(2^31 - 1, 4, replace = TRUE)
    (2024, (INT_MAX, 4), {"replace": True}, [1447121445, 774681276, 1962849169, 1785482656]),
    # set.seed(7); sample(6, 10, replace = TRUE)
    (7, (6, 10), {"replace": True}, [2, 3, 4, 2, 2, 6, 3, 6, 3, 2]),
    # set.seed(1); sample(1)
    (1, (1,), {}, [1]),
    # set.seed(3); sample(32768, 5)  (2^15: the last n with one uniform per attempt)
    (3, (32768, 5), {}, [11013, 20154, 25228, 21479, 6692]),
    # set.seed(3); sample(32769, 5)  (two uniforms per attempt, the first masked out entirely)
    (3, (32769, 5), {}, [21479, 6692, 6842, 8168, 19307]),
    # set.seed(3); sample(65536, 5)
    (3, (65536, 5), {}, [52922, 21479, 39610, 19307, 41352]),
    # set.seed(3); sample(65537, 5)
    (3, (65537, 5), {}, [52922, 21479, 39610, 19307, 41352]),
    # set.seed(3); sample(2^17, 5)
    (3, (2**17, 5), {}, [52922, 87015, 105146, 84843, 41352]),
    # set.seed(9); sample(1e7, 4)
    (9, (10**7, 4), {}, [341819, 9904723, 155276, 3145211]),
    # set.seed(9); sample(1e7 + 1, 4)
    (9, (10**7 + 1, 4), {}, [341819, 9904723, 155276, 3145211]),
]


@pytest.mark.parametrize(
    ("seed", "args", "kwargs", "expected"),
    SAMPLE_CASES,
    ids=[f"seed={c[0]},args={c[1]},{c[2]}" for c in SAMPLE_CASES],
)
def test_sample_matches_r(
    seed: int, args: tuple[int, ...], kwargs: dict[str, Any], expected: list[int]
) -> None:
    actual = set_seed(seed).sample(*args, **kwargs)
    assert actual.dtype == np.int64
    assert actual.tolist() == expected


def test_sample_1_spends_one_uniform() -> None:
    """set.seed(1); sample(1); runif(2): R_unif_index(1) masks to 0 bits but draws once."""
    generator = set_seed(1)
    assert generator.sample(1).tolist() == [1]
    # set.seed(1); sample(1); runif(2)
    assert_bits_equal(generator.runif(2), [0.37212389963679016, 0.57285336335189641])


def test_sample_of_size_0_spends_nothing() -> None:
    generator = set_seed(1)
    assert generator.sample(10, 0).shape == (0,)
    assert generator.sample_int(0).shape == (0,)
    assert generator.sample([], replace=True).shape == (0,)
    # set.seed(1); sample(10, 0); runif(1)
    assert_bits_equal(generator.runif(1), [0.26550866314209998])


@pytest.mark.parametrize(
    ("n", "after"),
    [
        # set.seed(3); sample(32768, 2); runif(1)
        (32768, 0.38494235137477517),
        # set.seed(3); sample(32769, 2); runif(1)
        (32769, 0.60439405404031277),
    ],
)
def test_sample_leaves_the_stream_where_r_does(n: int, after: float) -> None:
    generator = set_seed(3)
    generator.sample(n, 2)
    assert_bits_equal(generator.runif(1), [after])


def test_sample_hash_and_shuffle_differ_where_r_switches() -> None:
    """n = 1e7 shuffles (do_sample); n = 1e7 + 1 redraws duplicates (do_sample2).

    With seed 277 the 230th index of 300 hits a slot drawn before: the shuffle
    returns the value moved there from the end, the hash redraws.
    """
    generator = set_seed(277)
    hashed = generator.sample(10**7 + 1, 300)
    # set.seed(277); a <- sample(1e7 + 1, 300); a[226:233]; sum(a); runif(1)
    assert hashed[225:233].tolist() == [
        5170297, 2628725, 4850487, 6790276, 362001, 9706713, 6487913, 6106239,
    ]  # fmt: skip
    assert hashed.sum() == 1546143934
    assert_bits_equal(generator.runif(1), [0.17955830553546548])
    generator = set_seed(277)
    shuffled = generator.sample(10**7, 300)
    # set.seed(277); b <- sample(1e7, 300); b[226:233]; sum(b); runif(1)
    assert shuffled[225:233].tolist() == [
        5170297, 2628725, 4850487, 6790276, 9999797, 362001, 9706713, 6487913,
    ]  # fmt: skip
    assert shuffled.sum() == 1552284985
    assert_bits_equal(generator.runif(1), [0.20402088575065136])


def test_sample_of_elements_matches_r() -> None:
    # set.seed(5); sample(c("a", "b", "c", "d"), 6, replace = TRUE)
    drawn = set_seed(5).sample(["a", "b", "c", "d"], 6, replace=True)
    assert drawn.tolist() == ["b", "c", "a", "c", "c", "a"]
    # set.seed(5); sample(c(10, 20, 30))
    assert set_seed(5).sample((10.0, 20.0, 30.0)).tolist() == [20.0, 10.0, 30.0]
    assert set_seed(5).sample(np.array([10, 20, 30])).tolist() == [20, 10, 30]
    assert set_seed(5).sample(range(10, 40, 10)).tolist() == [20, 10, 30]


def test_sample_of_one_element_is_that_element_not_1_to_n() -> None:
    """R's sample(c(5)) is a permutation of 1:5 (R's quirk); Python's sample(5) is that.

    sample([5]) draws the one element 5, spending one uniform as R's sample(1) does.
    """
    # set.seed(1); sample(c(5))
    assert set_seed(1).sample(5).tolist() == [1, 4, 3, 5, 2]
    assert set_seed(1).sample(5.0).tolist() == set_seed(1).sample(np.int32(5)).tolist()
    generator = set_seed(1)
    assert generator.sample([5]).tolist() == [5]
    # set.seed(1); sample(1); runif(2)
    assert_bits_equal(generator.runif(2), [0.37212389963679016, 0.57285336335189641])


def test_sample_and_runif_share_one_stream() -> None:
    generator = set_seed(11)
    # set.seed(11); sample(5); runif(2); sample(40000, 3); runif(1)
    assert generator.sample(5).tolist() == [2, 5, 1, 4, 3]
    assert_bits_equal(generator.runif(2), [0.086495891213417053, 0.28997500916011631])
    assert generator.sample(40000, 3).tolist() == [8076, 28886, 37598]
    assert_bits_equal(generator.runif(1), [0.48176553589291871])


def test_sample_int_is_sample_of_n() -> None:
    assert set_seed(8).sample_int(50, 7).tolist() == set_seed(8).sample(50, 7).tolist()
    assert set_seed(8).sample_int(9).tolist() == set_seed(8).sample(9).tolist()


def test_sample_is_a_permutation_or_a_subset() -> None:
    generator = set_seed(2)
    assert sorted(generator.sample(1000).tolist()) == list(range(1, 1001))
    drawn = generator.sample(70000, 500)  # two uniforms per attempt
    assert len(set(drawn.tolist())) == 500 and drawn.min() >= 1 and drawn.max() <= 70000


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((5, 6), {}, "cannot take a sample larger than the population when 'replace = FALSE'"),
        ((["a", "b"], 3), {}, "cannot take a sample larger than the population"),
        (([], 1), {"replace": True}, "n must be >= 1 to draw size 1"),
        ((2**31,), {}, r"x must be at most 2147483647 \(R's largest integer\)"),
        ((2.0**33, 1), {}, "x must be at most 2147483647"),
        ((10, 2**31), {"replace": True}, "size must be at most 2147483647"),
        ((0,), {}, "x must be a whole number >= 1; got 0"),
        ((-3,), {}, "x must be a whole number >= 1"),
        ((5.5,), {}, "x must be a whole number >= 1; got 5.5"),
        ((math.nan,), {}, "x must be a whole number >= 1"),
        ((True,), {}, "x must be a whole number >= 1; got True"),
        (("abc",), {}, "x must be a whole number >= 1 or a sequence"),
        ((None,), {}, "x must be a whole number >= 1 or a sequence"),
        (([[1, 2], [3, 4]],), {}, "x must be one-dimensional"),
        ((10, -1), {}, "size must be a whole number >= 0; got -1"),
        ((10, 2.5), {}, "size must be a whole number >= 0; got 2.5"),
        ((10, 3), {"replace": "yes"}, "replace must be True or False"),
        ((10, 3), {"replace": 1}, "replace must be True or False"),
        ((10, 3), {"prob": [0.1] * 10}, "prob is not supported"),
    ],
)
def test_sample_refusals(args: tuple[Any, ...], kwargs: dict[str, Any], message: str) -> None:
    generator = set_seed(1)
    with pytest.raises(ValueError, match=message):
        generator.sample(*args, **kwargs)
    # set.seed(1); runif(1): a refusal spends no draws
    assert_bits_equal(generator.runif(1), [0.26550866314209998])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1,), "n must be a whole number >= 0; got -1"),
        ((2**31, 1), "n must be at most 2147483647"),
        ((3, 4), "cannot take a sample larger than the population"),
    ],
)
def test_sample_int_refusals(args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        set_seed(1).sample_int(*args)
