"""The command line's promise, fuzzed: random bad CSVs and random options, both engines.

Whatever the file and the options, each engine either succeeds (exit 0, or 1
for a gradient check that fails, with output on stdout, valid JSON when asked,
nothing on stderr) or refuses (exit 2, nothing on stdout, one line on stderr
beginning "backprop: error: ", or argparse's "backprop train: error: ", no
plot written); and the two engines make the same choice. ``make test`` runs a
bounded, derandomised number of examples; ``make fuzz`` runs many more,
freshly random (BACKPROP_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import pytest
from helpers import run_cli as run
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backprop.activations import ACTIVATIONS
from backprop.initialisers import INITIALISERS
from backprop.optimisers import OPTIMISERS

pytestmark = pytest.mark.usefixtures("r_session")
EXAMPLES = int(os.environ.get("BACKPROP_FUZZ_EXAMPLES", "200"))
LONG_RUN = "BACKPROP_FUZZ_EXAMPLES" in os.environ  # `make fuzz`: random, not derandomised

NUMBERS = ["1", "0", "-2", "3.5", ".5", "1e3", "70", "100", "0.001", "1e-300", "1e300",
           "8.46709533979837e-3", "12345678901234567890123", "6.05225644998653e299"]  # fmt: skip
# Cells R reads otherwise than Python's csv module and float() would: quotes anywhere,
# CR, NUL, control characters, hexadecimal, numbers at double's edge (issue 21, rows 3-4).
ODD = ["", " ", "NA", "NaN", "Inf", "-inf", "1e", "0x1A", "1_000", "\u00a05", "\uff15", "1,5",
       '"7"', '"8', "x", "setosa", "s\u00e9tosa", "\u4e2d", "1e400", "TRUE", "--1", ' "a" ',
       'a"b', '"a\rb"', "a\x00b", "\x01", '"a""b"', '"1,5"', "0x1p1024", "0x1p-1074",
       "1.7976931348623158e+308", "5\u3000", "1\r"]  # fmt: skip
ONE_LINE = re.compile(r"backprop( train| check| nnet)?: error: \S")  # the command's, or argparse's
LABELS = ["setosa", "versicolor", "virginica", "s\u00e9tosa", "0", "1", "a b", ' "setosa" ',
          '"vir""ginica"', '"x\ry"', "\u4e2d\u6587", "a\x0bb", '"a,b"', "\ufeffc"]  # fmt: skip


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A CSV: mostly a table of numbers (or labels last), with odd cells, ragged rows,
    other line endings and encodings drawn in."""
    columns = draw(mostly(["3"], ["1", "2", "4"]).map(int))
    header = ",".join(draw(st.lists(st.sampled_from(["a", "b", "y", "x 1", '"q"', "\u00e9"]),
                                    min_size=columns, max_size=columns)))  # fmt: skip
    labelled = draw(st.integers(0, 3)) == 0
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        cells = [draw(st.sampled_from(NUMBERS)) for _ in range(columns)]
        if labelled:
            cells[-1] = draw(st.sampled_from(LABELS))
        rows.append(cells)
    if rows and draw(st.booleans()):  # one thing wrong: an odd cell, or a row too long or short
        row = rows[draw(st.integers(0, len(rows) - 1))]
        where = draw(st.integers(0, columns))
        if where < columns:
            row[where] = draw(st.sampled_from(ODD))
        else:
            row[-1:] = draw(st.sampled_from([[], [row[-1], "1"]]))
    rows = [",".join(row) for row in rows]
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    text = newline.join([header, *rows]) + draw(st.sampled_from([newline, ""]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "latin-1", "utf-8-sig"]))
    return text.encode(encoding, errors="replace")


# every activation of the table a hidden layer trains through (not softmax, not step)
HIDDEN = [name for name, (_, prime) in ACTIVATIONS.items() if prime is not None]


def mostly(good: list[str], bad: list[str]) -> st.SearchStrategy[str]:
    """One of ``good`` four times in five, else one of ``bad``."""
    return st.sampled_from(good * 4 + bad)


OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "--target": st.sampled_from(["auto", "numeric", "onehot", "binary"]),
        "--hidden": mostly(["1", "3", "2,2"], ["0", "3,0", "x", "-1", "2147483648"]),
        "--seed": mostly(["1", "-5", "0", "2147483647"], ["2147483648", "1.5"]),
        "--activation": st.sampled_from(HIDDEN),
        "--output-activation": st.sampled_from(["sigmoid", "softmax", "linear"]),
        "--loss": st.sampled_from(["half_sse", "mse", "cross_entropy", "binary_cross_entropy"]),
        "--init": mostly(list(INITIALISERS), ["slides"]),
        "--bias": st.just(None),
        "--json": st.just(None),
    },
)
TRAIN_OPTIONS = st.fixed_dictionaries(
    {"--iterations": mostly(["0", "1", "5", "20"], ["-1", "2147483648", "1e3"])},
    optional={
        "--step": mostly(["0.5", "5", "0.01"], ["0", "-1", "nan", "inf", "1e308"]),
        "--optimizer": st.sampled_from(list(OPTIMISERS)),
        "--batch-size": mostly(["1", "2", "3"], ["0", "-1", "1000"]),
        "--test-fraction": mostly(["0.3", "0.5"], ["0", "1", "-1", "nan", "0.01"]),
        "--restarts": mostly(["2", "3"], ["0", "-1", "1.5"]),
        "--arithmetic": st.sampled_from(["numpy", "r"]),
    },
)


def kept_promise(status: int, out: str, err: str, json_asked: bool, plots: Path | None) -> None:
    if status == 2:
        assert out == "", out
        assert err.count("\n") == 1 and ONE_LINE.match(err), err
        assert plots is None or not plots.exists()
        return
    assert status in (0, 1), (status, err)
    assert err == "" and out != ""
    if json_asked:
        json.loads(out)  # valid JSON: never NaN or Infinity
    if plots is not None:  # and the decision regions for classes on two features
        names = sorted(p.name for p in plots.iterdir())
        assert names[:2] == ["cost_history.png", "cost_history_log.png"]
        assert set(names[2:]) <= {"decision_regions.png", "restarts_cost_log.png"}


NNET_OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "--target": st.sampled_from(["auto", "numeric", "onehot", "binary"]),
        "--size": mostly(["1", "2", "3"], ["0", "-1", "x"]),
        "--seed": mostly(["1", "-5", "2147483647"], ["2147483648"]),
        "--rang": mostly(["0.7", "0.1", "0"], ["-1", "nan"]),
        "--decay": mostly(["0", "0.001"], ["-1", "inf"]),
        "--maxit": mostly(["0", "5", "20"], ["-1", "1.5"]),
        "--linout": st.just(None),
        "--entropy": st.just(None),
        "--softmax": st.just(None),
        "--json": st.just(None),
    },
)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG_RUN, database=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
@given(data=csv_files(), command=st.sampled_from(["train", "check", "nnet"]), options=OPTIONS,
       train_options=TRAIN_OPTIONS, nnet_options=NNET_OPTIONS, plot=st.integers(0, 9))  # fmt: skip
def test_every_run_succeeds_or_refuses_in_one_line_and_both_engines_agree(
    data: bytes,
    command: str,
    options: dict[str, str | None],
    train_options: dict[str, str | None],
    nnet_options: dict[str, str | None],
    plot: int,
) -> None:
    if command == "train":  # one in ten with --plot: matplotlib is most of a run's time
        options = {**options, **train_options, **({"--plot": None} if plot == 0 else {})}
    if command == "nnet":
        options = nnet_options
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "data.csv"
        csv.write_bytes(data)
        statuses = {}
        for engine in ("python", "r"):
            plots = Path(tmp) / f"plots_{engine}" if "--plot" in options else None
            argv = [command, "--data", str(csv), "--engine", engine]
            for name, value in options.items():
                argv += [name] if value is None else [name, value]
                if name == "--plot":
                    argv.append(str(plots))
            status, out, err = run(argv)
            kept_promise(status, out, err, "--json" in options, plots)
            statuses[engine] = (status, err.split(": error: ")[-1])
        event(f"exit {statuses['python'][0]}")
        assert statuses["python"][0] == statuses["r"][0], statuses
