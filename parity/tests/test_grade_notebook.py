"""The grader in a notebook: a .ipynb file's code cells are a port (IPython's % and !
lines left out), and ``%load_ext parity.grade`` then ``%grade forward`` grades the
notebook's own function in the kernel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parity.grade import PASS, grade

pytestmark = pytest.mark.usefixtures("r_session")

PORTS = Path(__file__).parent / "ports"


def _notebook(path: Path, source: str) -> Path:
    """The port's source as a notebook: a markdown cell, magics, the code in two cells."""
    head, tail = source.split("\ndef forward", 1)
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# My port\n"]},
        {"cell_type": "code", "metadata": {}, "source": ["%load_ext parity.grade\n", "!ls\n"]},
        {"cell_type": "code", "metadata": {}, "source": head.splitlines(keepends=True)},
        {"cell_type": "code", "metadata": {}, "source": "def forward" + tail},
        {"cell_type": "code", "metadata": {}, "source": ["%grade forward"]},
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(notebook))
    return path


def test_a_notebook_is_graded_like_a_module(tmp_path: Path) -> None:
    notebook = _notebook(tmp_path / "port.ipynb", (PORTS / "star_forward.py").read_text())
    report = grade(notebook, only=["sigmoid", "forward"])
    sigmoid, forward = report.grades
    assert sigmoid.status == PASS
    assert forward.status == "fail" and forward.hint and forward.hint.mistake == "elementwise"
    assert "(line " in forward.detail  # the notebook's own line, counted over its code cells


def test_the_magic_grades_the_notebooks_own_function(capsys) -> None:
    pytest.importorskip("IPython", reason="the magic needs IPython (the grade extra)")
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "parity.grade")
    shell.run_cell((PORTS / "exp_sign.py").read_text())
    capsys.readouterr()
    shell.run_line_magic("grade", "sigmoid forward")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("grading the notebook against R version ")
    rows = {line.split()[0]: line.split()[1] for line in lines[3:] if line[:1] not in (" ", "")}
    assert (rows["sigmoid"], rows["forward"]) == ("FAIL", "PASS")
    assert "    hint: the sign in `exp(-Z)`" in lines
    shell.run_line_magic("grade", "fit")
    assert "'fit' is not one of the lecture's functions" in capsys.readouterr().err
