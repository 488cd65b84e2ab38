"""R's ``nnet::nnet`` (nnet 7.3-18) in Python: the same fit from the same ``set.seed``.

nnet fits a network with one hidden layer of sigmoid units by BFGS (R's
``vmmin``, ported in ``backprop.optim``), minimising the sum of squared errors
(no 1/2), or the cross-entropy (``entropy``, ``softmax``), plus ``decay``
times the sum of the squared weights (every weight, biases too). It scales
nothing: the data go in as given. Two files are ported:

* ``R/nnet.R``, ``nnet.default`` (lines 75-176): the checks, the layout of the
  weights (``norm.net`` and ``add.net``, lines 242-268), the starting weights
  ``runif(nwts, -rang, rang)`` and the trace line "# weights: ";
* ``src/nnet.c``: the network as C globals (``VR_set_net``, ``Build_Net``),
  the forward pass ``fpass`` (with nnet's own ``sigmoid``, which is exactly 0
  below -15 and 1 above 15), the backward pass ``bpass``, the objective and
  gradient ``fminfn`` and ``fmingr`` that vmmin calls (``VR_dovm``), and
  ``VR_nntest`` for the fitted values and ``predict.nnet``'s outputs.

The fit is an ``NnetFit``, R's ``nnet`` object: its ``predict`` is R's
``predict.nnet`` (``VR_nntest`` on new rows; ``type="class"``: R's ``max.col``
with its random tie-breaking from R's generator), its ``str()`` is what R's
``print(fit)`` prints and its ``summary()`` what ``print(summary(fit))``
prints (``R/nnet.R`` lines 179-231 and 317-375).

nnet's layout of the weights: units are numbered 0 (the bias unit, always 1),
then the inputs 1..D, the hidden units, the outputs. The weights are stored by
destination unit: each hidden unit's bias then its D inputs, then each output
unit's bias, its H hidden units and (``skip``) its D inputs. ``conn[i]`` is
the source unit of weight ``i``; the weights into unit ``j`` are
``nconn[j] .. nconn[j + 1] - 1``. The result also gives them as the lecture's
matrices ``W_1`` (D x H), ``B_1`` (1 x H), ``W_2`` (H x K), ``B_2`` (1 x K), so
that ``sigmoid(sigmoid(X W_1 + B_1) W_2 + B_2)`` is the network (``W_skip``,
D x K, adds ``X W_skip`` to the output's input with ``skip``).

What a fit knows of class labels is what R's object knows (``net$lev``): for
``softmax``, the column names of ``y`` (``nnet``'s ``ynames``; R's
``colnames(y)``, which ``class.ind`` sets to the factor's levels), else none;
for ``entropy``, ``("0", "1")``; for the other outputs none. The project's
``fit_nnet`` trains on one-hot matrices without column names, as R's twin does,
so its softmax fit has no labels and ``predict(type="class")`` refuses, as R's
``predict.nnet`` stops with "inappropriate fit for class". Labels can be given
afterwards, as R's ``fit$lev <- levels``: ``dataclasses.replace(fit, lev=...)``.

Every loop is the C loop, in plain Python floats, and ``exp`` and ``log`` are
``math.exp`` and ``math.log``: the C library's, the ones nnet.c calls, on every
machine. (numpy's ``np.exp`` and ``np.log`` are its own SIMD kernels, chosen by
the processor and not guaranteed to be the C library's: with AVX-512 ``np.exp``
differs by one unit in the last place for about 1 number in 20, and a fit then
drifts away from R's; with AVX2 alone it has agreed on every value tried.)
Squares are ``x * x`` as in the C, never a Python float's ``x ** 2`` (C's
``pow``, which differs in the last bit about once in a thousand). With these, a
fit equals R's to the last bit: weights, value and fitted values.
"""

from __future__ import annotations

import dataclasses
import math
import secrets
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from backprop.checks import (
    Matrix,
    check_count,
    check_seed,
    describe,
    is_number,
    is_numeric_matrix,
    is_whole,
)
from backprop.optim import vmmin
from backprop.rng import RGenerator, set_seed
from backprop.rprint import format_column, format_named_vector, rprintf

Vector = NDArray[np.float64]

EPS = 1.0e-80  # nnet.c line 167: keeps log() away from 0 in E()
REPORT = 10  # nnet.c line 433: vmmin prints every 10 iterations
RELTOL = 1e-5  # R's src/appl/maxcol.c: max.col's ties are within 1e-5 of the row's largest


