"""What a port from R to Python must get right: the porting-notes page.

Each note is a two-line example in each language; the site runs both while
it is built (R through the project's R session, Python here) and shows what
each prints. The examples are this file's own text, never user input.

Two notes depend on the processor: whether numpy's ``exp`` and ``@`` give R's
last bits. Those are measured while the page is built (``exp_note``,
``matmul_note``), and their text says what the building machine did: how many
of the values tried differ, or that none did; their example is the first input
that differs, or a fixed one where none does. Its numbers enter the examples'
code as float literals, formatted here with ``repr`` from numbers drawn here.
"""

from __future__ import annotations

import contextlib
import io
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from backprop.rarith import matmul as r_matmul
from backprop.rng import set_seed


@dataclass(frozen=True)
class PortingNote:
    topic: str
    why: str
    r: str
    python: str

    def run_python(self) -> str:
        """What the Python example prints."""
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(self.python, {"np": np, "set_seed": set_seed})  # noqa: S102 - our own text
        return out.getvalue().rstrip("\n")


# The measured notes' inputs: seeded, and numbers R's parser reads exactly (four
# decimals for exp, one for the matrices' entries), so R and Python start equal.
EXP_VALUES = 100_000
PRODUCTS = 2_000
EXP_FALLBACK = 1.6585  # the first value where they differ, where numpy uses AVX-512
AGREE, DIFFER = "agreed with", "differed from"  # the measured notes say one of these


def exp_inputs() -> NDArray[np.float64]:
    """The values exp_note tries: -20 to 20 in steps of 0.0001, seeded."""
    return np.random.default_rng(0).integers(-200_000, 200_001, size=EXP_VALUES) / 10_000


def _bits_differ(a: Any, b: Any) -> NDArray[np.bool_]:
    a64, b64 = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return np.asarray(a64.view(np.uint64) != b64.view(np.uint64))


