"""R's arithmetic on doubles, bit for bit: each primitive written from R 4.2.2's C source.

numpy computes the same mathematics in other orders: ``A @ B`` goes to a blocked
BLAS, ``np.sum`` sums pairwise, ``np.exp`` has its own SIMD code, chosen by the
processor (with AVX-512 it differs from the C library's; elsewhere it may not).
Each can give a last-bit difference now and then. The functions here do what R
does, in R's order and precision, so their results are R's to the last bit
(checked against live R in parity/tests/test_rarith_live.py and
test_rarith_fidelity_live.py):

- ``matmul``: R's ``%*%`` (src/main/array.c ``matprod``), which on this machine
  calls the reference BLAS ``dgemm``/``dgemv`` (src/extra/blas/blas.f, the same
  code as Debian's libblas3 3.11) or, when an operand may hold NaN or Inf,
  R's own ``simple_matprod``. ``crossprod`` is R's ``crossprod(x, y)``.
- ``rsum``, ``mean``, ``colsums``, ``rowsums``, ``colmeans``, ``rowmeans``:
  src/main/summary.c ``rsum``, ``real_mean``; src/main/array.c ``do_colsum``.
  All accumulate in C's ``long double`` (``LDOUBLE``), which on x86-64 is the
  x87 80-bit format, as numpy's ``np.longdouble`` is here.
- ``rmax``: summary.c ``rmax`` as ``do_summary`` uses it for ``max(x)``.
- ``exp``, ``log``, ``tanh``, ``log1p``: src/main/arithmetic.c ``math1`` over
  the C library's functions (``R_log`` for log), called here through Python's
  math module, which calls the same functions.
- ``square``, ``power``: arithmetic.h ``R_POW`` and arithmetic.c ``R_pow``
  (the C library's pow through ctypes). R_pow calls ``powl`` only where
  ``USE_POWL_IN_R_POW`` is defined, which R's sources do for 64-bit Windows
  alone; on Linux x86-64 it calls ``pow``, and R's ``^`` equals ``pow`` where
  ``pow`` and ``powl`` round differently (test_rarith_fidelity_live.py).

Matrices are 2-D float64 numpy arrays, indexed as R indexes them; "column-major
order" below is R's storage order, which the loops follow where it matters.

Where every operand is finite (the common case), ``%*%``, ``sum``, ``exp``,
``log``, ``tanh`` and ``log1p`` are computed by the compiled core ``backprop._rarith``
(py/backprop/_rarith.c, built by ``pip install``): the same loops in C, with
no numpy call per step of a loop. The Python below stays the reference, and
computes what the core leaves (NaN and Inf, whose bits depend on the
instructions R's compiled code uses; stacks with an empty extent); a test
holds the two to the same bits, and both to live R.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from backprop.checks import Matrix, check_name

try:  # the compiled core (py/backprop/_rarith.c); without it, the Python below
    import backprop._rarith as _core
except ImportError:  # pragma: no cover -- a build without a C compiler
    _core = None  # type: ignore[assignment]


DBL_MAX = np.finfo(np.float64).max
# R's NaN is C99's NAN (arithmetic.c InitArithmetic): 0x7FF8000000000000.
R_NAN = float("nan")

# The C library's pow, as R's compiled code calls it. (exp, log, tanh and
# log1p are called through Python's math module, which calls the same libm
# functions and costs a quarter of a ctypes call; py/tests/test_rarith.py
# holds the two ways to the same bits.) And its log1p, for where Python's
# math.log1p raises instead of answering (x <= -1).
_LIBM = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
_C_POW = _LIBM.pow
_C_POW.restype = ctypes.c_double
_C_POW.argtypes = [ctypes.c_double, ctypes.c_double]
_C_LOG1P = _LIBM.log1p
_C_LOG1P.restype = ctypes.c_double
_C_LOG1P.argtypes = [ctypes.c_double]


# R computes overflows, Inf - Inf and 0 * Inf silently: so do these functions.
_silent = np.errstate(all="ignore")


def _matrix(x: ArrayLike) -> Matrix:
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 2:
        raise ValueError(f"expected a matrix (2-D array); got {a.ndim} dimensions")
    return a


# ---------------------------------------------------------------- %*% (array.c)


def _may_have_nan_or_inf(x: Matrix) -> bool:
    """array.c ``mayHaveNaNOrInf``: R's quick, imprecise test, in column-major order.

    It adds neighbouring pairs and asks whether the sum is finite, so two large
    finite values whose sum overflows also count (R then takes the non-BLAS
    path, which gives the same numbers for finite operands).
    """
    if x.size and np.abs(x).max() <= DBL_MAX / 2:  # (also False for NaN) no pair can
        return False  # overflow, and nothing is NaN or Inf: the answer, quickly
    flat = x.ravel(order="F")
    n = flat.size
    if n & 1 and not math.isfinite(flat[0]):
        return True
    rest = flat[n & 1 :]
    with np.errstate(over="ignore", invalid="ignore"):
        pairs = rest[0::2] + rest[1::2]
    return not bool(np.isfinite(pairs).all())


def _dgemm_nn(a: Matrix, b: Matrix) -> Matrix:
    """blas.f ``DGEMM`` with TRANSA = TRANSB = 'N', ALPHA = 1, BETA = 0.

    Fortran's loop (``C(I,J) = ZERO`` first, as BETA is zero)::

        DO 90 J = 1,N
            DO 80 L = 1,K
                TEMP = ALPHA*B(L,J)
                DO 70 I = 1,M
                    C(I,J) = C(I,J) + TEMP*A(I,L)

    Each C(I,J) thus accumulates over L in order, from zero, adding TEMP*A(I,L);
    the loops over I and J are independent, so numpy runs them as one outer
    product per L (for a stack of matrices, one per matrix at once). ALPHA*B(L,J)
    with ALPHA = 1 is B(L,J) exactly.
    """
    c = np.zeros((a.shape[-2], b.shape[-1]))  # broadcast to a stack's shape by the first +
    for l in range(a.shape[-1]):  # noqa: E741 -- the Fortran's name
        temp = 1.0 * b[..., l, :]
        c = c + temp[..., np.newaxis, :] * a[..., :, l, np.newaxis]
    return c


def _dgemv_n(a: Matrix, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """blas.f ``DGEMV`` with TRANS = 'N', ALPHA = 1, BETA = 0, unit strides.

    ``Y(I) = ZERO``, then ``DO 60 J: TEMP = ALPHA*X(JX); DO 50 I: Y(I) = Y(I) + TEMP*A(I,J)``.
    """
    y = np.zeros(a.shape[-2])
    for j in range(a.shape[-1]):
        temp = 1.0 * x[..., j, np.newaxis]
        y = y + temp * a[..., :, j]
    return y


def _dgemv_t(a: Matrix, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """blas.f ``DGEMV`` with TRANS = 'T', ALPHA = 1, BETA = 0, unit strides.

    ``DO 100 J: TEMP = ZERO; DO 90 I: TEMP = TEMP + A(I,J)*X(I); Y(JY) = Y(JY) + ALPHA*TEMP``
    with ``Y = ZERO`` first: a dot product per column of A, summed in order from zero.
    """
    temp = np.zeros(a.shape[-1])
    for i in range(a.shape[-2]):
        temp = temp + a[..., i, :] * x[..., i, np.newaxis]
    return np.zeros(temp.shape) + 1.0 * temp


_QUIET = np.uint64(0x0008000000000000)


def _sse(op: Callable[..., NDArray[np.float64]], a: Any, b: Any) -> NDArray[np.float64]:
    """``a op b`` as the SSE2 instruction in R's compiled C computes it, NaN bits included.

    When both operands are NaN, ``addsd``/``mulsd`` return the first (destination)
    operand, quieted; numpy's vectorised loops may return either. That decides
    whether R's ``NA + NaN`` in a loop is NA or NaN.
    """
    a64 = np.asarray(a, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        result = np.asarray(op(a64, b), dtype=np.float64)
    both = np.isnan(a64) & np.isnan(b)
    if both.any():
        result = result.copy()
        first = np.broadcast_to(a64, result.shape)[both]
        result[both] = (first.view(np.uint64) | _QUIET).view(np.float64)
    return result


def _simple_matprod(x: Matrix, y: Matrix) -> Matrix:
    """array.c ``simple_matprod``: ``MATPROD_BODY`` with a ``double`` (not long double) sum.

    ``for i: for k: sum = 0.0; for j: sum += x[i + j*NRX] * y[j + k*NRY]; z[i + k*NRX] = sum``
    """
    z = np.zeros((x.shape[0], y.shape[1]))
    for j in range(x.shape[1]):
        z = _sse(np.add, z, _sse(np.multiply, x[:, j, np.newaxis], y[np.newaxis, j, :]))
    return z


def matmul(x: ArrayLike, y: ArrayLike) -> Matrix:
    """R's ``x %*% y`` for double matrices (array.c ``matprod``, R_Matprod = "default").

    Zero extents give zeros. If either operand may hold NaN or Inf
    (``mayHaveNaNOrInf``), R does not trust the BLAS and uses ``simple_matprod``.
    Otherwise it calls the BLAS: ``dgemv('N')`` when y has one column,
    ``dgemv('T')`` on y with x as the vector when x has one row, else
    ``dgemm('N', 'N')``. ``t(A) %*% B`` is this on the transposed copy R's
    ``t()`` makes: pass ``A.T``.
    """
    a, b = _matrix(x), _matrix(y)
    nrx, ncx = a.shape
    nry, ncy = b.shape
    if ncx != nry:
        raise ValueError(f"non-conformable arguments: ({nrx}, {ncx}) %*% ({nry}, {ncy})")
    if 0 in (nrx, ncx, nry, ncy):
        return np.zeros((nrx, ncy))
    if _core is not None:
        out = np.empty((nrx, ncy))
        if _core.matprod(a, b, out):  # every entry finite, at most DBL_MAX / 2
            return out
    return _matprod(a, b)


@_silent
def _matprod(a: Matrix, b: Matrix) -> Matrix:
    """matprod's two roads, in Python."""
    if _may_have_nan_or_inf(a) or _may_have_nan_or_inf(b):
        return _simple_matprod(a, b)
    return _blas_matprod(a, b)


