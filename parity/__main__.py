"""``python -m parity``: every case in R and in Python, a table, exit 1 on any mismatch.

Every case of ``parity/reference/cases.csv``: the lecture's ``train`` for the
lecture's settings, ``train_network`` for every other activation, loss,
initialiser, optimiser, bias setting and depth. One row per case and
quantity (W_k, B_k, Y_hat, the initial W_k and B_k, cost_history).

Exit status: 0 when every case passes, 1 when any case fails or is
ill-conditioned, 2 when R or rpy2 is missing (or the arguments are wrong).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from backprop.cli import OneLineParser, guarded, output_dir, whole_number
from parity.cases import CASES_FILE, Case, read_cases, select
from parity.compare import (
    CHAOS_MARGIN,
    EXACT,
    FAIL,
    ILL_COND,
    PASS,
    TOLERANCE,
    CaseReport,
    Row,
    check_case,
    check_cases,
)
from parity.sides import Runner, bit_identity_expected, r_blas, run_python, run_python_r, run_r

PLOT_CASE = "lecture"
COLUMNS = "{:<20} {:<13} {:>13} {:>10} {:>10} {:>10} {:>10}  {}"
HEADER = ("case", "quantity", "shape", "max|diff|", "max rel", "max ulps", "1-ulp rel", "status")


def main(
    argv: Sequence[str] | None = None,
    python: Runner = run_python,
    r: Runner = run_r,
    cases: tuple[Case, ...] | None = None,
) -> int:
    """Run the cases (``--cases FILE``'s, or ``cases``); the sides and the case list
    are injectable, so tests can hand in a wrong port or a case that is not a default.
    R missing, an unwritable --plot or output, Ctrl-C: one line (``guarded``).
    ``python -m parity grade FILE ...`` is the grader's (``parity.grade``)."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["grade"]:
        from parity.grade import main as grade

        return grade(args[1:])
    return guarded("python -m parity", lambda: _run(argv, python, r, cases))


def _run(
    argv: Sequence[str] | None, python: Runner, r: Runner, cases: tuple[Case, ...] | None
) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        selected = select(args.case, read_cases(args.cases) if cases is None else cases)
    except ValueError as e:  # a broken cases file (CasesError), an unknown --case
        parser.error(str(e))  # exits 2
    if not selected:
        parser.error("no cases to run: nothing would be checked")
    start = time.perf_counter()
    exact = None if args.numpy_only else exact_runner()
    if (python, r) == (run_python, run_r):
        reports = check_cases(selected, exact=exact, jobs=args.jobs)
    else:  # injected sides (tests' wrong ports) stay in this process
        reports = [check_case(case, python, r, exact=exact) for case in selected]
    if args.plot:
        _plot(args.plot, reports, python, r)
    seconds = time.perf_counter() - start
    print(json.dumps(_json(reports), indent=2) if args.json else _table(reports, seconds))
    return 0 if _all_pass(reports) else 1


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="python -m parity", description="R against Python on every parity case."
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--case",
        action="append",
        default=[],
        metavar="NAME",
        help="run only this case of the cases file (repeatable)",
    )
    parser.add_argument(
        "--cases",
        type=Path,
        default=CASES_FILE,
        metavar="FILE",
        help="the cases to run, one a row, as parity/reference/cases.csv writes them "
        "(default: that file)",
    )
    parser.add_argument(
        "--plot",
        type=output_dir,
        metavar="DIR",
        help=f"write the {PLOT_CASE} case's R-vs-Python cost plot",
    )
    parser.add_argument(
        "--jobs",
        type=whole_number,
        default=os.cpu_count() or 1,
        metavar="N",
        help="check the cases in N processes, each with its own R (default: one per core)",
    )
    parser.add_argument(
        "--numpy-only",
        action="store_true",
        help="skip the second run of each case on R's arithmetic (backprop.rarith)",
    )
    return parser


def exact_runner() -> Runner | None:
    """The port on R's arithmetic, for the EXACT check; None, said on stderr, when R
    calls a BLAS other than the reference one (bit identity is not expected then)."""
    if bit_identity_expected():
        return run_python_r
    print(f"parity: R uses BLAS {r_blas()}: bit identity is not expected", file=sys.stderr)
    return None


def _all_pass(reports: list[CaseReport]) -> bool:
    """Every case within the tolerance and, where it was checked, EXACT."""
    return all(report.status == PASS and report.exact is not False for report in reports)


