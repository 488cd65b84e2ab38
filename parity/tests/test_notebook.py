"""The lecture's notebook (``make notebook``), run as a student runs it: nbclient in a
fresh ipykernel, R cells through rpy2's %%R magic.

Built from the same chunks as the site; the R and Python cells must print the
slides' numbers and the last cell must find R's results equal to Python's. A
notebook built from a copy of the scripts with a planted fault must fail.

The notebook checked is the one the site's build ran and ships (``site_runs`` in
conftest.py: ``parity.site.notebook.execute(lecture_notebook())`` in a fresh kernel,
once per session), so these tests run in the site's group, on its worker.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from parity.site.build import Runs
from parity.site.notebook import ROOT, execute, lecture_notebook

pytestmark = [
    pytest.mark.usefixtures("r_session"),  # R cells need R: loud skip without it
    pytest.mark.xdist_group("site"),  # the site's run of the notebook, on its worker
]
nbclient = pytest.importorskip("nbclient", reason="NOTEBOOK NOT RUN: nbclient missing")


def printed(cell: Any) -> str:
    """What a cell wrote on stdout, its streams joined."""
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def code_cells(notebook: Any) -> list[Any]:
    return [c for c in notebook.cells if c.cell_type == "code"]


@pytest.fixture(scope="module")
def ran(site_runs: Runs) -> Any:
    """The lecture's notebook as the site's build ran it (``execute(lecture_notebook())``)."""
    import nbformat

    return nbformat.reads(site_runs.notebook, as_version=4)


def test_the_notebook_runs_and_each_language_prints_the_slides_numbers(ran: Any) -> None:
    cells = code_cells(ran)
    assert not [o for c in cells for o in c.outputs if o.output_type == "error"]
    chunks = cells[1:-2]  # after starting R, before the two that compare
    r_cells = [c for c in chunks if c.source.startswith("%%R\n")]
    py_cells = [c for c in chunks if not c.source.startswith("%%R\n")]
    assert len(r_cells) == len(py_cells) - 1 >= 10  # Python's imports have no R twin
    r_text = "".join(printed(c) for c in r_cells)
    assert "[1] 0.01532851" in r_text
    assert "[1,]  2.1169800 1.6157951 -1.4547416" in r_text  # the slides' W_1
    py_text = "".join(printed(c) for c in py_cells)
    assert "[1] 0.01532851" in py_text
    assert "[[0.26550866 0.57285336 0.20168193]" in py_text  # numpy's print of runif's W_1
    assert printed(cells[-1]).endswith("R and Python agree\n")


def copy_of_scripts(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    (root / "py" / "backprop").mkdir(parents=True)
    shutil.copytree(ROOT / "r", root / "r")
    shutil.copy(ROOT / "py" / "backprop" / "lecture.py", root / "py" / "backprop" / "lecture.py")
    return root


def test_a_python_chunk_that_parts_from_r_fails_the_last_cell(tmp_path: Path) -> None:
    root = copy_of_scripts(tmp_path)
    lecture = root / "py" / "backprop" / "lecture.py"
    lecture.write_text(lecture.read_text().replace("    scalar = 5\n", "    scalar = 5.001\n"))
    with pytest.raises(nbclient.exceptions.CellExecutionError, match="Not equal to tolerance"):
        execute(lecture_notebook(root), tmp_path)
