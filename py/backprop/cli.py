"""The ``backprop`` command: ``train``, ``check``, ``nnet`` and ``examples``.

Bad input gets one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import re
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from backprop.data import TARGETS, load_scaled, read_raw
from backprop.fit import (
    NNET_DEFAULTS,
    NNET_OUTPUTS,
    SCALARS,
    check_fit,
    check_fit_nnet,
    fit_file,
    fit_nnet,
    load_file,
    predicted_class,
)
from backprop.gradcheck import PASS_LIMIT, gradient_check
from backprop.memory import check_memory, parameter_count
from backprop.model import evaluate_network
from backprop.progress import R_PROGRESS_CALLS, progress_bar, updates_per_run, watching
from backprop.r_engine import RError, RUnavailableError, fit_of, session
from backprop.rarith import ARITHMETICS, on_arithmetic
from backprop.resources import LECTURE_DATA
from backprop.rprint import format_matrix, format_vector
from backprop.spec import SETTINGS, Setting

EXIT_BAD_INPUT = 2
EXIT_CHECK_FAILED = 1
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it
EXIT_TERMINATED = 143  # 128 + SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM: the run stops as Ctrl-C stops it, with nothing half-written."""


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage block) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


# The command line's numbers, in the grammar a data file's cells are read by (ASCII
# digits, a sign, a point, an exponent; Inf): Python's int() and float() would also
# take "1_000" and full-width or other Unicode digits, which R reads as text.
R_ERROR_PREFIX = re.compile(r"^Error(?: in .*?)? ?: ")  # R's stop() from a function call
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
NUMBER = re.compile(r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?i:inf|nan))")


def whole_number(text: str) -> int:
    """``--iterations 100``: a whole number in ASCII digits."""
    if not WHOLE_NUMBER.fullmatch(text):
        raise argparse.ArgumentTypeError(f"must be a whole number (digits 0-9); got {text!r}")
    return int(text)


def number(text: str) -> float:
    """``--step 0.5``, ``--abstol=-Inf``: a number as a data file writes one (NaN and
    Inf too, which the trainers' own checks then refuse or take, in their words)."""
    if not NUMBER.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"must be a number such as 5, 0.5, 1e-3 or Inf; got {text!r}"
        )
    return float(text)


def hidden_sizes(text: str) -> int | tuple[int, ...]:
    """``3`` (the lecture's one hidden layer) or ``4,3`` (one size per hidden layer)."""
    parts = text.split(",")
    if not all(WHOLE_NUMBER.fullmatch(part) for part in parts):
        raise argparse.ArgumentTypeError(
            f"hidden sizes must be whole numbers separated by commas; got {text!r}"
        )
    sizes = tuple(int(part) for part in parts)
    return sizes[0] if len(sizes) == 1 else sizes


# How the command reads each kind of setting (backprop.spec); the settings' own
# checks then take or refuse the value, in the same words in both engines.
OPTION_TYPES: dict[str, Callable[[str], object]] = {
    "sizes": hidden_sizes,
    "seed": whole_number,
    "count": whole_number,
    "count1": whole_number,
    "batch": whole_number,
    "positive": number,
    "nonnegative": number,
    "rate": number,
    "abstol": number,
}


def output_dir(text: str) -> Path:
    """``--plot DIR`` (and the site's ``--out``): a folder to write into; ``~`` is home.
    An empty path names no folder (it would mean the current one)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path names no folder")
    return Path(text).expanduser()


def data_path(text: str) -> Path:
    """``--data``: ``~`` means the home directory, as R's file functions read it."""
    return Path(text).expanduser()


