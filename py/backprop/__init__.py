"""Stats 102B's back-propagation lecture, ported from R to Python."""

from backprop.data import load_scaled, read_data
from backprop.network import TrainResult, train

__all__ = ["TrainResult", "load_scaled", "read_data", "train"]