def _libm_exp(z: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.array([math.exp(v) for v in z.tolist()])


def exp_note() -> PortingNote:
    """numpy's exp against libm's (math.exp, R's) over ``exp_inputs``, measured now.

    ``np.exp`` is looked up now, so a test can put another in its place; the
    example is the first value where it differs also in the example's own call
    on one value, else ``EXP_FALLBACK``.
    """
    z = exp_inputs()
    differ = _bits_differ(np.exp(z), _libm_exp(z))
    alone = (
        v for v in z[differ].tolist() if _bits_differ(np.exp([v]), _libm_exp(np.array([v]))).any()
    )
    shown = next(alone, None)
    count = int(differ.sum())
    tried = f"{EXP_VALUES:,} values tried (-20 to 20, four decimals)"
    if count:
        example = "the first of them" if shown is not None else "a value where they agree"
        measured = (
            f"on the machine that built this page it {DIFFER} libm's in the last bit "
            f"for {count:,} of {tried}; below, {example}."
        )
    else:
        measured = (
            f"on the machine that built this page it {AGREE} libm's on every one of "
            f"{tried}, as below; on a machine where numpy used AVX-512 it was a last bit "
            f"off for about 1 value in 20 (at {EXP_FALLBACK}, for one)."
        )
    shown = EXP_FALLBACK if shown is None else shown
    return PortingNote(
        "numpy's exp need not be the C library's",
        "R's exp() is the C library's (libm's), and so is Python's math.exp. numpy's "
        "np.exp is its own vectorised code, chosen for the processor and not promised "
        f"to be libm's: {measured} Bit-identical ports (backprop.nnet, backprop.rarith) "
        "use math.exp, libm's on every machine.",
        f"sprintf('%.17g', exp({shown!r}))",
        f"import math\nz = {shown!r}\nprint(math.exp(z), float(np.exp([z])[0]))",
    )


def product_inputs() -> list[tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """The pairs of 3x3 matrices matmul_note multiplies: entries -0.9 to 0.9 in
    steps of 0.1, seeded."""
    rng = np.random.default_rng(0)
    return [
        (rng.integers(-9, 10, (3, 3)) / 10, rng.integers(-9, 10, (3, 3)) / 10)
        for _ in range(PRODUCTS)
    ]


def matmul_note(product: Callable[[Any, Any], Any] = operator.matmul) -> PortingNote:
    """numpy's ``@`` (``product``, replaceable in tests) against R's ``%*%``
    (``rarith.matmul``, proven equal to it) over ``product_inputs``, measured now.

    The example is an entry that differs in the first product that does, else
    entry [1, 0] of the first product.
    """
    pairs = product_inputs()
    differing = []
    for a, b in pairs:
        differ = _bits_differ(product(a, b), r_matmul(a, b))
        if differ.any():
            differing.append((a, b, differ))
    count = len(differing)
    if differing:
        a, b, differ = differing[0]
        i, j = (int(k) for k in np.argwhere(differ)[0])
    else:
        (a, b), (i, j) = pairs[0], (1, 0)
    tried = f"{PRODUCTS:,} random 3x3 products (entries -0.9 to 0.9 in steps of 0.1)"
    if count:
        measured = (
            f"On the machine that built this page, {count:,} of {tried} {DIFFER} R's "
            "in some last bit; below, an entry of the first of them."
        )
    else:
        measured = (
            f"On the machine that built this page numpy's @ {AGREE} R's on every one of "
            f"{tried}, as below; where OpenBLAS used its kernels for processors with fused "
            "multiply-add (Haswell and later), most of them differed in a last bit."
        )
    return PortingNote(
        "%*% adds in the reference BLAS's order",
        "R's %*% calls the reference BLAS, which adds each product in turn; numpy's @ "
        "calls an optimised BLAS (OpenBLAS in numpy's wheels), whose kernel, chosen for "
        f"the processor, may fuse multiplies and adds and order them its own way. {measured} "
        "An array made with as_r() multiplies as R does, on every machine.",
        f"A <- {_r_matrix(a)}\nB <- {_r_matrix(b)}\nsprintf('%.17g', (A %*% B)[{i + 1}, {j + 1}])",
        f"from backprop.rarith import as_r\nA = {_python_matrix(a)}\nB = {_python_matrix(b)}\n"
        f"print(float((A @ B)[{i}, {j}]), float((as_r(A) @ B)[{i}, {j}]))",
    )


def _r_matrix(m: NDArray[np.float64]) -> str:
    """R code for the 3x3 matrix m, its rows in the order written."""
    return f"matrix(c({', '.join(repr(v) for v in m.ravel().tolist())}), 3, byrow = TRUE)"


def _python_matrix(m: NDArray[np.float64]) -> str:
    rows = ", ".join("[" + ", ".join(repr(v) for v in row) + "]" for row in m.tolist())
    return f"np.array([{rows}])"


# The page's notes in order; a function stands for a note measured when the page is built.
PORTING_NOTES: tuple[PortingNote | Callable[[], PortingNote], ...] = (
    PortingNote(
        "matrix() fills by column",
        "numpy's reshape fills by row unless told order='F': the same six numbers "
        "make other weights.",
        "W <- matrix(1:6, nrow = 2, ncol = 3)\nW",
        'W = np.arange(1, 7).reshape((2, 3), order="F")\nprint(W)',
    ),
    PortingNote(
        "set.seed and runif",
        "numpy's own seeding gives other numbers; backprop.rng is R's generator, bit for bit.",
        "set.seed(1)\nrunif(3)",
        "rng = set_seed(1)\nprint(rng.runif(3))",
    ),
    PortingNote(
        "sample() is R's own shuffle",
        "numpy's permutation gives another order from any seed; backprop.rng's sample is "
        'R\'s (the "Rejection" kind of R >= 3.6) bit for bit, so held-out rows and '
        "mini-batches are R's.",
        "set.seed(1)\nsample(10)",
        "print(set_seed(1).sample(10))",
    ),
    PortingNote(
        "%*% is the matrix product, * is element-wise",
        "In both languages * multiplies element by element; R's %*% is Python's @.",
        "A <- matrix(1:4, 2)\nA %*% A; A * A",
        'A = np.arange(1, 5).reshape((2, 2), order="F")\nprint(A @ A); print(A * A)',
    ),
    PortingNote(
        "R's x^2 is x * x",
        "R computes x^2 as x * x, exactly; so does numpy's x ** 2. Other powers go "
        "through pow() in both.",
        "x <- 0.1\nidentical(x^2, x * x)",
        "x = np.float64(0.1)\nprint(x**2 == x * x)",
    ),
    PortingNote(
        "A Python float's x ** 2 is pow(), not x * x",
        "numpy arrays square with x * x, as R does; a plain Python float goes through "
        "C's pow(), one ulp off x * x for about 1 value in 1,200 here. backprop.nnet, "
        "which must equal R's nnet to the last bit, writes x * x.",
        "x <- -0.8843031552730771\nsprintf('%.17g', c(x^2, x * x))",
        "x = -0.8843031552730771\nprint(x**2, x * x)",
    ),
    exp_note,
    matmul_note,
    PortingNote(
        "sum() adds in long double",
        "R's sum() adds in order in the x87's 80-bit long double and rounds once; "
        "np.sum adds in double (pairwise for long vectors), a last bit apart now and "
        "then. backprop.rarith does R's arithmetic: rsum is R's sum, and so is np.sum "
        "of an array made with as_r().",
        "x <- c(1, 1e-16, 1e-16)\nsprintf('%.17g', sum(x))",
        "from backprop.rarith import as_r\nx = np.array([1, 1e-16, 1e-16])\n"
        "print(np.sum(x), np.sum(as_r(x)))",
    ),
    PortingNote(
        "Indices start at 1 in R, at 0 in Python",
        "The first row is X[1, ] in R and X[0] in Python; R's 1:3 includes 3, range(3) "
        "stops before it.",
        "X <- matrix(1:6, 2)\nX[1, ]",
        'X = np.arange(1, 7).reshape((2, 3), order="F")\nprint(X[0])',
    ),
    PortingNote(
        "apply(x, 2, max) is a column-wise max",
        "MARGIN = 2 means columns; numpy names the axis that is reduced away: axis=0.",
        "x <- matrix(c(3, 5, 10, 5, 1, 2), 3)\napply(x, 2, max)",
        "x = np.array([[3, 5], [5, 1], [10, 2]])\nprint(x.max(axis=0))",
    ),
)


def porting_notes() -> tuple[PortingNote, ...]:
    """The page's notes, the processor-dependent ones measured now."""
    return tuple(note if isinstance(note, PortingNote) else note() for note in PORTING_NOTES)
