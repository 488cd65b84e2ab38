"""The compiled trainers on R's arithmetic against live R, bit for bit: train_fast_r against
R's train(), train_restarts_fast against R's loop over the restarts. (The compiled core's
primitives meet live R through rarith in test_rarith_live.py, which calls them.)"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_bits_equal

from backprop.fast import train_fast_r, train_restarts_fast
from backprop.r_engine import RSession


@pytest.mark.parametrize(
    "settings",
    [{}, {"hidden": 5, "seed": 7, "step": 2.0, "iterations": 3000}],
    ids=["the-lecture", "hidden-5"],
)
def test_train_fast_r_is_r_s_train(r_session: RSession, lecture, settings) -> None:
    X, Y = lecture
    in_r = r_session.call("train", X, Y, **settings)
    fused = train_fast_r(X, Y, **settings)
    assert list(fused) == list(in_r)
    for name, value in in_r.items():
        assert_bits_equal(fused[name], value, name)


def test_train_fast_r_on_study_is_r_s_train(r_session: RSession, study) -> None:
    X, Y = study
    settings = {"hidden": 4, "seed": 3, "step": 0.5, "iterations": 2000}
    in_r = r_session.call("train", X, Y, **settings)
    fused = train_fast_r(X, Y, **settings)
    for name, value in in_r.items():
        assert_bits_equal(fused[name], value, name)


def test_train_restarts_fast_is_r_s_loop(r_session: RSession, lecture) -> None:
    X, Y = lecture
    settings = {"step": 4.0, "iterations": 1000, "seed": 2}
    in_r = r_session.call("train_restarts", X, Y, 6, **settings)
    fused = train_restarts_fast(X, Y, restarts=6, **settings)
    assert list(fused) == list(in_r)
    for name, value in in_r.items():
        assert_bits_equal(fused[name], np.asarray(value), name)
