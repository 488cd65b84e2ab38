"""Stats 102B, week 3, lecture 3: back propagation, as on the slides.

Twin of ``r/lecture.R``, top to bottom; ``python -m backprop.lecture`` prints
what ``Rscript r/lecture.R`` prints, formatted the way R prints it, and with
``--plot DIR`` writes the slides' two cost plots as ``Rscript r/lecture.R
--plot DIR`` does. The initial weights come from R's generator
(``set_seed(1).runif``), not from R.

Lines ``# ---- name ----`` cut the script where the slides cut it, as in
``r/lecture.R`` (a chunk may come in pieces: a function at the top, its use
in ``main``); the teaching site and the notebook show the two chunk by chunk.
"""

# ---- setup ----
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from backprop.checks import Matrix
from backprop.cli import OneLineParser, guarded, output_dir
from backprop.rng import set_seed
from backprop.rprint import format_matrix, format_vector


# ---- sigmoid ----
def sigmoid(Z: Matrix) -> Matrix:
    return 1 / (1 + np.exp(-Z))


# ---- cost ----
def cost(y: Matrix, y_hat: Matrix) -> float:
    return float(0.5 * np.sum((y - y_hat) ** 2))


# ---- sigmoidprime ----
def sigmoidprime(z: Matrix) -> Matrix:
    return np.exp(-z) / ((1 + np.exp(-z)) ** 2)


# ---- cli ----
def main(argv: Sequence[str] | None = None) -> None:
    # `python -m backprop.lecture --plot DIR` also writes the slides' two cost plots.
    parser = OneLineParser(prog="python -m backprop.lecture")
    parser.add_argument("--plot", type=output_dir, metavar="DIR", help="write the two cost plots")
    plot_to = parser.parse_args(argv).plot

    # ---- data ----
    # training data
    x = np.array([
        [3, 5],
        [5, 1],
        [10, 2]], dtype=float)  # fmt: skip
    y = np.array([[75], [82], [93]], dtype=float)

    # scaling the data
    colmax = x.max(axis=0)
    # divide the x values by the column max, so it is on a scale from 0 to 1
    X = x / colmax
    # y has a range of 100, so this puts it on a scale from 0 to 1 also
    Y = y / 100

    # ---- sizes ----
    input_layer_size = 2
    output_layer_size = 1
    hidden_layer_size = 3

    # ---- forward ----
    # define weight matrices W_1 (2 x 3) and W_2 (3x1)
    W_1 = np.ones((input_layer_size, hidden_layer_size))
    W_2 = np.ones((hidden_layer_size, output_layer_size))

    Z_2 = X @ W_1  # Matrix Z
    A_2 = sigmoid(Z_2)  # apply the sigmoid function to the matrix Z_2
    Z_3 = A_2 @ W_2  # multiply the A matrix by the weight matrix
    Y_hat = sigmoid(Z_3)  # applying the sigmoid function to Z_3 produces our Y-hats

    # ---- cost ----
    print(format_vector(cost(Y, Y_hat)))

    # ---- delta_3 ----
    delta_3 = -(Y - Y_hat) * sigmoidprime(Z_3)
    djdw2 = A_2.T @ delta_3

    # ---- delta_2 ----
    delta_2 = delta_3 @ W_2.T * sigmoidprime(Z_2)
    djdw1 = X.T @ delta_2

    # ---- init ----
    # initialize our weight matrices again with random weights
    rng = set_seed(1)
    W_1 = rng.runif(6).reshape((input_layer_size, hidden_layer_size), order="F")
    W_2 = rng.runif(3).reshape((hidden_layer_size, output_layer_size), order="F")

    # for cost tracking
    cost_hist = np.full(10000, np.nan)

    scalar = 5

    # ---- descent ----
    for i in range(10000):
        # this takes the current weights and calculates y-hat
        Z_2 = X @ W_1
        A_2 = sigmoid(Z_2)
        Z_3 = A_2 @ W_2
        Y_hat = sigmoid(Z_3)
        cost_hist[i] = cost(Y, Y_hat)
        # this part calculates the gradient at the current y-hat
        delta_3 = -(Y - Y_hat) * sigmoidprime(Z_3)
        djdw2 = A_2.T @ delta_3
        delta_2 = delta_3 @ W_2.T * sigmoidprime(Z_2)
        djdw1 = X.T @ delta_2
        # this updates the weights based on the gradient
        W_1 = W_1 - scalar * djdw1
        W_2 = W_2 - scalar * djdw2
        # repeat

    # ---- results ----
    print(format_matrix(W_1))  # resulting coefficients are basically uninterpretable
    print(format_matrix(W_2))
    print(format_matrix(Y_hat))  # these match well (probably overfit)
    print(format_matrix(Y))

    # ---- plots ----
    # The slides then plot the cost history: here as PNGs, when asked.
    if plot_to is not None:
        from backprop.plots import plot_cost_history  # matplotlib only when asked

        plot_cost_history(cost_hist, plot_to)


# ---- main ----
if __name__ == "__main__":  # a closed pipe, a full disk, Ctrl-C: one line, as backprop says it
    raise SystemExit(guarded("python -m backprop.lecture", main))
