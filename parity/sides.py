"""The sides a case is run on: live R, Python, Python from nudged weights, frozen R.

Each live side runs the case through its own language's ``fit_file``
(r/fit.R, backprop.fit): the raw CSV read, encoded and scaled in that
language, then the trainer ``choose_trainer`` picks, so the data path is part
of what parity checks. A side is a ``Runner``: a function from a ``Case`` to
a ``Result``, a dict from quantity names (``case.quantities()``) to arrays.
The harness takes the Python side as an argument, so tests can hand it a
deliberately wrong port.

For the one-ulp sensitivity, Python reruns a case through the same ``fit``
from its own initial weights moved by one ulp (the trainers' ``start``).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from backprop.checks import Matrix
from backprop.fit import fit_file, fit_nnet, load_file
from backprop.network import Params
from backprop.r_engine import session
from parity.cases import REFERENCE_DIR, Case

Result = dict[str, Matrix]
Runner = Callable[[Case], Result]


@functools.cache
def run_r(case: Case) -> Result:
    """R's ``fit_file``: the case read, encoded and trained in R (an nnet case: read
    by R's ``load_file``, fitted by R's own nnet through ``fit_nnet``)."""
    r = session()
    if case.model == "nnet":
        scaled = r.call("load_file", str(case.data_path), case.target)
        result = r.call("fit_nnet", scaled["X"], scaled["Y"], **case.nnet_args())
    else:
        result = r.call("fit_file", str(case.data_path), case.target, **case.fit_args())["result"]
    return _read_only({q: _array(result[q]) for q in case.quantities()})


@functools.cache
def run_python(case: Case) -> Result:
    """``backprop.fit.fit_file`` (or ``fit_nnet``): the port under test."""
    return _read_only(_fit(case))


@functools.cache
def run_python_r(case: Case) -> Result:
    """The port on R's arithmetic (``backprop.rarith``): the same code, R's numbers.
    (nnet's twin does R's arithmetic already: its run is ``run_python``'s.)"""
    if case.model == "nnet":
        return run_python(case)
    result = fit_file(case.data_path, case.target, **case.fit_args(), arithmetic="r").result
    return _read_only({q: _array(result[q]) for q in case.quantities()})


@functools.cache
def r_blas() -> str:
    """The BLAS library R calls (``extSoftVersion()["BLAS"]``)."""
    return str(np.asarray(session().eval('extSoftVersion()[["BLAS"]]')).ravel()[0])


def bit_identity_expected() -> bool:
    """R's arithmetic is ``backprop.rarith``'s only on the reference BLAS (Debian's
    libblas3): an optimised one (OpenBLAS, MKL) sums ``%*%`` in its own order."""
    return is_reference_blas(r_blas())


def is_reference_blas(blas: str) -> bool:
    return not any(name in blas.lower() for name in ("openblas", "mkl", "blis"))


def reference_provenance() -> dict[str, str]:
    """What the frozen reference was written with (its R_VERSION.txt): R, BLAS, LAPACK, libc."""
    lines = (REFERENCE_DIR / "R_VERSION.txt").read_text().splitlines()
    return {"R": lines[0], **dict(line.split(": ", 1) for line in lines[1:])}


def frozen_bits_unexpected() -> str:
    """Why rarith cannot be expected to give the frozen reference's bits on this
    machine ("" when it can): the reference was written with an optimised BLAS,
    or with another C library (exp, log, tanh) than this one."""
    made_with = reference_provenance()
    if not is_reference_blas(made_with["BLAS"]):
        return f"the frozen reference was written with BLAS {made_with['BLAS']}"
    try:
        here = os.confstr("CS_GNU_LIBC_VERSION") or "an unknown C library"
    except (ValueError, OSError):  # not glibc (macOS: no such name)
        here = "not glibc"
    if made_with.get("libc") != here:
        return f"the frozen reference was written with {made_with.get('libc')}; this is {here}"
    return ""


def _fit(case: Case, start: Params | None = None) -> Result:
    """The case in Python, from ``start`` if given (nnet: its ``Wts``)."""
    if case.model == "nnet":
        X, Y = load_file(case.data_path, case.target)
        wts = None if start is None else start["wts"]
        result = fit_nnet(X, Y, **case.nnet_args(), Wts=wts)
    else:
        result = fit_file(case.data_path, case.target, **case.fit_args(), start=start).result
    return {q: _array(result[q]) for q in case.quantities()}


def initial_parameters(result: Result) -> Params:
    """The starting parameters a result reports (its ``*_init``; after restarts, every
    restart's, its ``*_starts``), as ``start`` takes them."""
    suffix = "_starts" if "cost_histories" in result else "_init"
    return {q.removesuffix(suffix): P for q, P in result.items() if q.endswith(suffix)}


def nudge(start: Params) -> Params:
    """Every initial weight moved up by one ulp (nnet's ``wts``: all of them).

    The biases start at exactly 0, where one ulp is 5e-324: added to any Z
    it vanishes, so they stay as they are.
    """
    return {
        name: P if name.startswith("B_") else np.nextafter(P, np.inf) for name, P in start.items()
    }


@functools.cache
def run_nudged(case: Case) -> Result:
    """The case in Python from initial weights one ulp away: its sensitivity."""
    return _read_only(_fit(case, nudge(initial_parameters(run_python(case)))))


def read_reference(case: Case) -> Result:
    """R's frozen outputs of ``case``, written by ``make_reference.R``."""
    return {q: read_array(reference_file(case, q)) for q in case.quantities()}


def reference_file(case: Case, quantity: str) -> Path:
    return REFERENCE_DIR / case.name / f"{quantity}.txt"


def read_array(path: Path) -> Matrix:
    """A file of ``dim d1 [d2]`` then one ``%.17g`` value a line, in R's column order."""
    header, *values = path.read_text().splitlines()
    word, *dims = header.split()
    if word != "dim" or not dims:
        raise ValueError(f"{path}: first line must be 'dim' and the dimensions; got {header!r}")
    shape = tuple(int(d) for d in dims)
    return np.array([float(v) for v in values], dtype=np.float64).reshape(shape, order="F")


def _array(value: object) -> Matrix:
    """A quantity as an array: integers (row numbers, orders, counts) stay integers,
    to be compared exactly; every other number is a double."""
    array = np.asarray(value)
    return array if array.dtype.kind in "iu" else array.astype(np.float64)


def _read_only(result: Result) -> Result:
    """Cached results are shared: make sure nobody changes them."""
    for array in result.values():
        array.setflags(write=False)
    return result
