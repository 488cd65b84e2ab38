"""Reading a data CSV with clear errors, and the lecture's scaling.

Twin of ``r/data.R``. The last column is the target; the others are features.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from backprop.network import scale_features, scale_target

Matrix = NDArray[np.float64]


class DataError(ValueError):
    """The data file is missing or not a table of finite numbers."""


def read_data(path: str | Path) -> tuple[Matrix, Matrix]:
    """Raw features ``x`` (N, D) and target ``y`` (N, 1) from a CSV with a header."""
    rows = _read_rows(Path(path))
    header, body = rows[0], rows[1:]
    if len(header) < 2:
        raise DataError(
            f"{path}: need at least two columns (features, then target); got {len(header)}"
        )
    if not body:
        raise DataError(f"{path}: no data rows under the header")
    values = np.array([_numbers(row, len(header), path, line) for line, row in enumerate(body, 2)])
    x, y = values[:, :-1], values[:, -1:]
    _check_feature_maxima(x, header[:-1], path)
    return x, y


def load_scaled(path: str | Path) -> tuple[Matrix, Matrix]:
    """``read_data`` then the lecture's scaling: ``X`` in [0, 1], ``Y = y / 100``."""
    x, y = read_data(path)
    return scale_features(x), scale_target(y)


def _read_rows(path: Path) -> list[list[str]]:
    try:
        with path.open(newline="") as f:
            rows = [row for row in csv.reader(f) if row]
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise DataError(f"{path}: cannot read as CSV ({e})") from None
    if not rows:
        raise DataError(f"{path}: the file is empty")
    return rows


def _numbers(row: list[str], width: int, path: str | Path, line: int) -> list[float]:
    if len(row) != width:
        raise DataError(f"{path}, line {line}: expected {width} cells, got {len(row)}")
    numbers = []
    for cell in row:
        try:
            value = float(cell)
        except ValueError:
            raise DataError(f"{path}, line {line}: {cell!r} is not a number") from None
        if not math.isfinite(value):
            raise DataError(f"{path}, line {line}: {cell.strip()!r} is not a finite number")
        numbers.append(value)
    return numbers


def _check_feature_maxima(x: Matrix, names: list[str], path: str | Path) -> None:
    """Scaling divides by each column's maximum, so it must be positive."""
    for name, colmax in zip(names, x.max(axis=0), strict=True):
        if colmax <= 0:
            raise DataError(
                f"{path}: feature column {name!r} has maximum {colmax:g}; "
                "scaling divides by it, so it must be > 0"
            )
