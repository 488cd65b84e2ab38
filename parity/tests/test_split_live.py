"""Issue 9 from the command line: held-out rows, mini-batches and the class report,
the same in both engines (--engine python and --engine r), and bad input refused alike."""

from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import run_cli as run

from backprop.fit import check_test_fraction
from backprop.r_engine import RError, RSession
from backprop.resources import DATA_DIR
from parity.compare import diff

pytestmark = pytest.mark.usefixtures("r_session")
IRIS = ["--data", "data/iris.csv", "--target", "onehot", "--output-activation", "softmax",
        "--loss", "cross_entropy", "--init", "xavier", "--bias", "--step", "0.05",
        "--iterations", "100", "--test-fraction", "0.3", "--batch-size", "16"]  # fmt: skip


def test_both_engines_print_the_same_weights_test_rows_accuracy_and_confusion() -> None:
    python, in_r = (run(["train", *IRIS, "--engine", e]) for e in ("python", "r"))
    assert python == in_r and python[0] == 0
    out = python[1]
    for part in ("$test_rows\n [1]  68 129  43", "$test_cost\n[1] ", "$train_accuracy\n[1] ",
                 "$test_accuracy\n[1] ", "$train_confusion\n            actual\npredicted    "
                 "setosa versicolor virginica\n  setosa  ", "$test_confusion\n"):  # fmt: skip
        assert part in out, part


def test_the_json_of_both_engines_agrees() -> None:
    python, in_r = (json.loads(run(["train", *IRIS, "--json", "--engine", e])[1])
                    for e in ("python", "r"))  # fmt: skip
    assert list(python) == list(in_r)
    assert list(python)[-8:] == ["batch_order", "test_rows", "test_cost", "classes",
                                 "train_accuracy", "train_confusion", "test_accuracy",
                                 "test_confusion"]  # fmt: skip
    for key in ("batch_order", "test_rows", "classes", "train_confusion", "test_confusion"):
        assert python[key] == in_r[key], key  # integers and names: exactly
    assert isinstance(python["test_cost"], float) and isinstance(python["test_accuracy"], float)
    for key in ("W_1", "W_2", "B_1", "B_2", "Y_hat", "cost_history", "test_cost"):
        assert diff(in_r[key], python[key]).within, key
    assert np.shape(python["batch_order"]) == (100, 105)


@pytest.mark.parametrize("engine", ["python", "r"])
@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--test-fraction", "0", "test_fraction must be a number above 0 and below 1; got 0.0"),
        ("--test-fraction", "1", "test_fraction must be a number above 0 and below 1; got 1.0"),
        ("--test-fraction", "-0.5", "test_fraction must be a number above 0 and below 1"),
        ("--test-fraction", "nan", "test_fraction must be a number above 0 and below 1"),
        ("--test-fraction", "0.1", "test_fraction 0.1 of 3 rows leaves 0 test and 3 training"),
        ("--test-fraction", "0.9", "test_fraction 0.9 of 3 rows leaves 3 test and 0 training"),
        ("--batch-size", "0", "batch_size must be a whole number >= 1; got 0"),
        ("--batch-size", "4", "batch_size must be at most the 3 training rows; got 4"),
    ],
)
def test_a_bad_split_or_batch_size_is_one_line_in_both_engines(engine, option, value, message):
    status, out, err = run(["train", option, value, "--engine", engine])
    assert (status, out) == (2, "")
    assert err.startswith("backprop: error: ") and err.count("\n") == 1 and message in err, err


def test_a_batch_larger_than_the_training_rows_after_a_split_is_refused() -> None:
    status, _, err = run(["train", *IRIS[:-2], "--batch-size", "106", "--engine", "r"])
    assert status == 2 and "batch_size must be at most the 105 training rows; got 106" in err


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.5, 0.1, 0.9, float("nan"), "a"])
def test_r_refuses_a_bad_test_fraction_in_pythons_words(r_session: RSession, fraction) -> None:
    with pytest.raises(ValueError) as in_python:
        check_test_fraction(fraction, 3)
    with pytest.raises(RError) as in_r:
        r_session.call("check_test_fraction", fraction, 3)
    python, r = str(in_python.value), str(in_r.value).removeprefix("Error: ")
    assert python.split("; got")[0] == r.split("; got")[0]  # R writes 0, Python 0.0


@pytest.mark.parametrize("engine", ["python", "r"])
def test_plot_adds_the_decision_regions_for_a_class_target_on_two_features(tmp_path, engine):
    rows = [line.split(",") for line in (DATA_DIR / "iris.csv").read_text().splitlines()]
    petals = tmp_path / "petals.csv"
    petals.write_text("".join(f"{r[2]},{r[3]},{r[4]}\n" for r in rows))
    two, four = tmp_path / "two", tmp_path / "four"
    options = ["--iterations", "20", "--engine", engine]
    assert run(["train", *IRIS[2:], "--data", str(petals), *options, "--plot", str(two)])[0] == 0
    assert run(["train", *IRIS, *options, "--plot", str(four)])[0] == 0
    png = b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in two.iterdir()) == [
        "cost_history.png", "cost_history_log.png", "decision_regions.png"]  # fmt: skip
    assert (two / "decision_regions.png").read_bytes().startswith(png)
    assert sorted(p.name for p in four.iterdir()) == ["cost_history.png", "cost_history_log.png"]
