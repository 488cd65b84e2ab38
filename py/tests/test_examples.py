"""Document 001's three worked examples: the exact numbers, the document's, the errata.

Every right value here is worked out again by hand (closed forms, not the
module's chain of activations and losses), so a slip in the module fails.
"""

from __future__ import annotations

import json
import math

import pytest

from backprop.examples import (
    errata_markdown,
    examples,
    format_examples,
    half_unit,
    relu_example,
    sigmoid_example,
    softmax_example,
)

RTOL = 1e-12


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=RTOL, abs_tol=1e-300)


def all_close(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b, strict=True))


def test_sigmoid_example_by_hand() -> None:
    r = sigmoid_example()
    p = 1 / (1 + math.exp(-0.1))
    assert close(r["z"], 0.1)
    assert close(r["prediction"], p)
    assert close(r["loss"], -math.log(p))
    assert close(r["dloss_dz"], p - 1)  # sigmoid + cross-entropy: dL/dz = p - y
    assert close(r["gradient"], (p - 1) * 0.5)
    assert close(r["new_weights"], 0.2 - 0.1 * (p - 1) * 0.5)
    # The same, as decimals one can check on paper.
    assert r["prediction"] == pytest.approx(0.5249791875, abs=1e-10)
    assert r["loss"] == pytest.approx(0.6443966601, abs=1e-10)
    assert r["gradient"] == pytest.approx(-0.2375104062, abs=1e-10)
    assert r["new_weights"] == pytest.approx(0.2237510406, abs=1e-10)


def test_relu_example_by_hand() -> None:
    r = relu_example()
    assert close(r["prediction"], 0.1)  # relu(0.1)
    assert close(r["loss"], -math.log(0.1))  # 2.302585...
    assert close(r["dloss_dprediction"], -10.0)  # -1 / p
    assert r["dprediction_dz"] == 1.0  # relu'(0.1)
    assert close(r["gradient"], -5.0)  # -1/p * 1 * x
    assert close(r["new_weights"], 0.7)  # 0.2 - 0.1 * (-5)


def test_softmax_example_by_hand() -> None:
    r = softmax_example()
    p1 = 1 / (1 + math.exp(-0.7))  # e^0.3 / (e^0.3 + e^-0.4)
    p = [p1, 1 - p1]
    assert all_close(r["z"], [0.3, -0.4])
    assert all_close(r["prediction"], p)
    assert close(r["loss"], -math.log(1 - p1))
    assert all_close(r["dloss_dz"], [p1, -p1])  # p - y
    assert all_close(r["gradient"], [p1 * 1.0, -p1 * 2.0])
    assert all_close(r["new_weights"], [0.3 - 0.1 * p1, -0.2 + 0.1 * 2 * p1])
    jacobian = [[p1 * (1 - p1), -p1 * (1 - p1)], [-p1 * (1 - p1), p1 * (1 - p1)]]
    for row, expected in zip(r["dprediction_dz"], jacobian, strict=True):
        assert all_close(row, expected)
    assert r["prediction"][0] == pytest.approx(0.6681877722, abs=1e-10)
    assert r["loss"] == pytest.approx(1.1031860488, abs=1e-10)
    assert r["new_weights"] == pytest.approx([0.2331812228, -0.0663624456], abs=1e-10)


def test_document_values_are_recorded_as_printed() -> None:
    by_id = {r["id"]: r for r in examples()}
    assert by_id["sigmoid"]["document"] == {
        "z": 0.1,
        "prediction": 0.525,
        "loss": 0.644,
        "gradient": -0.118,
        "new_weights": 0.2059,
    }
    assert by_id["relu"]["document"] == {
        "prediction": 0.1,
        "loss": 2.3,
        "gradient": -0.45,
        "new_weights": 0.245,
    }
    assert by_id["softmax"]["document"] == {
        "z": [0.3, -0.4],
        "prediction": [0.645, 0.355],
        "loss": 1.034,
        "dloss_dz": [0.645, -0.645],
        "gradient": [0.645, -1.29],
        "new_weights": [0.2355, -0.071],
    }