@contextlib.contextmanager
def read_once(path: Path) -> Iterator[Path]:
    """``path``, or a stand-in both engines can read: for what is not a regular file
    (``/dev/stdin``, a pipe), a copy of what it holds, so that both engines (and
    Python's checks before R) read the same bytes; for a name that is not UTF-8
    (a latin-1 byte, which R's strings cannot carry from Python), a link to it
    with an ASCII name. Either lies in a temporary directory removed after, and
    an error names the user's file, not the stand-in."""
    copied = path.exists() and not path.is_file()
    if not copied and _is_utf8(path):
        yield path
        return
    with tempfile.TemporaryDirectory() as tmp:
        stand_in = Path(tmp) / (path.name if _is_utf8(path) and path.name else "data.csv")
        if copied:  # read as data.py reads a file: refused in one line where it cannot end well
            stand_in.write_bytes(read_raw(path))
        else:
            stand_in.symlink_to(path.absolute())
        try:
            yield stand_in
        except (ValueError, OSError) as error:
            said = str(error)
            if str(stand_in) not in said:
                raise
            raise ValueError(said.replace(str(stand_in), str(path))) from None


def _is_utf8(path: Path) -> bool:
    try:
        os.fsencode(path).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="backprop", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    shown = argparse.ArgumentDefaultsHelpFormatter  # --help gives every default

    train_cmd = commands.add_parser(
        "train", help="train a network and print it", formatter_class=shown
    )
    add_network_options(train_cmd, network_only=False)
    add = train_cmd.add_argument
    add(
        "--restarts",
        type=whole_number,
        help="train this many starting points of one stream and keep the best "
        "(R loops, Python trains them together)",
    )
    add(
        "--test-fraction",
        type=number,
        help="hold out this share of the rows (R's sample()) and report the cost on them",
    )
    train_cmd.add_argument(
        "--plot",
        type=output_dir,
        metavar="DIR",
        help="write the cost history, linear and log scale, as PNGs",
    )
    train_cmd.set_defaults(run=run_train)

    check_cmd = commands.add_parser(
        "check", help="gradient check by central differences", formatter_class=shown
    )
    add_network_options(check_cmd, network_only=True)
    check_cmd.set_defaults(run=run_check)

    nnet_cmd = commands.add_parser(
        "nnet", help="R's nnet::nnet (or its Python twin) on the data", formatter_class=shown
    )
    add_data_options(
        nnet_cmd, "auto: onehot for --softmax, binary for --entropy, else numeric (y / 100)"
    )
    add = nnet_cmd.add_argument
    add("--size", type=whole_number, default=NNET_DEFAULTS["size"], help="hidden units")
    add(
        "--seed",
        type=whole_number,
        default=NNET_DEFAULTS["seed"],
        help="R's set.seed, before the draw",
    )
    add(
        "--rang",
        type=number,
        default=NNET_DEFAULTS["rang"],
        help="starting weights: U(-rang, rang)",
    )
    add("--decay", type=number, default=NNET_DEFAULTS["decay"], help="nnet's decay (biases too)")
    add(
        "--maxit",
        type=whole_number,
        default=NNET_DEFAULTS["maxit"],
        help="the most BFGS iterations",
    )
    outputs = nnet_cmd.add_mutually_exclusive_group()
    for name in NNET_OUTPUTS[1:]:
        outputs.add_argument(f"--{name}", action="store_const", dest="output", const=name,
                             help=f"nnet's {name} output units")  # fmt: skip
    nnet_cmd.set_defaults(output=NNET_DEFAULTS["output"])
    add_engine_option(nnet_cmd, "the Python twin (backprop.nnet) or R's own nnet::nnet")
    add_json_option(nnet_cmd, "one JSON object, without nnet's trace")
    nnet_cmd.set_defaults(run=run_nnet)

    examples_cmd = commands.add_parser("examples", help="the worked examples of document 001")
    add_json_option(examples_cmd, "a list of JSON objects")
    add_arithmetic_option(examples_cmd)
    examples_cmd.set_defaults(run=run_examples)
    return parser


def add_network_options(command: argparse.ArgumentParser, network_only: bool) -> None:
    """Data, every setting of the table (``backprop.spec.SETTINGS``; with
    ``network_only``, those that shape the network, for ``check``), engine and output."""
    add_data_options(command, "numeric (y / 100), onehot or binary; auto picks by loss and output")
    for name, setting in SETTINGS.items():
        if setting.network or not network_only:
            add_setting_option(command, name, setting)
    add_engine_option(command, "run the Python port or its R twin through rpy2")
    add_arithmetic_option(command)
    add_json_option(command, "one JSON object, every float at full precision")


