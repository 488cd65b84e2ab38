"""R's default random number generator in Python, bit for bit.

R's default is the Mersenne-Twister. ``set.seed(seed)`` scrambles the seed
with the linear congruential step ``s = 69069 * s + 1`` (50 times), then draws
625 more values the same way: the first is R's position slot, the other 624
are the twister's key. numpy's ``MT19937`` runs the same twister once it is
given that key, so only the seeding and R's conversion to doubles are written
here.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

INT_MAX = 2_147_483_647  # .Machine$integer.max; -2^31 is R's NA_integer_
_MT_KEY_LENGTH = 624
_TWO_TO_MINUS_32 = 2.3283064365386963e-10  # what R multiplies each draw by
_I2_32M1 = 2.328306437080797e-10  # 1 / (2^32 - 1), R's fixup() margin


def _scramble(seed: int) -> int:
    return (69069 * seed + 1) & 0xFFFFFFFF


def _mersenne_key(seed: int) -> NDArray[np.uint32]:
    """The 624-word key R's ``set.seed(seed)`` gives the Mersenne-Twister."""
    state = seed & 0xFFFFFFFF  # negative seeds wrap as unsigned 32-bit
    for _ in range(50):
        state = _scramble(state)
    words = []
    for _ in range(_MT_KEY_LENGTH + 1):
        state = _scramble(state)
        words.append(state)
    return np.array(words[1:], dtype=np.uint32)  # words[0] is R's position slot


def check_seed(seed: object) -> int:
    """Return ``seed`` as an int if R's ``set.seed`` accepts it, else raise."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be a whole number; got {seed!r}")
    if abs(int(seed)) > INT_MAX:
        raise ValueError(f"seed must be in [-{INT_MAX}, {INT_MAX}]; got {seed}")
    return int(seed)


class RGenerator:
    """A stream of draws identical to R's after ``set.seed(seed)``."""

    def __init__(self, seed: int) -> None:
        self._bits = np.random.MT19937()
        self._bits.state = {
            "bit_generator": "MT19937",
            "state": {"key": _mersenne_key(check_seed(seed)), "pos": _MT_KEY_LENGTH},
        }

    def unif_rand(self, n: int) -> NDArray[np.float64]:
        """``n`` draws of R's C-level ``unif_rand()``, in (0, 1)."""
        u = self._bits.random_raw(n) * _TWO_TO_MINUS_32
        # R's fixup(): keep every draw strictly inside (0, 1).
        u[u <= 0.0] = 0.5 * _I2_32M1
        u[1.0 - u <= 0.0] = 1.0 - 0.5 * _I2_32M1
        return u

    def runif(self, n: int, min: float = 0.0, max: float = 1.0) -> NDArray[np.float64]:
        """R's ``runif(n, min, max)``."""
        u = self.unif_rand(n)
        if min == 0.0 and max == 1.0:
            return u
        return min + (max - min) * u


def set_seed(seed: int) -> RGenerator:
    """R's ``set.seed(seed)``: a generator whose draws equal R's."""
    return RGenerator(seed)
