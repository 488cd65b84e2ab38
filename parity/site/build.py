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
from backprop import network
from backprop.data import load_scaled
from backprop.examples import EXAMPLE_LABELS, EXAMPLE_STEPS, examples
from backprop.fit import train_restarts
from backprop.plots import RESTARTS_PLOT, draw_restarts
from backprop.resources import DATA_DIR, R_DIR
from backprop.rprint import format_matrix, format_vector
from backprop.single_neuron import train_single_neuron
from parity.cases import select
from parity.compare import check_case, ulp_distance
from parity.r_session import RSession, session
from parity.sides import run_python_r
from parity.site.extract import SiteError, Twin, twins
from parity.site.porting import PortingNote, porting_notes

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]  # the checkout whose r/ and py/backprop/ the pages show
PAGES = ("index", "lecture", "documents", "porting")
CODE_STYLE = "friendly"


@dataclass(frozen=True)
class Step:
    """One step of the lecture: the slides' math, the twins, and what they print."""

    id: str
    title: str
    text: str
    math: tuple[str, ...]
    functions: tuple[str, ...]
    prints: tuple[str, ...] = ()
    images: tuple[tuple[str, str], ...] = ()  # (R's, Python's) image paths
    parity: tuple[str, ...] = ()  # the lecture case's quantities this step produces
    stem: str = "network"  # the twin files its functions are in: r/<stem>.R, <stem>.py


