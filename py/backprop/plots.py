"""The cost history as the slides plot it: ``plot(cost_hist)`` and ``plot(log(cost_hist))``.

Files are written all together or not at all: each is drawn into a temporary
file beside its place, and only when every one is drawn (and the caller's
work has succeeded) are they renamed into place, under a lock on the
directory so that two runs writing the same directory never leave a mixed
pair. They get an ordinary file's permissions (0666 less the umask).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; no screen needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from numpy.typing import NDArray  # noqa: E402

COST_PLOTS = ("cost_history.png", "cost_history_log.png")


@contextlib.contextmanager
def written_together(directory: str | Path, names: Sequence[str]) -> Iterator[list[Path]]:
    """Temporary paths for ``names`` in ``directory``, renamed into place together.

    On a clean exit from the ``with`` block every file is renamed into place
    (under a lock on the directory); on any exception none is, and the
    temporary files are removed.
    """
    directory = Path(directory)
    created = not directory.exists()
    directory.mkdir(parents=True, exist_ok=True)
    temps: list[Path] = []
    done = False
    try:
        for name in names:
            fd, made = tempfile.mkstemp(prefix=f".{name}.", dir=directory)
            os.close(fd)
            temps.append(Path(made))
        yield temps
        mode = 0o666 & ~_umask()
        lock = os.open(directory, os.O_RDONLY)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            for temp, name in zip(temps, names, strict=True):
                os.chmod(temp, mode)
                os.replace(temp, directory / name)
        finally:
            os.close(lock)  # releases the lock
        done = True
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)
        if created and not done:
            directory.rmdir()  # nothing written: not even the directory


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def draw_cost_history(cost_history: NDArray[np.float64], paths: Sequence[Path]) -> None:
    """Draw ``plot(cost_hist)`` and ``plot(log(cost_hist))`` into the two ``paths``."""
    iterations = np.arange(1, len(cost_history) + 1)
    with np.errstate(divide="ignore"):  # log(0) is -inf, as in R, and not drawn
        panels = [(cost_history, "cost_hist"), (np.log(cost_history), "log(cost_hist)")]
    for path, (values, ylabel) in zip(paths, panels, strict=True):
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(iterations, values, linewidth=1)
        ax.set_xlabel("Index")
        ax.set_ylabel(ylabel)
        fig.savefig(path, dpi=100, format="png")
        plt.close(fig)


def plot_cost_history(cost_history: NDArray[np.float64], directory: str | Path) -> list[Path]:
    """Write ``cost_history.png`` and ``cost_history_log.png`` into ``directory``, together."""
    with written_together(directory, COST_PLOTS) as temps:
        draw_cost_history(cost_history, temps)
    return [Path(directory) / name for name in COST_PLOTS]
