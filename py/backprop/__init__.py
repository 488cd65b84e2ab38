"""Stats 102B's back-propagation lecture, ported from R to Python."""

from backprop.data import load_scaled, read_data
from backprop.network import train

__all__ = ["load_scaled", "read_data", "train"]
