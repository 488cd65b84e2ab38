"""Activations and their derivatives: values, the lecture's arithmetic, errors."""

from __future__ import annotations

import numpy as np
import pytest

from backprop import activations as act
from backprop import network
from backprop.gradcheck import central_differences

Z = np.array([[-3.0, -0.5, 0.0, 0.25, 2.0], [1.5, -1.0, 4.0, -2.5, 0.75]])


def test_sigmoid_is_the_lectures_bit_for_bit() -> None:
    Zs = np.random.default_rng(1).normal(scale=5, size=(6, 4))
    assert np.array_equal(act.sigmoid(Zs), network.sigmoid(Zs))
    assert np.array_equal(act.sigmoid_prime(Zs), network.sigmoid_prime(Zs))
    assert act.sigmoid(np.array([[0.0]]))[0, 0] == 0.5
    assert act.sigmoid_prime(np.array([[0.0]]))[0, 0] == 0.25


def test_relu_leaky_step_linear_values() -> None:
    z = np.array([[-2.0, 0.0, 3.0]])
    assert act.relu(z).tolist() == [[0.0, 0.0, 3.0]]
    assert act.relu_prime(z).tolist() == [[0.0, 0.0, 1.0]]
    assert act.leaky_relu(z, 0.1).tolist() == [[-0.2, 0.0, 3.0]]
    assert act.leaky_relu_prime(z, 0.1).tolist() == [[0.1, 0.1, 1.0]]
    assert act.leaky_relu(z).tolist() == [[-0.02, 0.0, 3.0]]  # alpha defaults to 0.01
    assert act.step_function(z).tolist() == [[0.0, 1.0, 1.0]]  # 1 where z >= 0
    assert act.linear(z) is z
    assert act.linear_prime(z).tolist() == [[1.0, 1.0, 1.0]]
    assert act.tanh_prime(np.array([[0.0]]))[0, 0] == 1.0
    assert act.tanh(np.array([[1.0]]))[0, 0] == pytest.approx(0.7615941559557649, rel=1e-15)


# Every activation of the table whose derivative is element by element (not softmax,
# not step): a new entry is checked here without a line of this file changing.
ELEMENTWISE = [name for name, (_, prime) in act.ACTIVATIONS.items() if prime is not None]


def test_the_elementwise_activations_are_read_from_the_table() -> None:
    assert {"sigmoid", "tanh", "relu", "leaky_relu", "linear"} <= set(ELEMENTWISE)
    assert not {"softmax", "step"} & set(ELEMENTWISE)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_each_derivative_matches_central_differences(name: str) -> None:
    _, f, prime = act.get_activation(name, alpha=0.2)  # leaky_relu with a slope of 0.2
    assert prime is not None
    h = 1e-6  # Z keeps >= 0.25 from the kink at 0, so +-h never crosses it
    numeric = (f(Z + h) - f(Z - h)) / (2 * h)
    mask = Z != 0
    np.testing.assert_allclose(prime(Z)[mask], numeric[mask], rtol=1e-8, atol=1e-10)


def test_softmax_rows_are_probabilities() -> None:
    A = act.softmax(Z)
    np.testing.assert_allclose(A.sum(axis=1), 1.0, rtol=0, atol=2e-16)
    assert np.all(A > 0)
    # seed document 001's worked example: z = (0.3, -0.4)
    two = act.softmax(np.array([[0.3, -0.4]]))
    np.testing.assert_allclose(two, [[0.6681877721681662, 0.3318122278318339]], rtol=1e-15)


def test_softmax_is_stable_for_large_inputs() -> None:
    A = act.softmax(np.array([[1000.0, 1001.0], [-1000.0, -1001.0]]))
    e = np.e
    np.testing.assert_allclose(A, [[1 / (1 + e), e / (1 + e)], [e / (1 + e), 1 / (1 + e)]])
    assert np.all(np.isfinite(A))


def test_softmax_backward_is_the_jacobian_vector_product() -> None:
    rng = np.random.default_rng(2)
    A = act.softmax(Z)
    G = rng.normal(size=A.shape)
    expected = np.empty_like(A)
    for n in range(A.shape[0]):
        a = A[n]
        jacobian = np.diag(a) - np.outer(a, a)  # dA_j / dZ_i, symmetric
        expected[n] = jacobian @ G[n]
    np.testing.assert_allclose(act.softmax_backward(A, G), expected, rtol=1e-13, atol=1e-16)


def test_softmax_backward_matches_central_differences() -> None:
    G = np.array([[0.5, -1.0, 2.0, 0.0, 1.0], [1.0, 1.0, -3.0, 0.5, 0.2]])
    h = 1e-6
    numeric = central_differences(Z, lambda P: np.sum(G * act.softmax(P)), h)
    analytic = act.softmax_backward(act.softmax(Z), G)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-7, atol=1e-10)


def test_lookup_gives_the_pair() -> None:
    relu = act.get_activation("relu")
    assert (relu.name, relu.f, relu.prime) == ("relu", act.relu, act.relu_prime)
    leaky = act.get_activation("leaky_relu", alpha=0.3)
    assert leaky.f(np.array([[-1.0]]))[0, 0] == -0.3
    assert leaky.prime(np.array([[-1.0]]))[0, 0] == 0.3  # type: ignore[misc]
    assert act.get_activation("softmax").prime is None
    assert act.get_activation("step").prime is None


@pytest.mark.parametrize("name", ["Relu", "swish", "", 3, None])
def test_unknown_activation_lists_the_valid_ones(name: object) -> None:
    with pytest.raises(
        ValueError, match=r"activation must be one of 'sigmoid', 'tanh', .*'step'; got"
    ):
        act.get_activation(name)  # type: ignore[arg-type]


def test_activation_delta() -> None:
    G = np.ones_like(Z) * 2
    tanh = act.get_activation("tanh")
    assert np.array_equal(act.activation_delta(tanh, Z, tanh.f(Z), G), G * act.tanh_prime(Z))
    softmax = act.get_activation("softmax")
    A = softmax.f(Z)
    assert np.array_equal(act.activation_delta(softmax, Z, A, G), act.softmax_backward(A, G))
    step = act.get_activation("step")
    with pytest.raises(ValueError, match="'step' activation has no useful derivative"):
        act.activation_delta(step, Z, step.f(Z), G)
