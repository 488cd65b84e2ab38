"""Reading a data CSV with clear errors, and the lecture's scaling.

Twin of ``r/data.R``. The last column is the target; the others are features.
The target is a number (the lecture's scores, scaled by 1/100) or, for
classification, a class label encoded one-hot (softmax + cross-entropy) or
0/1 (sigmoid + binary cross-entropy); see ``load_scaled``.

R is the reference, to the character and to the bit. A cell is what R's
``read.csv`` makes of it (``scan``'s C code in src/main/scan.c: a quote
anywhere in a cell opens a quoted part, ``""`` inside one is a quote, CR and
CRLF are line ends, even inside quotes), and a number is what R's
``as.numeric`` makes of that cell (``R_strtod``, src/main/util.c, ported below
with its long double arithmetic). What R would read in some other way than
it looks (a ragged row, a quote never closed, a NUL byte, text that is not
UTF-8) is refused by both, in the same words.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import numpy as np
from numpy.typing import NDArray

from backprop.checks import Matrix, check_name
from backprop.memory import available_memory
from backprop.network import scale_features, scale_target

T = TypeVar("T")


class DataError(ValueError):
    """The data file is missing or not a table of finite numbers."""


# How load_scaled encodes the target column: "numeric" (the lecture's y / 100),
# "onehot" (one column per class, for softmax) or "binary" (0/1, two classes).
TARGETS = ("numeric", "onehot", "binary")

# A CSV's first line break comes within this many bytes, or the file is not a
# table (a binary file, /dev/zero) and is refused before more of it is read.
FIRST_LINE_LIMIT = 2**20

# Reading holds the file and what it becomes: at most this many times its size
# (1,000,000 rows: about 2x for numbers, 6x with class labels, in resident memory).
READ_MEMORY_FACTOR = 8


def read_data(path: str | Path) -> tuple[Matrix, Matrix]:
    """Raw features ``x`` (N, D) and target ``y`` (N, 1) from a CSV with a header."""
    x, y = _remembered("data", path, read_raw(path), _read_data)
    return x.copy(), y.copy()


def read_labeled(path: str | Path) -> tuple[Matrix, list[str]]:
    """Raw features ``x`` (N, D) and the target column's N cells as class labels.

    Labels are the cells' text with surrounding blanks removed (R's ``trimws``);
    "0" and "1" are labels like any other.
    """
    x, labels = _remembered("labeled", path, read_raw(path), _read_labeled)
    return x.copy(), list(labels)


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
    Y[np.arange(len(labels)), [column[label] for label in labels]] = 1.0
    return Y


def encode_binary(labels: list[str], classes: list[str]) -> Matrix:
    """0 for the first class, 1 for the second: an (N, 1) target for binary cross-entropy."""
    if len(classes) != 2:
        raise DataError(
            f"a binary target needs exactly two classes; got {len(classes)}: "
            f"{describe_classes(classes)}; use the 'onehot' target for more than two"
        )
    second = classes[1]
    return np.array([label == second for label in labels], dtype=np.float64)[:, None]  # (N, 1)


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


def read_raw(path: str | Path) -> bytes:
    """The file's bytes, read whole, once; refused in one line where that cannot end
    well: no such file, more than memory can hold while it is read (``READ_MEMORY_FACTOR``
    times its size), no line break in its first ``FIRST_LINE_LIMIT`` bytes (not a
    table: a binary file, ``/dev/zero``), or nothing in it. A pipe is read as it comes,
    under the same limits."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            regular = stat.S_ISREG(os.fstat(f.fileno()).st_mode)
            if regular:
                _stop_if_too_large(path, os.fstat(f.fileno()).st_size)
            first = f.read(FIRST_LINE_LIMIT)
            if len(first) == FIRST_LINE_LIMIT and b"\n" not in first and b"\r" not in first:
                raise DataError(
                    f"{path}: no line break in its first {FIRST_LINE_LIMIT // 2**20} MB, so it "
                    "is not a CSV table"
                )
            if regular:
                f.seek(0)
                data = f.read()
            else:
                chunks = [first]
                while chunk := f.read(16 * FIRST_LINE_LIMIT):
                    chunks.append(chunk)
                    _stop_if_too_large(path, sum(map(len, chunks)))
                data = b"".join(chunks)
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except MemoryError:
        raise _no_room(path) from None
    except OSError as e:
        raise DataError(f"{path}: cannot read ({e.strerror or e})") from None
    if not data:
        raise DataError(f"{path}: the file is empty")
    return data


