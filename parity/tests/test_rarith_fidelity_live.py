"""backprop.rarith against live R where it was once not R's: ``mean`` on an RArray
(``x.mean()``, ``np.mean``, and with an axis ``colMeans``/``rowMeans``) and R's
``^``, which is C's ``pow`` (not ``powl``) on this platform; and the porting
notes' examples, whose R side must start from the same numbers as Python's.

Nothing here asserts how numpy's own kernels behave: those depend on the processor.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Any

import numpy as np
import pytest
from helpers import assert_bits_equal, bits, one_ulp_up, require_live_r
from numpy.typing import NDArray

from backprop import rarith
from backprop.rarith import as_r
from parity.site import porting

R = require_live_r("R's mean and ^ against backprop.rarith are")

NA = np.array([0x7FF00000000007A2], dtype=np.uint64).view(np.float64)[0]  # R's NA_real_


# ------------------------------------------------------------------------- mean


def test_the_mean_of_a_tenth_a_fifth_and_three_tenths_is_r() -> None:
    """R's two passes in long double, not numpy's pairwise sum over n."""
    x = np.array([0.1, 0.2, 0.1 * 3])
    r_mean = float.fromhex("0x1.999999999999ap-3")  # R 4.2.2's mean(c(0.1, 0.2, 0.1 * 3))
    assert_bits_equal(R.call("mean", x), r_mean)
    for ours in (as_r(x).mean(), np.mean(as_r(x)), rarith.mean(x), np.mean(as_r(x[None, :]))):
        assert_bits_equal(ours, r_mean)


def random_values(seed: int) -> NDArray[np.float64]:
    """A vector or a matrix (1 to 40 a side) of both signs, magnitudes 1e-12 .. 1e12,
    a few exact zeros; every fourth seed sprinkles NA, NaN and +-Inf in."""
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(1, 41)),) if seed % 3 == 0 else tuple(rng.integers(1, 41, size=2))
    x = rng.normal(size=shape) * 10.0 ** rng.uniform(-12, 12, size=shape)
    x[rng.random(shape) < 0.03] = 0.0
    if seed % 4 == 0:
        for special in (NA, np.nan, np.inf, -np.inf):
            x[rng.random(shape) < 0.02] = special
    return x


@pytest.mark.parametrize("first_seed", range(0, 300, 50))
def test_mean_of_an_rarray_is_r(first_seed: int) -> None:
    """x.mean(), np.mean(x) and, for a matrix, colMeans and rowMeans by axis: 300 inputs."""
    for seed in range(first_seed, first_seed + 50):
        x = random_values(seed)
        r_mean = R.call("mean", x)
        assert_bits_equal(as_r(x).mean(), r_mean)
        assert_bits_equal(np.mean(as_r(x)), r_mean)
        if x.ndim == 1:
            assert_bits_equal(np.mean(as_r(x), axis=0), r_mean)
            continue
        col_means, row_means = R.call("colMeans", x), R.call("rowMeans", x)
        assert_bits_equal(np.mean(as_r(x), axis=(0, 1)), r_mean)
        assert_bits_equal(as_r(x).mean(axis=0), col_means)
        assert_bits_equal(np.mean(as_r(x), axis=-2), col_means)
        assert_bits_equal(as_r(x).mean(axis=1), row_means)
        assert_bits_equal(np.mean(as_r(x), axis=-1, keepdims=True).ravel(), row_means)
        assert np.mean(as_r(x), axis=0, keepdims=True).shape == (1, x.shape[1])
        assert isinstance(as_r(x).mean(axis=0), rarith.RArray)
        na_rm = {"na.rm": True}
        assert_bits_equal(rarith.colmeans(x, na_rm=True), R.call("colMeans", x, **na_rm))
        assert_bits_equal(rarith.rowmeans(x, na_rm=True), R.call("rowMeans", x, **na_rm))


def test_means_at_the_edges_are_r() -> None:
    """Empty columns (0/0), all-NaN columns under na.rm, overflowing sums, NA against NaN."""
    for x in (
        np.zeros((0, 3)),
        np.zeros((3, 0)),
        np.array([[np.nan, 1.0], [np.nan, 3.0]]),
        np.array([[np.nan, NA], [NA, np.nan]]),
        np.array([[1e308, 1e308], [1e308, -1e308]]),
        np.array([[-0.0, 0.0], [-0.0, -0.0]]),
    ):
        for na_rm in (False, True):
            flag = {"na.rm": na_rm}
            assert_bits_equal(rarith.colmeans(x, na_rm=na_rm), R.call("colMeans", x, **flag))
            assert_bits_equal(rarith.rowmeans(x, na_rm=na_rm), R.call("rowMeans", x, **flag))
        if x.size:
            assert_bits_equal(as_r(x).mean(), R.call("mean", x))


def test_means_of_a_stack_are_each_matrix_s() -> None:
    """Restarts trained together: each matrix's mean, colMeans or rowMeans, as R's."""
    stack = np.stack([random_values(seed) for seed in (1, 1, 1)])  # seed 1: a matrix
    stack[1] *= -3.7
    stack[2] = np.where(stack[2] > 0, 1.5e308, 1e307)  # the sum overflows: R's second way
    means, cols = as_r(stack).mean(axis=(-2, -1)), as_r(stack).mean(axis=-2)
    rows = np.mean(as_r(stack), axis=2)
    for k, m in enumerate(stack):
        assert_bits_equal(means[k], R.call("mean", m))
        assert_bits_equal(cols[k], R.call("colMeans", m))
        assert_bits_equal(rows[k], R.call("rowMeans", m))
    with pytest.raises(ValueError, match="stack"):
        as_r(stack).mean()
    with pytest.raises(ValueError, match="rows or columns"):
        as_r(stack).mean(axis=0)


# ---------------------------------------------------------------------------- ^

_LIBM = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
_POW, _POWL = _LIBM.pow, _LIBM.powl
_POW.restype, _POW.argtypes = ctypes.c_double, [ctypes.c_double, ctypes.c_double]
_POWL.restype, _POWL.argtypes = ctypes.c_longdouble, [ctypes.c_longdouble, ctypes.c_longdouble]


def pow_and_powl(x: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[NDArray[Any], ...]:
    """C's pow(x, y), and powl(x, y) rounded to double (as R's ``return powl(x, y)``
    in a function returning double would round it; ctypes rounds so)."""
    pairs = list(zip(x.tolist(), y.tolist(), strict=True))
    return np.array([_POW(u, v) for u, v in pairs]), np.array([_POWL(u, v) for u, v in pairs])


def test_r_power_is_c_pow_not_powl() -> None:
    """Where the C library's pow and powl round differently, R's ``^`` is pow's
    (R_pow calls powl only in 64-bit Windows builds), and so are rarith.power,
    an RArray's ``**`` and a Python float's ``**``."""
    rng = np.random.default_rng(0)
    x = np.append(10.0 ** rng.uniform(-8, 8, 100_000), 13392838.056478465)
    y = np.append(rng.uniform(-20, 20, 100_000), 12.178758797125354)
    c_pow, c_powl = pow_and_powl(x, y)
    apart = bits(c_pow) != bits(c_powl)
    print(f"\npow and powl round differently for {apart.sum()} of {x.size} pairs")
    assert apart.sum() >= 10  # about 90 with glibc 2.36
    x, y, c_pow, c_powl = x[apart], y[apart], c_pow[apart], c_powl[apart]
    r_power = R.call("^", x, y)
    assert_bits_equal(r_power, c_pow)
    assert not (bits(r_power) == bits(c_powl)).any()
    assert_bits_equal(rarith.power(x, y), r_power)
    assert_bits_equal(as_r(x) ** y, r_power)
    assert_bits_equal([u**v for u, v in zip(x.tolist(), y.tolist(), strict=True)], r_power)


# ------------------------------------------------------ the porting notes' examples


def test_r_reads_the_porting_notes_inputs_exactly() -> None:
    """The measured notes write their inputs into R code as Python's repr: R's
    parser (which is not always correctly rounded for 17 digits) must read each
    of them as the same double, or R's side would start from another number."""
    for values in (porting.exp_inputs(), np.arange(-9, 10) / 10):
        assert_bits_equal(R.eval(f"c({', '.join(map(repr, values.tolist()))})"), values)


def r_example_prints(note: porting.PortingNote) -> float:
    """The number the note's R example prints (sprintf's "%.17g")."""
    return float(str(R.eval(f"local({{\n{note.r}\n}})")[0]))


def test_the_measured_notes_r_examples_print_r_s_number() -> None:
    """Whatever numpy does here: the R example prints what Python says R's arithmetic
    gives (math.exp, the first number; as_r()'s @, the second)."""
    exp_note, matmul_note = porting.exp_note(), porting.matmul_note()
    assert r_example_prints(exp_note) == float(exp_note.run_python().split()[0])
    assert r_example_prints(matmul_note) == float(matmul_note.run_python().split()[1])


def test_a_chosen_example_is_r_s_number_too() -> None:
    """An example taken from the measurement (here a fake @ that differs from R's at
    the first product with a positive corner) is read and computed alike in R."""

    def product(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
        c = rarith.matmul(a, b)
        if a[0, 0] > 0:
            c[2, 1] = one_ulp_up(c[2, 1])
        return c

    note = porting.matmul_note(product)
    assert "[3, 2]" in note.r
    assert r_example_prints(note) == float(note.run_python().split()[1])