class Checked(NamedTuple):
    """``check_nnet``'s answer: the data as matrices, the counts, whether the outputs
    are linear (softmax's are, before their softmax), the class labels, and nnet's
    layout of the connections (``nconn``, ``conn``)."""

    x: Matrix
    y: Matrix
    size: int
    maxit: int
    linout: bool
    ynames: tuple[str, ...] | None
    nconn: list[int]
    conn: list[int]


def check_nnet(
    x: ArrayLike,
    y: ArrayLike,
    size: int,
    *,
    rang: float = 0.7,
    decay: float = 0.0,
    maxit: int = 100,
    abstol: float = 1.0e-4,
    reltol: float = 1.0e-8,
    linout: bool = False,
    entropy: bool = False,
    softmax: bool = False,
    skip: bool = False,
    trace: bool = True,
    MaxNWts: int = 1000,
    ynames: Sequence[str] | None = None,
) -> Checked:
    """Every check ``nnet`` makes before it draws a weight (nnet.R lines 82-113), in its
    order and words, without fitting: the command makes them before R's own nnet runs."""
    x, y = _check_data(x, y)
    size = check_count("size", size, 0)
    for name, flag in (("linout", linout), ("entropy", entropy), ("softmax", softmax),
                       ("skip", skip), ("trace", trace)):  # fmt: skip
        if not isinstance(flag, (bool, np.bool_)):
            raise ValueError(f"{name} must be True or False; got {describe(flag)}")
    if linout + entropy + softmax > 1:  # nnet.R line 87 refuses linout with entropy
        raise ValueError("at most one of linout, entropy and softmax may be True")
    if not is_number(rang) or rang < 0:
        raise ValueError(f"rang must be a finite number >= 0; got {describe(rang)}")
    if not is_number(decay) or decay < 0:
        raise ValueError(f"decay must be a finite number >= 0; got {describe(decay)}")
    maxit = check_count("maxit", maxit, 0)
    for name, tol in (("abstol", abstol), ("reltol", reltol)):
        if not (is_number(tol) or (isinstance(tol, float) and tol == -math.inf)):
            raise ValueError(f"{name} must be a number; got {describe(tol)}")
    if not is_whole(MaxNWts) or MaxNWts < 1:
        raise ValueError(f"MaxNWts must be a whole number >= 1; got {describe(MaxNWts)}")
    D, K = x.shape[1], y.shape[1]
    if softmax and K < 2:  # nnet.R lines 112-113
        raise ValueError("softmax = True requires at least two response categories (columns of y)")
    if entropy and not np.all((y >= 0) & (y <= 1)):
        raise ValueError("entropy = True needs targets in [0, 1]")
    if ynames is not None:
        names = () if isinstance(ynames, str) else tuple(ynames)
        if len(names) != K or not all(isinstance(name, str) for name in names):
            raise ValueError(
                f"ynames must be {K} strings, one per column of y; got {describe(ynames)}"
            )
        ynames = names
    if softmax:  # nnet.R lines 88-91
        linout = True
    nconn, conn = _layout(D, size, K, skip)  # lines 98-103: norm.net, add.net
    nwts = len(conn)
    if nwts == 0:  # line 104
        raise ValueError("no weights to fit (size = 0 needs skip = True)")
    if nwts > MaxNWts:  # lines 105-106
        raise ValueError(f"too many ({nwts}) weights: more than MaxNWts = {MaxNWts}")
    return Checked(x, y, size, maxit, bool(linout), ynames, nconn, conn)


