"""Source code taken from the twins by function name, when the site is built.

An R function is its ``name <- function(`` line to the first ``}`` alone at
the start of a line after it (the project's style), with the plain comment
lines just above it (its roxygen help, ``#'``, is the R package's ``?name``,
not shown); a Python function is what ``ast`` says it spans, decorators
and docstring included. Nothing on the site is copied by hand, so it cannot
drift from the code; a function missing on either side stops the build with
a message naming it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path


class SiteError(Exception):
    """The site cannot be built as asked: a twin is missing, a file cannot be read."""


@dataclass(frozen=True)
class Twin:
    """One function in both languages: its name, and the source text of each."""

    name: str
    r: str
    python: str


def r_function(path: Path, name: str) -> str:
    """The R function ``name`` in ``path``, with its comment lines just above it."""
    lines = _read(path).splitlines()
    start = re.compile(rf"^{re.escape(name)}\s*<-\s*function\b")
    first = next((i for i, line in enumerate(lines) if start.match(line)), None)
    if first is None:
        raise SiteError(f"no function '{name}' in {path}: its R twin is missing")
    last = next((i for i in range(first, len(lines)) if lines[i] == "}"), None)
    if last is None:
        raise SiteError(f"{path}: function '{name}' has no closing '}}' at the start of a line")
    while first > 0 and lines[first - 1].startswith("#") and not lines[first - 1].startswith("#'"):
        first -= 1
    return "\n".join(lines[first : last + 1])


def python_function(path: Path, name: str) -> str:
    """The Python function ``name`` in ``path``, decorators and docstring included."""
    source = _read(path)
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            return "\n".join(source.splitlines()[first - 1 : node.end_lineno])
    raise SiteError(f"no function '{name}' in {path}: its Python twin is missing")


def twins(root: Path, stem: str, names: list[str] | None = None) -> list[Twin]:
    """The functions ``names`` (default: all of the R file's, in its order) of
    ``r/R/<stem>.R`` (the R package's; the slides' script ``r/lecture.R``) and
    ``py/backprop/<stem>.py`` under ``root``, paired."""
    r_path = root / "r" / f"{stem}.R"
    if not r_path.exists():
        r_path = root / "r" / "R" / f"{stem}.R"
    py_path = root / "py" / "backprop" / f"{stem}.py"
    if names is None:
        names = re.findall(r"^([A-Za-z.][\w.]*)\s*<-\s*function\b", _read(r_path), re.MULTILINE)
    return [Twin(n, r_function(r_path, n), python_function(py_path, n)) for n in names]


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError as e:
        raise SiteError(f"cannot read {path}: {e.strerror}") from None
