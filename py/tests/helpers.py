"""The tests' one set of helpers, for py/tests and parity/tests alike.

pytest puts both test folders on ``sys.path`` (``pythonpath`` in
pyproject.toml), so every test module imports these as ``from helpers import
...``. Each helper is defined here once:

- bits and ulps: ``bits``, ``ulps``, ``assert_bits_equal``;
- planted slips, for the tests that show a comparison can fail: ``one_ulp_up``,
  ``matmul_in_another_order``, ``sum_in_double``. Each is wrong on every
  machine, unlike numpy's SIMD kernels and BLAS, which agree with R's libm and
  reference BLAS on some processors and not on others;
- running the command: ``run_cli`` (``backprop`` in-process), ``run_cli_json``
  and
  ``run_module`` (``python -m MODULE`` in a fresh interpreter);
- live R: ``require_live_r`` (a loud skip, never a silent one), and ``by_case``
  (harness cases as parameters, each case's tests on one worker);
- the data, as fixtures both conftest.py files offer: ``lecture`` and ``study``
  (``load_scaled`` of data/lecture.csv and data/study.csv);
- optim's test functions, the R documentation's ``fr`` and ``grr`` among them.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import operator
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
from numpy.typing import ArrayLike, NDArray

from backprop.data import load_scaled

if TYPE_CHECKING:
    from collections.abc import Iterable

    from backprop.r_engine import RSession
    from parity.cases import Case

REPO = Path(__file__).resolve().parents[2]

# ------------------------------------------------------------------ bits and ulps


def bits(x: ArrayLike) -> NDArray[np.uint64]:
    """A number, vector or matrix as the 64 bits of its doubles, in R's (column-major) order."""
    return np.atleast_1d(np.asarray(x, dtype=np.float64)).ravel(order="F").view(np.uint64)


def ulps(a: ArrayLike, b: ArrayLike) -> int:
    """The largest distance in doubles between ``a`` and ``b`` (the same shape), element by
    element: 0 when they are the same numbers (0.0 and -0.0 are 0 apart)."""
    from parity.compare import ulp_distance

    assert np.shape(a) == np.shape(b), f"shapes {np.shape(a)} and {np.shape(b)}"
    return int(ulp_distance(a, b).max(initial=0))


def assert_bits_equal(actual: ArrayLike, expected: ArrayLike, what: str = "") -> None:
    """The same shape and the same 64 bits everywhere (so 0.0 and -0.0 differ, and NaN
    payloads count), or an error naming the first mismatch and its distance in ulps."""
    a = np.atleast_1d(np.asarray(actual, dtype=np.float64))
    e = np.atleast_1d(np.asarray(expected, dtype=np.float64))
    where = f"{what}: " if what else ""
    assert a.shape == e.shape, f"{where}shape {a.shape}, expected {e.shape}"
    differ = bits(a) != bits(e)
    if differ.any():
        i = int(np.flatnonzero(differ)[0])
        x, y = a.ravel(order="F")[i], e.ravel(order="F")[i]
        raise AssertionError(
            f"{where}{differ.sum()} of {differ.size} differ; first at [{i}]: "
            f"{x!r} != {y!r} ({ulps(x, y)} ulps)"
        )


def one_ulp_up(x: Any) -> Any:
    """``x`` moved to the next double towards +inf: a slip on every machine."""
    return np.nextafter(x, np.inf)


def matmul_in_another_order(a: NDArray[Any], b: NDArray[Any]) -> NDArray[np.float64]:
    """Each product's terms added last to first, in double: a port's slip, where R's
    %*% (the reference BLAS) adds them first to last. IEEE arithmetic, every machine's."""
    total = np.zeros((a.shape[0], b.shape[1]))
    for k in reversed(range(a.shape[1])):
        total = total + a[:, k, None] * b[None, k, :]
    return total


def sum_in_double(x: ArrayLike) -> float:
    """Left to right in double, where R's sum adds in long double: a port's slip."""
    return functools.reduce(operator.add, np.ravel(x, order="F").tolist(), 0.0)


