"""A planted mistake, train: range(iterations + 1) runs one iteration too many."""

import numpy as np

from backprop.rng import set_seed


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def sigmoid_prime(Z):
    return np.exp(-Z) / (1 + np.exp(-Z)) ** 2


def cost(Y, Y_hat):
    return 0.5 * np.sum((Y - Y_hat) ** 2)


def scale_features(x):
    return x / x.max(axis=0)


def scale_target(y):
    return y / 100


def init_weights(input_size, hidden_size, output_size, seed):
    rng = set_seed(seed)
    W_1 = rng.runif(input_size * hidden_size).reshape((input_size, hidden_size), order="F")
    W_2 = rng.runif(hidden_size * output_size).reshape((hidden_size, output_size), order="F")
    return {"W_1": W_1, "W_2": W_2}


def forward(X, W_1, W_2):
    Z_2 = X @ W_1
    A_2 = sigmoid(Z_2)
    Z_3 = A_2 @ W_2
    Y_hat = sigmoid(Z_3)
    return {"Z_2": Z_2, "A_2": A_2, "Z_3": Z_3, "Y_hat": Y_hat}


def backprop(X, Y, W_2, fwd):
    delta_3 = -(Y - fwd["Y_hat"]) * sigmoid_prime(fwd["Z_3"])
    dJ_dW_2 = fwd["A_2"].T @ delta_3
    delta_2 = delta_3 @ W_2.T * sigmoid_prime(fwd["Z_2"])
    dJ_dW_1 = X.T @ delta_2
    return {"dJ_dW_1": dJ_dW_1, "dJ_dW_2": dJ_dW_2}


def train(X, Y, hidden=3, seed=1, iterations=10000, step=5):
    weights = init_weights(X.shape[1], hidden, Y.shape[1], seed)
    W_1, W_2 = weights["W_1"], weights["W_2"]
    cost_history = []
    fwd = forward(X, W_1, W_2)
    for _ in range(iterations + 1):
        fwd = forward(X, W_1, W_2)
        cost_history.append(cost(Y, fwd["Y_hat"]))
        grad = backprop(X, Y, W_2, fwd)
        W_1 = W_1 - step * grad["dJ_dW_1"]
        W_2 = W_2 - step * grad["dJ_dW_2"]
    return {"W_1": W_1, "W_2": W_2, "Y_hat": fwd["Y_hat"], "cost_history": cost_history}
