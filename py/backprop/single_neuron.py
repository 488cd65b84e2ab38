"""Document 000's network: one sigmoid neuron, Xavier initialisation, squared error.

Twin of ``r/single_neuron.R``: the same functions in the same order.

The document: ``D`` inputs (3 there) -> one sigmoid neuron with weights ``w``
(D, 1) and a bias ``b`` (starting at 0) -> the output ``a``; loss
L = 1/2 (a - y)^2; gradients dL/dw = (a - y) a (1 - a) x and
dL/db = (a - y) a (1 - a); learning rate 0.005; progress every 100 epochs.

Where this differs from the document, and why:

- The document gives no data and updates per example. Here the neuron trains
  on a table ``X`` (N, D), ``Y`` (N, 1) (e.g. data/study.csv, scaled like the
  lecture: features / column max, score / 100) with the *batch* gradient,
  summed over the rows, which is the gradient of J = 1/2 sum (a - y)^2, the
  lecture's cost. One epoch is one update.
- The document's progress print fails at epoch 0: ``'{:.3f}%'.format`` is
  mapped over ``b``, by then a 1x1 numpy array (x a (3, 1) column), whose rows
  numpy refuses to format with ``.3f`` (TypeError); and the format puts a
  stray ``%`` after every number. Here each number is printed with ``%.3f``
  and no ``%``. (With a flat x of shape (3,) the print runs, but then
  ``w - learning_rate * dl_dw`` broadcasts (3, 1) - (3,) into a (3, 3) w.)
- The document prints ``(a - y) ** 2`` as the loss, while its loss is
  1/2 (a - y)^2. Here the progress line prints the loss J itself.

As in the document's loop, a progress line shows ``w`` and ``b`` after the
epoch's update and the loss of the forward pass before it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from backprop.activations import sigmoid
from backprop.checks import Matrix, check_count, check_positive, check_seed
from backprop.initialisers import draw_xavier
from backprop.losses import half_sse
from backprop.network import check_data, stop_if_diverged
from backprop.rng import set_seed


def init_xavier(n_in: int, n_out: int, seed: int) -> Matrix:
    """w ~ N(0, 2 / (n_in + n_out)): R's ``rnorm`` after ``set.seed(seed)``, (n_in, n_out).

    The variance is 2 / (n_in + n_out), so the standard deviation passed to
    rnorm is its square root, as in the document's ``np.random.normal``; the
    draw is ``backprop.initialisers.draw_xavier``, filled by column as R's matrix().
    """
    return draw_xavier(set_seed(seed), n_in, n_out)


def neuron_forward(X: Matrix, w: Matrix, b: float) -> tuple[Matrix, Matrix]:
    """Z = X w + b and A = sigmoid(Z), row by row: the document's z = w'x + b."""
    Z = X @ w + b  # (N, 1) = (N, D) @ (D, 1)
    A = sigmoid(Z)
    return Z, A


def neuron_gradients(X: Matrix, Y: Matrix, A: Matrix) -> tuple[Matrix, float]:
    """dJ/dw and dJ/db for J = 1/2 sum (a - y)^2: the document's per-row terms, summed."""
    delta = (A - Y) * A * (1 - A)  # (N, 1): dL/da * da/dz, row by row
    dL_dw = X.T @ delta  # (D, 1) = (D, N) @ (N, 1): sum over rows of delta x
    dL_db = float(np.sum(delta))
    return dL_dw, dL_db


def format_neuron_progress(epoch: int, w: Matrix, b: float, loss: float) -> str:
    """The document's progress line, mended: every number "%.3f", no stray "%"."""
    weights = ", ".join(f"{v:.3f}" for v in w.ravel(order="F"))
    return f"Epoch {epoch}: w = [{weights}], b = {b:.3f}, loss = {loss:.3f}"


def check_single_neuron_args(
    X: Matrix, Y: Matrix, seed: int, epochs: int, rate: float, every: int
) -> None:
    """Raise ValueError, naming what was expected and what arrived."""
    check_data(X, Y)
    check_seed(seed)
    check_count("epochs", epochs, 0)
    check_positive("rate", rate)
    check_count("every", every, 1)


@dataclass(frozen=True)
class SingleNeuronResult:
    w: Matrix  # (D, 1), after the last update
    b: float
    loss_history: NDArray[np.float64]  # (epochs,): J before each epoch's update
    progress_epoch: NDArray[np.int64]  # (K,): 0, every, 2 every, ...
    progress_w: Matrix  # (K, D): w after that epoch's update
    progress_b: NDArray[np.float64]  # (K,)
    progress_loss: NDArray[np.float64]  # (K,): = loss_history[progress_epoch]
    lines: list[str]  # the progress lines, as printed
    w_init: Matrix  # (D, 1), Xavier


def train_single_neuron(
    X: Matrix,
    Y: Matrix,
    *,
    seed: int = 1,
    epochs: int = 1000,
    rate: float = 0.005,
    every: int = 100,
    verbose: bool = False,
) -> SingleNeuronResult:
    """Batch gradient descent on one sigmoid neuron; progress every ``every`` epochs.

    ``X`` (N, D) and ``Y`` (N, 1) scaled into [0, 1]. With ``verbose`` the
    progress lines are printed as they come, as in the document; they are
    returned either way, so both languages' lines can be compared.
    """
    check_single_neuron_args(X, Y, seed, epochs, rate, every)
    epochs, every = int(epochs), int(every)  # 1000.0 is a whole number too
    X = np.asanyarray(X, dtype=np.float64)  # asany: keeps an RArray (rarith)
    Y = np.asanyarray(Y, dtype=np.float64)
    w_init = init_xavier(X.shape[1], 1, seed)  # (D, 1)
    w, b = w_init.copy(), 0.0
    loss_history = np.full(epochs, np.nan)
    progress: list[tuple[int, Matrix, float, float]] = []
    for epoch in range(epochs):
        _, A = neuron_forward(X, w, b)  # forward propagation
        loss_history[epoch] = loss = float(half_sse(Y, A))  # J = 1/2 sum (a - y)^2
        stop_if_diverged(loss, epoch + 1, rate, what="the loss")
        dL_dw, dL_db = neuron_gradients(X, Y, A)  # backpropagation
        w = w - rate * dL_dw  # gradient descent
        b = b - rate * dL_db
        if epoch % every == 0:  # progress, as the document's loop prints it
            progress.append((epoch, w.copy(), b, loss))
            if verbose:
                print(format_neuron_progress(epoch, w, b, loss))
    return SingleNeuronResult(
        w=w,
        b=b,
        loss_history=loss_history,
        progress_epoch=np.array([p[0] for p in progress], dtype=np.int64),
        progress_w=np.array([p[1].ravel() for p in progress]).reshape(len(progress), X.shape[1]),
        progress_b=np.array([p[2] for p in progress]),
        progress_loss=np.array([p[3] for p in progress]),
        lines=[format_neuron_progress(*p) for p in progress],
        w_init=w_init,
    )
