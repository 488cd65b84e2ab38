"""``python -m parity grade FILE``: a student's port of the lecture's functions, graded against R.

FILE is a Python module or a notebook (``.ipynb``) whose code cells define
some of the lecture's nine functions (``sigmoid`` ... ``train``), with the R
functions' own contract (``parity.grade_worker.PARAMS``, ``RESULTS``). Each one
present is called, in a subprocess with a time, memory and output limit, on
the lecture's data and on drawn inputs (other shapes, seeds, step sizes), each
time with R's own inputs, and its results are compared with R's twin run live
through rpy2 (or, where R is absent, with ``backprop.network``, the twin that
parity holds to R: the grade says so). The comparison is the harness's
(``parity.compare``: rtol 1e-10, atol 1e-15, the ulps shown; on an
ill-conditioned input, the one-ulp rule: a port is failed only if it parts from
R before one ulp starts to matter).

A function that fails is tested against the classic mistakes of a port
(``parity.grade_mistakes``): the one whose prediction the student's numbers
match is named, with the R line and the Python line that differ in meaning.

Exit status: 0 when every function passes, 1 when any fails or is missing, 2
on bad input (a file that does not import, a function with a wrong signature,
one that raises, runs out of time or memory, or prints too much: the others are
still graded). ``%load_ext parity.grade`` then ``%grade forward`` grades a
notebook's own function (in the kernel's process, without the time limit).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import functools
import json
import math
import os
import pickle
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from backprop.cli import OneLineParser, guarded
from backprop.data import read_data
from backprop.resources import DATA_DIR
from backprop.rng import set_seed
from parity import grade_worker
from parity.compare import CHAOS_MARGIN, TOLERANCE, agreement_horizon, diff, is_trained
from parity.grade_mistakes import Hypothesis, for_function, train_from, uniform_draws
from parity.grade_worker import OPTIONAL, PARAMS, RESULTS, VALUE, Named

PROG = "python -m parity grade"
FUNCTIONS = tuple(PARAMS)  # the lecture's order
PASS, FAIL, MISSING, ERROR = "pass", "fail", "missing", "error"
HINT_TOLERANCE = TOLERANCE.scaled(1e3)  # a mistake's prediction against the student's numbers
TIMEOUT = 30.0  # seconds per function (the student's import included)
MEMORY_MB = 2048
OUTPUT_LIMIT = 1 << 20  # bytes a student's code may print
MISTAKE_TITLES = {"one_d_result": "a 1-D array where R has an N x 1 matrix"}

Values = dict[str, NDArray[np.float64]]


class GradeError(ValueError):
    """Bad input: one line on stderr, exit 2 (``backprop.cli.guarded``)."""


# ------------------------------------------------------------------ the inputs


@dataclass(frozen=True)
class Input:
    """One call of a function: R's own arguments and R's answer."""

    label: str
    args: tuple[Any, ...]
    expected: Values
    ill_conditioned: bool = False
    chaos_onset: int | None = None  # iterations before one ulp moves the cost by rtol * 1e-3


class Engine:
    """R's twins, run live (or ``backprop.network`` where R is absent)."""

    def __init__(self) -> None:
        from backprop.r_engine import RUnavailableError, session

        try:
            self._r: Any = session()
            version = self._r.eval("R.version.string")[0]
            self.description = f"{version}, live through rpy2"
            self.live = True
        except RUnavailableError as e:
            self._r = None
            self.description = (
                "backprop.network (R is absent, so not R itself: the Python twin parity "
                "holds to R; the lecture's training against R's frozen outputs, "
                f"parity/reference/lecture; {e})"
            )
            self.live = False

    def __call__(self, name: str, *args: Any) -> Values:
        if self._r is not None:
            result = self._r.call(name, *args)
        elif name == "train" and tuple(args[2:]) == LECTURE_TRAINING:
            result = _frozen_lecture()
        else:
            result = _twin(name, *args)
        names = RESULTS[name] + OPTIONAL.get(name, ())
        if not names:
            value = np.array(result, dtype=np.float64)
            return {VALUE: value.reshape(()) if name == "cost" else value}
        return {q: np.array(result[q], dtype=np.float64) for q in names}


LECTURE_TRAINING = (3, 1, 10000, 5.0)  # hidden, seed, iterations, step: the slides'


