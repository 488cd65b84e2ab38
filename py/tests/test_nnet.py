"""backprop.nnet against fits R's own nnet::nnet made (fixtures/nnet_results.json): no R needed.

The fixtures come from fixtures/make_nnet_results.R (R 4.2.2, nnet 7.3-18):
``set.seed(seed); nnet(X, Y, size, ...)`` on the project's ``load_scaled()``
data, with what nnet printed. Every comparison is bit for bit: the same 64
bits, not "close". parity/tests/test_nnet_live.py asks live R instead.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import assert_bits_equal
from numpy.typing import NDArray

from backprop.data import load_scaled
from backprop.nnet import NnetFit, fround, lecture_matrices, max_col, nnet
from backprop.rng import set_seed

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "nnet_results.json"
REFERENCE: dict[str, Any] = json.loads(FIXTURES.read_text())
CASES = {case["name"]: case for case in REFERENCE["cases"]}


def fit(case: dict[str, Any]) -> NnetFit:
    X, Y = load_scaled(REPO / "data" / case["data"], case["target"])
    return nnet(X, Y, case["size"], seed=case["seed"], **case["args"])


def test_fixtures_are_from_the_r_we_port() -> None:
    assert REFERENCE["nnet_version"] == "7.3.18"
    assert REFERENCE["r_version"].startswith("R version 4.2.2")


@pytest.mark.parametrize("name", CASES)
def test_fit_matches_r_bit_for_bit(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    case = CASES[name]
    result = fit(case)
    assert capsys.readouterr().out == case["trace"]
    assert_bits_equal(result.wts, case["wts"])
    assert_bits_equal(result.value, case["value"])
    assert_bits_equal(result.fitted_values.ravel(), case["fitted_values"])  # stored by row
    assert result.convergence == case["convergence"]


def test_the_lecture_fit_prints_what_r_prints(capsys: pytest.CaptureFixture[str]) -> None:
    """set.seed(1); nnet(X, Y, size = 3): R's spacing and trailing spaces, to the character."""
    X, Y = load_scaled(REPO / "data" / "lecture.csv")
    nnet(X, Y, 3, seed=1)
    lines = capsys.readouterr().out.split("\n")
    assert lines[:3] == ["# weights:  13", "initial  value 0.895458 ", "iter  10 value 0.008524"]
    assert lines[-3:] == ["final  value 0.000063 ", "converged", ""]


def test_trace_false_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    X, Y = load_scaled(REPO / "data" / "lecture.csv")
    nnet(X, Y, 3, seed=1, trace=False)
    assert capsys.readouterr().out == ""


def test_a_generator_goes_on_as_r_s_stream() -> None:
    """set.seed(1); nnet(...); nnet(...): the second fit starts from the next 13 draws."""
    X, Y = load_scaled(REPO / "data" / "lecture.csv")
    generator = set_seed(1)
    nnet(X, Y, 3, seed=generator, trace=False)
    second = nnet(X, Y, 3, seed=generator, trace=False, maxit=0)
    draws = set_seed(1).runif(26, -0.7, 0.7)[13:]
    assert_bits_equal(second.wts, draws)


def test_matrices_are_the_lecture_s() -> None:
    """W_1 (D x H), B_1 (1 x H), W_2 (H x K), B_2 (1 x K) give nnet's own fitted values."""
    case = CASES["lecture"]
    result = fit(case)
    X, _ = load_scaled(REPO / "data" / "lecture.csv")
    W_1, B_1, W_2, B_2 = result.W_1, result.B_1, result.W_2, result.B_2
    assert (
        W_1.shape == (2, 3) and B_1.shape == (1, 3) and W_2.shape == (3, 1) and B_2.shape == (1, 1)
    )
    wts = np.array(case["wts"])
    assert W_1[:, 0].tolist() == wts[1:3].tolist() and B_1[0, 0] == wts[0]  # b->h1, i1->h1, i2->h1
    assert B_2[0, 0] == wts[9] and W_2[:, 0].tolist() == wts[10:13].tolist()  # b->o, h1..h3->o

    def sigmoid(Z: NDArray[np.float64]) -> NDArray[np.float64]:
        return 1 / (1 + np.exp(-Z))

    Y_hat = sigmoid(sigmoid(X @ W_1 + B_1) @ W_2 + B_2)
    np.testing.assert_allclose(Y_hat, result.fitted_values, rtol=1e-14)


def test_skip_weights_are_listed_after_the_hidden_units() -> None:
    """R's coef(): b->o, h1->o, h2->o, i1->o, i2->o for size = 2, skip = TRUE."""
    result = fit(CASES["lecture_skip"])
    wts = result.wts
    assert result.conn.tolist() == [0, 1, 2, 0, 1, 2, 0, 3, 4, 1, 2]
    assert result.nconn.tolist() == [0, 0, 0, 0, 3, 6, 11]
    assert result.skip and result.matrices["W_skip"].ravel().tolist() == wts[9:11].tolist()
    assert result.W_2.ravel().tolist() == wts[7:9].tolist()
    zero = lecture_matrices(np.arange(3.0), (2, 0, 1), skip=True)
    assert zero["W_1"].shape == (2, 0) and zero["W_skip"].ravel().tolist() == [1.0, 2.0]


