"""The teaching site, built as `make site` builds it and tested in a real browser.

Playwright drives Debian's chromium (parity.site.browser). The checks are
functions that return what they find wrong, so each is shown to find a real
fault (a missing image, a missing twin, a changed function) as well as to pass
on the site as built.

The site is built once per session (``site_runs`` and ``site_dir``, in
conftest.py: the notebook's tests share the run), one browser serves the module,
and each page is loaded once per width (``shown``) for every test that only reads
it; a check shown to find a fault planted as a style takes the style off again and
the page passes once more. A test that clicks, prints or needs another context
loads its own page.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from parity.site.browser import chromium
from parity.site.build import PAGES, ROOT, Runs, build
from parity.site.documents import ACTIVATIONS as ACTIVATION_FORMULAS
from parity.site.documents import LOSSES as LOSS_FORMULAS
from parity.site.documents import OPTIMISERS as OPTIMISER_FORMULAS
from parity.site.extract import SiteError

pytestmark = [
    pytest.mark.usefixtures("r_session"),  # the build runs R; loud skip without it
    pytest.mark.xdist_group("site"),  # one worker builds the site once (--dist loadgroup)
]

Shown = Callable[[str, int], tuple[Any, list[str]]]


@pytest.fixture
def site(site_dir: Path) -> Path:
    """The site as `make site` builds it (built once per session, conftest.py)."""
    return site_dir


@pytest.fixture
def runs(site_runs: Runs) -> Runs:
    """Both languages run once, as `make site` runs them (conftest.py)."""
    return site_runs


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def shown(browser: Any, site_dir: Path) -> Iterator[Shown]:
    """``shown(name, width)``: the built site's page loaded once at that width, and the
    console and page errors it raised; shared by the tests that only read it."""
    pages: dict[tuple[str, int], tuple[Any, list[str]]] = {}

    def page_at(name: str, width: int) -> tuple[Any, list[str]]:
        if (name, width) not in pages:
            pages[name, width] = open_page(browser, site_dir / f"{name}.html", width)
        return pages[name, width]

    yield page_at
    for page, _ in pages.values():
        page.close()


@contextmanager
def styled(page: Any, style: str) -> Iterator[Any]:
    """The page with a style added (a fault planted), taken off again after."""
    tag = page.add_style_tag(content=style)
    try:
        yield page
    finally:
        tag.evaluate("tag => tag.remove()")


def test_the_site_tests_run_on_one_worker(request: pytest.FixtureRequest) -> None:
    """Under `make test` (--dist loadgroup) the site is built by one worker, once: the
    tests of the site and the notebook are scheduled as the group ``site``."""
    if request.config.getoption("loadgroup", default=False):
        assert request.node.nodeid.endswith("@site"), request.node.nodeid


def open_page(browser: Any, path: Path, width: int) -> tuple[Any, list[str]]:
    """The page at ``width`` px, and every console error and page error it raised."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, errors


# Each row's two columns and the code / output blocks inside them, as boxes.
ROW_BOXES = """() => [...document.querySelectorAll('.twin-row')].map(row => {
  const box = el => { const b = el.getBoundingClientRect();
                      return {x: b.left, y: b.top, right: b.right, bottom: b.bottom}; };
  const cols = [...row.children];
  return {
    name: row.dataset.function || row.dataset.output || '',
    kinds: cols.map(c => c.classList.contains('r') ? 'r' : 'py'),
    cols: cols.map(box),
    blocks: cols.map(c => [...c.querySelectorAll('pre, img, .code')].map(el => ({
      ...box(el), overflow: el.scrollWidth - el.clientWidth,
      scrolls: ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)}))),
  };
})"""


