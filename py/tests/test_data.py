"""The fast reader of plain tables gives what the exact reader gives, bit for bit.

``read_data`` reads a table of plain numbers with numpy's C parser, to long
double (glibc's strtold, rounded once), then to double: that is R's number
wherever R's ``R_strtod`` accumulates its digits exactly and scales by an exact
power of ten (at most 19 digits, 10^-27 to 10^27); the cells beyond that it
reads again with the exact reader, ``R_strtod`` ported, which reads every
other table (``parity/tests/test_numbers_live.py`` holds that one to R).
Whatever the fast path returns must be exactly what the exact reader returns.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from helpers import assert_bits_equal
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import backprop.data
from backprop.data import DataError, read_data

# Cells in the fast path's alphabet, numbers and not: numpy refuses "1e", R reads it as 1.
NUMBERS = ["1", "0", "-0", "+2", "2.", ".5", "1e5", "1E-3", " 7 ", "\t8", "4.9e-324",
           "123456789012345678901", "0.1", "00012", "-.5e+2", "8.46709533979837e-3",
           "07357164761677889600978e-18", "6.05225644998653e299", "1.3971837358468e-272",
           "1e-9", "1e27", "1e28", "0.0000000000000000000001", "1e0009"]  # fmt: skip
ODD = ["1e", "1e+", "", " ", "+", "-", ".", "1.2.3", "e5", "1e400", "1-2", "1 2"]


def decimals() -> st.SearchStrategy[str]:
    """Random decimals of 1 to 25 digits, a point anywhere, an exponent or none."""
    return st.builds(
        lambda sign, digits, point, exponent: (
            sign
            + (digits[:point] + "." + digits[point:] if point <= len(digits) else digits)
            + exponent
        ),
        st.sampled_from(["", "-", "+"]),
        st.text("0123456789", min_size=1, max_size=25),
        st.integers(0, 30),
        st.sampled_from(["", "e", "E-"]).flatmap(
            lambda e: st.just(e) if not e else st.integers(0, 330).map(lambda n: f"{e}{n}")
        ),
    )


CELLS = st.sampled_from(NUMBERS) | decimals()


def exact(path: Path) -> tuple[np.ndarray, np.ndarray] | str:
    """``read_data`` by the exact reader alone (no plain table, no plain numbers): the
    arrays, or the refusal's message."""
    backprop.data._LAST.clear()  # what the fast path read must not be remembered
    with pytest.MonkeyPatch.context() as m:
        m.setattr(backprop.data, "_plain_table", lambda text: None)
        m.setattr(backprop.data, "_plain_numbers", lambda *args: None)
        try:
            return read_data(path)
        except DataError as e:
            return str(e)
        finally:
            backprop.data._LAST.clear()


def both_ways(path: Path) -> None:
    """The fast path and the exact reader read ``path`` alike, to the bit."""
    expected = exact(path)
    try:
        got = read_data(path)
    except DataError as e:
        assert str(e) == expected
    else:
        assert not isinstance(expected, str), expected
        for a, b in zip(got, expected, strict=True):
            assert_bits_equal(a, b)


def fast_path_taken(path: Path) -> bool:
    text = path.read_bytes()
    table = backprop.data._plain_table(text)
    return table is not None and (
        backprop.data._plain_numbers(table.text, len(table.header), table.start) is not None
    )


