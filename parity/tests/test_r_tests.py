"""R's own tests (r/tests, testthat, no Python) can fail: a planted wrong port fails them.

``make test`` runs them on the real r/; here they run on a copy of the
repository's R side with one function made wrong.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RIGHT_SIGMOID = "  1 / (1 + exp(-Z))\n"


def run_r_tests(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["Rscript", "--vanilla", "-e", 'testthat::test_local("r")'],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def copy_of_r_side(tmp_path: Path) -> Path:
    """The R package r/, its links (the data, the lecture's frozen reference) copied."""
    shutil.copytree(REPO / "r", tmp_path / "r")
    return tmp_path


def test_a_planted_wrong_sigmoid_fails_rs_own_tests(copy_of_r_side: Path) -> None:
    network = copy_of_r_side / "r" / "R" / "network.R"
    source = network.read_text()
    assert source.count(RIGHT_SIGMOID) == 1
    network.write_text(source.replace(RIGHT_SIGMOID, "  1 / (1 + exp(-1.0001 * Z))\n"))
    wrong = run_r_tests(copy_of_r_side)
    assert wrong.returncode != 0
    assert "FAIL" in wrong.stdout and "lecture" in wrong.stdout


def test_the_copy_passes_unchanged(copy_of_r_side: Path) -> None:
    """So the failure above is the planted port's, not the copy's."""
    right = run_r_tests(copy_of_r_side)
    assert right.returncode == 0, right.stdout + right.stderr
    assert "[ FAIL 0 | WARN 0 | SKIP 0 |" in right.stdout
