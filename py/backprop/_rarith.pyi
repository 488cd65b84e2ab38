"""Types of the compiled core py/backprop/_rarith.c (see its comments)."""

from typing import Any

def matprod(a: Any, b: Any, out: Any, /) -> bool: ...
def math1(x: Any, out: Any, which: int, /) -> None: ...
def rsum(x: Any, /) -> float | None: ...
def lecture_train(
    X: Any,
    Y: Any,
    W_1: Any,
    W_2: Any,
    step: float,
    first: int,
    count: int,
    cost_history: Any,
    Y_hat: Any,
    /,
) -> int: ...
