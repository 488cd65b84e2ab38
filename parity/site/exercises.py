"""The lecture's exercises, their answers run by the build in both languages.

Each answer that is code is an R expression and its Python twin, evaluated
where the slides' script left its values (``parity.site.script.run_chunks``):
R's print beside numpy's.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

from backprop.data import load_scaled
from backprop.gradcheck import gradient_check
from backprop.resources import DATA_DIR

# The dimension quiz, asked of the script's own matrices.
DIMENSIONS = (
    ("dim(X)", "X.shape"),
    ("dim(W_1)", "W_1.shape"),
    ("dim(Z_2)", "Z_2.shape"),
    ("dim(W_2)", "W_2.shape"),
    ("dim(delta_3)", "delta_3.shape"),
    ("dim(delta_2)", "delta_2.shape"),
    ("dim(djdw1)", "djdw1.shape"),
)

# Porting drills: an R line of the script, and its Python.
DRILLS = (
    ("apply(x, 2, max)", "x.max(axis=0)", "a function over each column"),
    ("t(t(x)/colmax)", "x / colmax", "divide each column: numpy broadcasts over rows"),
    ("A_2 %*% W_2", "A_2 @ W_2", "the matrix product"),
    ("t(A_2)", "A_2.T", "the transpose"),
    ("0.5*sum((Y - Y_hat)^2)", "0.5 * np.sum((Y - Y_hat) ** 2)", "a sum of squares"),
    ("cost_hist[10000]", "cost_hist[9999]", "R counts from 1, Python from 0"),
    ("matrix(1, nrow = 2, ncol = 3)", "np.ones((2, 3))", "a matrix of ones"),
    ("colSums(delta_2)", "delta_2.sum(axis=0)", "sums of the columns"),
)


def _numpy_print(value: Any) -> str:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        print(value)
    return printed.getvalue().rstrip("\n")


def _pairs(r: Any, env: Any, namespace: dict[str, Any], pairs: Any) -> list[dict[str, str]]:
    return [
        {
            "r_expr": r_expr,
            "python_expr": py_expr,
            "what": rest[0] if rest else "",
            "r": str(r.call("console_print", r_expr, env)[0]),
            "numpy": _numpy_print(eval(py_expr, namespace)),  # fixed text above  # noqa: S307
        }
        for r_expr, py_expr, *rest in pairs
    ]


def run_exercises(r: Any, env: Any, namespace: dict[str, Any]) -> dict[str, Any]:
    """The answers: the dimensions, the drills, and the bias gradients' check."""
    X, Y = load_scaled(str(DATA_DIR / "lecture.csv"))
    r_data = r.call("load_scaled", str(DATA_DIR / "lecture.csv"))
    r_check = r.call("gradient_check", r_data["X"], r_data["Y"], bias=True)
    py_check = gradient_check(X, Y, bias=True)
    return {
        "dimensions": _pairs(r, env, namespace, DIMENSIONS),
        "drills": _pairs(r, env, namespace, DRILLS),
        "bias_check": {
            "r": str(r.call("printed", dict(r_check))[0]),  # R's print of R's list
            "numpy": _numpy_print({k: float(v) for k, v in py_check.items()}),
        },
    }
