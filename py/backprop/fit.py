"""From data and settings to a trained network: which target encoding, which trainer.

Twin of ``r/fit.R``: the same functions in the same order. The one place that
decides how the target column is encoded and which trainer runs; the command
(``backprop train``), the parity harness and ``make_reference.R`` all come
through here.

The ``settings`` are ``train_network``'s keyword arguments (hidden, seed, ...,
eps); any not given take ``train_network``'s defaults.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from backprop.checks import (
    Matrix,
    check_count,
    check_name,
    check_nonnegative,
    check_seed,
    describe,
    is_number,
    is_numeric_matrix,
)
from backprop.data import (
    TARGETS,
    describe_classes,
    encode_binary,
    encode_onehot,
    load_scaled,
    parse_numbers,
    read_classes,
    read_data,
    read_labeled,
)
from backprop.initialisers import init_network
from backprop.model import (
    Updated,
    check_network_data,
    evaluate_network,
    network_output,
    network_result,
    network_setup,
    new_net,
    train_loop,
    train_network,
)
from backprop.network import (
    Progress,
    Result,
    _r_name,
    check_start,
    check_training_args,
    scale_target,
    stop_if_diverged,
    stop_if_weights_diverged,
    train,
)
from backprop.nnet import check_nnet, nnet
from backprop.rarith import on_arithmetic
from backprop.rng import RGenerator, set_seed
from backprop.rprint import format_matrix, format_table, format_vector
from backprop.spec import Spec, check_hidden, network_defaults, network_settings, network_spec

LECTURE_ARGS = tuple(
    p for p in inspect.signature(train).parameters if p not in ("X", "Y", "start", "progress")
)


def choose_target(target: str = "auto", **settings: Any) -> str:
    """The target encoding ``load_scaled`` is to use.

    "numeric", "onehot" or "binary" as asked, or, for "auto", what the network
    needs: one column per class for a softmax output or cross-entropy, 0/1 for
    binary cross-entropy, else the lecture's y / 100.
    """
    check_name("target", target, ("auto", *TARGETS))
    if target != "auto":
        return target
    s = network_settings(**settings)
    if s["output_activation"] == "softmax" or s["loss"] == "cross_entropy":
        return "onehot"
    if s["loss"] == "binary_cross_entropy":
        return "binary"
    return "numeric"


def choose_trainer(Y: Matrix, *, start: Mapping[str, Matrix] | None = None, **settings: Any) -> str:
    """ "train", the lecture's trainer (``network.py``), when the network is the lecture's.

    That is: one hidden layer, one output column, a seed (not an
    ``RGenerator``, R's stream as it stands), and ``train_network``'s default
    for every setting but hidden, seed, iterations and step; else
    "train_network". Where both apply they give the same numbers, bit for bit.
    """
    s = network_settings(**settings)
    defaults = network_defaults()
    model = [name for name in defaults if name not in LECTURE_ARGS]
    same = [_identical(s[name], defaults[name]) for name in model]
    one_output = np.ndim(Y) == 2 and np.shape(Y)[1] == 1
    a_seed = not isinstance(s["seed"], RGenerator)
    if np.size(s["hidden"]) == 1 and one_output and a_seed and all(same):
        return "train"
    return "train_network"


def check_test_fraction(test_fraction: object, n_rows: int) -> float:
    """A share of the rows to hold out: a number above 0 and below 1 that leaves
    at least one test row and one training row of ``n_rows``."""
    if not is_number(test_fraction) or not 0 < test_fraction < 1:
        raise ValueError(
            f"test_fraction must be a number above 0 and below 1; got {describe(test_fraction)}"
        )
    n_test = round(test_fraction * n_rows)
    if n_test < 1 or n_test >= n_rows:
        raise ValueError(
            f"test_fraction {describe(test_fraction)} of {n_rows} rows leaves {n_test} test "
            f"and {n_rows - n_test} training rows; each needs at least one"
        )
    return float(test_fraction)


def split_rows(
    n_rows: int, test_fraction: float, seed: int
) -> tuple[NDArray[np.int64], RGenerator]:
    """The rows held out for testing: after ``set.seed(seed)``,
    ``sample(n_rows, round(test_fraction * n_rows))``, 1-based, in R's order; and
    the stream, which goes on from there (to the weights). R's stream is global;
    here it is the ``RGenerator`` returned."""
    check_test_fraction(test_fraction, n_rows)
    rng = set_seed(check_seed(seed))
    return rng.sample(n_rows, round(test_fraction * n_rows)), rng


def fit(
    X: Matrix,
    Y: Matrix,
    *,
    test_fraction: float | None = None,
    restarts: int | None = None,
    start: Mapping[str, Matrix] | None = None,
    progress: Progress | None = None,
    updated: Updated | None = None,
    **settings: Any,
) -> Result:
    """Train on ``X`` and ``Y`` with the trainer ``choose_trainer`` picks.

    ``start``, if given, is the starting parameters (see ``train_network``).
    With ``test_fraction``, the rows ``split_rows`` draws are held out: the
    network trains on the others, its weights drawn from the stream after the
    split, and the result adds ``test_rows`` and ``test_cost`` (the trained
    network's cost on them). With ``restarts``, ``train_restarts`` (``start``
    is then its ``starts``). ``progress`` is the trainer's (see ``train``);
    ``updated``, ``train_network``'s (the lecture's ``train`` makes one update
    an iteration: it is called as ``progress`` is).
    """
    if restarts is not None:
        return train_restarts(
            X,
            Y,
            restarts=restarts,
            test_fraction=test_fraction,
            starts=start,
            progress=progress,
            updated=updated,
            **settings,
        )
    if test_fraction is not None:
        test_rows, rng = split_rows(X.shape[0], test_fraction, network_settings(**settings)["seed"])
        train_rows = np.setdiff1d(np.arange(1, X.shape[0] + 1), test_rows)
        rows, go_on = train_rows - 1, {**settings, "seed": rng}  # the stream goes on
        result = fit(
            X[rows, :], Y[rows, :], **go_on, start=start, progress=progress, updated=updated
        )
        with np.errstate(over="ignore", invalid="ignore"):  # checked by check_held_out_cost
            tested = evaluate_network(result, X[test_rows - 1, :], Y[test_rows - 1, :], **settings)
        return {**result, "test_rows": test_rows, "test_cost": np.array([tested.cost])}
    if choose_trainer(Y, **settings) == "train":
        lecture = {name: settings[name] for name in LECTURE_ARGS if name in settings}
        if isinstance(lecture.get("hidden"), (tuple, list)):  # (3,): R's c(3) is 3
            lecture["hidden"] = lecture["hidden"][0]
        return train(X, Y, **lecture, start=start, progress=_with_updates(progress, updated))
    return train_network(X, Y, **settings, start=start, progress=progress, updated=updated)


def _with_updates(progress: Progress | None, updated: Updated | None) -> Progress | None:
    """``progress``, and ``updated`` with it: the lecture's ``train`` makes the i-th
    update right after its i-th call of ``progress``."""
    if updated is None:
        return progress

    def both(i: int, cost: float) -> None:
        if progress is not None:
            progress(i, cost)
        updated(i)

    return both


def check_fit(
    X: Matrix,
    Y: Matrix,
    *,
    test_fraction: float | None = None,
    restarts: int | None = None,
    start: Mapping[str, Matrix] | None = None,
    **settings: Any,
) -> None:
    """Every check ``fit`` makes before it trains, in its words, without training:
    the split, then the chosen trainer's checks of the data, the settings and
    ``start``; with ``restarts``, theirs, then those of the first restart, as R's
    loop makes them. The command makes them before R trains, so that both engines
    refuse bad input in the same words."""
    if restarts is not None:
        check_restarts(restarts, **settings)
        with _in_restart(1):
            return check_fit(X, Y, test_fraction=test_fraction, start=start, **settings)
    if test_fraction is not None:
        test_rows, rng = split_rows(X.shape[0], test_fraction, network_settings(**settings)["seed"])
        rows = np.setdiff1d(np.arange(1, X.shape[0] + 1), test_rows) - 1
        X, Y, settings = X[rows, :], Y[rows, :], {**settings, "seed": rng}  # as fit goes on
    if choose_trainer(Y, **settings) == "train":
        s = network_settings(**settings)
        hidden = s["hidden"][0] if isinstance(s["hidden"], tuple | list) else s["hidden"]
        check_training_args(X, Y, hidden, s["seed"], s["iterations"], s["step"])
        sizes: tuple[int, ...] = (X.shape[1], int(hidden), Y.shape[1])
        bias = False
    else:
        setup = network_setup(X, Y, **settings)
        sizes, bias = setup.sizes, setup.spec["bias"]
    if start is not None:
        check_start(start, sizes, bias)


def check_restarts(restarts: object, **settings: Any) -> int:
    """How many restarts: a whole number >= 1, of trainings of at least one
    iteration (the best is the one with the lowest last cost), by an update
    rule (not BFGS)."""
    count = check_count("restarts", restarts, 1)
    s = network_settings(**settings)
    if s["optimizer"] == "bfgs":
        raise ValueError("restarts cannot be combined with optimizer 'bfgs' (yet)")
    check_count("iterations", s["iterations"], 1)
    return count


def train_restarts(
    X: Matrix,
    Y: Matrix,
    *,
    restarts: int = 10,
    test_fraction: float | None = None,
    starts: Mapping[str, NDArray[np.float64]] | None = None,
    progress: Progress | None = None,
    updated: Updated | None = None,
    **settings: Any,
) -> Result:
    """ "Gradient descent can often get stuck in flat-ish regions, so we may need to
    try different starting locations": ``restarts`` trainings from as many
    starting points of one stream.

    ``set.seed(seed)`` once; restart k draws its starting parameters
    (``init_network``) after restart k - 1's, so restart 1 is the single run
    with that seed. R trains them one after another with ``fit``; here they
    are trained together by ``train_network``'s own loop (``train_loop``), every
    parameter with a leading restart axis (K, n_in, n_out). With ``test_fraction``
    the split is the single run's, drawn first, and the starting points follow
    it; with mini-batches every restart draws the single run's shuffles (each
    of R's fits sets the seed again), so the restarts differ only in where
    they start, and one batch of rows serves them all. Each restart's numbers
    equal its own run's to a few ulps (a test holds them). The result is the
    best restart's (the lowest last training cost, the first of ties), with
    ``test_rows`` and ``test_cost`` after a split, then ``best`` (its number),
    ``cost_histories`` (iterations x K) and, for each parameter P,
    ``P_starts``: every restart's starting P (K x n_in x n_out). ``starts``, if
    given, replaces the draws: such arrays, named P. A restart that fails
    fails the whole as R's loop would: the first one, by number, with
    "restart k: " before its error.
    """
    K = check_restarts(restarts, **settings)
    s: Mapping[str, Any] = network_settings(**settings)
    X, Y = check_network_data(X, Y)
    sizes = (X.shape[1], *check_hidden(s["hidden"]), Y.shape[1])
    rng = set_seed(check_seed(s["seed"]))
    if test_fraction is not None:  # the weights come after the split
        test_rows, rng = split_rows(X.shape[0], test_fraction, s["seed"])
    drawn = [init_network(sizes, s["init"], rng, s["bias"]) for _ in range(K)]
    if starts is not None:
        drawn = [{name: np.asarray(P)[k] for name, P in starts.items()} for k in range(K)]
    with _in_restart(1):  # every check fit makes, in its words, as R's first restart
        check_fit(X, Y, test_fraction=test_fraction, start=drawn[0], **settings)
    every_X, every_Y = X, Y
    if test_fraction is not None:  # as each restart's fit: train on the other rows
        rows = np.setdiff1d(np.arange(1, X.shape[0] + 1), test_rows) - 1
        X, Y = X[rows, :], Y[rows, :]
    setup = network_setup(X, Y, **settings)
    s = setup.spec
    stacked = {name: np.stack([d[name] for d in drawn]).view(type(X)) for name in drawn[0]}
    iterations, step, batch_size = int(s["iterations"]), s["step"], s["batch_size"]
    shuffles = None
    if batch_size is not None:  # as each restart's fit: set.seed(seed), a draw, then shuffles
        shuffles = (
            set_seed(s["seed"])
            if test_fraction is None
            else split_rows(every_X.shape[0], test_fraction, s["seed"])[1]
        )
        init_network(sizes, s["init"], shuffles, s["bias"])
    net = new_net(stacked, s["optimizer"])  # one leading restart axis: trained together
    trained = train_loop(X, Y, net, setup.acts, s, setup.hyper, shuffles, progress, updated)
    net, cost_histories = trained.net, trained.cost_history
    for k in range(K):  # R's loop stops at the first restart that fails
        with _in_restart(k + 1):
            bad = np.flatnonzero(~np.isfinite(cost_histories[:, k]))
            if bad.size:
                stop_if_diverged(float(cost_histories[bad[0], k]), int(bad[0]) + 1, step)
            params = [*net.weights, *(net.biases or ())]
            stop_if_weights_diverged([P[k] for P in params], iterations, step)
    best = int(np.argmin(cost_histories[-1]))  # the first of ties, as which.min
    result = network_result(
        [W[best] for W in net.weights],
        None if net.biases is None else [B[best] for B in net.biases],
        trained.Y_hat[best],
        cost_histories[:, best].copy(),
        drawn[best],
    )
    if trained.batch_order is not None:
        result["batch_order"] = trained.batch_order
    if test_fraction is not None:
        with np.errstate(over="ignore", invalid="ignore"):  # checked by check_held_out_cost
            tested = evaluate_network(
                result, every_X[test_rows - 1, :], every_Y[test_rows - 1, :], **settings
            )
        result = {**result, "test_rows": test_rows, "test_cost": np.array([tested.cost])}
    return {
        **result,
        "best": np.array([best + 1]),
        "cost_histories": cost_histories,
        **{f"{name}_starts": P for name, P in stacked.items()},
    }


@contextlib.contextmanager
def _in_restart(k: int) -> Iterator[None]:
    """An error of restart ``k`` says so first, as R's loop says it."""
    try:
        yield
    except ValueError as e:
        raise type(e)(f"restart {k}: {e}") from None