def test_errata_flags() -> None:
    by_id = {r["id"]: r for r in examples()}
    assert by_id["sigmoid"]["document_agrees"] == {
        "z": True,
        "prediction": True,  # 0.52498 -> 0.525
        "loss": True,  # 0.64440 -> 0.644
        "gradient": False,  # -0.2375, not -0.118
        "new_weights": False,  # 0.2238, not 0.2059
    }
    assert by_id["relu"]["document_agrees"] == {
        "prediction": True,
        "loss": True,  # 2.3026 -> 2.3
        "gradient": False,  # -5, not -0.45
        "new_weights": False,  # 0.7, not 0.245
    }
    assert by_id["softmax"]["document_agrees"] == {
        "z": True,
        "prediction": False,  # (0.6682, 0.3318), not (0.645, 0.355)
        "loss": False,  # 1.1032, not 1.034
        "dloss_dz": False,
        "gradient": False,
        "new_weights": False,
    }
    for r in by_id.values():
        wrong = [q for q, ok in r["document_agrees"].items() if not ok]
        assert [e["quantity"] for e in r["errata"]] == wrong
        for e in r["errata"]:
            assert e["document"] == r["document"][e["quantity"]]
            assert e["correct"] == r[e["quantity"]]
            assert e["note"]  # every erratum is explained


def test_errata_notes_carry_the_numbers() -> None:
    by_id = {r["id"]: {e["quantity"]: e["note"] for e in r["errata"]} for r in examples()}
    assert "= -0.2375" in by_id["sigmoid"]["gradient"]
    assert "(p - y) p (1 - p) = -0.1185" in by_id["sigmoid"]["gradient"]
    assert "0.1 * 0.118 is 0.0118, not 0.0059" in by_id["sigmoid"]["new_weights"]
    assert "(-1 / 0.1) * 1 * 0.5 = -5" in by_id["relu"]["gradient"]
    assert "= 0.7" in by_id["relu"]["new_weights"]
    assert "(0.6682, 0.3318)" in by_id["softmax"]["prediction"]
    assert "-log(0.355) = 1.0356, not 1.034" in by_id["softmax"]["loss"]


def test_half_unit_is_the_documents_rounding() -> None:
    assert half_unit("0.525") == pytest.approx(0.0005)
    assert half_unit("2.3") == pytest.approx(0.05)
    assert half_unit("-1.29") == pytest.approx(0.005)
    assert half_unit("5") == pytest.approx(0.5)


def test_examples_are_json_ready() -> None:
    records = examples()
    assert json.loads(json.dumps(records)) == records
    assert [r["id"] for r in records] == ["sigmoid", "relu", "softmax"]


def test_format_examples_shows_every_step() -> None:
    text = format_examples()
    lines = text.splitlines()
    assert lines[0] == "Example 1: Sigmoid + cross-entropy"
    assert lines[1] == "  x = 0.5, w = 0.2, y = 1, rate = 0.1"
    assert lines[3].split() == ["p", "=", "sigmoid(z)", "0.524979", "document:", "0.525"]
    assert sum(line.endswith("WRONG") for line in lines) == 9
    assert sum(line.startswith("  ! ") for line in lines) == 9
    assert "[0.668188, 0.331812]" in text
    assert "dL/dp = -y / p" in text and "[0, -3.01375]" in text  # no "-0"


def test_errata_markdown_table() -> None:
    table = errata_markdown()
    rows = table.splitlines()
    assert rows[0] == "| Example | Quantity | Document | Correct | Why |"
    assert len(rows) == 2 + 9
    assert rows[2].startswith("| Sigmoid + cross-entropy | dL/dw | -0.118 | -0.2375 | ")
    assert rows[4].startswith("| ReLU + cross-entropy | dL/dw | -0.45 | -5 | ")
    assert rows[5].startswith("| ReLU + cross-entropy | new weight(s) | 0.245 | 0.7 | ")
    assert rows[7].startswith("| Softmax + cross-entropy | loss L | 1.034 | 1.1032 | ")
    assert rows[-1].startswith(
        "| Softmax + cross-entropy | new weight(s) | 0.2355, -0.071 | 0.2332, -0.0664 | "
    )
