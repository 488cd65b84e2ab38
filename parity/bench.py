"""``make bench``: Python's time over R's, both measured in one run.

Each side is timed by its own clock: R by ``system.time`` inside R (so rpy2's
conversions are not charged to R), Python by ``time.perf_counter``. Nothing
else is timed: no plots, no start-up of R or Python, no data made. The best
of several runs is kept on each side (one run for the longest), the usual way
to time code on a shared machine. Each workload has its target ratio (issue
10), and the table says whether it is met.

numpy's BLAS (OpenBLAS) runs on one thread here, as R's reference BLAS does:
both sides on one core. With its threads OpenBLAS spreads the N = 100,000
products over both cores, and on a shared machine waits for the busy one
(train_fast took 0.44-0.52 s with two threads, 0.20 s with one, minutes apart).

The workloads, each Python against R's twin:

- the lecture's training (data/lecture.csv, 3 hidden units, seed 1, 10,000
  steps of 5): ``train()`` of ``r/network.R`` against its twin
  ``backprop.network.train`` (the code a student reads and ``backprop train``
  runs) and against ``backprop.fast.train_fast`` (the same arithmetic fused; a
  test holds it to ``train`` bit for bit), and the twin on R's arithmetic
  (``backprop.rarith``: R's numbers to the last bit) and its compiled fused
  path ``train_fast_r`` (held to it bit for bit); the slides' whole script,
  ``r/lecture.R`` against ``python -m backprop.lecture`` (printing captured);
- 1,000 restarts of the lecture: R's loop against Python's batch
  (``train_restarts``), against ``train_restarts_fast`` (R's arithmetic, each
  restart compiled) and, on 100 restarts, against the batch on R's arithmetic
  (``train_restarts`` on RArrays). R's loop is timed on 50 restarts, not
  1,000 (which took R 150 to 380 s): each restart is the same 10,000 steps,
  so the table compares the time per restart, and says so;
- ``train_network`` on data/study.csv, hidden 4,3, tanh, Adam (step 0.01),
  bias, 10,000 steps;
- N = 100,000 rows (two features, uniform), hidden 3, 100 steps of 1e-6:
  ``train()`` against the twin, ``train_fast`` and ``train_fast_r``;
- reading a CSV of 1,000,000 rows and 3 columns (written once, to a temporary
  file): ``load_scaled`` in R against Python's, with the most memory each
  held while reading, over the file's size (R's ``gc()`` "max used",
  Python's ``tracemalloc`` peak, in a run of its own: tracing slows it).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import io
import json
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from backprop import data as data_module
from backprop import lecture
from backprop.checks import check_count
from backprop.cli import EXIT_BAD_INPUT, EXIT_INTERRUPTED, OneLineParser
from backprop.data import load_scaled
from backprop.fast import train_fast, train_fast_r, train_restarts_fast
from backprop.fit import train_restarts
from backprop.model import train_network
from backprop.network import train
from backprop.r_engine import RUnavailableError, session
from backprop.rarith import as_r
from backprop.resources import DATA_DIR, LECTURE_DATA, R_DIR

LARGE_ROWS = 1_000_000  # the CSV read
LOADING_REPEATS = 3
LARGE_N = 100_000  # the rows trained on
RESTARTS = 1_000
R_RESTARTS = 50  # R's loop: the same work per restart; 1,000 took R 150 to 380 s
R_ARITH_RESTARTS = 100  # the batch on R's arithmetic


def one_blas_thread() -> str:
    """numpy's OpenBLAS on one thread, as R's reference BLAS; what was done, in words."""
    libs = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for path in sorted(libs.glob("lib*openblas*.so*")):
        lib = ctypes.CDLL(str(path))  # already loaded by numpy: the same library
        for name in ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
                     "openblas_set_num_threads64_", "openblas_set_num_threads"):  # fmt: skip
            if hasattr(lib, name):
                getattr(lib, name)(1)
                return "numpy's BLAS on one thread, as R's"
    return "numpy's BLAS threads left as they are (not numpy's own OpenBLAS)"


def best_time(run: Callable[[], object], repeats: int) -> float:
    """The best wall-clock time of ``repeats`` calls of ``run``, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def run_lecture_script() -> None:
    with contextlib.redirect_stdout(io.StringIO()):  # as R's capture.output
        lecture.main([])