def predicted_class(Y_hat: Matrix) -> NDArray[np.int64]:
    """The class of each row of ``Y_hat`` (or of a one-hot or 0/1 ``Y``), as a 1-based
    index into the classes: the column of the largest value, the first of ties;
    for one column, 2 above 0.5, else 1."""
    if Y_hat.shape[1] == 1:
        return np.where(Y_hat[:, 0] > 0.5, 2, 1)
    return np.argmax(Y_hat, axis=1) + 1


def class_report(
    result: Result, X: Matrix, Y: Matrix, classes: list[str], **settings: Any
) -> dict[str, Any]:
    """How the trained network classifies the training rows and, after a split, the
    test rows: accuracy (the share right) and R's ``table(predicted, actual)`` as a
    (K, K) array of counts, predicted by row, every class in the order of ``classes``."""
    test_rows = result.get("test_rows")
    every_row = np.arange(1, X.shape[0] + 1)
    parts = {"train": every_row if test_rows is None else np.setdiff1d(every_row, test_rows)}
    if test_rows is not None:
        parts["test"] = test_rows
    report: dict[str, Any] = {"classes": classes}
    for part, rows in parts.items():
        Y_hat = evaluate_network(result, X[rows - 1, :], Y[rows - 1, :], **settings).Y_hat
        predicted = predicted_class(Y_hat)
        actual = predicted_class(Y[rows - 1, :])
        report[f"{part}_accuracy"] = np.array([np.sum(predicted == actual) / len(rows)])
        report[f"{part}_confusion"] = _confusion(predicted, actual, len(classes))
    return report


