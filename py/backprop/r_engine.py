"""The R engine (``--engine r``): one embedded R, with the project's R files loaded
into their own environment. rpy2 (the ``[r]`` extra) is imported when R is first
asked for, never by importing this module.

Embedded R is single-threaded: call it from one thread only. numpy arrays
cross into R (and back) inside a local conversion context, never through the
deprecated global ``numpy2ri.activate()``.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from backprop.checks import is_number
from backprop.resources import R_DIR

if TYPE_CHECKING:
    from backprop.fit import Fit

INSTALL_HINT = (
    "the R engine needs R, R's pkgload and nnet, and rpy2: on Debian, `apt-get install "
    "r-base-core r-cran-pkgload r-cran-nnet`, then `pip install 'rpy2>=3.5.17,<3.6'` (or "
    "run `make test`, which does both)"
)
# The R package `backprop` (r/: DESCRIPTION, NAMESPACE, R/*.R), loaded from its
# sources as testthat::test_local() loads it, its internal functions in reach.
LOAD_PACKAGE = """function(path) {
  if (!requireNamespace("pkgload", quietly = TRUE)) stop("no pkgload", call. = FALSE)
  pkgload::load_all(path, export_all = TRUE, helpers = FALSE, attach_testthat = FALSE,
                    quiet = TRUE)$env
}"""


class Every(NamedTuple):
    """A Python function that R is to call only when its first argument (an
    iteration) is a multiple of ``n``: each call from R into Python costs tens
    of microseconds, more than an iteration of a small network."""

    function: Callable[..., object]
    n: int


class RUnavailableError(RuntimeError):
    """R or rpy2 is not installed, or R cannot start."""


class RError(RuntimeError):
    """R stopped with an error; the message is R's own."""


# R started as `R --vanilla` starts: no site or user profile (~/.Rprofile), no
# environ files. A user's RNGkind() there would change every draw after set.seed,
# and anything it prints would land on our stdout (in the middle of --json).
R_START = ("rpy2", "--quiet", "--vanilla")


def _rpy2() -> Any:
    said = io.StringIO()  # rpy2 logs its own complaints (e.g. "Unable to determine R home")
    try:
        with contextlib.redirect_stderr(said), _library_path_kept(), _sigint_handler_kept():
            from rpy2.rinterface_lib import embedded

            if not embedded.isinitialized():
                embedded.set_initoptions(R_START)
            import rpy2.robjects as ro
            from rpy2.rinterface_lib.embedded import RRuntimeError
            from rpy2.robjects import default_converter, numpy2ri
    except Exception as e:  # ImportError, or R's shared library failing to load
        why = " ".join(said.getvalue().split()) or f"{type(e).__name__}: {e}"
        raise RUnavailableError(f"{INSTALL_HINT} ({why})") from None
    return ro, RRuntimeError, default_converter + numpy2ri.converter