def write_large_csv(path: Path, rows: int) -> None:
    """``rows`` rows of three numbers, as R's write.csv would write them."""
    values = np.random.default_rng(1).uniform(0, 100, (rows, 3))
    with path.open("w") as f:
        f.write('"x1","x2","score"\n')
        np.savetxt(f, values, fmt="%.15g", delimiter=",")


def time_loading(path: Path, repeats: int) -> dict[str, float]:
    """Python's ``load_scaled`` of ``path``: best time, and peak memory (bytes). Each
    read is a first read: data.py remembers the last file it read (fit_file asks for a
    file three times), which would make every later read free."""

    def first_read() -> Any:
        data_module._LAST.clear()
        return load_scaled(path)

    seconds = best_time(first_read, repeats)
    tracemalloc.start()
    first_read()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"seconds": seconds, "bytes": peak}


class Workload(NamedTuple):
    """One line of the table: what is trained, by which function on each side."""

    what: str
    python: str
    r: str
    target: float | None  # the ratio Python / R to meet, if there is one
    repeats: int
    python_units: int = 1  # restarts timed on each side: the ratio is per restart
    r_units: int = 1


STUDY_DEEP: dict[str, Any] = {
    "hidden": (4, 3),
    "activation": "tanh",
    "optimizer": "adam",
    "bias": True,
    "step": 0.01,
}


