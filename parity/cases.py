"""The parity cases: the lecture first, then seeds, sizes, steps, data sets and models.

The list lives in ONE place, ``parity/reference/cases.csv``, read here and by
``parity/reference/make_reference.R`` (which writes the frozen R outputs), so
the Python harness and the frozen reference can never drift apart. A row holds
what differs from the defaults: an empty cell is the setting's default (the
table of settings, ``backprop.spec.SETTINGS``; nnet's own for ``rang`` and
``nnet_output``). Each side runs a case through its language's
``fit_file`` (r/fit.R, backprop.fit), which picks the trainer: the lecture's
``train`` for the lecture's network, ``train_network`` for any other.
Every default case is well-conditioned: one ulp of initial weights moves its
result by far less than the tolerance (``python -m parity`` measures it each
run).
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from importlib.resources import files
from pathlib import Path
from typing import Any

from backprop.data import load_scaled
from backprop.fit import NNET_DEFAULTS, choose_trainer, load_file
from backprop.resources import PACKAGE_DIR
from backprop.spec import network_defaults

REFERENCE_DIR = Path(str(files("parity"))) / "reference"  # package data, like backprop's
CASES_FILE = REFERENCE_DIR / "cases.csv"
NAME = re.compile(r"[A-Za-z0-9_.-]+")  # a case's name is also a directory name
HIDDEN = re.compile(r"[1-9][0-9]*(,[1-9][0-9]*)*")  # "3" or "4,3": units per hidden layer
BOOLEANS = {"TRUE": True, "FALSE": False}  # as R writes and reads a logical
DEFAULT = network_defaults()  # the table of settings' defaults
NNET_MATRICES = ("W_1", "B_1", "W_2", "B_2")  # nnet's weights as the lecture's


@dataclass(frozen=True)
class Case:
    """One parity case: a data file, its target encoding, and the training settings.

    Every field after ``data`` defaults to the setting's default (the lecture's
    setting), read from ``network_defaults``.
    """

    name: str
    data: str  # the CSV: "data/lecture.csv" is the repository's data/, shipped in the package
    hidden: tuple[int, ...] = (DEFAULT["hidden"],)  # units per hidden layer: "3" or "4,3"
    seed: int = DEFAULT["seed"]
    iterations: int = DEFAULT["iterations"]
    step: float = DEFAULT["step"]
    batch_size: int | None = DEFAULT["batch_size"]  # mini-batches of this many rows; NA: none
    test_fraction: float | None = None  # hold out this share of the rows (fit's split); NA: none
    restarts: int | None = None  # train this many starting points, keep the best; NA: one
    decay: float = DEFAULT["decay"]  # weight decay's lambda
    target: str = "numeric"  # load_scaled's encoding: numeric, onehot or binary
    activation: str = DEFAULT["activation"]
    output_activation: str = DEFAULT["output_activation"]
    loss: str = DEFAULT["loss"]
    init: str = DEFAULT["init"]
    optimizer: str = DEFAULT["optimizer"]
    bias: bool = DEFAULT["bias"]
    alpha: float = DEFAULT["alpha"]
    beta: float = DEFAULT["beta"]
    rho: float = DEFAULT["rho"]
    beta1: float = DEFAULT["beta1"]
    beta2: float = DEFAULT["beta2"]
    eps: float = DEFAULT["eps"]
    maxit: int = DEFAULT["maxit"]  # bfgs's settings, as optim takes them
    reltol: float = DEFAULT["reltol"]
    abstol: float = DEFAULT["abstol"]
    model: str = "network"  # or "nnet": R's own nnet::nnet against its twin (fit_nnet)
    rang: float = NNET_DEFAULTS["rang"]  # nnet's starting weights: runif(-rang, rang)
    nnet_output: str = NNET_DEFAULTS["output"]  # nnet's output: logistic, linout, entropy, softmax
    why: str = ""

    def __post_init__(self) -> None:
        if not NAME.fullmatch(self.name):
            raise ValueError(f"case name must match {NAME.pattern}; got {self.name!r}")
        if not self.hidden or not all(isinstance(n, int) and n >= 1 for n in self.hidden):
            raise ValueError(f"hidden must be a tuple of whole numbers >= 1; got {self.hidden!r}")

    @property
    def data_path(self) -> Path:
        return PACKAGE_DIR / self.data

    @property
    def depth(self) -> int:
        """The number of hidden layers."""
        return len(self.hidden)

    def settings(self) -> dict[str, Any]:
        """The training settings: ``train_network``'s keyword arguments, in both languages."""
        return {name: getattr(self, name) for name in DEFAULT}

    def trainer(self) -> str:
        """What ``choose_trainer`` picks for this case: "train" or "train_network"
        (or "nnet" for an nnet case)."""
        if self.model == "nnet":
            return "nnet"
        _, Y = load_file(self.data_path, self.target, **self.settings())
        return choose_trainer(Y, **self.settings())

    def nnet_args(self) -> dict[str, Any]:
        """An nnet case's arguments of ``fit_nnet`` after X and Y, in both languages."""
        return {"size": self.hidden[0], "seed": self.seed, "rang": self.rang,
                "decay": self.decay, "maxit": self.maxit, "output": self.nnet_output}  # fmt: skip

    def quantities(self) -> tuple[str, ...]:
        """What the case returns and parity compares, in the table's order.

        W_1 .. W_L, B_1 .. B_L (with bias), Y_hat, the initial W_k and B_k,
        then cost_history: for the lecture, W_1, W_2, Y_hat, W_1_init,
        W_2_init, cost_history. Then what the case adds: each epoch's
        batch_order (mini-batches); test_rows and test_cost (a split); best,
        cost_histories and every restart's starting parameters (restarts);
        the accuracy and confusion table on the training rows, and after a
        split on the test rows (a class target).
        """
        if self.model == "nnet":  # fit_nnet's, in its order
            return ("wts", "value", "fitted_values", "convergence", "wts_init", *NNET_MATRICES)
        layers = range(1, self.depth + 2)
        params = [f"W_{k}" for k in layers] + [f"B_{k}" for k in layers if self.bias]
        added = ["batch_order"] if self.batch_size is not None else []
        parts = ["train"]
        if self.test_fraction is not None:
            added += ["test_rows", "test_cost"]
            parts.append("test")
        if self.optimizer == "bfgs":
            added += ["counts", "convergence"]
        if self.restarts is not None:
            added += ["best", "cost_histories", *(f"{p}_starts" for p in params)]
        if self.target != "numeric":
            added += [f"{part}_{what}" for part in parts for what in ("accuracy", "confusion")]
        return (*params, "Y_hat", *(f"{p}_init" for p in params), "cost_history", *added)

    def fit_args(self) -> dict[str, Any]:
        """``fit_file``'s arguments after the path and the target, in both languages."""
        return {"test_fraction": self.test_fraction, "restarts": self.restarts, **self.settings()}

    def sizes(self) -> tuple[int, ...]:
        """Units per layer, (D, *hidden, K), from the data as Python loads it."""
        X, Y = load_scaled(self.data_path, self.target)
        return (X.shape[1], *self.hidden, Y.shape[1])