def nnet(
    x: ArrayLike,
    y: ArrayLike,
    size: int,
    Wts: ArrayLike | None = None,
    rang: float = 0.7,
    decay: float = 0.0,
    maxit: int = 100,
    abstol: float = 1.0e-4,
    reltol: float = 1.0e-8,
    linout: bool = False,
    entropy: bool = False,
    softmax: bool = False,
    skip: bool = False,
    trace: bool = True,
    MaxNWts: int = 1000,
    seed: int | RGenerator | None = None,
    ynames: Sequence[str] | None = None,
) -> NnetFit:
    """R's ``set.seed(seed); nnet(x, y, size, ...)`` (nnet.default, R/nnet.R lines 75-176).

    ``x`` is (N, D), ``y`` is (N, K) (or N values). ``size`` hidden units (0
    needs ``skip``). The starting weights are ``Wts`` if given, else
    ``runif(nwts, -rang, rang)`` drawn after ``set.seed(seed)`` (or from the
    ``RGenerator`` given as ``seed``, which goes on as R's stream would), or
    zeros when ``rang`` is 0. ``linout``: linear outputs; ``entropy``:
    cross-entropy for 0/1 targets; ``softmax``: softmax outputs and the
    multinomial log-likelihood (K >= 2); at most one of the three. ``trace``
    prints what R prints. ``ynames`` are R's ``colnames(y)``: a softmax fit's
    class labels (``lev``). Returns an ``NnetFit``: ``wts`` (nnet's order),
    ``value``, ``fitted_values``, ``residuals``, ``convergence`` (1 if
    ``maxit`` was reached), ``n`` (D, H, K), ``conn``, ``nconn``, ``lev``, the
    matrices ``W_1``, ``B_1``, ``W_2``, ``B_2`` (and ``W_skip`` with ``skip``),
    and ``predict``, ``summary`` and R's printed form.
    """
    checked = check_nnet(x, y, size, rang=rang, decay=decay, maxit=maxit, abstol=abstol,
                         reltol=reltol, linout=linout, entropy=entropy, softmax=softmax,
                         skip=skip, trace=trace, MaxNWts=MaxNWts, ynames=ynames)  # fmt: skip
    x, y, size, maxit, linout, ynames = (checked.x, checked.y, checked.size, checked.maxit,
                                         checked.linout, checked.ynames)  # fmt: skip
    D, K = x.shape[1], y.shape[1]
    n = (D, size, K)  # nnet.R line 97: net$n
    nconn, conn = checked.nconn, checked.conn
    nwts = len(conn)
    nunits = 1 + D + size + K
    nsunits = nunits - K if linout else nunits  # lines 107-108: the sigmoid units
    wts = _starting_weights(Wts, nwts, float(rang), seed)  # lines 116-120
    if trace:  # lines 122-128: cat("# weights: ", length(wts)), then "\n"
        rprintf(f"# weights:  {nwts}\n")

    net = _Net(n, nconn, conn, [float(decay)] * nwts, nsunits, entropy, softmax)  # VR_set_net
    net.set_training_data(x, y)
    fit = vmmin(  # VR_dovm, nnet.c lines 435-449
        wts, net.fminfn, net.fmingr, maxit, trace, [True] * nwts, float(abstol), float(reltol),
        REPORT,
    )  # fmt: skip
    fitted = net.nntest(x, fit.b)  # nnet.R lines 161-165: VR_nntest
    lev = ("0", "1") if entropy else ynames if softmax else None  # lines 170-171
    return NnetFit(
        n=n,
        nconn=_read_only(np.array(nconn, dtype=np.int64)),
        conn=_read_only(np.array(conn, dtype=np.int64)),
        nsunits=nsunits,
        decay=float(decay),
        entropy=bool(entropy),
        softmax=bool(softmax),
        value=fit.Fmin,
        wts=_read_only(np.array(fit.b, dtype=np.float64)),
        convergence=fit.fail,
        fitted_values=_read_only(fitted),
        residuals=_read_only(y - fitted),
        lev=lev,
    )