def read_table(path: str | Path, data: bytes | None = None) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows, as R's ``read.csv`` reads them (text cells): at least
    two columns, one row, and every line that is not empty as wide as the header (so
    that R's reader neither fills a short row nor carries a long one over). ``data``:
    the file's bytes, if read already."""
    table = _table(path, read_raw(path) if data is None else data, fast=False)
    assert isinstance(table, _Rows)
    return table.header, table.rows


def parse_numbers(cells: Sequence[str]) -> Matrix:
    """R's ``as.numeric`` of text cells, bit for bit: R's NA where R reads no number.

    R's ``R_strtod`` ported: C's blanks before, a sign, ``NaN``, ``Inf`` and
    ``infinity`` in any case, hexadecimal (``0x1.8p3``, R's own rules: no ``p``,
    no scaling, so ``0x1.8`` is 24), or decimal digits accumulated in long double
    and scaled by powers of ten in long double, then rounded to double once; an
    exponent may lack its digits (``1e`` is 1); after the number, only blanks
    (in a UTF-8 locale, Unicode's too: R's ``iswspace``). Not Python's ``float``,
    which rounds correctly where R is a bit off now and then, and reads ``1_000``.
    """
    return _r_numbers(list(cells))


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


def stop_if_text_target(
    header: list[str], targets: list[str], values: Matrix, path: str | Path
) -> None:
    """If the features are numbers and the target is text, say so and name the options.

    ``targets`` are the target column's cells, ``values`` the table's numbers (NaN,
    like R's NA, in a cell that is none)."""
    if not np.all(np.isfinite(values[:, :-1])) or not np.any(np.isnan(values[:, -1])):
        return
    raise DataError(
        f"{path}: the target column '{header[-1]}' holds text, not numbers "
        f"(classes {describe_classes(class_names(_trimmed(targets)))}); choose the target "
        "encoding 'onehot' (softmax, any number of classes) or 'binary' (exactly two classes)"
    )


# ------------------------------------------------------------------ reading once

_LAST: dict[str, tuple[bytes, Any]] = {}  # per kind of reading: the file's digest, what it gave


def _remembered(
    kind: str, path: str | Path, data: bytes, read: Callable[[str | Path, bytes], T]
) -> T:
    """``read(path, data)``, or what it gave for the same bytes last time: ``fit_file``
    asks for a file's labels up to three times (the encoding, the classes, the report),
    and the command reads a file before ``fit_file`` and in it. Only the last file of
    each kind is held."""
    digest = hashlib.sha1(data, usedforsecurity=False).digest()
    last = _LAST.get(kind)
    if last is not None and last[0] == digest:
        remembered: T = last[1]
        return remembered
    _LAST.pop(kind, None)  # let the last one go before reading the next
    try:
        result = read(path, data)
    except MemoryError:  # beyond the estimate (read_raw's): still one line
        raise _no_room(path) from None
    _LAST[kind] = (digest, result)
    return result


def _no_room(path: str | Path) -> DataError:
    return DataError(f"{path}: too large to read into the memory available")


def _stop_if_too_large(path: Path, size: int) -> None:
    needed, available = READ_MEMORY_FACTOR * size, available_memory()
    if needed > available:
        raise DataError(
            f"{path}: reading it ({size / 2**20:.3g} MB) needs about {needed / 2**30:.3g} GiB "
            f"of memory and {available / 2**30:.3g} GiB is available"
        )


# ------------------------------------------------------------ the table, as R reads it


class _Plain(NamedTuple):
    """A table in which no quote remains once the quotes around whole cells are removed
    (R's write.csv quotes so), read fast: the lines under the header, as bytes."""

    header: list[str]
    text: bytes  # the file's text, its lines under the header without quotes
    start: int  # where the lines under the header start in it (blank ones too)
    first: int  # the line number of the first of them


class _Rows(NamedTuple):
    """Any other table: its rows as text cells, and the line each row starts on."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]


def _table(path: str | Path, data: bytes, fast: bool = True) -> _Plain | _Rows:
    """The table in ``data``, with the checks every reader needs, in R's order; a plain
    one (``_Plain``) when it is and ``fast``."""
    if b"\0" in data:
        raise DataError(f"{path}: it holds a NUL byte, so it is not a text (CSV) file")
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise DataError(f"{path}: it is not UTF-8 text; save it as UTF-8") from None
    text = _r_line_ends(data)
    return (fast and _plain_table(text)) or _rows_table(path, text)


def _r_line_ends(data: bytes) -> bytes:
    """CR and CRLF as R's connections read them (Rconn_fgetc): a CR is a line end, a
    CR after a CR is one too (unlooked at), and a CR takes the LF after it along."""
    if b"\r" not in data:
        return data
    return data.replace(b"\r\r", b"\n\n").replace(b"\r\n", b"\n").replace(b"\r", b"\n")


# A cell quoted whole, as write.csv quotes: "..." between separators, nothing in it
# that the quotes would change (no quote, comma or line end). Each pattern starts
# with its quote, which the regex engine looks for fast; the look-behind follows.
_WHOLE_QUOTED = re.compile(rb'"(?<![^,\n]")[^",\n]*"(?![^,\n])')
_QUOTES_ONLY_LINE = re.compile(rb'"(?<![^\n]")"(?![^\n])')  # a row of one empty cell


def _plain_table(text: bytes) -> _Plain | None:
    """The common case, fast: no quote, or quotes only around whole cells, which R
    reads as if they were not there. None for any other table, and for any table
    that is to be refused (``_rows_table`` reads those and says why), save for a
    ragged row, which the readers of a plain table find as they go."""
    quotes = text.count(b'"')
    if quotes and (
        2 * len(_WHOLE_QUOTED.findall(text)) != quotes or _QUOTES_ONLY_LINE.search(text)
    ):
        return None
    first = _NOT_BLANK.search(text)
    blank = -1 if first is None else first.start()  # the blank lines above the header
    head_end = text.find(b"\n", blank)
    if blank < 0 or head_end < 0:
        return None  # nothing, or no data rows
    header = [_header_cell(raw, k == 0) for k, raw in enumerate(text[blank:head_end].split(b","))]
    start = head_end + 1
    if text.find(b'"', start) >= 0:
        text = text[:start] + text[start:].replace(b'"', b"")
    if len(header) < 2 or _NOT_BLANK.search(text, start) is None:
        return None
    return _Plain(header, text, start, blank + 2)


_NOT_BLANK = re.compile(rb"[^\n]")


def _plain_split(path: str | Path, table: _Plain) -> tuple[bytes, list[str], list[int]]:
    """A plain table's rows split once, a megabyte at a time: the feature cells (all but
    the last) as one body of lines, the last cells as text (each distinct one decoded
    once and held once), and each row's line; a ragged row is refused on the way."""
    width = len(table.header) - 1
    features: list[bytes] = []
    last: list[str] = []
    lines: list[int] = []
    seen: dict[bytes, str] = {}
    number, text = table.first, table.text
    for a, b in _line_chunks(text, table.start, FIRST_LINE_LIMIT):
        part = []
        for line in text[a:b].split(b"\n"):
            if line:
                if line.count(b",") != width:
                    _stop_ragged(path, number, width + 1, line.count(b",") + 1)
                head, _, cell = line.rpartition(b",")
                part.append(head)
                known = seen.get(cell)
                last.append(known if known is not None else seen.setdefault(cell, cell.decode()))
                lines.append(number)
            number += 1
        features.append(b"\n".join(part))
    return b"\n".join(features), last, lines


