"""The ``backprop`` command: ``backprop train [options]``.

Bad input gets one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from backprop.data import load_scaled
from backprop.network import check_training_args, train
from backprop.rprint import format_matrix, format_vector

LECTURE_DATA = Path(__file__).resolve().parents[2] / "data" / "lecture.csv"
EXIT_BAD_INPUT = 2


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage block) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="backprop", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    train_cmd = commands.add_parser("train", help="train the lecture's network and print it")
    train_cmd.add_argument(
        "--data",
        type=Path,
        default=LECTURE_DATA,
        help="CSV with a header, target last (default: the lecture's)",
    )
    train_cmd.add_argument("--hidden", type=int, default=3, help="hidden units (default 3)")
    train_cmd.add_argument("--seed", type=int, default=1, help="R's set.seed (default 1)")
    train_cmd.add_argument("--iterations", type=int, default=10000, help="default 10000")
    train_cmd.add_argument("--step", type=float, default=5.0, help="step size (default 5)")
    train_cmd.add_argument(
        "--engine",
        choices=("python", "r"),
        default="python",
        help="run the Python port (default) or r/network.R through rpy2",
    )
    train_cmd.add_argument(
        "--json", action="store_true", help="print one JSON object, every float at full precision"
    )
    train_cmd.add_argument(
        "--plot",
        type=Path,
        metavar="DIR",
        help="write the cost history, linear and log scale, as PNGs",
    )
    train_cmd.set_defaults(run=run_train)
    return parser  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except BrokenPipeError:  # e.g. `backprop train --json | head`: not an error
        sys.stderr.close()
        return 0
    except Exception as e:
        if not is_bad_input(e):
            raise  # a bug: let its traceback show
        message = str(e).removeprefix("Error: ").strip()
        print(f"backprop: error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT


def is_bad_input(error: Exception) -> bool:
    """Errors that mean "the input or the machine is wrong", not "the code is"."""
    from_r = type(error).__module__ == "parity.r_session"  # RError, RUnavailableError
    return isinstance(error, ValueError | OSError) or from_r


def run_train(args: argparse.Namespace) -> int:
    X, Y = load_scaled(args.data)
    check_training_args(X, Y, args.hidden, args.seed, args.iterations, args.step)
    settings = dict(hidden=args.hidden, seed=args.seed, iterations=args.iterations, step=args.step)
    if args.engine == "r":
        result = train_in_r(args.data, **settings)
    else:
        result = dataclasses.asdict(train(X, Y, **settings))
    if args.plot:
        from backprop.plots import plot_cost_history  # matplotlib only when asked

        plot_cost_history(result["cost_history"], args.plot)
    print(to_json(result) if args.json else to_text(result, Y))
    return 0


def train_in_r(data: Path, **settings: Any) -> dict[str, Any]:
    """``r/network.R``'s train on R's own reading and scaling of ``data``."""
    from parity.r_session import session  # rpy2 stays inside parity/

    r = session()
    raw = r.call("read_data", str(data))
    X, Y = r.call("scale_features", raw["x"]), r.call("scale_target", raw["y"])
    result: dict[str, Any] = r.call("train", X, Y, **settings)
    return result


def to_json(result: dict[str, Any]) -> str:
    """Floats as Python's repr: the shortest text that reads back to the same double."""
    keys = ("W_1", "W_2", "Y_hat", "W_1_init", "W_2_init", "cost_history")
    return json.dumps({key: np.asarray(result[key]).tolist() for key in keys})


def to_text(result: dict[str, Any], Y: np.ndarray) -> str:
    """What R prints for the same objects."""
    fitted = np.hstack([result["Y_hat"], Y])
    return "\n\n".join([
        f"$W_1\n{format_matrix(result['W_1'])}",
        f"$W_2\n{format_matrix(result['W_2'])}",
        f"$Y_hat next to Y\n{format_matrix(fitted, colnames=['Y_hat', 'Y'])}",
        f"$final_cost\n{format_vector(result['cost_history'][-1:])}",
    ])  # fmt: skip
