"""The twins stay twins: every r/X.R and py/backprop/X.py define the same public
functions, in the same order, so the two files read side by side.

Private helpers (``_name``) are allowed on the Python side only: the little
things numpy needs and R has built in. No R needed: both are read as text.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
R_DIR, PY_DIR = REPO / "r", REPO / "py" / "backprop"
R_FUNCTION = re.compile(r"^([A-Za-z.][A-Za-z0-9_.]*)\s*<-\s*function\b", re.MULTILINE)

# The only public functions one twin has and the other has not, and why.
PYTHON_ONLY = {
    # `Rscript r/lecture.R` runs the script's top level; `python -m backprop.lecture` needs
    # a function to run (and to take --plot), as every Python script does.
    ("lecture", "main"),
    # The command's JSON of a result; R's results reach the command through rpy2.
    ("fit", "result_json"),
    ("fit", "json_order"),
    ("fit", "result_text"),
    # The command checks in Python before R trains (the same words in both engines);
    # R's own restarts loop over fit(), which checks as it goes.
    ("fit", "check_fit"),
}
# R's S3 methods of a fit (and the generic R lacks) are the methods of Python's
# class Fit: R function -> Fit's method.
R_FIT_METHODS = {
    "predict.backprop_fit": "predict",
    "evaluate": "evaluate",
    "evaluate.backprop_fit": "evaluate",
    "print.backprop_fit": "__str__",
    "summary.backprop_fit": "summary",
    "print.summary.backprop_fit": "summary",
}
# Files without a twin, and why.
R_ALONE = {
    "make_iris": "writes data/iris.csv from R's own datasets::iris",
    "backprop-package": "the R package's own documentation and imports",
}
PYTHON_ALONE = {
    "__init__": "the package",
    "__main__": "python -m backprop",
    "cli": "the command; its R engine calls the R twins through rpy2",
    "fast": "train_fast, a faster variant of network.train held to it bit for bit",
    "nnet": "nnet::nnet ported from the nnet package's R and C code; R calls the package itself",
    "optim": "R's optim(method = 'BFGS') and vmmin ported from R's own C code; R has it built in",
    "plots": "matplotlib's plots; R's lecture.R draws its own",
    "rng": "R's generator itself (set.seed, runif, rnorm, sample) ported; R has it built in",
    "rarith": "R's own arithmetic (%*%, sum, colSums, exp) ported from R's C and BLAS code",
    "resources": "where the package's data and R files are, installed or not",
    "memory": "the command's guard: what a training needs and what the machine has",
    "progress": "the command's progress bar; R's engine calls it through rpy2",
    "r_engine": "the R engine: R embedded through rpy2, the R twins loaded; R's fit as a Fit",
    "rprint": "printing numbers as R prints them; R does it itself",
}


def r_files(r_dir: Path) -> list[Path]:
    """The R package's files (r/R/*.R) and the scripts beside it (r/lecture.R, r/make_iris.R)."""
    return sorted([*r_dir.glob("*.R"), *(r_dir / "R").glob("*.R")], key=lambda p: p.stem)


def r_functions(path: Path) -> list[str]:
    """The functions a file of R defines at the top level, in file order, but the
    fit's S3 methods (``R_FIT_METHODS``)."""
    return [f for f in R_FUNCTION.findall(path.read_text()) if f not in R_FIT_METHODS]


def python_functions(path: Path) -> list[str]:
    """The public functions a Python module defines at the top level, in file order."""
    tree = ast.parse(path.read_text())
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    ]


def twin_mismatches(r_dir: Path, py_dir: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Per stem with both files: (R's functions, Python's) where they differ."""
    out = {}
    for r_file in r_files(r_dir):
        py_file = py_dir / f"{r_file.stem}.py"
        if not py_file.exists():
            continue
        in_r = r_functions(r_file)
        in_py = [f for f in python_functions(py_file) if (r_file.stem, f) not in PYTHON_ONLY]
        if in_r != in_py:
            out[r_file.stem] = (in_r, in_py)
    return out


def test_every_twin_defines_the_same_functions_in_the_same_order() -> None:
    assert twin_mismatches(R_DIR, PY_DIR) == {}


def test_the_fits_s3_methods_are_the_fit_classs_methods() -> None:
    """R's predict, evaluate, print and summary of a backprop_fit, each a method of
    Python's Fit; and no other R function is left out of the order check."""
    in_r = R_FUNCTION.findall((R_DIR / "R" / "fit.R").read_text())
    assert set(R_FIT_METHODS) <= set(in_r)
    tree = ast.parse((PY_DIR / "fit.py").read_text())
    (fit_class,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Fit"]
    methods = {n.name for n in fit_class.body if isinstance(n, ast.FunctionDef)}
    assert set(R_FIT_METHODS.values()) <= methods


def test_every_file_has_a_twin_or_a_reason() -> None:
    r_stems = {path.stem for path in r_files(R_DIR)}
    py_stems = {path.stem for path in PY_DIR.glob("*.py")}
    assert r_stems - py_stems == set(R_ALONE)
    assert py_stems - r_stems == set(PYTHON_ALONE)


def test_the_twins_are_many() -> None:
    """The check reads what it should: a dozen twins, a hundred-odd functions each side."""
    twins = [p for p in r_files(R_DIR) if (PY_DIR / f"{p.stem}.py").exists()]
    assert len(twins) >= 12
    assert sum(len(r_functions(path)) for path in twins) >= 100


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    r_dir, py_dir = tmp_path / "r", tmp_path / "backprop"
    shutil.copytree(R_DIR, r_dir, ignore=shutil.ignore_patterns("tests"))
    shutil.copytree(PY_DIR, py_dir, ignore=shutil.ignore_patterns("__pycache__"))
    return r_dir, py_dir


def test_a_function_added_to_one_side_only_is_caught(copies: tuple[Path, Path]) -> None:
    r_dir, py_dir = copies
    with (r_dir / "R" / "losses.R").open("a") as f:
        f.write("\nhuber <- function(Y, Y_hat, delta = 1) {\n  0\n}\n")
    assert set(twin_mismatches(r_dir, py_dir)) == {"losses"}
    with (py_dir / "losses.py").open("a") as f:
        f.write("\n\ndef huber(Y, Y_hat, delta=1.0):\n    return 0.0\n")
    assert twin_mismatches(r_dir, py_dir) == {}
    with (py_dir / "activations.py").open("a") as f:
        f.write("\n\ndef swish(Z):\n    return Z\n")
    assert set(twin_mismatches(r_dir, py_dir)) == {"activations"}


def test_functions_out_of_order_are_caught(copies: tuple[Path, Path]) -> None:
    r_dir, py_dir = copies
    source = (py_dir / "network.py").read_text()
    sigmoid = source[source.index("def sigmoid(") : source.index("def sigmoid_prime(")]
    (py_dir / "network.py").write_text(source.replace(sigmoid, "") + "\n\n" + sigmoid)
    assert set(twin_mismatches(r_dir, py_dir)) == {"network"}
