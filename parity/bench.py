"""``make bench``: Python's training time over R's, both measured in one run.

Each side is timed by its own clock on the lecture's training
(data/lecture.csv, 3 hidden units, seed 1, 10,000 steps of size 5): R by
``system.time`` inside R (so rpy2's conversions are not charged to R), Python
by ``time.perf_counter``. Nothing else is timed: no plots (the scripts draw
none unless asked), no start-up of R or Python. The best of several runs is
kept on each side, the usual way to time code on a shared machine.

Four pairs are compared:

- ``train()``: ``r/network.R`` against its twin ``backprop.network.train``,
  the code a student reads and ``backprop train`` runs;
- ``train()`` against ``backprop.fast.train_fast``, the same arithmetic fused
  (a test holds it to ``train`` bit for bit);
- the slides' script, ``r/lecture.R`` against ``python -m backprop.lecture``
  (printing captured on both sides);
- reading a CSV of 1,000,000 rows and 3 columns (written once, to a temporary
  file): ``load_scaled`` in R against Python's, with the most memory each
  held while reading, over the file's size (R's ``gc()`` "max used",
  Python's ``tracemalloc`` peak, in a run of its own: tracing slows it).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

from backprop import lecture
from backprop.checks import check_count
from backprop.cli import EXIT_BAD_INPUT, EXIT_INTERRUPTED, OneLineParser
from backprop.data import load_scaled
from backprop.fast import train_fast
from backprop.network import train
from backprop.resources import LECTURE_DATA, R_DIR
from parity.r_session import RUnavailableError, session

LARGE_ROWS = 1_000_000
LOADING_REPEATS = 3


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


def time_r(X, Y, repeats: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    r = session()
    r.call("sys.source", str(Path(__file__).with_name("bench.R")), envir=r.env)
    seconds = r.call("time_lecture_training", X, Y, repeats, str(R_DIR / "lecture.R"))
    return {"train": float(seconds[0]), "script": float(seconds[1])}


def write_large_csv(path: Path, rows: int) -> None:
    """``rows`` rows of three numbers, as R's write.csv would write them."""
    values = np.random.default_rng(1).uniform(0, 100, (rows, 3))
    with path.open("w") as f:
        f.write('"x1","x2","score"\n')
        np.savetxt(f, values, fmt="%.15g", delimiter=",")


def time_loading(path: Path, repeats: int) -> dict[str, float]:
    """Python's ``load_scaled`` of ``path``: best time, and peak memory (bytes)."""
    seconds = best_time(lambda: load_scaled(path), repeats)
    tracemalloc.start()
    load_scaled(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"seconds": seconds, "bytes": peak}


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
    X, Y = load_scaled(LECTURE_DATA)
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "large.csv"
        write_large_csv(csv, LARGE_ROWS)
        file_bytes = csv.stat().st_size
        r = time_r(X, Y, args.repeats)
        r_loading = session().call("time_loading", str(csv), LOADING_REPEATS)
        loading = {
            "python": time_loading(csv, LOADING_REPEATS),
            "r": {"seconds": float(r_loading[0]), "bytes": float(r_loading[1])},
        }
    python = {
        "train": best_time(lambda: train(X, Y), args.repeats),
        "train_fast": best_time(lambda: train_fast(X, Y), args.repeats),
        "script": best_time(run_lecture_script, args.repeats),
    }
    rows = [
        ("train() twin", "network.py", python["train"], "r/network.R train()", r["train"]),
        ("train_fast()", "fast.py", python["train_fast"], "r/network.R train()", r["train"]),
        ("the slides' script", "lecture.py", python["script"], "r/lecture.R", r["script"]),
    ]
    if args.json:
        report = {
            "r_seconds": r,
            "python_seconds": python,
            "loading": loading,
            "loading_file": {"rows": LARGE_ROWS, "columns": 3, "bytes": file_bytes},
        }
        print(json.dumps(report))
        return 0
    print(f"lecture training, 10,000 steps, best of {args.repeats}, each side by its own clock:")
    print(f"  {'Python':34s} {'ms':>8s}   {'against R':24s} {'ms':>8s}   Python / R")
    for name, where, py_s, r_name, r_s in rows:
        label = f"{name} ({where})"
        print(f"  {label:34s} {py_s * 1e3:8.1f}   {r_name:24s} {r_s * 1e3:8.1f}   {py_s / r_s:.2f}")
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
