"""The R engine moved into the product, as ``backprop.r_engine``; the harness's old
name for it, until every importer says the new one."""

from backprop.r_engine import *  # noqa: F403
from backprop.r_engine import RError, RSession, RUnavailableError, session, to_python  # noqa: F401
