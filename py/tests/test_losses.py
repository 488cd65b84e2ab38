"""Losses and their gradients: hand-computed values, the lecture's cost, edge cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backprop import losses, network
from backprop.activations import softmax, softmax_backward
from backprop.gradcheck import central_differences

Y = np.array([[1.0], [0.0]])
P = np.array([[0.8], [0.4]])


def test_half_sse_is_the_lectures_cost() -> None:
    rng = np.random.default_rng(3)
    Ys, Ps = rng.random((5, 1)), rng.random((5, 1))
    assert losses.half_sse(Ys, Ps) == network.cost(Ys, Ps)
    assert np.array_equal(losses.half_sse_gradient(Ys, Ps), -(Ys - Ps))
    assert losses.half_sse(Y, P) == pytest.approx(0.5 * (0.04 + 0.16), rel=1e-15)


def test_mse_and_mae_by_hand() -> None:
    assert losses.mse(Y, P) == pytest.approx((0.04 + 0.16) / 2, rel=1e-15)
    np.testing.assert_allclose(losses.mse_gradient(Y, P), [[-0.2], [0.4]], rtol=1e-15)
    assert losses.mae(Y, P) == pytest.approx((0.2 + 0.4) / 2, rel=1e-15)
    assert losses.mae_gradient(Y, P).tolist() == [[-0.5], [0.5]]
    # the mean is over all N * K entries
    Y2, P2 = np.zeros((2, 3)), np.full((2, 3), 0.5)
    assert losses.mse(Y2, P2) == 0.25
    assert losses.mae_gradient(Y2, P2).tolist() == [[1 / 6] * 3] * 2


def test_binary_cross_entropy_by_hand() -> None:
    assert losses.binary_cross_entropy(Y, P) == pytest.approx(
        -(math.log(0.8) + math.log(0.6)) / 2, rel=1e-15
    )
    np.testing.assert_allclose(
        losses.binary_cross_entropy_gradient(Y, P), [[-1 / 0.8 / 2], [1 / 0.6 / 2]], rtol=1e-15
    )


def test_cross_entropy_by_hand() -> None:
    Yc = np.array([[0.0, 1.0], [1.0, 0.0]])
    Pc = np.array([[0.6681877721681662, 0.3318122278318339], [0.9, 0.1]])
    # row 1 is seed document 001's worked example: -log(0.3318...) = 1.1032
    expected = -(math.log(0.3318122278318339) + math.log(0.9)) / 2
    assert losses.cross_entropy(Yc, Pc) == pytest.approx(expected, rel=1e-15)
    np.testing.assert_allclose(
        losses.cross_entropy_gradient(Yc, Pc), [[0, -1 / 0.3318122278318339 / 2], [-1 / 0.9 / 2, 0]]
    )


def test_zero_targets_cost_nothing_even_at_saturated_predictions() -> None:
    Yc = np.array([[0.0, 1.0]])
    Pc = np.array([[0.0, 1.0]])  # a softmax or sigmoid output saturated to 0 and 1
    assert losses.cross_entropy(Yc, Pc) == 0.0
    assert losses.binary_cross_entropy(Yc, Pc) == 0.0
    assert np.all(np.isfinite(losses.cross_entropy_gradient(Yc, Pc)))
    assert np.all(np.isfinite(losses.binary_cross_entropy_gradient(Yc, Pc)))
    # a wrong prediction at 0 is an infinite cost (training then stops as diverged)
    assert losses.cross_entropy(np.array([[1.0, 0.0]]), Pc) == math.inf


@pytest.mark.parametrize("name", losses.LOSSES)
def test_each_gradient_matches_central_differences(name: str) -> None:
    loss = losses.get_loss(name)
    Yt = np.array([[1.0, 0.0, 0.0], [0.0, 0.3, 0.7]])
    Pt = np.array([[0.5, 0.2, 0.3], [0.1, 0.6, 0.3]])  # |P - Y| >= 0.1: away from MAE's kink
    h = 1e-6
    numeric = central_differences(Pt, lambda P: loss.f(Yt, P), h)
    np.testing.assert_allclose(loss.gradient(Yt, Pt), numeric, rtol=1e-7, atol=1e-10)


def test_softmax_cross_entropy_delta_is_the_chain_rule_simplified() -> None:
    rng = np.random.default_rng(4)
    A = softmax(rng.normal(size=(6, 3)))
    Yc = np.eye(3)[[0, 1, 2, 2, 1, 0]]
    chained = softmax_backward(A, losses.cross_entropy_gradient(Yc, A))
    np.testing.assert_allclose(losses.softmax_cross_entropy_delta(Yc, A), chained, rtol=1e-12)
    assert np.array_equal(losses.softmax_cross_entropy_delta(Yc, A), (A - Yc) / 6)


@pytest.mark.parametrize("name", ["MSE", "l2", 0, None])
def test_unknown_loss_lists_the_valid_ones(name: object) -> None:
    with pytest.raises(ValueError, match=r"loss must be one of 'half_sse', 'mse', .*; got"):
        losses.get_loss(name)  # type: ignore[arg-type]
