"""backprop.nnet against live R's nnet::nnet (7.3-18): the same fit from the same set.seed.

R runs ``set.seed(seed); nnet(X, Y, size, ...)`` on the very arrays Python
fits (through backprop.r_engine), capturing what it prints. Equality is exact:
wts, value and fitted values to zero ulps, the same convergence code and the
same printed text. Three wrong ports at the end show the tests can fail (each wrong on
every machine).
"""

from __future__ import annotations

import contextlib
import io
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import one_ulp_up, require_live_r, ulps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backprop import nnet as nnet_module
from backprop.checks import INT_MAX
from backprop.data import load_scaled
from backprop.nnet import nnet

R = require_live_r("backprop.nnet is")

REPO = Path(__file__).resolve().parents[2]
DATA = {
    "lecture": load_scaled(REPO / "data" / "lecture.csv"),
    "study": load_scaled(REPO / "data" / "study.csv"),
    "iris2": load_scaled(REPO / "data" / "iris2.csv", "binary"),
    "iris": load_scaled(REPO / "data" / "iris.csv", "onehot"),
}

R.eval("suppressMessages(library(nnet))")
R.eval(
    """
    nnet_twin <- function(x, y, size, seed, args) {
      set.seed(seed)
      out <- capture.output(fit <- do.call(nnet::nnet, c(list(x = x, y = y, size = size), args)))
      list(wts = fit$wts, value = fit$value, fitted = fit$fitted.values,
           convergence = fit$convergence,
           trace = if (length(out)) paste0(out, "\\n", collapse = "") else "")
    }
    """
)


def r_nnet(data: str, size: int, seed: int, args: dict[str, Any]) -> dict[str, Any]:
    X, Y = DATA[data]
    out = R.call("nnet_twin", X, Y, size, seed, args)
    return {
        "wts": np.asarray(out["wts"], dtype=np.float64),
        "value": float(np.asarray(out["value"])[0]),
        "fitted_values": np.asarray(out["fitted"], dtype=np.float64),
        "convergence": int(np.asarray(out["convergence"])[0]),
        "trace": str(np.asarray(out["trace"])[0]),
    }


def py_nnet(data: str, size: int, seed: int, args: dict[str, Any]) -> dict[str, Any]:
    X, Y = DATA[data]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        result = nnet(X, Y, size, seed=seed, **args)
    return {
        "wts": result.wts,
        "value": result.value,
        "fitted_values": result.fitted_values,
        "convergence": result.convergence,
        "trace": printed.getvalue(),
    }


def assert_same_as_r(data: str, size: int, seed: int, **args: Any) -> dict[str, Any]:
    """Python's fit and R's, compared to the last bit (the distance in ulps if not)."""
    expected = r_nnet(data, size, seed, args)
    actual = py_nnet(data, size, seed, args)
    where = f"{data}, size {size}, seed {seed}, {args}"
    for q in ("wts", "value", "fitted_values"):
        assert ulps(actual[q], expected[q]) == 0, (
            f"{q} differs by {ulps(actual[q], expected[q])} ulps ({where})"
        )
    assert actual["convergence"] == expected["convergence"], where
    assert actual["trace"] == expected["trace"], where
    return expected


def test_the_lecture_fit() -> None:
    """set.seed(1); nnet(X, Y, size = 3): initial value 0.895458, final 0.000063."""
    expected = assert_same_as_r("lecture", 3, 1)
    lines = expected["trace"].split("\n")
    assert lines[:2] == ["# weights:  13", "initial  value 0.895458 "]
    assert lines[-3:] == ["final  value 0.000063 ", "converged", ""]


@pytest.mark.parametrize(
    ("data", "size", "seed", "args"),
    [
        ("lecture", 3, 1, {"decay": 1e-3, "maxit": 500}),
        ("lecture", 3, 1, {"linout": True}),
        ("lecture", 3, 1, {"trace": False}),
        ("lecture", 3, 1, {"maxit": 0}),
        ("lecture", 3, 1, {"abstol": 1e-2}),
        ("lecture", 3, 1, {"reltol": 1e-3}),
        ("lecture", 3, 1, {"rang": 2.0}),
        ("lecture", 3, 1, {"Wts": [(-1) ** i * i / 10 for i in range(13)]}),
        ("lecture", 2, 1, {"skip": True}),
        ("lecture", 0, 1, {"skip": True, "linout": True}),
        ("study", 3, 1, {}),
        ("study", 5, 7, {"maxit": 300}),
        ("study", 4, 3, {"decay": 0.01, "linout": True}),
        ("study", 2, 1, {"rang": 0}),
        ("iris2", 3, 1, {"entropy": True}),
        ("iris2", 2, 5, {"entropy": True, "decay": 1e-3, "skip": True}),
        ("iris", 3, 1, {"softmax": True}),
        ("iris", 2, 4, {"softmax": True, "decay": 5e-4, "maxit": 50}),
        ("iris", 2, 1, {"maxit": 40}),  # three sigmoid outputs, squared error
    ],
    ids=str,
)
def test_fits_match_r(data: str, size: int, seed: int, args: dict[str, Any]) -> None:
    assert_same_as_r(data, size, seed, **args)