# ------------------------------------------------------------- running the command


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``backprop ARGV`` in-process: its exit status (argparse's usage errors too), its
    stdout and its stderr."""
    from backprop.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as e:
            status = e.code if isinstance(e.code, int) else 0 if e.code is None else 2
    return status, out.getvalue(), err.getvalue()


def run_cli_json(argv: list[str]) -> Any:
    """``backprop ARGV`` in-process, which must succeed: what it printed, read as JSON."""
    status, out, err = run_cli(argv)
    assert status == 0, err
    return json.loads(out)


def run_module(
    module: str,
    *argv: str,
    stdin: str | None = None,
    cwd: Path = REPO,
    timeout: float = 120,
    **kwargs: Any,
) -> subprocess.CompletedProcess[str]:
    """``python -m MODULE ARGV`` in a fresh interpreter (this one's), from ``cwd``."""
    return subprocess.run(
        [sys.executable, "-m", module, *argv],
        input=stdin,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,
    )


# ----------------------------------------------------------------------- live R


def require_live_r(what: str) -> RSession:
    """The embedded R, or a loud module-level skip naming what goes unchecked.

    For test modules that need R at import time (hypothesis strategies, R
    definitions); the others take conftest's ``r_session`` fixture.
    """
    from backprop.r_engine import RUnavailableError, session

    try:
        return session()
    except RUnavailableError as error:
        pytest.skip(
            f"LIVE R TESTS SKIPPED: R or rpy2 is missing, so {what} not checked "
            f"against live R: {error}",
            allow_module_level=True,
        )


def by_case(cases: Iterable[Case]) -> list[Any]:
    """Harness cases as pytest parameters, named by the case, each in its case's
    xdist group: under ``--dist loadgroup`` every test of one case (test_live,
    test_reference, test_r_arithmetic_live) runs on one worker, so the case's runs
    in R and in Python, cached per process in ``parity.sides``, are made once."""
    return [
        pytest.param(case, id=case.name, marks=pytest.mark.xdist_group(f"case-{case.name}"))
        for case in cases
    ]


# ----------------------------------------------------------------------- the data


@pytest.fixture
def lecture() -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The slides' three rows, scaled as the lecture scales them: (X, Y)."""
    return load_scaled(REPO / "data" / "lecture.csv")


@pytest.fixture
def study() -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """data/study.csv (8 rows, 3 inputs), scaled: (X, Y)."""
    return load_scaled(REPO / "data" / "study.csv")


# ------------------------------------------------------- optim's test functions

Vector = NDArray[np.float64]


def rosenbrock(x: Vector) -> float:
    """``fr`` of R's ?optim: Rosenbrock's banana function."""
    x1, x2 = float(x[0]), float(x[1])
    d, e = x2 - x1 * x1, 1 - x1
    return 100 * (d * d) + e * e


def rosenbrock_gr(x: Vector) -> list[float]:
    """``grr`` of R's ?optim: its gradient."""
    x1, x2 = float(x[0]), float(x[1])
    return [-400 * x1 * (x2 - x1 * x1) - 2 * (1 - x1), 200 * (x2 - x1 * x1)]


def quadratic(x: Vector) -> float:
    a, b = float(x[0]) - 3, float(x[1]) + 1
    return a * a + 2 * (b * b) + float(x[0]) * float(x[1])


def quadratic_gr(x: Vector) -> list[float]:
    x1, x2 = float(x[0]), float(x[1])
    return [2 * (x1 - 3) + x2, 4 * (x2 + 1) + x1]


def chain(x: Vector) -> float:
    """Rosenbrock's function chained over any number of coordinates (no gradient)."""
    s = 0.0
    for i in range(len(x) - 1):
        d, e = float(x[i + 1]) - float(x[i]) * float(x[i]), 1 - float(x[i])
        s = s + 100 * (d * d) + e * e
    return s
