"""The package works installed from its wheel, with no repository beside it.

The wheel is built from a copy of the sources, installed into a fresh venv
(its dependencies, numpy, matplotlib and rpy2, are borrowed from this venv by
a .pth line, so no network is needed), and run from an empty directory:
``backprop train`` in both engines and ``python -m parity``. The lecture's
data, the R twins and the frozen reference must all come from the wheel.
"""

from __future__ import annotations

import json
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
SKIP = shutil.ignore_patterns("__pycache__", "tests", "*.png")


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
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(tmp), str(source)], check=True)
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
    )
    site = subprocess.run(
        [bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
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


def test_the_wheel_ships_the_data_the_r_twins_and_the_reference(installed: Path) -> None:
    (wheel,) = installed.parents[1].glob("backprop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "backprop/data/lecture.csv",
        "backprop/r/R/network.R",
        "backprop/r/R/fit.R",
        "backprop/r/DESCRIPTION",
        "backprop/r/NAMESPACE",
        "backprop/r/lecture.R",
    } <= names
    assert {"parity/reference/cases.csv", "parity/reference/lecture/W_1.txt"} <= names


def test_backprop_train_runs_from_the_wheel_in_both_engines(installed: Path, tmp_path: Path):
    where = run(
        installed, "python", "-c", "import backprop; print(backprop.__file__)", cwd=tmp_path
    )
    assert where.stdout.startswith(str(installed.parent)), where.stdout  # not the checkout
    python = run(installed, "backprop", "train", "--json", cwd=tmp_path)
    in_r = run(installed, "backprop", "train", "--json", "--engine", "r", cwd=tmp_path)
    assert (python.returncode, python.stderr, in_r.returncode, in_r.stderr) == (0, "", 0, "")
    py_result, r_result = json.loads(python.stdout), json.loads(in_r.stdout)
    assert len(py_result["cost_history"]) == len(r_result["cost_history"]) == 10_000
    assert py_result["cost_history"][-1] == pytest.approx(r_result["cost_history"][-1], 1e-9)


def test_python_m_parity_runs_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    done = run(installed, "python", "-m", "parity", "--case", "lecture", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 cases: 1 pass" in done.stdout
    assert list(tmp_path.iterdir()) == []  # it wrote nothing where it ran
