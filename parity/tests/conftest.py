"""Shared fixtures: the live R session, skipped loudly (never silently) when R is missing."""

from __future__ import annotations

import pytest
from helpers import lecture, study

from backprop.r_engine import RSession, RUnavailableError, session


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


__all__ = ["lecture", "r_session", "study"]  # the data fixtures come from helpers.py
