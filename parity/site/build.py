"""``make site``: the teaching site, built from the twins and from runs made now.

Every piece of code on the site is taken from ``r/`` and ``py/backprop/`` by
function name (``parity.site.extract``); every number is computed while
building, in both languages: R through the project's R session (``r/*.R``)
and ``Rscript``, Python through ``backprop``. Highlighting is Pygments',
pages are Jinja2 templates, the math is MathML (``latex2mathml``), which the
browser renders with no script and no network.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
from latex2mathml.converter import convert as latex_to_mathml
from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer, SLexer

from backprop import activations as py_activations
from backprop.data import load_scaled
from backprop.examples import EXAMPLE_LABELS, EXAMPLE_STEPS, examples
from backprop.fit import train_restarts
from backprop.plots import RESTARTS_PLOT, draw_restarts
from backprop.r_engine import RSession, session
from backprop.resources import DATA_DIR, R_DIR
from backprop.single_neuron import train_single_neuron
from parity.cases import select
from parity.compare import check_case, ulp_distance
from parity.sides import run_python_r
from parity.site.diagram import network_svg
from parity.site.documents import formula_views
from parity.site.exercises import run_exercises
from parity.site.explorer import SEEDS as EXPLORER_SEEDS
from parity.site.explorer import STEPS as EXPLORER_STEPS
from parity.site.explorer import explorer_runs
from parity.site.extract import SiteError, Twin, twins
from parity.site.porting import PortingNote, porting_notes
from parity.site.script import CHUNKS, run_chunks, script_chunks
from parity.site.tex import mathml, tex

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]  # the checkout whose r/ and py/backprop/ the pages show
PAGES = ("index", "lecture", "documents", "porting")
CODE_STYLE = "xcode"  # every token at least 5:1 on white (WCAG AA asks 4.5:1)


# The lecture page's sections, in the slides' order.
SECTIONS = (
    ("quiz", "Quick review quiz"),
    ("network", "Neural networks: review"),
    ("backprop", "Back propagation"),
    ("dw2", "The gradient with respect to W⁽²⁾"),
    ("dw1", "The gradient with respect to W⁽¹⁾"),
    ("code", "Coding it up"),
    ("explorer", "See gradient descent move"),
    ("restarts", "Different starting locations"),
    ("exercises", "Exercises"),
    ("parity", "How we know R and Python agree"),
)

# What the page says before a chunk (the slides' words and math) and after what
# it printed; ``$...$`` is LaTeX.
CHUNK_NOTES: dict[str, tuple[str, str]] = {
    "setup": (
        "<p>Python needs numpy for its matrices, and R's generator "
        "(<code>backprop.rng</code>) to draw R's random numbers; <code>backprop.rprint</code> "
        "prints as R prints, <code>backprop.cli</code> serves the command line.</p>",
        "",
    ),
    "sigmoid": (
        r"$$f(t) = \frac{1}{1 + e^{-t}}$$<p>We define a function called sigmoid. This "
        "will apply the sigmoid function to a vector or matrix element-wise.</p>",
        "",
    ),
    "data": (
        "<p>Three students: hours of sleep and of study, and a test score. Each input "
        "column is divided by its maximum and the score by 100, so all lie in [0, 1].</p>",
        "<p>R's <code>t(t(x)/colmax)</code> divides each column by its maximum; numpy "
        "broadcasts <code>x / colmax</code> over the rows.</p>",
    ),
    "sizes": (
        "<p>We use variables to specify properties of the neural network to maintain "
        "flexibility.</p>",
        "",
    ),
    "forward": (
        r"$$\underset{N \times 2}{\mathbf{X}} \underset{2 \times 3}{\mathbf{W}^{(1)}} = "
        r"\underset{N \times 3}{\mathbf{z}^{(2)}} \qquad f(\mathbf{z}^{(2)}) = "
        r"\mathbf{a}^{(2)} \qquad \underset{N \times 3}{\mathbf{a}^{(2)}} "
        r"\underset{3 \times 1}{\mathbf{W}^{(2)}} = \underset{N \times 1}{\mathbf{z}^{(3)}}"
        r" \qquad f(\mathbf{z}^{(3)}) = \hat{\mathbf{y}}$$"
        "<p>First with every weight 1, as the slides do. R's <code>%*%</code> is "
        "Python's <code>@</code>.</p>",
        "<p>With every weight 1 each hidden unit computes the same sum, so the three "
        "columns of <code>A_2</code> are equal.</p>",
    ),
    "cost": (
        r"$$\mathcal{J} = \frac{1}{2} \sum_n (y_n - \hat{y}_n)^2$$",
        "<p>The same number: R prints 7 significant digits, Python's float all 17.</p>",
    ),
    "sigmoidprime": (
        r"$$f'(t) = \frac{e^{-t}}{(1 + e^{-t})^2}$$",
        "",
    ),
    "delta_3": (
        r"$$\frac{\partial \mathcal{J}}{\partial \mathbf{W}^{(2)}} = "
        r"\underbrace{(\mathbf{a}^{(2)})^T}_{3 \times N} \underbrace{\delta^{(3)}}_{N "
        r"\times 1}, \qquad \delta^{(3)} = -(\mathbf{y} - \hat{\mathbf{y}}) \odot "
        r"f'(\mathbf{z}^{(3)})$$<p>R's <code>*</code> and numpy's <code>*</code> are both "
        "the element-wise product $\\odot$; <code>t(A_2)</code> is <code>A_2.T</code>.</p>",
        "",
    ),
    "delta_2": (
        r"$$\frac{\partial \mathcal{J}}{\partial \mathbf{W}^{(1)}} = "
        r"\underbrace{\mathbf{X}^T}_{2 \times N} \underbrace{\delta^{(2)}}_{N \times 3},"
        r" \qquad \delta^{(2)} = \delta^{(3)} (\mathbf{W}^{(2)})^T \odot "
        r"f'(\mathbf{z}^{(2)})$$",
        "<p><strong>Why are the three columns of <code>djdw1</code> equal?</strong> With "
        "every weight 1 the three hidden units are the same function of the inputs: the "
        "same <code>Z_2</code> column, the same <code>A_2</code> column, the same weight "
        "to the output, so the same gradient. Gradient descent would move them by the "
        "same amount at every step, and they would stay equal for ever: three units "
        "doing the work of one. That is why the weights start random.</p>",
    ),
    "init": (
        "<p>Initialize our weight matrices again with random weights. "
        "<code>matrix(runif(6), 2, 3)</code> fills by column; Python draws the same "
        "numbers from R's own generator (<code>backprop.rng</code>, bit for bit) and "
        'fills by column too (<code>order="F"</code>).</p>',
        "",
    ),
    "descent": (
        r"$$\mathbf{W}^{(k)} \leftarrow \mathbf{W}^{(k)} - 5 \, \frac{\partial "
        r"\mathcal{J}}{\partial \mathbf{W}^{(k)}}$$"
        "<p>Ten thousand steps of size 5 (<code>scalar</code>), recording the cost "
        "before each step.</p>",
        "<p>R counts from 1, Python from 0: R's <code>cost_hist[c(1, 2, 10000)]</code> "
        "is Python's <code>cost_hist[[0, 1, -1]]</code>.</p>",
    ),
    "results": (
        "",
        "<p>The slides: the resulting coefficients are <q>basically uninterpretable</q>; "
        "the fitted values <q>match well (probably overfit)</q>: three data points, nine "
        "weights.</p>",
    ),
}

# The bias homework's answer, in the slides' style.
BIAS_R = """\
# forward, with biases: B_1 (1 x 3) added to every row, B_2 (1 x 1) too
Z_2 <- X %*% W_1 + matrix(B_1, nrow(X), 3, byrow = TRUE)
A_2 <- sigmoid(Z_2)
Z_3 <- A_2 %*% W_2 + B_2[1, 1]
Y_hat <- sigmoid(Z_3)
# backward: the deltas as before, then their column sums
delta_3 <- -(Y - Y_hat) * sigmoidprime(Z_3)
delta_2 <- delta_3 %*% t(W_2) * sigmoidprime(Z_2)
djdb2 <- colSums(delta_3)
djdb1 <- colSums(delta_2)"""
BIAS_PYTHON = """\
# forward, with biases: numpy broadcasts B_1 (1, 3) and B_2 (1, 1) over the rows
Z_2 = X @ W_1 + B_1
A_2 = sigmoid(Z_2)
Z_3 = A_2 @ W_2 + B_2
Y_hat = sigmoid(Z_3)
# backward: the deltas as before, then their column sums
delta_3 = -(Y - Y_hat) * sigmoidprime(Z_3)
delta_2 = delta_3 @ W_2.T * sigmoidprime(Z_2)
djdb2 = delta_3.sum(axis=0, keepdims=True)
djdb1 = delta_2.sum(axis=0, keepdims=True)"""

# Under the hood: which library functions each chunk is, in words.
HOOD_WHAT = {
    "sigmoid": "sigmoid",
    "data": "scaling",
    "forward": "the forward pass",
    "cost": "the cost",
    "sigmoidprime": "f'",
    "delta_2": "both gradients",
    "init": "the starting weights",
    "descent": "the training loop, with its checks",
}

# How each printed value of the restarts section is named on the page.
PRINT_LABELS = {"restart_costs": "each restart's last cost, sorted"}
# The documents page's picture: every activation of the table with an element-wise f'.
PLOTTED_ACTIVATIONS = tuple(
    name for name, (_, prime) in py_activations.ACTIVATIONS.items() if prime is not None
)

# The other two documents: a section per R/Python file pair.
DOCUMENT_SECTIONS = (
    ("activations", "Activations", "Each activation f and its derivative f′, then what R and "
     "Python give on the same Z, computed while building; the code is folded below."),
    ("losses", "Losses", "Each loss J(Y, Y_hat) and its gradient dJ/dY_hat, then both "
     "languages on the same Y and Y_hat."),
    ("initialisers", "Initialisers", "All drawn from R's generator, so both languages "
     "start from the same numbers."),
    ("optimisers", "Optimisers", "How a weight matrix W moves given its gradient g (step "
     "η = 0.1, β = ρ = β₁ = 0.9, β₂ = 0.999, ε = 1e-8): one update from the same W and g in "
     "both languages."),
)  # fmt: skip


@dataclass(frozen=True)
class Runs:
    """What the build computes by running both languages; the images are in ``img``."""

    img: Path
    chunks: list[dict[str, Any]]  # the slides' script, chunk by chunk: what each printed
    cost_alt: tuple[str, str]  # the two cost plots, in words
    printed: dict[str, tuple[str, str]]  # R's printout and Python's, by name
    notebook: str  # the lecture's notebook, run (lecture.ipynb)
    explorer: list[dict[str, Any]]  # gradient descent at each step size and seed
    exercises: dict[str, Any]  # the answers, run
    formulas: dict[str, list[dict[str, Any]]]  # the documents page's formulas, run
    parity_rows: list[dict[str, Any]]
    examples: list[dict[str, Any]]
    neuron: tuple[str, str]  # R's progress lines and Python's
    porting: list[dict[str, Any]]


def run_both(img: Path) -> Runs:
    """Run everything the site shows, in R and in Python; write the images into ``img``."""
    r = session()
    r.source(HERE / "site.R")
    img.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(3) as pool:  # the notebook's kernel and the two scripts
        notebook = pool.submit(_run_notebook, img)  # run in their own processes
        scripts = [pool.submit(run, ["Rscript", "--vanilla", str(R_DIR / "lecture.R")]),
                   pool.submit(run, [sys.executable, "-m", "backprop.lecture"])]  # fmt: skip
        chunk_runs, env, namespace = run_chunks(r, script_chunks(ROOT))
        cost_alt = draw_cost_plots(r, env, namespace, img)
        printed = lecture_printouts(r, img)
        explorer = explorer_runs(r)
        exercises = run_exercises(r, env, namespace)
        formulas = formula_views(r)
        printed["script"] = (scripts[0].result().rstrip("\n"), scripts[1].result().rstrip("\n"))
        parity_rows = lecture_parity()
        plot_activations(img / "activations.png")
        porting = [porting_view(note, r) for note in porting_notes()]
        views = example_views(r), neuron_lines(r)
        ran = notebook.result()
    return Runs(
        img,
        chunk_runs,
        cost_alt,
        printed,
        ran,
        explorer,
        exercises,
        formulas,
        parity_rows,
        *views,
        porting,
    )


def _run_notebook(img: Path) -> str:
    """The lecture's notebook, executed in a fresh kernel, as JSON text."""
    import nbformat

    from parity.site.notebook import execute, lecture_notebook

    workdir = img.parent / ".notebook"  # where the kernel runs: removed after
    workdir.mkdir(exist_ok=True)
    try:
        return str(nbformat.writes(execute(lecture_notebook(ROOT), workdir)))
    except Exception as e:  # nbclient's CellExecutionError, a kernel that does not start
        raise SiteError(f"the lecture's notebook failed: {str(e).strip()[-600:]}") from None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