def _line_chunks(text: bytes, start: int, size: int) -> list[tuple[int, int]]:
    """``text[start:]`` in pieces of about ``size`` bytes, each ending at a line end
    (not included) or at the end of ``text``."""
    chunks = []
    while start < len(text):
        end = text.find(b"\n", start + size)
        end = len(text) if end < 0 else end
        chunks.append((start, end))
        start = end + 1
    return chunks


# One cell's text as it stands in the file: runs without quotes, commas or line ends,
# and quoted parts, in which "" is a quote. Possessive: R never looks back.
_CELL = re.compile(r'(?:[^",\n]++|"(?:[^"]++|"")*+")*+')
_QUOTED = re.compile(r'"((?:[^"]|"")*)"')


def _rows_table(path: str | Path, text: bytes) -> _Rows:
    """The table cell by cell, as R's ``scan`` reads a CSV (src/main/scan.c,
    ``fillBuffer``): a cell ends at a comma or a line end outside quotes; a quote
    anywhere in it opens a quoted part, which ends at the next quote not doubled."""
    records = _records(text.decode())
    if text.count(b'"') % 2:  # a quote never closed: the last row holds it
        _stop_open_quote(path, list(records))
    first = next(records, None)
    if first is None:
        raise DataError(f"{path}: the file is empty")
    header = [_header_cell(raw, k == 0) for k, raw in enumerate(first[1])]
    if len(header) < 2:
        raise DataError(
            f"{path}: need at least two columns (features, then target); got {len(header)}"
        )
    rows, lines = [], []
    for start, cells in records:
        if len(cells) != len(header):
            _stop_ragged(path, start, len(header), len(cells))
        rows.append([_unquote(raw) for raw in cells])
        lines.append(start)
    if not rows:
        raise DataError(f"{path}: no data rows under the header")
    return _Rows(header, rows, lines)


