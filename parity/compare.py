"""R against Python, quantity by quantity, and whether agreement is possible at all.

Per quantity (every one of ``case.quantities()``: the weights W_k, the
biases B_k, Y_hat, the initial W_k and B_k, the cost history): the shapes
first (a transposed matrix or a missing quantity is a failure, never silently
fixed), then max |diff|, max relative diff and max ulp distance, against
``TOLERANCE``. Per case: its sensitivity, how far one ulp of initial weights
moves Python's own result. A case whose sensitivity exceeds the
tolerance is ill-conditioned (chaotic gradient descent): R and Python cannot
agree there without a bug on either side, so it is reported as ILL-COND, never
as a pass. It still FAILs if R and Python part before the chaos sets in.
"""

from __future__ import annotations

import functools
import multiprocessing
import signal
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from parity.cases import Case
from parity.sides import Result, Runner, run_nudged, run_python, run_r

PASS, FAIL, ILL_COND = "PASS", "FAIL", "ILL-COND"
EXACT = "EXACT"  # above PASS: on R's arithmetic (backprop.rarith), 0 ulps in every quantity
CHAOS_MARGIN = 1e-3  # chaos has set in once one ulp moves the cost by rtol * this


@dataclass(frozen=True)
class Tolerance:
    """Elementwise ``|a - b| <= atol + rtol * max(|a|, |b|)``.

    R and numpy differ in BLAS and ``exp``, so bit identity is not expected;
    they agree to about 1e-15 relative, five orders inside ``rtol``. ``atol``
    (about 4.5 ulps of 1.0) only matters for values below atol / rtol = 1e-5,
    such as a weight crossing zero or the tail of a converged cost history.
    """

    rtol: float = 1e-10
    atol: float = 1e-15

    def close(self, a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.bool_]:
        return np.abs(a - b) <= self.atol + self.rtol * np.maximum(np.abs(a), np.abs(b))

    def scaled(self, factor: float) -> Tolerance:
        return Tolerance(rtol=self.rtol * factor, atol=self.atol * factor)


TOLERANCE = Tolerance()


@dataclass(frozen=True)
class Diff:
    """How far ``actual`` is from ``expected``; the numbers are None when shapes differ.

    A shape is None when that side did not return the quantity at all.
    """

    shape_expected: tuple[int, ...] | None
    shape_actual: tuple[int, ...] | None
    max_abs: float | None
    max_rel: float | None
    max_ulps: int | None
    within: bool  # same shape and every element within the tolerance

    @property
    def same_shape(self) -> bool:
        return self.shape_expected is not None and self.shape_expected == self.shape_actual


def diff(expected: ArrayLike, actual: ArrayLike, tol: Tolerance = TOLERANCE) -> Diff:
    """Integers (row numbers, batch orders) must be equal; numbers within ``tol``."""
    exact = any(np.issubdtype(np.asarray(x).dtype, np.integer) for x in (expected, actual))
    a = np.asarray(expected, dtype=np.float64)
    b = np.asarray(actual, dtype=np.float64)
    if a.shape != b.shape:
        return Diff(a.shape, b.shape, None, None, None, within=False)
    return Diff(
        a.shape,
        b.shape,
        max_abs=float(np.abs(a - b).max(initial=0.0)),
        max_rel=float(relative_diff(a, b).max(initial=0.0)),
        max_ulps=int(ulp_distance(a, b).max(initial=0)),
        within=bool((a == b).all() if exact else tol.close(a, b).all()),
    )


def diff_quantity(
    expected: Result, actual: Result, quantity: str, tol: Tolerance = TOLERANCE
) -> Diff:
    """``diff`` of one quantity of two results; a quantity either side lacks fails."""
    if quantity in expected and quantity in actual:
        return diff(expected[quantity], actual[quantity], tol)
    shapes = [np.shape(r[quantity]) if quantity in r else None for r in (expected, actual)]
    return Diff(shapes[0], shapes[1], None, None, None, within=False)


def diff_results(expected: Result, actual: Result, tol: Tolerance = TOLERANCE) -> dict[str, Diff]:
    """``diff_quantity`` of every quantity either result holds, ``expected``'s first.

    For R-against-Python comparisons outside the cases (the worked examples,
    the single neuron, the gradients): one comparator and one tolerance.
    """
    quantities = [*expected, *(q for q in actual if q not in expected)]
    return {q: diff_quantity(expected, actual, q, tol) for q in quantities}


def is_trained(quantity: str) -> bool:
    """What conditioning can move: everything but the initial weights and biases."""
    return not quantity.endswith("_init")


