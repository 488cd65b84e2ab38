"""``make bench``: Python's training time over R's, both measured in one run.

Each side is timed by its own clock (R's system.time inside R, so rpy2's
conversions are not charged to R) on the lecture's training: data/lecture.csv,
3 hidden units, seed 1, 10,000 steps of size 5. The best of several runs is
kept on each side, the usual way to time code on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from backprop.data import load_scaled
from backprop.network import train
from parity.r_session import RUnavailableError, session

LECTURE_CSV = Path(__file__).resolve().parent.parent / "data" / "lecture.csv"


def time_python(X, Y, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        train(X, Y)
        best = min(best, time.perf_counter() - start)
    return best


def time_r(X, Y, repeats: int) -> dict[str, float]:
    r = session()
    r.call("sys.source", str(Path(__file__).with_name("bench.R")), envir=r.env)
    lecture_script = str(Path(__file__).resolve().parent.parent / "r" / "lecture.R")
    seconds = r.call("time_lecture_training", X, Y, repeats, lecture_script)
    return {"r/network.R train()": float(seconds[0]), "Rscript r/lecture.R": float(seconds[1])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parity.bench", description=__doc__)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    X, Y = load_scaled(LECTURE_CSV)
    try:
        r_times = time_r(X, Y, args.repeats)
    except RUnavailableError as e:
        print(f"parity.bench: error: {e}", file=sys.stderr)
        return 2
    python = time_python(X, Y, args.repeats)
    ratios = {name: python / seconds for name, seconds in r_times.items()}
    if args.json:
        print(json.dumps({"python_seconds": python, "r_seconds": r_times, "ratios": ratios}))
        return 0
    print(f"lecture training, 10,000 steps, best of {args.repeats}:")
    print(f"  {'backprop.train() (Python)':28s} {python * 1e3:8.1f} ms")
    for name, seconds in r_times.items():
        print(f"  {name:28s} {seconds * 1e3:8.1f} ms   Python / R = {ratios[name]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
