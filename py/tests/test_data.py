"""The fast reader of plain tables gives what the exact reader gives, or steps aside.

``read_data`` reads a file of plain numbers with numpy's C parser (O(file)
time and memory) and anything else with the exact reader, R's grammar cell by
cell (``parity/tests/test_numbers_live.py`` holds that one to R). Whatever the
fast path accepts must be exactly what the exact reader returns.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import backprop.data
from backprop.data import DataError, read_data

# Cells in the fast path's alphabet, numbers and not: numpy refuses "1e", R reads it as 1.
NUMBERS = ["1", "0", "-0", "+2", "2.", ".5", "1e5", "1E-3", " 7 ", "\t8", "4.9e-324",
           "123456789012345678901", "0.1", "00012", "-.5e+2"]  # fmt: skip
ODD = ["1e", "1e+", "", " ", "+", "-", ".", "1.2.3", "e5", "1e400", "1-2"]
VALID_ROW = st.lists(st.sampled_from(NUMBERS), min_size=3, max_size=3)


def exact(path: Path) -> tuple[np.ndarray, np.ndarray] | str:
    """``read_data`` by the exact reader alone: the arrays, or the refusal's message."""
    fast = backprop.data._read_plain
    backprop.data._read_plain = lambda path: None  # type: ignore[assignment]
    try:
        return read_data(path)
    except DataError as e:
        return str(e)
    finally:
        backprop.data._read_plain = fast


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    rows=st.lists(VALID_ROW, min_size=1, max_size=5),
    odd=st.none() | st.tuples(st.integers(0, 4), st.integers(0, 3), st.sampled_from(ODD)),
    newline=st.sampled_from(["\n", "\r\n"]),
    blank_line=st.booleans(),
)
def test_the_fast_path_reads_what_the_exact_reader_reads(tmp_path, rows, odd, newline, blank_line):
    """Valid rows with at most one odd cell (or one cell too many) in them."""
    if odd is not None:
        i, j, cell = odd
        row = rows[i % len(rows)]
        row[j : j + 1] = [cell] if j < 3 else ["1", cell]  # j = 3: a fourth cell
    lines = ["a,b,y", *(",".join(row) for row in rows)]
    if blank_line:
        lines.insert(len(lines) // 2 + 1, "")
    path = tmp_path / "plain.csv"
    path.write_bytes(newline.join(lines).encode() + newline.encode())
    expected = exact(path)
    event("fast path" if backprop.data._read_plain(path) is not None else "exact reader")
    try:
        got = read_data(path)
    except DataError as e:
        assert str(e) == expected
    else:
        assert not isinstance(expected, str), expected
        for a, b in zip(got, expected, strict=True):
            np.testing.assert_array_equal(a, b, strict=True)


def test_a_plain_file_takes_the_fast_path_and_an_odd_one_does_not(tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_text('"x1","x2","y"\n1,2,30\n4, 5 ,60\n')  # R's write.csv quotes the header
    assert backprop.data._read_plain(plain) is not None
    for odd in ("1,2,30\n0x1p3,5,60\n", "1,2,30\n1e,5,60\n", "1,2,NA\n", "1,2\n", "1,2,3\n \n"):
        path = tmp_path / "odd.csv"
        path.write_text(f"x1,x2,y\n{odd}")
        assert backprop.data._read_plain(path) is None, odd


@pytest.mark.parametrize("rows", [10, 1000])
def test_a_large_plain_file_reads_the_same_both_ways(tmp_path, rows):
    values = np.random.default_rng(rows).random((rows, 3)) * 100
    path = tmp_path / "large.csv"
    path.write_text("a,b,y\n" + "".join(f"{a!r},{b!r},{y!r}\n" for a, b, y in values.tolist()))
    x, y = read_data(path)
    np.testing.assert_array_equal(np.hstack([x, y]), values)
    assert all(np.array_equal(a, b) for a, b in zip((x, y), exact(path), strict=True))