def side_by_side_problems(rows: list[dict[str, Any]]) -> list[str]:
    """Wide: R left and Python right in one row, nothing wider than its column (a
    line longer than its box scrolls inside the box: code never wraps)."""
    problems = []
    for row in rows:
        r, py = row["cols"]
        if row["kinds"] != ["r", "py"] or not (r["right"] <= py["x"] and abs(r["y"] - py["y"]) < 1):
            problems.append(f"{row['name']}: R and Python are not side by side, R left")
        for col, blocks in zip(row["cols"], row["blocks"], strict=True):
            for block in blocks:
                if block["right"] > col["right"] + 0.5 or (
                    block["overflow"] > 0 and not block["scrolls"]
                ):
                    problems.append(f"{row['name']}: a block overflows its column")
    return problems


def stacked_problems(rows: list[dict[str, Any]]) -> list[str]:
    """Narrow: R above Python."""
    return [f"{row['name']}: not stacked, R first" for row in rows
            if not row["cols"][0]["bottom"] <= row["cols"][1]["y"]]  # fmt: skip


def broken_images(page: Any) -> list[str]:
    return page.evaluate(
        "() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0))"
        ".map(i => i.getAttribute('src'))"
    )


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.hrefs.append(str(found["href"]))


def parse(path: Path) -> _Ids:
    parser = _Ids()
    parser.feed(path.read_text())
    return parser


def unresolved_links(site_dir: Path) -> list[str]:
    """Every internal link whose file or anchor is missing."""
    bad = []
    parsed = {p: parse(p) for p in site_dir.glob("*.html")}  # each page read once
    for source in sorted(parsed):
        page = source.stem
        for href in parsed[source].hrefs:
            url = urlparse(href)
            if url.scheme:
                bad.append(f"{page}: {href} leaves the site")
                continue
            target = site_dir / url.path if url.path else source
            if not target.is_file():
                bad.append(f"{page}: {href}: no such page")
            elif url.fragment and url.fragment not in (parsed.get(target) or parse(target)).ids:
                bad.append(f"{page}: {href}: no such anchor")
    return bad


@pytest.mark.parametrize("name", PAGES)
def test_wide_r_left_python_right_nothing_overflows(shown: Shown, name: str) -> None:
    page, errors = shown(name, 1280)
    rows = page.evaluate(ROW_BOXES)
    assert side_by_side_problems(rows) == []
    assert len(rows) >= (3 if name != "index" else 0)
    assert broken_images(page) == []
    assert errors == []


@pytest.mark.parametrize("name", PAGES)
def test_narrow_they_stack_r_first(shown: Shown, name: str) -> None:
    page, errors = shown(name, 400)
    rows = page.evaluate(ROW_BOXES)
    assert stacked_problems(rows) == []
    assert side_by_side_problems(rows) != [] or not rows  # and so are no longer side by side
    assert errors == []


def test_every_internal_link_resolves(site: Path) -> None:
    assert unresolved_links(site) == []
    assert len(parse(site / "index.html").hrefs) > 10


def test_the_lecture_page_shows_the_slides_numbers(shown: Shown) -> None:
    page, _ = shown("lecture", 1280)
    text = page.inner_text("main")
    assert "0.01532851" in text  # the all-ones cost
    assert "2.1169800 1.6157951 -1.4547416" in text  # the slides' W_1, first row
    assert text.count("0.01532851") >= 2  # R's printout and Python's
    functions = page.eval_on_selector_all(
        ".twin-row[data-function]", "rs => rs.map(r => r.dataset.function)"
    )
    assert {"forward", "backprop", "train", "cost", "sigmoid_prime", "init_weights"} <= set(
        functions
    )
    assert page.locator("math").count() >= 8  # the slides' math, rendered
    statuses = page.eval_on_selector_all(
        "table.parity td.status", "tds => tds.map(t => t.textContent)"
    )
    assert statuses and set(statuses) == {"PASS"}
    exact = page.eval_on_selector_all("table.parity td.exact", "tds => tds.map(t => t.textContent)")
    assert len(exact) == len(statuses) and set(exact) == {"0"}  # R's numbers, on R's arithmetic


def test_a_missing_image_is_found(site: Path, browser: Any, tmp_path: Path) -> None:
    broken = tmp_path / "site"
    shutil.copytree(site, broken)
    (broken / "img" / "activations.png").unlink()
    page, _ = open_page(browser, broken / "documents.html", 1280)
    assert broken_images(page) == ["img/activations.png"]
    page.close()