@settings(max_examples=250, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    rows=st.lists(st.lists(CELLS, min_size=3, max_size=3), min_size=1, max_size=5),
    odd=st.none() | st.tuples(st.integers(0, 4), st.integers(0, 3), st.sampled_from(ODD)),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    blank_line=st.booleans(),
    quoted_header=st.booleans(),
)
def test_the_fast_path_reads_what_the_exact_reader_reads(
    tmp_path, rows, odd, newline, blank_line, quoted_header
):
    """Valid rows with at most one odd cell (or one cell too many) in them."""
    if odd is not None:
        i, j, cell = odd
        row = rows[i % len(rows)]
        row[j : j + 1] = [cell] if j < 3 else ["1", cell]  # j = 3: a fourth cell
    lines = ['"a","b","y"' if quoted_header else "a,b,y", *(",".join(row) for row in rows)]
    if blank_line:
        lines.insert(len(lines) // 2 + 1, "")
    path = tmp_path / "plain.csv"
    path.write_bytes(newline.join(lines).encode() + newline.encode())
    event("fast path" if fast_path_taken(path) else "exact reader")
    both_ways(path)


def test_cells_where_a_correctly_rounded_reader_is_not_r_take_the_exact_value(tmp_path):
    """Cells R's long double arithmetic rounds apart from the correctly rounded double:
    one where R rounds twice (to long double, then double), one whose 23 digits R rounds
    as it accumulates them, and one whose power of ten R rounds. The fast path gives
    the exact reader's value, which is not Python's float()."""
    cells = ["8.46709533979837e-3", "07357164761677889600978e-18", "6.05225644998653e299"]
    path = tmp_path / "r.csv"
    path.write_text("a,y\n" + "".join(f"{cell},1\n" for cell in cells))
    assert fast_path_taken(path)
    x, _ = read_data(path)
    assert_bits_equal(x[:, 0], backprop.data.parse_numbers(cells))
    assert all(value != float(cell) for value, cell in zip(x[:, 0], cells, strict=True))
    both_ways(path)


@pytest.mark.parametrize(
    "slip",
    [
        "numpy's doubles, not long doubles",  # rounds correctly, once: not R
        "no second reading",  # 20 digits and large exponents left to strtold
    ],
)
def test_a_fast_path_that_is_not_r_fails_the_comparison(tmp_path, monkeypatch, slip):
    path = tmp_path / "r.csv"
    cells = ["8.46709533979837e-3", "07357164761677889600978e-18", "6.05225644998653e299"]
    path.write_text("a,y\n" + "".join(f"{cell},1\n" for cell in cells))
    if slip == "no second reading":
        monkeypatch.setattr(backprop.data, "_reread_exactly", lambda chunk, numbers: None)
    else:
        loadtxt = np.loadtxt
        monkeypatch.setattr(
            backprop.data.np, "loadtxt", lambda *a, **k: loadtxt(*a, **{**k, "dtype": float})
        )
    with pytest.raises(AssertionError, match="differ"):
        both_ways(path)


def test_a_plain_file_takes_the_fast_path_and_an_odd_one_does_not(tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_text('"x1","x2","y"\n1,2,30\n4, 5 ,60\n"7",8,9\n')  # R's write.csv quotes
    assert fast_path_taken(plain)
    for odd in ("1,2,30\n0x1p3,5,60\n", "1,2,30\n1e,5,60\n", "1,2,NA\n", "1,2\n", "1,2,3\n \n",
                '1,2,"3"4\n', "1,2,3\n5,6,\u00e9\n"):  # fmt: skip
        path = tmp_path / "odd.csv"
        path.write_text(f"x1,x2,y\n{odd}")
        assert not fast_path_taken(path), odd


@pytest.mark.parametrize("rows", [10, 1000])
def test_a_large_plain_file_reads_the_same_both_ways(tmp_path, rows):
    values = np.random.default_rng(rows).random((rows, 3)) * 100
    path = tmp_path / "large.csv"
    out = io.StringIO()
    np.savetxt(out, values, fmt="%.15g", delimiter=",")  # as R's write.csv writes them
    path.write_text('"a","b","y"\n' + out.getvalue())
    x, y = read_data(path)
    assert_bits_equal(np.hstack([x, y]), backprop.data.parse_numbers(
        out.getvalue().replace("\n", ",").split(",")[:-1]).reshape(rows, 3))  # fmt: skip
    both_ways(path)


def test_eight_megabytes_at_a_time_keeps_rows_in_order(tmp_path, monkeypatch):
    """The fast path reads in pieces; a cell read again is put back in its own row, in
    the second piece too (there, a cell whose 23 digits R rounds as it goes)."""
    rows = 1_000_000  # about 9 MB: two pieces
    cell = "07357164761677889600978e-18"
    path = tmp_path / "two_pieces.csv"
    path.write_text("a,y\n" + "".join(f"{k},1\n" for k in range(rows - 1)) + f"{cell},2\n")
    assert len(backprop.data._line_chunks(path.read_bytes(), 4, 8 * 2**20)) == 2
    x, y = read_data(path)
    assert x.shape == (rows, 1) and x[-2, 0] == rows - 2 and y[-1, 0] == 2
    assert_bits_equal(x[-1], backprop.data.parse_numbers([cell]))
    backprop.data._LAST.clear()
    monkeypatch.setattr(backprop.data, "_reread_exactly", lambda chunk, numbers: None)  # a slip
    with pytest.raises(AssertionError, match="differ"):
        assert_bits_equal(read_data(path)[0][-1], backprop.data.parse_numbers([cell]))
    backprop.data._LAST.clear()
