"""The parity cases: the lecture first, then seeds, sizes, steps and data sets.

The list lives in ONE place, ``parity/reference/cases.csv``, read here and by
``parity/reference/make_reference.R`` (which writes the frozen R outputs), so
the Python harness and the frozen reference can never drift apart. Every
default case is well-conditioned: one ulp of initial weights moves its result
by far less than the tolerance (``python -m parity`` measures it each run).
"""

from __future__ import annotations

import csv
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES_FILE = ROOT / "parity" / "reference" / "cases.csv"
NAME = re.compile(r"[A-Za-z0-9_.-]+")  # a case's name is also a directory name


@dataclass(frozen=True)
class Case:
    """One parity case: a data file and the arguments of ``train``.

    New settings (activation, loss, optimiser, ...) become new fields with a
    default and a column of the same name in ``cases.csv``; a file without
    the column keeps the default.
    """

    name: str
    data: str  # the CSV, relative to the repository root
    hidden: int
    seed: int
    iterations: int
    step: float
    why: str = ""

    def __post_init__(self) -> None:
        if not NAME.fullmatch(self.name):
            raise ValueError(f"case name must match {NAME.pattern}; got {self.name!r}")

    @property
    def data_path(self) -> Path:
        return ROOT / self.data

    def train_args(self) -> dict[str, int | float]:
        """The keyword arguments of ``train`` in both languages."""
        return {
            "hidden": self.hidden,
            "seed": self.seed,
            "iterations": self.iterations,
            "step": self.step,
        }


def read_cases(path: Path = CASES_FILE) -> tuple[Case, ...]:
    """Every case in ``path``, in file order; names must be unique."""
    with path.open(newline="") as f:
        cases = tuple(_case(row, path) for row in csv.DictReader(f))
    names = [case.name for case in cases]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"{path}: case names must be unique; repeated: {', '.join(duplicates)}")
    return cases


def _case(row: dict[str, str], path: Path) -> Case:
    types = typing.get_type_hints(Case)
    unknown = set(row) - {field.name for field in fields(Case)}
    if unknown:
        raise ValueError(f"{path}: unknown column(s) {sorted(unknown)}; Case has no such field")
    try:
        return Case(**{key: types[key](value) for key, value in row.items()})
    except (TypeError, ValueError) as e:
        raise ValueError(f"{path}: bad case {row.get('name')!r}: {e}") from None


DEFAULT_CASES = read_cases()


def select(names: Iterable[str], cases: tuple[Case, ...] = DEFAULT_CASES) -> tuple[Case, ...]:
    """The named cases, in the order asked; every case when ``names`` is empty."""
    by_name = {case.name: case for case in cases}
    names = list(names)
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise ValueError(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(by_name)}")
    return tuple(by_name[name] for name in names) if names else cases