def _confusion(
    predicted: NDArray[np.int64], actual: NDArray[np.int64], n_classes: int
) -> NDArray[np.int64]:
    """R's ``table(predicted, actual)`` of class numbers 1 .. n_classes, every class."""
    confusion = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(confusion, (predicted - 1, actual - 1), 1)
    return confusion


# nnet's output units: "logistic" (its default), or linout, entropy or softmax.
NNET_OUTPUTS = ("logistic", "linout", "entropy", "softmax")


def nnet_matrices(wts: NDArray[np.float64], D: int, H: int, K: int) -> dict[str, Matrix]:
    """nnet's weight vector (by destination unit, bias first: b->h1, x1->h1, ...,
    b->o1, h1->o1, ...) as the lecture's W_1 (D x H), B_1 (1 x H), W_2 (H x K) and
    B_2 (1 x K), so that a reader can set them beside ``train_network``'s."""
    hidden = wts[: (D + 1) * H].reshape((D + 1, H), order="F")  # column h
    output = wts[(D + 1) * H : (D + 1) * H + (H + 1) * K].reshape((H + 1, K), order="F")
    return {"W_1": hidden[1:, :], "B_1": hidden[:1, :], "W_2": output[1:, :], "B_2": output[:1, :]}


def check_fit_nnet(
    X: Matrix,
    Y: Matrix,
    size: int,
    seed: int,
    rang: float,
    decay: float,
    maxit: int,
    output: str,
) -> None:
    """``fit_nnet``'s checks of its arguments, then those nnet itself makes of them and
    of the data (``backprop.nnet.check_nnet``), in their words, without fitting: the
    command makes them before R's own nnet runs."""
    check_name("output", output, NNET_OUTPUTS)
    check_count("size", size, 0)
    check_seed(seed)
    check_nonnegative("rang", rang)
    check_nonnegative("decay", decay)
    check_count("maxit", maxit, 0)
    check_nnet(X, Y, size, rang=rang, decay=decay, maxit=maxit, linout=output == "linout",
               entropy=output == "entropy", softmax=output == "softmax")  # fmt: skip