def _records(s: str) -> Iterator[tuple[int, list[str]]]:
    """Each row that is not blank: the line it starts on, and its cells as they stand
    (quotes in them). A row goes on over a line end while a quote is open: until the
    count of quotes since its start is even (a doubled quote counts two)."""
    at, number = 0, 0
    while at < len(s):
        end = s.find("\n", at)
        end = len(s) if end < 0 else end
        row, at, number = s[at:end], end + 1, number + 1
        start = number
        if '"' not in row:
            if row:
                yield start, row.split(",")
            continue
        quotes = row.count('"')
        while quotes % 2 and at < len(s):
            end = s.find("\n", at)
            end = len(s) if end < 0 else end
            row, quotes = row + "\n" + s[at:end], quotes + s.count('"', at, end)
            at, number = end + 1, number + 1
        yield start, _raw_cells(row)


def _raw_cells(row: str) -> list[str]:
    """A row's cells as they stand, split at the commas outside quotes; a quote never
    closed ends the last cell where it opens."""
    cells, pos = [], 0
    while True:
        match = _CELL.match(row, pos)
        assert match is not None  # it matches the empty string
        cells.append(match.group())
        pos = match.end()
        if pos >= len(row) or row[pos] != ",":
            return cells
        pos += 1


def _unquote(raw: str) -> str:
    """A cell's text: its quoted parts without their quotes, "" in them a quote."""
    if '"' not in raw:
        return raw
    return _QUOTED.sub(lambda m: m.group(1).replace('""', '"'), raw)


def _header_cell(raw: str | bytes, first: bool) -> str:
    """A name as R reads the header (``strip.white = TRUE``): blanks dropped before
    it, once nothing is kept yet, and after it, back to its last quoted part; and,
    before the first name, a UTF-8 byte order mark (R does so in a UTF-8 locale)."""
    if isinstance(raw, bytes):
        raw = raw.decode()
    kept, quoted_end = "", 0
    for part in re.findall(r'"(?:[^"]|"")*"|[^"]', raw):
        if part.startswith('"'):
            kept += part[1:-1].replace('""', '"')
            quoted_end = len(kept)
        elif kept or part not in " \t":
            kept += part
    kept = kept[:quoted_end] + kept[quoted_end:].rstrip(" \t\n")
    return kept.removeprefix("\ufeff") if first else kept


def _stop_ragged(path: str | Path, line: int, expected: int, got: int) -> None:
    raise DataError(f"{path}, line {line}: expected {expected} cells, got {got}")


def _stop_open_quote(path: str | Path, records: list[tuple[int, list[str]]]) -> None:
    """A quote never closed swallows the rest of the file into one cell, in R as in
    Python: refuse it, naming the line and the column where it opens (the last row's
    line, and its last cell, which ``_raw_cells`` ended at the quote)."""
    line, cells = records[-1]
    column = len(cells)
    names = [_header_cell(raw, k == 0) for k, raw in enumerate(records[0][1])]
    name = f" ('{names[column - 1]}')" if len(records) > 1 and column <= len(names) else ""
    raise DataError(
        f"{path}, line {line}: the quote that opens column {column}{name} is never closed, "
        "so the rest of the file would be one cell"
    )


# ---------------------------------------------------------------- data and labels


