"""Stats 102B's back-propagation lecture, ported from R to Python.

``train`` is the slides' function; ``fit_file`` reads a CSV, trains the network
its settings describe and returns a ``Fit`` (``predict``, ``evaluate``).
"""

from backprop.data import load_scaled, read_data
from backprop.fit import Fit, fit_file
from backprop.network import train

__all__ = ["Fit", "fit_file", "load_scaled", "read_data", "train"]