def _read_only(a: NDArray[Any]) -> NDArray[Any]:
    a.flags.writeable = False
    return a


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class NnetFit:
    """R's ``nnet`` object (nnet.default's ``net``, R/nnet.R lines 97-175), its fields
    in R's order and under R's names (``fitted.values``: ``fitted_values``).

    ``n`` is (D, H, K); ``nconn`` and ``conn`` the layout; ``nsunits`` the
    number of units with a sigmoid (all but the outputs with ``linout`` or
    ``softmax``); ``decay``, ``entropy``, ``softmax`` as fitted; ``value`` the
    final criterion; ``wts`` the weights in nnet's order; ``convergence`` 1 if
    ``maxit`` was reached; ``fitted_values`` and ``residuals`` (N, K); ``lev``
    the class labels ``predict(type="class")`` gives, or None (see the module's
    notes). ``str(fit)`` is what R's ``print(fit)`` prints.
    """

    n: tuple[int, int, int]
    nconn: NDArray[np.int64]
    conn: NDArray[np.int64]
    nsunits: int
    decay: float
    entropy: bool
    softmax: bool
    value: float
    wts: Vector
    convergence: int
    fitted_values: Matrix
    residuals: Matrix
    lev: tuple[str, ...] | None = None

    @property
    def nunits(self) -> int:
        """R's ``net$nunits``: the bias unit, D inputs, H hidden units, K outputs."""
        return 1 + sum(self.n)

    @property
    def skip(self) -> bool:
        """Skip-layer connections: the last unit has more than a bias and H hidden units
        (print.nnet's test, R/nnet.R line 326)."""
        return int(self.nconn[-1] - self.nconn[-2]) > self.n[1] + 1

    @property
    def matrices(self) -> dict[str, Matrix]:
        """``wts`` as the lecture's ``W_1``, ``B_1``, ``W_2``, ``B_2`` (and ``W_skip``)."""
        return lecture_matrices(self.wts, self.n, self.skip)

    @property
    def W_1(self) -> Matrix:
        return self.matrices["W_1"]

    @property
    def B_1(self) -> Matrix:
        return self.matrices["B_1"]

    @property
    def W_2(self) -> Matrix:
        return self.matrices["W_2"]

    @property
    def B_2(self) -> Matrix:
        return self.matrices["B_2"]

    def predict(
        self,
        newx: ArrayLike | None = None,
        type: str = "raw",
        rng: int | RGenerator | None = None,
    ) -> NDArray[Any]:
        """R's ``predict(fit, newdata, type)`` (predict.nnet, R/nnet.R lines 179-231).

        ``newx``: rows of D inputs as the fit was given them (one row may be a
        vector); None: the fitted values, as R without ``newdata``.
        ``type="raw"``: the (N, K) outputs, ``VR_nntest``'s (softmax: the
        probabilities). ``type="class"``: ``lev`` of each row's output, an (N,)
        array of str (None where R gives NA): with one output ``lev[1 + (z >
        0.5)]``, else ``lev[max.col(z)]``, R's ``max.col``, which takes outputs
        within 1e-5 of the row's largest as tied and breaks ties at random from
        R's generator. ``rng`` is that generator: an ``RGenerator`` (the one
        ``nnet(seed=...)`` drew from goes on as R's stream would after
        ``set.seed(seed); nnet(...)``), or a seed (R's ``set.seed(rng)`` just
        before ``predict``); None: a fresh one, as a session without
        ``set.seed``. A draw is spent only on a tie. A fit without ``lev``
        refuses ``type="class"``, as R does.

        Unlike R, rows that are not finite (R refuses NA, lets Inf through) or
        have not D columns (R does not check) are refused here.
        """
        if type not in ("raw", "class"):
            raise ValueError(f'type must be "raw" or "class"; got {describe(type)}')
        if type == "class" and self.lev is None:
            raise ValueError(
                "inappropriate fit for class: this fit has no class labels (lev), as R's "
                "nnet fits without softmax or entropy, or a softmax fit on a y without "
                "column names (give them as nnet(..., ynames=...), or "
                "dataclasses.replace(fit, lev=...), as R's fit$lev <- ...)"
            )
        if newx is None:
            z = np.asarray(self.fitted_values)  # R: fitted(object)
        else:
            z = self._outputs(newx)
        if type == "raw":
            return z
        lev = self.lev
        assert lev is not None

        def label(index: int | None) -> str | None:  # R's lev[index]: NA past the end
            return lev[index - 1] if index is not None and index <= len(lev) else None

        if z.shape[1] > 1:
            indices = max_col(z, rng)
        else:
            indices = [None if math.isnan(v) else 1 + (v > 0.5) for v in z[:, 0].tolist()]
        return np.array([label(i) for i in indices], dtype=object)

    def _outputs(self, newx: ArrayLike) -> Matrix:
        """predict.nnet's matrix branch: ``VR_set_net`` with no decay and no entropy,
        then ``VR_nntest`` on the rows (R/nnet.R lines 200-222)."""
        x = np.asarray(newx)
        if x.ndim == 1:
            x = x.reshape(1, -1)  # dim(newdata) <- c(1L, length(newdata))
        D = self.n[0]
        if not is_numeric_matrix(x) or x.shape[1] != D:
            raise ValueError(f"newx must be rows of {D} numbers (a matrix); got {describe(newx)}")
        if np.any(np.isnan(x)):
            raise ValueError("missing values in 'x'")  # R's words
        if not np.all(np.isfinite(x)):
            raise ValueError("newx must not have infinite values")
        net = _Net(self.n, self.nconn.tolist(), self.conn.tolist(), [0.0] * len(self.wts),
                   self.nsunits, False, self.softmax)  # fmt: skip
        return net.nntest(x.astype(np.float64), self.wts.tolist())

    def coef(self) -> dict[str, float]:
        """R's ``coef(fit)`` (coef.nnet, R/nnet.R lines 335-349): the weights named
        source->destination, ``b`` the bias, ``i1``.., ``h1``.., ``o1``.. (``o`` alone
        for one output)."""
        D, H, K = self.n
        wm = ["b", *(f"i{i}" for i in range(1, D + 1)), *(f"h{h}" for h in range(1, H + 1))]
        wm += [f"o{k}" for k in range(1, K + 1)] if K > 1 else ["o"]
        units = [j for j in range(self.nunits) for _ in range(self.nconn[j + 1] - self.nconn[j])]
        names = [f"{wm[int(c)]}->{wm[j]}" for c, j in zip(self.conn, units, strict=True)]
        return dict(zip(names, self.wts.tolist(), strict=True))

    def _header(self) -> str:
        """print.nnet's lines (R/nnet.R lines 317-333), and print.summary.nnet's first two."""
        D, H, K = self.n
        options = "options were -"
        if self.skip:
            options += " skip-layer connections "
        if self.nunits > self.nsunits and not self.softmax:
            options += " linear output units "
        if self.entropy:
            options += " entropy fitting "
        if self.softmax:
            options += " softmax modelling "
        if self.decay > 0:
            options += f" decay={format_column([self.decay])[0]}"  # cat(): 7 digits
        return f"a {D}-{H}-{K} network with {len(self.wts)} weights\n{options}"

    def __str__(self) -> str:
        """What R's ``print(fit)`` prints (for a fit from nnet's x/y interface)."""
        return self._header()

    __repr__ = __str__

    def summary(self) -> str:
        """What R's ``print(summary(fit))`` prints (print.summary.nnet, R/nnet.R lines
        358-375): print's two lines, then each unit's weights rounded to 2 decimals
        (R's ``round``), formatted together (``format``), printed unit by unit as
        named vectors."""
        weights = self.coef()
        cells = format_column([fround(w, 2) + 0.0 for w in weights.values()])  # no -0
        width = max(len(cell) for cell in cells)
        cells = [cell.rjust(width) for cell in cells]  # format() pads to a common width
        names = list(weights)
        parts = [self._header()]
        for j in range(self.nunits):  # split(wts, rep(1:nunits, tconn)): units with weights
            first, last = int(self.nconn[j]), int(self.nconn[j + 1])
            if last > first:
                parts.append(format_named_vector(cells[first:last], names[first:last]))
        return "\n".join(parts)


