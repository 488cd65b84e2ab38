"""Class targets: one-hot and 0/1 encodings, C-locale class order, clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from backprop.data import (
    DataError,
    class_names,
    encode_binary,
    encode_onehot,
    load_scaled,
    read_classes,
    read_data,
    read_labeled,
)

DATA = Path(__file__).resolve().parents[2] / "data"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tiny.csv"
    path.write_text(text)
    return path


def test_onehot_of_a_tiny_csv(tmp_path: Path) -> None:
    path = write(tmp_path, "f1,f2,label\n1,2,b\n2,4,a\n4,1,c\n2,2,b\n")
    X, Y = load_scaled(path, target="onehot")
    np.testing.assert_array_equal(X, [[0.25, 0.5], [0.5, 1.0], [1.0, 0.25], [0.5, 0.5]])
    # columns a, b, c
    np.testing.assert_array_equal(Y, [[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 0]])
    assert read_classes(path) == ["a", "b", "c"]


def test_binary_of_a_tiny_csv(tmp_path: Path) -> None:
    path = write(tmp_path, "f1,passed\n3,yes\n1,no\n2,yes\n")
    X, Y = load_scaled(path, target="binary")
    np.testing.assert_array_equal(X, [[1.0], [1 / 3], [2 / 3]])
    np.testing.assert_array_equal(Y, [[1.0], [0.0], [1.0]])  # no -> 0, yes -> 1
    assert Y.shape == (3, 1)


def test_class_order_is_c_locale() -> None:
    # By code point: upper case before "_" before lower case (R's method = "radix").
    assert class_names(["b", "a", "_x", "B", "a"]) == ["B", "_x", "a", "b"]
    Y = encode_onehot(["b", "B", "a"], ["B", "a", "b"])
    np.testing.assert_array_equal(Y, [[0, 0, 1], [1, 0, 0], [0, 1, 0]])


def test_labels_are_stripped_and_numbers_can_be_labels(tmp_path: Path) -> None:
    path = write(tmp_path, "f1,y\n1, 1\n2,0 \n3,1\n")
    x, labels = read_labeled(path)
    assert labels == ["1", "0", "1"]
    np.testing.assert_array_equal(x, [[1.0], [2.0], [3.0]])
    _, Y = load_scaled(path, target="binary")
    np.testing.assert_array_equal(Y, [[1.0], [0.0], [1.0]])


def test_numeric_target_keeps_the_lectures_scaling() -> None:
    X, Y = load_scaled(DATA / "study.csv")
    X2, Y2 = load_scaled(DATA / "study.csv", target="numeric")
    x, y = read_data(DATA / "study.csv")
    np.testing.assert_array_equal(Y, y / 100)
    np.testing.assert_array_equal(X, x / x.max(axis=0))
    np.testing.assert_array_equal(X2, X)
    np.testing.assert_array_equal(Y2, Y)


def test_iris_encodings() -> None:
    X, Y = load_scaled(DATA / "iris.csv", target="onehot")
    assert X.shape == (150, 4) and Y.shape == (150, 3)
    assert read_classes(DATA / "iris.csv") == ["setosa", "versicolor", "virginica"]
    np.testing.assert_array_equal(Y.sum(axis=0), [50, 50, 50])
    np.testing.assert_array_equal(Y[[0, 50, 100]], np.eye(3))  # the file is in species order
    np.testing.assert_array_equal(X.max(axis=0), [1, 1, 1, 1])
    assert X[0].tolist() == [5.1 / 7.9, 3.5 / 4.4, 1.4 / 6.9, 0.2 / 2.5]
    X2, Y2 = load_scaled(DATA / "iris2.csv", target="binary")
    assert X2.shape == (100, 4)
    assert read_classes(DATA / "iris2.csv") == ["versicolor", "virginica"]
    np.testing.assert_array_equal(Y2[:, 0], [0.0] * 50 + [1.0] * 50)


def test_text_target_read_as_numeric_says_so(tmp_path: Path) -> None:
    expected = (
        "the target column 'species' holds text, not numbers (classes 'setosa', "
        "'versicolor', 'virginica'); choose the target encoding 'onehot' (softmax, any "
        "number of classes) or 'binary' (exactly two classes)"
    )
    for call in (read_data, load_scaled):
        with pytest.raises(DataError) as e:
            call(DATA / "iris.csv")
        assert str(e.value) == f"{DATA / 'iris.csv'}: {expected}"
        assert "\n" not in str(e.value)


def test_numeric_data_errors_are_unchanged(tmp_path: Path) -> None:
    # A bad feature cell is still named, even when the target is text.
    path = write(tmp_path, "f1,label\nx,a\n2,b\n")
    with pytest.raises(DataError, match=r"line 2: 'x' is not a number"):
        read_data(path)
    with pytest.raises(DataError, match=r"line 2: 'x' is not a number"):
        load_scaled(path, target="onehot")
    path = write(tmp_path, "f1,y\n1,2\n2\n")
    with pytest.raises(DataError, match="line 3: expected 2 cells, got 1"):
        load_scaled(path, target="binary")


def test_binary_with_three_classes_names_them(tmp_path: Path) -> None:
    with pytest.raises(DataError) as e:
        load_scaled(DATA / "iris.csv", target="binary")
    assert str(e.value) == (
        f"{DATA / 'iris.csv'}: a binary target needs exactly two classes; got 3: 'setosa', "
        "'versicolor', 'virginica'; use the 'onehot' target for more than two"
    )
    with pytest.raises(DataError, match="exactly two classes; got 1: 'a'"):
        encode_binary(["a", "a"], ["a"])


def test_one_class_is_not_a_classification(tmp_path: Path) -> None:
    path = write(tmp_path, "f1,y\n1,a\n2,a\n")
    with pytest.raises(DataError, match="at least two classes; got 1: 'a'"):
        load_scaled(path, target="onehot")


def test_many_classes_are_abbreviated() -> None:
    classes = [f"c{k}" for k in range(8)]
    with pytest.raises(
        DataError, match=r"got 8: 'c0', 'c1', 'c2', 'c3', 'c4', \.\.\. \(8 classes\)"
    ):
        encode_binary(classes, classes)


def test_empty_label(tmp_path: Path) -> None:
    path = write(tmp_path, "f1,y\n1,a\n2,\n")
    with pytest.raises(DataError, match=r"line 3: the class label \(last cell\) is empty"):
        load_scaled(path, target="onehot")


def test_unknown_target_encoding() -> None:
    with pytest.raises(ValueError, match="target must be one of 'numeric', 'onehot', 'binary'"):
        load_scaled(DATA / "iris.csv", target="softmax")
