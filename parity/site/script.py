"""The slides' script, chunk by chunk: ``r/lecture.R`` beside ``py/backprop/lecture.py``.

Both files are cut by comment lines ``# ---- name ----`` where the slides cut
the script (knitr's ``read_chunk`` marks its chunks the same way). A chunk
runs from its mark to the next one; a name may mark several pieces (Python's
``cost`` is a function at the top and its ``print`` in ``main``), joined in
file order, each dedented. The site and the notebook show the chunks named in
``CHUNKS``, in the slides' order, and run them in that order, R in one
environment and Python in one namespace, so each chunk is followed by what
each language prints of the values it made: R's console print, and numpy's
own ``print`` (R's layout, ``backprop.rprint``, as a second view).
"""

from __future__ import annotations

import contextlib
import io
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from backprop.rprint import format_matrix, format_vector
from parity.site.extract import SiteError

MARK = re.compile(r"^[ \t]*# ---- ([\w-]+) ----[ \t]*$")


@dataclass(frozen=True)
class Show:
    """A value a chunk made, as a student would look at it: typed at R's console
    (``r``) and given to Python's ``print`` (``python``)."""

    r: str
    python: str


@dataclass(frozen=True)
class Slip:
    """A line of the slides that does not work as printed, and the mended line."""

    slides: str  # as the slides print it
    mended: str  # as r/lecture.R has it
    what: str  # what is wrong, in words
    check: str  # R code whose error shows the slip, run before the mended chunk


@dataclass(frozen=True)
class Chunk:
    name: str
    title: str
    shows: tuple[Show, ...] = ()
    hood: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (stem, functions) of the library
    slip: Slip | None = None


def _same(*names: str) -> tuple[Show, ...]:
    return tuple(Show(n, n) for n in names)


# The script as the slides cut it ("Coding it up"), in their order.
CHUNKS = (
    Chunk("setup", "Python's imports"),
    Chunk("sigmoid", "The activation function", hood=(("network", ("sigmoid",)),)),
    Chunk("data", "The input data X and Y", _same("X", "Y"),
          (("network", ("scale_features", "scale_target")),)),
    Chunk("sizes", "Variables to specify properties of the neural network"),
    Chunk("forward", "Forward feed, every weight 1", _same("A_2", "Y_hat"),
          (("network", ("forward",)),)),
    Chunk("cost", "The cost function", (Show("cost(Y, Y_hat)", "cost(Y, Y_hat)"),),
          (("network", ("cost",)),)),
    Chunk("sigmoidprime", "Derivative of the activation function",
          (Show("sigmoidprime(Z_3)", "sigmoidprime(Z_3)"),),
          (("network", ("sigmoid_prime",)),)),
    Chunk("delta_3", "The gradient with respect to W_2", _same("delta_3", "djdw2"),
          slip=Slip("delta_3 <- -(Y - Y_hat) * sigmoidprime(Z_3))",
                    "delta_3 <- -(Y - Y_hat) * sigmoidprime(Z_3)",
                    "an extra <code>)</code> at the end of the line",
                    "delta_3 <- -(Y - Y_hat) * sigmoidprime(Z_3))")),
    Chunk("delta_2", "The gradient with respect to W_1", _same("delta_2", "djdw1"),
          (("network", ("backprop",)),),
          slip=Slip("djdwl <- t(X) %*% delta_2", "djdw1 <- t(X) %*% delta_2",
                    "<code>djdwl</code>, with a lower-case L, for <code>djdw1</code>: "
                    "the chunk runs, but <code>djdw1</code> is not there when asked for",
                    "delta_2 <- delta_3 %*% t(W_2) * sigmoidprime(Z_2)\n"
                    "djdwl <- t(X) %*% delta_2\ndjdw1")),
    Chunk("init", "Gradient descent: random starting weights", _same("W_1", "W_2"),
          (("network", ("init_weights",)),)),
    Chunk("descent", "Gradient descent: 10,000 steps",
          (Show("cost_hist[c(1, 2, 10000)]", "cost_hist[[0, 1, -1]]"),),
          (("network", ("train",)),)),
    Chunk("results", "Results", _same("W_1", "W_2", "Y_hat", "Y")),
)  # fmt: skip

