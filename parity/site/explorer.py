"""See gradient descent move: the lecture's training at three step sizes and four seeds.

Every run is computed by the build in both languages (R's ``train`` from
``r/network.R`` and its Python twin) and drawn here as an SVG of the cost
history on a log scale, R's line under Python's dashed one. The page's script
only chooses which drawing shows; there are no numerics in JavaScript.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from backprop import network
from backprop.data import load_scaled
from backprop.resources import DATA_DIR

STEPS = (0.5, 5.0, 50.0)
SEEDS = (1, 2, 3, 4)
ITERATIONS = 5_000  # long enough to leave the plateau at step 5
PLATEAU = 1e-4  # a last cost above this: still on the plateau near 1.2e-3

WIDTH, HEIGHT = 900, 420
LEFT, RIGHT, TOP, BOTTOM = 80, 45, 20, 60
DECADES = range(-10, 0)  # the y axis: 1e-10 to 1e-1


def _key(step: float) -> str:
    return f"{step:g}"


def explorer_runs(r: Any) -> list[dict[str, Any]]:
    """Every (step, seed) trained in R and in Python; each with its SVG and a sentence."""
    csv = str(DATA_DIR / "lecture.csv")
    X, Y = load_scaled(csv)
    r_data = r.call("load_scaled", csv)
    runs = []
    for step in STEPS:
        for seed in SEEDS:
            py_hist = _history(lambda s=seed, e=step: network.train(
                X, Y, seed=s, step=e, iterations=ITERATIONS))  # fmt: skip
            r_hist = _history(lambda s=seed, e=step: r.call(
                "train", r_data["X"], r_data["Y"], seed=s, step=e,
                iterations=ITERATIONS))  # fmt: skip
            runs.append({
                "step": _key(step),
                "seed": str(seed),
                "svg": svg(r_hist, py_hist, step, seed),
                "says": says(r_hist, py_hist),
            })  # fmt: skip
    return runs


def _history(train: Any) -> NDArray[np.float64]:
    """The cost history of one training; NaN from where it stopped, if it diverged."""
    try:
        return np.asarray(train()["cost_history"], dtype=np.float64)
    except Exception:  # the trainers stop a diverging run, naming the iteration
        return np.full(ITERATIONS, np.nan)


def says(r_hist: NDArray[np.float64], py_hist: NDArray[np.float64]) -> str:
    """What the run does, in words, from both languages' numbers."""
    if not (np.isfinite(r_hist).all() and np.isfinite(py_hist).all()):
        return "It diverges: the cost stops being a number, and training stops."
    last_r, last_py = r_hist[-1], py_hist[-1]
    if min(last_r, last_py) > PLATEAU:
        where = f"It is still on the plateau after {ITERATIONS:,} steps"
    else:
        below = int(np.argmax(py_hist < PLATEAU)) + 1
        where = f"It leaves the plateau (the cost is below {PLATEAU:g} from step {below:,})"
    return f"{where}; the last cost is {last_r:.3g} in R, {last_py:.3g} in Python."


def _points(hist: NDArray[np.float64], every: int = 20) -> str:
    i = np.arange(0, hist.size, every)
    i = i[np.isfinite(hist[i]) & (hist[i] > 0)]
    x = LEFT + (WIDTH - LEFT - RIGHT) * i / (hist.size - 1)
    low, high = DECADES[0], DECADES[-1] + 1
    logs = np.clip(np.log10(hist[i]), low, high)
    y = TOP + (HEIGHT - TOP - BOTTOM) * (high - logs) / (high - low)
    return " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(x, y, strict=True))


def svg(r_hist: NDArray[np.float64], py_hist: NDArray[np.float64], step: float, seed: int) -> str:
    """The two cost histories, log scale, with axes; a title a screen reader reads."""
    low, high = DECADES[0], DECADES[-1] + 1
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg class="explorer-plot" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>The cost at each of {ITERATIONS:,} '
        f"steps of size {step:g} from seed {seed}, log scale: R's line and Python's</title>",
    ]
    for decade in range(low, high + 1):
        y = TOP + plot_h * (high - decade) / (high - low)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"/>')
        parts.append(f'<text class="tick" x="{LEFT - 8}" y="{y + 5}" text-anchor="end">'
                     f"1e{decade}</text>")  # fmt: skip
    for k in range(0, ITERATIONS + 1, 1000):
        x = LEFT + (WIDTH - LEFT - RIGHT) * k / ITERATIONS
        parts.append(f'<text class="tick" x="{x}" y="{HEIGHT - BOTTOM + 22}" '
                     f'text-anchor="middle">{k:,}</text>')  # fmt: skip
    parts += [
        f'<text class="axis" x="{(WIDTH + LEFT) / 2}" y="{HEIGHT - 12}" '
        'text-anchor="middle">iteration</text>',
        f'<polyline class="r" points="{_points(r_hist)}"/>',
        f'<polyline class="py" points="{_points(py_hist)}"/>',
        f'<text class="legend r" x="{WIDTH - RIGHT - 10}" y="{TOP + 24}" '
        'text-anchor="end">R</text>',
        f'<text class="legend py" x="{WIDTH - RIGHT - 10}" y="{TOP + 50}" '
        'text-anchor="end">Python (dashed)</text>',
        "</svg>",
    ]
    return "".join(parts)
