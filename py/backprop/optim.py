"""R's ``optim(method = "BFGS")`` in Python, bit for bit: R's own C code, ported.

R minimises with BFGS through three pieces of C, all ported here in their order
of operations, so that the same function from the same start gives the same
64 bits of every number (parameters, value, counts):

* ``vmmin`` (R 4.2's ``src/appl/optim.c``, lines 113-259): the variable metric
  (BFGS) method of J. C. Nash's *Compact Numerical Methods for Computers*,
  keeping the inverse Hessian's lower triangle ``B`` and searching along
  ``t = -B g`` by backtracking (step times 0.2) until the decrease is at least
  ``acctol`` times what the slope promised.
* ``fminfn`` and ``fmingr`` (``src/library/stats/src/optim.c``, lines 71-202):
  the objective and its gradient as vmmin sees them: the parameters scaled by
  ``parscale``, the value by ``fnscale``, and, without ``gr``, the gradient by
  central differences ``(f(x + eps) - f(x - eps)) / (2 eps)``, one coordinate
  at a time.
* ``optim`` (``src/library/stats/R/optim.R`` and the C ``optim`` entry of
  ``stats/src/optim.c``, lines 205-411, its BFGS branch 304-327): the defaults
  of ``control`` and the list returned.

Speed is not the goal: the loops are plain Python floats, written as the C
loops are (``B`` is a list of rows of growing length, as ``Lmatrix`` allocates
it), because the order of the additions decides the last bits. vmmin's sums
(``s``, ``D1``, ``D2``, ``gradproj``) are C ``double``, so Python floats are
exactly them; nothing here is ``long double``. A square is ``x * x``, never
``x ** 2`` (``pow`` can differ in the last bit).

``nnet`` (``backprop.nnet``) calls ``vmmin`` directly, as nnet's C code does.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from backprop.checks import describe, is_number, is_whole
from backprop.rprint import rprintf

Objective = Callable[[list[float]], float]  # fminfn(p): the value at p
Gradient = Callable[[list[float]], list[float]]  # fmingr(p): the gradient at p

# src/appl/optim.c lines 104-106: vmmin's constants.
STEPREDN = 0.2  # the step is multiplied by this when a trial point is not accepted
ACCTOL = 0.0001  # accept when f <= Fmin + gradproj * steplength * acctol
RELTEST = 10.0  # a coordinate has not moved when 10 + X[i] == 10 + b[i]

# optim.R lines 35-42: the defaults of control that method "BFGS" reads.
CONTROL_DEFAULTS: dict[str, Any] = {
    "trace": 0,
    "fnscale": 1.0,
    "parscale": None,  # rep.int(1, npar)
    "ndeps": None,  # rep.int(1e-3, npar)
    "maxit": 100,
    "abstol": -math.inf,
    "reltol": math.sqrt(sys.float_info.epsilon),  # sqrt(.Machine$double.eps)
    "REPORT": 10,
}
# Names R's optim knows that only its other methods read (R ignores them for BFGS).
OTHER_METHODS_CONTROL = (
    "alpha", "beta", "gamma", "warn.1d.NelderMead", "type", "lmm", "factr", "pgtol", "tmax", "temp"
)  # fmt: skip


@dataclass
class VmminResult:
    """What vmmin writes back through its pointers: ``b``, ``*Fmin``,
    ``*fncount``, ``*grcount`` and ``*fail``."""

    b: list[float]
    Fmin: float
    fncount: int
    grcount: int
    fail: int


def vmmin(
    b: Sequence[float],
    fminfn: Objective,
    fmingr: Gradient,
    maxit: int,
    trace: bool = False,
    mask: Sequence[bool] | None = None,
    abstol: float = -math.inf,
    reltol: float = math.sqrt(sys.float_info.epsilon),
    nREPORT: int = 10,
) -> VmminResult:
    """R's ``vmmin`` (``src/appl/optim.c`` lines 113-259), line for line.

    Minimises ``fminfn`` from ``b`` by BFGS. ``fmingr(p)`` returns the gradient
    at ``p`` (all ``len(b)`` entries). Only the parameters whose ``mask`` is
    true move (nnet's ``mask``; optim's is all true). Stops when the value
    falls to ``abstol``, when an accepted step changes it by no more than
    ``reltol * (|Fmin| + reltol)``, when no step moves any parameter from a
    fresh ``B = I``, or after ``maxit`` gradients (then ``fail`` is 1).
    ``trace`` prints what R prints (every ``nREPORT`` iterations).
    """
    n0 = len(b)
    b = [float(v) for v in b]
    if mask is None:
        mask = [True] * n0
    if maxit <= 0:  # lines 128-133
        return VmminResult(b, fminfn(list(b)), 0, 0, 0)
    if nREPORT <= 0:  # lines 135-136
        raise ValueError('REPORT must be > 0 (method = "BFGS")')
    l = [i for i in range(n0) if mask[i]]  # noqa: E741  (lines 137-139: C's name)
    n = len(l)
    g: list[float] = [0.0] * n0  # lines 140-143: g = vect(n0), t, X, c = vect(n)
    t = [0.0] * n
    X = [0.0] * n
    c = [0.0] * n
    B = [[0.0] * (i + 1) for i in range(n)]  # line 144, Lmatrix(n): row i holds B[i][0..i]
    f = fminfn(list(b))  # line 145
    if not math.isfinite(f):  # lines 146-147
        raise ValueError("initial value in 'vmmin' is not finite")
    if trace:
        rprintf(f"initial  value {f:f} \n")  # line 148
    Fmin = f
    funcount = gradcount = 1  # line 150
    g = list(fmingr(list(b)))  # line 151
    iter = 1  # line 152: iter++ from 0
    ilast = gradcount

    while True:  # do { ... } while (count != n || ilast != gradcount);  lines 155-250
        if ilast == gradcount:  # lines 156-161: reset B to the identity
            for i in range(n):
                for j in range(i):
                    B[i][j] = 0.0
                B[i][i] = 1.0
        for i in range(n):  # lines 162-165
            X[i] = b[l[i]]
            c[i] = g[l[i]]
        gradproj = 0.0  # lines 166-173: t = -B g (B symmetric, lower triangle stored)
        for i in range(n):
            s = 0.0
            for j in range(i + 1):
                s -= B[i][j] * g[l[j]]
            for j in range(i + 1, n):
                s -= B[j][i] * g[l[j]]
            t[i] = s
            gradproj += s * g[l[i]]

        if gradproj < 0.0:  # line 175: search direction is downhill
            steplength = 1.0
            accpoint = False
            while True:  # lines 178-194: backtrack until accepted or nothing moves
                count = 0
                for i in range(n):
                    b[l[i]] = X[i] + steplength * t[i]
                    if RELTEST + X[i] == RELTEST + b[l[i]]:  # no change
                        count += 1
                if count < n:
                    f = fminfn(list(b))
                    funcount += 1
                    accpoint = math.isfinite(f) and (f <= Fmin + gradproj * steplength * ACCTOL)
                    if not accpoint:
                        steplength *= STEPREDN
                if count == n or accpoint:
                    break
            # lines 195-201: stop if the value is small or its relative change is low
            enough = (f > abstol) and abs(f - Fmin) > reltol * (abs(Fmin) + reltol)
            if not enough:
                count = n
                Fmin = f
            if count < n:  # lines 202-232: making progress; update B (BFGS)
                Fmin = f
                g = list(fmingr(list(b)))
                gradcount += 1
                iter += 1
                D1 = 0.0
                for i in range(n):  # lines 207-212
                    t[i] = steplength * t[i]
                    c[i] = g[l[i]] - c[i]
                    D1 += t[i] * c[i]
                if D1 > 0:  # lines 213-229
                    D2 = 0.0
                    for i in range(n):
                        s = 0.0
                        for j in range(i + 1):
                            s += B[i][j] * c[j]
                        for j in range(i + 1, n):
                            s += B[j][i] * c[j]
                        X[i] = s
                        D2 += s * c[i]
                    D2 = 1.0 + D2 / D1
                    for i in range(n):
                        for j in range(i + 1):
                            B[i][j] += (D2 * t[i] * t[j] - X[i] * t[j] - t[i] * X[j]) / D1
                else:  # lines 230-232: D1 <= 0, reset at the next pass
                    ilast = gradcount
            else:  # lines 233-238: no progress
                if ilast < gradcount:
                    count = 0
                    ilast = gradcount
        else:  # lines 239-244: uphill search; resets unless B has just been reset
            count = 0
            if ilast == gradcount:
                count = n
            else:
                ilast = gradcount
        if trace and iter % nREPORT == 0:  # lines 245-246
            rprintf(f"iter{iter:4d} value {f:f}\n")
        if iter >= maxit:  # line 247
            break
        if gradcount - ilast > 2 * n:  # lines 248-249: periodic restart
            ilast = gradcount
        if not (count != n or ilast != gradcount):  # line 250
            break
    if trace:  # lines 251-255
        rprintf(f"final  value {Fmin:f} \n")
        if iter < maxit:
            rprintf("converged\n")
        else:
            rprintf(f"stopped after {iter} iterations\n")
    fail = 0 if iter < maxit else 1  # lines 256-258
    return VmminResult(b, Fmin, funcount, gradcount, fail)


def optim(
    par: ArrayLike,
    fn: Callable[[NDArray[np.float64]], Any],
    gr: Callable[[NDArray[np.float64]], Any] | None = None,
    method: str = "BFGS",
    control: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """R's ``optim(par, fn, gr, method = "BFGS", control = control)``, bit for bit.

    ``fn(x)`` returns one number; ``gr(x)``, if given, the gradient (else
    central differences with steps ``control["ndeps"]``, R's ``fmingr``). Each
    receives a new float64 array. Only method "BFGS" is ported (R's default is
    "Nelder-Mead", so write ``method = "BFGS"`` in R to compare). ``control``
    takes R's names for BFGS: ``maxit`` (100), ``abstol`` (-inf), ``reltol``
    (sqrt(eps)), ``ndeps`` (1e-3 each), ``parscale`` (1 each), ``fnscale`` (1),
    ``trace`` (0: silent; else R's "initial  value ..." lines) and ``REPORT``
    (10). Returns R's list: ``par``, ``value``, ``counts`` (int array:
    function, gradient evaluations), ``convergence`` (0, or 1 when ``maxit``
    was reached) and ``message`` (None).
    """
    if method != "BFGS":
        raise ValueError(f"method must be 'BFGS' (the only method ported); got {describe(method)}")
    if not callable(fn):
        raise ValueError(f"fn must be a function; got {describe(fn)}")  # stats/src/optim.c line 223
    if gr is not None and not callable(gr):
        raise ValueError(f"gr must be a function or None; got {describe(gr)}")
    x = np.asarray(par)
    if x.ndim > 1 or x.dtype.kind not in "iuf" or not np.all(np.isfinite(x)) or x.size == 0:
        raise ValueError(f"par must be a vector of finite numbers; got {describe(par)}")
    npar = x.size
    con = _check_control(control, npar)
    parscale: list[float] = con["parscale"]
    fnscale: float = con["fnscale"]
    ndeps: list[float] = con["ndeps"]

    def fminfn(p: list[float]) -> float:
        """stats/src/optim.c lines 71-94: fn at p * parscale, divided by fnscale."""
        for v in p:
            if not math.isfinite(v):
                raise ValueError("non-finite value supplied by optim")
        x = np.array([p[i] * parscale[i] for i in range(npar)], dtype=np.float64)
        return _one_number(fn(x)) / fnscale

    def fmingr(p: list[float]) -> list[float]:
        """stats/src/optim.c lines 96-202: the gradient vmmin sees."""
        if gr is not None:  # lines 104-120: analytical derivatives
            for v in p:
                if not math.isfinite(v):
                    raise ValueError("non-finite value supplied by optim")
            x = np.array([p[i] * parscale[i] for i in range(npar)], dtype=np.float64)
            s = np.asarray(gr(x), dtype=np.float64).ravel().tolist()
            if len(s) != npar:
                raise ValueError(f"gradient in optim evaluated to length {len(s)} not {npar}")
            return [s[i] * parscale[i] / fnscale for i in range(npar)]
        df = [0.0] * npar  # lines 121-159: numerical derivatives (no bounds)
        x_list = [p[i] * parscale[i] for i in range(npar)]
        for i in range(npar):
            eps = ndeps[i]
            x_list[i] = (p[i] + eps) * parscale[i]
            val1 = _one_number(fn(np.array(x_list, dtype=np.float64))) / fnscale
            x_list[i] = (p[i] - eps) * parscale[i]
            val2 = _one_number(fn(np.array(x_list, dtype=np.float64))) / fnscale
            df[i] = (val1 - val2) / (2 * eps)
            if not math.isfinite(df[i]):
                raise ValueError(f"non-finite finite-difference value [{i + 1}]")
            x_list[i] = p[i] * parscale[i]
        return df

    dpar = [float(v) / parscale[i] for i, v in enumerate(x.tolist())]  # stats/src/optim.c line 247
    result = vmmin(  # stats/src/optim.c lines 321-324
        dpar,
        fminfn,
        fmingr,
        con["maxit"],
        bool(con["trace"]),
        [True] * npar,
        con["abstol"],
        con["reltol"],
        con["REPORT"],
    )
    return {  # lines 325-326, 403-407
        "par": np.array([result.b[i] * parscale[i] for i in range(npar)], dtype=np.float64),
        "value": result.Fmin * fnscale,
        "counts": np.array([result.fncount, result.grcount], dtype=np.int64),
        "convergence": result.fail,
        "message": None,
    }


def _one_number(value: Any) -> float:
    """fn's value as R's ``coerceVector(s, REALSXP)`` with length 1 (optim.c lines 88-92)."""
    v = np.asarray(value, dtype=np.float64)
    if v.size != 1:
        raise ValueError(f"objective function in optim evaluates to length {v.size} not 1")
    return float(v.reshape(()))


def _check_control(control: Mapping[str, Any] | None, npar: int) -> dict[str, Any]:
    """optim.R lines 35-51 for BFGS: R's defaults, overridden by ``control``, checked.

    R warns about unknown names and goes on; here they are refused, as are the
    names only other methods read, and values R would stop on (or misread).
    """
    control = {} if control is None else control
    if not isinstance(control, Mapping):
        raise ValueError(f"control must be a dict of R's control names; got {describe(control)}")
    con = dict(CONTROL_DEFAULTS)
    for name, value in control.items():
        if name in OTHER_METHODS_CONTROL:
            raise ValueError(f"control '{name}' is not used by method 'BFGS'")
        if name not in CONTROL_DEFAULTS:
            known = ", ".join(CONTROL_DEFAULTS)
            raise ValueError(f"unknown name in control: {describe(name)} (known: {known})")
        con[name] = value
    maxit, report, trace = con["maxit"], con["REPORT"], con["trace"]
    if not is_whole(maxit) or maxit < 0:
        raise ValueError(f"control maxit must be a whole number >= 0; got {describe(maxit)}")
    if not is_whole(report) or report < 1:
        raise ValueError(f"control REPORT must be a whole number >= 1; got {describe(report)}")
    if not (isinstance(trace, bool) or (is_whole(trace) and trace >= 0)):
        raise ValueError(f"control trace must be a whole number >= 0; got {describe(trace)}")
    abstol, reltol, fnscale = con["abstol"], con["reltol"], con["fnscale"]
    if not _is_real(abstol):
        raise ValueError(f"control abstol must be a number; got {describe(abstol)}")
    if not _is_real(reltol) or reltol < 0:
        raise ValueError(f"control reltol must be a number >= 0; got {describe(reltol)}")
    if not is_number(fnscale) or fnscale == 0:
        raise ValueError(f"control fnscale must be a finite number, not 0; got {describe(fnscale)}")
    con["parscale"] = _per_parameter("parscale", con["parscale"], npar, 1.0)
    con["ndeps"] = _per_parameter("ndeps", con["ndeps"], npar, 1e-3)
    con.update(
        maxit=int(maxit),
        REPORT=int(report),
        trace=int(trace),
        abstol=float(abstol),
        reltol=float(reltol),
        fnscale=float(fnscale),
    )
    return con


def _is_real(x: object) -> bool:
    """A number that may be infinite (abstol = -Inf), not NaN and not a bool."""
    return (
        isinstance(x, (int, float, np.integer, np.floating))
        and not isinstance(x, (bool, np.bool_))
        and not math.isnan(x)
    )


def _per_parameter(name: str, value: Any, npar: int, default: float) -> list[float]:
    """parscale or ndeps: one finite non-zero number per parameter.

    As in R (stats/src/optim.c lines 240-241, 314-315: "'ndeps' is of the wrong
    length"), a single number is accepted only when there is one parameter.
    """
    if value is None:
        return [default] * npar
    v = np.atleast_1d(np.asarray(value))
    if v.ndim != 1 or v.dtype.kind not in "iuf" or not np.all(np.isfinite(v)) or np.any(v == 0):
        raise ValueError(f"control {name} must be finite non-zero numbers; got {describe(value)}")
    if v.size != npar:
        raise ValueError(f"control {name} must have one value per parameter ({npar}); got {v.size}")
    return [float(e) for e in v.tolist()]