@pytest.mark.parametrize("seed", range(1, 21))
def test_the_objective_at_the_start_matches_r(seed: int) -> None:
    """maxit = 0: nnet's value is its objective at the starting weights, 150 x 3 squared errors
    on iris (any last-bit slip in one of them shows), and with decay."""
    assert_same_as_r("iris", 3, seed, maxit=0)
    assert_same_as_r("iris", 3, seed, maxit=0, decay=0.1)


def squares_where_pow_differs(n: int = 40) -> list[float]:
    """Numbers whose square by C's pow (Python's x ** 2) is not x * x: about 1 in 1,000 here."""
    candidates = np.random.default_rng(102).uniform(-2.0, 2.0, 200_000).tolist()
    return [b for b in candidates if b**2 != b * b][:n]


SQUARES = squares_where_pow_differs() + [0.0, 1.0, -0.5, 1e-200, 3.0e150]

R.eval(
    """
    nnet_squares <- function(b) vapply(b, function(bi) {
      nnet::nnet(matrix(0, 1, 1), matrix(0, 1, 1), size = 0, skip = TRUE, linout = TRUE,
                 Wts = c(bi, 0), maxit = 0, trace = FALSE)$value
    }, 0)
    """
)


def py_squares(bs: list[float]) -> list[float]:
    """A one-weight linear net (bias b, target 0) at maxit = 0: its value is E = b * b."""
    zero = np.zeros((1, 1))
    return [
        nnet(zero, zero, 0, Wts=[b, 0.0], skip=True, linout=True, maxit=0, trace=False).value
        for b in bs
    ]


def test_squared_errors_are_products_as_in_c() -> None:
    """nnet.c's E() squares by dif * dif: checked where pow would differ in the last bit."""
    expected = np.asarray(R.call("nnet_squares", np.array(SQUARES)), dtype=np.float64)
    assert ulps(py_squares(SQUARES), expected) == 0


live = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=40)


@live
@given(
    data=st.sampled_from(["lecture", "study"]),
    size=st.integers(1, 5),
    seed=st.integers(-INT_MAX, INT_MAX),
    decay=st.sampled_from([0.0, 1e-4, 1e-2]),
    linout=st.booleans(),
    skip=st.booleans(),
    maxit=st.integers(0, 150),
)
def test_any_seed_matches_r(
    data: str, size: int, seed: int, decay: float, linout: bool, skip: bool, maxit: int
) -> None:
    assert_same_as_r(data, size, seed, decay=decay, linout=linout, skip=skip, maxit=maxit)


@settings(live, max_examples=10)
@given(seed=st.integers(-INT_MAX, INT_MAX), size=st.integers(1, 3), entropy=st.booleans())
def test_any_seed_matches_r_on_classes(seed: int, size: int, entropy: bool) -> None:
    if entropy:
        assert_same_as_r("iris2", size, seed, entropy=True, maxit=30)
    else:
        assert_same_as_r("iris", size, seed, softmax=True, maxit=30)


# Wrong ports: each must fail against R.


_E = nnet_module._Net.E


def _squared_one_ulp_up(self: Any, y: float, t: float) -> float:
    """E() with its square one ulp off (what dif ** 2, C's pow, gives now and then)."""
    if self.Entropy:
        return _E(self, y, t)
    dif = y - t
    return float(one_ulp_up(dif * dif))


def _sigmoid_without_clamp(sum: float) -> float:
    """nnet's sigmoid without its 0 below -15 and 1 above 15."""
    return 1.0 / (1.0 + math.exp(-sum)) if sum > -700 else 0.0


def test_a_square_one_ulp_off_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nnet_module._Net, "E", _squared_one_ulp_up)
    with pytest.raises(AssertionError):
        test_squared_errors_are_products_as_in_c()


def test_a_sigmoid_without_its_clamp_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nnet_module._Net, "sigmoid", staticmethod(_sigmoid_without_clamp))
    with pytest.raises(AssertionError, match="differs by"):
        assert_same_as_r("study", 5, 7, maxit=300)


def test_an_exp_one_ulp_off_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """nnet's exp must be the C library's, R's, to the last bit (numpy's np.exp is not, on
    some processors: backprop.nnet calls math.exp)."""

    class SlippedMath:
        exp = staticmethod(lambda v: float(one_ulp_up(math.exp(v))))
        log = staticmethod(math.log)

    monkeypatch.setattr(nnet_module, "math", SlippedMath)
    with pytest.raises(AssertionError, match="differs by"):
        assert_same_as_r("lecture", 3, 1)
