"""A fit is the same object in both languages: R's ``predict()``, ``evaluate()``,
``print()`` and ``summary()`` of a ``backprop_fit`` against Python's ``Fit``.

Python runs on R's arithmetic (``arithmetic="r"``), so the predictions must be
R's to the last bit, on rows the network never saw as well as on the file's.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_bits_equal, one_ulp_up

from backprop.fit import Fit, fit_file
from backprop.r_engine import RSession, fit_of
from backprop.resources import DATA_DIR

IRIS = DATA_DIR / "iris.csv"
LECTURE = DATA_DIR / "lecture.csv"
# Rows as a file holds them: the lecture's own three and two new students; new flowers.
LECTURE_ROWS = np.array([[3.0, 5.0], [5.0, 1.0], [10.0, 2.0], [4.0, 3.0], [7.5, 4.5]])
IRIS_ROWS = np.array([[5.0, 3.4, 1.5, 0.2], [6.1, 2.8, 4.7, 1.2], [6.9, 3.1, 5.4, 2.1]])
IRIS_LABELS = ["setosa", "virginica", "virginica"]

CASES = {
    "lecture": (LECTURE, "auto", {"iterations": 2000}),
    "bias, two layers, adam": (
        LECTURE,
        "auto",
        {"hidden": (4, 3), "bias": True, "optimizer": "adam", "step": 0.05, "iterations": 300},
    ),
    "iris, softmax, held out": (
        IRIS,
        "onehot",
        {
            "hidden": 4,
            "output_activation": "softmax",
            "loss": "cross_entropy",
            "step": 0.01,
            "iterations": 300,
            "test_fraction": 0.3,
        },
    ),
}


def r_value(value: object) -> str:
    """A Python setting as R code (tests only: fixed values, never user input)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, tuple):
        return f"c({', '.join(r_value(v) for v in value)})"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def r_fit(r: RSession, path: object, target: str, settings: dict[str, object], code: str) -> dict:
    """``code`` run in R on ``fit``, R's ``fit_file`` of the same file and settings."""
    args = ", ".join(f"{k} = {r_value(v)}" for k, v in settings.items())
    return r.eval(f'local({{fit <- fit_file("{path}", "{target}", {args}); {code}}})')


def r_matrix(rows: np.ndarray) -> str:
    values = ", ".join(repr(float(v)) for v in rows.ravel(order="F"))
    return f"matrix(c({values}), {rows.shape[0]})"


@pytest.mark.parametrize("name", CASES)
def test_r_predicts_what_python_predicts_bit_for_bit(r_session: RSession, name: str) -> None:
    path, target, settings = CASES[name]
    fit = fit_file(path, target, arithmetic="r", **settings)
    rows = IRIS_ROWS if path == IRIS else LECTURE_ROWS
    in_r = r_fit(r_session, path, target, settings, f"predict(fit, {r_matrix(rows)})")
    assert_bits_equal(fit.predict(rows), in_r, f"{name}: predict")


@pytest.mark.parametrize("name", CASES)
def test_r_prints_and_summarises_the_fit_as_python_does(r_session: RSession, name: str) -> None:
    path, target, settings = CASES[name]
    fit = fit_file(path, target, arithmetic="r", **settings)
    text = r_fit(
        r_session,
        path,
        target,
        settings,
        'list(print = paste(capture.output(print(fit)), collapse = "\\n"), '
        'summary = paste(capture.output(print(summary(fit))), collapse = "\\n"))',
    )
    assert str(fit) == str(text["print"][0])
    assert fit.summary() == str(text["summary"][0])


def test_r_classifies_and_evaluates_new_rows_as_python_does(r_session: RSession) -> None:
    path, target, settings = CASES["iris, softmax, held out"]
    fit = fit_file(path, target, arithmetic="r", **settings)
    labels = "c(" + ", ".join(f'"{label}"' for label in IRIS_LABELS) + ")"
    in_r = r_fit(
        r_session,
        path,
        target,
        settings,
        f"list(class = predict(fit, {r_matrix(IRIS_ROWS)}, type = 'class'), "
        f"scored = evaluate(fit, {r_matrix(IRIS_ROWS)}, {labels}))",
    )
    assert list(fit.predict(IRIS_ROWS, type="class")) == [str(c) for c in in_r["class"]]
    scored = fit.evaluate(IRIS_ROWS, IRIS_LABELS)
    assert_bits_equal(scored["cost"], in_r["scored"]["cost"], "cost")
    assert scored["accuracy"] == float(in_r["scored"]["accuracy"][0])
    assert np.array_equal(scored["confusion"], np.asarray(in_r["scored"]["confusion"]))


def test_the_comparison_sees_one_ulp(r_session: RSession) -> None:
    """The check above can fail: one weight one ulp off moves R's prediction."""
    path, target, settings = CASES["lecture"]
    fit = fit_file(path, target, arithmetic="r", **settings)
    nudged = Fit(**{**vars(fit), "params": {**fit.params, "W_2": one_ulp_up(fit.params["W_2"])}})
    in_r = r_fit(r_session, path, target, settings, f"predict(fit, {r_matrix(LECTURE_ROWS)})")
    with pytest.raises(AssertionError):
        assert_bits_equal(nudged.predict(LECTURE_ROWS), in_r, "nudged")


@pytest.mark.parametrize("name", CASES)
def test_rs_answer_is_the_same_fit_as_pythons(r_session: RSession, name: str) -> None:
    """fit_of(R's fit_file) is Python's Fit of R's run: the command's --engine r prints,
    serialises and predicts through the same methods as the Python engine."""
    path, target, settings = CASES[name]
    in_python = fit_file(path, target, arithmetic="r", **settings)
    as_r = {key: list(v) if isinstance(v, tuple) else v for key, v in settings.items()}
    in_r = fit_of(r_session.call("fit_file", str(path), target, **as_r))
    assert dict(in_r.spec) == dict(in_python.spec)
    assert (str(in_r), in_r.summary(), in_r.to_json()) == (
        str(in_python),
        in_python.summary(),
        in_python.to_json(),
    )
    rows = IRIS_ROWS if path == IRIS else LECTURE_ROWS
    assert_bits_equal(in_r.predict(rows), in_python.predict(rows), f"{name}: predict")
