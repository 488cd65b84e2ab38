"""Running the ``backprop`` command in-process, as the tests of the command do."""

from __future__ import annotations

import contextlib
import io

from backprop.cli import main


def run(argv: list[str]) -> tuple[int, str, str]:
    """``backprop ARGV``: its exit status (argparse's usage errors too), stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as e:
            status = int(e.code or 0)
    return status, out.getvalue(), err.getvalue()