class CasesError(ValueError):
    """A cases file that cannot be run as it is; the message names the file and the row."""


def read_cases(path: Path = CASES_FILE) -> tuple[Case, ...]:
    """Every case in ``path``, in file order: at least one, names unique, data present."""
    try:
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            cases: list[Case] = []
            for values in filter(None, reader):  # blank lines aside
                if len(values) != len(header):
                    raise CasesError(
                        f"{path}, line {reader.line_num}: {len(values)} fields where the "
                        f"header names {len(header)}"
                    )
                cases.append(_case(dict(zip(header, values, strict=True)), path, reader.line_num))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise CasesError(f"cannot read the cases file {path}: {e}") from None
    if not cases:
        raise CasesError(f"{path} holds no cases: nothing would be checked")
    names = [case.name for case in cases]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise CasesError(f"{path}: case names must be unique; repeated: {', '.join(duplicates)}")
    return tuple(cases)


@functools.cache
def default_cases() -> tuple[Case, ...]:
    """The package's cases.csv, read when first asked for (so a broken file is one
    error from whoever asks, not a failure to import)."""
    return read_cases()


def __getattr__(name: str) -> Any:
    """``DEFAULT_CASES``: ``default_cases()``."""
    if name == "DEFAULT_CASES":
        return default_cases()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def parse_hidden(text: str) -> tuple[int, ...]:
    """ "4,3" -> (4, 3): the units of each hidden layer, first to last."""
    if not HIDDEN.fullmatch(text):
        raise ValueError(f"hidden must be whole numbers >= 1 joined by commas; got {text!r}")
    return tuple(int(n) for n in text.split(","))


def optional(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """A parser of a column that may be NA (R's missing value): None there."""
    return lambda text: None if text == "NA" else parse(text)


def parse_bool(text: str) -> bool:
    if text not in BOOLEANS:
        raise ValueError(f"bias must be TRUE or FALSE; got {text!r}")
    return BOOLEANS[text]


PARSERS: dict[str, Callable[[str], Any]] = {
    "str": str,
    "int": int,
    "float": float,
    "bool": parse_bool,
    "tuple[int, ...]": parse_hidden,
    "int | None": optional(int),
    "float | None": optional(float),
}


def _case(row: dict[str, str], path: Path, line: int) -> Case:
    where = f"{path}, line {line}"
    types = {f.name: str(f.type) for f in fields(Case)}
    unknown = set(row) - set(types)
    if unknown:
        raise CasesError(f"{where}: unknown column(s) {sorted(unknown)}; Case has no such field")
    try:
        given = {key: value for key, value in row.items() if value != ""}  # "": the default
        case = Case(**{key: PARSERS[types[key]](value) for key, value in given.items()})
    except (TypeError, ValueError) as e:
        raise CasesError(f"{where}: bad case {row.get('name')!r}: {e}") from None
    if not case.data_path.is_file():
        raise CasesError(f"{where}: case {case.name!r} names {case.data}, which does not exist")
    return case


def select(names: Iterable[str], cases: tuple[Case, ...] | None = None) -> tuple[Case, ...]:
    """The named cases, in the order asked; every case when ``names`` is empty. From
    ``cases``, or the package's cases.csv."""
    cases = default_cases() if cases is None else cases
    by_name = {case.name: case for case in cases}
    names = list(names)
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise ValueError(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(by_name)}")
    return tuple(by_name[name] for name in names) if names else cases