MARKER = ".made-by-parity-site"  # in every folder the build wrote: it may replace those alone


def build(out: Path, root: Path = ROOT, runs: Runs | None = None) -> list[Path]:
    """Write the site into ``out``, its code read from ``root``; return its pages' paths.

    ``out`` must be new, empty, or a site this build made before (it holds
    ``MARKER``): anything else is refused before anything is written. The site
    is written into a new folder beside ``out`` and put in its place only once
    it is whole, so a failed build leaves ``out`` as it was. Every twin is taken
    from the sources first, so a missing one stops the build before anything
    runs. ``runs`` (from ``run_both``) can be reused to rebuild from other
    sources without running again.
    """
    check_output_folder(out)
    chunks = [
        {**chunk, "r": code(chunk["r"], "r") if chunk["r"] else "",
         "python": code(chunk["python"], "python"),
         "hood": [{"stem": stem, "what": HOOD_WHAT[chunk["name"]],
                   "views": twin_views(twins(root, stem, list(names)))}
                  for stem, names in spec.hood]}
        for chunk, spec in zip(script_chunks(root), CHUNKS, strict=True)
    ]  # fmt: skip
    restarts_twins = twin_views(twins(root, "fit", ["train_restarts"]))
    sections = [
        {"id": stem, "title": title, "text": text, "twins": twin_views(twins(root, stem))}
        for stem, title, text in DOCUMENT_SECTIONS
    ]
    neuron_twins = twin_views(twins(root, "single_neuron"))
    with _replacing(out) as staging:
        return _write_site(staging, out, chunks, restarts_twins, sections, neuron_twins, runs)


