"""R against Python cost histories, drawn with matplotlib's Agg backend (no display)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from numpy.typing import NDArray

from backprop.plots import written_together


def plot_costs(
    r_costs: NDArray[np.float64], py_costs: NDArray[np.float64], path: Path, title: str
) -> Path:
    """The two cost histories (log y) above their absolute difference (log y)."""
    iteration = np.arange(1, r_costs.size + 1)
    gap = np.abs(r_costs - py_costs)
    figure = Figure(figsize=(7, 6), layout="constrained")
    FigureCanvasAgg(figure)
    costs, diff = figure.subplots(2, 1, sharex=True)
    costs.semilogy(iteration, r_costs, label="R", linewidth=3, alpha=0.5)
    costs.semilogy(iteration, py_costs, "--", label="Python", linewidth=1)
    costs.set(title=title, ylabel="cost J")
    costs.legend()
    diff.semilogy(iteration, np.where(gap > 0, gap, np.nan), ".", markersize=1)
    diff.set(xlabel="iteration", ylabel="|R - Python| (0 not drawn)")
    with written_together(path.parent, [path.name]) as (tmp,):  # whole, or not at all
        figure.savefig(tmp, dpi=120, format="png")
    return path