def max_col(m: ArrayLike, rng: int | RGenerator | None = None) -> list[int | None]:
    """R's ``max.col(m)`` (ties.method "random"; R_max_col, src/appl/maxcol.c): each
    row's column of its largest entry, 1-based; None (R's NA) for a row with NaN.

    Entries within ``RELTOL`` (1e-5) times the row's largest absolute finite entry
    of the running maximum are ties, broken by reservoir sampling: the ``ntie``-th
    tie replaces the choice when ``ntie * unif_rand() < 1``. ``rng`` is R's
    generator at that moment (an int: ``set.seed(rng)``; None: a fresh one); a
    draw is spent only on a tie.
    """
    generator: RGenerator | None = rng if isinstance(rng, RGenerator) else None
    seed = secrets.randbits(31) if rng is None else rng  # R's seed from the clock, or set.seed
    if not isinstance(seed, RGenerator):
        check_seed(seed)

    def unif_rand() -> float:  # R's GetRNGstate() at the first tie, then unif_rand()
        nonlocal generator
        if generator is None:
            assert not isinstance(seed, RGenerator)
            generator = set_seed(seed)
        return float(generator.unif_rand(1)[0])

    maxes: list[int | None] = []
    for row in np.asarray(m, dtype=np.float64).tolist():
        if any(math.isnan(a) for a in row):
            maxes.append(None)
            continue
        large = 0.0
        for a in row:
            if math.isfinite(a):
                large = max(large, abs(a))  # fmax2(large, fabs(a))
        tol = RELTOL * large
        m_, ntie, a = 0, 1, row[0]
        for c in range(1, len(row)):
            b = row[c]
            if b > a + tol:  # tol could be zero
                a, m_, ntie = b, c, 1
            elif b >= a - tol:  # b ~= the current max a
                ntie += 1
                if ntie * unif_rand() < 1.0:
                    m_ = c
        maxes.append(m_ + 1)
    return maxes


M_LOG10_2 = 0.301029995663981195213738894724  # C's M_LOG10_2, log10(2)


