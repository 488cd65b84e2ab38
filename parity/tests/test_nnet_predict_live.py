"""The nnet twin's fit against live R's nnet object: ``predict`` (raw and ``type = "class"``)
bit for bit on held-out iris rows, ``print`` and ``summary`` to the character.

R trains ``set.seed(seed); nnet::nnet(x, y, size, ...)`` on iris's training rows
(every row but each fifth, scaled as ``load_scaled`` scales them); Python trains
``nnet(x, y, size, seed=seed, ...)`` on the very same arrays. Both then predict
the 30 held-out rows: the raw outputs must be the same 64 bits, the classes the
same labels (R's NA: None), after the same ``set.seed`` for R's random
tie-breaking; ``print(fit)`` and ``print(summary(fit))`` the same text. Wrong
ports at the end show that each check can fail.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import assert_bits_equal, one_ulp_up, require_live_r

from backprop import nnet as nnet_module
from backprop.data import load_scaled
from backprop.nnet import NnetFit, nnet
from backprop.rng import set_seed

R = require_live_r("the nnet twin's predict, print and summary are")

REPO = Path(__file__).resolve().parents[2]
IRIS = load_scaled(REPO / "data" / "iris.csv", "onehot")
IRIS2 = load_scaled(REPO / "data" / "iris2.csv", "binary")  # versicolor 0, virginica 1
LEVELS = ("setosa", "versicolor", "virginica")  # load_scaled's one-hot columns, sorted
NA = "<NA>"  # R's NA_character_ on its way to Python


def split(data: tuple[np.ndarray, np.ndarray]) -> dict[str, np.ndarray]:
    """Training rows and held-out rows: every fifth row (5, 10, ...) is held out."""
    X, Y = data
    held_out = np.arange(X.shape[0]) % 5 == 4
    return {"x": X[~held_out], "y": Y[~held_out], "newx": X[held_out]}


DATA = {"iris": split(IRIS), "iris2": split(IRIS2)}

R.eval(
    """
    predict_twin <- function(x, y, size, seed, args, newx, ynames, lev, class_seed) {
      if (!is.null(ynames)) colnames(y) <- ynames
      set.seed(seed)
      fit <- do.call(nnet::nnet, c(list(x = x, y = y, size = size, trace = FALSE), args))
      if (!is.null(lev)) fit$lev <- lev
      set.seed(class_seed)
      class <- tryCatch(predict(fit, newx, type = "class"),
                        error = function(e) paste("Error:", conditionMessage(e)))
      list(wts = fit$wts, raw = unname(predict(fit, newx)),
           class = ifelse(is.na(class), "<NA>", class),
           print = paste(capture.output(print(fit)), collapse = "\\n"),
           summary = paste(capture.output(print(summary(fit))), collapse = "\\n"))
    }
    """
)


def r_side(data: str, size: int, seed: int, args: dict[str, Any], **labels: Any) -> dict[str, Any]:
    """R's fit, its predictions on the held-out rows, and what it prints."""
    d = DATA[data]
    ynames, lev = labels.get("ynames"), labels.get("lev")
    out = R.call(
        "predict_twin", d["x"], d["y"], size, seed, args, d["newx"],
        None if ynames is None else np.array(ynames), None if lev is None else np.array(lev),
        labels.get("class_seed", 1),
    )  # fmt: skip
    return {
        "wts": np.asarray(out["wts"], dtype=np.float64),
        "raw": np.asarray(out["raw"], dtype=np.float64),
        "class": [str(c) for c in np.atleast_1d(out["class"])],
        "print": str(np.asarray(out["print"])[0]),
        "summary": str(np.asarray(out["summary"])[0]),
    }


def py_fit(data: str, size: int, seed: int, args: dict[str, Any], **labels: Any) -> NnetFit:
    d = DATA[data]
    fit = nnet(d["x"], d["y"], size, seed=seed, trace=False, ynames=labels.get("ynames"), **args)
    if labels.get("lev") is not None:
        fit = dataclasses.replace(fit, lev=tuple(labels["lev"]))  # R's fit$lev <- lev
    return fit


