"""The command's progress bar (tqdm on stderr, a terminal only) and the trainers'
callbacks that move it: a tick an update, as the work is done.

Python alone: R's engine calls these through rpy2 (``Every``).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import Any

from backprop.checks import is_number
from backprop.r_engine import Every

PROGRESS_DELAY = 2.0  # seconds of work before a progress bar shows
R_PROGRESS_CALLS = 200  # R calls Python's bar about this often a training, not every iteration


@contextlib.contextmanager
def progress_bar(total: int | None, what: str) -> Iterator[Any]:
    """A tqdm bar on stderr, or None when stderr is not a terminal (nothing is shown
    then, and no one need call it). It shows only once the work has lasted
    PROGRESS_DELAY seconds, and is erased when it ends."""
    from tqdm import tqdm

    with tqdm(
        total=total, desc=what, delay=PROGRESS_DELAY, leave=False, disable=None, file=sys.stderr
    ) as bar:
        yield None if bar.disable else bar


def updates_per_run(args: argparse.Namespace, n_rows: int) -> int | None:
    """What the training bar counts in one training: its updates (an epoch of
    mini-batches makes one a batch of the training rows). None for BFGS, whose
    evaluations of the cost it counts instead, how many not known beforehand."""
    if args.optimizer == "bfgs":
        return None
    held_out = round(args.test_fraction * n_rows) if is_number(args.test_fraction) else 0
    batches = 1
    if args.batch_size is not None and args.batch_size >= 1:
        batches = -(-max(n_rows - held_out, 0) // args.batch_size)  # the last one shorter
    return max(args.iterations, 0) * batches


def watching(
    bar: Any, args: argparse.Namespace, per_run: int | None, calls: int | None
) -> dict[str, Any]:
    """The trainer's ``progress`` and ``updated`` that move ``bar`` as the work is done:
    a tick an update (``per_run`` a training; with BFGS, which has none of its own:
    an evaluation of the cost), the cost beside it. With ``calls`` (R calling Python,
    at tens of microseconds a call), R calls each about that many times a training
    (``Every``)."""
    every = 1 if calls is None else max(1, (per_run or 0) // calls)
    every_iteration = 1 if calls is None else max(1, args.iterations // calls)

    def cost_shown(i: int, cost: float) -> None:
        bar.set_postfix_str(f"cost {cost:.4g}", refresh=False)
        if args.optimizer == "bfgs":
            bar.update(every_iteration)

    def updated(t: int) -> None:
        bar.update(every)

    if calls is None:
        return {"progress": cost_shown, "updated": updated}
    return {"progress": Every(cost_shown, every_iteration), "updated": Every(updated, every)}