def check_output_folder(out: Path) -> None:
    """Refuse an ``out`` the build may not replace: a file, or a folder it did not make."""
    if out.exists() and not out.is_dir():
        raise SiteError(f"--out {out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SiteError(
            f"--out {out} is a folder this build did not make, and not empty: "
            "choose a new or empty folder (nothing was written)"
        )


@contextlib.contextmanager
def _replacing(out: Path) -> Iterator[Path]:
    """A new folder beside ``out`` to build in; swapped in for ``out`` if the block
    succeeds, removed if it fails. Parent folders made for it go too on failure."""
    made = [p for p in (out.absolute(), *out.absolute().parents) if not p.exists()][1:]
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        yield staging
        (staging / MARKER).write_text("made by python -m parity.site: rebuilt, it is replaced\n")
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            out.rename(old / out.name)
            staging.rename(out)
            shutil.rmtree(old)
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in made:  # innermost first
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _write_site(
    out: Path,
    final: Path,
    chunks: list[dict[str, Any]],
    restarts_twins: list[dict[str, Any]],
    sections: list[dict[str, Any]],
    neuron_twins: list[dict[str, Any]],
    runs: Runs | None,
) -> list[Path]:
    """The pages, stylesheets and images, written into ``out`` (to be moved to ``final``)."""
    if runs is None:
        runs = run_both(out / "img")
    else:
        shutil.copytree(runs.img, out / "img")
    for chunk, ran in zip(chunks, runs.chunks, strict=True):
        before, after = CHUNK_NOTES.get(chunk["name"], ("", ""))
        chunk.update(ran, note=tex(before) if before else "", after=tex(after) if after else "")
    site = {
        "sections": [{"id": i, "title": t} for i, t in SECTIONS if i in _shown(runs)],
        "network_svg": Markup(network_svg()),
        "chunks": chunks,
        "script": {"r": runs.printed["script"][0], "python": runs.printed["script"][1]},
        "cost_plots": [
            {
                "r_code": 'plot(cost_hist, type = "l")',
                "py_code": "plt.plot(cost_hist)",
                "r_img": "img/r/cost_hist.png",
                "py_img": "img/py/cost_hist.png",
                "alt": runs.cost_alt[0],
            },
            {
                "r_code": 'plot(log(cost_hist), type = "l")',
                "py_code": "plt.plot(np.log(cost_hist))",
                "r_img": "img/r/cost_hist_log.png",
                "py_img": "img/py/cost_hist_log.png",
                "alt": runs.cost_alt[1],
            },
        ],
        "restarts": {
            "twins": restarts_twins,
            "prints": [
                {"name": PRINT_LABELS[n], "r": runs.printed[n][0], "python": runs.printed[n][1]}
                for n in PRINT_LABELS
            ],
            "alt": runs.printed["restarts_alt"][0],
        },
        "exercises": {
            **runs.exercises,
            "bias_code": {"r": code(BIAS_R, "r"), "python": code(BIAS_PYTHON, "python")},
        },
        "explorer": {
            "steps": [f"{s:g}" for s in EXPLORER_STEPS],
            "seeds": [str(s) for s in EXPLORER_SEEDS],
            "runs": [{**run, "svg": Markup(run["svg"])} for run in runs.explorer],
        },
        "parity_rows": runs.parity_rows,
        "doc_sections": sections,
        "plotted_activations": ", ".join(PLOTTED_ACTIVATIONS),
        "formulas": {
            section: [
                {
                    **item,
                    "f_math": Markup(mathml(item["f"])),
                    "prime_math": Markup(mathml(item["prime"])) if item["prime"] else "",
                }
                for item in items
            ]
            for section, items in runs.formulas.items()
        },  # fmt: skip
        "examples": runs.examples,
        "neuron": {"twins": neuron_twins, "r": runs.neuron[0], "python": runs.neuron[1]},
        "porting": runs.porting,
    }
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["tex"] = tex
    shutil.copy(HERE / "static" / "site.css", out / "site.css")
    shutil.copy(HERE / "static" / "site.js", out / "site.js")
    (out / "lecture.ipynb").write_text(runs.notebook)
    (out / "pygments.css").write_text(HtmlFormatter(style=CODE_STYLE).get_style_defs(".code"))
    written = []
    for page in PAGES:
        html = env.get_template(f"{page}.html.j2").render(site=site, page=page, pages=PAGES)
        (out / f"{page}.html").write_text(html)
        written.append(final / f"{page}.html")
    return written


