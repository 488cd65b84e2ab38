"""R against Python, live: document 001's worked examples, document 000's single
neuron, and the class encodings of iris.

R's functions (r/examples.R, r/single_neuron.R, r/data.R) are called with
arguments through backprop.r_engine, never through pasted code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import require_live_r

from backprop.data import DataError, class_names, load_scaled, read_classes, read_labeled
from backprop.examples import EXAMPLE_STEPS, errata_markdown, examples, format_examples
from backprop.r_engine import RError
from backprop.single_neuron import SingleNeuronResult, train_single_neuron
from parity.compare import TOLERANCE, Tolerance, diff

R = require_live_r("the worked examples, the single neuron and the class encodings are")

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
# The worked examples are a few operations each: they agree far inside the
# harness's tolerance, and are held to 1e-12 relative. The single neuron
# trains for 1000 epochs: it is held to the harness's TOLERANCE.
EXAMPLES = Tolerance(rtol=1e-12, atol=0.0)
EXACT = Tolerance(rtol=0.0, atol=0.0)
NUMBERS = EXAMPLE_STEPS  # every computed step of a worked example


def plain(value: Any) -> Any:
    """R's values as plain Python: dicts, lists of str / bool, float arrays."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return value.tolist() if value.dtype.kind in "US" else value
    return [bool(v) for v in value]  # a logical vector


def assert_close(py: Any, r: Any, tol: Tolerance, what: str) -> None:
    """parity.compare's diff of R (expected) against Python, R's vector in Python's shape."""
    py = np.asarray(py, dtype=np.float64)
    d = diff(np.asarray(r, dtype=np.float64).reshape(py.shape), py, tol)
    assert d.within, f"{what}: R and Python differ: {d}"


# --- document 001's worked examples ------------------------------------------------


@pytest.fixture(scope="module")
def r_examples() -> dict[str, Any]:
    return plain(R.call("examples"))


def test_examples_numbers_agree(r_examples: dict[str, Any]) -> None:
    py = examples()
    assert [r["id"] for r in py] == list(r_examples)
    for record in py:
        r = r_examples[record["id"]]
        assert r["name"] == [record["name"]]
        for quantity in NUMBERS:
            assert_close(record[quantity], r[quantity], EXAMPLES, f"{record['id']} {quantity}")
        for key, value in record["inputs"].items():
            assert_close(value, r["inputs"][key], EXACT, f"{record['id']} input {key}")


def test_examples_document_and_errata_agree(r_examples: dict[str, Any]) -> None:
    for record in examples():
        r = r_examples[record["id"]]
        assert list(r["document"]) == list(record["document"])
        for quantity, value in record["document"].items():
            assert_close(value, r["document"][quantity], EXAMPLES, quantity)
        assert {q: [ok] for q, ok in record["document_agrees"].items()} == r["document_agrees"]
        assert [e["quantity"] for e in record["errata"]] == list(r["errata"])
        for e in record["errata"]:
            r_e = r["errata"][e["quantity"]]
            assert r_e["quantity"] == [e["quantity"]]
            assert r_e["note"] == [e["note"]]
            assert_close(e["correct"], r_e["correct"], EXAMPLES, e["quantity"])
            assert_close(e["document"], r_e["document"], EXAMPLES, e["quantity"])


def test_examples_print_the_same_text() -> None:
    assert R.call("format_examples").tolist() == [format_examples()]
    assert R.call("errata_markdown").tolist() == [errata_markdown()]


def test_examples_comparison_can_fail(r_examples: dict[str, Any]) -> None:
    """A port with the document's sigmoid gradient, (p - y) p (1 - p), is caught."""
    r = r_examples["sigmoid"]
    p = examples()[0]["prediction"]
    wrong = (p - 1) * p * (1 - p)
    with pytest.raises(AssertionError, match="R and Python differ"):
        assert_close(wrong, r["gradient"], EXAMPLES, "gradient")


# --- document 000's single neuron --------------------------------------------------


def assert_neuron_agrees(py: SingleNeuronResult, r: dict[str, Any], rtol: float) -> None:
    np.testing.assert_array_equal(py.w_init, r["w_init"])  # rnorm is bit for bit
    assert_close(py.w, r["w"], rtol, "w")
    assert_close(py.b, r["b"], rtol, "b")
    assert_close(py.loss_history, r["loss_history"], rtol, "loss_history")
    np.testing.assert_array_equal(py.progress_epoch, r["progress_epoch"])
    assert_close(py.progress_w, r["progress_w"], rtol, "progress_w")
    assert_close(py.progress_b, r["progress_b"], rtol, "progress_b")
    assert_close(py.progress_loss, r["progress_loss"], rtol, "progress_loss")
    assert py.lines == r["lines"]