def fround(x: float, digits: int) -> float:
    """R's ``round(x, digits)`` for 1 <= digits <= 22 (fround, src/nmath/fround.c, R 4.0.0
    on): the nearer of x rounded down and up to ``digits`` decimals, measured in doubles;
    an exact middle goes to the even last digit."""
    if not math.isfinite(x) or x == 0.0:
        return x
    sgn = 1.0
    if x < 0.0:
        sgn, x = -1.0, -x
    l10x = M_LOG10_2 * (0.5 + (math.frexp(x)[1] - 1))  # logb(x): x's binary exponent
    if l10x + digits > 15:  # DBL_DIG: no rounding needed
        return sgn * x
    pow10 = 10.0**digits  # R_pow_di(10., dig): 10^digits, exact for digits <= 22
    x10 = x * pow10
    i10 = float(math.floor(x10))
    xd = i10 / pow10
    xu = float(math.ceil(x10)) / pow10
    du, dd = xu - x, x - xd
    return sgn * (xu if du < dd or (math.fmod(i10, 2.0) == 1 and du == dd) else xd)


def lecture_matrices(
    wts: ArrayLike, n: tuple[int, int, int], skip: bool = False
) -> dict[str, Matrix]:
    """nnet's weight vector as the lecture's W_1 (D x H), B_1 (1 x H), W_2 (H x K), B_2 (1 x K).

    Hidden unit h's weights are its bias then inputs 1..D; output k's are its
    bias, hidden units 1..H, then (``skip``) inputs 1..D, which go to
    ``W_skip`` (D x K).
    """
    D, H, K = n
    w = np.asarray(wts, dtype=np.float64)
    hidden = w[: H * (D + 1)].reshape(H, D + 1)  # row h: bias, inputs
    per_output = 1 + H + (D if skip else 0)
    output = w[H * (D + 1) :].reshape(K, per_output)  # row k: bias, hidden, (inputs)
    out = {
        "W_1": hidden[:, 1:].T.copy(),
        "B_1": hidden[:, :1].T.copy(),
        "W_2": output[:, 1 : 1 + H].T.copy(),
        "B_2": output[:, :1].T.copy(),
    }
    if skip:
        out["W_skip"] = output[:, 1 + H :].T.copy()
    return out


def _check_data(x: ArrayLike, y: ArrayLike) -> tuple[Matrix, Matrix]:
    """nnet.R lines 82-86: as.matrix(x), as.matrix(y), no missing values, rows alike."""
    x_arr, y_arr = np.asarray(x), np.asarray(y)
    if y_arr.ndim == 1:
        y_arr = y_arr.reshape(-1, 1)  # as.matrix(y) of a vector: one column
    for name, a in (("x", x_arr), ("y", y_arr)):
        if not is_numeric_matrix(a) or a.size == 0:
            raise ValueError(f"{name} must be a non-empty numeric matrix; got {describe(a)}")
        if not np.all(np.isfinite(a)):
            raise ValueError(f"{name} must not have missing or infinite values")
    if x_arr.shape[0] != y_arr.shape[0]:
        raise ValueError(f"nrows of x and y must match; got {x_arr.shape[0]} and {y_arr.shape[0]}")
    return x_arr.astype(np.float64), y_arr.astype(np.float64)


def _layout(D: int, H: int, K: int, skip: bool) -> tuple[list[int], list[int]]:
    """``nconn`` and ``conn`` as nnet.R's norm.net and add.net build them (lines 242-268).

    add.net(net, from, to) gives each unit in ``to`` a bias (0) if it has no
    weights yet, then one weight from each unit in ``from``, after the weights
    it has. norm.net connects the inputs to the hidden units and the hidden
    units to the outputs (only when H > 0); ``skip`` then connects the inputs
    to the outputs.
    """
    nunits = 1 + D + H + K
    sources: list[list[int]] = [[] for _ in range(nunits)]  # per unit, its source units
    inputs = list(range(1, D + 1))
    hidden = list(range(D + 1, D + H + 1))
    outputs = list(range(D + H + 1, nunits))

    def add_net(frm: list[int], to: list[int]) -> None:
        for i in to:
            sources[i] += ([] if sources[i] else [0]) + frm

    if H > 0:  # norm.net: if(n[2L] <= 0) return(net)
        add_net(inputs, hidden)
        add_net(hidden, outputs)
    if skip:
        add_net(inputs, outputs)
    nconn = [0]
    for unit in sources:
        nconn.append(nconn[-1] + len(unit))
    return nconn, [source for unit in sources for source in unit]


