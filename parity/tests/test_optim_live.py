"""backprop.optim against live R's optim(method = "BFGS"): par, value, counts and convergence.

R's objective functions are defined once (fixed code, in R's global
environment) and R's own optim runs them; the Python twins of those functions
compute the same doubles (x^2 written x * x, sums left to right). Equality is
exact: the same 64 bits, zero ulps, for every number optim returns.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from helpers import (
    assert_bits_equal,
    chain,
    quadratic,
    quadratic_gr,
    require_live_r,
    rosenbrock,
    rosenbrock_gr,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from backprop import optim as optim_module
from backprop.optim import optim

R = require_live_r("backprop.optim is")

Vector = NDArray[np.float64]

R.eval(
    """
    optim_twin_fns <- list(
      rosenbrock = function(x) { x1 <- x[1]; x2 <- x[2]; 100 * (x2 - x1 * x1)^2 + (1 - x1)^2 },
      quadratic = function(x) (x[1] - 3)^2 + 2 * (x[2] + 1)^2 + x[1] * x[2],
      chain = function(x) {
        s <- 0
        for (i in seq_len(length(x) - 1)) s <- s + 100 * (x[i + 1] - x[i] * x[i])^2 + (1 - x[i])^2
        s
      },
      bowl = function(x) { s <- 0; for (i in seq_along(x)) s <- s + i * (x[i] - 1)^2; s }
    )
    optim_twin_grs <- list(
      rosenbrock = function(x) {
        x1 <- x[1]; x2 <- x[2]
        c(-400 * x1 * (x2 - x1 * x1) - 2 * (1 - x1), 200 * (x2 - x1 * x1))
      },
      quadratic = function(x) c(2 * (x[1] - 3) + x[2], 4 * (x[2] + 1) + x[1]),
      chain = NULL,
      bowl = function(x) {
        g <- numeric(length(x))
        for (i in seq_along(x)) g[i] <- 2 * i * (x[i] - 1)
        g
      }
    )
    optim_twin <- function(par, name, analytic, control) {
      gr <- if (analytic) optim_twin_grs[[name]] else NULL
      trace <- capture.output(r <- optim(par, optim_twin_fns[[name]], gr, method = "BFGS",
                                        control = control))
      list(par = r$par, value = r$value, counts = as.double(r$counts),
           convergence = r$convergence, is_null_message = is.null(r$message),
           trace = paste0(trace, "\n", collapse = ""))
    }
    """
)


def bowl(x: Vector) -> float:
    s = 0.0
    for i in range(len(x)):
        d = float(x[i]) - 1
        s = s + (i + 1) * (d * d)
    return s


def bowl_gr(x: Vector) -> list[float]:
    return [2 * (i + 1) * (float(x[i]) - 1) for i in range(len(x))]


FUNCTIONS: dict[str, tuple[Any, Any]] = {
    "rosenbrock": (rosenbrock, rosenbrock_gr),
    "quadratic": (quadratic, quadratic_gr),
    "chain": (chain, None),
    "bowl": (bowl, bowl_gr),
}


def r_optim(par: list[float], name: str, analytic: bool, control: dict[str, Any]) -> dict[str, Any]:
    return dict(R.call("optim_twin", np.array(par, dtype=np.float64), name, analytic, control))


def py_optim(
    par: list[float], name: str, analytic: bool, control: dict[str, Any]
) -> dict[str, Any]:
    fn, gr = FUNCTIONS[name]
    return optim(par, fn, gr if analytic else None, method="BFGS", control=control)


def assert_same_as_r(
    par: list[float], name: str, analytic: bool, control: dict[str, Any] | None = None
) -> dict[str, Any]:
    control = control or {}
    expected = r_optim(par, name, analytic, control)
    actual = py_optim(par, name, analytic, control)
    where = f"{name}, start {par}, analytic {analytic}, control {control}"
    assert_bits_equal(actual["par"], expected["par"], f"par ({where})")
    assert_bits_equal(actual["value"], expected["value"], f"value ({where})")
    assert actual["counts"].tolist() == np.asarray(expected["counts"]).astype(int).tolist(), where
    assert actual["convergence"] == int(np.asarray(expected["convergence"])[0]), where
    assert actual["message"] is None and bool(np.asarray(expected["is_null_message"])[0])
    return expected


STARTS = [(-1.2, 1.0), (2.0, -1.0), (0.0, 0.0), (-3.0, -3.0), (1.5, 2.25), (10.0, 10.0)]


@pytest.mark.parametrize("analytic", [True, False], ids=["gr", "numeric"])
@pytest.mark.parametrize("start", STARTS, ids=str)
def test_rosenbrock_from_several_starts(start: tuple[float, float], analytic: bool) -> None:
    assert_same_as_r(list(start), "rosenbrock", analytic)


@pytest.mark.parametrize("analytic", [True, False], ids=["gr", "numeric"])
def test_a_quadratic(analytic: bool) -> None:
    assert_same_as_r([0.0, 0.0], "quadratic", analytic)


@pytest.mark.parametrize("n", [1, 3, 6, 10])
def test_more_parameters(n: int) -> None:
    start = [(-1.0) ** i * (0.5 + i / 10) for i in range(n)]
    assert_same_as_r(start, "bowl", True)
    assert_same_as_r(start, "bowl", False)
    if n > 1:
        assert_same_as_r(start, "chain", False, {"maxit": 500})


@pytest.mark.parametrize("maxit", [0, 1, 2, 5, 20, 37])
def test_maxit_reached_gives_convergence_1(maxit: int) -> None:
    expected = assert_same_as_r([-1.2, 1.0], "rosenbrock", True, {"maxit": maxit})
    assert int(np.asarray(expected["convergence"])[0]) == (1 if maxit > 0 else 0)


@pytest.mark.parametrize(
    "control",
    [
        {"abstol": 1e-3},
        {"abstol": 0.5},
        {"abstol": 1e3},
        {"reltol": 1e-4},
        {"reltol": 0},
        {"reltol": 1e-2, "abstol": 1e-6},
        {"ndeps": [1e-4, 1e-6]},
        {"parscale": [2, 0.5], "fnscale": 3},
        {"maxit": 1000, "reltol": 1e-12},
    ],
    ids=str,
)
@pytest.mark.parametrize("analytic", [True, False], ids=["gr", "numeric"])
def test_control_variations(control: dict[str, Any], analytic: bool) -> None:
    assert_same_as_r([-1.2, 1.0], "rosenbrock", analytic, control)


def test_trace_is_what_r_prints(capsys: pytest.CaptureFixture[str]) -> None:
    for control in ({"trace": 1}, {"trace": 1, "maxit": 25, "REPORT": 3}):
        expected = r_optim([-1.2, 1.0], "rosenbrock", True, control)
        py_optim([-1.2, 1.0], "rosenbrock", True, control)
        assert capsys.readouterr().out == str(np.asarray(expected["trace"])[0])


live = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=50)
coordinates = st.floats(min_value=-5.0, max_value=5.0, allow_subnormal=False)


@live
@given(
    start=st.tuples(coordinates, coordinates),
    analytic=st.booleans(),
    maxit=st.integers(1, 200),
    reltol=st.sampled_from([math.sqrt(2.0**-52), 1e-4, 1e-10, 0.0]),
    abstol=st.sampled_from([-math.inf, 0.0, 1e-6]),
)
def test_any_start_matches_r(
    start: tuple[float, float], analytic: bool, maxit: int, reltol: float, abstol: float
) -> None:
    control = {"maxit": maxit, "reltol": reltol, "abstol": abstol}
    assert_same_as_r(list(start), "rosenbrock", analytic, control)


@live
@given(start=st.lists(coordinates, min_size=1, max_size=6), analytic=st.booleans())
def test_any_start_in_more_dimensions_matches_r(start: list[float], analytic: bool) -> None:
    assert_same_as_r(start, "bowl", analytic)
    if len(start) > 1:
        assert_same_as_r(start, "chain", False)


def test_a_wrong_acctol_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """A planted bug: vmmin's acctol 1e-4 changed to 1e-3. R must catch it."""
    monkeypatch.setattr(optim_module, "ACCTOL", 0.001)
    with pytest.raises(AssertionError, match=r"\(\d+ ulps\)"):
        for start in STARTS:
            assert_same_as_r(list(start), "rosenbrock", True)
