"""The package works installed from its wheel, with no repository beside it.

The wheel is built from a copy of the checkout (``parity/`` and its frozen
reference beside ``py/backprop``, as in the repository), installed into a
fresh venv (its dependencies, numpy, matplotlib and rpy2, are borrowed from
this venv by a .pth line, so no network is needed), and run from an empty
directory: ``backprop train`` and ``backprop nnet`` in both engines and
``python -m backprop.lecture``. The lecture's data and the R twins must come
from the wheel; the harness (``parity``, with its frozen reference, bench,
grader and site) must not be in it: it is run from a checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from parity.site.build import ROOT

SOURCES = ("pyproject.toml", "README.md", "py/backprop", "r", "data", "parity")
SKIP = shutil.ignore_patterns("__pycache__", "tests", "*.png", "*.so")


pytestmark = pytest.mark.xdist_group("wheel")  # built once, by one worker (--dist loadgroup)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the wheel: its bin/ directory."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, symlinks=True, ignore=SKIP)
        else:
            shutil.copy(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check"]
    # As a user installs it: not with the checkout on PYTHONPATH (conftest.py puts it there
    # for `python -m parity`), where pip would take its backprop.egg-info for an install.
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(tmp), str(source)], check=True, env=clean)
    (wheel,) = tmp.glob("backprop-*.whl")
    venv.create(tmp / "venv", with_pip=False)
    bin_dir = tmp / "venv" / "bin"
    subprocess.run(
        [
            *pip,
            "--python",
            str(bin_dir / "python"),
            "install",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        env=clean,
    )
    site = subprocess.run(
        [bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
        env=clean,
    ).stdout.strip()
    (Path(site) / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    shutil.rmtree(source)  # nothing of the repository is left to lean on
    return bin_dir


def run(bin_dir: Path, *command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(cwd)}  # no PYTHONPATH
    return subprocess.run(
        [str(bin_dir / command[0]), *command[1:]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_wheel_ships_backprop_its_data_and_the_r_twins_and_nothing_of_parity(
    installed: Path,
) -> None:
    (wheel,) = installed.parents[1].glob("backprop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "backprop/cli.py",
        "backprop/data/lecture.csv",
        "backprop/data/iris.csv",
        "backprop/r/R/network.R",
        "backprop/r/R/fit.R",
        "backprop/r/DESCRIPTION",
        "backprop/r/NAMESPACE",
        "backprop/r/lecture.R",
    } <= names
    assert any(n.startswith("backprop/_rarith.") and n.endswith(".so") for n in names)
    tops = {n.split("/")[0] for n in names}
    assert tops == {"backprop", "backprop-0.1.0.dist-info"}, tops  # no parity package
    assert [n for n in names if "parity" in n or "reference" in n] == []  # nor its reference
    frozen = ROOT / "parity" / "reference"
    assert len(list(frozen.rglob("*.txt"))) > 100  # the frozen reference the copy held
    assert wheel.stat().st_size < 1_000_000  # 0.2 MB; 1.9 MB with parity and its reference


def test_parity_is_not_importable_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    where = run(
        installed, "python", "-c", "import backprop; print(backprop.__file__)", cwd=tmp_path
    )
    assert where.stdout.startswith(str(installed.parent)), where.stdout  # not the checkout
    done = run(installed, "python", "-m", "parity", "--case", "lecture", cwd=tmp_path)
    assert done.returncode == 1 and "No module named parity" in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == []


def test_backprop_train_and_nnet_run_from_the_wheel_in_both_engines(
    installed: Path, tmp_path: Path
) -> None:
    def json_of(*argv: str) -> dict:
        done = run(installed, "backprop", *argv, "--json", cwd=tmp_path)
        assert (done.returncode, done.stderr) == (0, ""), argv
        return json.loads(done.stdout)

    python, in_r = json_of("train"), json_of("train", "--engine", "r")
    assert len(python["cost_history"]) == len(in_r["cost_history"]) == 10_000
    assert python["cost_history"][-1] == pytest.approx(in_r["cost_history"][-1], 1e-9)
    python, in_r = json_of("nnet"), json_of("nnet", "--engine", "r")
    assert python == in_r  # every double, exactly: the twin and R's nnet
    assert len(python["wts"]) == 13 and python["convergence"] == 0
    assert list(tmp_path.iterdir()) == []  # nothing written where they ran


def test_the_lecture_runs_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    done = run(installed, "python", "-m", "backprop.lecture", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("[1] 0.01532851\n           [,1]      [,2]       [,3]\n")
    assert "[1,]  2.1169800 1.6157951 -1.4547416\n" in done.stdout  # the slides' W_1
    assert list(tmp_path.iterdir()) == []