def workloads(repeats: int) -> list[tuple[Workload, Callable[[], object], Callable[[], float]]]:
    """Every workload with its Python run and its R timing (seconds, by R's clock)."""
    r = session()
    r.source(Path(__file__).with_name("bench.R"))
    X, Y = load_scaled(LECTURE_DATA)
    S_X, S_Y = load_scaled(DATA_DIR / "study.csv")
    large = np.random.default_rng(1).uniform(size=(LARGE_N, 3))
    L_X, L_Y = large[:, :2], large[:, 2:]

    def in_r(trainer: str, X: np.ndarray, Y: np.ndarray, n: int, **kw: Any) -> Callable[[], float]:
        return lambda: float(r.call("time_trainer", trainer, X, Y, n, **kw)[0])

    restarts_r = in_r("train_restarts", X, Y, 1, restarts=R_RESTARTS)
    per_restart = f"train_restarts (loop, {R_RESTARTS})"

    lecture_r = in_r("train", X, Y, repeats)
    script = str(R_DIR / "lecture.R")
    big: dict[str, Any] = {"iterations": 100, "step": 1e-6}
    large_r = in_r("train", L_X, L_Y, 3, **big)
    return [
        (Workload("lecture, 10,000 steps", "train() twin", "train()", 1.0, repeats),
         lambda: train(X, Y), lecture_r),
        (Workload("lecture, 10,000 steps", "train_fast()", "train()", 1.0, repeats),
         lambda: train_fast(X, Y), lecture_r),
        (Workload("lecture, 10,000 steps", "train() on R's arith.", "train()", None, 3),
         lambda: train(as_r(X), as_r(Y)), lecture_r),
        (Workload("lecture, 10,000 steps", "train_fast_r() (R's arith.)", "train()", 2.0,
                  repeats),
         lambda: train_fast_r(X, Y), lecture_r),
        (Workload("the slides' script", "lecture.py", "lecture.R", None, repeats),
         run_lecture_script,
         lambda: float(r.call("time_lecture_script", script, repeats)[0])),
        (Workload(f"{RESTARTS:,} restarts, per restart", "train_restarts (batch)", per_restart,
                  0.02, 1, RESTARTS, R_RESTARTS),
         lambda: train_restarts(X, Y, restarts=RESTARTS), restarts_r),
        (Workload(f"{RESTARTS:,} restarts, per restart", "train_restarts_fast (R's)",
                  per_restart, 0.01, 3, RESTARTS, R_RESTARTS),
         lambda: train_restarts_fast(X, Y, restarts=RESTARTS), restarts_r),
        (Workload(f"{R_ARITH_RESTARTS:,} restarts, per restart", "train_restarts on R's arith.",
                  per_restart, None, 1, R_ARITH_RESTARTS, R_RESTARTS),
         lambda: train_restarts(as_r(X), as_r(Y), restarts=R_ARITH_RESTARTS), restarts_r),
        (Workload("study.csv, 4,3 tanh Adam bias, 10,000", "train_network()", "train_network()",
                  1.0, 3),
         lambda: train_network(S_X, S_Y, **STUDY_DEEP),
         in_r("train_network", S_X, S_Y, 3, **STUDY_DEEP)),
        (Workload(f"N = {LARGE_N:,}, hidden 3, 100 steps", "train() twin", "train()", 0.3, 3),
         lambda: train(L_X, L_Y, **big), large_r),
        (Workload(f"N = {LARGE_N:,}, hidden 3, 100 steps", "train_fast()", "train()", 0.25, 3),
         lambda: train_fast(L_X, L_Y, **big), large_r),
        (Workload(f"N = {LARGE_N:,}, hidden 3, 100 steps", "train_fast_r() (R's arith.)",
                  "train()", None, 3),
         lambda: train_fast_r(L_X, L_Y, **big), large_r),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(prog="python -m parity.bench", description=__doc__)
    parser.add_argument("--repeats", type=positive_count, default=7, help="best of how many runs")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    args = parser.parse_args(argv)
    try:
        return bench(args)
    except RUnavailableError as e:
        print(f"{parser.prog}: error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"{parser.prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def positive_count(text: str) -> int:
    """``--repeats``: a whole number >= 1."""
    try:
        return check_count("repeats", int(text), 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1; got {text!r}") from None


def bench(args: argparse.Namespace) -> int:
    """Time both sides and print the comparison."""
    threads = one_blas_thread()
    rows = []
    r_seconds: dict[Callable[[], float], float] = {}  # an R timing shared by two rows: once
    for work, python_run, r_run in workloads(args.repeats):
        python = best_time(python_run, work.repeats)
        r = r_seconds[r_run] = r_seconds.get(r_run) or r_run()
        ratio = (python / work.python_units) / (r / work.r_units)  # per restart, if restarts
        rows.append({**work._asdict(), "python_seconds": python, "r_seconds": r,
                     "ratio": ratio})  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "large.csv"
        write_large_csv(csv, LARGE_ROWS)
        file_bytes = csv.stat().st_size
        r_loading = session().call("time_loading", str(csv), LOADING_REPEATS)
        loading = {
            "python": time_loading(csv, LOADING_REPEATS),
            "r": {"seconds": float(r_loading[0]), "bytes": float(r_loading[1])},
        }
    if args.json:
        report = {
            "blas": threads,
            "workloads": rows,
            "loading": loading,
            "loading_file": {"rows": LARGE_ROWS, "columns": 3, "bytes": file_bytes},
        }
        print(json.dumps(report))
        return 0
    print(
        "Python's time over R's, each side by its own clock, best of the runs shown; the\n"
        f"restarts' rows compare the time per restart (R's loop timed on {R_RESTARTS} "
        f"restarts); {threads}:"
    )
    header = f"  {'workload':38s} {'Python':27s} {'s':>7s}   {'R':25s} {'s':>7s}   Py/R  target"
    print(header)
    for row in rows:
        target = row["target"]
        verdict = (
            ""
            if target is None
            else f"<= {target:g} {'met' if row['ratio'] <= target else 'NOT met'}"
        )
        print(f"  {row['what']:38s} {row['python']:27s} {row['python_seconds']:7.3f}   "
              f"{row['r']:25s} {row['r_seconds']:7.3f}  {row['ratio']:5.3f}  {verdict}"
              f"  (x{row['repeats']})")  # fmt: skip
    mb = file_bytes / 1e6
    print(
        f"\nreading a CSV of {LARGE_ROWS:,} rows x 3 columns ({mb:.1f} MB), load_scaled, "
        f"best of {LOADING_REPEATS}; memory: the peak while reading, over the file's size:"
    )
    print(f"  {'':10s} {'seconds':>8s} {'memory':>8s}")
    for side in ("python", "r"):
        seconds, held = loading[side]["seconds"], loading[side]["bytes"] / file_bytes
        print(f"  {side.capitalize() if side == 'python' else 'R':10s} {seconds:8.2f} {held:7.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
