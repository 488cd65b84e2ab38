"""What a number is: Python's reader of cells agrees with R's as.numeric, cell by cell.

A cell R reads as a number Python reads as the same double; a cell R reads as
NA (or NaN) Python reads as NaN. Python's own ``float`` would accept ``1_000``,
Unicode digits and spaces, and refuse ``1e`` and hex; R decides here.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backprop.data import load_scaled, parse_numbers
from parity.r_session import RSession

pytestmark = pytest.mark.usefixtures("r_session")

ODD_CELLS = [
    "1", " 1 ", "\t2\n", "\v3\f", "1e", "1e+", "1E5", ".5", "5.", ".", "+.5e-1", "-0",
    "00012", "1e-400", "1e400", "0x1A", "0x1p3", "0X1.8p1", "0x.8", "+0x10", "-0x1p-2",
    "0x", "0x.", "0x1.2.3", "1_000", "\u00a05", "5\u00a0", "\uff15", "\u0665", "\u2007" "5",
    "NA", "NaN", "nan", "Inf", "-inf", "infinity", "Infinity", "1d5", "1,5", "", " ",
    "TRUE", "1.2.3", "e5", "+", "-", "1 2", "--1", "1L", "1i", "0b101", "1e5.5", "٣",
]  # fmt: skip


def agree(r_session: RSession, cells: list[str]) -> None:
    in_r = np.asarray(r_session.call("parse_numbers", np.array(cells)), dtype=np.float64)
    in_python = parse_numbers(cells)
    for cell, r, py in zip(cells, in_r, in_python, strict=True):
        assert (np.isnan(r) and np.isnan(py)) or r == py, (cell, r, py)


def test_odd_cells_are_read_as_r_reads_them(r_session: RSession) -> None:
    agree(r_session, ODD_CELLS)


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(st.lists(st.text(alphabet="0123456789.+-eEpPxXaAfFnN_ \t\u00a0\uff15", max_size=8),
                min_size=1, max_size=20))  # fmt: skip
def test_random_cells_are_read_as_r_reads_them(r_session: RSession, cells: list[str]) -> None:
    agree(r_session, cells)


def test_a_file_with_a_cell_only_python_would_read_is_refused_by_both(
    r_session: RSession, tmp_path
) -> None:
    for cell in ("1_000", "\uff15", "\u00a05"):
        path = tmp_path / "odd.csv"
        path.write_text(f"a,b,score\n1,2,50\n{cell},1,60\n", encoding="utf-8")
        with pytest.raises(ValueError, match="is not a number"):
            load_scaled(path)
        with pytest.raises(Exception, match="every cell must be a finite number"):
            r_session.call("load_scaled", str(path))


def test_class_labels_in_any_utf8_text_work_in_both(r_session: RSession, tmp_path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("a,b,species\n1,2,sétosa\n2,1,virginica\n3,3,Ωmega\n1,1,sétosa\n",
                    encoding="utf-8")  # fmt: skip
    X, Y = load_scaled(path, "onehot")
    in_r = r_session.call("load_scaled", str(path), "onehot")
    assert np.array_equal(np.asarray(in_r["Y"]), Y)
    assert list(r_session.call("read_classes", str(path))) == ["sétosa", "virginica", "Ωmega"]