def _read_data(path: str | Path, data: bytes) -> tuple[Matrix, Matrix]:
    table = _table(path, data)
    width = len(table.header) - 1
    if isinstance(table, _Plain):
        values = _plain_numbers(table.text, width + 1, table.start)
        if values is not None and np.isfinite(values).all():
            x, y = values[:, :-1], values[:, -1:]
            check_feature_maxima(x, table.header[:-1], path)
            return x, y
        features, targets, lines = _plain_split(path, table)
        x = _features(features, width, len(lines))
    else:
        targets = [row[-1] for row in table.rows]
        x, lines = _features(table.rows, width, len(table.rows)), table.lines
    y = _distinct_numbers(targets)[:, None]
    bad = np.flatnonzero(~(np.isfinite(x).all(axis=1) & np.isfinite(y[:, 0])))
    if bad.size:
        stop_if_text_target(table.header, targets, np.hstack([x, y]), path)  # the clearer one
        row = int(bad[0])
        cells = [*_row_cells(features if isinstance(table, _Plain) else table.rows, row)]
        _stop_not_finite(path, lines[row], [*cells[:width], targets[row]], [*x[row], y[row, 0]])
    check_feature_maxima(x, table.header[:-1], path)
    return x, y


def _read_labeled(path: str | Path, data: bytes) -> tuple[Matrix, list[str]]:
    table = _table(path, data)
    width = len(table.header) - 1
    if isinstance(table, _Plain):
        features, labels, lines = _plain_split(path, table)
        x = _features(features, width, len(lines))
        rows: bytes | list[list[str]] = features
    else:
        labels, lines = [row[-1] for row in table.rows], table.lines
        x, rows = _features(table.rows, width, len(table.rows)), table.rows
    bad = np.flatnonzero(~np.isfinite(x).all(axis=1))
    if bad.size:
        row = int(bad[0])
        _stop_not_finite(path, lines[row], _row_cells(rows, row)[:width], list(x[row]))
    labels = _trimmed(labels)
    if "" in labels:
        line = lines[labels.index("")]
        raise DataError(f"{path}, line {line}: the class label (last cell) is empty")
    check_feature_maxima(x, table.header[:-1], path)
    return x, labels


def _features(rows: bytes | list[list[str]], width: int, count: int) -> Matrix:
    """The ``count`` rows' feature cells (the first ``width`` of each) as numbers: as a
    plain body fast where they make one (not where a row's cells are all empty: numpy
    skips that line), else cell by cell."""
    if isinstance(rows, bytes):
        body = rows
    else:  # (a cell with a comma or a line end in it makes a ragged table: not plain)
        body = "\n".join(",".join(row[:width]) for row in rows).encode()
    fast = _plain_numbers(body, width)
    if fast is not None and fast.shape[0] == count and np.isfinite(fast).all():
        return fast
    if isinstance(rows, bytes):
        cells = [cell for line in rows.decode().split("\n") for cell in line.split(",")]
    else:
        cells = [cell for row in rows for cell in row[:width]]
    return _distinct_numbers(cells).reshape(-1, width)


def _row_cells(rows: bytes | list[list[str]], row: int) -> list[str]:
    if isinstance(rows, bytes):
        return rows.split(b"\n")[row].decode().split(",")
    return rows[row]


def _distinct_numbers(cells: list[str]) -> Matrix:
    """``parse_numbers`` of each distinct cell once (a column of class labels has few)."""
    distinct = dict.fromkeys(cells)
    values = dict(zip(distinct, _r_numbers(list(distinct)).tolist(), strict=True))
    return np.array([values[cell] for cell in cells], dtype=np.float64)


def _trimmed(labels: list[str]) -> list[str]:
    """R's ``trimws`` of each label, each distinct one trimmed once (and held once)."""
    seen: dict[str, str] = {}
    return [seen.get(label) or seen.setdefault(label, label.strip(_BLANKS)) for label in labels]


def _stop_not_finite(path: str | Path, line: int, cells: list[str], values: list[float]) -> None:
    for cell, value in zip(cells, values, strict=True):
        if _is_na(value):
            raise DataError(f"{path}, line {line}: {cell!r} is not a number")
        if not np.isfinite(value):
            raise DataError(f"{path}, line {line}: {cell.strip()!r} is not a finite number")


# ------------------------------------------------------------ numbers, fast and exact

