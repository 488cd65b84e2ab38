"""Shared fixtures: the live R session, skipped loudly (never silently) when R is missing;
the teaching site, built once per session; and two things about how the suite runs.

- ``parity`` is not installed (the wheel holds ``backprop`` alone): pytest finds
  it at the repository's root (``pythonpath`` in pyproject.toml), and the
  ``python -m parity ...`` a test starts from another folder finds it through
  ``PYTHONPATH``, set here for every process the tests start (test_wheel.py
  takes it off again: a user installs the wheel without the checkout).
- ``make test`` runs ``--dist loadgroup`` so that the tests sharing an expensive
  set-up (the site and the notebook, the wheel, each harness case: ``xdist_group``
  marks) run on one worker and make it once. pytest-xdist marks a test's group by
  appending ``@group`` to its node id, which pytest 9.2's structured node ids
  ignore (pytest-xdist issue 1386): the groups were silently dropped, and the
  site and the wheel were built on both workers. The hook below appends it where
  xdist could not; with a pytest or xdist that does it, it does nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from helpers import REPO, lecture, study

from backprop.r_engine import RSession, RUnavailableError, session

if TYPE_CHECKING:
    from parity.site.build import Runs

os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(REPO), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
)


@pytest.hookimpl(trylast=True)  # after xdist's own hook, which may have done it
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("loadgroup", default=False):
        return
    for item in items:
        names = sorted({
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        })  # fmt: skip
        suffix = "@" + "_".join(names)
        if not names or item.nodeid.endswith(suffix):
            continue
        try:
            from _pytest.nodes import coerce_node_id

            item._id = coerce_node_id(item.nodeid + suffix)
        except (ImportError, AttributeError):  # another pytest: run ungrouped, as before
            return


@pytest.fixture(scope="session")
def r_session() -> RSession:
    """The embedded R; without R or rpy2 the live tests skip and say what is missing.

    The frozen-reference tests do not use it, so they still run on a
    Python-only machine.
    """
    try:
        return session()
    except RUnavailableError as e:
        pytest.skip(f"LIVE R TESTS NOT RUN: R or rpy2 is missing: {e}")


@pytest.fixture(scope="session")
def site_runs(tmp_path_factory: pytest.TempPathFactory, r_session: RSession) -> Runs:
    """Everything the teaching site shows, run once in both languages, as `make site`
    runs it (``parity.site.build.run_both``: the lecture's chunks, the explorer's
    runs, the notebook executed in a fresh kernel, ...). The site's tests and the
    notebook's share it (both in the ``site`` group: one worker, one run)."""
    from parity.site.build import run_both

    return run_both(tmp_path_factory.mktemp("runs") / "img")


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory, site_runs: Runs) -> Path:
    """The site, built once from ``site_runs``: its folder (tests copy it to break it)."""
    from parity.site.build import build

    out = tmp_path_factory.mktemp("site") / "site"
    build(out, runs=site_runs)
    return out


__all__ = ["lecture", "r_session", "site_dir", "site_runs", "study"]  # data: helpers.py
