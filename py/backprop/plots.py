"""The cost history as the slides plot it: ``plot(cost_hist)`` and ``plot(log(cost_hist))``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; no screen needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from numpy.typing import NDArray  # noqa: E402


def plot_cost_history(cost_history: NDArray[np.float64], directory: str | Path) -> list[Path]:
    """Write ``cost_history.png`` and ``cost_history_log.png``; return their paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    iterations = np.arange(1, len(cost_history) + 1)
    panels = [
        ("cost_history.png", cost_history, "cost_hist"),
        ("cost_history_log.png", np.log(cost_history), "log(cost_hist)"),
    ]
    paths = []
    for name, values, ylabel in panels:
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(iterations, values, linewidth=1)
        ax.set_xlabel("Index")
        ax.set_ylabel(ylabel)
        paths.append(save_atomically(fig, directory / name))
    return paths


def save_atomically(fig: plt.Figure, path: Path) -> Path:
    """Save to a temporary file beside ``path``, then rename: never a half-written PNG."""
    fd, tmp = tempfile.mkstemp(suffix=".png", dir=path.parent)
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=100)
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.remove(tmp)
    return path
