"""``make notebook``: the lecture as a Jupyter notebook students run.

``python -m parity.site.notebook [--out lecture.ipynb] [--execute]`` writes the
slides' script as a notebook, built with nbformat from the same chunks as the
site (``parity.site.script``): for each chunk a markdown cell (the slides'
words and math), an R cell (rpy2's ``%%R`` magic) and its Python cell, each
printing the values the chunk made. A last pair passes R's results into Python
(``%%R -o``) and shows the two languages agree. R starts as ``R --vanilla``
does, so no ``~/.Rprofile`` can change a number. ``--execute`` runs it first
(nbclient, the ``python3`` kernel: ipykernel), as the site's copy is run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

from parity.site.extract import SiteError
from parity.site.script import CHUNKS, script_chunks

ROOT = Path(__file__).resolve().parents[2]

START_R = """\
# R inside this notebook: rpy2's %%R magic, R started as `R --vanilla` starts
# (no ~/.Rprofile can change a number). Quietly: rpy2 asks for pandas (not
# needed here), and R warns that an empty site library holds no packages.
import warnings

from rpy2.rinterface_lib import embedded

if not embedded.isinitialized():
    embedded.set_initoptions(("rpy2", "--quiet", "--vanilla"))
import rpy2.robjects as ro

warnings.filterwarnings("ignore", message="The Python package `pandas`")
_ = ro.r("options(warn = -1)")
%load_ext rpy2.ipython
_ = ro.r("options(warn = 0)")"""

# R's results passed into Python: names of their own, so Python's stay Python's.
PASS_TO_PYTHON = """\
%%R -o r_W_1,r_W_2,r_Y_hat,r_cost_hist
r_W_1 <- W_1
r_W_2 <- W_2
r_Y_hat <- Y_hat
r_cost_hist <- cost_hist"""

AGREE = """\
# R's numbers (passed in by %%R -o above) against Python's.
for name, r_value, py_value in [
    ("W_1", r_W_1, W_1),
    ("W_2", r_W_2, W_2),
    ("Y_hat", r_Y_hat, Y_hat),
    ("cost_hist", r_cost_hist, cost_hist),
]:
    r_value = np.asarray(r_value).reshape(np.shape(py_value))
    print(f"{name:9} largest difference {np.max(np.abs(r_value - py_value)):.1e}")
    np.testing.assert_allclose(py_value, r_value, rtol=1e-10, atol=1e-15)
print("R and Python agree")"""


def _prints(code: str, lines: list[str]) -> str:
    """A chunk's code, then a line printing each value it made (unless it prints)."""
    if "print(" in code or not lines:
        return code
    return code + "\n\n" + "\n".join(lines)


def lecture_notebook(root: Path = ROOT) -> Any:
    """The notebook (an ``nbformat`` node, not executed) from the chunks under ``root``."""
    import nbformat.v4 as nbf

    from parity.site.build import CHUNK_NOTES

    cells = [
        nbf.new_markdown_cell(
            "# Back propagation: Stats 102B, week 3, lecture 3\n\n"
            "The slides' script, chunk by chunk: each R cell (rpy2's `%%R`) is followed "
            "by its Python twin. Run the cells in order (R and Python each keep their own "
            "variables); the last two pass R's results into Python and show they agree."
        ),
        nbf.new_code_cell(START_R),
    ]
    for chunk, code in zip(CHUNKS, script_chunks(root), strict=True):
        before, after = CHUNK_NOTES.get(chunk.name, ("", ""))
        cells.append(nbf.new_markdown_cell(f"## {chunk.title}\n\n{before}".strip()))
        if code["r"]:
            r_code = _prints(code["r"], [f"print({s.r})" for s in chunk.shows])
            cells.append(nbf.new_code_cell("%%R\n" + r_code))
        cells.append(nbf.new_code_cell(
            _prints(code["python"], [f"print({s.python})" for s in chunk.shows])
        ))  # fmt: skip
        if after:
            cells.append(nbf.new_markdown_cell(after))
    cells += [
        nbf.new_markdown_cell("## Do R and Python agree?"),
        nbf.new_code_cell(PASS_TO_PYTHON),
        nbf.new_code_cell(AGREE),
    ]
    notebook = nbf.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return notebook


def execute(notebook: Any, cwd: Path, timeout: int = 120) -> Any:
    """Run every cell in a fresh ``python3`` kernel (nbclient); a failing cell raises."""
    from nbclient import NotebookClient

    NotebookClient(
        notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    ).execute(stderr=subprocess.DEVNULL)  # the kernel's own log (its transport); errors are cells'
    return notebook


def write(notebook: Any, path: Path) -> None:
    import nbformat

    path.write_text(nbformat.writes(notebook))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parity.site.notebook", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("lecture.ipynb"))
    parser.add_argument("--execute", action="store_true", help="run it before writing it")
    args = parser.parse_args(argv)
    try:
        notebook = lecture_notebook()
        if args.execute:
            execute(notebook, args.out.parent.resolve())
    except SiteError as e:
        print(f"parity.site.notebook: error: {e}", file=sys.stderr)
        return 2
    write(notebook, args.out)
    print(f"parity.site.notebook: wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
