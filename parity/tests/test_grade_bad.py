"""``python -m parity grade`` on bad student files: a file that does not import is one
line and exit 2; a function that raises, never returns, prints megabytes, asks for
too much memory or has the wrong signature is an ERROR with one line on stderr and
exit 2, while the other functions are still graded. Never a traceback of ours.

The student's code runs in a subprocess (``parity.grade.run_student``): these
show the limits hold there.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parity.grade import PASS, main

pytestmark = pytest.mark.usefixtures("r_session")

PORTS = Path(__file__).parent / "ports"
BAD = PORTS / "bad"


def _grade(capsys, *argv: str) -> tuple[int, str, str]:
    """main's exit status (argparse's usage errors too), stdout and stderr."""
    try:
        status = main([str(a) for a in argv])
    except SystemExit as stop:
        status = int(stop.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


def _rows(out: str) -> dict[str, str]:
    return {line.split()[0]: line.split()[1] for line in out.splitlines()[3:-1] if line[:1] != " "}


@pytest.mark.parametrize(
    ("source", "words"),
    [
        (
            "def sigmoid(Z)\n    return Z\n",
            "broken.py does not import: SyntaxError: expected ':' (line 1)",
        ),
        ("import numpy as np\nnp.zeros(2)[5]\n", "broken.py does not import: IndexError: index 5"),
    ],
)
def test_a_file_that_does_not_import_is_one_line_and_exit_2(capsys, tmp_path, source, words):
    port = tmp_path / "broken.py"
    port.write_text(source)
    status, out, err = _grade(capsys, port, "--function", "sigmoid")
    assert status == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("python -m parity grade: error: ")
    assert words in err, err


@pytest.mark.parametrize(
    ("port", "words"),
    [
        ("import_error", "No module named 'numpyy' (line 4: import numpyy"),
        ("exits", "SystemExit: no time to port it (line 5"),
    ],
)
def test_an_import_error_shows_the_students_error(capsys, port, words) -> None:
    status, out, err = _grade(capsys, BAD / f"{port}.py")
    assert status == 2 and out == "" and len(err.splitlines()) == 1
    assert f"{port}.py does not import: " in err and words in err, err


@pytest.mark.parametrize(
    ("port", "function", "words", "argv"),
    [
        ("raises", "forward", "raised RuntimeError: not written yet (line 36: raise", []),
        ("endless", "train", "did not finish within 2 s (an endless loop?)", ["--timeout", "2"]),
        ("prints", "sigmoid", "printed too much", []),
        ("memory", "backprop", "raised MemoryError", ["--memory", "1024"]),
        ("wrong_signature", "forward",
         "wrong signature: forward(X, weights) where the lecture has forward(X, W_1, W_2)", []),
    ],
)  # fmt: skip
def test_a_bad_function_is_an_error_and_the_others_are_still_graded(
    capsys, port, function, words, argv
) -> None:
    others = ["sigmoid", "cost"] if function != "sigmoid" else ["cost", "scale_target"]
    chosen = [a for name in [*others, function] for a in ("--function", name)]
    status, out, err = _grade(capsys, BAD / f"{port}.py", *chosen, *argv)
    assert status == 2
    rows = _rows(out)
    assert rows[function] == "ERROR" and all(rows[name] == "PASS" for name in others), out
    assert err.splitlines() == [err.splitlines()[0]]
    assert err.startswith(f"python -m parity grade: error: {function}: ") and words in err, err


def test_json_says_error_for_the_bad_function(capsys) -> None:
    status, out, _ = _grade(
        capsys, BAD / "raises.py", "--json", "--function", "sigmoid", "--function", "forward"
    )
    report = json.loads(out)
    assert status == 2
    assert [(f["name"], f["status"]) for f in report["functions"]] == [
        ("sigmoid", PASS),
        ("forward", "error"),
    ]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["nowhere.py"], "nowhere.py: no such file"),
        (["README.md"], "not a Python module (.py) or a notebook (.ipynb)"),
        (["x.py", "--timeout", "0"], "argument --timeout: must be a positive number; got '0'"),
        (["x.py", "--function", "fit"], "argument --function: invalid choice: 'fit'"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(capsys, argv, words) -> None:
    status, out, err = _grade(capsys, *argv)
    assert status == 2 and out == "" and len(err.splitlines()) == 1 and words in err, err


def test_a_notebook_that_is_not_json_is_one_line(capsys, tmp_path) -> None:
    notebook = tmp_path / "port.ipynb"
    notebook.write_text("{ not json")
    status, out, err = _grade(capsys, notebook)
    assert status == 2 and out == "" and "port.ipynb is not a Jupyter notebook" in err