def _frozen_lecture() -> dict[str, Any]:
    """R's outputs of the slides' training, frozen in parity/reference/lecture."""
    from parity.cases import REFERENCE_DIR
    from parity.sides import read_array

    quantities = RESULTS["train"] + OPTIONAL["train"]
    return {q: read_array(REFERENCE_DIR / "lecture" / f"{q}.txt") for q in quantities}


def _twin(name: str, *args: Any) -> Any:
    from backprop import network

    if name == "train":
        X, Y, hidden, seed, iterations, step = args
        out = network.train(X, Y, hidden=hidden, seed=seed, iterations=iterations, step=step)
        return {"W_1_init": out["W_1_init"], "W_2_init": out["W_2_init"], **out}
    if name == "forward":
        return vars(network.forward(*args))
    if name == "backprop":
        X, Y, W_2, fwd = args
        return vars(network.backprop(X, Y, W_2, Named(fwd)))  # type: ignore[arg-type]
    return getattr(network, name)(*args)


@functools.cache
def engine() -> Engine:
    """The process's one engine (R starts once)."""
    return Engine()


def inputs_for(names: Sequence[str]) -> dict[str, list[Input]]:
    """``build_inputs`` on the one engine, each function's computed once per process."""
    return {name: list(_inputs_of(name)) for name in names}


@functools.cache
def _inputs_of(name: str) -> tuple[Input, ...]:
    return tuple(build_inputs(engine(), [name])[name])


def build_inputs(engine: Engine, names: Sequence[str]) -> dict[str, list[Input]]:
    """Each function's inputs: the lecture's data first, then drawn ones, with R's answers."""
    x_l, y_l = read_data(DATA_DIR / "lecture.csv")
    x_s, y_s = read_data(DATA_DIR / "study.csv")
    X_l, Y_l = x_l / x_l.max(axis=0), y_l / 100
    X_s, Y_s = x_s / x_s.max(axis=0), y_s / 100
    rng = set_seed(102)
    drawn_Z = 4 * rng.rnorm(12).reshape((4, 3), order="F")
    column_Z = 3 * rng.rnorm(5).reshape((5, 1), order="F")
    setups = [  # forward's and backprop's: (label, X, Y, hidden, seed)
        ("lecture: 3 rows, 2 inputs, 3 hidden, seed 1", X_l, Y_l, 3, 1),
        ("study: 8 rows, 3 inputs, 4 hidden, seed 42", X_s, Y_s, 4, 42),
        ("square: 3 rows, 3 inputs, 3 hidden, seed 7", X_s[:3], Y_s[:3], 3, 7),
    ]
    weights = [engine("init_weights", X.shape[1], h, 1, seed) for _, X, _, h, seed in setups]
    fwds = [
        engine("forward", s[1], w["W_1"], w["W_2"]) for s, w in zip(setups, weights, strict=True)
    ]
    Zs = [
        ("lecture's Z_2 (3 x 3)", fwds[0]["Z_2"]),
        ("drawn 4 x 3", drawn_Z),
        ("drawn 5 x 1", column_Z),
    ]
    plans: dict[str, Callable[[], list[tuple[str, tuple[Any, ...]]]]] = {
        "sigmoid": lambda: [(label, (Z,)) for label, Z in Zs],
        "sigmoid_prime": lambda: [(label, (Z,)) for label, Z in Zs],
        "cost": lambda: [
            ("lecture: Y and the first Y_hat", (Y_l, fwds[0]["Y_hat"])),
            ("study: Y and a first Y_hat", (Y_s, fwds[1]["Y_hat"])),
        ],
        "scale_features": lambda: [("lecture's x", (x_l,)), ("study's x", (x_s,))],
        "scale_target": lambda: [("lecture's y", (y_l,)), ("study's y", (y_s,))],
        "init_weights": lambda: [
            ("2, 3, 1, seed 1", (2, 3, 1, 1)),
            ("3, 4, 1, seed 42", (3, 4, 1, 42)),
            ("4, 2, 1, seed 2026", (4, 2, 1, 2026)),
        ],
        "forward": lambda: [
            (s[0], (s[1], w["W_1"], w["W_2"])) for s, w in zip(setups, weights, strict=True)
        ],
        "backprop": lambda: [
            (s[0], (s[1], s[2], w["W_2"], Named(f)))
            for s, w, f in zip(setups, weights, fwds, strict=True)
        ],
        "train": lambda: [
            ("lecture: 3 hidden, seed 1, 10000 iterations, step 5", (X_l, Y_l, *LECTURE_TRAINING)),
            ("study: 4 hidden, seed 42, 300 iterations, step 2", (X_s, Y_s, 4, 42, 300, 2.0)),
            (
                "study: 3 hidden, seed 1, 1000 iterations, step 10 (chaotic)",
                (X_s, Y_s, 3, 1, 1000, 10.0),
            ),
        ],
    }
    inputs: dict[str, list[Input]] = {}
    for name in names:
        calls = plans[name]()
        inputs[name] = [
            _conditioned(Input(label, _copies(args), engine(name, *args)))
            if name == "train"
            else Input(label, _copies(args), engine(name, *args))
            for label, args in calls
        ]
    return inputs