def _shown(runs: Runs) -> set[str]:
    """The lecture's sections this build has: the explorer and exercises when built."""
    return {i for i, _ in SECTIONS}


def code(source: str, language: str) -> Markup:
    """Source highlighted by Pygments, as HTML."""
    lexer = SLexer() if language == "r" else PythonLexer()
    return Markup(highlight(source, lexer, HtmlFormatter(cssclass="code")))


def math(latex: str) -> Markup:
    """LaTeX as display MathML."""
    return Markup(latex_to_mathml(latex, display="block"))


def twin_views(pairs: list[Twin]) -> list[dict[str, Any]]:
    return [{"name": t.name, "r": code(t.r, "r"), "python": code(t.python, "python")}
            for t in pairs]  # fmt: skip


def run(command: list[str]) -> str:
    """A command's standard output; its failure stops the build with its message."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SiteError(f"{' '.join(command)} failed: {done.stderr.strip()}")
    return done.stdout


def lecture_printouts(r: RSession, img: Path) -> dict[str, tuple[str, str]]:
    """The restarts' last costs (R's print, numpy's print); their plots are drawn
    into ``img``."""
    X, Y = load_scaled(str(DATA_DIR / "lecture.csv"))
    r_data = r.call("load_scaled", str(DATA_DIR / "lecture.csv"))
    restarts = train_restarts(X, Y, restarts=5)
    r_restarts = r.call("train_restarts", r_data["X"], r_data["Y"], 5)
    (img / "r").mkdir(exist_ok=True)
    (img / "py").mkdir(exist_ok=True)
    r.call("plot_restarts", r_restarts["cost_histories"], r_restarts["best"],
           str(img / "r" / RESTARTS_PLOT))  # fmt: skip
    draw_restarts(restarts["cost_histories"], int(restarts["best"][0]), img / "py" / RESTARTS_PLOT)
    last = np.sort(restarts["cost_histories"][-1])
    plateau = int(np.sum(last > 1e-4))
    return {
        "restart_costs": (r_print(r, np.sort(np.asarray(r_restarts["cost_histories"])[-1])),
                          str(last)),
        "restarts_alt": (
            f"Each restart's cost against the iteration, log scale, the best in red: "
            f"{plateau} of {last.size} stay on the plateau near {last[-1]:.1e}, the "
            f"others end below {last[last.size - plateau - 1]:.0e}",
        ) * 2,
    }  # fmt: skip


def draw_cost_plots(r: RSession, env: Any, namespace: dict[str, Any], img: Path) -> tuple[str, str]:
    """The slides' two plots of ``cost_hist``, R's from R's run of the chunks and
    matplotlib's from Python's, both 1200 x 800; what they show, in words."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    (img / "r").mkdir(parents=True, exist_ok=True)
    (img / "py").mkdir(parents=True, exist_ok=True)
    cost_hist = np.asarray(namespace["cost_hist"])
    for name, r_code, values, ylab in (
        ("cost_hist", 'plot(cost_hist, type = "l")', cost_hist, "cost_hist"),
        ("cost_hist_log", 'plot(log(cost_hist), type = "l")', np.log(cost_hist),
         "np.log(cost_hist)"),
    ):  # fmt: skip
        r.call("plot_in", r_code, env, str(img / "r" / f"{name}.png"))
        figure = Figure(figsize=(6, 4), layout="constrained")
        FigureCanvasAgg(figure)
        ax = figure.subplots()
        ax.plot(np.arange(1, values.size + 1), values)
        ax.set_xlabel("iteration")
        ax.set_ylabel(ylab)
        figure.savefig(img / "py" / f"{name}.png", dpi=200)  # 1200 x 800, as R's
    first, last = cost_hist[0], cost_hist[-1]
    plateau = cost_hist[np.searchsorted(-cost_hist, -2e-3)]
    return (
        f"The cost against the iteration, 1 to {cost_hist.size:,}: it falls from {first:.3f} "
        f"to a plateau near {plateau:.4f}, then drops towards 0 ({last:.1e} at the end)",
        f"The log of the cost against the iteration: from {np.log(first):.1f} down a "
        f"plateau, then a second fall, to {np.log(last):.1f} at iteration {cost_hist.size:,}",
    )