def fit_nnet(
    X: Matrix,
    Y: Matrix,
    *,
    size: int = 3,
    seed: int = 1,
    rang: float = 0.7,
    decay: float = 0.0,
    maxit: int = 100,
    output: str = "logistic",
    Wts: NDArray[np.float64] | None = None,
    trace: bool = False,
) -> dict[str, Any]:
    """R's ``nnet::nnet`` on ``X`` and ``Y`` through its twin, ``backprop.nnet``, as its
    users call it: ``set.seed(seed)``, then ``nnet(X, Y, size, ...)``, the starting
    weights ``runif(nwts, -rang, rang)`` (drawn here, as nnet would draw them, so
    that they can be returned), or ``Wts``. The fit: ``wts`` (nnet's order),
    ``value``, ``fitted_values``, ``convergence``, ``wts_init``, the weights as
    ``nnet_matrices``, and ``nnet``: the fit itself, a ``backprop.nnet.NnetFit``
    (R's nnet object), to ``predict`` new rows with. ``trace`` prints nnet's own lines."""
    check_fit_nnet(X, Y, size, seed, rang, decay, maxit, output)
    rng = set_seed(seed)
    nwts = (X.shape[1] + 1) * size + (size + 1) * Y.shape[1]
    if Wts is not None:
        wts_init = np.asarray(Wts, dtype=np.float64)
    elif rang > 0:
        wts_init = rng.runif(nwts, -rang, rang)
    else:
        wts_init = np.zeros(nwts)
    fit = nnet(X, Y, size, Wts=wts_init, decay=decay, maxit=maxit, linout=output == "linout",
               entropy=output == "entropy", softmax=output == "softmax", trace=trace)  # fmt: skip
    return {
        "wts": fit.wts,
        "value": np.array([fit.value]),
        "fitted_values": fit.fitted_values,
        "convergence": np.array([fit.convergence]),
        "wts_init": wts_init,
        **nnet_matrices(np.asarray(fit.wts), X.shape[1], size, Y.shape[1]),
        "nnet": fit,
    }


