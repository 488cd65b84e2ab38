"""The student's side of ``python -m parity grade``: their code runs here, never in the grader.

``python -m parity.grade_worker REQUEST RESULT`` loads the student's file (a
module, or a notebook's code cells), calls one of the lecture's functions on
each of the grader's inputs, and writes what came back, as plain float arrays
named as R names them, as JSON on its stdout (never a pickle: the grader must not
run what a student's process wrote). The grader starts it as a
subprocess with a time, memory and output limit (``parity.grade``), so an
endless loop, a huge allocation or megabytes of printing stop here.

Inside the graded function, the student's calls to the *other* lecture
functions go to correct twins (``SUBSTITUTES``, R's numbers to a few ulps):
each grade is of that function's own lines, and one mistake does not cascade.
The same ``call_all`` serves the notebook magic in-process.

This module imports only numpy and the standard library: it is loaded before
the student's code, in a process that should start fast.
"""

from __future__ import annotations

import copy
import errno
import inspect
import json
import os
import pickle
import sys
import time
import traceback
import types
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

# The lecture's functions, in its order: R's argument names and result names.
PARAMS: dict[str, tuple[str, ...]] = {
    "sigmoid": ("Z",),
    "sigmoid_prime": ("Z",),
    "cost": ("Y", "Y_hat"),
    "scale_features": ("x",),
    "scale_target": ("y",),
    "init_weights": ("input_size", "hidden_size", "output_size", "seed"),
    "forward": ("X", "W_1", "W_2"),
    "backprop": ("X", "Y", "W_2", "fwd"),
    "train": ("X", "Y", "hidden", "seed", "iterations", "step"),
}
RESULTS: dict[str, tuple[str, ...]] = {  # () : one value, not a named list
    "sigmoid": (),
    "sigmoid_prime": (),
    "cost": (),
    "scale_features": (),
    "scale_target": (),
    "init_weights": ("W_1", "W_2"),
    "forward": ("Z_2", "A_2", "Z_3", "Y_hat"),
    "backprop": ("dJ_dW_1", "dJ_dW_2"),
    "train": ("W_1", "W_2", "Y_hat", "cost_history"),
}
OPTIONAL: dict[str, tuple[str, ...]] = {"train": ("W_1_init", "W_2_init")}  # graded if given
VALUE = "value"  # the key of a function's one value
PRINTED_TOO_MUCH = "printed too much (more than the grader's output limit)"
MAGICS = ("%", "!")  # IPython's lines, not Python: skipped when a notebook is read


class Named(dict[str, Any]):
    """A named result every port can read: ``r["Y_hat"]``, ``r.Y_hat``, ``r[3]``, or
    ``Z_2, A_2, Z_3, Y_hat = r`` (unpacking gives the values, in R's order)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, int):
            return list(self.values())[key]
        return super().__getitem__(key)

    def __iter__(self) -> Any:
        return iter(list(self.values()))

    def __reduce__(self) -> Any:  # pickle and deepcopy: by the items, not by iteration
        return (Named, (list(self.items()),))


# ------------------------------------------------------------ the correct twins


def _m(x: Any) -> np.ndarray[Any, Any]:
    return np.asarray(x, dtype=np.float64)


def _get(obj: Any, name: str, index: int) -> Any:
    if isinstance(obj, Mapping):
        return obj[name]
    if hasattr(obj, name):
        return getattr(obj, name)
    return obj[index]


def _sigmoid(Z: Any) -> Any:
    return 1 / (1 + np.exp(-_m(Z)))


def _sigmoid_prime(Z: Any) -> Any:
    Z = _m(Z)
    return np.exp(-Z) / (1 + np.exp(-Z)) ** 2


def _cost(Y: Any, Y_hat: Any) -> float:
    return float(0.5 * np.sum((_m(Y) - _m(Y_hat)) ** 2))


def _scale_features(x: Any) -> Any:
    x = _m(x)
    return x / x.max(axis=0)


def _scale_target(y: Any) -> Any:
    return _m(y) / 100


def _init_weights(input_size: int, hidden_size: int, output_size: int, seed: int) -> Named:
    from backprop.network import init_weights  # R's generator, bit for bit

    return Named(init_weights(int(input_size), int(hidden_size), int(output_size), int(seed)))


def _forward(X: Any, W_1: Any, W_2: Any) -> Named:
    Z_2 = _m(X) @ _m(W_1)
    A_2 = _sigmoid(Z_2)
    Z_3 = A_2 @ _m(W_2)
    return Named(Z_2=Z_2, A_2=A_2, Z_3=Z_3, Y_hat=_sigmoid(Z_3))


def _backprop(X: Any, Y: Any, W_2: Any, fwd: Any) -> Named:
    Z_2, A_2, Z_3, Y_hat = (_m(_get(fwd, q, i)) for i, q in enumerate(RESULTS["forward"]))
    delta_3 = -(_m(Y) - Y_hat) * _sigmoid_prime(Z_3)
    dJ_dW_2 = A_2.T @ delta_3
    delta_2 = delta_3 @ _m(W_2).T * _sigmoid_prime(Z_2)
    return Named(dJ_dW_1=_m(X).T @ delta_2, dJ_dW_2=dJ_dW_2)


SUBSTITUTES: dict[str, Callable[..., Any]] = {
    "sigmoid": _sigmoid,
    "sigmoid_prime": _sigmoid_prime,
    "cost": _cost,
    "scale_features": _scale_features,
    "scale_target": _scale_target,
    "init_weights": _init_weights,
    "forward": _forward,
    "backprop": _backprop,
}


# ------------------------------------------------------------ the student's file


def notebook_source(path: Path) -> str:
    """A notebook's code cells as one module, IPython's ``%`` and ``!`` lines left out.

    ValueError when the file is not a notebook (not JSON, no cells)."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = notebook["cells"]
        sources = [c["source"] for c in cells if c.get("cell_type") == "code"]
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise ValueError(f"{path.name} is not a Jupyter notebook ({e})") from None
    lines = []
    for source in sources:
        text = "".join(source) if isinstance(source, list) else str(source)
        lines += [
            "pass  # IPython" if line.lstrip().startswith(MAGICS) else line
            for line in text.splitlines()
        ]
        lines.append("")
    return "\n".join(lines)