@pytest.mark.parametrize("seed", [1, 7, 42, 2024, -3])
def test_single_neuron_agrees(study: tuple[np.ndarray, np.ndarray], seed: int) -> None:
    X, Y = study
    py = train_single_neuron(X, Y, seed=seed)
    r = plain(R.call("train_single_neuron", X, Y, seed=seed))
    assert_neuron_agrees(py, r, TOLERANCE)
    assert len(py.lines) == 10


def test_single_neuron_other_settings_agree(study: tuple[np.ndarray, np.ndarray]) -> None:
    X, Y = study
    py = train_single_neuron(X, Y, seed=11, epochs=301, rate=0.5, every=30)
    r = plain(R.call("train_single_neuron", X, Y, seed=11, epochs=301, rate=0.5, every=30))
    assert_neuron_agrees(py, r, TOLERANCE)
    assert py.progress_epoch.tolist() == list(range(0, 301, 30))


def test_single_neuron_is_well_conditioned(study: tuple[np.ndarray, np.ndarray]) -> None:
    """The harness's rule: agreement means something only where one ulp of input moves the
    result by far less than the tolerance (measured: 3e-15 relative)."""
    X, Y = study
    base = train_single_neuron(X, Y, seed=1)
    nudged = train_single_neuron(np.nextafter(X, np.inf), Y, seed=1)
    for name in ("w", "loss_history", "progress_w"):
        moved = diff(getattr(base, name), getattr(nudged, name)).max_rel
        assert moved is not None and moved < TOLERANCE.rtol / 10, name


def test_single_neuron_comparison_can_fail(study: tuple[np.ndarray, np.ndarray]) -> None:
    """A learning rate off by one part in 10^7 is caught, and so is another seed."""
    X, Y = study
    r = plain(R.call("train_single_neuron", X, Y, seed=1))
    nudged = train_single_neuron(X, Y, seed=1, rate=0.005 * (1 + 1e-7))
    assert not diff(r["loss_history"], nudged.loss_history).within
    with pytest.raises(AssertionError):
        assert_neuron_agrees(train_single_neuron(X, Y, seed=2), r, TOLERANCE)


def test_single_neuron_bad_argument_same_message(study: tuple[np.ndarray, np.ndarray]) -> None:
    X, Y = study
    with pytest.raises(RError, match="every must be a whole number >= 1; got 0"):
        R.call("train_single_neuron", X, Y, every=0)
    with pytest.raises(ValueError, match="every must be a whole number >= 1; got 0"):
        train_single_neuron(X, Y, every=0)


# --- class encodings ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "target"),
    [("iris.csv", "onehot"), ("iris2.csv", "binary"), ("iris2.csv", "onehot"),
     ("study.csv", "numeric")],
)  # fmt: skip
def test_encodings_equal_exactly(name: str, target: str) -> None:
    path = DATA / name
    X, Y = load_scaled(path, target=target)
    r = R.call("load_scaled", str(path), target=target)
    np.testing.assert_array_equal(X, r["X"])
    np.testing.assert_array_equal(Y, r["Y"])
    if target != "numeric":
        assert read_classes(path) == R.call("read_classes", str(path)).tolist()


def test_iris_csv_is_rs_iris() -> None:
    X_r = R.eval("as.matrix(datasets::iris[, 1:4])")
    species_r = R.eval("as.character(datasets::iris$Species)").tolist()
    x, labels = R.call("read_labeled", str(DATA / "iris.csv")).values()
    np.testing.assert_array_equal(x, X_r)  # full precision in the file
    assert labels.tolist() == species_r
    x_py, labels_py = read_labeled(DATA / "iris.csv")
    np.testing.assert_array_equal(x_py, X_r)  # Python reads the same doubles
    assert labels_py == species_r


def test_class_order_agrees_on_awkward_names() -> None:
    names = ["b", "a", "_x", "B", "Z9", "z", "10", "9", "a b", "é"]
    assert R.call("class_names", np.array(names)).tolist() == class_names(names)


@pytest.mark.parametrize(("name", "target"), [("iris.csv", "numeric"), ("iris.csv", "binary")])
def test_encoding_errors_say_the_same(name: str, target: str) -> None:
    path = str(DATA / name)
    with pytest.raises(DataError) as py_error:
        load_scaled(path, target=target)
    with pytest.raises(RError) as r_error:
        R.call("load_scaled", path, target=target)
    assert str(r_error.value) == f"Error: {py_error.value}"