# fit_nnet's keyword arguments and their defaults: nnet's own (the command and the
# parity cases take them from here).
NNET_DEFAULTS = {
    p.name: p.default
    for p in inspect.signature(fit_nnet).parameters.values()
    if p.kind is p.KEYWORD_ONLY
}


def check_binary_labels(path: str | Path) -> None:
    """Binary cross-entropy chose the 0/1 encoding by itself: numbers other than 0 and 1
    in the target column are probabilities or scores, not two class labels, and are
    not silently relabelled (``target="binary"`` asks for that)."""
    classes = read_classes(path)
    if not np.any(np.isnan(parse_numbers(classes))) and not set(classes) <= {"0", "1"}:
        raise ValueError(
            f"{path}: the target column holds numbers ({describe_classes(classes)}), not two "
            "class labels; binary cross-entropy would relabel them 0 and 1: ask for that "
            "with the target encoding 'binary'"
        )


def load_file(path: str | Path, target: str = "auto", **settings: Any) -> tuple[Matrix, Matrix]:
    """The CSV at ``path`` read, its target encoded as ``choose_target`` says, and
    scaled: ``load_scaled``'s ``X``, ``Y``, for training or the gradient check."""
    encoding = choose_target(target, **settings)
    if target == "auto" and encoding == "binary":
        check_binary_labels(path)
    return load_scaled(path, encoding)


def check_held_out_cost(result: Result) -> None:
    """A held-out cost that is not a finite number stops the run, in one line.

    Training never saw those rows, so its own checks cannot catch them: a
    target there far out of the training rows' range (1e200 among scores)
    makes their cost overflow.
    """
    if "test_cost" in result:
        cost = float(np.asarray(result["test_cost"]).ravel()[0])
        if not math.isfinite(cost):
            raise ValueError(
                f"the held-out cost is {_r_name(cost)}: the trained network's predictions on "
                "the held-out rows are too far from their targets for a double (a target or "
                "a feature there is far out of the training rows' range)"
            )


