"""backprop.optim against R's optim(method = "BFGS"), from stored R 4.2.2 results: no R needed.

Each case was run with Rscript; the R call is written above it and the numbers
were printed with sprintf("%.17g"), which gives every double back exactly. The
objective functions are R's, written the same way in Python: R's x^2 is x * x,
and R adds left to right as Python does. Equality is exact: the same 64 bits.
parity/tests/test_optim_live.py asks live R instead.

The R functions (fr and grr are from R's ?optim; helpers.py has their Python twins,
rosenbrock and rosenbrock_gr, and quadratic for fq, gq):

    fr <- function(x) { x1 <- x[1]; x2 <- x[2]; 100 * (x2 - x1 * x1)^2 + (1 - x1)^2 }
    grr <- function(x) { x1 <- x[1]; x2 <- x[2]
                         c(-400 * x1 * (x2 - x1 * x1) - 2 * (1 - x1), 200 * (x2 - x1 * x1)) }
    fq <- function(x) (x[1] - 3)^2 + 2 * (x[2] + 1)^2 + x[1] * x[2]
    gq <- function(x) c(2 * (x[1] - 3) + x[2], 4 * (x[2] + 1) + x[1])
    f1 <- function(x) (x * x - 2)^2
    chain <- function(x) { s <- 0; for (i in seq_len(length(x) - 1))
                             s <- s + 100 * (x[i + 1] - x[i] * x[i])^2 + (1 - x[i])^2; s }
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from helpers import assert_bits_equal, chain, quadratic, quadratic_gr, rosenbrock, rosenbrock_gr
from numpy.typing import NDArray

from backprop.optim import ACCTOL, optim, vmmin

Vector = NDArray[np.float64]


def f1(x: Vector) -> float:
    d = float(x[0]) * float(x[0]) - 2
    return d * d


Case = tuple[
    list[float], Callable[..., Any], Any, dict[str, Any], list[float], float, tuple[int, int], int
]

CASES: dict[str, Case] = {
    # optim(c(-1.2, 1), fr, grr, method = "BFGS")
    "rosenbrock": ([-1.2, 1], rosenbrock, rosenbrock_gr, {},
                   [0.99999999690491403, 0.999999993797419], 9.5949556437698302e-18, (110, 43), 0),
    # optim(c(-1.2, 1), fr, method = "BFGS")
    "rosenbrock numeric": ([-1.2, 1], rosenbrock, None, {},
                           [0.99980443323139745, 0.99960838062348123], 3.8273827561079511e-08,
                           (118, 38), 0),
    # optim(c(-1.2, 1), fr, grr, method = "BFGS", control = list(maxit = 20))
    "maxit reached": ([-1.2, 1], rosenbrock, rosenbrock_gr, {"maxit": 20},
                      [0.6397911656250661, 0.4023972561295508], 0.13456049192673056, (51, 20), 1),
    # optim(c(-1.2, 1), fr, grr, method = "BFGS", control = list(abstol = 1e-3))
    "abstol": ([-1.2, 1], rosenbrock, rosenbrock_gr, {"abstol": 1e-3},
               [0.99184750578260339, 0.98405706503711954], 7.5200525098205353e-05, (77, 30), 0),
    # optim(c(-1.2, 1), fr, grr, method = "BFGS", control = list(reltol = 1e-4))
    "reltol": ([-1.2, 1], rosenbrock, rosenbrock_gr, {"reltol": 1e-4},
               [1.0000052144048655, 1.0000109654114309], 5.5981238572033703e-11, (89, 36), 0),
    # optim(c(-1.2, 1), fr, method = "BFGS", control = list(ndeps = c(1e-4, 1e-5)))
    "ndeps": ([-1.2, 1], rosenbrock, None, {"ndeps": [1e-4, 1e-5]},
              [0.99999961094396195, 0.99999922129333629], 1.5139997343035648e-13, (215, 45), 0),
    # optim(c(-1.2, 1), fr, grr, method = "BFGS", control = list(parscale = c(2, 0.5), fnscale = 3))
    "scaled": ([-1.2, 1], rosenbrock, rosenbrock_gr, {"parscale": [2, 0.5], "fnscale": 3},
               [1.0000000024774967, 1.000000004966787], 6.1518987440991377e-18, (55, 28), 0),
    # optim(c(-1.2, 1), fr, method = "BFGS", control = list(parscale = c(2, 0.5), fnscale = 3))
    "scaled numeric": ([-1.2, 1], rosenbrock, None, {"parscale": [2, 0.5], "fnscale": 3},
                       [0.99948161188488704, 0.99896487914119525], 2.6891851637694948e-07,
                       (77, 23), 0),
    # optim(c(-1.2, 1), fr, grr, method = "BFGS", control = list(maxit = 0))
    "maxit 0": ([-1.2, 1], rosenbrock, rosenbrock_gr, {"maxit": 0},
                [-1.2, 1], 24.199999999999996, (0, 0), 0),
    # optim(c(2, -1), fr, grr, method = "BFGS")
    "rosenbrock from (2, -1)": ([2, -1], rosenbrock, rosenbrock_gr, {},
                                [0.99999999906735937, 0.99999999814164109],
                                8.7461044246099886e-19, (37, 16), 0),
    # optim(c(0, 0), fq, gq, method = "BFGS")
    "quadratic": ([0, 0], quadratic, quadratic_gr, {},
                  [4.0000019484046989, -1.9999879603729729], -4.9999999996828404, (24, 9), 0),
    # optim(c(0, 0), fq, method = "BFGS")
    "quadratic numeric": ([0, 0], quadratic, None, {},
                          [4.0000019484050222, -1.999987960373081], -4.9999999996828404,
                          (24, 9), 0),
    # optim(1, f1, method = "BFGS")
    "one parameter": ([1], f1, None, {}, [1.4142132090629445], 9.9862425064144127e-13, (34, 9), 0),
    # optim(c(-1, 1, -1, 1), chain, method = "BFGS", control = list(maxit = 300))
    "four parameters": ([-1, 1, -1, 1], chain, None, {"maxit": 300},
                        [0.99993358818794942, 0.99986784949819874, 0.99973626007804584,
                         0.99947223073342184], 9.1520186689178737e-08, (169, 54), 0),
}  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_optim_matches_stored_r_results_bit_for_bit(name: str) -> None:
    par, fn, gr, control, r_par, r_value, r_counts, r_convergence = CASES[name]
    result = optim(par, fn, gr, method="BFGS", control=control)
    assert_bits_equal(result["par"], r_par)
    assert_bits_equal(result["value"], r_value)
    assert result["counts"].tolist() == list(r_counts)
    assert result["convergence"] == r_convergence
    assert result["message"] is None


def test_result_has_r_names_and_types() -> None:
    result = optim([-1.2, 1], rosenbrock, rosenbrock_gr)
    assert list(result) == ["par", "value", "counts", "convergence", "message"]
    assert result["par"].dtype == np.float64
    assert isinstance(result["value"], float)
    assert result["counts"].dtype.kind == "i"
    assert isinstance(result["convergence"], int)


# invisible(optim(c(-1.2, 1), fr, grr, method = "BFGS", control = list(trace = 1))), R's stdout:
R_TRACE = """\
initial  value 24.200000 
iter  10 value 1.367383
iter  20 value 0.134560
iter  30 value 0.001978
iter  40 value 0.000000
final  value 0.000000 
converged
"""  # noqa: W291  (R's trailing spaces)

# invisible(optim(c(-1.2, 1), fr, grr, method = "BFGS",
#                 control = list(trace = 1, maxit = 25, REPORT = 7)))
R_TRACE_STOPPED = """\
initial  value 24.200000 
iter   7 value 2.006933
iter  14 value 0.747132
iter  21 value 0.116199
final  value 0.037279 
stopped after 25 iterations
"""  # noqa: W291


def test_trace_prints_what_r_prints(capsys: pytest.CaptureFixture[str]) -> None:
    optim([-1.2, 1], rosenbrock, rosenbrock_gr, control={"trace": 1})
    assert capsys.readouterr().out == R_TRACE
    optim([-1.2, 1], rosenbrock, rosenbrock_gr, control={"trace": True, "maxit": 25, "REPORT": 7})
    assert capsys.readouterr().out == R_TRACE_STOPPED


def test_silent_without_trace(capsys: pytest.CaptureFixture[str]) -> None:
    optim([-1.2, 1], rosenbrock, rosenbrock_gr)
    assert capsys.readouterr().out == ""


def test_fn_sees_a_fresh_copy_each_time() -> None:
    """R duplicates x for every call of the numeric gradient (PR#15958): keeping one is safe."""
    seen: list[Vector] = []

    def keep(x: Vector) -> float:
        seen.append(x)
        return rosenbrock(x)

    optim([-1.2, 1], keep, control={"maxit": 3})
    assert len({id(x) for x in seen}) == len(seen)
    assert seen[1].tolist() == [-1.2 + 1e-3, 1.0]
    assert seen[2].tolist() == [-1.2 - 1e-3, 1.0]


def test_vmmin_with_a_mask_moves_only_the_masked_parameters() -> None:
    """nnet's mask: the parameter whose mask is false keeps its value."""

    def f(p: list[float]) -> float:
        return rosenbrock(np.array(p))

    def g(p: list[float]) -> list[float]:
        return rosenbrock_gr(np.array(p))

    result = vmmin([-1.2, 0.5], f, g, maxit=100, mask=[True, False])
    assert result.b[1] == 0.5
    assert result.b[0] != -1.2
    assert result.fail == 0


def test_acctol_is_r_s() -> None:
    assert ACCTOL == 0.0001


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "Nelder-Mead"}, "method must be 'BFGS'"),
        ({"control": {"maxit": -1}}, "maxit must be a whole number >= 0"),
        ({"control": {"maxit": 2.5}}, "maxit must be a whole number >= 0"),
        ({"control": {"maxit": True}}, "maxit must be a whole number >= 0"),
        ({"control": {"reltol": -1e-8}}, "reltol must be a number >= 0"),
        ({"control": {"reltol": math.nan}}, "reltol must be a number >= 0"),
        ({"control": {"abstol": "small"}}, "abstol must be a number"),
        ({"control": {"maxiter": 10}}, "unknown name in control: 'maxiter'"),
        ({"control": {"alpha": 1.0}}, "control 'alpha' is not used by method 'BFGS'"),
        ({"control": {"ndeps": [1e-3]}}, "ndeps must have one value per parameter (2); got 1"),
        ({"control": {"ndeps": [1e-3, 0]}}, "ndeps must be finite non-zero numbers"),
        ({"control": {"parscale": [1, 2, 3]}}, "parscale must have one value per parameter"),
        ({"control": {"fnscale": 0}}, "fnscale must be a finite number, not 0"),
        ({"control": {"REPORT": 0}}, "REPORT must be a whole number >= 1"),
        ({"control": {"trace": -1}}, "trace must be a whole number >= 0"),
        ({"control": [("maxit", 3)]}, "control must be a dict"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        optim([-1.2, 1], rosenbrock, rosenbrock_gr, **kwargs)


@pytest.mark.parametrize("par", [[], [1.0, math.inf], [[1.0, 2.0]], ["a", "b"]])
def test_bad_par_is_refused(par: Any) -> None:
    with pytest.raises(ValueError, match="par must be a vector of finite numbers"):
        optim(par, rosenbrock)


def test_r_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="initial value in 'vmmin' is not finite"):
        optim([1.0, 2.0], lambda x: math.inf)
    with pytest.raises(ValueError, match="evaluates to length 2 not 1"):
        optim([1.0, 2.0], lambda x: x)
    with pytest.raises(ValueError, match="gradient in optim evaluated to length 1 not 2"):
        optim([1.0, 2.0], rosenbrock, lambda x: [1.0])
    with pytest.raises(ValueError, match=r"non-finite finite-difference value \[1\]"):
        optim([1.0, 2.0], lambda x: 0.0 if x[0] == 1.0 else math.inf)
