"""Reading a data CSV with clear errors, and the lecture's scaling.

Twin of ``r/data.R``. The last column is the target; the others are features.
The target is a number (the lecture's scores, scaled by 1/100) or, for
classification, a class label encoded one-hot (softmax + cross-entropy) or
0/1 (sigmoid + binary cross-entropy); see ``load_scaled``.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from backprop.checks import check_name
from backprop.network import scale_features, scale_target

Matrix = NDArray[np.float64]


class DataError(ValueError):
    """The data file is missing or not a table of finite numbers."""


# How load_scaled encodes the target column: "numeric" (the lecture's y / 100),
# "onehot" (one column per class, for softmax) or "binary" (0/1, two classes).
TARGETS = ("numeric", "onehot", "binary")


def read_data(path: str | Path) -> tuple[Matrix, Matrix]:
    """Raw features ``x`` (N, D) and target ``y`` (N, 1) from a CSV with a header."""
    plain = _read_plain(Path(path))
    if plain is not None:
        header, values = plain
    else:
        header, body = read_table(path)
        try:
            values = np.array(
                [_numbers(row, len(header), path, line) for line, row in enumerate(body, 2)]
            )
        except DataError:
            stop_if_text_target(header, body, path)  # the clearer message, if it is that
            raise
    x, y = values[:, :-1], values[:, -1:]
    check_feature_maxima(x, header[:-1], path)
    return x, y


def read_labeled(path: str | Path) -> tuple[Matrix, list[str]]:
    """Raw features ``x`` (N, D) and the target column's N cells as class labels.

    Labels are the cells' text with surrounding blanks removed; "0" and "1"
    are labels like any other.
    """
    header, body = read_table(path)
    features, labels = [], []
    for line, row in enumerate(body, 2):
        if len(row) != len(header):
            raise DataError(f"{path}, line {line}: expected {len(header)} cells, got {len(row)}")
        features.append(_numbers(row[:-1], len(header) - 1, path, line))
        label = row[-1].strip(_BLANKS)
        if not label:
            raise DataError(f"{path}, line {line}: the class label (last cell) is empty")
        labels.append(label)
    x = np.array(features)
    check_feature_maxima(x, header[:-1], path)
    return x, labels


def class_names(labels: list[str]) -> list[str]:
    """The distinct labels in C-locale order (by code point), as R's ``sort(method = "radix")``."""
    return sorted(set(labels))


def read_classes(path: str | Path) -> list[str]:
    """The class names of the target column, in the order of the encodings' columns / 0, 1."""
    return class_names(read_labeled(path)[1])


def encode_onehot(labels: list[str], classes: list[str]) -> Matrix:
    """One column per class, in the order of ``classes``: row i has a 1 in its class's column."""
    if len(classes) < 2:
        raise DataError(
            f"a one-hot target needs at least two classes; got {len(classes)}: "
            f"{describe_classes(classes)}"
        )
    column = {name: j for j, name in enumerate(classes)}
    Y = np.zeros((len(labels), len(classes)))  # (N, K)
    for i, label in enumerate(labels):
        Y[i, column[label]] = 1.0
    return Y


def encode_binary(labels: list[str], classes: list[str]) -> Matrix:
    """0 for the first class, 1 for the second: an (N, 1) target for binary cross-entropy."""
    if len(classes) != 2:
        raise DataError(
            f"a binary target needs exactly two classes; got {len(classes)}: "
            f"{describe_classes(classes)}; use the 'onehot' target for more than two"
        )
    return np.array([[float(label == classes[1])] for label in labels])  # (N, 1)


def load_scaled(path: str | Path, target: str = "numeric") -> tuple[Matrix, Matrix]:
    """Features scaled into [0, 1] by each column's maximum, and the target encoded.

    ``target`` is one of ``TARGETS``: "numeric" is the lecture's ``Y = y / 100``;
    "onehot" gives ``Y`` (N, K), "binary" gives ``Y`` (N, 1) of 0 and 1, with the
    classes in the order ``read_classes(path)`` returns. Class targets are not scaled.
    """
    check_name("target", target, TARGETS)
    if target == "numeric":
        x, y = read_data(path)
        return scale_features(x), scale_target(y)
    x, labels = read_labeled(path)
    classes = class_names(labels)
    encode = encode_onehot if target == "onehot" else encode_binary
    try:
        Y = encode(labels, classes)
    except DataError as e:
        raise DataError(f"{path}: {e}") from None
    return scale_features(x), Y


