"""The Python sides: the rerun loops are train / train_network bit for bit (no R needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from backprop import network
from backprop.initialisers import Parameters
from parity.cases import DEFAULT_CASES, Case, select
from parity.compare import ulp_distance
from parity.sides import (
    initial_parameters,
    nudge,
    python_data,
    read_array,
    run_from,
    run_python,
    train_from,
    train_network_from,
)

LECTURE = select(["lecture"])[0]
DEEP = select(["depth_3_adam"])[0]  # three hidden layers with bias


@pytest.mark.parametrize("case", DEFAULT_CASES, ids=lambda case: case.name)
def test_the_rerun_from_the_initial_parameters_is_the_trainer_bit_for_bit(case: Case) -> None:
    """train_from is backprop.train, train_network_from is train_network, for every case."""
    rerun, trained = run_from(case, initial_parameters(case)), run_python(case)
    assert list(rerun) == list(trained)
    assert sorted(trained) == sorted(case.quantities())
    for q in trained:
        assert rerun[q].tobytes() == trained[q].tobytes(), q
        assert rerun[q].shape == trained[q].shape, q


def test_the_two_trainers_are_both_rerun() -> None:
    trainers = {case.trainer for case in DEFAULT_CASES}
    assert trainers == {"train", "train_network"}


@pytest.mark.parametrize("case", [LECTURE, DEEP], ids=lambda case: case.name)
def test_nudge_moves_every_weight_by_exactly_one_ulp(case: Case) -> None:
    start = initial_parameters(case)
    nudged = nudge(start)
    assert len(nudged.weights) == len(start.weights) == case.depth + 1
    for W, W_nudged in zip(start.weights, nudged.weights, strict=True):
        assert (ulp_distance(W, W_nudged) == 1).all() and (W_nudged > W).all()
    assert nudged.biases is start.biases  # zeros stay: one ulp of 0 vanishes in any sum


def test_a_nudge_moves_the_deep_case_but_only_by_rounding() -> None:
    nudged = run_from(DEEP, nudge(initial_parameters(DEEP)))["W_1"]
    trained = run_python(DEEP)["W_1"]
    assert not np.array_equal(nudged, trained)
    np.testing.assert_allclose(nudged, trained, rtol=1e-12, atol=0)


def test_cached_results_cannot_be_changed() -> None:
    with pytest.raises(ValueError, match="read-only"):
        run_python(LECTURE)["W_1"][0, 0] = 0.0
    with pytest.raises(ValueError, match="read-only"):
        run_python(DEEP)["B_1"][0, 0] = 0.0


def test_train_from_stops_on_a_diverging_cost() -> None:
    X, Y = np.array([[1.0]]), np.array([[0.5]])
    W_1, W_2 = np.array([[1e308]]), np.array([[-1e308]])
    with np.errstate(all="ignore"), pytest.raises(network.DivergedError, match="iteration 2"):
        train_from(X, Y, W_1, W_2, iterations=3, step=1e308)


def test_train_network_from_stops_on_a_diverging_cost() -> None:
    X, Y = python_data(DEEP)
    start = initial_parameters(DEEP)
    huge = Parameters(tuple(W * 1e300 for W in start.weights), start.biases)
    with pytest.raises(network.DivergedError, match="training diverged at iteration"):
        train_network_from(X, Y, huge, DEEP)


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