def r_print(r: RSession, value: Any) -> str:
    """What R's print() writes for ``value``."""
    return str(r.call("printed", value)[0])


def lecture_parity() -> list[dict[str, Any]]:
    """The lecture case's rows of the harness (the page no longer ends on a plot of
    differences of 1e-24: the table says it)."""
    case = select(["lecture"])[0]
    report = check_case(case)
    on_r_arithmetic = run_python_r(case)
    return [
        {
            "quantity": row.quantity,
            "shape": "x".join(map(str, row.diff.shape_expected or ())),
            "max_abs": f"{row.diff.max_abs:.2e}",
            "max_rel": f"{row.diff.max_rel:.2e}",
            "max_ulps": row.diff.max_ulps,
            "r_arithmetic_ulps": int(
                ulp_distance(report.r[row.quantity], on_r_arithmetic[row.quantity]).max(initial=0)
            ),
            "sensitivity": f"{row.sensitivity:.2e}",
            "status": row.status,
        }
        for row in report.rows
    ]


def plot_activations(path: Path) -> None:
    """Each element-wise activation and its derivative, on one figure."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    z = np.linspace(-4, 4, 401).reshape(-1, 1)
    names = PLOTTED_ACTIVATIONS
    figure = Figure(figsize=(11, 2.6), layout="constrained")
    FigureCanvasAgg(figure)
    for ax, name in zip(figure.subplots(1, len(names)), names, strict=True):
        act = py_activations.get_activation(name, 0.1)
        assert act.prime is not None
        ax.plot(z, act.f(z), label="f(z)")
        ax.plot(z, act.prime(z), "--", label="f'(z)")
        ax.set_title(name + (" (alpha 0.1)" if name == "leaky_relu" else ""))
        ax.axhline(0, color="grey", linewidth=0.5)
    figure.axes[0].legend()
    figure.savefig(path, dpi=100)


def example_views(r: RSession) -> list[dict[str, Any]]:
    """Each worked example step by step: the document's number, R's and Python's."""
    in_r = r.call("examples")
    views = []
    for record in examples():
        r_record = in_r[record["id"]]
        steps = []
        for quantity in EXAMPLE_STEPS:
            steps.append({
                "label": EXAMPLE_LABELS[quantity],
                "formula": record["formulas"][quantity],
                "document": _number(record["document"].get(quantity)),
                "r": _number(r_record[quantity]),
                "python": _number(record[quantity]),
                "agrees": record["document_agrees"].get(quantity, True),
            })  # fmt: skip
        views.append({"id": record["id"], "name": record["name"], "steps": steps,
                      "errata": record["errata"], "inputs": record["inputs"]})  # fmt: skip
    return views


def _number(value: Any) -> str:
    """A number or a few, to 4 significant digits; nothing for None."""
    if value is None:
        return ""
    return ", ".join(f"{v:.4g}" for v in np.ravel(np.asarray(value, dtype=np.float64)))


def neuron_lines(r: RSession) -> tuple[str, str]:
    """Document 000's neuron trained on data/study.csv: R's progress lines and Python's."""
    X, Y = load_scaled(DATA_DIR / "study.csv")
    in_r = r.call("train_single_neuron", X, Y)
    python = train_single_neuron(X, Y)
    return "\n".join(str(line) for line in in_r["lines"]), "\n".join(python.lines)


def porting_view(note: PortingNote, r: RSession) -> dict[str, Any]:
    """A porting note with its two examples and what each prints, run now."""
    return {
        "topic": note.topic,
        "why": note.why,
        "r": code(note.r, "r"),
        "python": code(note.python, "python"),
        "r_out": str(r.call("run_example", note.r)[0]),
        "python_out": note.run_python(),
    }