_PLAIN = b"0123456789+-.eE, \t\n"  # all a plain table's data rows may hold
_BLANK_ROW = re.compile(rb"^[ \t]+$", re.MULTILINE)  # one cell of blanks: a row, to R
_BLANKS_AROUND = re.compile(rb"[ \t]*([,\n])[ \t]*")
# Where numpy's long double (glibc's strtold, rounded once) may not be R's: 20 digits
# or more (R rounds as it accumulates them), or an exponent that may take the power
# of ten beyond 10^27 (R's power is then rounded). Both go to the exact reader.
_DIGITS_AS_HASH = bytes.maketrans(b"0123456789.", b"###########")
_LONG_DIGITS = b"#" * 20  # 20 digits and points in a row (a 19-digit number with a point too)
_LARGE_EXPONENT = re.compile(
    rb"[eE](?:-0*(?:9|[1-9][0-9])|\+?0*(?:2[89]|[3-9][0-9]|[1-9][0-9]{2}))"  # < -8, > 27
)


def _plain_numbers(text: bytes, width: int, start: int = 0) -> Matrix | None:
    """The table of plain numbers (ASCII digits, signs, points, exponents, commas and
    blanks) in ``text[start:]``, fast: numpy's C parser reads each cell to long double,
    rounded once (glibc's strtold), and R's ``R_strtod`` gets the same long double where
    its digits fit 64 bits and its power of ten is exact (at most 19 digits, 10^-27 to
    10^27); then both round it to double alike. Cells beyond that are read by the exact
    reader. None for any other table, or one numpy refuses. Eight megabytes at a time
    (long doubles take twice a double's room)."""
    if len(text.translate(None, _PLAIN)) != len(text[:start].translate(None, _PLAIN)):
        return None  # a byte that is not plain, under the header
    parts = []
    for a, b in _line_chunks(text, start, 8 * FIRST_LINE_LIMIT):
        chunk = text[a:b]
        if b" " in chunk or b"\t" in chunk:
            if _BLANK_ROW.search(chunk):
                return None
            chunk = _BLANKS_AROUND.sub(rb"\1", chunk).strip(b" \t")  # R skips them
        if _NOT_BLANK.search(chunk) is None:
            continue
        try:
            values = np.loadtxt(
                io.BytesIO(chunk),
                delimiter=",",
                dtype=np.longdouble,
                ndmin=2,
                comments=None,
                encoding="latin1",
            )
        except ValueError:  # a cell that is not a number, a ragged row
            return None
        if values.shape[1] != width:
            return None
        with np.errstate(over="ignore"):
            numbers = values.astype(np.float64)
        del values
        _reread_exactly(chunk, numbers)
        parts.append(numbers)
    if not parts:
        return None
    return np.concatenate(parts) if len(parts) > 1 else parts[0]


def _reread_exactly(chunk: bytes, numbers: Matrix) -> None:
    """The cells of the plain table ``chunk`` where numpy's number may not be R's, read
    again by the exact reader: those with ``_LONG_DIGITS`` or a ``_LARGE_EXPONENT``."""
    found = _find_all(chunk.translate(_DIGITS_AS_HASH), _LONG_DIGITS)
    for e in (b"e", b"E"):
        found += [at for at in _find_all(chunk, e) if _LARGE_EXPONENT.match(chunk, at)]
    if not found:
        return
    ends = np.flatnonzero(np.frombuffer(chunk, np.uint8) == ord("\n"))
    starts = np.concatenate([[0], ends + 1])
    blank = starts[:-1] == ends
    rows_before = np.concatenate([[0], np.cumsum(~blank)])  # the rows above each line
    cells: dict[tuple[int, int], str] = {}
    for at, line in zip(found, np.searchsorted(ends, found).tolist(), strict=True):
        begin = int(starts[line])
        end = int(ends[line]) if line < ends.size else len(chunk)
        column = chunk.count(b",", begin, at)
        left = chunk.rfind(b",", begin, at) + 1 or begin
        right = chunk.find(b",", at, end)
        right = end if right < 0 else right
        cells[(int(rows_before[line]), column)] = chunk[left:right].decode()
    numbers[tuple(np.array(list(cells)).T)] = _r_numbers(list(cells.values()))


def _find_all(text: bytes, what: bytes) -> list[int]:
    """Where ``what`` starts in ``text``, each run of it found once (C's fast search)."""
    found, at = [], text.find(what)
    while at >= 0:
        found.append(at)
        at = text.find(what, at + len(what))
    return found