# The lecture in the slides' order (seeds/002: Stats 102B, week 3, lecture 3).
LECTURE_STEPS = (
    Step(
        "data",
        "The data and its scaling",
        "Three students' hours of sleep and study, and their test scores. Each "
        "feature is divided by its column's maximum and the score by 100, so "
        "everything lies in [0, 1].",
        (r"X = x / \max_{\text{column}}(x)", r"y = \text{score} / 100"),
        ("scale_features", "scale_target"),
        ("X", "Y"),
    ),
    Step(
        "weights",
        "The weight matrices",
        "A 2-3-1 network has two weight matrices. They start random: "
        "<code>set.seed(1)</code>, then <code>runif</code>, filled by column.",
        (
            r"\mathbf{W}^{(1)} = \begin{bmatrix} w_{11}^{(1)} & w_{12}^{(1)} & w_{13}^{(1)} \\ "
            r"w_{21}^{(1)} & w_{22}^{(1)} & w_{23}^{(1)} \end{bmatrix}",
            r"\mathbf{W}^{(2)} = \begin{bmatrix} w_{11}^{(2)} \\ w_{21}^{(2)} \\ w_{31}^{(2)}"
            r" \end{bmatrix}",
        ),
        ("init_weights",),
        ("W_1_init", "W_2_init"),
        parity=("W_1_init", "W_2_init"),
    ),
    Step(
        "forward",
        "Forward propagation",
        "The sigmoid squishes any number into (0, 1); the inputs pass through "
        "the two layers of weights and two sigmoids. Shown: the slides' first "
        "pass, with every weight 1.",
        (
            r"f(t) = \frac{1}{1 + e^{-t}}",
            r"\underset{N \times 2}{\mathbf{X}} \underset{2 \times 3}{\mathbf{W}^{(1)}}"
            r" = \underset{N \times 3}{\mathbf{z}^{(2)}}, \quad f(\mathbf{z}^{(2)}) = "
            r"\mathbf{a}^{(2)}",
            r"\underset{N \times 3}{\mathbf{a}^{(2)}} \underset{3 \times 1}{\mathbf{W}^{(2)}}"
            r" = \underset{N \times 1}{\mathbf{z}^{(3)}}, \quad f(\mathbf{z}^{(3)}) = "
            r"\hat{\mathbf{y}}",
        ),
        ("sigmoid", "forward"),
        ("Y_hat_ones",),
    ),
    Step(
        "cost",
        "The cost",
        "Half the sum of squared errors: the same minimiser as the mean squared "
        "error, and a simpler derivative. The slides print it for the all-ones network.",
        (r"\mathcal{J} = \frac{1}{2} \sum_n (y_n - \hat{y}_n)^2",),
        ("cost",),
        ("cost_ones",),
    ),
    Step(
        "prime",
        "f'(z), the derivative of the sigmoid",
        "By the quotient rule. Kept in the slides' form (it is NaN for z below "
        "about -710, where exp(-z) overflows; training stops there with a clear error).",
        (r"f'(t) = \frac{e^{-t}}{(1 + e^{-t})^2}",),
        ("sigmoid_prime",),
        ("prime_ones",),
    ),
    Step(
        "gradients",
        "The two gradients",
        "Back propagation: the error at the output, delta_3, carried back through "
        "W_2 to the hidden layer, delta_2. Shown: the gradients of the all-ones network.",
        (
            r"\delta^{(3)} = -(\mathbf{y} - \hat{\mathbf{y}}) \odot f'(\mathbf{z}^{(3)}),"
            r" \quad \frac{\partial \mathcal{J}}{\partial \mathbf{W}^{(2)}} = "
            r"(\mathbf{a}^{(2)})^T \delta^{(3)}",
            r"\delta^{(2)} = \delta^{(3)} (\mathbf{W}^{(2)})^T \odot f'(\mathbf{z}^{(2)}),"
            r" \quad \frac{\partial \mathcal{J}}{\partial \mathbf{W}^{(1)}} = "
            r"\mathbf{X}^T \delta^{(2)}",
        ),
        ("backprop",),
        ("dJ_dW_1_ones", "dJ_dW_2_ones"),
    ),
    Step(
        "descent",
        "Gradient descent",
        "Ten thousand steps of size 5 from the random start. R's <code>train</code> "
        "and its Python twin, statement for statement.",
        (
            r"\mathbf{W}^{(k)} \leftarrow \mathbf{W}^{(k)} - \eta \, "
            r"\frac{\partial \mathcal{J}}{\partial \mathbf{W}^{(k)}}, \quad \eta = 5",
        ),
        ("train",),
        ("W_1", "W_2"),
        parity=("W_1", "W_2", "cost_history"),
    ),
    Step(
        "results",
        "The results",
        "What the slides' script prints, run now: <code>Rscript r/lecture.R</code> "
        "and <code>python -m backprop.lecture</code>.",
        (),
        (),
        ("script",),
        parity=("Y_hat",),
    ),
    Step(
        "plots",
        "The cost, as the slides plot it",
        "<code>plot(cost_hist)</code> and <code>plot(log(cost_hist))</code>: "
        "R's own plots beside matplotlib's.",
        (),
        (),
        (),
        (
            ("img/r/cost_history.png", "img/py/cost_history.png"),
            ("img/r/cost_history_log.png", "img/py/cost_history_log.png"),
        ),
    ),
    Step(
        "restarts",
        "Different starting locations",
        "The slides: <q>Gradient descent can often get stuck in flat-ish regions, so we "
        "may need to try different starting locations.</q> Five starting points of one "
        "stream (<code>set.seed(1)</code> once, restart 1 is the run above), each trained "
        "for 10,000 steps; the best is the lowest last cost, and the sorted last costs "
        "show those that stay on the plateau. R trains them one after "
        "another, in a loop of <code>fit()</code>; Python trains the five together, the "
        "same forward pass and epoch on weights with a leading restart axis.",
        (r"k^{*} = \mathrm{arg\,min}_k \, \mathcal{J}_k^{(10000)}",),
        ("train_restarts",),
        ("restart_costs",),
        (("img/r/restarts_cost_log.png", "img/py/restarts_cost_log.png"),),
        stem="fit",
    ),
)

# How each printed value is named on the page.
PRINT_LABELS = {
    "X": "X",
    "Y": "Y",
    "W_1_init": "W_1, as drawn",
    "W_2_init": "W_2, as drawn",
    "Y_hat_ones": "Y_hat with every weight 1",
    "cost_ones": "the cost with every weight 1",
    "prime_ones": "f'(Z_3) with every weight 1",
    "dJ_dW_1_ones": "dJ_dW_1 with every weight 1",
    "dJ_dW_2_ones": "dJ_dW_2 with every weight 1",
    "W_1": "W_1, trained",
    "W_2": "W_2, trained",
    "script": "the whole script",
    "restart_costs": "each restart's last cost, sorted",
}