def test_sigmoid_is_nnet_s_with_its_clamp() -> None:
    from backprop.nnet import _Net

    assert _Net.sigmoid(-15.000000000000002) == 0.0
    assert _Net.sigmoid(15.000000000000002) == 1.0
    assert _Net.sigmoid(-15.0) == 1.0 / (1.0 + math.exp(15.0))
    assert _Net.sigmoid(-15.0) > 0.0


X3 = np.array([[0.3, 1.0], [0.5, 0.2], [1.0, 0.4]])
Y3 = np.array([[0.75], [0.82], [0.93]])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"size": -1}, "size must be a whole number >= 0"),
        ({"size": 2.5}, "size must be a whole number >= 0"),
        ({"size": 0}, "no weights to fit"),
        ({"rang": -0.1}, "rang must be a finite number >= 0"),
        ({"decay": -1e-3}, "decay must be a finite number >= 0"),
        ({"maxit": -1}, "maxit must be a whole number >= 0"),
        ({"linout": True, "entropy": True}, "at most one of linout, entropy and softmax"),
        ({"softmax": True, "linout": True}, "at most one of linout, entropy and softmax"),
        ({"softmax": True}, "requires at least two response categories"),
        ({"linout": 1}, "linout must be True or False"),
        ({"Wts": np.zeros(12)}, "Wts must have 13 weights"),
        ({"Wts": np.zeros((13, 1))}, "Wts must be a vector of finite numbers"),
        ({"MaxNWts": 10}, r"too many \(13\) weights"),
        ({"seed": None}, r"seed must be given"),
        ({"abstol": "small"}, "abstol must be a number"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, Any], message: str) -> None:
    args: dict[str, Any] = {"size": 3, "seed": 1, "trace": False} | kwargs
    with pytest.raises(ValueError, match=message):
        nnet(X3, Y3, **args)


def test_bad_data_are_refused() -> None:
    with pytest.raises(ValueError, match="nrows of x and y must match"):
        nnet(X3, Y3[:2], 3, seed=1)
    with pytest.raises(ValueError, match="x must not have missing or infinite values"):
        nnet(np.array([[math.nan, 1.0]]), [1.0], 3, seed=1)
    with pytest.raises(ValueError, match="y must be a non-empty numeric matrix"):
        nnet(X3, np.array([["a"], ["b"], ["c"]]), 3, seed=1)
    with pytest.raises(ValueError, match=r"entropy = True needs targets in \[0, 1\]"):
        nnet(X3, Y3 * 2, 3, seed=1, entropy=True)


def test_a_vector_y_is_one_column(capsys: pytest.CaptureFixture[str]) -> None:
    as_matrix = nnet(X3, Y3, 3, seed=1)
    as_vector = nnet(X3, Y3.ravel(), 3, seed=1)
    assert_bits_equal(as_vector.wts, as_matrix.wts)
    assert as_vector.fitted_values.shape == (3, 1)


def test_rang_zero_needs_no_seed() -> None:
    result = nnet(X3, Y3, 2, rang=0, maxit=0, trace=False)
    assert result.wts.tolist() == [0.0] * 9


def test_squared_errors_are_products_not_pow() -> None:
    """nnet.c's E() squares by dif * dif. A linear net with one bias b and target 0 has value
    b * b; checked where Python's b ** 2 (C's pow) differs in the last bit (about 1 in 1,000)."""
    candidates = np.random.default_rng(102).uniform(-2.0, 2.0, 100_000).tolist()
    squares = [b for b in candidates if b**2 != b * b][:20] + [0.75, -1.5]
    zero = np.zeros((1, 1))
    for b in squares:
        fit = nnet(zero, zero, 0, Wts=[b, 0.0], skip=True, linout=True, maxit=0, trace=False)
        assert_bits_equal(fit.value, b * b)


# The fit: R's nnet object, its predict, print and summary (live R: parity/tests/
# test_nnet_predict_live.py).


@pytest.mark.parametrize("name", CASES)
def test_predict_on_the_training_rows_is_rs_fitted_values(name: str) -> None:
    """predict.nnet runs VR_nntest, as nnet.default did for fitted.values: R's own bits."""
    case = CASES[name]
    X, _ = load_scaled(REPO / "data" / case["data"], case["target"])
    result = fit(case)
    assert_bits_equal(result.predict(X).ravel(), case["fitted_values"])
    assert_bits_equal(result.predict().ravel(), case["fitted_values"])  # no newdata: fitted
    assert_bits_equal(result.predict(X[0]), result.fitted_values[:1])  # a vector is a row


