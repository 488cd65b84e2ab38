"""The files that ship inside the package: the lecture's data and the R twins.

They live at the repository's top level, ``data/`` and ``r/``; ``py/backprop/data``
and ``py/backprop/r`` are symbolic links to them, and ``pyproject.toml`` ships
them as package data. So the same two names find them from a checkout, an
editable install and an installed wheel alike: the one home of "where".
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

# A directory on disk, not a zip: R reads the R files by name (see backprop/r_engine.py).
PACKAGE_DIR = Path(str(files("backprop")))
DATA_DIR = PACKAGE_DIR / "data"  # lecture.csv, study.csv, iris.csv, iris2.csv
R_DIR = PACKAGE_DIR / "r"  # the R package (its twins in r/R/*.R) and the slides' script
LECTURE_DATA = DATA_DIR / "lecture.csv"  # the slides' three students