def fit_file(
    path: str | Path,
    target: str = "auto",
    *,
    test_fraction: float | None = None,
    restarts: int | None = None,
    start: Mapping[str, Matrix] | None = None,
    progress: Progress | None = None,
    updated: Updated | None = None,
    arithmetic: str = "numpy",
    **settings: Any,
) -> Fit:
    """The CSV at ``path`` read (``load_file``), then ``fit``: the trained network as a
    ``Fit``; for a class target the result adds ``class_report``. ``arithmetic="r"``
    runs it all on R's arithmetic (``backprop.rarith.RArray``: the same code, R's
    numbers to the last bit); R's ``fit_file`` has no such argument, since R's
    arithmetic is all it has."""
    X, Y = load_file(path, target, **settings)
    X, Y = on_arithmetic(X, arithmetic), on_arithmetic(Y, arithmetic)
    result = fit(
        X,
        Y,
        **settings,
        test_fraction=test_fraction,
        restarts=restarts,
        start=start,
        progress=progress,
        updated=updated,
    )
    check_held_out_cost(result)
    encoding = choose_target(target, **settings)
    classes = None
    if encoding != "numeric":
        classes = read_classes(path)
        result = {**result, **class_report(result, X, Y, classes, **settings)}
    return Fit(
        X=X,
        Y=Y,
        result=result,
        spec=network_spec(**settings),
        params={key: P for key, P in result.items() if re.fullmatch(r"[WB]_\d+", key)},
        cost_history=result["cost_history"],
        scale=feature_maxima(path, encoding),
        target=encoding,
        classes=classes,
    )


def feature_maxima(path: str | Path, target: str) -> Matrix:
    """The maximum of each feature column of the CSV at ``path``: what ``load_scaled``
    divides the features by (``scale_features``), kept so new rows can be scaled alike."""
    x = read_data(path)[0] if target == "numeric" else read_labeled(path)[0]
    return x.max(axis=0)


@dataclass(frozen=True, eq=False)
class Fit:
    """``fit_file``'s answer: a trained network that knows what it is and how it was made.

    ``X`` and ``Y`` are the file's rows as the network saw them (scaled, encoded;
    the held-out rows too), ``result`` the trainer's named list (its starting
    parameters, batch order, test rows, class report ...), ``spec`` every setting
    (``network_spec``), ``params`` the final W_1 .. and B_1 .., ``scale`` the
    features' column maxima, ``target`` the encoding and ``classes`` the class
    names (None for a numeric target). R's twin is the S3 class ``backprop_fit``,
    with ``predict``, ``evaluate``, ``print`` and ``summary`` methods."""

    X: Matrix
    Y: Matrix
    result: Result
    spec: Spec
    params: dict[str, Matrix]
    cost_history: NDArray[np.float64]
    scale: Matrix
    target: str
    classes: list[str] | None

    def predict(self, rows: object, type: str = "raw") -> NDArray[Any]:  # noqa: A002
        """The network's outputs for ``rows``, feature rows as they stand in the file
        (scaled here as the file was): (M, K), on the final parameters. ``type="class"``:
        each row's class name (``predicted_class``), for a class target."""
        check_name("type", type, ("raw", "class"))
        X = self.scaled(rows)
        Y_hat = network_output(self.params, X, **self.spec)
        if type == "raw":
            return Y_hat
        if self.classes is None:
            raise ValueError('type "class" needs a class target; this network has a numeric one')
        return np.array(self.classes)[predicted_class(Y_hat) - 1]

    def evaluate(self, rows: object, targets: object) -> dict[str, Any]:
        """The network on ``rows`` (as ``predict`` takes them) against ``targets`` as they
        stand in the file's target column (scores, or class names): its ``cost`` and,
        for a class target, ``accuracy`` and ``confusion`` (``class_report``'s)."""
        X = self.scaled(rows)
        Y = encode_targets(targets, self.target, self.classes).view(type(self.X))
        tested = evaluate_network(self.params, X, Y, **self.spec)
        answer: dict[str, Any] = {"cost": tested.cost}
        if self.classes is not None:
            predicted, actual = predicted_class(tested.Y_hat), predicted_class(Y)
            answer["accuracy"] = float(np.sum(predicted == actual) / len(actual))
            answer["confusion"] = _confusion(predicted, actual, len(self.classes))
        return answer

    def scaled(self, rows: object) -> Matrix:
        """``rows`` scaled as the file's were (``scale_rows``), on X's arithmetic."""
        return scale_rows(rows, self.scale).view(type(self.X))

    def __str__(self) -> str:
        """The fit in a few lines, as R's ``print()`` of it prints them."""
        return fit_text(self.spec, self.params, self.result, self.X.shape[0], self.classes)

    def summary(self) -> str:
        """The printed form, then every final parameter as R prints a matrix."""
        weights = [f"${name}\n{format_matrix(P)}" for name, P in self.params.items()]
        return "\n\n".join([str(self), *weights])

    def to_json(self) -> str:
        """The result as the command's ``--json`` prints it (``result_json``)."""
        return result_json(self.result)

    def report(self) -> str:
        """The result as the command prints it (``result_text``): R's printout."""
        return result_text(self.result, self.Y)