# Chunks each file has that the page does not show: the command line and, in
# R, the plots' files (the page shows the plots themselves).
NOT_SHOWN = {"cli", "main", "plots"}
PYTHON_ONLY = {"setup"}  # R needs nothing loaded: matrices, %*% and runif are base R


def read_chunks(path: Path) -> dict[str, str]:
    """Every chunk of ``path`` by name, its pieces joined in file order, dedented."""
    try:
        lines = path.read_text().splitlines()
    except OSError as e:
        raise SiteError(f"cannot read {path}: {e.strerror}") from None
    pieces: dict[str, list[str]] = {}
    name: str | None = None
    current: list[str] = []

    def close() -> None:
        if name is not None:
            text = textwrap.dedent("\n".join(current)).strip("\n")
            pieces.setdefault(name, []).append(text)

    for line in lines:
        mark = MARK.match(line)
        if mark:
            close()
            name, current = mark.group(1), []
        else:
            current.append(line)
    close()
    return {n: "\n\n".join(p for p in parts if p) for n, parts in pieces.items()}


def script_chunks(root: Path) -> list[dict[str, str]]:
    """The shown chunks of both scripts under ``root``: name, title, R code, Python code.

    A chunk missing on either side (or a mark neither side should have) stops
    the build, naming it, as a missing twin does.
    """
    r_path, py_path = root / "r" / "lecture.R", root / "py" / "backprop" / "lecture.py"
    r, py = read_chunks(r_path), read_chunks(py_path)
    wanted = {c.name for c in CHUNKS}
    for chunk in CHUNKS:
        if chunk.name not in py:
            raise SiteError(f"no chunk '# ---- {chunk.name} ----' in {py_path}")
        if chunk.name not in r and chunk.name not in PYTHON_ONLY:
            raise SiteError(f"no chunk '# ---- {chunk.name} ----' in {r_path}")
    for path, found in ((r_path, r), (py_path, py)):
        stray = set(found) - wanted - NOT_SHOWN
        if stray:
            raise SiteError(f"{path}: chunks {sorted(stray)} are not in the site's list")
    return [{"name": c.name, "title": c.title, "r": r.get(c.name, ""), "python": py[c.name]}
            for c in CHUNKS]  # fmt: skip


def r_layout(value: Any) -> str:
    """``value`` as ``python -m backprop.lecture`` prints it: R's layout."""
    array = np.asarray(value, dtype=np.float64)
    return format_matrix(array) if array.ndim == 2 else format_vector(array)


def run_chunks(
    r: Any, chunks: list[dict[str, str]]
) -> tuple[list[dict[str, Any]], Any, dict[str, Any]]:
    """Run the chunks in order in both languages; what each printed and showed.

    ``r`` is the project's R session with ``parity/site/site.R`` sourced. For
    each chunk: what running it printed (``r_out``, ``python_out``) and, for
    each of its values, R's print, numpy's print and R's layout in Python;
    then R's environment and Python's namespace, as the last chunk left them.
    """
    env = r.call("new.env")
    namespace: dict[str, Any] = {"__name__": "lecture"}
    runs = []
    for chunk, code in zip(CHUNKS, chunks, strict=True):
        slip = None
        if chunk.slip is not None:  # before the mended chunk runs: as a student meets it
            slip = {
                "slides": chunk.slip.slides,
                "mended": chunk.slip.mended,
                "what": chunk.slip.what,
                "error": str(r.call("slides_line_error", chunk.slip.check, env)[0]),
            }
        r_out = str(r.call("run_chunk", code["r"], env)[0]) if code["r"] else ""
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code["python"], f"lecture.py:{chunk.name}", "exec"), namespace)  # noqa: S102
        shows = []
        for show in chunk.shows:
            value = eval(show.python, namespace)  # fixed text of CHUNKS  # noqa: S307
            numpy_print = io.StringIO()
            with contextlib.redirect_stdout(numpy_print):
                print(value)
            shows.append({
                "r_expr": show.r,
                "python_expr": show.python,
                "r": str(r.call("console_print", show.r, env)[0]),
                "numpy": numpy_print.getvalue().rstrip("\n"),
                "r_layout": r_layout(value),
            })  # fmt: skip
        runs.append({"r_out": r_out, "python_out": printed.getvalue().rstrip("\n"),
                     "shows": shows, "slip": slip})  # fmt: skip
    return runs, env, namespace
