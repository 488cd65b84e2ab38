"""Only two of the nine functions, both right: the others are missing."""

import numpy as np


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def cost(Y, Y_hat):
    return 0.5 * np.sum((Y - Y_hat) ** 2)