# The other two documents: a section per R/Python file pair.
DOCUMENT_SECTIONS = (
    ("activations", "Activations", "Each activation beside its derivative."),
    ("losses", "Losses", "Each loss J(Y, Y_hat) beside its gradient dJ/dY_hat."),
    ("initialisers", "Initialisers", "All drawn from R's generator, so both languages "
     "start from the same numbers."),
    ("optimisers", "Optimisers", "How a weight matrix moves, given its gradient."),
)  # fmt: skip


@dataclass(frozen=True)
class Runs:
    """What the build computes by running both languages; the images are in ``img``."""

    img: Path
    printed: dict[str, tuple[str, str]]  # R's printout and Python's, by name
    parity_rows: list[dict[str, Any]]
    examples: list[dict[str, Any]]
    neuron: tuple[str, str]  # R's progress lines and Python's
    porting: list[dict[str, Any]]


def run_both(img: Path) -> Runs:
    """Run everything the site shows, in R and in Python; write the images into ``img``."""
    r = session()
    r.call("sys.source", str(HERE / "site.R"), envir=r.env)
    img.mkdir(parents=True, exist_ok=True)
    printed = lecture_printouts(r, img)
    parity_rows = lecture_parity(img)
    plot_activations(img / "activations.png")
    porting = [porting_view(note, r) for note in porting_notes()]
    return Runs(img, printed, parity_rows, example_views(r), neuron_lines(r), porting)


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
    step_twins = [twin_views(twins(root, s.stem, list(s.functions))) for s in LECTURE_STEPS]
    sections = [
        {"id": stem, "title": title, "text": text, "twins": twin_views(twins(root, stem))}
        for stem, title, text in DOCUMENT_SECTIONS
    ]
    neuron_twins = twin_views(twins(root, "single_neuron"))
    with _replacing(out) as staging:
        return _write_site(staging, out, step_twins, sections, neuron_twins, runs)


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
    step_twins: list[list[dict[str, Any]]],
    sections: list[dict[str, Any]],
    neuron_twins: list[dict[str, Any]],
    runs: Runs | None,
) -> list[Path]:
    """The pages, stylesheets and images, written into ``out`` (to be moved to ``final``)."""
    if runs is None:
        runs = run_both(out / "img")
    else:
        shutil.copytree(runs.img, out / "img")
    pairs = zip(LECTURE_STEPS, step_twins, strict=True)
    steps = [step_view(step, views, runs) for step, views in pairs]
    site = {
        "steps": steps,
        "parity_rows": runs.parity_rows,
        "sections": sections,
        "examples": runs.examples,
        "neuron": {"twins": neuron_twins, "r": runs.neuron[0], "python": runs.neuron[1]},
        "porting": runs.porting,
    }
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    shutil.copy(HERE / "static" / "site.css", out / "site.css")
    (out / "pygments.css").write_text(HtmlFormatter(style=CODE_STYLE).get_style_defs(".code"))
    written = []
    for page in PAGES:
        html = env.get_template(f"{page}.html.j2").render(site=site, page=page, pages=PAGES)
        (out / f"{page}.html").write_text(html)
        written.append(final / f"{page}.html")
    return written


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


def step_view(step: Step, twins: list[dict[str, Any]], runs: Runs) -> dict[str, Any]:
    missing = [name for name in step.prints if name not in runs.printed]
    if missing:
        raise SiteError(f"step '{step.id}' shows {missing}, which the build did not print")
    return {
        "id": step.id,
        "stem": step.stem,
        "title": step.title,
        "text": Markup(step.text),
        "math": [math(m) for m in step.math],
        "twins": twins,
        "prints": [
            {"name": PRINT_LABELS[n], "r": runs.printed[n][0], "python": runs.printed[n][1]}
            for n in step.prints
        ],
        "images": step.images,
        "parity": [row for row in runs.parity_rows if row["quantity"] in step.parity],
    }