def load(path: Path) -> dict[str, Any]:
    """The student's module run as ``student``, its folder first on ``sys.path``."""
    sys.path.insert(0, str(path.parent))
    if path.suffix == ".ipynb":
        source = notebook_source(path)
    else:
        source = path.read_text(encoding="utf-8")
    module = types.ModuleType("student")
    module.__file__ = str(path)
    sys.modules["student"] = module
    exec(compile(source, str(path), "exec"), module.__dict__)
    return module.__dict__


def defined(namespace: Mapping[str, Any]) -> list[str]:
    """The lecture's functions the student's code defines (callables of those names)."""
    return [name for name in PARAMS if callable(namespace.get(name))]


# ------------------------------------------------------------ one function's calls


def call_all(
    namespace: dict[str, Any], name: str, calls: list[tuple[Any, ...]], student_file: str
) -> dict[str, Any]:
    """Call ``namespace[name]`` on each argument tuple, with the other lecture functions
    in ``namespace`` swapped for their twins while it runs (put back after).

    Returns {"signature": error or None, "outcomes": [{"values"} | {"error"} |
    {"unreadable"}, ...]} (unreadable: what came back holds no numbers by R's names):
    values are float arrays by R's names (VALUE for one value), with "mutated"
    naming any argument the call changed in place.
    """
    function = namespace[name]
    how, problem = _how_to_call(function, name)
    if problem:
        return {"signature": problem, "outcomes": []}
    saved = {n: namespace[n] for n in SUBSTITUTES if n != name and n in namespace}
    namespace.update({n: SUBSTITUTES[n] for n in saved})
    try:
        outcomes = [_call_one(function, name, args, how, student_file) for args in calls]
    finally:
        namespace.update(saved)
    return {"signature": None, "outcomes": outcomes}


def _how_to_call(function: Callable[..., Any], name: str) -> tuple[str, str | None]:
    """How to call it: "positional" (R's order) or "keywords" (R's names); or, for a
    wrong signature, an empty way and the words that say so."""
    params = PARAMS[name]
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return "positional", None  # a builtin or C function: try it
    try:
        signature.bind(*params)
        return "positional", None
    except TypeError:
        pass
    try:
        signature.bind(**dict.fromkeys(params))
        return "keywords", None
    except TypeError:
        contract = f"{name}({', '.join(params)})"
        return "", f"wrong signature: {name}{signature} where the lecture has {contract}"


def _call_one(
    function: Callable[..., Any], name: str, args: tuple[Any, ...], how: str, student_file: str
) -> dict[str, Any]:
    given = copy.deepcopy(args)
    kept = copy.deepcopy(args)
    start = time.perf_counter()
    try:
        if how == "keywords":
            result = function(**dict(zip(PARAMS[name], given, strict=True)))
        else:
            result = function(*given)
    except Exception as e:
        if isinstance(e, OSError) and e.errno == errno.EFBIG:
            return {"error": PRINTED_TOO_MUCH}
        return {"error": "raised " + describe_exception(e, student_file)}
    seconds = time.perf_counter() - start
    try:
        values = named_values(result, name)
    except ValueError as e:
        return {"unreadable": str(e)}  # a wrong answer (None, no names), not a crash
    outcome: dict[str, Any] = {"values": values, "seconds": seconds}
    mutated = [
        what
        for param, before, after in zip(PARAMS[name], kept, given, strict=True)
        for what in _changed(param, before, after)
    ]
    if mutated:
        outcome["mutated"] = mutated
    return outcome