def test_what_a_fit_knows_of_classes_is_what_r_s_knows() -> None:
    """lev: colnames(y) with softmax, "0" and "1" with entropy, else none (R/nnet.R l. 170)."""
    X, Y = load_scaled(REPO / "data" / "iris.csv", "onehot")
    names = ("setosa", "versicolor", "virginica")
    softmax = nnet(X, Y, 2, seed=1, softmax=True, maxit=50, trace=False, ynames=names)
    assert softmax.lev == names
    assert softmax.predict(X[[0, 50, 149]], type="class").tolist() == list(names)
    assert nnet(X, Y, 2, seed=1, softmax=True, maxit=5, trace=False).lev is None
    assert nnet(X, Y, 2, seed=1, maxit=5, trace=False, ynames=names).lev is None
    assert nnet(X, Y, 2, seed=1, entropy=True, maxit=5, trace=False).lev == ("0", "1")
    with pytest.raises(ValueError, match="^inappropriate fit for class"):
        nnet(X, Y, 2, seed=1, softmax=True, maxit=5, trace=False).predict(X, type="class")
    with pytest.raises(ValueError, match="ynames must be 3 strings"):
        nnet(X, Y, 2, seed=1, softmax=True, maxit=0, trace=False, ynames=names[:2])


def test_one_output_classes_are_lev_1_plus_z_over_half() -> None:
    fit = nnet(X3, Y3, 0, Wts=[0.0, 1.0, 0.0], skip=True, linout=True, maxit=0, trace=False)
    named = dataclasses.replace(fit, lev=("low", "high"))
    newx = np.array([[0.5, 9.0], [0.5000000000000001, 0.0], [-3.0, 0.0]])
    assert named.predict(newx, type="class").tolist() == ["low", "high", "low"]


def test_bad_new_rows_are_refused() -> None:
    fit = nnet(X3, Y3, 2, seed=1, maxit=0, trace=False)
    with pytest.raises(ValueError, match="newx must be rows of 2 numbers"):
        fit.predict(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="missing values in 'x'"):
        fit.predict([[math.nan, 1.0]])
    with pytest.raises(ValueError, match="infinite"):
        fit.predict([[math.inf, 1.0]])
    with pytest.raises(ValueError, match='type must be "raw" or "class"'):
        fit.predict(X3, type="response")
    assert fit.predict(np.zeros((0, 2))).shape == (0, 1)


def test_max_col_breaks_ties_from_r_s_stream() -> None:
    """Ties (within 1e-5 of the row's largest) draw; a clear winner does not."""
    m = np.array([[1.0, 1.0, 0.0], [0.0, 2.0, 1.0], [3.0, 3.0 + 1e-6, 3.0 - 1e-6]])
    generator = set_seed(1)
    first = max_col(m, generator)
    assert first[1] == 2 and first[0] in (1, 2) and first[2] in (1, 2, 3)
    assert max_col(m, 1) == first  # an int is set.seed(int)
    spent = set_seed(1)
    spent.unif_rand(3)  # one draw for row 1, two for row 3
    assert_bits_equal(generator.unif_rand(1), spent.unif_rand(1))
    assert max_col(np.array([[0.0, math.nan]])) == [None]


def test_fround_is_r_s_round_where_python_s_is_not() -> None:
    """R 4's round(x, 2) (fround.c) on values seen in R: round(1023.985, 2) is 1023.98 there."""
    assert fround(1023.985, 2) == 1023.98 and round(1023.985, 2) == 1023.99
    assert fround(-1023.965, 2) == -1023.96 and fround(0.125, 2) == 0.12
    assert math.copysign(1.0, fround(-0.004, 2)) == -1.0  # -0, printed as 0.00


def test_print_and_summary_are_r_s_text() -> None:
    """print(fit) and print(summary(fit)) as R 4.2.2 (nnet 7.3-18) printed them for these fits."""
    fit = nnet(X3, Y3, 1, Wts=[1023.985, -0.004, 12345.678, 0.5, -7.0], maxit=0, trace=False)
    assert str(fit) == repr(fit) == "a 2-1-1 network with 5 weights\noptions were -"
    assert fit.summary() == "\n".join([
        "a 2-1-1 network with 5 weights",
        "options were -",
        "   b->h1   i1->h1   i2->h1 ",
        " 1023.98     0.00 12345.68 ",  # R's round: Python's gives 1023.99; -0 is 0.00
        "    b->o    h1->o ",
        "    0.50    -7.00 ",
    ])  # fmt: skip
    linear = nnet(X3, Y3, 0, skip=True, linout=True, decay=5e-4, seed=1, maxit=0, trace=False)
    assert str(linear).split("\n")[1] == (
        "options were - skip-layer connections  linear output units  decay=5e-04"
    )
