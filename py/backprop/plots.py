"""The cost history as the slides plot it: ``plot(cost_hist)`` and ``plot(log(cost_hist))``;
and, for a class target on two features, the decision regions.

Files are written all together or not at all: each is drawn into a temporary
file beside its place, and only when every one is drawn (and the caller's
work has succeeded) are they renamed into place, under a lock on the
directory so that two runs writing the same directory never leave a mixed
pair. They get an ordinary file's permissions (0666 less the umask).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; no screen needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from numpy.typing import NDArray  # noqa: E402

COST_PLOTS = ("cost_history.png", "cost_history_log.png")
REGIONS_PLOT = "decision_regions.png"  # a class target on two features
RESTARTS_PLOT = "restarts_cost_log.png"  # --restarts: every restart's cost


@contextlib.contextmanager
def written_together(directory: str | Path, names: Sequence[str]) -> Iterator[list[Path]]:
    """Temporary paths for ``names`` in ``directory``, renamed into place together.

    On a clean exit from the ``with`` block every file is renamed into place
    (under a lock on the directory); on any exception (Ctrl-C and SIGTERM
    among them) none is, and the temporary files are removed, with every
    folder made for them. A folder where one of the files should go is refused
    before anything is drawn.
    """
    directory = Path(directory)
    new_folders = [
        p for p in (directory.absolute(), *directory.absolute().parents) if not p.exists()
    ]
    for name in names:
        if (directory / name).is_dir():
            raise IsADirectoryError(errno.EISDIR, "a folder is in the way", str(directory / name))
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
        if not done:  # nothing written: not even the folders, innermost first
            for folder in new_folders:
                with contextlib.suppress(OSError):
                    folder.rmdir()


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


def draw_decision_regions(
    classify: Callable[[NDArray[np.float64]], NDArray[np.int64]],
    X: NDArray[np.float64],
    actual: NDArray[np.int64],
    classes: Sequence[str],
    path: Path,
) -> None:
    """The class ``classify`` gives each point of the (scaled) feature plane, as
    coloured regions, with the rows ``X`` on top coloured by their ``actual`` class
    (1-based indices into ``classes``)."""
    lows, highs = X.min(axis=0), X.max(axis=0)
    margin = 0.05 * np.maximum(highs - lows, 1e-12)
    axes = [np.linspace(lows[j] - margin[j], highs[j] + margin[j], 200) for j in (0, 1)]
    grid_x, grid_y = np.meshgrid(*axes)
    regions = classify(np.column_stack([grid_x.ravel(), grid_y.ravel()])).reshape(grid_x.shape)
    colours = plt.get_cmap("tab10")
    levels = np.arange(0.5, len(classes) + 1)
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.contourf(
        grid_x,
        grid_y,
        regions,
        levels=levels,
        colors=[colours(k) for k in range(len(classes))],
        alpha=0.3,
    )
    for k, name in enumerate(classes):
        rows = actual == k + 1
        ax.scatter(
            X[rows, 0],
            X[rows, 1],
            s=14,
            color=colours(k),
            label=name,
            edgecolors="k",
            linewidths=0.3,
        )
    ax.set_xlabel("feature 1 (scaled)")
    ax.set_ylabel("feature 2 (scaled)")
    ax.legend(title="actual class", fontsize=8)
    fig.savefig(path, dpi=100, format="png")
    plt.close(fig)


def draw_restarts(cost_histories: NDArray[np.float64], best: int, path: Path) -> None:
    """Every restart's cost history (iterations x K) on one log-scale figure, the
    ``best`` (1-based) drawn on top in another colour: the picture of "different
    starting locations"."""
    iterations = np.arange(1, cost_histories.shape[0] + 1)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(iterations, cost_histories, color="0.6", linewidth=0.5, alpha=0.5)
    ax.plot(iterations, cost_histories[:, best - 1], color="C3", linewidth=1.5,
            label=f"restart {best}, the best")  # fmt: skip
    ax.set_yscale("log")
    ax.set_xlabel("Index")
    ax.set_ylabel(f"cost_hist of {cost_histories.shape[1]} restarts")
    ax.legend()
    fig.savefig(path, dpi=100, format="png")
    plt.close(fig)


def plot_cost_history(cost_history: NDArray[np.float64], directory: str | Path) -> list[Path]:
    """Write ``cost_history.png`` and ``cost_history_log.png`` into ``directory``, together."""
    with written_together(directory, COST_PLOTS) as temps:
        draw_cost_history(cost_history, temps)
    return [Path(directory) / name for name in COST_PLOTS]