def _changed(param: str, before: Any, after: Any) -> list[str]:
    """The argument's parts the call changed in place ("fwd's Y_hat", "X")."""
    if isinstance(before, Mapping):
        return [
            f"{param}'s {key}"
            for key in before.keys()
            if not np.array_equal(before[key], after[key], equal_nan=True)
        ]
    if isinstance(before, np.ndarray):
        return [] if np.array_equal(before, after, equal_nan=True) else [param]
    return []


def named_values(result: Any, name: str) -> dict[str, np.ndarray[Any, Any]]:
    """What a student returned, as float arrays by R's names; ValueError if unreadable.

    A named list's twin may be a dict, a named tuple, a dataclass or any object
    with those attributes, or a plain tuple in R's order; arrays may be numpy
    arrays or nested lists. A name it lacks is left out (the grader says so).
    """
    names = RESULTS[name]
    if not names:
        return {VALUE: _numbers(result, f"{name} returned")}
    found: dict[str, Any] = {}
    for key in (*names, *OPTIONAL.get(name, ())):
        if isinstance(result, Mapping) and key in result:
            found[key] = result[key]
        elif not isinstance(result, Mapping) and hasattr(result, key):
            found[key] = getattr(result, key)
    if not found and isinstance(result, tuple | list) and len(result) == len(names):
        found = dict(zip(names, result, strict=True))  # a plain tuple, in R's order
    if not found:
        raise ValueError(
            f"{name} returned {_kind(result)} without {', '.join(names)}: return them "
            "named as R names them (a dict, a named tuple, a dataclass)"
        )
    return {key: _numbers(value, f"{name}'s {key} is") for key, value in found.items()}


def _numbers(value: Any, what: str) -> np.ndarray[Any, Any]:
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{what} {_kind(value)}, not numbers") from None
    return array


def _kind(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of {value.dtype} {value.shape}"
    return f"a {type(value).__name__}"


def describe_exception(error: BaseException, student_file: str) -> str:
    """One line: the exception, and the student's line it came from."""
    words = " ".join(str(error).split())
    text = f"{type(error).__name__}: {words}" if words else type(error).__name__
    if isinstance(error, SyntaxError) and error.lineno:
        return f"{type(error).__name__}: {error.msg} (line {error.lineno})"
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == student_file]
    if frames:
        frame = frames[-1]
        line = f": {frame.line.strip()}" if frame.line else ""
        text += f" (line {frame.lineno}{line})"
    return text[:500]


# ------------------------------------------------------------ the subprocess


def main(argv: list[str]) -> int:
    """REQUEST (a pickle the grader wrote) in; the response, JSON (``encode``), on the
    stdout we were started with.

    The student's code prints into PRINTED (fd 1 and 2 point there), a file the
    grader caps by size: only that file fills up when it prints megabytes.
    """
    request_path, printed_path = argv
    with open(request_path, "rb") as f:
        request = pickle.load(f)
    channel = os.fdopen(os.dup(1), "wb")
    printed = os.open(printed_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(printed, 1)
    os.close(printed)
    path = Path(request["file"])
    response: dict[str, Any] = {"load_error": None, "defined": [], "result": None}
    try:
        namespace = load(path)
    except BaseException as e:  # noqa: B036 - the student's SystemExit too: reported
        response["load_error"] = _load_error(e, str(path))
    else:
        response["defined"] = defined(namespace)
        name = request["function"]
        if name in response["defined"]:
            response["result"] = call_all(namespace, name, request["calls"], str(path))
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - what the student left unflushed
    with channel:
        channel.write(json.dumps(encode(response)).encode())
    return 0


def encode(value: Any) -> Any:
    """Arrays as {"shape", "data"} (NaN and Inf as JSON's extensions), for ``decode``."""
    if isinstance(value, np.ndarray):
        return {"__array__": True, "shape": list(value.shape), "data": value.ravel().tolist()}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    return value


def decode(value: Any) -> Any:
    """``encode``'s inverse: float arrays back in their shapes."""
    if isinstance(value, dict):
        if value.get("__array__") is True:
            data = np.array(value["data"], dtype=np.float64)
            return data.reshape(tuple(int(n) for n in value["shape"]))
        return {str(k): decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def _load_error(error: BaseException, student_file: str) -> str:
    if isinstance(error, OSError) and error.errno == errno.EFBIG:
        return PRINTED_TOO_MUCH
    return describe_exception(error, student_file)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
