"""Reading a CSV as R's read.csv reads it, once, within bounds; no R needed.

The rules, each from R's C code (src/main/scan.c, connections.c): a quote
anywhere in a cell opens a quoted part and ``""`` in one is a quote; CR, CRLF
and a CR after a CR end lines; an empty line is no row. What R would read other
than as it looks is refused in one line. ``parity/tests/test_data_reading_live.py``
holds each rule to live R; here they are held without it, with the limits and
the speed of reading.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pytest
from helpers import run_cli, run_module
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backprop.data
from backprop.data import (
    FIRST_LINE_LIMIT,
    DataError,
    read_classes,
    read_data,
    read_labeled,
    read_raw,
    read_table,
)
from backprop.fit import fit_file


def write(tmp_path: Path, data: bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refusal(path: Path, read=read_labeled) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(DataError) as e:
        read(path)
    message = str(e.value)
    assert "\n" not in message
    return message.removeprefix(f"{path}")


@pytest.mark.parametrize(
    ("body", "labels"),
    [
        (b'1,2,a\n3,5, "a" \n', ["a", "a"]),  # blanks outside quotes stay, then trimws
        (b'1,2,"a""b"\n3,5,a""b\n', ['a"b', "ab"]),  # "" is a quote inside quotes only
        (b'1,2,a"b,c"d\n3,5,x\n', ["ab,cd", "x"]),  # a quote opens anywhere in a cell
        (b'1,2,"a\rb"\n3,5,"a\r\nb"\n', ["a\nb", "a\nb"]),  # CR, CRLF: line ends, quoted too
        (b'1,2,"x\n\ny"\n3,5,z\n', ["x\n\ny", "z"]),  # an empty line inside quotes stays
        (b"1,2,\xc3\xa9\n3,5,\xe4\xb8\xad\n", ["\u00e9", "\u4e2d"]),
    ],
)
def test_cells_are_read_as_rs_scan_reads_them(tmp_path, body, labels):
    path = write(tmp_path, b"f1,f2,y\n" + body)
    assert read_labeled(path)[1] == labels
    assert [row[-1].strip() for row in read_table(path)[1]] == labels


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"f,y\n1,a\x00\n", ": it holds a NUL byte, so it is not a text (CSV) file"),
        (b"f,y\n1,s\xe9tosa\n", ": it is not UTF-8 text; save it as UTF-8"),
        (
            b'f,y\n1,a\n2,"b\n3,c\n',
            ", line 3: the quote that opens column 2 ('y') is never "
            "closed, so the rest of the file would be one cell",
        ),  # fmt: skip
        (
            b'f,"y\n1,a\n',
            ", line 1: the quote that opens column 2 is never closed, so the "
            "rest of the file would be one cell",
        ),  # fmt: skip
        (b"f,y\n1,a,\n", ", line 2: expected 2 cells, got 3"),  # R would drop the empty cell
        (b"f,y\n1,a,2,b\n", ", line 2: expected 2 cells, got 4"),  # R would make two rows
        (b'f,y\n1,a\n""\n', ", line 3: expected 2 cells, got 1"),  # R would skip the line
        (b"f,y\r\r\n1,a,b\n", ", line 4: expected 2 cells, got 3"),  # \r\r\n: three line ends
        (b"f,y\n1,a\n2, \t\n", ", line 3: the class label (last cell) is empty"),
        (b"f,y\n,a\n2,b\n", ", line 2: '' is not a number"),  # numpy would skip the line
        (b"\n\r\n", ": the file is empty"),
        (b"f,y\n\n", ": no data rows under the header"),
    ],
)
def test_what_r_would_read_otherwise_is_refused_in_one_line(tmp_path, data, message):
    path = write(tmp_path, data)
    assert refusal(path) == message


def test_lines_are_counted_as_r_counts_them(tmp_path):
    """Blank lines and quoted line ends count; a row is named by the line it starts on."""
    path = write(tmp_path, b'f,y\n\n1,"a\nb"\n\n2,  \n')
    assert refusal(path) == ", line 6: the class label (last cell) is empty"


# Labels as write.csv writes them (quoted whole) or not, with what R keeps in them.
LABELS = st.lists(st.sampled_from(["a", "b", " ", "\t", "\u00e9", "x y", "1", "NA", "#"]),
                  min_size=1, max_size=4).map("".join)  # fmt: skip


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(labels=st.lists(LABELS, min_size=1, max_size=6), quoted=st.booleans(),
       newline=st.sampled_from(["\n", "\r\n", "\r"]), blank=st.booleans())  # fmt: skip
def test_the_fast_reader_of_plain_tables_reads_what_the_general_one_reads(
    tmp_path, labels, quoted, newline, blank
):
    """A table with no quotes, or quotes only around whole cells (write.csv's), is read
    a line at a time; any other, cell by cell. Both give the same, or refuse alike."""
    cells = [f'"{label}"' if quoted else label for label in labels]
    lines = ['"f1","y"' if quoted else "f1,y", *(f"{k},{c}" for k, c in enumerate(cells, 1))]
    if blank:
        lines.insert(2, "")
    path = write(tmp_path, newline.join(lines).encode() + newline.encode())
    assert backprop.data._plain_table(path.read_bytes().replace(b"\r", b"\n")) is not None
    answers = []
    for plain in (backprop.data._plain_table, lambda text: None):
        backprop.data._LAST.clear()
        with pytest.MonkeyPatch.context() as m:
            m.setattr(backprop.data, "_plain_table", plain)
            try:
                x, got = read_labeled(path)
                answers.append((x.tolist(), got))
            except DataError as e:
                answers.append(str(e))
    backprop.data._LAST.clear()
    assert answers[0] == answers[1]


def test_a_general_reader_that_mishandles_a_quote_fails_that_comparison(tmp_path, monkeypatch):
    path = write(tmp_path, b'f1,y\n1,"a b"\n2,c\n')
    backprop.data._LAST.clear()
    plain = read_labeled(path)[1]
    monkeypatch.setattr(backprop.data, "_plain_table", lambda text: None)
    monkeypatch.setattr(backprop.data, "_unquote", lambda raw: raw)  # quotes kept: a slip
    backprop.data._LAST.clear()
    assert read_labeled(path)[1] != plain
    backprop.data._LAST.clear()


# ------------------------------------------------------------------ within bounds


def test_no_line_break_in_the_first_megabyte_is_refused_before_the_rest_is_read(tmp_path):
    path = write(tmp_path, b"x" * (FIRST_LINE_LIMIT + 1) + b"\n1,2\n")
    assert refusal(path, read_raw) == ": no line break in its first 1 MB, so it is not a CSV table"
    assert refusal(Path("/dev/zero"), read_raw).endswith("so it is not a CSV table")
    cut = write(tmp_path, b"a,y\r" + b"x" * FIRST_LINE_LIMIT)  # a CR is a line break too
    assert len(read_raw(cut)) == FIRST_LINE_LIMIT + 4


def test_a_pipe_is_read_as_it_comes(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    text = b"f1,y\n" + b"".join(b"%d,%s\n" % (k, b"ab"[k % 2 : k % 2 + 1]) for k in range(1, 10**5))
    writer = threading.Thread(target=fifo.write_bytes, args=(text,))
    writer.start()
    assert read_raw(fifo) == text
    writer.join()


def test_what_cannot_fit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = write(tmp_path, b"f1,y\n" + b"1,a\n" * 1000)
    monkeypatch.setattr(backprop.data, "available_memory", lambda: 5000)
    assert refusal(path) == (
        ": reading it (0.00382 MB) needs about 2.98e-05 GiB of memory and 4.66e-06 GiB is available"
    )
    status, out, err = run_cli(["train", "--data", str(path), "--target", "onehot"])
    assert (status, out, err.count("\n")) == (2, "", 1)
    assert err.startswith(f"backprop: error: {path}: reading it (0.00382 MB) needs about")


def test_running_out_of_memory_while_reading_is_one_line(tmp_path, monkeypatch):
    path = write(tmp_path, b"f1,y\n1,a\n2,b\n")

    def no_memory(path: object, data: bytes) -> None:
        raise MemoryError

    monkeypatch.setattr(backprop.data, "_read_labeled", no_memory)
    backprop.data._LAST.clear()
    assert refusal(path) == ": too large to read into the memory available"


def test_the_command_refuses_a_file_without_a_line_break_in_one_line(tmp_path):
    path = write(tmp_path, b"\x01" * (FIRST_LINE_LIMIT + 5))
    status, out, err = run_cli(["train", "--data", str(path)])
    assert (status, out) == (2, "")
    assert (
        err
        == f"backprop: error: {path}: no line break in its first 1 MB, so it is not a CSV table\n"
    )


# ------------------------------------------------------------------ read once


def test_a_file_is_parsed_once_however_often_it_is_asked_for(tmp_path, monkeypatch):
    """fit_file asks for a class target's labels three times (auto's check, the encoding,
    the report); the command reads the file before fit_file and in it."""
    path = write(tmp_path, b"f1,f2,y\n1,2,a\n2,1,b\n3,3,a\n")
    calls = []
    table = backprop.data._table
    monkeypatch.setattr(backprop.data, "_table", lambda *a, **k: calls.append(1) or table(*a, **k))
    backprop.data._LAST.clear()
    settings = {"output_activation": "sigmoid", "loss": "binary_cross_entropy", "iterations": 2}
    fit_file(path, **settings)
    fit_file(path, **settings)
    assert read_classes(path) == ["a", "b"]
    assert len(calls) == 1
    path.write_bytes(b"f1,f2,y\n1,2,c\n2,1,b\n3,3,c\n")  # the same size, the same moment
    assert read_classes(path) == ["b", "c"]
    assert len(calls) == 2
    x, labels = read_labeled(path)
    x[0, 0], labels[0] = 99, "changed"  # a copy: what is remembered stays as read
    assert read_labeled(path)[0][0, 0] == 1 and read_labeled(path)[1][0] == "c"
    assert len(calls) == 2
    backprop.data._LAST.clear()


def test_reading_many_times_without_remembering_would_parse_again(tmp_path, monkeypatch):
    """The count above can fail: with nothing remembered, each question parses."""
    path = write(tmp_path, b"f1,y\n1,a\n2,b\n")
    calls = []
    table = backprop.data._table
    monkeypatch.setattr(backprop.data, "_table", lambda *a, **k: calls.append(1) or table(*a, **k))
    monkeypatch.setattr(
        backprop.data, "_remembered", lambda kind, path, data, read: read(path, data)
    )
    read_classes(path)
    read_classes(path)
    assert len(calls) == 2


# ------------------------------------------------------------------ fast enough


def test_a_million_labelled_rows_read_in_seconds_and_within_ten_times_the_file(tmp_path):
    """Issue 21, row 7 (75 s and 755 MB before): a 1,000,000-row class-label CSV read as
    fit_file reads it, in a fresh interpreter, in under 5 s of CPU, the most memory it
    holds (its peak resident set over what it held before) under 10x the file."""
    rng = np.random.default_rng(7)
    x = rng.integers(0, 100_000, (1_000_000, 2)) / 1000
    species = np.array([b"setosa", b"versicolor", b"virginica"])[rng.integers(0, 3, 1_000_000)]
    a, b = x[:, 0].astype("S8"), x[:, 1].astype("S8")
    rows = np.char.add(np.char.add(np.char.add(a, b","), np.char.add(b, b",")), species)
    path = write(tmp_path, b"sepal,petal,species\n" + b"\n".join(rows.tolist()) + b"\n")
    del x, species, a, b, rows
    (tmp_path / "measure_reading.py").write_text(MEASURE)
    done = run_module("measure_reading", str(path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    seconds, grown, rows = done.stdout.split()
    assert rows == "1000000"
    assert float(seconds) < 5, seconds
    assert int(grown) < 10 * path.stat().st_size, int(grown) / path.stat().st_size


MEASURE = """
import sys, time
from backprop.fit import load_file
from backprop.data import read_classes

def resident(field):  # VmRSS now, VmHWM the peak: this process's (ru_maxrss outlives exec)
    status = open("/proc/self/status").read().split("\\n")
    return 1024 * int(next(line for line in status if line.startswith(field)).split()[1])

path = sys.argv[1]
before = resident("VmRSS:")
start = time.process_time()
X, Y = load_file(path, "onehot")  # as fit_file reads it: the classes, the encoding, the report
classes = read_classes(path)
seconds = time.process_time() - start
print(seconds, resident("VmHWM:") - before, len(X))
"""


def test_read_data_keeps_its_numbers(tmp_path):
    path = write(tmp_path, b"a,b,y\n1,2,3\n4,5,6\n")
    x, y = read_data(path)
    x[0, 0] = 7
    assert read_data(path)[0][0, 0] == 1