def _copies(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Arguments as a student's code receives them: fresh C-ordered float arrays."""
    return tuple(
        np.array(a, dtype=np.float64, order="C")
        if isinstance(a, np.ndarray)
        else Named({k: np.array(v, order="C") for k, v in a.items()})
        if isinstance(a, dict)
        else a
        for a in args
    )


def _conditioned(inp: Input) -> Input:
    """The harness's one-ulp rule for a training input: is it ill-conditioned, and from
    which iteration does one ulp of the starting weights move the cost by rtol * 1e-3?"""
    X, Y, _, _, iterations, step = inp.args
    W_1, W_2 = inp.expected["W_1_init"], inp.expected["W_2_init"]
    base = train_from(X, Y, W_1, W_2, iterations, step)
    nudged = train_from(
        X, Y, np.nextafter(W_1, np.inf), np.nextafter(W_2, np.inf), iterations, step
    )
    ill = not all(diff(base[q], nudged[q]).within for q in base)
    onset = agreement_horizon(
        base["cost_history"], nudged["cost_history"], TOLERANCE.scaled(CHAOS_MARGIN)
    )
    return Input(inp.label, inp.args, inp.expected, ill_conditioned=ill, chaos_onset=onset)


# ------------------------------------------------------------------ the student's side


@dataclass(frozen=True)
class Limits:
    timeout: float = TIMEOUT
    memory_mb: int = MEMORY_MB
    output_bytes: int = OUTPUT_LIMIT


def run_student(
    file: Path, name: str, calls: list[tuple[Any, ...]], limits: Limits
) -> dict[str, Any]:
    """One function of the student's file called on ``calls`` in a fresh subprocess.

    The response of ``grade_worker.main`` ({"load_error", "defined", "result"}), or
    {"crash": words} when the process did not finish (time, memory, a signal)."""
    with tempfile.TemporaryDirectory(prefix="parity-grade-") as tmp:
        request = Path(tmp) / "request.pkl"
        with open(request, "wb") as f:
            pickle.dump({"file": str(file), "function": name, "calls": calls}, f)
        printed, said = Path(tmp) / "stdout.txt", Path(tmp) / "stderr.txt"
        command = [sys.executable, "-m", "parity.grade_worker", str(request), str(printed)]
        with open(said, "wb") as err:
            process = _start(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=err,
                cwd=tmp,
                env=_child_env(),
                preexec_fn=lambda: _limit(limits),  # noqa: PLW1509 - only setrlimit
                start_new_session=True,  # its own group: killed whole, with its children
            )
            try:
                out, _ = process.communicate(timeout=limits.timeout)
            except subprocess.TimeoutExpired:
                _kill(process)
                return {"crash": f"did not finish within {limits.timeout:g} s (an endless loop?)"}
            finally:
                _kill(process)
        if process.returncode == 0 and out:
            try:
                response: dict[str, Any] = grade_worker.decode(json.loads(out))
            except (ValueError, TypeError, KeyError, AttributeError):
                response = {}
            if _well_formed(response, len(calls)):  # what the student's process wrote
                return response
            return {"crash": "sent back something that is not the grader's answer"}
        return {"crash": _crash_words(process.returncode, said, limits)}


_RUNNING: set[subprocess.Popen[bytes]] = set()  # the students' processes, for Ctrl-C
_RUNNING_LOCK = threading.Lock()


def _start(command: list[str], **how: Any) -> subprocess.Popen[bytes]:
    with _RUNNING_LOCK:
        process = subprocess.Popen(command, **how)
        _RUNNING.add(process)
    return process


def stop_all() -> None:
    """Kill every student's process still running (Ctrl-C, SIGTERM, an error of ours)."""
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for process in running:
        _kill(process)


def _well_formed(response: Any, calls: int) -> bool:
    """The worker's answer, as ``grade_function`` reads it."""
    if not isinstance(response, dict) or not isinstance(response.get("defined"), list):
        return False
    if not isinstance(response.get("load_error"), str | None):
        return False
    result = response.get("result")
    if result is None:
        return True
    outcomes = result.get("outcomes") if isinstance(result, dict) else None
    if not isinstance(outcomes, list) or not isinstance(result.get("signature"), str | None):
        return False
    return (result["signature"] is not None or len(outcomes) == calls) and all(
        isinstance(o, dict)
        and (
            isinstance(o.get("error"), str)
            or isinstance(o.get("unreadable"), str)
            or (
                isinstance(o.get("values"), dict)
                and all(isinstance(v, np.ndarray) for v in o["values"].values())
                and isinstance(o.get("seconds", 0.0), float | int)
                and all(isinstance(m, str) for m in o.get("mutated", []))
            )
        )
        for o in outcomes
    )


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    with _RUNNING_LOCK:
        _RUNNING.discard(process)


def _limit(limits: Limits) -> None:
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_bytes, limits.output_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child_env() -> dict[str, str]:
    """One BLAS thread (the memory limit counts every thread's stacks), and this project
    importable even from a checkout."""
    import backprop
    import parity

    roots = [str(Path(m.__file__ or "").resolve().parents[1]) for m in (backprop, parity)]
    path = os.pathsep.join([*roots, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    threads = dict.fromkeys(("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"), "1")
    return {**os.environ, **threads, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1"}


def _crash_words(status: int, said: Path, limits: Limits) -> str:
    last = [line for line in said.read_text(errors="replace").splitlines() if line.strip()]
    tail = last[-1].strip()[:300] if last else ""
    if "MemoryError" in tail or status == -signal.SIGKILL:
        return f"ran out of memory (the limit is {limits.memory_mb} MB)"
    if status < 0:
        return f"was stopped by signal {signal.Signals(-status).name}" + (
            f": {tail}" if tail else ""
        )
    return f"stopped (exit status {status})" + (f": {tail}" if tail else "")


# ------------------------------------------------------------------ judging


@dataclass
class Hint:
    mistake: str
    title: str
    r_line: str
    py_line: str
    evidence: str

    def as_json(self) -> dict[str, str]:
        return {
            "mistake": self.mistake,
            "title": self.title,
            "r": self.r_line,
            "python": self.py_line,
            "evidence": self.evidence,
        }


@dataclass
class InputGrade:
    label: str
    status: str  # pass, fail, error, ill-conditioned (a pass by the one-ulp rule)
    detail: str = ""
    max_ulps: int | None = None
    max_rel: float | None = None


@dataclass
class Grade:
    name: str
    status: str
    detail: str = ""
    hint: Hint | None = None
    max_ulps: int | None = None
    max_rel: float | None = None
    seconds: float | None = None
    inputs: list[InputGrade] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    max_points: float = 1.0

    @property
    def points(self) -> float:
        return self.max_points if self.status == PASS else 0.0


def judge_input(inp: Input, outcome: dict[str, Any], name: str) -> InputGrade:
    """One call's results against R's: the first quantity that differs, where, how much."""
    if "error" in outcome:
        return InputGrade(inp.label, ERROR, outcome["error"])
    if "unreadable" in outcome:
        return InputGrade(inp.label, FAIL, outcome["unreadable"])
    values: Values = outcome["values"]
    ulps: list[int] = []
    rels: list[float] = []
    ill = None
    for q, expected in inp.expected.items():
        if q in OPTIONAL.get(name, ()) and q not in values:
            continue  # W_1_init, W_2_init: graded when a port returns them
        what = _quantity(name, q)
        if q not in values:
            return InputGrade(inp.label, FAIL, f"returns no {q} (R's {name} names it {q})")
        d = diff(expected, values[q])
        if not d.same_shape:
            return InputGrade(
                inp.label,
                FAIL,
                f"{what} is {_shape(d.shape_actual)} where R's is {_shape(d.shape_expected)}",
            )
        if inp.ill_conditioned and is_trained(q):
            horizon = agreement_horizon(
                inp.expected["cost_history"], values.get("cost_history", np.array([]))
            )
            onset = inp.chaos_onset or 0
            if horizon < onset:
                return InputGrade(
                    inp.label,
                    FAIL,
                    _first_difference(
                        "cost_history",
                        expected=inp.expected["cost_history"],
                        actual=values.get("cost_history", np.array([])),
                    )
                    + f", before one ulp of the starting weights matters (iteration {onset + 1})",
                )
            ill = (
                f"ill-conditioned: one ulp of the starting weights moves the cost from "
                f"iteration {onset + 1}; yours agrees with R up to iteration {horizon} "
                "(the harness's rule: not failed)"
            )
            continue
        if not d.within:
            return InputGrade(inp.label, FAIL, _first_difference(what, expected, values[q]))
        ulps.append(d.max_ulps or 0)
        rels.append(d.max_rel or 0.0)
    if outcome.get("mutated"):
        changed = ", ".join(outcome["mutated"])
        return InputGrade(inp.label, FAIL, f"changed its argument {changed} in place")
    status = "ill-conditioned" if ill else PASS
    return InputGrade(inp.label, status, ill or "", max(ulps, default=0), max(rels, default=0.0))


def _quantity(name: str, q: str) -> str:
    return f"{name}()" if q == VALUE else q


def _first_difference(what: str, expected: NDArray[Any], actual: NDArray[Any]) -> str:
    e, a = np.asarray(expected, dtype=np.float64), np.asarray(actual, dtype=np.float64)
    if e.shape != a.shape:  # a cost history of another length
        n = min(e.size, a.size)
        where = agreement_horizon(e[:n], a[:n])
        if where == n:
            return f"{what} has {a.size} entries where R's has {e.size}"
        e, a = e[:n], a[:n]
    bad = np.argwhere(~TOLERANCE.close(e, a) | (np.isnan(e) != np.isnan(a)))
    index = tuple(int(i) for i in bad[0]) if bad.size else tuple(0 for _ in e.shape)
    r, y = float(e[index]), float(a[index])
    place = what + (f"[{', '.join(map(str, index))}]" if index else "")
    if what == "cost_history":
        place += f" (iteration {index[0] + 1})"
    from parity.compare import relative_diff, ulp_distance

    rel = float(relative_diff(np.array(r), np.array(y)))
    ulps = int(ulp_distance(r, y))
    return f"{place}: R {r!r}, yours {y!r} (relative {rel:.2g}, {_ulps(ulps)} ulps)"


def grade_function(
    name: str, inputs: list[Input], response: dict[str, Any], defined: list[str]
) -> Grade:
    if name not in defined:
        return Grade(name, MISSING, f"no function {name} in the file")
    if "crash" in response:
        return Grade(name, ERROR, response["crash"])
    result = response["result"]
    if result["signature"]:
        return Grade(name, ERROR, result["signature"])
    outcomes = result["outcomes"]
    judged = [judge_input(i, o, name) for i, o in zip(inputs, outcomes, strict=True)]
    seconds = sum(o.get("seconds", 0.0) for o in outcomes)
    notes = [f"{g.label}: {g.detail}" for g in judged if g.status == "ill-conditioned"]
    bad = [g for g in judged if g.status in (FAIL, ERROR)]
    if not bad:
        return Grade(
            name,
            PASS,
            "",
            None,
            max(g.max_ulps or 0 for g in judged),
            max(g.max_rel or 0.0 for g in judged),
            seconds,
            judged,
            notes,
        )
    first = bad[0]
    detail = f"on {first.label}: {first.detail}"
    hint = explain(name, inputs, outcomes)
    status = FAIL if hint or all(g.status == FAIL for g in bad) else ERROR
    return Grade(name, status, detail, hint, None, None, seconds, judged, notes)


def explain(name: str, inputs: list[Input], outcomes: list[dict[str, Any]]) -> Hint | None:
    """The classic mistake the student's numbers match, tested as a hypothesis."""
    mutated = sorted({m for o in outcomes for m in o.get("mutated", ())})
    if mutated:
        return Hint(
            "aliasing",
            "an array changed in place (aliasing), where R's `<-` copies",
            f"{name} leaves its arguments as they were (R copies on change)",
            "A -= ...  # or A[...] = ..., A *= ...: changes the caller's array",
            f"the call changed {', '.join(mutated)}",
        )
    order = sorted(range(len(inputs)), key=lambda i: _cost_of(inputs[i]))
    for h in (*for_function(name), _one_d(name)):
        tally = _test(h, [inputs[i] for i in order], [outcomes[i] for i in order])
        if tally and tally["matched"]:
            return Hint(h.mistake, h.title, h.r_line, h.py_line, _evidence(tally, len(inputs)))
    if name == "init_weights" and _other_generator(inputs, outcomes):
        return Hint(
            "np_random",
            "a generator other than R's (`backprop.rng.set_seed`)",
            "set.seed(seed); runif(input_size * hidden_size)",
            "np.random... / random.random()  # not R's Mersenne-Twister stream",
            "yours are draws in [0, 1) of the right shapes, but not R's",
        )
    return None


def _evidence(tally: dict[str, int], n: int) -> str:
    """How the student's numbers bore the hypothesis out, input by input."""
    said = [f"yours is R's answer with this mistake on {tally['matched']} of {n} inputs"]
    if tally["same"]:
        said.append(f"on {tally['same']} the mistake changes nothing")
    if tally["raised"]:
        said.append(f"on {tally['raised']} it raises, as yours does")
    if tally["chaotic"]:
        said.append(f"{tally['chaotic']} is ill-conditioned, so proves nothing")
    return "; ".join(said)


def _cost_of(inp: Input) -> int:
    return int(inp.args[4]) if len(inp.args) == 6 else 0  # train: its iterations


def _test(
    h: Hypothesis, inputs: list[Input], outcomes: list[dict[str, Any]]
) -> dict[str, int] | None:
    """Whether the student's results are ``h``'s predictions on every input: None if not;
    else how many inputs it "matched" (differing from R's answer), where it changes
    nothing ("same"), where it and the student both "raised", and the "chaotic" ones
    (ill-conditioned: they prove nothing)."""
    tally = dict.fromkeys(("matched", "same", "raised", "chaotic"), 0)
    for inp, outcome in zip(inputs, outcomes, strict=True):
        if inp.ill_conditioned:
            tally["chaotic"] += 1
            continue
        try:
            with np.errstate(all="ignore"):
                predicted = h.predict(inp.args, inp.expected)
        except Exception:  # numpy refuses the mistaken shapes
            if "error" not in outcome:
                return None
            tally["raised"] += 1
            continue
        if "values" not in outcome or not _matches(predicted, outcome["values"]):
            return None
        tally["same" if _matches(predicted, inp.expected) else "matched"] += 1
    return tally


def _matches(predicted: Values, values: Values) -> bool:
    return all(
        q in values
        and np.shape(values[q]) == np.shape(p)
        and bool(
            np.all(
                HINT_TOLERANCE.close(np.asarray(p), values[q]) | (np.isnan(p) & np.isnan(values[q]))
            )
        )
        for q, p in predicted.items()
    )


def _one_d(name: str) -> Hypothesis:
    """Any function: R's N x 1 matrices returned as 1-D arrays."""

    def predict(args: tuple[Any, ...], r: Values) -> Values:
        return {
            q: v.ravel() if v.ndim == 2 and v.shape[1] == 1 else v
            for q, v in r.items()
            if q not in OPTIONAL.get(name, ())
        }

    return Hypothesis(
        name,
        "one_d",
        "an (N, 1) matrix, as R keeps it",
        "a 1-D array of shape (N,): y.ravel(), y[:, 0], np.array([...])",
        predict,
    )


def _other_generator(inputs: list[Input], outcomes: list[dict[str, Any]]) -> bool:
    return all(
        "values" in o
        and uniform_draws(o["values"], ("W_1", "W_2"))
        and all(o["values"][w].shape == i.expected[w].shape for w in ("W_1", "W_2"))
        for i, o in zip(inputs, outcomes, strict=True)
    )


# ------------------------------------------------------------------ the whole grade


@dataclass
class Report:
    file: Path
    engine: str
    live: bool
    grades: list[Grade]
    seconds: float
    r_seconds: float

    @property
    def exit_status(self) -> int:
        if any(g.status == ERROR for g in self.grades):
            return 2
        return 0 if all(g.status == PASS for g in self.grades) else 1


def grade(
    file: Path,
    *,
    points: dict[str, float] | None = None,
    limits: Limits | None = None,
    only: Sequence[str] = (),
) -> Report:
    """Grade ``file``'s functions (``only`` those, if given); GradeError on bad input."""
    start = time.perf_counter()
    file = check_file(file)
    names = [n for n in FUNCTIONS if not only or n in only]
    inputs = inputs_for(names)
    r_seconds = time.perf_counter() - start
    limits = limits or Limits()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
    try:
        futures = {
            n: pool.submit(run_student, file, n, [i.args for i in inputs[n]], limits) for n in names
        }
        responses = {n: f.result() for n, f in futures.items()}
    finally:  # Ctrl-C or SIGTERM: no student's process outlives the grader
        pool.shutdown(wait=False, cancel_futures=True)
        stop_all()
    load_errors = [r["load_error"] for r in responses.values() if r.get("load_error")]
    if load_errors:
        raise GradeError(f"{file.name} does not import: {load_errors[0]}")
    crashed = [r["crash"] for r in responses.values() if "crash" in r]
    defined = next((r["defined"] for r in responses.values() if "defined" in r), None)
    if defined is None:  # every process crashed, so the import itself did
        raise GradeError(f"importing {file.name} {crashed[0]}")
    grades = [grade_function(n, inputs[n], responses[n], defined) for n in names]
    for g in grades:
        g.max_points = (points or {}).get(g.name, 1.0)
    return Report(
        file, engine().description, engine().live, grades, time.perf_counter() - start, r_seconds
    )


def check_file(file: Path) -> Path:
    if not file.is_file():
        raise GradeError(f"{file}: no such file")
    if file.suffix not in (".py", ".ipynb"):
        raise GradeError(f"{file}: not a Python module (.py) or a notebook (.ipynb)")
    if file.suffix == ".ipynb":
        grade_worker.notebook_source(file)  # ValueError: not a notebook
    return file.resolve()


def read_points(path: Path) -> dict[str, float]:
    """An instructor's weights: ``[points]`` then ``forward = 2``; unnamed functions are 1."""
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise GradeError(f"{path}: {e.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise GradeError(f"{path}: not TOML: {e}") from None
    points = table.get("points", table)
    if not isinstance(points, dict):
        raise GradeError(f"{path}: [points] must be a table of function = number")
    for key, value in points.items():
        if key not in FUNCTIONS:
            raise GradeError(
                f"{path}: {key!r} is not one of the lecture's functions ({', '.join(FUNCTIONS)})"
            )
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not (math.isfinite(value) and value >= 0)
        ):
            raise GradeError(f"{path}: points for {key} must be a number >= 0; got {value!r}")
    return {key: float(value) for key, value in points.items()}


# ------------------------------------------------------------------ the output


def table(report: Report) -> str:
    lines = [
        f"grading {report.file.name} against {report.engine}",
        f"tolerance: |R - yours| <= {TOLERANCE.atol:.0e} + {TOLERANCE.rtol:.0e} "
        "* max(|R|, |yours|)",
        f"{'function':<15} {'status':<8} {'max ulps':>9} {'max rel':>9} {'points':>8}",
    ]
    for g in report.grades:
        ulps = "-" if g.max_ulps is None else _ulps(g.max_ulps)
        rel = "-" if g.max_rel is None else f"{g.max_rel:.1e}"
        score = f"{_num(g.points)}/{_num(g.max_points)}"
        lines.append(f"{g.name:<15} {g.status.upper():<8} {ulps:>9} {rel:>9} {score:>8}")
        if g.status != PASS:
            lines.append(f"    {g.detail}")
        lines += [f"    note: {note}" for note in g.notes]
        if g.hint:
            lines += [
                f"    hint: {g.hint.title}",
                f"      R:      {g.hint.r_line}",
                f"      Python: {g.hint.py_line}",
                f"      ({g.hint.evidence})",
            ]
    lines.append(_summary(report))
    return "\n".join(lines)


def _summary(report: Report) -> str:
    counts = {s: sum(g.status == s for g in report.grades) for s in (PASS, FAIL, MISSING, ERROR)}
    got = sum(g.points for g in report.grades)
    total = sum(g.max_points for g in report.grades)
    return (
        f"{len(report.grades)} function{'s' if len(report.grades) != 1 else ''}: "
        f"{counts[PASS]} pass, {counts[FAIL]} fail, "
        f"{counts[MISSING]} missing, {counts[ERROR]} error; {_num(got)}/{_num(total)} points; "
        f"{report.seconds:.1f} s ({report.r_seconds:.1f} s for R's answers)"
    )


def as_json(report: Report) -> dict[str, Any]:
    return {
        "file": str(report.file),
        "against": report.engine,
        "live_r": report.live,
        "tolerance": {"rtol": TOLERANCE.rtol, "atol": TOLERANCE.atol},
        "ok": report.exit_status == 0,
        "points": sum(g.points for g in report.grades),
        "max_points": sum(g.max_points for g in report.grades),
        "seconds": round(report.seconds, 3),
        "functions": [
            {
                "name": g.name,
                "status": g.status,
                "detail": g.detail,
                "hint": g.hint.as_json() if g.hint else None,
                "max_ulps": g.max_ulps,
                "max_rel": g.max_rel,
                "points": g.points,
                "max_points": g.max_points,
                "seconds": None if g.seconds is None else round(g.seconds, 4),
                "notes": g.notes,
                "inputs": [
                    {
                        "label": i.label,
                        "status": i.status,
                        "detail": i.detail,
                        "max_ulps": i.max_ulps,
                        "max_rel": i.max_rel,
                    }
                    for i in g.inputs
                ],
            }
            for g in report.grades
        ],
    }


def _shape(shape: tuple[int, ...] | None) -> str:
    if shape is None:
        return "missing"
    return (
        "a number"
        if shape == ()
        else "x".join(map(str, shape)) + (" (1-D)" if len(shape) == 1 else "")
    )


def _ulps(n: int) -> str:
    return str(n) if n < 10**6 else f"{n:.1e}"


def _num(x: float) -> str:
    return f"{x:g}"


# ------------------------------------------------------------------ the command


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog=PROG,
        description="Grade a student's Python port of the lecture's functions against R.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="a .py module or a .ipynb notebook")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--points",
        type=Path,
        metavar="TOML",
        help="points per function: [points] forward = 2 (others 1)",
    )
    parser.add_argument(
        "--function",
        action="append",
        default=[],
        choices=FUNCTIONS,
        metavar="NAME",
        help="grade only this function (repeatable)",
    )
    parser.add_argument(
        "--timeout",
        type=_positive,
        default=TIMEOUT,
        metavar="SECONDS",
        help=f"time limit per function (default {TIMEOUT:g})",
    )
    parser.add_argument(
        "--memory",
        type=_positive,
        default=MEMORY_MB,
        metavar="MB",
        help=f"memory limit of the student's process (default {MEMORY_MB})",
    )
    return parser


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number; got {text!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    return guarded(PROG, lambda: _run(argv))


def _run(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    points = read_points(args.points) if args.points else None
    limits = Limits(timeout=args.timeout, memory_mb=int(args.memory))
    report = grade(args.file, points=points, limits=limits, only=args.function)
    if args.json:
        print(json.dumps(as_json(report), indent=2, allow_nan=False))
    else:
        print(table(report))
    errors = [g for g in report.grades if g.status == ERROR]
    for g in errors:
        print(f"{PROG}: error: {g.name}: {g.detail}", file=sys.stderr)
    return report.exit_status


# ------------------------------------------------------------------ the notebook magic


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext parity.grade``: then ``%grade forward`` (or ``%grade`` for all)."""
    ipython.register_magic_function(lambda line: _magic(ipython, line), "line", "grade")


def _magic(ipython: Any, line: str) -> None:
    names = line.split() or [n for n in FUNCTIONS if callable(ipython.user_ns.get(n))]
    unknown = [n for n in names if n not in FUNCTIONS]
    if unknown:
        print(
            f"%grade: {unknown[0]!r} is not one of the lecture's functions: {', '.join(FUNCTIONS)}",
            file=sys.stderr,
        )
        return
    report = grade_namespace(ipython.user_ns, names)
    print(table(report))


def grade_namespace(namespace: dict[str, Any], names: Sequence[str]) -> Report:
    """The notebook's own functions, graded in this process (no time limit: Ctrl-C / the
    kernel's interrupt stops an endless loop)."""
    start = time.perf_counter()
    inputs = inputs_for(names)
    r_seconds = time.perf_counter() - start
    defined = grade_worker.defined(namespace)
    grades = []
    for n in names:
        response: dict[str, Any] = {"defined": defined, "result": None}
        if n in defined:
            calls = [i.args for i in inputs[n]]
            response["result"] = grade_worker.call_all(namespace, n, calls, "<notebook>")
        grades.append(grade_function(n, inputs[n], response, defined))
    return Report(
        Path("the notebook"),
        engine().description,
        engine().live,
        grades,
        time.perf_counter() - start,
        r_seconds,
    )
