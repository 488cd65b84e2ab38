"""A user's R start-up files change nothing: R is started as `R --vanilla` starts.

Embedded R (the R engine, the harness, the site) and the Rscript calls read no
site or user profile and no environ file. Here a hostile ~/.Rprofile (and one
in the working folder) switches R's generator to L'Ecuyer-CMRG and sample() to
"Rounding", and prints a greeting: were it read, R's draws, its held-out rows
and the JSON on stdout would all change. Each run is a fresh interpreter with
HOME pointing at it.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from helpers import REPO, run_module

pytestmark = pytest.mark.usefixtures("r_session")

HOSTILE = """RNGkind("L'Ecuyer-CMRG", sample.kind = "Rounding")
cat("Welcome to R, from .Rprofile\\n")
"""


@pytest.fixture
def hostile_home(tmp_path: Path) -> dict[str, str]:
    """An environment whose HOME, working folder and R_PROFILE_USER hold the profile."""
    (tmp_path / ".Rprofile").write_text(HOSTILE)
    (tmp_path / ".Renviron").write_text(f"R_PROFILE_USER={tmp_path / '.Rprofile'}\n")
    return {**os.environ, "HOME": str(tmp_path), "R_PROFILE_USER": str(tmp_path / ".Rprofile")}


def test_the_profile_would_change_rs_numbers(hostile_home: dict[str, str], tmp_path: Path) -> None:
    """The premise: R that reads it draws other numbers and greets on stdout."""
    done = subprocess.run(["Rscript", "-e", "set.seed(1); cat(runif(1))"], env=hostile_home,
                          cwd=tmp_path, capture_output=True, text=True, check=True)  # fmt: skip
    assert done.stdout.startswith("Welcome") and not done.stdout.endswith("0.2655087")


def test_the_r_engine_draws_and_holds_out_as_python_and_prints_only_json(
    hostile_home: dict[str, str], tmp_path: Path
) -> None:
    argv = ["train", "--json", "--iterations", "5", "--data", str(REPO / "data" / "iris.csv"),
            "--target", "onehot", "--test-fraction", "0.5"]  # fmt: skip
    python = run_module("backprop", *argv, cwd=tmp_path, env=hostile_home)
    in_r = run_module("backprop", *argv, "--engine", "r", cwd=tmp_path, env=hostile_home)
    assert python.returncode == in_r.returncode == 0, in_r.stderr
    python_json, r_json = json.loads(python.stdout), json.loads(in_r.stdout)  # nothing else
    for key in ("W_1_init", "W_2_init", "test_rows"):
        assert r_json[key] == python_json[key], key


def test_the_harness_prints_only_its_json(hostile_home: dict[str, str], tmp_path: Path) -> None:
    done = run_module("parity", "--case", "lecture", "--json", "--numpy-only", cwd=tmp_path,
                      env=hostile_home)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True


def test_the_slides_script_is_run_vanilla_by_the_site(
    hostile_home: dict[str, str], tmp_path: Path
) -> None:
    """The site and the tests run `Rscript --vanilla r/lecture.R`: the slides' output."""
    done = subprocess.run(["Rscript", "--vanilla", str(REPO / "r" / "lecture.R")],
                          env=hostile_home, cwd=tmp_path, capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert done.stdout.startswith("[1] 0.01532851\n")
