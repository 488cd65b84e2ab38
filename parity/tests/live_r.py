"""The live R session for test modules that need it at import time (hypothesis strategies)."""

from __future__ import annotations

import pytest

from parity.r_session import RSession, RUnavailableError, session


def require_live_r(what: str) -> RSession:
    """The embedded R, or a loud module-level skip naming what goes unchecked."""
    try:
        return session()
    except RUnavailableError as error:
        pytest.skip(
            f"LIVE R TESTS SKIPPED: R or rpy2 is missing, so {what} not checked "
            f"against live R: {error}",
            allow_module_level=True,
        )
