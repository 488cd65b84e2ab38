"""What a port from R to Python must get right: the porting-notes page.

Each note is a two-line example in each language; the site runs both while
it is built (R through the project's R session, Python here) and shows what
each prints. The examples are this file's own fixed text, never user input.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

import numpy as np

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


PORTING_NOTES = (
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
    PortingNote(
        "numpy's exp is not the C library's",
        "On this machine (AVX-512) numpy's vectorised exp is one ulp from libm's, "
        "which R calls, for about 5% of inputs; math.exp is libm's. Bit-identical "
        "ports (backprop.nnet, backprop.rarith) use math.exp.",
        "sprintf('%.17g', exp(-5.688192131637191))",
        "import math\nz = -5.688192131637191\nprint(math.exp(z), float(np.exp([z])[0]))",
    ),
    PortingNote(
        "%*% adds in the reference BLAS's order",
        "R's %*% calls the reference BLAS, which adds each product in turn; numpy's @ "
        "calls OpenBLAS, which fuses multiplies and adds and orders them its own way: "
        "a last bit apart for most random 3x3 products here (1,947 of 2,000). An "
        "array made with as_r() multiplies as R does.",
        "x <- matrix(c(0.1, 0.1, 0.2), 1)\nsprintf('%.17g', x %*% c(1.1, 0.7, 0.2))",
        "from backprop.rarith import as_r\nx = np.array([[0.1, 0.1, 0.2]])\n"
        "w = np.array([[1.1], [0.7], [0.2]])\n"
        "print(float((x @ w)[0, 0]), float((as_r(x) @ w)[0, 0]))",
    ),
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