def _blas_matprod(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """matprod's BLAS call for finite matrices, or for stacks of them at once."""
    if b.shape[-1] == 1:  # matrix-vector or dot product
        return _dgemv_n(a, b[..., :, 0])[..., np.newaxis]
    if a.shape[-2] == 1:  # vector-matrix, computed as (Y^T)(x^T)
        return _dgemv_t(b, a[..., 0, :])[..., np.newaxis, :]
    return _dgemm_nn(a, b)


def _simple_crossprod(x: Matrix, y: Matrix) -> Matrix:
    """array.c ``simple_crossprod``: ``CROSSPROD_BODY`` with a ``double`` sum.

    ``for i: for k: sum = 0.0; for j: sum += x[j + i*NRX] * y[j + k*NRY]; z[i + k*NCX] = sum``
    """
    z = np.zeros((x.shape[1], y.shape[1]))
    for j in range(x.shape[0]):
        z = _sse(np.add, z, _sse(np.multiply, x[j, :, np.newaxis], y[np.newaxis, j, :]))
    return z


def _dgemm_tn(a: Matrix, b: Matrix) -> Matrix:
    """blas.f ``DGEMM`` with TRANSA = 'T', TRANSB = 'N', ALPHA = 1, BETA = 0.

    ``DO J: DO I: TEMP = ZERO; DO L: TEMP = TEMP + A(L,I)*B(L,J); C(I,J) = ALPHA*TEMP``
    """
    temp = np.zeros((a.shape[1], b.shape[1]))
    for l in range(a.shape[0]):  # noqa: E741 -- the Fortran's name
        temp = temp + a[l, :, np.newaxis] * b[np.newaxis, l, :]
    return 1.0 * temp


def _dsyrk_ut(a: Matrix) -> Matrix:
    """blas.f ``DSYRK`` with UPLO = 'U', TRANS = 'T', ALPHA = 1, BETA = 0, then R's mirror.

    ``DO J: DO I = 1,J: TEMP = ZERO; DO L: TEMP = TEMP + A(L,I)*A(L,J); C(I,J) = ALPHA*TEMP``;
    array.c ``symcrossprod`` copies the upper triangle into the lower one.
    """
    upper = _dgemm_tn(a, a)
    return np.triu(upper) + np.triu(upper, 1).T


@_silent
def crossprod(x: ArrayLike, y: ArrayLike | None = None) -> Matrix:
    """R's ``crossprod(x, y)`` = t(x) %*% y for double matrices (array.c ``crossprod``).

    Without y, array.c ``symcrossprod`` calls ``dsyrk`` (or ``simple_crossprod``
    when x may hold NaN or Inf). With y: ``dgemv('T')`` on x when y has one
    column, ``dgemv('T')`` on y when x has one column, else ``dgemm('T', 'N')``.
    """
    a = _matrix(x)
    b = a if y is None else _matrix(y)
    nrx, ncx = a.shape
    nry, ncy = b.shape
    if nrx != nry:
        raise ValueError(f"non-conformable arguments: t({nrx}, {ncx}) %*% ({nry}, {ncy})")
    if 0 in (nrx, ncx, nry, ncy):
        return np.zeros((ncx, ncy))
    if _may_have_nan_or_inf(a) or (y is not None and _may_have_nan_or_inf(b)):
        return _simple_crossprod(a, b)
    if y is None:
        return _dsyrk_ut(a)
    if ncy == 1:
        return _dgemv_t(a, b[:, 0])[:, np.newaxis]
    if ncx == 1:
        return _dgemv_t(b, a[:, 0])[np.newaxis, :]
    return _dgemm_tn(a, b)


# ------------------------------------------------------- sums (summary.c, array.c)


def _column_major(x: ArrayLike) -> NDArray[np.float64]:
    """x's values in R's storage order (a vector stays as it is)."""
    return np.asarray(x, dtype=np.float64).ravel(order="F")


def rsum(x: ArrayLike, na_rm: bool = False) -> float:
    """R's ``sum(x)`` of one double vector or matrix (summary.c ``rsum`` and ``do_summary``).

    ``LDOUBLE s = 0.0; for k: if (!narm || !ISNAN(x[k])) s += x[k];`` in storage
    order, then ``s > DBL_MAX`` gives Inf, ``s < -DBL_MAX`` gives -Inf, else
    ``(double) s``; ``do_summary`` adds that to its double ``zcum.r = 0``.
    """
    if _core is not None and not na_rm:
        a = np.asarray(x, dtype=np.float64)
        if a.ndim in (1, 2):
            total = _core.rsum(a)  # None when an entry is NaN or Inf
            if total is not None:
                return float(total)
    return _rsum(x, na_rm)


@_silent
def _rsum(x: ArrayLike, na_rm: bool) -> float:
    """rsum in Python: NaN and Inf included."""
    values = _column_major(x)
    if na_rm:
        values = values[~np.isnan(values)]
    s = _long_double_sum(values)
    total = math.inf if s > DBL_MAX else -math.inf if s < -DBL_MAX else float(s)
    return 0.0 + total if values.size else 0.0


def _long_double_sum(values: NDArray[Any]) -> np.longdouble:
    """``LDOUBLE s = 0.0; for (k = 0; k < n; k++) s += x[k];`` (summary.c's loops)."""
    if not values.size:
        return np.longdouble(0.0)
    if np.isfinite(values).all():  # no NaN whose bits could depend on the order of loads
        return np.cumsum(values, dtype=np.longdouble)[-1] + 0.0  # see _sequential_sums
    s = np.longdouble(0.0)
    for value in values:
        s += value
    return s


def _sequential_sums(x: NDArray[Any], axis: int) -> NDArray[np.longdouble]:
    """Sums along ``axis`` in long double, each added in order from 0.0 as R's C loops
    add: numpy's cumulative sum is sequential (its reductions are pairwise); + 0.0
    is the loops' starting zero, which turns a sum of -0s into +0."""
    if x.shape[axis] == 0:
        return np.zeros(np.delete(x.shape, axis), dtype=np.longdouble)
    return np.take(np.cumsum(x, axis=axis, dtype=np.longdouble), -1, axis=axis) + 0.0


def _rounded(s: Any) -> NDArray[np.float64]:
    """summary.c's ``s > DBL_MAX ? R_PosInf : s < -DBL_MAX ? R_NegInf : (double) s``."""
    return np.where(s > DBL_MAX, math.inf, np.where(s < -DBL_MAX, -math.inf, np.float64(s)))


@_silent
def mean(x: ArrayLike) -> float:
    """R's ``mean(x)`` of doubles (mean.default's ``.Internal(mean(x))``: summary.c ``real_mean``).

    The long double sum over n, then one correction pass ``s += sum(x[k] - s)/n``;
    if the first sum overflows, R sums ``x[k]/n`` instead (a double division)
    and corrects with ``sum((x[k] - s)/n)``.
    """
    dx = _column_major(x)
    n = dx.size
    s = _long_double_sum(dx)
    finite_s = math.isfinite(float(np.float64(s)))
    if finite_s:
        s /= np.longdouble(n)
    else:  # infinite s, maybe just overflowed; try to use smaller terms
        s = _long_double_sum(dx / np.float64(n))  # double / R_xlen_t: a double division
    if finite_s and math.isfinite(float(np.float64(s))):
        s += _long_double_sum(dx.astype(np.longdouble) - s) / np.longdouble(n)
    elif math.isfinite(float(np.float64(s))):  # was infinite: more careful
        s += _long_double_sum((dx.astype(np.longdouble) - s) / np.longdouble(n))
    return float(np.float64(s))


def _is_signalling(x: NDArray[np.float64]) -> NDArray[np.bool_]:
    """NaNs with the quiet bit clear: R's NA (0x7FF00000000007A2) is one."""
    return np.isnan(x) & ((x.view(np.uint64) & _QUIET) == 0)


def _fadd_memory(total: NDArray[np.longdouble], x: NDArray[np.float64]) -> NDArray[np.longdouble]:
    """``total += x`` as x87 ``fadd m64`` does it, with the double x as a memory operand.

    Only NaN bits depend on it: for a signalling NaN operand (R's NA) and a
    quiet NaN total the x87 returns the total, while numpy first loads x (which
    quiets it) and then returns the NaN with the larger significand, NA. R's
    ``sum``/``mean`` loops load their operands (NaN then NA sums to NA); the
    ``colSums``/``rowSums`` loops add from memory (NaN then NA gives NaN):
    measured on R 4.2.2 here, so NA versus NaN in those results matches R too.
    """
    keep = np.isnan(total) & _is_signalling(x)
    with np.errstate(invalid="ignore"):
        added = total + x
    return np.where(keep, total, added)


@_silent
def colsums(x: ArrayLike, na_rm: bool = False) -> NDArray[np.float64]:
    """R's ``colSums(x)`` of a double matrix (array.c ``do_colsum``, OP 0).

    Per column: ``LDOUBLE sum = 0.; for i: sum += x[i, j]`` (skipping NaN under
    na.rm), then ``(double) sum``.
    """
    return _sums_along(_matrix(x), -2, na_rm)


@_silent
def rowsums(x: ArrayLike, na_rm: bool = False) -> NDArray[np.float64]:
    """R's ``rowSums(x)`` of a double matrix (array.c ``do_colsum``, OP 2).

    R accumulates column by column into a long double row vector
    (``*ra++ += *rx++``; NaN skipped under na.rm), then ``(double) rans[i]``.
    """
    return _sums_along(_matrix(x), -1, na_rm)


@_silent
def colmeans(x: ArrayLike, na_rm: bool = False) -> NDArray[np.float64]:
    """R's ``colMeans(x)`` of a double matrix (array.c ``do_colsum``, OP 1).

    ``colSums``'s long double sum, then ``sum /= cnt`` in long double (cnt: the
    column's length, or its values that are not NaN under na.rm; 0 gives NaN),
    then ``(double) sum``: one rounding, and no second pass as ``mean`` has.
    """
    return _means_along(_matrix(x), -2, na_rm)


@_silent
def rowmeans(x: ArrayLike, na_rm: bool = False) -> NDArray[np.float64]:
    """R's ``rowMeans(x)`` of a double matrix (array.c ``do_colsum``, OP 3).

    ``rowSums``'s long double row vector, each ``rans[i] /= p`` (or by its count
    of values that are not NaN under na.rm) in long double, then ``(double)``.
    """
    return _means_along(_matrix(x), -1, na_rm)


def _sums_along(a: NDArray[np.float64], axis: int, na_rm: bool) -> NDArray[np.float64]:
    """do_colsum's sums over the rows (axis -2) or the columns (-1) of a matrix or of
    each matrix of a stack, rounded to double."""
    return _long_double_sums_along(a, axis, na_rm).astype(np.float64)


@_silent
def _means_along(a: NDArray[np.float64], axis: int, na_rm: bool) -> NDArray[np.float64]:
    """do_colsum's means: each long double sum divided by its count, then rounded."""
    count = (~np.isnan(a)).sum(axis=axis) if na_rm else a.shape[axis]
    sums = _long_double_sums_along(a, axis, na_rm)
    return (sums / np.asarray(count, dtype=np.longdouble)).astype(np.float64)


def _long_double_sums_along(a: NDArray[np.float64], axis: int, na_rm: bool) -> NDArray[Any]:
    """do_colsum's long double sums over the rows (axis -2) or the columns (-1) of a
    matrix or of each matrix of a stack; a NaN skipped under na.rm adds 0."""
    if na_rm:
        a = np.where(np.isnan(a), 0.0, a)
    if not np.isnan(a).any():  # no NaN bits to decide
        return _sequential_sums(a, axis)
    total = np.zeros(np.delete(a.shape, axis), dtype=np.longdouble)
    for part in np.moveaxis(a, axis, 0):
        total = _fadd_memory(total, part)
    return total


def _is_na(value: float) -> bool:
    """R's ``ISNA``: a NaN whose low 32 bits are 1954."""
    return math.isnan(value) and (int(np.float64(value).view(np.uint64)) & 0xFFFFFFFF) == 1954


@_silent
def rmax(x: ArrayLike, na_rm: bool = False) -> float:
    """R's ``max(x)`` of one double vector or matrix (summary.c ``rmax``, ``do_summary``).

    In storage order: a NaN replaces the running value unless that is NA
    ("any NA trumps all NaNs"), so the answer is the first NA, else the last
    NaN; otherwise ``x[k] > s`` keeps the first of equal values (max(-0, 0) is
    -0). ``do_summary`` starts from -Inf and adds a NaN to it (keeping the
    NaN's bits) or takes a larger value; an empty x gives -Inf (R also warns).
    """
    s = 0.0
    updated = False
    for value in _column_major(x):
        if math.isnan(value):
            if not na_rm:
                if not _is_na(s):
                    s = value
                updated = True
        elif not updated or value > s:
            s = value
            updated = True
    zcum = -math.inf
    if updated:
        if math.isnan(s):
            zcum = s if _is_na(s) else float(np.float64(zcum) + np.float64(s))
        elif s > zcum:
            zcum = s
    return zcum


# ---------------------------------------------------- elementwise (arithmetic.c)


def _r_log(x: float) -> float:
    """arithmetic.h ``R_log``: ``x > 0 ? log(x) : x == 0 ? R_NegInf : R_NaN``."""
    return math.log(x) if x > 0 else -math.inf if x == 0 else R_NAN


def _c_exp(x: float) -> float:
    """The C library's exp: Python's math.exp, whose overflow error is libm's Inf."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _c_log1p(x: float) -> float:
    """The C library's log1p: Python's math.log1p, or for x <= -1 (where it raises) the
    C function itself (-Inf at -1, its NaN below)."""
    return math.log1p(x) if x > -1 else float(_C_LOG1P(x))


def _math1(x: ArrayLike, f: Callable[[float], float], which: int) -> NDArray[np.float64]:
    """arithmetic.c ``math1``: ``y[i] = f(x[i])``; a NaN from a NaN input is that input.

    ``which`` names f to the compiled core: 0 exp, 1 R_log, 2 tanh, 3 log1p."""
    a = np.asarray(x, dtype=np.float64)
    if _core is not None and 1 <= a.ndim <= 3:
        out = np.empty(a.shape)
        _core.math1(a, out, which)
        return out
    return _math1_python(a, f)


@_silent
def _math1_python(a: NDArray[np.float64], f: Callable[[float], float]) -> NDArray[np.float64]:
    """math1 in Python, value by value."""
    y = np.fromiter(map(f, a.ravel().tolist()), dtype=np.float64, count=a.size).reshape(a.shape)
    return np.where(np.isnan(y) & np.isnan(a), a, y)


def exp(x: ArrayLike) -> NDArray[np.float64]:
    """R's ``exp(x)``: the C library's exp per element (arithmetic.c ``math1``)."""
    return _math1(x, _c_exp, 0)


def log(x: ArrayLike) -> NDArray[np.float64]:
    """R's ``log(x)`` (one argument): ``math1(x, R_log)`` (arithmetic.c ``do_log``)."""
    return _math1(x, _r_log, 1)


def tanh(x: ArrayLike) -> NDArray[np.float64]:
    """R's ``tanh(x)``: the C library's tanh per element (arithmetic.c ``math1``)."""
    return _math1(x, math.tanh, 2)


def log1p(x: ArrayLike) -> NDArray[np.float64]:
    """R's ``log1p(x)`` = log(1 + x): the C library's log1p per element (arithmetic.c
    ``math1``)."""
    return _math1(x, _c_log1p, 3)


@_silent
def square(x: ArrayLike) -> NDArray[np.float64]:
    """R's ``x^2``: arithmetic.h ``R_POW`` computes ``y == 2.0 ? x * x : R_pow(x, y)``."""
    a = np.asarray(x, dtype=np.float64)
    return a * a


def _r_pow(x: float, y: float) -> float:
    """arithmetic.c ``R_pow(x, y)``, case by case, with the C library's pow for finite x, y."""
    if y == 2.0:
        return x * x
    if x == 1.0 or y == 0.0:
        return 1.0
    if x == 0.0:
        if y > 0.0:
            return 0.0
        if y < 0:
            return math.inf
        return y  # NA or NaN
    if math.isfinite(x) and math.isfinite(y):
        return float(_C_POW(x, y))
    if math.isnan(x) or math.isnan(y):
        return float(np.float64(x) + np.float64(y))  # the hardware's NaN, as C's x + y
    if not math.isfinite(x):
        if x > 0:  # Inf ^ y
            return 0.0 if y < 0.0 else math.inf
        if math.isfinite(y) and y == math.floor(y):  # (-Inf) ^ n
            # myfmod(y, 2.) != 0, for a finite whole y, is "y is odd"
            return 0.0 if y < 0.0 else (x if math.fmod(y, 2.0) != 0 else -x)
    if not math.isfinite(y) and x >= 0:
        if y > 0:  # y == +Inf
            return math.inf if x >= 1 else 0.0
        return math.inf if x < 1 else 0.0  # y == -Inf
    return R_NAN  # (-Inf)^{+-Inf, non-int}; (neg)^{+-Inf}


@_silent
def power(x: ArrayLike, y: ArrayLike) -> NDArray[np.float64]:
    """R's ``x ^ y`` for doubles: ``R_POW`` per element (x and y broadcast as numpy does)."""
    a, b = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
    z = np.empty(a.shape)
    for index in np.ndindex(a.shape):
        z[index] = _r_pow(float(a[index]), float(b[index]))
    return z


class RArray(np.ndarray):
    """A float64 matrix whose arithmetic is R's, so that the idiomatic twins run on
    it unchanged and compute what R computes, to the last bit.

    ``@`` is R's ``%*%`` (``matmul``); ``.sum()``, hence ``np.sum``, is R's ``sum``,
    and with ``axis`` over the rows or the columns R's ``colSums`` or
    ``rowSums``; ``.mean()``, hence ``np.mean``, is R's ``mean``, ``colMeans`` or
    ``rowMeans`` likewise; the ufuncs ``np.exp``, ``np.log``, ``np.tanh`` and
    ``np.log1p`` are the C library's, and ``x ** y`` is R's ``^`` (``x * x`` for 2).
    Every other operation numpy does on doubles (``+ - * /``, ``sqrt``, ``max``,
    ``abs``, comparisons) is IEEE arithmetic, the same in R, and is left to numpy. Results of
    operations on an RArray, and of numpy's functions on it (``np.where``), are
    RArrays, so R's arithmetic spreads through a computation from its inputs
    (``as_r(X)``). What it cannot reach: arithmetic on Python scalars, such as
    Adam's ``beta1 ** t``. A Python float's ``**`` is C's ``pow``, as R's ``^`` is
    (``R_pow``; ``powl`` only in 64-bit Windows builds of R), except at ``t == 2``,
    where R computes ``beta1 * beta1`` and ``pow`` can be one ulp away.
    """

    def __matmul__(self, other: Any) -> RArray:
        a, b = self.view(np.ndarray), np.asarray(other)
        if a.ndim == b.ndim == 2 and _core is not None and a.dtype is b.dtype is _FLOAT64:
            m, n = a.shape[0], b.shape[1]
            if a.shape[1] == b.shape[0] and m and n and a.shape[1]:  # R's %*%, compiled
                out = np.empty((m, n))
                if _core.matprod(a, b, out):
                    return out.view(RArray)
        return _matmul(a, b).view(RArray)

    def __rmatmul__(self, other: Any) -> RArray:
        return _matmul(np.asarray(other), self.view(np.ndarray)).view(RArray)

    def sum(  # type: ignore[override]
        self,
        axis: Any = None,
        dtype: Any = None,
        out: Any = None,
        keepdims: bool = False,
        **kwargs: Any,
    ) -> Any:
        """R's ``sum`` of each matrix (``axis`` None or its rows and columns), or its
        ``colSums`` (over the rows, axis -2) or ``rowSums`` (over the columns, -1)."""
        x = np.asarray(self)
        axes = _reduced_axes(axis, x.ndim, "sum")
        if axes == {-2, -1}:
            return rsum(x) if x.ndim <= 2 else as_r(_matrix_sums(x))
        if axes in ({-2}, {-1}):  # over the rows: colSums; over the columns: rowSums
            (axis,) = axes
            sums = _sums_along(x, axis, na_rm=False)
            return as_r(np.expand_dims(sums, axis) if keepdims else sums)
        raise ValueError(f"R's arithmetic sums a matrix's rows or columns; got axis {axis!r}")

    def mean(  # type: ignore[override]
        self,
        axis: Any = None,
        dtype: Any = None,
        out: Any = None,
        keepdims: bool = False,
        **kwargs: Any,
    ) -> Any:
        """R's ``mean`` of a matrix or vector (``axis`` None or all its axes), hence
        ``np.mean``; or its ``colMeans`` (over the rows, axis -2) or ``rowMeans``
        (over the columns, -1), also of each matrix of a stack."""
        x = np.asarray(self)
        axes = _reduced_axes(axis, x.ndim, "mean")
        if axes == {-2, -1} or (x.ndim == 1 and axes == {-1}):  # a vector's or a matrix's
            if x.ndim <= 2:
                return mean(x)
            return as_r(
                np.array([mean(m) for m in x.reshape(-1, *x.shape[-2:])]).reshape(x.shape[:-2])
            )
        if axes in ({-2}, {-1}):  # over the rows: colMeans; over the columns: rowMeans
            (axis,) = axes
            means = _means_along(x, axis, na_rm=False)
            return as_r(np.expand_dims(means, axis) if keepdims else means)
        raise ValueError(f"R's arithmetic averages a matrix's rows or columns; got axis {axis!r}")

    def __array_ufunc__(
        self, ufunc: np.ufunc, method: str, *inputs: Any, out: Any = None, **kwargs: Any
    ) -> Any:
        """R's function for the ufuncs R computes otherwise (``_R_UFUNCS``), numpy's for
        the rest; ``out=`` (``a += b``, ``np.exp(a, out=a)``) is written in place."""
        if out is None and not kwargs and method == "__call__":  # the usual call, in short
            args = [x.view(np.ndarray) if type(x) is RArray else x for x in inputs]
            result = _R_UFUNCS.get(ufunc, ufunc)(*args)
            if type(result) is np.ndarray and result.dtype is _FLOAT64 and result.ndim:
                return result.view(RArray)
            return _keep_r(result)
        plain = [x.view(np.ndarray) if isinstance(x, RArray) else x for x in inputs]
        r_function = _R_UFUNCS.get(ufunc) if method == "__call__" and not kwargs else None
        if r_function is not None:
            result = r_function(*plain)
        else:
            if out is not None:
                kwargs["out"] = tuple(
                    o.view(np.ndarray) if isinstance(o, RArray) else o for o in out
                )
            result = getattr(ufunc, method)(*plain, **kwargs)
        if out is None:
            return _keep_r(result)
        if r_function is not None:
            out[0][...] = result
        return out[0] if len(out) == 1 else out

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        """numpy's functions (``np.where``, ``np.sum``, ...) as numpy has them, their
        matrices kept RArrays so that R's arithmetic goes on after them."""
        return _keep_r(super().__array_function__(func, types, args, kwargs))


def _reduced_axes(axis: Any, ndim: int, what: str) -> set[int]:
    """The axes a reduction runs over, counted from the end (-2: the rows, -1: the
    columns); None is every entry, which for a stack of matrices R has no name for."""
    if axis is None and ndim > 2:
        raise ValueError(f"{what} over every entry of a stack of matrices: give the axes")
    if axis is None:
        return {-2, -1}
    return {a - ndim if a >= 0 else a for a in np.atleast_1d(axis)}


def _matrix_sums(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """R's ``sum`` of each matrix of a stack (restarts trained together): at once,
    in each matrix's storage order, when all is finite; else one by one."""
    if not np.isfinite(x).all():
        return np.array([rsum(m) for m in x.reshape(-1, *x.shape[-2:])]).reshape(x.shape[:-2])
    by_column = np.swapaxes(x, -1, -2).reshape(*x.shape[:-2], -1)
    return _rounded(_sequential_sums(by_column, -1)) + 0.0


def _matmul(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """R's ``%*%``, matrix by matrix when one side is a stack (the other broadcast)."""
    return matmul(a, b) if a.ndim == 2 and b.ndim == 2 else _stacked_matmul(a, b)


def _stacked_matmul(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """At once when every matrix is finite and none is empty (the same BLAS loops,
    each matrix's own), else one by one."""
    if _core is not None and a.ndim <= 3 and b.ndim <= 3 and a.shape[-1] == b.shape[-2]:
        k = a.shape[0] if a.ndim == 3 else b.shape[0]
        if (a.ndim == 2 or b.ndim == 2 or a.shape[0] == b.shape[0]) and min(
            a.shape[-2:] + b.shape[-2:]
        ) > 0:
            out = np.empty((k, a.shape[-2], b.shape[-1]))
            if _core.matprod(a, b, out):
                return out
    return _stacked_matprod(a, b)


@_silent
def _stacked_matprod(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """The stacked product in Python."""
    if (
        a.shape[-1] == b.shape[-2]
        and min(a.shape[-2:] + b.shape[-2:]) > 0
        and not (_may_have_nan_or_inf(a) or _may_have_nan_or_inf(b))
    ):
        return _blas_matprod(a, b)
    k = a.shape[0] if a.ndim == 3 else b.shape[0]
    return np.stack(
        [matmul(a[i] if a.ndim == 3 else a, b[i] if b.ndim == 3 else b) for i in range(k)]
    )


def _keep_r(result: Any) -> Any:
    """A float64 array result as an RArray; anything else as it is."""
    if isinstance(result, np.ndarray) and result.dtype == np.float64 and result.ndim > 0:
        return result.view(RArray)
    return result


_FLOAT64 = np.dtype(np.float64)

_R_UFUNCS: dict[np.ufunc, Callable[..., NDArray[np.float64]]] = {
    np.matmul: _matmul,
    np.exp: exp,
    np.log: log,
    np.tanh: tanh,
    np.log1p: log1p,
    np.power: power,
    np.square: square,
}


def as_r(x: ArrayLike) -> RArray:
    """``x`` (a float64 matrix) with R's arithmetic: see ``RArray``."""
    return np.asarray(x, dtype=np.float64).view(RArray)


# Whose arithmetic the Python twins follow, where an entry point asks
# (``arithmetic=`` in the API, ``--arithmetic`` on the command line).
ARITHMETICS = ("numpy", "r")


def on_arithmetic(x: ArrayLike, arithmetic: str) -> NDArray[np.float64]:
    """``x`` as float64 that computes with ``arithmetic``'s arithmetic: numpy's (a
    plain array) or R's (an ``RArray``)."""
    check_name("arithmetic", arithmetic, ARITHMETICS)
    return as_r(x) if arithmetic == "r" else np.asarray(x, dtype=np.float64)
