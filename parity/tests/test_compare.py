"""The comparison's arithmetic: ulps, relative diffs, shapes, horizons (no R needed)."""

from __future__ import annotations

import numpy as np
import pytest

from parity.compare import TOLERANCE, Tolerance, agreement_horizon, diff, ulp_distance

TINY = 5e-324  # the smallest positive (subnormal) double


@pytest.mark.parametrize(
    ("a", "b", "ulps"),
    [
        (1.0, 1.0, 0),
        (1.0, np.nextafter(1.0, 2.0), 1),
        (1.0, np.nextafter(1.0, 0.0), 1),
        (0.0, -0.0, 0),
        (0.0, TINY, 1),
        (-TINY, TINY, 2),  # -TINY, -0.0 == 0.0, TINY
        (-1.0, -np.nextafter(1.0, 2.0), 1),
        (1.0, 2.0, 2**52),  # one binade holds 2**52 doubles
        (-1.0, 1.0, 2 * 0x3FF0_0000_0000_0000),  # both sides of zero, counted exactly
        (np.finfo(np.float64).max, np.inf, 1),
        (-np.inf, np.inf, 2 * 0x7FF0_0000_0000_0000),  # no overflow across the whole line
    ],
)
def test_ulp_distance_is_exact(a: float, b: float, ulps: int) -> None:
    assert int(ulp_distance(a, b)) == ulps
    assert int(ulp_distance(b, a)) == ulps


def test_diff_reports_the_largest_abs_rel_and_ulp_gaps() -> None:
    r = np.array([[1.0, 2.0], [0.0, -4.0]])
    py = np.array([[1.0, 2.0 + 2e-15], [0.0, -4.0 * (1 + 1e-12)]])
    d = diff(r, py)
    assert d.same_shape and d.within
    assert d.max_abs == pytest.approx(4e-12, rel=1e-3)
    assert d.max_rel == pytest.approx(1e-12, rel=1e-3)
    assert d.max_ulps == int(ulp_distance(-4.0, -4.0 * (1 + 1e-12)))


def test_diff_fails_beyond_the_tolerance() -> None:
    d = diff(np.array([1.0]), np.array([1.0 + 2e-10]))
    assert not d.within
    assert d.max_rel == pytest.approx(2e-10, rel=1e-6)


def test_atol_only_helps_near_zero() -> None:
    assert diff([0.0], [TOLERANCE.atol]).within
    assert not diff([0.0], [2 * TOLERANCE.atol]).within
    assert not diff([1.0], [1.0 + 2 * TOLERANCE.rtol]).within


def test_a_transposed_matrix_fails_on_shape_and_is_not_compared() -> None:
    W = np.arange(6.0).reshape(2, 3)
    d = diff(W, W.T)
    assert not d.same_shape and not d.within
    assert (d.shape_expected, d.shape_actual) == ((2, 3), (3, 2))
    assert d.max_abs is None and d.max_rel is None and d.max_ulps is None


def test_a_vector_is_not_a_column_matrix() -> None:
    assert not diff(np.ones(3), np.ones((3, 1))).within


def test_nan_never_passes() -> None:
    assert not diff([np.nan], [np.nan]).within
    assert not diff([1.0], [np.nan]).within


def test_empty_quantities_agree() -> None:
    d = diff(np.empty(0), np.empty(0))
    assert d.within and d.max_abs == 0.0 and d.max_ulps == 0


def test_agreement_horizon_is_the_last_agreeing_iteration() -> None:
    a = np.array([1.0, 0.5, 0.25, 0.125])
    assert agreement_horizon(a, a) == 4
    assert agreement_horizon(a, a * [1, 1, 1.01, 1]) == 2  # iterations 1 and 2 agree
    assert agreement_horizon(a, a * [1.01, 1, 1, 1]) == 0
    assert agreement_horizon(np.empty(0), np.empty(0)) == 0


def test_tolerance_scales_both_parts() -> None:
    assert Tolerance(rtol=1e-10, atol=1e-15).scaled(1e-3) == Tolerance(rtol=1e-13, atol=1e-18)
