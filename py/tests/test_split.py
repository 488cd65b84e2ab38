"""Held-out rows, mini-batches and the class report in Python alone (no R needed).

The live comparisons with R are in parity/tests/test_split_live.py and the
parity cases; here, R's numbers are stored from R's own runs.
"""

from __future__ import annotations

import numpy as np
import pytest

from backprop.data import load_scaled
from backprop.fit import class_report, fit, predicted_class, split_rows
from backprop.model import train_network
from backprop.resources import DATA_DIR
from backprop.rng import set_seed
from backprop.rprint import format_table, format_vector

# R 4.2.2: set.seed(1); sample(150, 45)
R_SAMPLE_150_45 = [68, 129, 43, 14, 51, 85, 21, 106, 74, 7, 73, 79, 37, 105, 110, 34, 143, 126,
                   89, 33, 84, 70, 142, 42, 38, 111, 20, 28, 124, 44, 87, 149, 40, 121, 25, 119,
                   39, 146, 127, 6, 24, 32, 147, 2, 45]  # fmt: skip
IRIS = {"hidden": 4, "output_activation": "softmax", "loss": "cross_entropy", "init": "xavier",
        "bias": True, "step": 0.05, "iterations": 50}  # fmt: skip


def test_the_test_rows_are_rs_sample_and_the_weights_come_after_them() -> None:
    rows, rng = split_rows(150, 0.3, 1)
    assert rows.tolist() == R_SAMPLE_150_45
    X, Y = load_scaled(DATA_DIR / "iris.csv", "onehot")
    result = fit(X, Y, test_fraction=0.3, **IRIS)
    assert result["test_rows"].tolist() == R_SAMPLE_150_45
    after = set_seed(1)
    after.sample(150, 45)
    again = train_network(np.delete(X, rows - 1, 0), np.delete(Y, rows - 1, 0), seed=after, **IRIS)
    assert np.array_equal(result["W_1_init"], again["W_1_init"])  # the stream went on
    assert not np.array_equal(result["W_1_init"], train_network(X, Y, **IRIS)["W_1_init"])
    assert result["Y_hat"].shape == (105, 3) and result["test_cost"].shape == (1,)


@pytest.mark.parametrize(("fraction", "rows"), [(0.0, 3), (1.0, 3), (-0.5, 3), (0.1, 3), (0.9, 3)])
def test_a_split_that_leaves_a_side_empty_is_refused(fraction: float, rows: int) -> None:
    with pytest.raises(ValueError, match="test_fraction"):
        split_rows(rows, fraction, 1)


def test_predicted_class_takes_the_first_of_ties_and_half_as_the_first_class() -> None:
    assert predicted_class(np.array([[0.2, 0.5, 0.5], [0.9, 0.0, 0.1]])).tolist() == [2, 1]
    assert predicted_class(np.array([[0.5], [0.51], [0.0]])).tolist() == [1, 2, 1]


def test_the_class_report_counts_every_row_once_with_predictions_by_row() -> None:
    X, Y = load_scaled(DATA_DIR / "iris.csv", "onehot")
    settings = {**IRIS, "iterations": 300}
    result = fit(X, Y, test_fraction=0.3, **settings)
    report = class_report(result, X, Y, ["setosa", "versicolor", "virginica"], **settings)
    assert list(report) == ["classes", "train_accuracy", "train_confusion", "test_accuracy",
                            "test_confusion"]  # fmt: skip
    assert report["train_confusion"].sum() == 105 and report["test_confusion"].sum() == 45
    actual = report["test_confusion"].sum(axis=0)  # columns are the actual classes
    assert (
        actual.tolist() == np.bincount(np.argmax(Y[result["test_rows"] - 1], 1), None, 3).tolist()
    )
    right = np.trace(report["test_confusion"])
    assert report["test_accuracy"].tolist() == [right / 45]


def test_vectors_and_tables_print_as_r_prints_them() -> None:
    # R 4.2.2: print(c(68, 129, ...)) of the 45 rows above
    assert format_vector(R_SAMPLE_150_45) == (
        " [1]  68 129  43  14  51  85  21 106  74   7  73  79  37 105 110  34 143 126  89\n"
        "[20]  33  84  70 142  42  38 111  20  28 124  44  87 149  40 121  25 119  39 146\n"
        "[39] 127   6  24  32 147   2  45"
    )
    # R 4.2.2: print(table(predicted = ..., actual = ...)) with these counts
    assert format_table([[0, 1000], [0, 0]], ["a", "bb"], ("predicted", "actual")) == (
        "         actual\npredicted    a   bb\n       a     0 1000\n       bb    0    0"
    )