def read_table(path: str | Path) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows: at least two columns and one row."""
    rows = _read_rows(Path(path))
    header, body = rows[0], rows[1:]
    if len(header) < 2:
        raise DataError(
            f"{path}: need at least two columns (features, then target); got {len(header)}"
        )
    if not body:
        raise DataError(f"{path}: no data rows under the header")
    return header, body


def _read_rows(path: Path) -> list[list[str]]:
    try:
        with path.open(newline="") as f:
            lines = f.readlines()
        rows = [row for row in csv.reader(lines) if row]
        _stop_if_quote_left_open(path, lines)
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise DataError(f"{path}: cannot read as CSV ({e})") from None
    if not rows:
        raise DataError(f"{path}: the file is empty")
    return rows


def _stop_if_quote_left_open(path: Path, lines: list[str]) -> None:
    """A quote that is never closed swallows the rest of the file into one cell, in R
    as in Python: refuse it, naming the row and column where it opens."""
    reader = csv.reader(lines, strict=True)  # strict: the end of the file inside quotes
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error as e:
        if "unexpected end of data" not in str(e):
            return  # not an open quote (strict's other complaints, which R reads through)
        header = next(csv.reader(lines[:1]), [])
        cells = next(csv.reader(["".join(lines[start - 1 :]) + '"']))
        name = f" ('{header[len(cells) - 1]}')" if start > 1 and len(cells) <= len(header) else ""
        raise DataError(
            f"{path}, line {start}: the quote that opens column {len(cells)}{name} is never "
            "closed, so the rest of the file would be one cell"
        ) from None


_PLAIN = b"0123456789+-.eE, \t\n"  # all a plain table's data rows may hold
_BLANK_ROW = re.compile(rb"^[ \t]+$", re.MULTILINE)  # one cell of blanks, to the exact reader


def _read_plain(path: Path) -> tuple[list[str], Matrix] | None:
    """The common case, fast: a file whose data rows hold only ASCII digits, signs,
    points, exponents, commas and blanks, every cell a finite number, read by
    numpy's C parser in O(file) time and memory. In that alphabet numpy reads a
    number exactly when R and ``_r_number`` do, to the same double, save for
    an exponent without digits (``1e``), which numpy refuses. None for any other
    file, or any numpy refuses: the exact reader then reads it or says why not.
    """
    try:
        data = path.read_bytes()
        end = data.index(b"\n")
        first = data[:end].decode()
    except (OSError, ValueError):  # unreadable, a single line, not UTF-8
        return None
    header = next(csv.reader([first]), [])
    body = data[end + 1 :].replace(b"\r\n", b"\n")
    del data
    if first.count('"') % 2 or len(header) < 2 or body.translate(None, _PLAIN):
        return None  # a quoted header going on to the next line, one column, other bytes
    if not body.strip() or _BLANK_ROW.search(body):
        return None  # no rows (numpy would warn), or a row of blanks
    try:
        values = np.loadtxt(io.BytesIO(body), delimiter=",", dtype=np.float64, ndmin=2)
    except ValueError:  # a cell that is not a number, a ragged row
        return None
    if values.shape[0] == 0 or values.shape[1] != len(header) or not np.isfinite(values).all():
        return None
    return header, values


def parse_numbers(cells: Sequence[str]) -> Matrix:
    """R's ``as.numeric`` of text cells: the number where R reads one, NaN (R's NA) elsewhere.

    Exactly R's grammar (``R_strtod``), not Python's ``float``: ASCII blanks
    around it, decimal or hexadecimal digits only (no ``_``, no Unicode
    digits or spaces), an exponent that may lack its digits (``1e`` is 1).
    """
    return np.array([_r_number(cell) for cell in cells], dtype=np.float64)


def _numbers(row: list[str], width: int, path: str | Path, line: int) -> list[float]:
    if len(row) != width:
        raise DataError(f"{path}, line {line}: expected {width} cells, got {len(row)}")
    numbers = parse_numbers(row)
    for cell, value in zip(row, numbers, strict=True):
        if math.isnan(value) and not _R_NAN.fullmatch(cell.strip(_R_SPACE)):
            raise DataError(f"{path}, line {line}: {cell!r} is not a number")
        if not math.isfinite(value):
            raise DataError(f"{path}, line {line}: {cell.strip()!r} is not a finite number")
    return numbers.tolist()


_R_SPACE = " \t\n\v\f\r"  # C's isspace(): what R's as.numeric skips around a number
_R_DECIMAL = re.compile(r"([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))(?:[eE]([+-]?)([0-9]*))?")
_R_HEX = re.compile(r"([+-]?)0[xX]([0-9a-fA-F.]+)(?:[pP]([+-]?)([0-9]*))?")
_R_NAN = re.compile(r"[+-]?nan", re.IGNORECASE)
_R_INF = re.compile(r"[+-]?inf(inity)?", re.IGNORECASE)


def _r_number(cell: str) -> float:
    """One cell as R's ``as.numeric`` reads it (see ``parse_numbers``)."""
    text = cell.strip(_R_SPACE)
    if decimal := _R_DECIMAL.fullmatch(text):
        mantissa, sign, digits = decimal.groups()
        exponent = f"e{sign or '+'}{digits}" if digits else ""
        return float(mantissa + exponent)
    if hexadecimal := _R_HEX.fullmatch(text):
        sign, digits, exp_sign, exp_digits = hexadecimal.groups()
        value = float(int(digits.replace(".", "") or "0", 16))
        if exp_sign is not None or exp_digits is not None:  # R scales by 2^p only with a p
            after_point = len(digits) - digits.rfind(".") - 1 if "." in digits else 0
            power = int(exp_digits or 0) * (-1 if exp_sign == "-" else 1) - 4 * after_point
            value = math.ldexp(value, power) if value else 0.0
        return -value if sign == "-" else value
    if _R_INF.fullmatch(text):
        return -math.inf if text.startswith("-") else math.inf
    return math.nan  # NA, NaN and anything R does not read as a number