def relative_diff(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """``|a - b| / max(|a|, |b|)``, and 0 where both are 0."""
    scale = np.maximum(np.abs(a), np.abs(b))
    return np.abs(a - b) / np.where(scale == 0, 1.0, scale)


def ulp_distance(a: ArrayLike, b: ArrayLike) -> NDArray[np.uint64]:
    """How many doubles apart ``a`` and ``b`` are, exactly (0.0 and -0.0 are 0 apart)."""
    ka, kb = _ulp_key(a), _ulp_key(b)
    return np.where(ka > kb, ka - kb, kb - ka)


def _ulp_key(x: ArrayLike) -> NDArray[np.uint64]:
    """Doubles onto uint64, keeping order, with neighbouring doubles 1 apart.

    The int64 view of a double is sign and magnitude: for x >= 0 the magnitude
    bits count the doubles from 0 up to x. Negative numbers go below 2**63,
    positive ones above it, so -0.0 and 0.0 both land on 2**63.
    """
    bits = np.asarray(x, dtype=np.float64).view(np.int64)
    magnitude = (bits & np.int64(0x7FFF_FFFF_FFFF_FFFF)).astype(np.uint64)
    zero = np.uint64(2**63)
    return np.where(bits < 0, zero - magnitude, zero + magnitude)


def agreement_horizon(a: ArrayLike, b: ArrayLike, tol: Tolerance = TOLERANCE) -> int:
    """The last iteration up to which two cost histories agree within ``tol``."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    n = min(a.size, b.size)
    parted = np.flatnonzero(~tol.close(a[:n], b[:n]))
    return int(parted[0]) if parted.size else n


@dataclass(frozen=True)
class Row:
    """One case and quantity: R against Python, and what one ulp does."""

    quantity: str
    diff: Diff  # R (expected) against Python (actual)
    sensitivity: float  # max relative diff of the one-ulp rerun
    status: str


@dataclass(frozen=True)
class CaseReport:
    case: Case
    rows: tuple[Row, ...]
    status: str
    ill_conditioned: bool
    horizon: int  # last iteration up to which R and Python cost histories agree
    chaos_onset: int  # last iteration up to which one ulp moves the cost < rtol * CHAOS_MARGIN
    r: Result = field(repr=False, compare=False)
    python: Result = field(repr=False, compare=False)
    exact: bool | None = None  # on R's arithmetic, 0 ulps everywhere (None: not run)


def check_case(
    case: Case,
    python: Runner = run_python,
    r: Runner = run_r,
    tol: Tolerance = TOLERANCE,
    exact: Runner | None = None,
) -> CaseReport:
    """Run ``case`` on both sides, compare every quantity, judge its conditioning.

    The sensitivity always comes from the real port (``run_python``), whatever
    ``python`` is: a wrong port must not be able to declare its case chaotic.
    With ``exact`` (``run_python_r``: the port on R's arithmetic), the report
    also says whether that run is R's to zero ulps in every quantity.
    """
    r_result, py_result = r(case), python(case)
    baseline, nudged = run_python(case), run_nudged(case)
    expected = case.quantities()
    extra = sorted((set(r_result) | set(py_result)) - set(expected))  # missing on a side: FAIL
    quantities = (*expected, *extra)
    sensitivity = {q: diff_quantity(baseline, nudged, q, tol) for q in expected}
    ill_conditioned = not all(d.within for d in sensitivity.values())
    moved = {q: d.max_rel or 0.0 for q, d in sensitivity.items()}
    horizon = agreement_horizon(_costs(r_result), _costs(py_result), tol)
    onset = agreement_horizon(_costs(baseline), _costs(nudged), tol.scaled(CHAOS_MARGIN))
    parted_early = horizon < onset  # R and Python part while one ulp still barely matters
    rows = []
    for q in quantities:
        d = diff_quantity(r_result, py_result, q, tol)
        status = _status(q, d, ill_conditioned, parted_early)
        rows.append(Row(q, d, moved.get(q, 0.0), status))
    return CaseReport(
        case=case,
        rows=tuple(rows),
        status=_case_status([row.status for row in rows], ill_conditioned),
        ill_conditioned=ill_conditioned,
        horizon=horizon,
        chaos_onset=onset,
        r=r_result,
        python=py_result,
        exact=None if exact is None else is_exact(r_result, exact(case), expected),
    )


def check_cases(
    cases: Sequence[Case], exact: Runner | None = None, jobs: int = 1
) -> list[CaseReport]:
    """``check_case`` of every case, the reports in the cases' order: in this process,
    or in ``jobs`` fresh processes, each with its own R (embedded R is one per
    process), the cases handed out one at a time."""
    jobs = min(jobs, len(cases))
    if jobs <= 1:
        return [check_case(case, exact=exact) for case in cases]
    context = multiprocessing.get_context("spawn")  # never a fork of a process running R
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_leave_signals_to_parent)
    try:
        return list(pool.map(functools.partial(check_case, exact=exact), cases))
    except BaseException:  # Ctrl-C, SIGTERM, a worker's error: stop the others now
        for worker in list(pool._processes.values()):  # no public way to stop running ones
            worker.terminate()
        raise
    finally:
        pool.shutdown(cancel_futures=True)


def _leave_signals_to_parent() -> None:
    """A worker ignores Ctrl-C and SIGTERM: the parent says it once and stops them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def is_exact(r_result: Result, python: Result, quantities: tuple[str, ...]) -> bool:
    """Every quantity the same doubles (or integers) on both sides: 0 ulps."""
    return all(
        q in python and np.shape(r_result[q]) == np.shape(python[q])
        and int(ulp_distance(r_result[q], python[q]).max(initial=0)) == 0
        for q in quantities
    )  # fmt: skip


def _costs(result: Result) -> NDArray[np.float64]:
    return np.asarray(result.get("cost_history", []), dtype=np.float64)


def _status(quantity: str, d: Diff, ill_conditioned: bool, parted_early: bool) -> str:
    if not d.same_shape:
        return FAIL
    if ill_conditioned and is_trained(quantity):  # agreement here would be luck
        return FAIL if parted_early else ILL_COND
    return PASS if d.within else FAIL


def _case_status(statuses: list[str], ill_conditioned: bool) -> str:
    if FAIL in statuses:
        return FAIL
    return ILL_COND if ill_conditioned else PASS
