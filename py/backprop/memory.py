"""How much memory a training needs, and how much this machine has: a run that
cannot fit is refused before anything is allocated.

Python alone (the command's guard); R's side trains what the command let through.
"""

from __future__ import annotations

import contextlib
import resource
import sys
from itertools import pairwise
from pathlib import Path

import numpy as np

from backprop.checks import INT_MAX

Hidden = int | tuple[int, ...]  # --hidden: 3, or 4,3


def parameter_count(X: np.ndarray, Y: np.ndarray, hidden: Hidden, bias: bool) -> int:
    """The weights (and biases) of the network from ``X``'s columns to ``Y``'s."""
    sizes = [X.shape[1], *np.atleast_1d(hidden).tolist(), Y.shape[1]]
    return sum(n_in * n_out + (n_out if bias else 0) for n_in, n_out in pairwise(sizes))


def check_memory(
    X: np.ndarray,
    Y: np.ndarray,
    hidden: Hidden,
    iterations: int,
    batched: bool = False,
    restarts: int | None = None,
) -> None:
    """Refuse, before anything is allocated, a training this machine cannot hold.

    About: 8 bytes a number, for the cost history (and with mini-batches each
    epoch's order of the rows), eight copies of the parameters (weights, their
    starting values, gradients, an optimiser's state) and six of every unit's
    value per row (Z, A, delta, temporaries); measured with tracemalloc,
    training peaks below this. K restarts, trained together, need all of it K
    times: O(K (N H + P)).
    """
    counts = [*np.atleast_1d(hidden).tolist(), iterations, 1 if restarts is None else restarts]
    if not all(0 <= n <= INT_MAX for n in counts):
        return  # not counts R can take: the trainers' own checks refuse them, in their words
    rows, units, K = X.shape[0], sum(counts[:-2]) + Y.shape[1], counts[-1]
    parameters = parameter_count(X, Y, hidden, bias=True)
    history = iterations * (1 + rows if batched else 1)
    needed = 8 * K * (history + 8 * parameters + 6 * rows * units)
    available = available_memory()
    if needed > available:
        each = f" for each of {K} restarts" if restarts is not None else ""
        raise ValueError(
            f"this run would need about {needed / 2**30:.3g} GiB of memory ({parameters} "
            f"weights, {rows} rows x {units} units, {iterations} costs{each}) and "
            f"{available / 2**30:.3g} GiB is available: use a smaller network, fewer "
            "iterations or fewer restarts"
        )


def available_memory() -> int:
    """What this process may still allocate, in bytes: the least of the kernel's
    MemAvailable, the room under a cgroup's memory.max, and the room under the
    address-space limit (``ulimit -v``)."""
    room = [sys.maxsize]
    with contextlib.suppress(OSError, ValueError, StopIteration):
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        available = next(line for line in meminfo if line.startswith("MemAvailable:"))
        room.append(1024 * int(available.split()[1]))  # "MemAvailable:  123456 kB"
    with contextlib.suppress(OSError, ValueError):
        cgroup = Path("/sys/fs/cgroup")
        limit = (cgroup / "memory.max").read_text().strip()
        if limit != "max":
            room.append(int(limit) - int((cgroup / "memory.current").read_text()))
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        in_use = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
        room.append(soft - in_use)
    return max(min(room), 0)