def check_feature_maxima(x: Matrix, names: list[str], path: str | Path) -> None:
    """Scaling divides by each column's maximum, so it must be positive, and the
    quotients must stay finite (a maximum of 1e-300 over a cell of -1e300 does not)."""
    for name, colmax in zip(names, x.max(axis=0), strict=True):
        if colmax <= 0:
            raise DataError(
                f"{path}: feature column {name!r} has maximum {colmax:g}; "
                "scaling divides by it, so it must be > 0"
            )
    with np.errstate(over="ignore"):
        finite = np.isfinite(x / x.max(axis=0)).all(axis=0)
    for j in np.flatnonzero(~finite)[:1]:
        raise DataError(
            f"{path}: feature column {names[j]!r} cannot be scaled: dividing its smallest "
            f"value {x[:, j].min():g} by its maximum {x[:, j].max():g} overflows"
        )


_BLANKS = " \t\r\n"  # what R's trimws() removes


def describe_classes(classes: list[str], shown: int = 5) -> str:
    """'a', 'b', 'c' -- or the first few and how many there are."""
    names = ", ".join(f"'{name}'" for name in classes[:shown])
    return names if len(classes) <= shown else f"{names}, ... ({len(classes)} classes)"


def stop_if_text_target(header: list[str], body: list[list[str]], path: str | Path) -> None:
    """If the features are numbers and the target is text, say so and name the options."""
    for row in body:
        if len(row) != len(header):
            return
        if not np.all(np.isfinite(parse_numbers(row[:-1]))):
            return
    labels = [row[-1].strip(_BLANKS) for row in body]
    if not np.any(np.isnan(parse_numbers(labels))):
        return
    raise DataError(
        f"{path}: the target column '{header[-1]}' holds text, not numbers "
        f"(classes {describe_classes(class_names(labels))}); choose the target encoding "
        "'onehot' (softmax, any number of classes) or 'binary' (exactly two classes)"
    )
