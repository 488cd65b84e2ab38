"""The input checks every module shares, one home each.

Twin of ``r/checks.R``: the same functions in the same order. What counts as
a number, a whole number, a count, a positive number, a seed and a name.
Each ``check_*`` raises ``ValueError("<what> must be ...; got <value>")``,
naming what was expected and what arrived; ``describe`` writes the value.
Where R's check returns nothing, the Python one returns the value as the
plain Python number the caller goes on with (``check_count`` an ``int``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, TypeGuard

import numpy as np
from numpy.typing import NDArray

INT_MAX = 2_147_483_647  # .Machine$integer.max; -2^31 is R's NA_integer_

Number = int | float | np.integer[Any] | np.floating[Any]
Matrix = NDArray[np.float64]  # the package's one name for a matrix of doubles


def is_number(x: object) -> TypeGuard[Number]:
    """One finite real number: a Python or numpy int or float, not a bool.

    R's ``is.numeric(TRUE)`` is FALSE; a bool is not a number here either.
    """
    return (
        isinstance(x, (int, float, np.integer, np.floating))
        and not isinstance(x, (bool, np.bool_))
        and math.isfinite(x)
    )


def is_whole(n: object) -> TypeGuard[Number]:
    """A finite number without a fractional part: 3 and 3.0 alike, as in R."""
    return is_number(n) and n == round(n)


def is_numeric_matrix(x: object) -> TypeGuard[NDArray[Any]]:
    """A 2-d array of real numbers (ints or floats; not bools, complex or text).

    R's ``is.matrix(x) && is.numeric(x)``.
    """
    return isinstance(x, np.ndarray) and x.ndim == 2 and x.dtype.kind in "iuf"


def describe(x: object) -> str:
    """How a value is written in an error message: Python's ``repr``."""
    return repr(x)


def check_count(what: str, n: object, minimum: int) -> int:
    """A whole number >= ``minimum`` that fits R's integers (hidden units, iterations,
    epochs: R counts them with ``seq_len``, which takes no more), as an int."""
    if not is_whole(n) or n < minimum:
        raise ValueError(f"{what} must be a whole number >= {minimum}; got {describe(n)}")
    if n > INT_MAX:
        raise ValueError(f"{what} must be at most {INT_MAX} (R's largest integer); got {n:.0f}")
    return int(n)


def check_positive(what: str, x: object) -> float:
    """A finite number > 0 (a step, a rate, a slope, an epsilon), as a float."""
    if not is_number(x) or x <= 0:
        raise ValueError(f"{what} must be a finite number > 0; got {describe(x)}")
    return float(x)


def check_nonnegative(what: str, x: object) -> float:
    """A finite number >= 0 (a penalty's weight; 0: none), as a float."""
    if not is_number(x) or x < 0:
        raise ValueError(f"{what} must be a finite number >= 0; got {describe(x)}")
    return float(x)


def check_rate(what: str, x: object) -> float:
    """A number in (0, 1), ends excluded (a decay rate), as a float."""
    if not is_number(x) or not 0 < x < 1:
        raise ValueError(f"{what} must be a number in (0, 1); got {describe(x)}")
    return float(x)


def check_seed(seed: object) -> int:
    """What R's ``set.seed`` accepts, as an int: a whole number in [-INT_MAX, INT_MAX]."""
    if not is_whole(seed):
        raise ValueError(f"seed must be a whole number; got {describe(seed)}")
    if abs(float(seed)) > INT_MAX:
        raise ValueError(f"seed must be in [-{INT_MAX}, {INT_MAX}]; got {seed:.0f}")
    return int(seed)


def check_name(what: str, name: object, valid: Sequence[str]) -> None:
    """Raise unless ``name`` is one of ``valid``: every lookup by name goes through here."""
    if not isinstance(name, str) or name not in valid:
        shown = f"'{name}'" if isinstance(name, str) else describe(name)
        choices = ", ".join(f"'{n}'" for n in valid)
        raise ValueError(f"{what} must be one of {choices}; got {shown}")
