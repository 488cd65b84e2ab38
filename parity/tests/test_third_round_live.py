"""Issue 21's rows (a third round against hostile input), each in both engines where
it concerns both: one line on stderr and exit 2, nothing written, or a valid run."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO, run_cli

pytestmark = pytest.mark.usefixtures("r_session")
ENGINES = ("python", "r")


@pytest.mark.parametrize("restarts", [[], ["--restarts", "2"]])
@pytest.mark.parametrize("json", [[], ["--json"]])
@pytest.mark.parametrize("engine", ENGINES)
def test_row_6_an_infinite_held_out_cost_is_one_line(
    tmp_path: Path, engine: str, json: list[str], restarts: list[str]
) -> None:
    """The lecture's data with one target 1e200, held out: its cost overflows."""
    data = tmp_path / "big.csv"
    lines = (REPO / "data" / "lecture.csv").read_text().splitlines()
    data.write_text("\n".join([*lines[:1], "3,5,1e200", *lines[2:]]) + "\n")
    plots = tmp_path / "plots"
    argv = ["train", "--data", str(data), "--test-fraction", "0.3", "--iterations", "10",
            "--plot", str(plots), "--engine", engine, *json, *restarts]  # fmt: skip
    status, out, err = run_cli(argv)
    assert (status, out, plots.exists()) == (2, "", False)
    assert err == (
        "backprop: error: the held-out cost is Inf: the trained network's predictions on the "
        "held-out rows are too far from their targets for a double (a target or a feature "
        "there is far out of the training rows' range)\n"
    )