def test_a_dangling_link_is_found(site: Path, tmp_path: Path) -> None:
    broken = tmp_path / "site"
    shutil.copytree(site, broken)
    (broken / "porting.html").unlink()
    assert any("porting.html: no such page" in p for p in unresolved_links(broken))


def copy_of_sources(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(ROOT / "r", root / "r")
    shutil.copytree(ROOT / "py" / "backprop", root / "py" / "backprop",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    return root


def test_a_missing_twin_stops_the_build_naming_it(tmp_path: Path) -> None:
    root = copy_of_sources(tmp_path)
    network = root / "py" / "backprop" / "network.py"
    source = network.read_text()
    start, end = (
        source.index("def forward("),
        source.index("@dataclass(frozen=True)\nclass Gradients"),
    )
    network.write_text(source[:start] + source[end:])
    with pytest.raises(SiteError, match=r"no function 'forward' in .*network.py: its Python twin"):
        build(tmp_path / "site", root)  # before running anything: no runs given, none made
    assert not (tmp_path / "site").exists()


def test_a_changed_function_shows_on_the_rebuilt_page(
    tmp_path: Path, browser: Any, runs: Runs
) -> None:
    root = copy_of_sources(tmp_path)
    network = root / "r" / "R" / "network.R"
    planted = "  1 / (1 + exp(-Z))  # planted: the page must show this line\n"
    network.write_text(network.read_text().replace("  1 / (1 + exp(-Z))\n", planted, 1))
    build(tmp_path / "site", root, runs)
    page, _ = open_page(browser, tmp_path / "site" / "lecture.html", 1280)
    sigmoid_r = page.text_content('.twin-row[data-function="sigmoid"] .col.r')  # folded
    assert "planted: the page must show this line" in sigmoid_r
    page.close()


def test_a_folder_the_build_did_not_make_is_refused_and_left_as_it_was(
    tmp_path: Path, runs: Runs
) -> None:
    mine = tmp_path / "Documents"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work\n")
    with pytest.raises(SiteError, match=r"did not make, and not empty.*nothing was written"):
        build(mine, runs=runs)
    assert [p.name for p in mine.iterdir()] == ["thesis.tex"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Documents"]  # nothing beside it


def test_a_file_as_out_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from parity.site.__main__ import main

    (tmp_path / "afile").write_text("mine\n")
    assert main(["--out", str(tmp_path / "afile")]) == 2
    out, err = capsys.readouterr()
    assert (
        out == ""
        and err == f"parity.site: error: --out {tmp_path / 'afile'} is a file, not a folder\n"
    )
    assert (tmp_path / "afile").read_text() == "mine\n"


def test_its_own_site_is_replaced_whole_and_a_failed_build_leaves_it(
    tmp_path: Path, runs: Runs
) -> None:
    out = tmp_path / "new" / "site"
    build(out, runs=runs)
    (out / "stale.html").write_text("from an older build\n")
    build(out, runs=runs)  # a site it made: replaced, stale page and all
    assert not (out / "stale.html").exists() and (out / "lecture.html").exists()
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    root = copy_of_sources(tmp_path)
    (root / "py" / "backprop" / "network.py").write_text("")  # every twin missing
    with pytest.raises(SiteError):
        build(out, root)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in out.parent.iterdir()] == ["site"]  # no half-built folder beside it
    with pytest.raises(SiteError):
        build(tmp_path / "a" / "b" / "site", root)
    assert not (tmp_path / "a").exists()  # the folders it made for the failed build are gone


# ------------------------------------------------------------ the lecture, projected
# Each check returns what it finds wrong; test_each_check_finds_its_fault plants a
# fault for each (a style added to the page) and shows it is found.

LECTURE_ORDER = ["quiz", "network", "backprop", "dw2", "dw1", "code", "restarts", "parity"]

CODE_FONT_SIZES = """() => [...document.querySelectorAll('main .code pre, main pre.out')]
  .filter(el => el.getClientRects().length > 0)
  .map(el => parseFloat(getComputedStyle(el).fontSize))"""

WRAPPING_CODE = """() => [...document.querySelectorAll('main .code pre, main pre.out')]
  .filter(el => getComputedStyle(el).whiteSpace !== 'pre').length"""

# Every element sticking out past the viewport's right edge, unless a box that
# scrolls (or clips) sideways holds it.
WIDER_THAN_VIEWPORT = """() => {
  const held = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true; }
    return false; };
  const out = [...document.body.querySelectorAll('*')].filter(el => {
    const b = el.getBoundingClientRect();
    return b.width > 0 && b.right > window.innerWidth + 0.5 && !held(el); })
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
  if (document.documentElement.scrollWidth > window.innerWidth) {
    out.push('the page scrolls sideways'); }
  return out; }"""

# WCAG's contrast ratio of each highlighted token (and each printout) against the
# background it is drawn on; the lowest few, with their text.
LOW_CONTRAST = """() => {
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const background = el => { for (let p = el; p; p = p.parentElement) {
      const c = rgb(getComputedStyle(p).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c; }
    return [255, 255, 255]; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((u, v) => v - u);
    return (x + 0.05) / (y + 0.05); };
  const tokens = [...document.querySelectorAll('main .code pre span, main .code pre, main pre.out')]
    .filter(el => el.textContent.trim() && el.getClientRects().length > 0);
  return tokens.map(el => ({ text: el.textContent.slice(0, 30), cls: el.className,
      ratio: ratio(rgb(getComputedStyle(el).color), background(el)) }))
    .filter(t => t.ratio < 4.5); }"""

EQUATION_SCROLLBARS = """(sideways) => [...document.querySelectorAll('main .math')]
  .filter(el => el.getClientRects().length > 0)
  .filter(el => el.scrollHeight > el.clientHeight
                || (sideways && el.scrollWidth > el.clientWidth))
  .map(el => el.textContent.slice(0, 40))"""


def lecture_at(shown: Shown, width: int) -> Any:
    """The lecture page at ``width`` px (shared: tests that change it put it back)."""
    page, errors = shown("lecture", width)
    assert errors == []
    return page


def projector_problems(page: Any) -> list[str]:
    """At 1920 px: code at least 20 px, never wrapped, the flow as wide as the screen,
    no equation with a scrollbar of its own."""
    problems = [f"code at {size} px" for size in page.evaluate(CODE_FONT_SIZES) if size < 20]
    if page.evaluate(WRAPPING_CODE):
        problems.append(f"{page.evaluate(WRAPPING_CODE)} code blocks wrap")
    row = page.eval_on_selector(".twin-row.pair", "r => r.getBoundingClientRect().width")
    if row < 0.9 * 1920:
        problems.append(f"R and Python together are {row:.0f} px wide of 1920")
    problems += [f"equation scrolls: {e}" for e in page.evaluate(EQUATION_SCROLLBARS, True)]
    return problems


def narrow_problems(page: Any) -> list[str]:
    """At 400 px: nothing makes the page scroll sideways; no equation scrolls up and down
    (a wide one may scroll sideways inside its box)."""
    return [f"wider than the screen: {e}" for e in page.evaluate(WIDER_THAN_VIEWPORT)] + [
        f"equation scrolls: {e}" for e in page.evaluate(EQUATION_SCROLLBARS, False)
    ]


def contrast_problems(page: Any) -> list[str]:
    return [f"{t['ratio']:.2f}:1 {t['cls']} {t['text']!r}" for t in page.evaluate(LOW_CONTRAST)]


def test_projected_at_1920_code_is_large_unwrapped_and_the_page_uses_the_width(
    shown: Shown,
) -> None:
    page = lecture_at(shown, 1920)
    assert projector_problems(page) == []
    assert len(page.evaluate(CODE_FONT_SIZES)) > 30  # the checks saw the code


def test_at_400_px_nothing_scrolls_the_page_sideways(shown: Shown) -> None:
    for name in PAGES:
        page, _ = shown(name, 400)
        assert narrow_problems(page) == [], name


def test_every_code_token_has_at_least_4_5_to_1_contrast(shown: Shown) -> None:
    page = lecture_at(shown, 1920)
    assert contrast_problems(page) == []


@pytest.mark.parametrize(
    ("width", "style", "check", "found"),
    [
        (1920, ".code pre { font-size: 16px !important; }", projector_problems, "code at 16"),
        (1920, ".code pre { white-space: pre-wrap !important; }", projector_problems, "wrap"),
        (1920, "main { max-width: 1400px !important; }", projector_problems, "px wide of 1920"),
        (1920, ".math { height: 1.5em; }", projector_problems, "equation scrolls"),
        (400, "table { min-width: 700px; } .table-box { overflow: visible !important; }",
         narrow_problems, "wider than the screen"),
        (1920, ".code .c1 { color: #9a9a9a !important; }", contrast_problems, "c1"),
        (1920, "pre.out { color: #999 !important; }", contrast_problems, "0.75"),
    ],
    ids=["small", "wrapped", "narrow-flow", "equation-scrollbar", "sideways", "comment", "output"],
)  # fmt: skip
def test_each_check_finds_its_fault(
    shown: Shown, width: int, style: str, check: Any, found: str
) -> None:
    page = lecture_at(shown, width)
    with styled(page, style):
        problems = check(page)
        assert any(found in problem for problem in problems), problems
    assert check(page) == []  # the style taken off, the shared page is as built again


def test_the_lecture_follows_the_slides_with_the_whole_derivation(shown: Shown) -> None:
    page = lecture_at(shown, 1920)
    order = page.eval_on_selector_all("main > section", "ss => ss.map(s => s.id)")
    assert [s for s in order if s in LECTURE_ORDER] == LECTURE_ORDER
    equations = {
        s: page.eval_on_selector_all(f"#{s} .math math", "ms => ms.length") for s in ("dw2", "dw1")
    }
    assert equations["dw2"] >= 10 and equations["dw1"] >= 10, equations
    derivation = page.inner_text("#dw2") + page.inner_text("#dw1")
    for step in ("sum rule", "chain rule", "quotient rule", "\U0001d6ff", "⊙", "(scalar)"):
        assert step in derivation, step  # δ in MathML is the mathematical italic delta
    edges = page.eval_on_selector_all("svg.network line.edge", "ls => ls.length")
    nodes = page.eval_on_selector_all("svg.network circle.node", "cs => cs.length")
    assert (edges, nodes) == (2 * 3 + 3 * 1, 2 + 3 + 1)  # the 2-3-1 network, every weight


def test_the_main_flow_is_the_slides_script_not_the_library(shown: Shown) -> None:
    page = lecture_at(shown, 1920)
    chunks = page.eval_on_selector_all(".twin-row.pair", "rs => rs.map(r => r.dataset.chunk)")
    assert chunks[:3] == ["setup", "sigmoid", "data"] and chunks[-1] == "results"
    r_code = page.inner_text('.twin-row[data-chunk="descent"] .col.r')
    assert "djdw1 <- t(X) %*% delta_2" in r_code and "W_1 <- W_1 - scalar * djdw1" in r_code
    # The library's functions and their checks only in the folded "under the hood" parts.
    unfolded = page.evaluate(
        "() => [...document.querySelectorAll('main .code')]"
        ".filter(c => !c.closest('details') && /check_|stop_if/.test(c.textContent)).length"
    )
    assert unfolded == 0
    folded = page.eval_on_selector_all("details.hood .code", "cs => cs.map(c => c.textContent)")
    assert any("check_training_args" in c for c in folded)  # it is there, folded


def test_python_prints_as_numpy_prints_and_r_as_r(shown: Shown) -> None:
    page = lecture_at(shown, 1920)
    row = '.twin-row.output[data-output="W_1"]'
    numpy = page.eval_on_selector_all(f"{row} pre.numpy", "ps => ps.map(p => p.textContent)")
    r = page.eval_on_selector_all(f"{row} .col.r pre.out", "ps => ps.map(p => p.textContent)")
    assert "[[ 2.11697996  1.61579508 -1.45474163]" in numpy[-1]  # the trained W_1
    assert "[1,]  2.1169800 1.6157951 -1.4547416" in r[-1]
    layout = page.eval_on_selector_all(f"{row} pre.rlayout", "ps => ps.map(p => p.textContent)")
    assert layout[-1] == r[-1]  # R's layout, a click away
    assert "0.015328509205422" in page.inner_text('.twin-row[data-output="cost(Y, Y_hat)"]')


def test_the_slides_typos_are_shown_with_rs_answer_and_the_mended_line(shown: Shown) -> None:
    page = lecture_at(shown, 1920)
    slips = page.eval_on_selector_all(".slip", "ss => ss.map(s => s.innerText)")
    assert len(slips) == 2
    assert "sigmoidprime(Z_3))" in slips[0] and "unexpected ')'" in slips[0]
    assert "djdwl <- t(X) %*% delta_2" in slips[1] and "object 'djdw1' not found" in slips[1]
    assert "djdw1 <- t(X) %*% delta_2" in slips[1]


def test_the_site_carries_the_notebook_run(site: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.reads((site / "lecture.ipynb").read_text(), as_version=4)
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert "R and Python agree" in "".join(o.get("text", "") for o in outputs)
    assert 'href="lecture.ipynb"' in (site / "lecture.html").read_text()


def test_the_explorer_draws_the_chosen_run_of_both_languages(site: Path, browser: Any) -> None:
    page, errors = open_page(browser, site / "lecture.html", 1920)  # its own: it clicks
    shown = "#explorer figure.run:not([hidden])"

    def visible() -> tuple[str, str, str]:
        assert page.locator(shown).count() == 1
        figure = page.locator(shown)
        return (figure.get_attribute("data-step") or "", figure.get_attribute("data-seed") or "",
                figure.locator("polyline.r").get_attribute("points") or "")  # fmt: skip

    step, seed, points = visible()
    assert (step, seed) == ("5", "1") and points.count(",") > 100
    page.check('#explorer input[name=step][value="0.5"]')
    assert visible()[:2] == ("0.5", "1") and visible()[2] != points
    page.select_option("#explorer select[name=seed]", "4")
    assert visible()[:2] == ("0.5", "4")
    assert "still on the plateau" in page.inner_text(shown)
    assert page.locator("#explorer figure.run").count() == 3 * 4  # every run, drawn by the build
    assert errors == []
    page.close()


def test_without_script_the_page_shows_both_languages_and_every_run(
    site: Path, browser: Any
) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1920, "height": 900}
    )
    page = context.new_page()
    page.goto((site / "lecture.html").as_uri())
    assert page.locator("#explorer figure.run:visible").count() == 12
    assert page.locator(".tabs, button.copy").count() == 0
    assert page.locator('.twin-row.pair[data-chunk="descent"] .col.py').is_visible()
    context.close()


def test_a_chunk_shows_r_only_python_only_or_both(site: Path, browser: Any) -> None:
    page, errors = open_page(browser, site / "lecture.html", 1920)  # its own: it clicks
    chunk = page.locator("#chunk-descent")
    r, py = chunk.locator(".twin-row.pair .col.r"), chunk.locator(".twin-row.pair .col.py")
    chunk.locator('.tabs button[data-view="r"]').click()
    assert r.is_visible() and not py.is_visible()
    assert not chunk.locator(".twin-row.output .col.py").first.is_visible()  # its printouts too
    chunk.locator('.tabs button[data-view="py"]').click()
    assert py.is_visible() and not r.is_visible()
    chunk.locator('.tabs button[data-view="both"]').click()
    assert r.is_visible() and py.is_visible()
    assert page.locator("#chunk-data .twin-row.pair .col.py").is_visible()  # others untouched
    assert errors == []
    page.close()


def test_the_copy_button_copies_exactly_the_code(site: Path, browser: Any) -> None:
    from parity.site.script import read_chunks

    context = browser.new_context(viewport={"width": 1920, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto((site / "lecture.html").as_uri())
    for side, path in (("r", ROOT / "r" / "lecture.R"),
                       ("py", ROOT / "py" / "backprop" / "lecture.py")):  # fmt: skip
        page.locator(f'.twin-row.pair[data-chunk="descent"] .col.{side} button.copy').click()
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == read_chunks(path)["descent"], side
    context.close()


def test_the_exercises_answers_are_folded_and_the_bias_gradients_check(shown: Shown) -> None:
    page = lecture_at(shown, 1920)
    answers = page.locator("#exercises details.answer")
    assert answers.count() >= 3 + 8  # dimensions, symmetry, bias, and each drill
    assert page.locator("#exercises details.answer[open]").count() == 0
    ratios = {}
    for side in ("r", "py"):
        text = page.text_content(f'.twin-row[data-output="gradient_check"] .col.{side} pre')
        ratios[side] = [float(x) for x in re.findall(r"\d\.\d+e-\d+", text or "")]
    assert len(ratios["r"]) == len(ratios["py"]) == 4  # W_1, W_2, B_1, B_2
    assert max(ratios["r"] + ratios["py"]) < 1e-7
    drill = page.text_content('#exercises .twin-row[data-output="cost_hist[10000]"]') or ""
    assert "7.073749e-09" in drill and "7.073749226" in drill  # R's print and numpy's
    grade = page.text_content("#ex-grade") or ""  # how to check a whole port (issue 20)
    assert "python -m parity grade my_port.py" in grade and "%grade forward" in grade


def test_the_handout_is_the_lecture_alone_on_at_most_10_a4_pages(
    shown: Shown, tmp_path: Path
) -> None:
    page = lecture_at(shown, 1280)
    page.emulate_media(media="print")
    try:
        printed_handout(page, tmp_path)
    finally:
        page.emulate_media(media="null")  # the shared page back on screen
    assert not page.evaluate("() => matchMedia('print').matches")


def printed_handout(page: Any, tmp_path: Path) -> None:
    hidden = page.evaluate(
        "() => ['explorer', 'restarts', 'parity'].filter(id =>"
        " getComputedStyle(document.getElementById(id)).display !== 'none')"
    )
    assert hidden == []  # no explorer, restarts or parity tables on paper
    sizes = page.evaluate(CODE_FONT_SIZES)
    assert sizes and min(sizes) >= 8 * 96 / 72 - 0.01  # 8 pt
    scrolling = page.evaluate(
        "() => [...document.querySelectorAll('main .math, main pre')].filter(el =>"
        " el.getClientRects().length && getComputedStyle(el).overflowX !== 'visible').length"
    )
    assert scrolling == 0  # no scrollbar printed beside an equation or a block of code
    pdf = tmp_path / "lecture.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert 5 <= pages <= 10, pages


def test_the_documents_page_leads_with_formulas_and_folds_the_code(shown: Shown) -> None:
    page, errors = shown("documents", 1920)
    assert errors == []
    tables = {
        "activations": ACTIVATION_FORMULAS,
        "losses": LOSS_FORMULAS,
        "optimisers": OPTIMISER_FORMULAS,
    }
    for section, table in tables.items():
        count = len(table)  # every formula in the page's tables (test_documents_page)
        formulas = page.locator(f"#{section} .formula")
        assert formulas.count() == count, section
        assert page.locator(f"#{section} .formula math").count() >= count
        for i in range(count):  # each formula with what both languages print
            row = formulas.nth(i).locator(".twin-row.output")
            assert row.locator(".col.r pre.out").count() == row.locator(".col.py pre.out").count()
        unfolded = page.evaluate(
            f"() => [...document.querySelectorAll('#{section} .code')]"
            ".filter(c => !c.closest('details')).length"
        )
        assert unfolded == 0, section
    adam = page.inner_text("#optimisers-adam .col.py pre.out")
    assert adam.startswith("[[0.9") and "1.1" in adam  # numpy's print of one Adam step