def _identical(a: object, b: object) -> bool:
    """R's ``identical`` for the settings' scalars: the same type of value and equal."""
    return type(a) is type(b) and a == b


def scale_rows(rows: object, scale: Matrix) -> Matrix:
    """Feature rows as a file holds them (a matrix; one row may be a vector), each
    column divided by ``scale``, the file's column maxima, as ``scale_features``
    divided the file's; a clear ValueError for anything else."""
    X = np.array(rows, ndmin=2) if not isinstance(rows, str | bytes) else np.empty(0)
    if not is_numeric_matrix(X) or X.shape[1] != np.size(scale) or not len(X):
        raise ValueError(
            f"rows must be a numeric matrix with {np.size(scale)} columns (the features); "
            f"got {describe(rows)}"
        )
    X = X.astype(np.float64)
    if not np.all(np.isfinite(X)):
        raise ValueError("rows must hold only finite numbers")
    return X / scale


def encode_targets(targets: object, target: str, classes: list[str] | None) -> Matrix:
    """Targets as a file's target column holds them (scores, or class names), encoded as
    ``load_scaled`` encodes that column (``target``; ``classes`` in their order)."""
    values = np.ravel(np.asarray(targets, dtype=object))
    if classes is None:
        if not all(is_number(v) for v in values):
            raise ValueError(f"targets must be numbers (scores); got {describe(targets)}")
        return scale_target(values.astype(np.float64).reshape(-1, 1))
    labels = [str(v) for v in values]
    unknown = [label for label in labels if label not in classes]
    if unknown:
        raise ValueError(
            f"targets must be class names of the file ({describe_classes(classes)}); "
            f"got {describe(unknown[0])}"
        )
    encode = encode_onehot if target == "onehot" else encode_binary
    return encode(labels, classes)


def fit_text(
    spec: Mapping[str, Any],
    params: Mapping[str, Matrix],
    result: Result,
    n_rows: int,
    classes: list[str] | None,
) -> str:
    """A fit in a few lines (R's ``print()`` of a ``backprop_fit``): the network, how it
    was trained, its final cost and what the run added. Numbers as C's ``%.7g``."""
    sizes = [np.shape(params["W_1"])[0], *(np.shape(P)[1] for k, P in params.items() if "W" in k)]
    weights = sum(np.size(P) for name, P in params.items() if name.startswith("W"))
    biases = sum(np.size(P) for name, P in params.items() if name.startswith("B"))
    lines = [
        f"a {'-'.join(str(n) for n in sizes)} network with {weights} weights"
        + (f" and {biases} biases" if biases else ""),
        f"{spec['activation']} hidden units, {spec['output_activation']} output, "
        f"loss {spec['loss']}, starting weights {spec['init']}",
    ]
    test_rows = result.get("test_rows")
    trained = n_rows - (0 if test_rows is None else np.size(test_rows))
    costs = np.asarray(result["cost_history"])
    how = f"trained on {trained} rows by {spec['optimizer']}"
    if spec["optimizer"] == "bfgs":
        done = "converged" if np.asarray(result["convergence"]).item() == 0 else "maxit reached"
        how += f": {costs.size} evaluations of the cost ({done})"
    else:
        how += f" (step {spec['step']:.7g}): {costs.size} iterations"
        if spec["batch_size"] is not None:
            how += f" of batches of {spec['batch_size']}"
    if spec["decay"] != 0:
        how += f", weight decay {spec['decay']:.7g}"
    lines.append(how)
    final = f"final cost {costs[-1]:.7g}" if costs.size else "no iterations"
    if "cost_histories" in result:
        restarts = np.shape(result["cost_histories"])[1]
        final += f", the best of {restarts} restarts (restart {np.asarray(result['best']).item()})"
    lines.append(final)
    if test_rows is not None:
        cost = np.asarray(result["test_cost"]).item()
        lines.append(f"held out {np.size(test_rows)} rows: their cost {cost:.7g}")
    if classes is not None:
        accuracy = f"accuracy {np.asarray(result['train_accuracy']).item():.7g} (training rows)"
        if "test_accuracy" in result:
            accuracy += f", {np.asarray(result['test_accuracy']).item():.7g} (held-out rows)"
        lines.append(f"classes {', '.join(classes)}; {accuracy}")
    return "\n".join(lines)