def _plot(directory: Path, reports: list[CaseReport], python: Runner, r: Runner) -> None:
    from parity.plots import plot_costs  # matplotlib only when asked for

    report = next((rep for rep in reports if rep.case.name == PLOT_CASE), None)
    if report is None:
        report = check_case(select([PLOT_CASE])[0], python, r)
    path = directory / f"parity_{PLOT_CASE}_cost.png"
    title = f"{PLOT_CASE}: R and Python cost histories"
    plot_costs(report.r["cost_history"], report.python["cost_history"], path, title)
    print(f"parity: wrote {path}", file=sys.stderr)


def _table(reports: list[CaseReport], seconds: float) -> str:
    lines = [_tolerance_line(), COLUMNS.format(*HEADER)]
    for report in reports:
        lines += [_row_line(report.case.name, row) for row in report.rows]
    lines += [_verdict(report) for report in reports if report.status != PASS]
    lines += [f"{r.case.name}: not {EXACT} on R's arithmetic" for r in reports if r.exact is False]
    lines.append(_summary(reports, seconds))
    return "\n".join(lines)


def _tolerance_line() -> str:
    return (
        f"R vs Python, elementwise |r - py| <= atol + rtol * max(|r|, |py|) "
        f"with rtol {TOLERANCE.rtol:.0e}, atol {TOLERANCE.atol:.0e}; "
        "1-ulp rel: how far Python moves when every initial weight moves by one ulp"
    )


def _row_line(name: str, row: Row) -> str:
    d = row.diff
    shape = _shape(d.shape_expected)
    if not d.same_shape:
        shape = f"{shape} vs {_shape(d.shape_actual)}"
    numbers = [_number(d.max_abs), _number(d.max_rel), _ulps(d.max_ulps), _number(row.sensitivity)]
    return COLUMNS.format(name, row.quantity, shape, *numbers, row.status)


def _verdict(report: CaseReport) -> str:
    """Why a case did not pass, and up to which iteration R and Python agree."""
    agree = f"R and Python cost histories agree up to iteration {report.horizon}"
    costs = len(report.python.get("cost_history", ()))  # iterations (bfgs: evaluations)
    verdict = f"{report.case.name}: {report.status}: {agree} of {costs}"
    if report.ill_conditioned:
        moved = TOLERANCE.rtol * CHAOS_MARGIN
        verdict += (
            f"; ill-conditioned: after iteration {report.chaos_onset} one ulp of "
            f"initial weights moves Python's cost by more than {moved:.0e}"
        )
    return verdict


def _summary(reports: list[CaseReport], seconds: float) -> str:
    counts = {status: sum(r.status == status for r in reports) for status in (PASS, FAIL, ILL_COND)}
    checked = [r for r in reports if r.exact is not None]
    exact = (
        f"; on R's arithmetic (backprop.rarith): {sum(bool(r.exact) for r in checked)} of "
        f"{len(checked)} {EXACT} (0 ulps in every quantity)"
        if checked
        else ""
    )
    return (
        f"{len(reports)} cases: {counts[PASS]} pass, {counts[FAIL]} fail, "
        f"{counts[ILL_COND]} ill-conditioned (rtol {TOLERANCE.rtol:.0e}, "
        f"atol {TOLERANCE.atol:.0e}){exact} in {seconds:.1f} s"
    )


def _shape(shape: tuple[int, ...] | None) -> str:
    return "missing" if shape is None else "x".join(map(str, shape))


def _number(x: float | None) -> str:
    return "-" if x is None else f"{x:.2e}"


def _ulps(n: int | None) -> str:
    return "-" if n is None else (str(n) if n < 10**6 else f"{n:.2e}")


def _json(reports: list[CaseReport]) -> dict[str, Any]:
    return {
        "tolerance": {"rtol": TOLERANCE.rtol, "atol": TOLERANCE.atol},
        "ok": _all_pass(reports),
        "cases": [_case_json(report) for report in reports],
    }


def _case_json(report: CaseReport) -> dict[str, Any]:
    return {
        "case": report.case.name,
        "status": report.status,
        "exact": report.exact,
        "ill_conditioned": report.ill_conditioned,
        "horizon": report.horizon,
        "chaos_onset": report.chaos_onset,
        "iterations": report.case.iterations,
        "quantities": [
            {
                "quantity": row.quantity,
                "shape_r": _json_shape(row.diff.shape_expected),
                "shape_python": _json_shape(row.diff.shape_actual),
                "max_abs": row.diff.max_abs,
                "max_rel": row.diff.max_rel,
                "max_ulps": row.diff.max_ulps,
                "sensitivity": row.sensitivity,
                "status": row.status,
            }
            for row in report.rows
        ],
    }


def _json_shape(shape: tuple[int, ...] | None) -> list[int] | None:
    return None if shape is None else list(shape)


if __name__ == "__main__":
    sys.exit(main())