def _starting_weights(
    Wts: ArrayLike | None, nwts: int, rang: float, seed: int | RGenerator | None
) -> list[float]:
    """nnet.R lines 116-120: Wts, or runif(nwts, -rang, rang), or zeros when rang is 0."""
    if Wts is not None:
        w = np.asarray(Wts)
        if w.ndim != 1 or w.dtype.kind not in "iuf" or not np.all(np.isfinite(w)):
            raise ValueError(f"Wts must be a vector of finite numbers; got {describe(Wts)}")
        if w.size != nwts:
            raise ValueError(f"Wts must have {nwts} weights (nnet's layout); got {w.size}")
        return [float(v) for v in w.tolist()]
    if rang == 0:
        return [0.0] * nwts
    if seed is None:
        raise ValueError("seed must be given (R's set.seed(seed) before nnet), or Wts")
    generator = seed if isinstance(seed, RGenerator) else set_seed(seed)
    return [float(v) for v in generator.runif(nwts, -rang, rang).tolist()]


class _Net:
    """nnet.c's static variables and the functions that use them, one object per fit.

    The names are the C names (``Nunits``, ``FirstHidden``, ``Outputs``, ...)
    so that each method reads beside its C function.
    """

    def __init__(
        self,
        n: tuple[int, int, int],
        nconn: list[int],
        conn: list[int],
        decay: list[float],
        nsunits: int,
        entropy: bool,
        softmax: bool,
    ) -> None:
        """VR_set_net and Build_Net (nnet.c lines 72-99, 141-155)."""
        ninputs, nhidden, noutputs = n
        self.Nunits = 1 + ninputs + nhidden + noutputs
        self.Ninputs = ninputs
        self.FirstHidden = 1 + ninputs
        self.FirstOutput = 1 + ninputs + nhidden
        self.Noutputs = noutputs
        self.Nconn = list(nconn)
        self.Nweights = self.Nconn[self.Nunits]
        self.Conn = list(conn)
        self.Decay = list(decay)
        self.NSunits = nsunits
        self.Entropy = entropy
        self.Softmax = softmax
        self.Outputs = [0.0] * self.Nunits
        self.Outputs[0] = 1.0  # the bias unit
        self.ErrorSums = [0.0] * self.Nunits
        self.Errors = [0.0] * self.Nunits
        self.Probs = [0.0] * self.Nunits
        self.wts = [0.0] * self.Nweights
        self.Slopes = [0.0] * self.Nweights
        self.TotalError = 0.0
        self.TrainIn: list[list[float]] = []
        self.TrainOut: list[list[float]] = []

    def set_training_data(self, x: Matrix, y: Matrix) -> None:
        """VR_dovm's TrainIn and TrainOut (nnet.c lines 442-445), one list per row.

        Every case weight (``Weights[i]``, nnet's ``weights``) is 1 here: C's
        ``wx * ...`` by 1.0 changes no bit, so it is left out below.
        """
        self.TrainIn = x.tolist()
        self.TrainOut = y.tolist()

    @staticmethod
    def sigmoid(sum: float) -> float:
        """nnet.c lines 157-166: exactly 0 below -15, 1 above 15, else 1 / (1 + exp(-sum))."""
        if sum < -15.0:
            return 0.0
        elif sum > 15.0:
            return 1.0
        else:
            return 1.0 / (1.0 + math.exp(-sum))

    def E(self, y: float, t: float) -> float:
        """nnet.c lines 169-184: one output's error, squared or cross-entropy."""
        sum = 0.0
        if self.Entropy:
            if t > 0:
                sum -= t * math.log((y + EPS) / t)
            if t < 1:
                sum -= (1 - t) * math.log((1 - y + EPS) / (1 - t))
        else:
            dif = y - t
            sum = dif * dif
        return sum

    def fpass(self, input: list[float], goal: list[float]) -> None:
        """nnet.c lines 187-238: forward pass of one case; adds its error to TotalError."""
        Outputs, Conn, wts = self.Outputs, self.Conn, self.wts
        for i in range(self.Ninputs):  # lines 193-194
            Outputs[i + 1] = input[i]
        for j in range(self.FirstHidden, self.Nunits):  # lines 196-203
            sum = 0.0
            for i in range(self.Nconn[j], self.Nconn[j + 1]):
                sum += Outputs[Conn[i]] * wts[i]
            if j < self.NSunits:
                sum = self.sigmoid(sum)
            Outputs[j] = sum
        if self.Softmax:  # lines 204-234 (not censored)
            sum = 0.0
            t = Outputs[self.FirstOutput]  # avoid overflows by re-normalizing
            for i in range(self.FirstOutput + 1, self.Nunits):
                if Outputs[i] > t:
                    t = Outputs[i]
            for i in range(self.FirstOutput, self.Nunits):
                self.Probs[i] = math.exp(Outputs[i] - t)
                sum += self.Probs[i]
            for i in range(self.FirstOutput, self.Nunits):
                self.Probs[i] = self.Probs[i] / sum
                t = goal[i - self.FirstOutput]
                if t > 0:
                    if self.Probs[i] > 0:
                        self.TotalError -= t * math.log(self.Probs[i])
                    else:
                        self.TotalError += 1000
        else:  # lines 235-237
            for i in range(self.FirstOutput, self.Nunits):
                self.TotalError += self.E(Outputs[i], goal[i - self.FirstOutput])

    def bpass(self, goal: list[float]) -> None:
        """nnet.c lines 252-298: backward pass of one case; adds its gradient to Slopes."""
        Outputs, ErrorSums, Errors = self.Outputs, self.ErrorSums, self.Errors
        FirstOutput, Nunits = self.FirstOutput, self.Nunits
        if self.Softmax:  # lines 258-275 (not censored)
            sum = 0.0
            for i in range(FirstOutput, Nunits):
                sum += goal[i - FirstOutput]
            for i in range(FirstOutput, Nunits):
                ErrorSums[i] = sum * self.Probs[i] - goal[i - FirstOutput]
        elif self.Entropy:  # lines 276-278
            for i in range(FirstOutput, Nunits):
                ErrorSums[i] = Outputs[i] - goal[i - FirstOutput]
        else:  # lines 279-284
            for i in range(FirstOutput, Nunits):
                ErrorSums[i] = 2 * (Outputs[i] - goal[i - FirstOutput])
                if i < self.NSunits:
                    ErrorSums[i] *= _sigmoid_prime(Outputs[i])
        for i in range(self.FirstHidden, FirstOutput):  # lines 285-286
            ErrorSums[i] = 0.0
        for j in range(Nunits - 1, self.FirstHidden - 1, -1):  # lines 288-297
            Errors[j] = ErrorSums[j]
            if j < FirstOutput:
                Errors[j] *= _sigmoid_prime(Outputs[j])
            for i in range(self.Nconn[j], self.Nconn[j + 1]):
                cix = self.Conn[i]
                ErrorSums[cix] += Errors[j] * self.wts[i]
                self.Slopes[i] += Errors[j] * Outputs[cix]

    def fminfn(self, p: list[float]) -> float:
        """nnet.c lines 326-346: the objective, total error plus decay * sum of w^2."""
        for i in range(self.Nweights):
            self.wts[i] = p[i]
        self.TotalError = 0.0
        for i in range(len(self.TrainIn)):
            self.fpass(self.TrainIn[i], self.TrainOut[i])
        sum1 = 0.0
        for i in range(self.Nweights):
            sum1 += self.Decay[i] * p[i] * p[i]
        return self.TotalError + sum1

    def fmingr(self, p: list[float]) -> list[float]:
        """nnet.c lines 348-367: the gradient, from 2 * decay * w plus every case's bpass."""
        for i in range(self.Nweights):
            self.wts[i] = p[i]
        for j in range(self.Nweights):
            self.Slopes[j] = 2 * self.Decay[j] * self.wts[j]
        self.TotalError = 0.0
        for i in range(len(self.TrainIn)):
            self.fpass(self.TrainIn[i], self.TrainOut[i])
            self.bpass(self.TrainOut[i])
        return list(self.Slopes)

    def nntest(self, test: Matrix, inwts: list[float]) -> Matrix:
        """VR_nntest (nnet.c lines 116-138): the outputs (softmax: Probs) for each row."""
        for i in range(self.Nweights):
            self.wts[i] = inwts[i]
        toutputs = [0.5] * self.Noutputs  # a goal is needed by fpass, not used
        result = np.empty((test.shape[0], self.Noutputs), dtype=np.float64)
        for j, row in enumerate(test.tolist()):
            self.fpass(row, toutputs)
            source = self.Probs if self.Softmax else self.Outputs
            for i in range(self.Noutputs):
                result[j, i] = source[self.FirstOutput + i]
        return result


def _sigmoid_prime(value: float) -> float:
    """nnet.c lines 240-244: f'(z) from the unit's output f(z)."""
    return value * (1.0 - value)
