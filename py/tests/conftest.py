"""The data fixtures, from the tests' one set of helpers (helpers.py)."""

from helpers import lecture, study

__all__ = ["lecture", "study"]
