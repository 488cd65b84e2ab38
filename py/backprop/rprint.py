"""Numbers printed the way R's ``print()`` prints them (7 significant digits).

So that ``python -m backprop.lecture`` and ``Rscript r/lecture.R`` can be
compared by eye, and by ``diff``. This follows R's formatReal(): each column
gets the fewest decimals that show every entry to 7 significant digits, and
scientific notation only when it is narrower than fixed.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

DIGITS = 7  # R's default options(digits = 7)


def _significant(x: float) -> tuple[int, int]:
    """(exponent, number of significant digits) of ``x`` at 7 digits."""
    if x == 0:
        return 0, 1
    mantissa, exponent = f"{abs(x):.{DIGITS - 1}e}".split("e")
    return int(exponent), len(mantissa.replace(".", "").rstrip("0")) or 1


def format_column(values: Sequence[float] | NDArray[np.float64]) -> list[str]:
    """Format numbers with one common style, as R does for a column or vector."""
    shapes = [_significant(float(v)) for v in values]
    negative = any(v < 0 for v in values)
    left = max(max(e, 0) + 1 for e, _ in shapes)
    decimals = max(max(n - e - 1, 0) for e, n in shapes)
    fixed_width = negative + left + (decimals > 0) + decimals
    mantissa_digits = max(n for _, n in shapes) - 1
    exponent_width = 4 if max(abs(e) for e, _ in shapes) < 100 else 5
    sci_width = negative + 1 + (mantissa_digits > 0) + mantissa_digits + exponent_width
    if fixed_width <= sci_width:
        return [f"{v:.{decimals}f}" for v in values]
    return [_sci(float(v), mantissa_digits) for v in values]


def _sci(x: float, mantissa_digits: int) -> str:
    mantissa, exponent = f"{x:.{mantissa_digits}e}".split("e")
    return f"{mantissa}e{int(exponent):+03d}"


MAX_PRINT = 99999  # R's getOption("max.print")


def format_matrix(
    matrix: ArrayLike, colnames: Sequence[str] | None = None, max_print: int = MAX_PRINT
) -> str:
    """R's ``print(matrix)``: ``[i,]`` row labels, ``[,j]`` (or named) headers.

    As R (``printMatrix`` in src/main/printmatrix.c), it prints at most
    ``max_print`` entries (whole rows, at least one) and says how many rows it
    left out; the row labels are right-aligned in a width of the digits of
    nrow + 1, plus 3 (so 9 rows get the width of ``[10,]``).
    """
    m = np.atleast_2d(np.asarray(matrix, dtype=float))
    shown = m[: max(1, max_print // m.shape[1])]
    names = list(colnames) if colnames else [f"[,{j + 1}]" for j in range(m.shape[1])]
    columns = [[name, *format_column(shown[:, j])] for j, name in enumerate(names)]
    widths = [max(len(cell) for cell in column) for column in columns]
    labels = ["", *(f"[{i + 1},]" for i in range(shown.shape[0]))]
    label_width = len(str(m.shape[0] + 1)) + 3  # R's IndexWidth(r + 1) + 3
    lines = []
    for i, label in enumerate(labels):
        cells = (column[i].rjust(width) for column, width in zip(columns, widths, strict=True))
        lines.append(" ".join([label.rjust(label_width), *cells]))
    omitted = m.shape[0] - shown.shape[0]
    if omitted:
        rows = "row" if omitted == 1 else "rows"  # R's ngettext
        lines.append(f' [ reached getOption("max.print") -- omitted {omitted} {rows} ]')
    return "\n".join(lines)


WIDTH = 80  # R's getOption("width")


def format_vector(values: ArrayLike) -> str:
    """R's ``print()`` of a numeric vector: ``[1] ...``, every entry in one common
    width, wrapped at R's width of 80, each line labelled with the index of its
    first entry (``printVector`` in src/main/printvector.c).

    An empty one prints as R prints it: ``numeric(0)``.
    """
    if np.size(values) == 0:
        return "numeric(0)"
    cells = format_column(np.atleast_1d(np.asarray(values, dtype=float)))
    width = max(len(cell) for cell in cells)
    label_width = len(str(len(cells))) + 2  # R's IndexWidth(n) + 2: "[n]"
    per_line = max(1, (WIDTH - label_width) // (width + 1))
    return "\n".join(
        f"[{first + 1}]".rjust(label_width)
        + "".join(" " + cell.rjust(width) for cell in cells[first : first + per_line])
        for first in range(0, len(cells), per_line)
    )


def format_table(counts: ArrayLike, labels: Sequence[str], names: tuple[str, str]) -> str:
    """R's ``print()`` of a two-way ``table`` of counts with the same ``labels`` on
    both sides and dimnames ``names`` (rows, columns): ``print.table`` formats
    every count in one width, then prints it as a character matrix (row labels
    left-aligned after an offset, ``printMatrix`` in src/main/printmatrix.c)."""
    cells = [[str(int(n)) for n in row] for row in np.asarray(counts)]
    width = max(len(cell) for row in cells for cell in row)
    widths = [max(width, len(label)) for label in labels]
    row_name, column_name = names
    label_width = max(len(label) for label in labels)
    offset = 2 if len(row_name) < label_width + 2 else len(row_name) - label_width  # R_MIN_LBLOFF
    label_width += offset
    header = "".join(" " + label.rjust(w) for label, w in zip(labels, widths, strict=True))
    lines = [" " * label_width + column_name, row_name.ljust(label_width) + header]
    for label, row in zip(labels, cells, strict=True):
        counted = "".join(" " + cell.rjust(w) for cell, w in zip(row, widths, strict=True))
        lines.append((" " * offset + label).ljust(label_width) + counted)
    return "\n".join(lines)


def rprintf(text: str) -> None:
    """R's ``Rprintf`` and ``cat()``: to standard output, as it comes (nnet's and
    optim's trace lines appear while they run, as R's do)."""
    sys.stdout.write(text)
    sys.stdout.flush()


def format_named_vector(values: Sequence[str], names: Sequence[str], gap: int = 1) -> str:
    """R's ``print(x, quote = FALSE)`` of a named character vector (``printNamedVector``,
    src/main/printvector.c): every name and value right-aligned in one width (the
    widest of both), each followed by ``gap`` spaces, as many per line as fit in R's
    width of 80; a line of names, then a line of values, for each line's worth."""
    width = max(len(text) for text in [*values, *names])
    per_line = max(1, WIDTH // (width + gap))
    lines = []
    for first in range(0, len(values), per_line):
        for row in (names, values):
            lines.append(
                "".join(text.rjust(width) + " " * gap for text in row[first : first + per_line])
            )
    return "\n".join(lines)