SCALARS = ("test_cost", "train_accuracy", "test_accuracy", "best", "convergence")  # length 1


def result_json(result: Result) -> str:
    """A trainer's result as the command's JSON: the arrays as lists (``json_order``), a
    restart's each in ``restarts``. Floats as Python's repr: the shortest text that
    reads back to the same double.

    Never NaN or Infinity, which are not JSON: a non-finite number is a ValueError.
    """
    values = {
        key: np.asarray(value).item() if key in SCALARS else np.asarray(value).tolist()
        for key, value in json_order(result)
        if key != "cost_histories" and not key.endswith("_starts")
    }
    if "cost_histories" in result:  # restart by restart: its last cost and starting point
        starts = {key.removesuffix("_starts"): P for key, P in result.items() if "_starts" in key}
        values["restarts"] = [
            {
                "final_cost": float(final_cost),
                **{f"{name}_init": np.asarray(P)[k].tolist() for name, P in starts.items()},
            }
            for k, final_cost in enumerate(np.asarray(result["cost_histories"])[-1])
        ]
    return json.dumps(values, allow_nan=False)


def json_order(result: Result) -> list[tuple[str, Any]]:
    """Weights, biases, Y_hat, initial values, the cost history, then what the
    run adds, in the result's order (batch_order, test_rows, test_cost, classes,
    accuracy and confusion; best and the restarts')."""
    final = [key for key in result if re.fullmatch(r"[WB]_\d+", key)]
    initial = [key for key in result if re.fullmatch(r"[WB]_\d+_init", key)]
    keys = [*sorted(final, key=_layer_order), "Y_hat", *sorted(initial, key=_layer_order)]
    keys.append("cost_history")
    return [(key, result[key]) for key in [*keys, *(k for k in result if k not in keys)]]


def _layer_order(key: str) -> tuple[int, bool]:
    return int(key.split("_")[1]), key.startswith("B")  # W_k, then B_k


def result_text(result: Result, Y: Matrix) -> str:
    """A trainer's result as the command prints it: what R prints for the same objects
    (the parameters, ``Y_hat`` next to ``Y``, the final cost, and what the run adds)."""
    weights = [(key, value) for key, value in json_order(result) if re.fullmatch(r"[WB]_\d+", key)]
    parts = [f"${key}\n{format_matrix(value)}" for key, value in weights]
    if "test_rows" in result:  # Y_hat is the training rows'
        Y = np.delete(Y, np.asarray(result["test_rows"]) - 1, axis=0)
    fitted = np.hstack([result["Y_hat"], Y])
    names = (
        ["Y_hat", "Y"]
        if Y.shape[1] == 1
        else [
            *(f"Y_hat[{j + 1}]" for j in range(Y.shape[1])),
            *(f"Y[{j + 1}]" for j in range(Y.shape[1])),
        ]
    )
    parts.append(f"$Y_hat next to Y\n{format_matrix(fitted, colnames=names)}")
    parts.append(f"$final_cost\n{format_vector(result['cost_history'][-1:])}")
    if "cost_histories" in result:  # the best restart's weights above; every one's cost
        parts.append(f"$best\n{format_vector(result['best'])}")
        final_costs = np.sort(np.asarray(result["cost_histories"])[-1])
        parts.append(f"$`sort(final_costs)`\n{format_vector(final_costs)}")
    for key in ("test_rows", "test_cost", "train_accuracy", "test_accuracy"):
        if key in result:
            parts.append(f"${key}\n{format_vector(result[key])}")
    classes = [str(name) for name in result.get("classes", ())]
    for key in ("train_confusion", "test_confusion"):
        if key in result:
            table = format_table(result[key], classes, ("predicted", "actual"))
            parts.append(f"${key}\n{table}")
    return "\n\n".join(parts)