def run(command: list[str]) -> str:
    """A command's standard output; its failure stops the build with its message."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SiteError(f"{' '.join(command)} failed: {done.stderr.strip()}")
    return done.stdout


def lecture_printouts(r: RSession, img: Path) -> dict[str, tuple[str, str]]:
    """Every value a step shows, printed by R (its own print) and by Python (R's format).

    The slides' scripts run whole, each drawing its plots into ``img``.
    """
    lecture_csv = str(DATA_DIR / "lecture.csv")
    r_script = run(["Rscript", "--vanilla", str(R_DIR / "lecture.R"), "--plot", str(img / "r")])
    py_script = run([sys.executable, "-m", "backprop.lecture", "--plot", str(img / "py")])
    X, Y = load_scaled(lecture_csv)
    r_data = r.call("load_scaled", lecture_csv)
    ones_1, ones_2 = np.ones((2, 3)), np.ones((3, 1))
    fwd = network.forward(X, ones_1, ones_2)
    r_fwd = r.call("forward", r_data["X"], ones_1, ones_2)
    grad = network.backprop(X, Y, ones_2, fwd)
    r_grad = r.call("backprop", r_data["X"], r_data["Y"], ones_2, r_fwd)
    start = network.init_weights(2, 3, 1, 1)
    r_start = r.call("init_weights", 2, 3, 1, 1)
    trained = network.train(X, Y)
    r_trained = r.call("train", r_data["X"], r_data["Y"])
    restarts = train_restarts(X, Y, restarts=5)
    r_restarts = r.call("train_restarts", r_data["X"], r_data["Y"], 5)
    r.call("plot_restarts", r_restarts["cost_histories"], r_restarts["best"],
           str(img / "r" / RESTARTS_PLOT))  # fmt: skip
    draw_restarts(restarts["cost_histories"], int(restarts["best"][0]), img / "py" / RESTARTS_PLOT)
    pairs = {
        "X": (r_data["X"], X),
        "Y": (r_data["Y"], Y),
        "W_1_init": (r_start["W_1"], start["W_1"]),
        "W_2_init": (r_start["W_2"], start["W_2"]),
        "Y_hat_ones": (r_fwd["Y_hat"], fwd.Y_hat),
        "cost_ones": (r.call("cost", r_data["Y"], r_fwd["Y_hat"]), network.cost(Y, fwd.Y_hat)),
        "prime_ones": (r.call("sigmoid_prime", r_fwd["Z_3"]), network.sigmoid_prime(fwd.Z_3)),
        "dJ_dW_1_ones": (r_grad["dJ_dW_1"], grad.dJ_dW_1),
        "dJ_dW_2_ones": (r_grad["dJ_dW_2"], grad.dJ_dW_2),
        "W_1": (r_trained["W_1"], trained["W_1"]),
        "W_2": (r_trained["W_2"], trained["W_2"]),
        "restart_costs": (
            np.sort(np.asarray(r_restarts["cost_histories"])[-1]),
            np.sort(restarts["cost_histories"][-1]),
        ),
    }
    printed = {name: (r_print(r, r_value), py_print(py_value))
               for name, (r_value, py_value) in pairs.items()}  # fmt: skip
    printed["script"] = (r_script.rstrip("\n"), py_script.rstrip("\n"))
    return printed


def r_print(r: RSession, value: Any) -> str:
    """What R's print() writes for ``value``."""
    return str(r.call("printed", value)[0])


def py_print(value: Any) -> str:
    """What the Python port prints for ``value``: R's format (backprop.rprint)."""
    array = np.asarray(value, dtype=np.float64)
    return format_matrix(array) if array.ndim == 2 else format_vector(array)


def lecture_parity(img: Path) -> list[dict[str, Any]]:
    """The lecture case's rows of the harness, and its R-vs-Python cost plot."""
    from parity.plots import plot_costs

    case = select(["lecture"])[0]
    report = check_case(case)
    on_r_arithmetic = run_python_r(case)
    plot_costs(report.r["cost_history"], report.python["cost_history"],
               img / "parity_lecture_cost.png", "lecture: R and Python cost histories")  # fmt: skip
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
    names = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
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
