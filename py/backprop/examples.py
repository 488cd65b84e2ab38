"""The three worked back-propagation examples of document 001, computed exactly.

Twin of ``r/examples.R``: the same functions in the same order.

Each example is one weight (or two) feeding one activation, a cross-entropy
loss, one step of gradient descent: sigmoid, ReLU and softmax. Every step is
computed at full precision with the project's activations and losses; the
numbers the document prints are kept as text (their number of decimals says
how precisely they claim to agree) and compared with the exact values. Where
they disagree beyond the document's rounding, the record says so
(``document_agrees``) and explains it (``errata``).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import numpy as np

from backprop.activations import get_activation, softmax, softmax_backward
from backprop.losses import cross_entropy, cross_entropy_gradient
from backprop.rarith import on_arithmetic

Record = dict[str, Any]

# The numbers document 001 prints, as printed. The sigmoid example's z = 0.1
# appears inside 1 / (1 + e^-0.1); the ReLU example prints its prediction only
# inside -log(0.1).
EXAMPLE_DOCUMENT_TEXT: dict[str, dict[str, Any]] = {
    "sigmoid": {
        "z": "0.1",
        "prediction": "0.525",
        "loss": "0.644",
        "gradient": "-0.118",
        "new_weights": "0.2059",
    },
    "relu": {
        "prediction": "0.1",
        "loss": "2.3",
        "gradient": "-0.45",
        "new_weights": "0.245",
    },
    "softmax": {
        "z": ["0.3", "-0.4"],
        "prediction": ["0.645", "0.355"],
        "loss": "1.034",
        "dloss_dz": ["0.645", "-0.645"],
        "gradient": ["0.645", "-1.29"],
        "new_weights": ["0.2355", "-0.071"],
    },
}

# The steps in order, and how each is labelled in the Markdown table.
EXAMPLE_STEPS = (
    "z",
    "prediction",
    "loss",
    "dloss_dprediction",
    "dprediction_dz",
    "dloss_dz",
    "gradient",
    "new_weights",
)
EXAMPLE_LABELS = {
    "z": "z",
    "prediction": "prediction p",
    "loss": "loss L",
    "dloss_dprediction": "dL/dp",
    "dprediction_dz": "dp/dz",
    "dloss_dz": "dL/dz",
    "gradient": "dL/dw",
    "new_weights": "new weight(s)",
}


def sigmoid_example(
    x: float = 0.5, w: float = 0.2, y: float = 1.0, rate: float = 0.1, *, arithmetic: str = "numpy"
) -> Record:
    """Example 1: input 0.5, weight 0.2, sigmoid, target 1, cross-entropy, rate 0.1."""
    return scalar_example("sigmoid", "Sigmoid + cross-entropy", x, w, y, rate, arithmetic)


def relu_example(
    x: float = 0.5, w: float = 0.2, y: float = 1.0, rate: float = 0.1, *, arithmetic: str = "numpy"
) -> Record:
    """Example 2: the same numbers through ReLU, whose output is taken as the probability."""
    return scalar_example("relu", "ReLU + cross-entropy", x, w, y, rate, arithmetic)


def scalar_example(
    activation: str,
    name: str,
    x: float,
    w: float,
    y: float,
    rate: float,
    arithmetic: str = "numpy",
) -> Record:
    """One input, one weight, one output p = f(w x), loss L = -y log(p), one update.

    Chain rule, as the document lays it out: dL/dw = dL/dp * dp/dz * dz/dw.
    ``arithmetic`` (Python alone): numpy's, or R's (``backprop.rarith``).
    """
    act = get_activation(activation)
    assert act.prime is not None  # sigmoid and relu have one
    X = on_arithmetic([[x]], arithmetic)  # (1, 1)
    Y = on_arithmetic([[y]], arithmetic)  # (1, 1)
    Z = X * w  # z = w x
    P = act.f(Z)  # p = f(z)
    loss = cross_entropy(Y, P)  # -y log(p), one row
    dL_dP = cross_entropy_gradient(Y, P)  # -y / p
    dP_dZ = act.prime(Z)  # f'(z)
    dL_dZ = dL_dP * dP_dZ
    dL_dw = dL_dZ * X  # dz/dw = x
    new_w = w - rate * dL_dw
    record: Record = {
        "id": activation,
        "name": name,
        "activation": activation,
        "inputs": {"x": x, "w": w, "y": y, "rate": rate},
        "z": float(Z[0, 0]),
        "prediction": float(P[0, 0]),
        "loss": loss,
        "dloss_dprediction": float(dL_dP[0, 0]),
        "dprediction_dz": float(dP_dZ[0, 0]),
        "dloss_dz": float(dL_dZ[0, 0]),
        "gradient": float(dL_dw[0, 0]),
        "new_weights": float(new_w[0, 0]),
        "formulas": {
            "z": "z = w x",
            "prediction": f"p = {activation}(z)",
            "loss": "L = -y log(p)",
            "dloss_dprediction": "dL/dp = -y / p",
            "dprediction_dz": f"dp/dz = {activation}'(z)",
            "dloss_dz": "dL/dz = dL/dp dp/dz",
            "gradient": "dL/dw = dL/dz x",
            "new_weights": "w' = w - rate dL/dw",
        },
    }
    return check_against_document(record)


def softmax_example(
    x: tuple[float, float] = (1.0, 2.0),
    w: tuple[float, float] = (0.3, -0.2),
    y: tuple[float, float] = (0.0, 1.0),
    rate: float = 0.1,
    *,
    arithmetic: str = "numpy",
) -> Record:
    """Example 3: each weighted input w_i x_i is one logit of a two-class softmax.

    The document's network: z_i = w_i x_i (no sum), p = softmax(z), L = -sum y log(p).
    """
    X = on_arithmetic([x], arithmetic)  # (1, 2)
    W = on_arithmetic([w], arithmetic)  # (1, 2)
    Y = on_arithmetic([y], arithmetic)  # (1, 2)
    Z = W * X  # z_i = w_i x_i
    P = softmax(Z)  # (1, 2)
    loss = cross_entropy(Y, P)
    dL_dP = cross_entropy_gradient(Y, P)  # -y / p
    p = P[0]
    dP_dZ = np.diag(p) - np.outer(p, p)  # (2, 2): dp_i/dz_j = p_i (1[i = j] - p_j)
    dL_dZ = softmax_backward(P, dL_dP)  # the Jacobian applied row by row: = p - y
    dL_dW = dL_dZ * X  # dz_i/dw_i = x_i
    new_W = W - rate * dL_dW
    record: Record = {
        "id": "softmax",
        "name": "Softmax + cross-entropy",
        "activation": "softmax",
        "inputs": {"x": list(x), "w": list(w), "y": list(y), "rate": rate},
        "z": Z[0].tolist(),
        "prediction": P[0].tolist(),
        "loss": loss,
        "dloss_dprediction": dL_dP[0].tolist(),
        "dprediction_dz": dP_dZ.tolist(),
        "dloss_dz": dL_dZ[0].tolist(),
        "gradient": dL_dW[0].tolist(),
        "new_weights": new_W[0].tolist(),
        "formulas": {
            "z": "z_i = w_i x_i",
            "prediction": "p = softmax(z)",
            "loss": "L = -sum y log(p)",
            "dloss_dprediction": "dL/dp = -y / p",
            "dprediction_dz": "dp_i/dz_j = p_i (1[i=j] - p_j)",
            "dloss_dz": "dL/dz = (dp/dz)' dL/dp = p - y",
            "gradient": "dL/dw_i = dL/dz_i x_i",
            "new_weights": "w' = w - rate dL/dw",
        },
    }
    return check_against_document(record)


def examples(arithmetic: str = "numpy") -> list[Record]:
    """The three worked examples, JSON-ready, in the document's order; with
    ``arithmetic="r"`` (Python alone), every number is R's to the last bit."""
    return [
        sigmoid_example(arithmetic=arithmetic),
        relu_example(arithmetic=arithmetic),
        softmax_example(arithmetic=arithmetic),
    ]