@contextlib.contextmanager
def _sigint_handler_kept() -> Iterator[None]:
    """Python's SIGINT handler as it was before R started: rpy2 sets Python's default
    one once R is up, which would undo ``session``'s deferral while R loads the
    package (and raise inside rpy2's callbacks, where it is swallowed)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.getsignal(signal.SIGINT)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


@contextlib.contextmanager
def _library_path_kept() -> Iterator[None]:
    """``LD_LIBRARY_PATH`` as it was before R started.

    rpy2 prepends R's library folders (/usr/lib/R/lib:/usr/lib/x86_64-linux-gnu)
    to it while it starts R. R has loaded its libraries by then; left in the
    environment, the path would reach every process started afterwards, and a
    Python built with a shared libpython (pyenv's) would load the system's
    libpython of another patch release under its own standard library (seen:
    ``'_thread.RLock' object has no attribute '_recursion_count'`` in a worker
    pool started after R).
    """
    before = os.environ.get("LD_LIBRARY_PATH")
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("LD_LIBRARY_PATH", None)
        else:
            os.environ["LD_LIBRARY_PATH"] = before


class RSession:
    """The R package's functions (r/R/*.R), called with numpy arguments."""

    def __init__(self, package: Path = R_DIR) -> None:
        self._ro, self._RRuntimeError, self._converter = _rpy2()
        self.console: list[str] = []  # what R wrote to its stderr
        self._alive: list[Any] = []  # Python functions R may call back, kept for one call
        _capture_r_stderr(self.console)
        try:
            self.env = self._ro.r(LOAD_PACKAGE)(str(package))  # the package's namespace
        except self._RRuntimeError as e:
            why = f"loading {package}: {str(e).strip()}"
            raise RUnavailableError(f"{INSTALL_HINT} ({why})") from None

    def source(self, path: Path) -> None:
        """Define an R file's functions (a harness's helpers) beside the package's: in an
        environment of their own whose parent is the package's namespace (locked), so
        ``call`` finds both."""
        scripts = self._ro.r["new.env"](parent=self.env)
        self._ro.r["sys.source"](str(path), envir=scripts)
        self.env = scripts

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call R function ``name`` from ``r/*.R``; return numpy / Python values."""
        function = self.env.find(name)  # the package's first, then base R (set.seed, runif)
        with self._converter.context(), contextlib.ExitStack() as done:
            done.callback(self._alive.clear)
            with _interruptible() as interrupted:  # the arguments' conversion runs R too
                r_args = [self.to_r(a) for a in args]
                r_kwargs = {key: self.to_r(value) for key, value in kwargs.items()}
                try:
                    result = function(*r_args, **r_kwargs)
                except self._RRuntimeError as e:
                    if interrupted:
                        raise _stop(interrupted) from None
                    raise RError(str(e).strip()) from None
            if interrupted:  # R finished before it looked: the interrupt still stands
                raise _stop(interrupted)
            return to_python(result)

    def to_r(self, value: Any) -> Any:
        """A Python argument as an R user would write it: the one conversion to R.

        An int is a double, as R's literal ``3`` is (and any int fits); a tuple
        or list of numbers is a double vector (``hidden = c(4, 3)``); a mapping
        is a named list (``start = list(W_1 = ...)``); None is NULL; a Python
        function is an R function (``progress = function(n) ...``) whose
        arguments arrive as Python values (``Every``: called every n-th time).
        numpy arrays, floats, bools and strings go through rpy2's numpy
        converter.
        """
        if value is None:
            return self._ro.NULL
        if isinstance(value, Every):
            every = self._ro.r("function(f, n) function(i, ...) if (i %% n == 0) f(i, ...)")
            return every(self._r_function(value.function), value.n)
        if callable(value):
            return self._r_function(value)
        if isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
            return float(value)
        if isinstance(value, tuple | list) and all(map(is_number, value)):
            return np.asarray(value, dtype=np.float64)
        if isinstance(value, Mapping):
            items = {str(k): self._converter.py2rpy(self.to_r(v)) for k, v in value.items()}
            return self._ro.ListVector(items)
        return value

    def _r_function(self, function: Callable[..., object]) -> Any:
        """``function`` as an R closure: one-element vectors arrive as Python scalars."""
        converter = self._converter

        def called(*args: Any) -> Any:
            with converter.context():
                values = [to_python(converter.rpy2py(a)) for a in args]
            function(*(v.item() if np.size(v) == 1 else v for v in values))
            return self._ro.rinterface.BoolSexpVector([True])  # rternalize cannot return NULL

        closure = self._ro.rinterface.rternalize(called)
        self._alive.append(closure)  # R holds only a handle: Python must keep it alive
        return closure

    def eval(self, code: str) -> Any:
        """Evaluate fixed R code (never built from user input)."""
        with self._converter.context():
            return to_python(self._ro.r(code))


@contextlib.contextmanager
def _interruptible(tell_r: bool = True) -> Iterator[list[int]]:
    """Ctrl-C (or SIGTERM) while R runs: noted, and R told (it stops at its next
    check); the caller raises KeyboardInterrupt (``Terminated`` for SIGTERM) once
    R has returned. The list holds the signals that came.

    rpy2's own handler can lose the signal (when it lands as its event callback
    is entered, R is never told), and a KeyboardInterrupt raised inside one of
    its callbacks is swallowed, so while R runs a signal is only noted. With
    ``tell_r`` False (R starting), R is not told either.
    """
    if threading.current_thread() is not threading.main_thread():
        yield []  # signal handlers belong to the main thread
        return
    interrupted: list[int] = []

    def on_signal(signum: int, frame: Any) -> None:
        interrupted.append(signum)
        if tell_r:
            from rpy2.rinterface_lib import openrlib

            openrlib.rlib.R_interrupts_pending = 1

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        with _swallowed_stops_noted(interrupted):
            yield interrupted
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def _swallowed_stops_noted(came: list[int]) -> Iterator[None]:
    """A KeyboardInterrupt raised inside one of rpy2's callbacks (R processing its
    events) is swallowed there, "Exception ignored from cffi callback": through
    ``sys.unraisablehook``, where it is noted instead, as the signal it was."""
    from backprop.cli import Terminated  # a cycle at import: cli asks for R lazily

    before = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            terminated = isinstance(unraisable.exc_value, Terminated)
            came.append(signal.SIGTERM if terminated else signal.SIGINT)
        else:
            before(unraisable)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = before


def _stop(signals: list[int]) -> KeyboardInterrupt:
    """What the signals that came while R ran mean in Python."""
    from backprop.cli import Terminated  # a cycle at import: cli asks for R lazily

    return Terminated() if signal.SIGTERM in signals else KeyboardInterrupt()


def _capture_r_stderr(sink: list[str]) -> None:
    """Keep R's error and warning text out of our stderr: errors come back as RError."""
    from rpy2.rinterface_lib import callbacks

    callbacks.consolewrite_warnerror = sink.append


def to_python(value: Any) -> Any:
    """A named R list becomes a dict; vectors and matrices stay numpy arrays."""
    from rpy2.rlike.container import OrdDict
    from rpy2.robjects.vectors import ListVector

    if isinstance(value, OrdDict | ListVector):
        return {str(k): to_python(v) for k, v in value.items()}
    return value


def fit_of(answer: Mapping[str, Any]) -> Fit:
    """R's ``fit_file`` answer (a ``backprop_fit``, as ``RSession.call`` returns it) as
    Python's ``Fit``: the same object, so that both engines print, serialise and
    predict through the same methods, and on R's arithmetic (``backprop.rarith``), so
    that its ``predict`` is R's to the last bit. R's length-1 vectors become Python's
    scalars and R's doubles whole numbers where the setting is a count
    (``SETTINGS``' kinds); R's NULL is None."""
    from backprop.fit import Fit
    from backprop.rarith import as_r
    from backprop.spec import SETTINGS, network_spec

    def setting(name: str, value: Any) -> Any:
        if value is None or type(value).__name__ == "NULLType":
            return None
        values = np.asarray(value).ravel().tolist()
        kind = SETTINGS[name].kind
        if kind == "sizes":
            sizes = tuple(int(n) for n in values)
            return sizes[0] if len(sizes) == 1 else sizes
        if kind in ("seed", "count", "count1", "batch"):
            return int(values[0])
        if kind == "flag":
            return bool(values[0])
        return values[0] if kind == "choice" else float(values[0])

    classes = answer.get("classes")
    is_null = classes is None or type(classes).__name__ == "NULLType"
    return Fit(
        X=as_r(np.asarray(answer["X"])),
        Y=as_r(np.asarray(answer["Y"])),
        result=dict(answer["result"]),
        spec=network_spec(**{name: setting(name, v) for name, v in answer["spec"].items()}),
        params={name: np.asarray(P) for name, P in answer["params"].items()},
        cost_history=np.asarray(answer["cost_history"]),
        scale=np.asarray(answer["scale"]),
        target=str(np.asarray(answer["target"]).ravel()[0]),
        classes=None if is_null else [str(c) for c in np.asarray(classes).ravel()],
    )


@functools.cache
def session() -> RSession:
    """The process's one R session (R can be started only once).

    Ctrl-C and SIGTERM wait while R starts and loads the package, and come as
    soon as it has: landing in one of rpy2's callbacks (R processing its events
    or writing to its console), a KeyboardInterrupt would be swallowed and the
    run go on (seen: "Exception ignored from cffi callback _processevents",
    then exit 0). Blocking them in this thread would not do: the kernel hands a
    process's signal to any thread that does not block it (OpenBLAS's, R's).
    """
    with _interruptible(tell_r=False) as came:  # R starting: only noted
        try:
            started = RSession()
        except RUnavailableError:
            if not came:
                raise  # R is missing; else the signal broke its start: it is the news
    if came:
        raise _stop(came)
    return started
