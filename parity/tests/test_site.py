"""The teaching site, built as `make site` builds it and tested in a real browser.

Playwright drives Debian's chromium (parity.site.browser). The checks are
functions that return what they find wrong, so each is shown to find a real
fault (a missing image, a missing twin, a changed function) as well as to pass
on the site as built.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from parity.site.browser import chromium
from parity.site.build import PAGES, ROOT, Runs, build, run_both
from parity.site.extract import SiteError

pytestmark = pytest.mark.usefixtures("r_session")  # the build runs R; loud skip without it


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """Both languages run once, as `make site` runs them."""
    return run_both(tmp_path_factory.mktemp("runs") / "img")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, runs: Runs) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build(out, runs=runs)
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


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
    for source in sorted(site_dir.glob("*.html")):
        page = source.stem
        for href in parse(source).hrefs:
            url = urlparse(href)
            if url.scheme:
                bad.append(f"{page}: {href} leaves the site")
                continue
            target = site_dir / url.path if url.path else source
            if not target.is_file():
                bad.append(f"{page}: {href}: no such page")
            elif url.fragment and url.fragment not in parse(target).ids:
                bad.append(f"{page}: {href}: no such anchor")
    return bad


@pytest.mark.parametrize("name", PAGES)
def test_wide_r_left_python_right_nothing_overflows(site: Path, browser: Any, name: str) -> None:
    page, errors = open_page(browser, site / f"{name}.html", 1280)
    rows = page.evaluate(ROW_BOXES)
    assert side_by_side_problems(rows) == []
    assert len(rows) >= (3 if name != "index" else 0)
    assert broken_images(page) == []
    assert errors == []
    page.close()


@pytest.mark.parametrize("name", PAGES)
def test_narrow_they_stack_r_first(site: Path, browser: Any, name: str) -> None:
    page, errors = open_page(browser, site / f"{name}.html", 400)
    rows = page.evaluate(ROW_BOXES)
    assert stacked_problems(rows) == []
    assert side_by_side_problems(rows) != [] or not rows  # and so are no longer side by side
    assert errors == []
    page.close()


def test_every_internal_link_resolves(site: Path) -> None:
    assert unresolved_links(site) == []
    assert len(parse(site / "index.html").hrefs) > 10


def test_the_lecture_page_shows_the_slides_numbers(site: Path, browser: Any) -> None:
    page, _ = open_page(browser, site / "lecture.html", 1280)
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
    page.close()


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
    network = root / "r" / "network.R"
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