def check_against_document(record: Record) -> Record:
    """Add what the document prints, whether it agrees, and the errata.

    A printed number agrees when it is the exact value rounded to the
    decimals the document shows: |printed - exact| <= half a unit in its last place.
    """
    text = EXAMPLE_DOCUMENT_TEXT[record["id"]]
    notes = errata_notes(record)
    document: Record = {}
    agrees: dict[str, bool] = {}
    errata: list[Record] = []
    for quantity, printed in text.items():
        values = [printed] if isinstance(printed, str) else printed
        exact = record[quantity] if isinstance(printed, list) else [record[quantity]]
        numbers = [float(v) for v in values]
        document[quantity] = numbers if isinstance(printed, list) else numbers[0]
        agrees[quantity] = all(
            abs(n - e) <= half_unit(v) for v, n, e in zip(values, numbers, exact, strict=True)
        )
        if not agrees[quantity]:
            errata.append(
                {
                    "quantity": quantity,
                    "document": document[quantity],
                    "correct": record[quantity],
                    "note": notes.get(quantity, ""),
                }
            )
    record["document"] = document
    record["document_agrees"] = agrees
    record["errata"] = errata
    return record


def half_unit(printed: str) -> float:
    """Half a unit in the last printed place: "0.525" -> 0.0005, "2.3" -> 0.05.

    A hair of slack (1e-12 relative) keeps a number that is exactly half way
    from failing on binary rounding.
    """
    decimals = max(0, -Decimal(printed).as_tuple().exponent)  # type: ignore[operator]
    return 0.5 * 10.0**-decimals * (1 + 1e-12)