def py_class(fit: NnetFit, newx: np.ndarray, class_seed: int = 1) -> list[str]:
    """``predict(type="class")`` as R's side reports it: labels, NA, or R's error."""
    try:
        labels = fit.predict(newx, type="class", rng=class_seed)
    except ValueError as e:
        return [f"Error: {str(e).split(':')[0]}"]  # R's words come first
    return [NA if c is None else c for c in labels]


def assert_predicts_as_r(fit: NnetFit, expected: dict[str, Any], newx: np.ndarray) -> None:
    assert_bits_equal(fit.wts, expected["wts"], "wts")  # the same fit, first
    assert_bits_equal(fit.predict(newx), expected["raw"], "predict(fit, newdata)")
    assert py_class(fit, newx) == expected["class"]


CASES = [  # data, size, seed, nnet's arguments, labels
    ("iris", 3, 1, {"softmax": True}, {"ynames": LEVELS}),
    ("iris", 3, 7, {"softmax": True, "decay": 0.01}, {"ynames": LEVELS}),
    ("iris", 2, 4, {"softmax": True, "decay": 5e-4, "skip": True}, {"ynames": LEVELS}),
    ("iris", 3, 1, {"softmax": True}, {}),  # no column names: R has no lev, no class
    ("iris", 3, 2, {"entropy": True}, {}),  # lev "0", "1": a third column's class is NA
    ("iris2", 3, 1, {"entropy": True}, {}),  # one output: lev[1 + (z > 0.5)]
    ("iris2", 2, 3, {"entropy": True, "decay": 1e-3, "skip": True}, {}),
    ("iris", 3, 1, {"linout": True, "decay": 1e-3}, {}),  # no lev: class refused
    ("iris", 3, 1, {"linout": True, "decay": 1e-3}, {"ynames": LEVELS}),  # lev: softmax's only
    ("iris", 3, 1, {"linout": True, "decay": 1e-3}, {"lev": LEVELS}),  # R: fit$lev <- ...
    ("iris", 0, 5, {"linout": True, "skip": True}, {"lev": LEVELS}),
    ("iris", 2, 1, {}, {}),  # nnet's default: logistic outputs, squared error
    ("iris", 2, 1, {}, {"lev": LEVELS}),
    ("iris", 4, 9, {"decay": 0.1, "maxit": 40}, {"lev": ("a", "b")}),  # lev[3]: NA
    ("iris2", 2, 1, {}, {"lev": ("versicolor", "virginica")}),
    ("iris", 12, 3, {"skip": True, "maxit": 30}, {"lev": LEVELS}),  # summary wraps
]


@pytest.mark.parametrize(("data", "size", "seed", "args", "labels"), CASES, ids=str)
def test_predict_print_and_summary_are_rs(data, size, seed, args, labels) -> None:
    expected = r_side(data, size, seed, args, **labels)
    fit = py_fit(data, size, seed, args, **labels)
    assert_predicts_as_r(fit, expected, DATA[data]["newx"])
    assert str(fit) == expected["print"]
    assert fit.summary() == expected["summary"]


def test_the_cases_reach_every_branch_of_class() -> None:
    """Labels from max.col and from z > 0.5, R's NA, and R's refusal, each at least once."""
    seen = [r_side(d, size, seed, args, **labels)["class"] for d, size, seed, args, labels in CASES]
    flat = {c for classes in seen for c in classes}
    assert {"setosa", "versicolor", "virginica", "0", "1", NA} <= flat
    assert ["Error: inappropriate fit for class"] in seen


def test_the_fitted_values_are_predict_without_newdata() -> None:
    """R's predict(fit) is fitted(fit): so is the twin's predict()."""
    fit = py_fit("iris", 3, 1, {"softmax": True}, ynames=LEVELS)
    assert_bits_equal(fit.predict(), fit.fitted_values)
    assert_bits_equal(fit.predict(DATA["iris"]["x"]), fit.fitted_values)


