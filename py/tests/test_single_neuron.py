"""Document 000's single sigmoid neuron: Xavier draws, gradients, training, progress."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backprop.single_neuron import (
    format_neuron_progress,
    init_xavier,
    neuron_forward,
    neuron_gradients,
    train_single_neuron,
)


def test_init_xavier_is_r_rnorm_bit_for_bit() -> None:
    # R: set.seed(1); rnorm(3, 0, sqrt(2 / (3 + 1))), printed with %.17g
    expected = [-0.44296973767605735, 0.12985543987707412, -0.59087865838864961]
    w = init_xavier(3, 1, seed=1)
    assert w.shape == (3, 1)
    assert w.ravel().tolist() == expected
    # R: set.seed(7); matrix(rnorm(6, 0, sqrt(2 / 5)), 3, 2), filled by column
    w = init_xavier(3, 2, seed=7)
    assert w[:, 0].tolist() == [1.4465821203181359, -0.75690487100277337, -0.4391091390744547]
    assert w[:, 1].tolist() == [-0.26075695776496077, -0.61390772438862851, -0.59911244174407408]


def test_batch_gradient_is_the_sum_of_the_documents_per_row_gradients(study) -> None:
    X, Y = study
    w, b = init_xavier(3, 1, seed=3), 0.25
    _, A = neuron_forward(X, w, b)
    dL_dw, dL_db = neuron_gradients(X, Y, A)
    per_row_w = np.zeros(3)
    per_row_b = 0.0
    for x, y in zip(X, Y[:, 0], strict=True):
        a = 1 / (1 + math.exp(-(x @ w[:, 0] + b)))
        per_row_w += (a - y) * a * (1 - a) * x  # the document's dl_dw
        per_row_b += (a - y) * a * (1 - a)  # the document's dl_db
    np.testing.assert_allclose(dL_dw[:, 0], per_row_w, rtol=1e-12)
    assert dL_db == pytest.approx(per_row_b, rel=1e-12)


def test_batch_gradient_matches_finite_differences_of_half_sse(study) -> None:
    X, Y = study
    w, b = init_xavier(3, 1, seed=5), -0.1

    def J(w: np.ndarray, b: float) -> float:
        return 0.5 * float(np.sum((1 / (1 + np.exp(-(X @ w + b))) - Y) ** 2))

    _, A = neuron_forward(X, w, b)
    dL_dw, dL_db = neuron_gradients(X, Y, A)
    h = 1e-6
    for k in range(3):
        e = np.zeros((3, 1))
        e[k] = h
        numeric = (J(w + e, b) - J(w - e, b)) / (2 * h)
        assert dL_dw[k, 0] == pytest.approx(numeric, rel=1e-6)
    assert dL_db == pytest.approx((J(w, b + h) - J(w, b - h)) / (2 * h), rel=1e-6)


def test_training_on_study_data(study) -> None:
    X, Y = study
    r = train_single_neuron(X, Y)  # seed 1, 1000 epochs, rate 0.005, every 100
    assert r.loss_history.shape == (1000,)
    assert np.all(np.diff(r.loss_history) < 0)  # decreasing at every epoch
    w_0 = np.array([[-0.44296973767605735], [0.12985543987707412], [-0.59087865838864961]])
    J_0 = 0.5 * np.sum((1 / (1 + np.exp(-(X @ w_0))) - Y) ** 2)  # b = 0 at first
    assert r.loss_history[0] == pytest.approx(J_0, rel=1e-14)
    assert r.loss_history[0] == pytest.approx(0.93908, abs=1e-5)
    assert r.loss_history[-1] == pytest.approx(0.018371426955181586, rel=1e-10)
    assert r.lines[0] == "Epoch 0: w = [-0.440, 0.132, -0.589], b = 0.004, loss = 0.939"
    assert r.lines[-1] == "Epoch 900: w = [0.345, 0.592, -0.047], b = 1.035, loss = 0.020"
    assert r.progress_epoch.tolist() == list(range(0, 1000, 100))
    np.testing.assert_array_equal(r.progress_loss, r.loss_history[r.progress_epoch])
    assert r.progress_w.shape == (10, 3)
    np.testing.assert_array_equal(r.w_init, init_xavier(3, 1, seed=1))
    np.testing.assert_allclose(
        r.w[:, 0], [0.3638200494599209, 0.5975890514111687, -0.03325676475880133], rtol=1e-10
    )
    assert r.b == pytest.approx(1.0531784245124856, rel=1e-10)


def test_progress_shows_weights_after_the_update_and_loss_before_it(study) -> None:
    X, Y = study
    r = train_single_neuron(X, Y, epochs=1, every=1)
    _, A = neuron_forward(X, r.w_init, 0.0)
    dL_dw, dL_db = neuron_gradients(X, Y, A)
    np.testing.assert_array_equal(r.progress_w[0], (r.w_init - 0.005 * dL_dw)[:, 0])
    assert r.progress_b[0] == -0.005 * dL_db
    assert r.progress_loss[0] == 0.5 * np.sum((A - Y) ** 2)


def test_verbose_prints_the_lines(study, capsys) -> None:
    X, Y = study
    r = train_single_neuron(X, Y, epochs=250, verbose=True)
    assert capsys.readouterr().out.splitlines() == r.lines
    assert len(r.lines) == 3  # epochs 0, 100, 200


def test_zero_epochs(study) -> None:
    X, Y = study
    r = train_single_neuron(X, Y, epochs=0)
    assert r.loss_history.shape == (0,)
    assert r.lines == []
    assert r.progress_w.shape == (0, 3)
    np.testing.assert_array_equal(r.w, r.w_init)
    assert r.b == 0.0


def test_format_neuron_progress_has_no_stray_percent() -> None:
    line = format_neuron_progress(100, np.array([[0.12345], [-0.0004]]), 0.5, 1 / 3)
    assert line == "Epoch 100: w = [0.123, -0.000], b = 0.500, loss = 0.333"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rate": 0.0}, "rate must be a finite number > 0; got 0.0"),
        ({"rate": float("nan")}, "rate must be a finite number > 0"),
        ({"epochs": -1}, "epochs must be a whole number >= 0; got -1"),
        ({"epochs": 2.5}, "epochs must be a whole number >= 0; got 2.5"),
        ({"every": 0}, "every must be a whole number >= 1; got 0"),
        ({"seed": 1.5}, "seed must be a whole number"),
    ],
)
def test_bad_arguments(study, kwargs, message) -> None:
    X, Y = study
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        train_single_neuron(X, Y, **kwargs)


def test_bad_shapes(study) -> None:
    X, Y = study
    with pytest.raises(ValueError, match=r"Y must be a \(8, 1\) matrix to match X; got \(7, 1\)"):
        train_single_neuron(X, Y[:7])
    with pytest.raises(ValueError, match="only finite numbers"):
        train_single_neuron(np.where(X > 0.9, np.nan, X), Y)