def errata_notes(record: Record) -> dict[str, str]:
    """Why each wrong number is wrong, with the exact numbers filled in."""
    n, v = example_num, example_vec
    i = record["inputs"]
    if record["id"] == "sigmoid":
        p, x, y, w, rate = record["prediction"], i["x"], i["y"], i["w"], i["rate"]
        return {
            "gradient": (
                f"dL/dw = dL/dz x = (p - y) x = ({n(p)} - {n(y)}) * {n(x)} = "
                f"{n(record['gradient'])}. The document's -0.118 is (p - y) p (1 - p) = "
                f"{n((p - y) * p * (1 - p))}: the squared-error delta, without the factor x."
            ),
            "new_weights": (
                f"w - rate dL/dw = {n(w)} - {n(rate)} * ({n(record['gradient'])}) = "
                f"{n(record['new_weights'])}. Even with its own gradient the document is "
                f"off: {n(w)} - {n(rate)} * (-0.118) = {n(w + rate * 0.118)}, since "
                f"{n(rate)} * 0.118 is {n(rate * 0.118)}, not 0.0059."
            ),
        }
    if record["id"] == "relu":
        p, x, y, w, rate = record["prediction"], i["x"], i["y"], i["w"], i["rate"]
        return {
            "gradient": (
                f"dL/dw = dL/dp relu'(z) x = (-1 / {n(p)}) * {n(record['dprediction_dz'])}"
                f" * {n(x)} = {n(record['gradient'])}. The document's -0.45 is (p - y) x ="
                f" ({n(p)} - {n(y)}) * {n(x)}, a shortcut that holds only where"
                " dL/dz = p - y (a sigmoid or softmax output with cross-entropy), not for ReLU."
            ),
            "new_weights": (
                f"w - rate dL/dw = {n(w)} - {n(rate)} * ({n(record['gradient'])}) = "
                f"{n(record['new_weights'])}; the document's 0.245 follows from its "
                "gradient -0.45."
            ),
        }
    p, z = record["prediction"], record["z"]
    return {
        "prediction": (
            f"softmax({v(z)}) = e^z / sum e^z = ({v(p)}); the document's (0.645, 0.355) is wrong."
        ),
        "loss": (
            f"-log({n(p[1])}) = {n(record['loss'])}. Even from the document's own 0.355, "
            f"-log(0.355) = {n(-math.log(0.355))}, not 1.034."
        ),
        "dloss_dz": (
            f"p - y = ({v(record['dloss_dz'])}); the document's values follow from its "
            "wrong softmax."
        ),
        "gradient": (
            f"(p - y) x = ({v(record['gradient'])}); the document's arithmetic is right "
            "for its wrong softmax."
        ),
        "new_weights": (
            f"w - rate dL/dw = ({v(record['new_weights'])}); the document's arithmetic is "
            "right for its wrong gradients."
        ),
    }


def example_num(value: float) -> str:
    """At most 4 decimals, trailing zeros dropped: 0.2237510 -> "0.2238", -5.0 -> "-5"."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def example_vec(values: list[float]) -> str:
    return ", ".join(example_num(v) for v in values)


def format_example_value(value: Any) -> str:
    """A number with 6 significant digits; a vector "[a, b]"; a matrix "[[a, b], [c, d]]"."""
    if isinstance(value, list):
        return "[" + ", ".join(format_example_value(v) for v in value) + "]"
    return f"{value + 0.0:.6g}"  # + 0.0 turns -0 (from -0 / p) into 0


def format_document_value(value: Any) -> str:
    """A document number as the document prints it (the shortest form that reads back)."""
    if isinstance(value, list):
        return ", ".join(format_document_value(v) for v in value)
    return f"{value:.15g}"


def format_examples(records: list[Record] | None = None) -> str:
    """Every step of every example, one per line, with the document's number beside it."""
    records = examples() if records is None else records
    lines: list[str] = []
    for k, r in enumerate(records, 1):
        i = r["inputs"]
        lines.append(f"Example {k}: {r['name']}")
        lines.append(
            f"  x = {format_example_value(i['x'])}, w = {format_example_value(i['w'])}, "
            f"y = {format_example_value(i['y'])}, rate = {format_example_value(i['rate'])}"
        )
        for step in EXAMPLE_STEPS:
            line = f"  {r['formulas'][step]:<34} {format_example_value(r[step]):<24}"
            if step in r["document"]:
                verdict = "" if r["document_agrees"][step] else "  WRONG"
                line += f" document: {format_document_value(r['document'][step])}{verdict}"
            lines.append(line.rstrip())
        for e in r["errata"]:
            lines.append(f"  ! {EXAMPLE_LABELS[e['quantity']]}: {e['note']}")
        lines.append("")
    return "\n".join(lines)


def print_examples(records: list[Record] | None = None) -> None:
    print(format_examples(records), end="")


def errata_markdown(records: list[Record] | None = None) -> str:
    """The errata as a Markdown table: example, quantity, document, correct, note."""
    records = examples() if records is None else records
    lines = [
        "| Example | Quantity | Document | Correct | Why |",
        "|---|---|---|---|---|",
    ]
    for r in records:
        for e in r["errata"]:
            correct = (
                example_vec(e["correct"])
                if isinstance(e["correct"], list)
                else example_num(e["correct"])
            )
            lines.append(
                f"| {r['name']} | {EXAMPLE_LABELS[e['quantity']]} | "
                f"{format_document_value(e['document'])} | {correct} | {e['note']} |"
            )
    return "\n".join(lines) + "\n"
