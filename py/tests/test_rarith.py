"""backprop.rarith without R: a few results stored from R 4.2.2 (reference BLAS 3.11, glibc
libm, x86-64), compared to the last bit. parity/tests/test_rarith_live.py checks many
more against live R."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import bits, matmul_in_another_order, one_ulp_up, sum_in_double
from numpy.typing import NDArray

from backprop import rarith

NA = np.array([0x7FF00000000007A2], dtype=np.uint64).view(np.float64)[0]  # R's NA_real_

A = np.array(
    [
        [0.004412, 4.071349, 0.001222],
        [-0.601047, -994.539356, 4.206456],
        [3.281817, 0.045601, 0.031319],
        [0.340332, 0.029803, -129.973852],
    ]
)
B = np.array(
    [
        [-0.001855, 0.004847, -0.008586, -68.351657, -0.466739],
        [0.071003, -43.462617, 0.033699, 0.698907, 0.009955],
        [0.000313, 24.900935, -0.069674, 0.135158, -0.018194],
    ]
)
X = np.array([-7.25, -0.5, 0.1, 1.0 / 3, 2.5, 19.75])

# R's results, as the hex of their 64 bits in R's (column-major) order.
R_RESULTS = {
    "A %*% B": "3fd2802042710622 c051a738dfd17232 bf67443f3a499d46 bfa411a20c66d276 "
    "c0661d7917f5be30 40e52840cbf178cd bff2fa8254314e16 c0a94b87390cf6f7 3fc18bc04be8c922 "
    "c040e6c57c53546f bf9d83cd01881f6c 40221b963662ae2a 40045a4ce3c26078 c0846b83f044a87c "
    "c06c090242ead168 c044677ab7482112 3fa3af8f6f87f6af c02364adedd96200 bff88287db6c1368 "
    "4001a6496cd4c24a",
    "sum(A)": "c091646864020818",
    "mean(A)": "c057308b3002b575",
    "colSums(A)": "40083440af1cb89e c08ef3240d0aaa7e c05f6f07dd441355",
    "rowSums(A)": "40104ed4a1ad6451 c08ef778b9346994 400adeb18116ebd5 c0603351a6506141",
    "exp(X)": "3f47455fe323fafd 3fe368b2fc6f960a 3ff1aec7b35a00d4 3ff6546db1ba2d13 "
    "40285d6fd931e0bb 41b6857cfa1aa8a5",
    "tanh(X)": "bfeffffde2760a41 bfdd9353d7568af3 3fb983d7795f413a 3fd493aa293c8802 "
    "3fef9258260a71c2 3ff0000000000000",
    "log1p(exp(-abs(X)))": "3f4743429ab643f9 3fde5746fdb5c064 3fe49ee5be955d1c 3fe14a2eeaa4665b "
    "3fb4321e1cc6d13f 3e26bbe08139286a",
    "abs(X)^0.37": "4000a6687069f281 3fe8c2d382bb2f2b 3fdb4d142e995c49 3fe54fc1fcd4e434 "
    "3ff6751271a01214 40081fc043538b31",
}

OURS = {
    "A %*% B": lambda: rarith.matmul(A, B),
    "sum(A)": lambda: rarith.rsum(A),
    "mean(A)": lambda: rarith.mean(A),
    "colSums(A)": lambda: rarith.colsums(A),
    "rowSums(A)": lambda: rarith.rowsums(A),
    "exp(X)": lambda: rarith.exp(X),
    "tanh(X)": lambda: rarith.tanh(X),
    "log1p(exp(-abs(X)))": lambda: rarith.log1p(rarith.exp(-np.abs(X))),
    "abs(X)^0.37": lambda: rarith.power(np.abs(X), 0.37),
}


def hex_bits(x: object) -> str:
    return " ".join(f"{int(v):016x}" for v in bits(x))


@pytest.mark.parametrize("name", sorted(R_RESULTS))
def test_stored_r_results(name: str) -> None:
    assert hex_bits(OURS[name]()) == R_RESULTS[name]


def test_slips_miss_r_here() -> None:
    """The stored results catch a port's slips (on every machine: no numpy kernel involved):
    a product added in another order, column and row sums in double (on this A, R's sum
    happens to be the double sum), an exp one ulp off."""
    assert hex_bits(matmul_in_another_order(A, B)) != R_RESULTS["A %*% B"]
    assert hex_bits([sum_in_double(column) for column in A.T]) != R_RESULTS["colSums(A)"]
    assert hex_bits([sum_in_double(row) for row in A]) != R_RESULTS["rowSums(A)"]
    assert hex_bits(one_ulp_up(rarith.exp(X))) != R_RESULTS["exp(X)"]


def test_r_rules_for_specials() -> None:
    """NA trumps NaN in max; sum and mean load NA (it wins); colSums adds from memory."""
    assert bits(rarith.rmax(np.array([np.nan, NA, 1.0]))) == bits(NA)
    assert math.isnan(rarith.rmax(np.array([1.0, np.nan]))) and not rarith.rmax(np.array([])) > 0
    na_quiet = np.array([0x7FF80000000007A2], dtype=np.uint64)
    assert bits(rarith.rsum(np.array([np.nan, NA]))) == na_quiet
    assert bits(rarith.colsums(np.array([[np.nan], [NA]]))) == bits(np.nan)
    assert rarith.rsum(np.array([1e308, 1e308])) == math.inf
    assert rarith.mean(np.array([1e308, 1e308])) == 1e308  # R's second, careful pass
    assert rarith.rsum(np.array([NA, 1.0]), na_rm=True) == 1.0
    assert bits(rarith.log(np.array([-1.0, 0.0]))).tolist() == bits([math.nan, -math.inf]).tolist()
    assert rarith.power(np.array([-math.inf]), 3.0)[0] == -math.inf
    assert rarith.power(np.array([0.0]), -1.0)[0] == math.inf


def test_matmul_shapes_and_zero_extents() -> None:
    assert rarith.matmul(np.ones((2, 0)), np.ones((0, 3))).tolist() == [[0.0] * 3] * 2
    assert rarith.matmul(A[:1], B).shape == (1, 5)
    assert rarith.matmul(A, B[:, :1]).shape == (4, 1)
    assert rarith.crossprod(A).shape == (3, 3)
    with pytest.raises(ValueError, match="non-conformable"):
        rarith.matmul(A, A)


def test_math_module_calls_the_c_librarys_functions() -> None:
    """rarith calls libm's exp, log, tanh and log1p through Python's math module (a quarter of
    a ctypes call's cost): the same functions, so the same bits, here over 300,000
    values spread over each function's whole range."""
    import ctypes
    import ctypes.util

    libm = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.uniform(-745, 709, 100_000), rng.normal(0, 4, 100_000)])
    positive = np.abs(x) * 10.0 ** rng.uniform(-300, 300, x.size)
    above_minus_1 = np.concatenate([positive, np.tanh(x) / 2])  # in log1p's domain, x > -1
    for name, values in [("exp", x), ("tanh", x), ("log", positive), ("log1p", above_minus_1)]:
        c_function = getattr(libm, name)
        c_function.restype, c_function.argtypes = ctypes.c_double, [ctypes.c_double]
        expected = np.array([c_function(v) for v in values.tolist()])
        actual = getattr(rarith, name)(values)
        assert np.array_equal(expected.view(np.uint64), actual.view(np.uint64)), name