_LD = np.longdouble
_DBL_MAX = _LD(np.finfo(np.float64).max)
_NA_REAL = np.array([0x7FF00000000007A2], dtype=np.uint64).view(np.float64)[0]  # R's NA_real_
_R_LEADING = " \t\n\v\f\r"  # C's isspace(), what R_strtod skips before a number
# What R accepts after a number (isBlankString: iswspace in a UTF-8 locale; glibc's
# spaces, measured against R: not the no-break ones, U+00A0, U+2007, U+202F)
_R_TRAILING = frozenset(
    " \t\n\v\f\r\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a"
    "\u2028\u2029\u205f\u3000"
)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_DECIMAL = re.compile(r"([0-9]*)(?:\.([0-9]*))?")
_HEX_DIGIT = {c: int(c, 16) for c in "0123456789abcdefABCDEF"}
_MAX_EXPONENT_PREFIX = 9999  # R stops adding exponent digits past this


def _is_na(values: Any) -> Any:
    """R's ``is.na(x) & !is.nan(x)``: where a value is R's NA, not a NaN from "NaN"."""
    bits = np.asarray(values, dtype=np.float64).view(np.uint64)
    return bits == np.float64(_NA_REAL).view(np.uint64)


def _r_numbers(cells: list[str]) -> Matrix:
    """``parse_numbers``: each cell through R's ``R_strtod5`` (decimal point ".", no NA
    string, not exact) and ``RealFromString``. Decimals are gathered and done together."""
    out = np.empty(len(cells))
    where, signs, digits, powers = [], [], [], []
    for i, cell in enumerate(cells):
        got = _r_cell(cell)
        if isinstance(got, tuple):
            where.append(i)
            signs.append(got[0])
            digits.append(got[1])
            powers.append(got[2])
        else:
            out[i] = got
    if where:
        out[where] = _r_decimals(signs, digits, powers)
    return out


def _r_cell(cell: str) -> float | tuple[int, str, int]:
    """One cell read up to its decimal digits: a number, R's NA, or (sign, digits,
    power of ten) for ``_r_decimals``."""
    i, n = 0, len(cell)
    while i < n and cell[i] in _R_LEADING:
        i += 1
    sign = 1
    if i < n and cell[i] in "+-":
        sign = -1 if cell[i] == "-" else 1
        i += 1
    word = cell[i : i + 8].translate(_ASCII_LOWER)
    result: float | tuple[int, str, int]
    if word.startswith("nan"):
        result, i = sign * float("nan"), i + 3
    elif word.startswith("infinity"):
        result, i = sign * float("inf"), i + 8
    elif word.startswith("inf"):
        result, i = sign * float("inf"), i + 3
    elif n - i > 2 and cell[i] == "0" and cell[i + 1] in "xX":
        ans, i = _r_hex(cell, i)
        with np.errstate(over="ignore"):
            result = sign * float(np.float64(ans))
    else:
        decimal = _DECIMAL.match(cell, i)
        assert decimal is not None  # it matches the empty string
        whole, fraction = decimal.group(1), decimal.group(2) or ""
        if not whole and not fraction:
            return float(_NA_REAL)
        i, power = decimal.end(), -len(fraction)
        if i < n and cell[i] in "eE":
            i += 1
            exponent_sign = 1
            if i < n and cell[i] in "+-":
                exponent_sign = -1 if cell[i] == "-" else 1
                i += 1
            exponent = 0
            while i < n and "0" <= cell[i] <= "9":
                if exponent < _MAX_EXPONENT_PREFIX:
                    exponent = exponent * 10 + ord(cell[i]) - 48
                i += 1
            power += exponent_sign * exponent
        result = (sign, whole + fraction, power)
    if any(c not in _R_TRAILING for c in cell[i:]):
        return float(_NA_REAL)
    return result


def _r_hex(cell: str, i: int) -> tuple[np.longdouble, int]:
    """R_strtod5's hexadecimal branch, from the "0x" at ``cell[i]``: the long double and
    where it stopped. Digits accumulate in long double; "." only counts the digits after
    it, which scale only if a "p" follows; powers of two are squared in double (so
    2^1024 is Inf, and 0x1p-1074 is 0, as in R)."""
    ans, exph, j, n = _LD(0), -1, i + 2, len(cell)
    while j < n:
        if (digit := _HEX_DIGIT.get(cell[j])) is not None:
            ans = _LD(16) * ans + _LD(digit)
            if exph >= 0:
                exph += 4
        elif cell[j] == ".":
            exph = 0
        else:
            break
        j += 1
    if j < n and cell[j] in "pP":
        j += 1
        expsign = 1
        if j < n and cell[j] in "+-":
            expsign = -1 if cell[j] == "-" else 1
            j += 1
        e = 0
        while j < n and "0" <= cell[j] <= "9":
            if e < _MAX_EXPONENT_PREFIX:
                e = e * 10 + ord(cell[j]) - 48
            j += 1
        if ans != 0:
            with np.errstate(over="ignore", under="ignore"):
                expn = expsign * e
                if exph > 0:
                    if expn - exph < -122:
                        ans = ans / _power_of_two(exph)
                    else:
                        expn -= exph
                fac = _power_of_two(abs(expn))
                ans = ans / fac if expn < 0 else ans * fac
    return ans, j