def add_data_options(command: argparse.ArgumentParser, target_help: str) -> None:
    """``--data`` (the lecture's CSV by default) and ``--target``, its encoding."""
    command.add_argument(
        "--data", type=data_path, default=LECTURE_DATA, help="CSV with a header, target last"
    )
    command.add_argument("--target", choices=("auto", *TARGETS), default="auto", help=target_help)


def add_engine_option(command: argparse.ArgumentParser, engine_help: str) -> None:
    command.add_argument("--engine", choices=("python", "r"), default="python", help=engine_help)


def add_json_option(command: argparse.ArgumentParser, json_help: str) -> None:
    command.add_argument("--json", action="store_true", help=json_help)


def add_setting_option(command: argparse.ArgumentParser, name: str, setting: Setting) -> None:
    """``--name`` for a setting of the table, read as its kind is written: ``--hidden 4,3``,
    ``--seed 7``, ``--step 0.5``, ``--bias``, ``--loss mse``."""
    flag = f"--{name.replace('_', '-')}"
    if setting.kind == "flag":
        command.add_argument(flag, action="store_true", help=setting.help)
        return
    if setting.kind == "choice":
        kind: dict[str, Any] = {"choices": setting.choices}
    else:
        kind = {"type": OPTION_TYPES[setting.kind]}
    command.add_argument(flag, **kind, default=setting.default, help=setting.help)


def add_arithmetic_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--arithmetic",
        choices=ARITHMETICS,
        default="numpy",
        help="the Python engine's arithmetic: numpy's, or R's to the last bit (backprop.rarith)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    def run() -> int:
        args = build_parser().parse_args(argv)
        return int(args.run(args))

    return guarded("backprop", run)


