"""The Python port of the lecture, without R: the slides' printed numbers."""

import numpy as np
import pytest

from backprop import network
from backprop.fast import train_fast
from backprop.network import DivergedError, train

# What the slides print (7 significant digits).
SLIDES_W_1 = [[2.1169800, 1.6157951, -1.4547416], [-0.7233191, 0.4304933, -0.6199876]]
SLIDES_W_2 = [[2.431735], [1.227946], [-3.645386]]
SLIDES_Y_HAT = [[0.7499998], [0.8200548], [0.9298944]]


def test_all_ones_cost_is_the_slides(lecture):
    X, Y = lecture
    fwd = network.forward(X, np.ones((2, 3)), np.ones((3, 1)))
    assert f"{network.cost(Y, fwd.Y_hat):.7g}" == "0.01532851"


def test_training_reproduces_the_slides(lecture):
    result = train(*lecture)
    np.testing.assert_allclose(result["W_1"], SLIDES_W_1, atol=5e-8)
    np.testing.assert_allclose(result["W_2"], SLIDES_W_2, atol=5e-7)
    np.testing.assert_allclose(result["Y_hat"], SLIDES_Y_HAT, atol=5e-8)
    assert result["cost_history"].shape == (10000,)
    assert np.all(np.diff(result["cost_history"]) <= 0)  # step 5 descends monotonically here


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"hidden": 1, "seed": 0},
        {"hidden": 8, "seed": -7, "step": 0.5},
        {"iterations": 0},
        {"start": {"W_1": np.full((2, 3), 0.5), "W_2": np.full((3, 1), -0.25)}},
    ],
)
def test_train_fast_is_train_bit_for_bit(lecture, settings):
    """The fused loop of backprop.fast against the twin: every double the same."""
    settings = {"iterations": 2000, **settings}
    fast, twin = train_fast(*lecture, **settings), train(*lecture, **settings)
    assert list(fast) == list(twin)
    for key in twin:
        assert fast[key].tobytes() == twin[key].tobytes(), key


def test_train_fast_refuses_what_train_refuses(lecture):
    for bad in ({"hidden": 0}, {"step": -1.0}, {"start": {"W_1": np.ones((2, 3))}}):
        with pytest.raises(ValueError) as fast:
            train_fast(*lecture, **bad)
        with pytest.raises(ValueError) as twin:
            train(*lecture, **bad)
        assert str(fast.value) == str(twin.value)


def test_start_is_honoured_and_draws_nothing(lecture):
    """Given start, nothing is drawn: the seed plays no part and *_init are start's matrices."""
    drawn = train(*lecture, iterations=50)
    start = {"W_1": drawn["W_1_init"], "W_2": drawn["W_2_init"]}
    for seed in (1, 99):
        rerun = train(*lecture, iterations=50, seed=seed, start=start)
        assert all(np.array_equal(rerun[key], drawn[key]) for key in drawn)
    other = {"W_1": np.zeros((2, 3)), "W_2": np.ones((3, 1))}
    result = train(*lecture, iterations=1, start=other)
    assert np.array_equal(result["W_1_init"], other["W_1"])
    assert not np.shares_memory(result["W_1_init"], other["W_1"])  # a copy: no aliasing
    assert np.array_equal(result["Y_hat"], network.forward(lecture[0], *other.values()).Y_hat)


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ({"W_1": np.ones((2, 3))}, r"start must hold exactly W_1, W_2; got \['W_1'\]"),
        ({"W_1": np.ones((2, 3)), "W_2": np.ones((3, 1)), "B_1": np.ones((1, 3))}, "exactly"),
        ({"W_1": np.ones((3, 2)), "W_2": np.ones((3, 1))}, r"W_1 of start must be a \(2, 3\)"),
        ({"W_1": np.ones((2, 3)), "W_2": np.array([[1.0], [np.nan], [1.0]])}, "W_2 of start"),
        ({"W_1": np.ones((2, 3), dtype=bool), "W_2": np.ones((3, 1))}, "W_1 of start"),
        ([np.ones((2, 3)), np.ones((3, 1))], "start must hold exactly W_1, W_2"),
    ],
)
def test_a_bad_start_is_refused(lecture, start, message):
    with pytest.raises(ValueError, match=message):
        train(*lecture, start=start)


def test_initial_weights_are_rs_runif_by_column(lecture):
    result = train(*lecture, iterations=0)
    assert list(result) == ["W_1", "W_2", "Y_hat", "cost_history", "W_1_init", "W_2_init"]
    # set.seed(1); runif(9) in R, printed with digits = 17
    runif_9 = [0.26550866314209998, 0.37212389963679016, 0.57285336335189641,
               0.90820778999477625, 0.20168193103745580, 0.89838968496769667,
               0.94467526860535145, 0.66079779248684645, 0.62911404389888048]  # fmt: skip
    assert result["W_1_init"].tolist() == [[runif_9[0], runif_9[2], runif_9[4]],
                                           [runif_9[1], runif_9[3], runif_9[5]]]  # fmt: skip
    assert result["W_2_init"].ravel().tolist() == runif_9[6:]


def test_result_does_not_alias_initial_weights(lecture):
    result = train(*lecture, iterations=5)
    assert not np.shares_memory(result["W_1"], result["W_1_init"])


def test_whole_numbers_may_be_written_as_floats_as_in_r(lecture):
    """R's 3 is a double; 3.0 is as whole as 3 here too."""
    floats = train(*lecture, hidden=3.0, seed=1.0, iterations=20.0)
    ints = train(*lecture, hidden=3, seed=1, iterations=20)
    assert all(np.array_equal(floats[key], ints[key]) for key in ints)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"hidden": 0}, "hidden must be a whole number >= 1; got 0"),
        ({"hidden": 2.5}, "hidden must be a whole number >= 1; got 2.5"),
        ({"iterations": -1}, "iterations must be a whole number >= 0; got -1"),
        ({"step": float("nan")}, "step must be a finite number > 0; got nan"),
        ({"step": 0.0}, "step must be a finite number > 0; got 0.0"),
        ({"seed": 2**31}, "seed must be in [-2147483647, 2147483647]; got 2147483648"),
        ({"seed": -(2**31)}, "seed must be in"),
    ],
)
def test_bad_settings_are_refused(lecture, settings, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        train(*lecture, **settings)


@pytest.mark.parametrize(
    ("X", "Y", "message"),
    [
        (np.ones((3, 2)), np.ones((3, 2)), r"Y must be a \(3, 1\) matrix"),
        (np.ones((3, 2)), np.ones((2, 1)), r"Y must be a \(3, 1\) matrix"),
        (np.ones(3), np.ones((3, 1)), "must be numeric matrices"),
        (np.ones((3, 2), dtype=bool), np.ones((3, 1)), "must be numeric matrices"),
        (np.array([[1.0, np.nan]]), np.ones((1, 1)), "finite"),
    ],
)
def test_bad_arrays_are_refused(X, Y, message):
    with pytest.raises(ValueError, match=message):
        train(X, Y)


def test_a_diverging_step_names_the_iteration():
    X = np.array([[0.5, 1.0], [1.0, 0.5]])
    Y = np.array([[0.01], [0.02]])
    with pytest.raises(DivergedError, match=r"iteration 3: the cost is NaN; try a step smaller"):
        train(X, Y, step=1e5)


def test_sigmoid_prime_is_nan_far_left_as_on_the_slides():
    with np.errstate(over="ignore", invalid="ignore"):
        assert np.isnan(network.sigmoid_prime(np.array([-800.0])))[0]
    assert network.sigmoid_prime(np.array([0.0]))[0] == 0.25