def _power_of_two(n: int) -> np.longdouble:
    """R's ``for (fac = 1.0; n; n >>= 1, p2 *= p2) if (n & 1) fac *= p2;`` with a double
    ``p2`` (starting at 2) and a long double ``fac``."""
    fac, p2 = _LD(1), 2.0
    while n:
        if n & 1:
            fac = fac * _LD(p2)
        n >>= 1
        p2 = p2 * p2  # a double: 2^1024 is Inf
    return fac


def _r_decimals(signs: list[int], digits: list[str], powers: list[int]) -> Matrix:
    """R_strtod5's decimal branch for many numbers at once, in long double (x87's 64-bit
    mantissa, R's LDOUBLE): ``ans = 10*ans + d`` over the digits, then scaled by 10^expn."""
    ndigits = np.fromiter(map(len, digits), np.int64, len(digits))
    # The first 19 digits accumulate exactly (below 2^64); beyond, each step rounds.
    ans = np.array([int(d[:19]) for d in digits], dtype=np.uint64).astype(_LD)
    long = np.flatnonzero(ndigits > 19)
    for group in np.array_split(long[np.argsort(ndigits[long])], max(1, long.size // 4096)):
        if group.size:
            _accumulate_beyond_19(ans, group, [digits[i][19:] for i in group])
    expn = np.array(powers, dtype=np.int64)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        tiny = np.flatnonzero(expn + ndigits < -300)  # "avoid unnecessary underflow"
        if tiny.size:
            sub, count = ans[tiny], ndigits[tiny]
            for k in range(int(count.max())):
                live = count > k
                sub[live] = sub[live] / _LD(10)
            ans[tiny] = sub
            expn[tiny] += count
        powers_used, which = np.unique(expn, return_inverse=True)
        fac = np.array([_power_of_ten(int(e)) for e in powers_used], dtype=_LD)[which]
        under, negative = expn < -307, (expn < 0) & (expn >= -307)
        positive = (expn >= 0) & (ans != 0)  # R leaves 0 alone: 0e4933 is 0, not NaN
        ans[under] = ans[under] * fac[under]
        ans[negative] = ans[negative] / fac[negative]
        ans[positive] = ans[positive] * fac[positive]
        double = ans.astype(np.float64)
    double[ans > _DBL_MAX] = np.inf  # "explicit overflow to infinity"
    result: Matrix = np.asarray(signs, dtype=np.float64) * double
    return result


def _accumulate_beyond_19(ans: NDArray[np.longdouble], group: Any, tails: list[str]) -> None:
    """``ans = 10*ans + d`` in long double for the digits after the 19th (two roundings
    a digit, as x87 does it without a fused multiply-add)."""
    width = max(map(len, tails))
    padded = "".join(tail.ljust(width, "/") for tail in tails).encode()  # "/": no digit
    table = np.frombuffer(padded, np.uint8).reshape(len(tails), width).astype(np.int16) - 48
    sub = ans[group]
    with np.errstate(over="ignore"):  # beyond long double's range: Inf, as in R
        for k in range(width):
            live = table[:, k] >= 0
            sub[live] = sub[live] * _LD(10) + table[live, k].astype(_LD)
    ans[group] = sub


@functools.lru_cache(maxsize=4096)
def _power_of_ten(expn: int) -> np.longdouble:
    """R's long double ``fac`` for 10^expn: squares of ``p10``, multiplied in (or divided
    out, below 10^-307, to underflow rather than overflow)."""
    p10, fac, n = _LD(10), _LD(1), abs(expn)
    with np.errstate(over="ignore", under="ignore"):
        while n:
            if n & 1:
                fac = fac / p10 if expn < -307 else fac * p10
            n >>= 1
            p10 = p10 * p10
    return fac