def guarded(prog: str, run: Callable[[], int | None]) -> int:
    """Run an entry point so that it keeps the command's promise, whatever happens.

    ``run()`` returns the exit status (None is 0). Bad input and
    an output that cannot be written (``> /dev/full``, a closed stdout) are one
    line on stderr and exit 2; Ctrl-C is exit 130 and SIGTERM 143, each with
    nothing half-written (the ``finally`` blocks run); a reader that stops
    early (``| head``) is not an error. Anything else is a bug: its traceback
    shows.
    """
    if sys.stdout is None:  # started with stdout closed (`>&-`): nothing could be said
        print(f"{prog}: error: cannot write the output: standard output is closed",
              file=sys.stderr)  # fmt: skip
        return EXIT_BAD_INPUT
    on_main_thread = threading.current_thread() is threading.main_thread()
    before = signal.signal(signal.SIGTERM, _terminate) if on_main_thread else None
    try:
        return int(run() or 0)
    except BrokenPipeError:  # e.g. `backprop train --json | head`: not an error
        _silence_stdout()
        return 0
    except KeyboardInterrupt as stop:  # Ctrl-C or SIGTERM, in either engine
        _silence_stdout()
        terminated = isinstance(stop, Terminated)
        print(f"{prog}: {'terminated' if terminated else 'interrupted'}", file=sys.stderr)
        return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED
    except Exception as e:
        if not is_bad_input(e):
            raise  # a bug: let its traceback show
        _silence_stdout()
        print(f"{prog}: error: {describe_error(e)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        if on_main_thread:
            signal.signal(signal.SIGTERM, before)


def _terminate(signum: int, frame: object) -> NoReturn:
    raise Terminated


def _silence_stdout() -> None:
    """After a failure, whatever is left in stdout's buffer is not wanted, and writing it
    at exit would fail again (a closed pipe, a full disk): point stdout at /dev/null."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def describe_error(error: Exception) -> str:
    """One line: R's message without its "Error: " or "Error in call : " (so the R
    engine says what the Python engine says), an OS error as file: reason."""
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else "cannot write the output: "
        return f"{where}{error.strerror}"
    return R_ERROR_PREFIX.sub("", " ".join(str(error).split()), count=1)


def is_bad_input(error: Exception) -> bool:
    """Errors that mean "the input or the machine is wrong", not "the code is"."""
    return isinstance(error, ValueError | OSError | RError | RUnavailableError)


def settings_of(args: argparse.Namespace) -> dict[str, Any]:
    """The options that are settings of the table, by their names."""
    return {name: getattr(args, name) for name in SETTINGS if hasattr(args, name)}


def check_engine(args: argparse.Namespace) -> None:
    """``--arithmetic r`` is the Python engine's way to R's numbers; R needs no such help."""
    if args.engine == "r" and args.arithmetic == "r":
        raise ValueError(
            "--arithmetic r runs the Python engine on R's arithmetic; --engine r computes "
            "in R itself: give one of them"
        )


def run_train(args: argparse.Namespace) -> int:
    check_engine(args)
    with read_once(args.data) as data:
        return train_from(args, data)


def train_from(args: argparse.Namespace, data: Path) -> int:
    settings = settings_of(args)
    how = {"test_fraction": args.test_fraction, "restarts": args.restarts}
    X, Y = load_file(data, args.target, **settings)
    check_memory(X, Y, args.hidden, args.iterations, args.batch_size is not None, args.restarts)
    if args.engine == "r":
        check_fit(X, Y, **how, **settings)  # Python's checks first: the same words in both
    looped = args.engine == "r" and args.restarts is not None  # R trains restart after restart
    per_run = updates_per_run(args, X.shape[0])
    total = None if per_run is None else per_run * (args.restarts if looped else 1)
    with progress_bar(total, "training") as bar:
        if args.engine == "r":
            watch = None if bar is None else watching(bar, args, per_run, R_PROGRESS_CALLS)
            fitted = fit_of(
                session().call(
                    "fit_file", str(data), args.target, **how, **settings, **(watch or {})
                )
            )
        else:
            watch = None if bar is None else watching(bar, args, per_run, None)
            fitted = fit_file(
                data, args.target, **how, **settings, **(watch or {}), arithmetic=args.arithmetic
            )
    Y, result = fitted.Y, fitted.result
    output = fitted.to_json() if args.json else fitted.report()
    if not args.plot:
        print(output, flush=True)
        return 0
    from backprop import plots

    regions = "classes" in result and X.shape[1] == 2
    names = [*plots.COST_PLOTS, *([plots.REGIONS_PLOT] if regions else [])]
    names += [plots.RESTARTS_PLOT] if "cost_histories" in result else []
    with plots.written_together(args.plot, names) as pngs:  # all or nothing
        drawn = dict(zip(names, pngs, strict=True))
        plots.draw_cost_history(result["cost_history"], pngs[:2])
        if regions:
            draw_regions(result, X, Y, settings, drawn[plots.REGIONS_PLOT])
        if "cost_histories" in result:
            best = int(np.asarray(result["best"]).item())
            plots.draw_restarts(result["cost_histories"], best, drawn[plots.RESTARTS_PLOT])
        try:
            print(output, flush=True)  # the plots land only if the output did
        except BrokenPipeError:  # not `| head`'s "enough": the plots asked for are lost
            raise ValueError(
                "cannot write the output: it was closed before it was all written, so no "
                "plot was written"
            ) from None
    return 0


def draw_regions(
    result: dict[str, Any], X: np.ndarray, Y: np.ndarray, settings: dict[str, Any], path: Path
) -> None:
    """The decision regions of the trained network over the two features, every row on top."""
    from backprop.plots import draw_decision_regions

    def classify(points: np.ndarray) -> np.ndarray:
        targets = np.repeat(Y[:1], len(points), axis=0)  # any valid Y: the cost is not wanted
        return predicted_class(evaluate_network(result, points, targets, **settings).Y_hat)

    classes = [str(name) for name in result["classes"]]
    draw_decision_regions(classify, X, predicted_class(Y), classes, path)


def run_check(args: argparse.Namespace) -> int:
    check_engine(args)
    with read_once(args.data) as data:
        return check_from(args, data)


def check_from(args: argparse.Namespace, data: Path) -> int:
    settings = settings_of(args)
    X, Y = load_file(data, args.target, **settings)
    check_memory(X, Y, args.hidden, 0)
    with progress_bar(parameter_count(X, Y, args.hidden, args.bias), "central differences") as bar:
        progress = None if bar is None else (lambda n: bar.update(int(n)))  # R's 1 is a double
        if args.engine == "python":
            X, Y = on_arithmetic(X, args.arithmetic), on_arithmetic(Y, args.arithmetic)
            ratios = gradient_check(X, Y, progress=progress, **settings)
        else:
            r = session()
            scaled = r.call("load_file", str(data), args.target, **settings)
            in_r = r.call("gradient_check", scaled["X"], scaled["Y"], progress=progress, **settings)
            ratios = {name: float(np.asarray(value).ravel()[0]) for name, value in in_r.items()}
    not_finite = [name for name, ratio in ratios.items() if not math.isfinite(ratio)]
    if not_finite:
        raise ValueError(
            f"the gradient check of {not_finite[0]} is not a number: its gradient is not "
            "finite at the starting weights"
        )
    passed = all(ratio < PASS_LIMIT for ratio in ratios.values())
    if args.json:
        report = {"ratios": ratios, "limit": PASS_LIMIT, "pass": passed}
        print(json.dumps(report, allow_nan=False))
    else:
        print("norm(analytic - numeric) / norm(analytic + numeric), central differences")
        for name, ratio in ratios.items():
            verdict = "ok" if ratio < PASS_LIMIT else "WRONG"
            print(f"{name:6s} {ratio:.3e}  {verdict} (limit {PASS_LIMIT:g})")
    return 0 if passed else EXIT_CHECK_FAILED


def run_nnet(args: argparse.Namespace) -> int:
    with read_once(args.data) as data:
        return nnet_from(args, data)


def nnet_from(args: argparse.Namespace, data: Path) -> int:
    """nnet as its users call it, on the CSV read and scaled as ``train`` reads it
    (nnet itself scales nothing); the trace as nnet prints it, then the weights as
    the lecture's matrices."""
    auto = {"softmax": "onehot", "entropy": "binary"}.get(args.output, "numeric")
    X, Y = load_scaled(data, auto if args.target == "auto" else args.target)
    nnet_args = {"size": args.size, "seed": args.seed, "rang": args.rang, "decay": args.decay,
                 "maxit": args.maxit, "output": args.output}  # fmt: skip
    check_memory(X, Y, args.size, 0)
    check_fit_nnet(X, Y, **nnet_args)  # Python's checks first: the same words in both engines
    trace = io.StringIO()
    with contextlib.redirect_stdout(trace):  # printed only if the fit succeeds
        if args.engine == "r":
            fit = session().call("fit_nnet", X, Y, **nnet_args, trace=not args.json)
        else:
            fit = fit_nnet(X, Y, **nnet_args, trace=not args.json)
    if args.json:
        values = {k: np.asarray(v).item() if k in SCALARS + ("value",) else np.asarray(v).tolist()
                  for k, v in fit.items() if k != "nnet"}  # fmt: skip
        print(json.dumps(values, allow_nan=False))
        return 0
    parts = [f"${name}\n{format_matrix(fit[name])}" for name in ("W_1", "B_1", "W_2", "B_2")]
    parts.append(f"$value\n{format_vector(fit['value'])}")
    print(trace.getvalue() + "\n" + "\n\n".join(parts))
    return 0


def run_examples(args: argparse.Namespace) -> int:
    from backprop import examples

    records = examples.examples(args.arithmetic)  # R's twin, r/examples.R: held by parity tests
    print(json.dumps(records) if args.json else examples.format_examples(records))
    return 0
