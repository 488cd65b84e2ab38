"""The Python sides: the rerun loop is backprop.train bit for bit (no R needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from backprop import network
from parity.cases import DEFAULT_CASES, Case, select
from parity.compare import ulp_distance
from parity.sides import (
    QUANTITIES,
    initial_weights,
    nudge,
    read_array,
    run_from,
    run_python,
    train_from,
)

LECTURE = select(["lecture"])[0]


@pytest.mark.parametrize("case", DEFAULT_CASES, ids=lambda case: case.name)
def test_train_from_the_initial_weights_is_train_bit_for_bit(case: Case) -> None:
    rerun, trained = run_from(case, initial_weights(case)), run_python(case)
    for q in QUANTITIES:
        assert np.array_equal(getattr(rerun, q), getattr(trained, q)), q


def test_nudge_moves_every_weight_by_exactly_one_ulp() -> None:
    weights = initial_weights(LECTURE)
    nudged = nudge(weights)
    assert (ulp_distance(weights.W_1, nudged.W_1) == 1).all()
    assert (ulp_distance(weights.W_2, nudged.W_2) == 1).all()
    assert (nudged.W_1 > weights.W_1).all() and (nudged.W_2 > weights.W_2).all()


def test_cached_results_cannot_be_changed() -> None:
    with pytest.raises(ValueError, match="read-only"):
        run_python(LECTURE).W_1[0, 0] = 0.0


def test_train_from_stops_on_a_diverging_cost() -> None:
    X, Y = np.array([[1.0]]), np.array([[0.5]])
    W_1, W_2 = np.array([[1e308]]), np.array([[-1e308]])
    with np.errstate(all="ignore"), pytest.raises(network.DivergedError, match="iteration 2"):
        train_from(X, Y, W_1, W_2, iterations=3, step=1e308)


def test_read_array_fills_by_column_as_r_does(tmp_path: Path) -> None:
    path = tmp_path / "W.txt"
    path.write_text("dim 2 3\n1\n2\n3\n4\n5\n6\n")
    assert np.array_equal(read_array(path), [[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]])
    path.write_text("dim 0\n")
    assert read_array(path).shape == (0,)


def test_read_array_refuses_a_file_without_its_dimensions(tmp_path: Path) -> None:
    path = tmp_path / "W.txt"
    path.write_text("1\n2\n")
    with pytest.raises(ValueError, match="first line must be 'dim'"):
        read_array(path)