# Ties: R's max.col takes outputs within 1e-5 of the row's largest as tied and breaks
# them by drawing from R's generator. A net without hidden units (size 0, skip, linear
# outputs) gives each row the outputs (1, x1, x2): rows near (1, 1) tie, or nearly.

R.eval(
    """
    ties_twin <- function(x, y, wts, newx, lev, seed, reseed) {
      set.seed(seed)
      fit <- nnet::nnet(x, y, size = 0, skip = TRUE, linout = TRUE, maxit = 0,
                        trace = FALSE)   # draws its 9 starting weights
      fit$wts <- wts
      fit$lev <- lev
      if (!is.na(reseed)) set.seed(reseed)
      class <- predict(fit, newx, type = "class")
      list(raw = unname(predict(fit, newx)), class = ifelse(is.na(class), "<NA>", class),
           after = runif(1))
    }
    """
)

TIE_WTS = np.array([1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0])  # o1 = 1, o2 = x1, o3 = x2
OFFSETS = [-2e-5, -1.00001e-5, -1e-5, -9.99e-6, -5e-6, 0.0, 5e-6, 9.99e-6, 1e-5, 1.00001e-5, 2e-5]
EDGE = 1.000010000100001  # 1 + 1e-5 * EDGE == EDGE: an output at exactly a + tol
NEAR_TIES = np.array(
    [[1 + a, 1 + b] for a in OFFSETS for b in OFFSETS]  # 121 rows
    + [[EDGE, 0.0], [EDGE, 1.0], [0.0, EDGE]]  # ties at the edge of the tolerance
    + [[-100.0, 1 - 5e-4], [-100.0, 1 + 5e-4], [1 - 5e-4, -100.0]]  # tol from |-100|
)
NAN_WTS = np.array([0.0, 1e300, -1e300, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0])  # o1 = NaN at 1e10
NAN_ROWS = np.array([[1e10, 1e10], [1.0, 1.0], [2.0, 1.0]])  # NaN; 0 and a tie; no tie


def tie_fits(wts: np.ndarray, newx: np.ndarray, seed: int, reseed: int | None) -> None:
    """R's and Python's classes, raw outputs and the next draw after predict, compared."""
    x, y = DATA["iris"]["x"][:5, :2], DATA["iris"]["y"][:5]
    expected = R.call("ties_twin", x, y, wts, newx, np.array(LEVELS), seed,
                      np.nan if reseed is None else reseed)  # fmt: skip
    generator = set_seed(seed)
    fit = nnet(x, y, 0, skip=True, linout=True, maxit=0, trace=False, seed=generator)
    fit = dataclasses.replace(fit, wts=wts, lev=LEVELS)
    rng = generator if reseed is None else reseed  # R's stream goes on, or set.seed again
    labels = [NA if c is None else c for c in fit.predict(newx, type="class", rng=rng)]
    assert_bits_equal(fit.predict(newx), np.asarray(expected["raw"]), "raw")
    assert labels == [str(c) for c in np.atleast_1d(expected["class"])]
    if reseed is None:  # as many draws spent as R spent
        assert_bits_equal(generator.unif_rand(1), np.asarray(expected["after"]), "next draw")


@pytest.mark.parametrize("seed", [1, 2, 3, 42])
def test_near_ties_are_broken_as_r_breaks_them(seed: int) -> None:
    tie_fits(TIE_WTS, NEAR_TIES, seed, None)


@pytest.mark.parametrize("reseed", [1, 8])
def test_a_seed_for_predict_is_set_seed_before_it(reseed: int) -> None:
    tie_fits(TIE_WTS, NEAR_TIES, 5, reseed)


def test_an_output_that_is_nan_has_class_na() -> None:
    tie_fits(NAN_WTS, NAN_ROWS, 1, None)


