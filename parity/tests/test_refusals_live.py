"""Both languages refuse the same bad arguments with the same message.

Each call is made in Python and, through rpy2, in R; both must stop, and the
messages must agree up to how each language writes the value it got (R's
deparse, Python's repr) and its booleans.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from backprop.data import load_scaled
from backprop.fit import fit
from backprop.gradcheck import gradient_check
from backprop.model import train_network
from backprop.network import train
from backprop.r_engine import RError, RSession
from backprop.resources import LECTURE_DATA

X, Y = load_scaled(LECTURE_DATA)  # (3, 2), (3, 1)
FUNCTIONS = {"train": train, "train_network": train_network, "fit": fit,
             "gradient_check": gradient_check}  # fmt: skip
W = {"W_1": np.ones((2, 3)), "W_2": np.ones((3, 1))}

BAD: list[tuple[str, dict[str, Any]]] = [
    ("train", {"hidden": 0}),
    ("train", {"hidden": 2.5}),
    ("train", {"seed": 2**31}),
    ("train", {"seed": 1.5}),
    ("train", {"iterations": -1}),
    ("train", {"step": 0.0}),
    ("train", {"step": float("nan")}),
    ("train", {"Y": np.ones((3, 2))}),
    ("train", {"X": np.array([[np.nan, 1.0], [1.0, 1.0], [1.0, 1.0]])}),
    ("train", {"start": {"W_1": W["W_1"]}}),
    ("train", {"start": {**W, "W_1": np.ones((3, 2))}}),
    ("train", {"start": {**W, "W_2": np.full((3, 1), np.inf)}}),
    ("train_network", {"hidden": 0}),
    ("train_network", {"hidden": (3, 0)}),
    ("train_network", {"activation": "softmax"}),
    ("train_network", {"activation": "step"}),
    ("train_network", {"output_activation": "step"}),
    ("train_network", {"activation": "swish"}),
    ("train_network", {"output_activation": "softmax"}),
    ("train_network", {"loss": "l1"}),
    ("train_network", {"loss": "cross_entropy", "output_activation": "linear"}),
    ("train_network", {"loss": "binary_cross_entropy", "Y": np.array([[0.5], [1.5], [0.0]])}),
    ("train_network", {"init": "glorot"}),
    ("train_network", {"optimizer": "sgd"}),
    ("train_network", {"alpha": -1.0}),
    ("train_network", {"beta": 1.0}),
    ("train_network", {"rho": 0.0}),
    ("train_network", {"beta1": 1.5}),
    ("train_network", {"beta2": 1.0}),
    ("train_network", {"eps": 0.0}),
    ("train_network", {"bias": True, "start": W}),
    ("fit", {"hiden": 3}),
    ("fit", {"hidden": (4, 3), "start": W}),
    ("gradient_check", {"activation": "step"}),
    ("gradient_check", {"h": 0.0}),
    ("gradient_check", {"learning_rate": 0.1}),
]


@pytest.mark.parametrize(("function", "bad"), BAD, ids=[f"{f}-{','.join(b)}" for f, b in BAD])
def test_r_and_python_refuse_alike(r_session: RSession, function: str, bad: dict[str, Any]) -> None:
    kwargs = {"iterations": 1, **bad} if function != "gradient_check" else dict(bad)
    data_X, data_Y = kwargs.pop("X", X), kwargs.pop("Y", Y)
    with pytest.raises(ValueError) as py_error:
        FUNCTIONS[function](data_X, data_Y, **kwargs)
    with pytest.raises(RError) as r_error:
        r_session.call(function, data_X, data_Y, **kwargs)
    shared = str(py_error.value).split("; got")[0].split("; Y has")[0].split("; row")[0]
    shared = shared.replace("True or False", "TRUE or FALSE").replace("='", " = '")
    assert shared in str(r_error.value)