def test_numpys_functions_of_an_rarray_are_the_c_librarys() -> None:
    """np.exp, np.log, np.tanh and np.log1p of an RArray are rarith's (libm's, as R's),
    whatever numpy's own kernels give on this processor, and stay RArrays."""
    x = np.random.default_rng(4).uniform(-0.9, 10, size=(50, 40))
    for ufunc in (np.exp, np.log, np.tanh, np.log1p):
        result = ufunc(rarith.as_r(x))
        assert type(result) is rarith.RArray, ufunc.__name__
        assert (bits(result) == bits(getattr(rarith, ufunc.__name__)(x))).all(), ufunc.__name__


def stack(rng: np.random.Generator, shape: tuple[int, ...], specials: bool) -> NDArray[np.float64]:
    x = rng.normal(size=shape) * 10.0 ** rng.uniform(-3, 3, size=shape)
    x[rng.random(shape) < 0.05] = -0.0
    if specials:
        x[rng.random(shape) < 0.05] = rng.choice([np.nan, NA, np.inf, -np.inf, 1e308])
    return x


@pytest.mark.parametrize("specials", [False, True])
@pytest.mark.parametrize("seed", range(30))
def test_a_stack_of_matrices_is_computed_as_each_matrix_alone(seed: int, specials: bool) -> None:
    """Restarts trained together: an RArray stack's ``@`` and sums (at once, when all is
    finite) are R's functions of each matrix, bit for bit, whichever kernel R picks."""
    rng = np.random.default_rng(seed)
    K, n, k, m = rng.integers(1, 5, size=4)
    for a_shape, b_shape in [((K, n, k), (K, k, m)), ((n, k), (K, k, m)), ((K, n, k), (k, m)),
                             ((K, 1, k), (K, k, m)), ((K, n, k), (K, k, 1))]:  # fmt: skip
        a, b = stack(rng, a_shape, specials), stack(rng, b_shape, specials)
        product = np.asarray(rarith.as_r(a) @ rarith.as_r(b))
        for i in range(K):
            alone = rarith.matmul(a[i] if a.ndim == 3 else a, b[i] if b.ndim == 3 else b)
            assert np.array_equal(product[i].view(np.uint64), alone.view(np.uint64))
    x = rarith.as_r(stack(rng, (K, n, m), specials))
    sums = [np.asarray(x.sum(axis=axis)) for axis in [(-2, -1), -2, -1]]
    for i in range(K):
        for total, alone in zip(
            sums, [rarith.rsum(x[i]), rarith.colsums(x[i]), rarith.rowsums(x[i])], strict=True
        ):
            assert np.array_equal(
                np.asarray(total[i]).view(np.uint64), np.asarray(alone).view(np.uint64)
            )


def test_an_r_vector_sums_as_rs_sum() -> None:
    """A vector (1-D RArray) too: R's long-double sum, where numpy's double sum loses 2e-16."""
    x = np.array([1, 1e-16, 1e-16])
    assert np.sum(rarith.as_r(x)) == rarith.rsum(x) == 1.0000000000000002 != np.sum(x)