def test_exact_three_way_ties_are_rs() -> None:
    """Zero weights: every softmax output is 1/3, every row a three-way tie (two draws)."""
    d = DATA["iris"]
    expected = r_side("iris", 3, 1, {"softmax": True, "Wts": np.zeros(27), "maxit": 0},
                      ynames=LEVELS, class_seed=11)  # fmt: skip
    fit = py_fit("iris", 3, 1, {"softmax": True, "Wts": np.zeros(27), "maxit": 0}, ynames=LEVELS)
    assert py_class(fit, d["newx"], class_seed=11) == expected["class"]
    assert len(set(expected["class"])) == 3


# Printed numbers: R's round() and format() on weights chosen to test them.

R.eval(
    """
    summary_of <- function(x, y, size, wts, args) {
      fit <- do.call(nnet::nnet, c(list(x = x, y = y, size = size, Wts = wts, maxit = 0,
                                        trace = FALSE), args))
      paste(capture.output(print(summary(fit))), collapse = "\\n")
    }
    """
)

# R's round(x, 2) is not Python's round(x, 2) for these (1023.985: 1023.98 in R);
# -0.004 rounds to -0, which R prints as 0.00; 12345.678 needs 7 digits.
CHOSEN = [1023.985, -1023.965, -0.004, 0.125, 12345.678, 2.675, -1e-20, 0.5, -7.0, 3.14159]


@pytest.mark.parametrize(
    ("size", "args"), [(1, {}), (0, {"skip": True, "linout": True}), (2, {"decay": 1e-4})], ids=str
)
def test_summary_numbers_are_rs(size: int, args: dict[str, Any]) -> None:
    x, y = DATA["iris2"]["x"][:6], DATA["iris2"]["y"][:6]
    nwts = 5 * size + (size + 1) + (4 if args.get("skip") else 0)
    wts = np.resize(np.array(CHOSEN), nwts)
    expected = str(np.asarray(R.call("summary_of", x, y, size, wts, args))[0])
    fit = nnet(x, y, size, Wts=wts, maxit=0, trace=False, **args)
    assert fit.summary() == expected


R.eval("r_round <- function(x) round(x, 2)")


def test_fround_is_rs_round() -> None:
    """R's round(x, 2) on numbers near the middle of two cents, and where Python's differs."""
    xs = np.array([k / 1000 for k in range(-1_200_000, 1_200_000, 5)] + CHOSEN)
    xs = np.concatenate([xs, np.nextafter(xs, np.inf), np.nextafter(xs, -np.inf)])
    expected = np.asarray(R.call("r_round", xs), dtype=np.float64)
    assert_bits_equal([nnet_module.fround(float(v), 2) for v in xs], expected, "round")
    assert np.sum(np.round(xs, 2) != expected) > 1000  # numpy's round is not R's


# Wrong ports: each must fail against R.


def test_a_weight_one_ulp_off_fails() -> None:
    expected = r_side("iris", 3, 1, {"softmax": True}, ynames=LEVELS)
    fit = py_fit("iris", 3, 1, {"softmax": True}, ynames=LEVELS)
    slipped = dataclasses.replace(fit, wts=one_ulp_up(fit.wts))
    with pytest.raises(AssertionError, match="predict"):
        assert_bits_equal(slipped.predict(DATA["iris"]["newx"]), expected["raw"], "predict")


def test_max_col_without_its_tolerance_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nnet_module, "RELTOL", 0.0)
    with pytest.raises(AssertionError):
        tie_fits(TIE_WTS, NEAR_TIES, 1, None)


def test_pythons_round_in_the_summary_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nnet_module, "fround", round)
    with pytest.raises(AssertionError):
        test_summary_numbers_are_rs(1, {})


def test_class_labels_swapped_on_one_output_fail() -> None:
    """A class from z >= 0.5 the wrong way round (lev[2 - (z > 0.5)])."""
    fit = py_fit("iris2", 3, 1, {"entropy": True})
    expected = r_side("iris2", 3, 1, {"entropy": True})
    swapped = dataclasses.replace(fit, lev=tuple(reversed(fit.lev or ())))
    assert py_class(swapped, DATA["iris2"]["newx"]) != expected["class"]
