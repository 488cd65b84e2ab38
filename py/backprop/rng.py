"""R's default random number generator in Python, bit for bit.

R's default is the Mersenne-Twister. ``set.seed(seed)`` scrambles the seed
with the linear congruential step ``s = 69069 * s + 1`` (50 times), then draws
625 more values the same way: the first is R's position slot, the other 624
are the twister's key. numpy's ``MT19937`` runs the same twister once it is
given that key, so only the seeding and R's conversion to doubles are written
here.

R's default normal kind is "Inversion": each normal value spends two uniforms
and goes through ``qnorm`` (algorithm AS 241), ported below from R 4.2's
``src/nmath/qnorm.c`` with the C code's order of operations kept, so that the
results are bit-identical.

``sample()`` is R's default kind, "Rejection" (R >= 3.6): each index is
``R_unif_index(n)`` from ``src/main/RNG.c``, built from 16-bit pieces of
uniforms, and R's two algorithms are ported: the partial shuffle of
``do_sample`` (``src/main/random.c``) and, for ``n > 1e7`` when at most half is
drawn without replacement, the redraw-on-duplicate of ``do_sample2``
(``src/main/unique.c``), which ``sample.int`` picks for those.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from backprop.checks import check_count, check_seed, is_number

_MT_KEY_LENGTH = 624
_TWO_TO_MINUS_32 = 2.3283064365386963e-10  # what R multiplies each draw by
_I2_32M1 = 2.328306437080797e-10  # 1 / (2^32 - 1), R's fixup() margin
_BIG = 134217728.0  # 2^27, snorm.c's BIG: two uniforms make one finer one
_CHUNK = 65536.0  # rbits() takes 16 bits from each uniform
_ONE_CHUNK_MAX = 32768  # R_unif_index(n) spends 1 uniform per attempt up to here, then 2
_HASH_ABOVE = 1e7  # sample.int's useHash: n > 1e7, no replacement, size <= n / 2
_HASH_TRIES = 100  # do_sample2 redraws a duplicate at most this often (then keeps it)


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


def _check_count(n: object) -> int:
    """Return ``n`` as an int if it is a count of draws (a whole number >= 0), else raise."""
    return check_count("n", n, 0)


def _check_finite(name: str, value: object) -> float:
    """Return ``value`` as a float if it is a finite real number, else raise."""
    if not is_number(value):
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    return float(value)


def _log(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """The C library's ``log``, element by element, as R calls it.

    ``np.log`` may use SIMD code that differs from libm in the last bit (it does
    on AVX-512 machines); ``math.log`` is libm's, the one R uses.
    """
    return np.fromiter((math.log(v) for v in x.tolist()), dtype=np.float64, count=x.size)


def qnorm(p: ArrayLike, mean: float = 0.0, sd: float = 1.0) -> NDArray[np.float64]:
    """R's ``qnorm(p, mean, sd)`` (lower tail, not log): AS 241 as in R 4.2's qnorm.c.

    ``p`` must lie in [0, 1]; ``qnorm(0)`` is ``-inf`` and ``qnorm(1)`` is ``inf``.
    """
    mean = _check_finite("mean", mean)
    sd = _check_finite("sd", sd)
    if sd < 0.0:
        raise ValueError(f"sd must be >= 0; got {sd!r}")
    p = np.array(p, dtype=np.float64, ndmin=1)  # (n,) a copy, never a view of the caller's
    if not np.all((p >= 0.0) & (p <= 1.0)):  # also catches NaN
        bad = p[~((p >= 0.0) & (p <= 1.0))][0]
        raise ValueError(f"p must be a probability in [0, 1]; got {bad!r}")
    if sd == 0.0:
        return np.full(p.shape, mean)

    val = np.empty_like(p)
    q = p - 0.5
    central = np.abs(q) <= 0.425  # 0.075 <= p <= 0.925
    tail = ~central & (p > 0.0) & (p < 1.0)  # closer than 0.075 from {0, 1}
    val[p == 0.0] = -np.inf  # R_Q_P01_boundaries
    val[p == 1.0] = np.inf

    q_c = q[central]
    r = 0.180625 - q_c * q_c
    # fmt: off
    val[central] = (
        q_c * (((((((r * 2509.0809287301226727 +
                     33430.575583588128105) * r + 67265.770927008700853) * r +
                   45921.953931549871457) * r + 13731.693765509461125) * r +
                 1971.5909503065514427) * r + 133.14166789178437745) * r +
               3.387132872796366608)
        / (((((((r * 5226.495278852854561 +
                 28729.085735721942674) * r + 39307.89580009271061) * r +
               21213.794301586595867) * r + 5394.1960214247511077) * r +
             687.1870074920579083) * r + 42.313330701600911252) * r + 1.0)
    )
    # fmt: on

    q_t = q[tail]
    p_t = p[tail]
    r = np.where(q_t > 0.0, 0.5 - p_t + 0.5, p_t)  # r = min(p, 1 - p) < 0.075, as R_DT_CIv
    r = np.sqrt(-_log(r))  # min(p, 1 - p) = exp(-r^2)
    val_t = np.empty_like(r)
    near = r <= 5.0  # min(p, 1 - p) >= exp(-25) ~= 1.3888e-11
    far = ~near  # very close to 0 or 1

    s = r[near] + -1.6
    # fmt: off
    val_t[near] = (
        (((((((s * 7.7454501427834140764e-4 +
               0.0227238449892691845833) * s + 0.24178072517745061177) *
             s + 1.27045825245236838258) * s +
            3.64784832476320460504) * s + 5.7694972214606914055) *
          s + 4.6303378461565452959) * s +
         1.42343711074968357734)
        / (((((((s *
                 1.05075007164441684324e-9 + 5.475938084995344946e-4) *
                s + 0.0151986665636164571966) * s +
               0.14810397642748007459) * s + 0.68976733498510000455) *
             s + 1.6763848301838038494) * s +
            2.05319162663775882187) * s + 1.0)
    )
    # fmt: on

    s = r[far] + -5.0
    # fmt: off
    val_t[far] = (
        (((((((s * 2.01033439929228813265e-7 +
               2.71155556874348757815e-5) * s +
              0.0012426609473880784386) * s + 0.026532189526576123093) *
            s + 0.29656057182850489123) * s +
           1.7848265399172913358) * s + 5.4637849111641143699) *
         s + 6.6579046435011037772)
        / (((((((s *
                 2.04426310338993978564e-15 + 1.4215117583164458887e-7) *
                s + 1.8463183175100546818e-5) * s +
               7.868691311456132591e-4) * s + 0.0148753612908506148525)
             * s + 0.13692988092273580531) * s +
            0.59983220655588793769) * s + 1.0)
    )
    # fmt: on

    val[tail] = np.where(q_t < 0.0, -val_t, val_t)
    return mean + sd * val


def _index_cost(n: int) -> int:
    """Uniforms one attempt of ``R_unif_index(n)`` spends: rbits' 16-bit chunks.

    ``for (n = 0; n <= bits; n += 16)`` runs ``bits // 16 + 1`` times, so from
    ``bits = 16`` (n > 32768) on it is two, although 16 bits fit in one chunk.
    """
    return math.ceil(math.log2(n)) // 16 + 1


class _Uniforms:
    """``unif_rand()`` for ``R_unif_index``, fetched in blocks but never past R's stream.

    Each fetch asks for no more uniforms than the caller is sure to spend (its
    ``sure``), so when sampling ends every fetched uniform has been spent and
    the generator stands where R's does.
    """

    def __init__(self, generator: RGenerator) -> None:
        self._generator = generator
        self._values: list[float] = []
        self._next = 0

    def take(self, count: int, sure: int) -> list[float]:
        """The next ``count`` uniforms; at least ``sure >= count`` are spent from here on."""
        left = len(self._values) - self._next
        if count > left:
            fresh = self._generator.unif_rand(sure - left).tolist()
            self._values = self._values[self._next :] + fresh
            self._next = 0
        values = self._values[self._next : self._next + count]
        self._next += count
        return values

    def unif_index(self, dn: int, sure_after: int) -> int:
        """R's ``R_unif_index(dn)`` for ``dn >= 1``: a uniform integer in ``[0, dn)``.

        Rejection sampling of ``rbits(bits)``, ``bits = ceil(log2(dn))``: each
        attempt joins ``(int) floor(unif_rand() * 65536)`` of one or two
        uniforms, keeps the low ``bits`` bits, and is redrawn while ``>= dn``.
        ``sure_after`` is how many uniforms the caller spends after this index.
        (R returns 0 for ``dn <= 0`` without a draw; no caller here gets there.)
        """
        bits = math.ceil(math.log2(dn))  # exact for dn < 2^31: log2 of 2^b is b
        chunks = bits // 16 + 1  # _index_cost(dn)
        mask = (1 << bits) - 1  # bits = 0 (dn = 1): mask 0, yet a uniform is spent
        while True:
            v = 0
            for u in self.take(chunks, chunks + sure_after):
                v = 65536 * v + math.floor(u * _CHUNK)
            v &= mask
            if v < dn:
                return v

    def check_spent(self) -> None:
        """Every uniform fetched was spent (else the stream has run ahead of R's)."""
        if self._next != len(self._values):
            raise AssertionError("sample fetched uniforms R would not have drawn")


def _population(x: object) -> tuple[int, NDArray[Any] | None]:
    """``sample``'s ``x``: ``(n, None)`` for a count, ``(len(x), elements)`` for a sequence."""
    if isinstance(x, (str, bytes)):
        raise ValueError(f"x must be a whole number >= 1 or a sequence of elements; got {x!r}")
    if isinstance(x, (int, float, np.integer, np.floating, np.bool_)):
        return check_count("x", x, 1), None  # bools and 2.5 are refused here
    if isinstance(x, (np.ndarray, Sequence)):
        elements = np.asarray(x)
        if elements.ndim != 1:
            raise ValueError(f"x must be one-dimensional; got shape {elements.shape}")
        return len(elements), elements
    raise ValueError(f"x must be a whole number >= 1 or a sequence of elements; got {x!r}")


class RGenerator:
    """A stream of draws identical to R's after ``set.seed(seed)``."""

    def __init__(self, seed: int | np.integer[Any]) -> None:
        self._bits = np.random.MT19937()
        self._bits.state = {
            "bit_generator": "MT19937",
            "state": {"key": _mersenne_key(check_seed(seed)), "pos": _MT_KEY_LENGTH},
        }

    def unif_rand(self, n: int) -> NDArray[np.float64]:
        """``n`` draws of R's C-level ``unif_rand()``, in (0, 1)."""
        raw = np.asarray(self._bits.random_raw(_check_count(n)), dtype=np.uint64)  # (n,) < 2^32
        u = raw.astype(np.float64) * _TWO_TO_MINUS_32  # exact conversion, then R's scaling
        # R's fixup(): keep every draw strictly inside (0, 1).
        u[u <= 0.0] = 0.5 * _I2_32M1
        u[1.0 - u <= 0.0] = 1.0 - 0.5 * _I2_32M1
        return u

    def runif(self, n: int, min: float = 0.0, max: float = 1.0) -> NDArray[np.float64]:
        """R's ``runif(n, min, max)``; ``min == max`` gives ``min`` and spends no draws."""
        n = _check_count(n)
        min = _check_finite("min", min)
        max = _check_finite("max", max)
        if max < min:
            raise ValueError(f"max must be >= min; got min={min!r}, max={max!r}")
        if min == max:
            return np.full(n, min)  # R returns a without calling unif_rand()
        u = self.unif_rand(n)
        if min == 0.0 and max == 1.0:
            return u
        return min + (max - min) * u

    def norm_rand(self, n: int) -> NDArray[np.float64]:
        """``n`` draws of R's C-level ``norm_rand()``, normal kind "Inversion".

        Each value spends two uniforms, in order: ``u = (int)(BIG * u_1) + u_2``,
        then ``qnorm(u / BIG)`` with ``BIG = 2^27``.
        """
        u = self.unif_rand(2 * _check_count(n))  # (2n,) = u_1, u_2, u_1, u_2, ...
        u = np.trunc(_BIG * u[0::2]) + u[1::2]  # (n,); (int) truncates, BIG * u_1 > 0
        return qnorm(u / _BIG)

    def rnorm(self, n: int, mean: float = 0.0, sd: float = 1.0) -> NDArray[np.float64]:
        """R's ``rnorm(n, mean, sd)``: ``mean + sd * norm_rand()``.

        As in R, ``sd == 0`` gives ``mean`` and spends no draws. Where R would
        return NaN (``sd < 0``, non-finite ``sd``) or a non-finite value
        (non-finite ``mean``), this raises ValueError instead.
        """
        n = _check_count(n)
        mean = _check_finite("mean", mean)
        sd = _check_finite("sd", sd)
        if sd < 0.0:
            raise ValueError(f"sd must be >= 0; got {sd!r}")
        if sd == 0.0:
            return np.full(n, mean)  # R returns mu without calling norm_rand()
        return mean + sd * self.norm_rand(n)

    def sample_int(
        self, n: int, size: int | None = None, replace: bool = False
    ) -> NDArray[np.int64]:
        """R's ``sample.int(n, size, replace)``: ``size`` draws from ``1..n``, as int64.

        ``size`` defaults to ``n``; ``n`` and ``size`` are whole numbers up to
        R's largest integer, 2^31 - 1 (R goes on in doubles above it; this port
        refuses). ``size = 0`` draws nothing. As in R, ``n > 1e7`` without
        replacement and ``size <= n / 2`` redraws duplicates (``do_sample2``);
        otherwise without replacement it is ``do_sample``'s partial shuffle.
        """
        n = check_count("n", n, 0)
        size = n if size is None else check_count("size", size, 0)
        if not isinstance(replace, (bool, np.bool_)):
            raise ValueError(f"replace must be True or False; got {replace!r}")
        if not replace and size > n:
            raise ValueError(
                "cannot take a sample larger than the population when 'replace = FALSE' "
                f"(size {size} > n {n})"
            )
        if size > 0 and n == 0:
            raise ValueError(f"n must be >= 1 to draw size {size} with replacement; got 0")
        uniforms = _Uniforms(self)
        cost = _index_cost(n) if n > 0 else 0  # uniforms per attempt when n is fixed
        out = [0] * size
        if replace:
            for i in range(size):
                out[i] = uniforms.unif_index(n, (size - i - 1) * cost) + 1
        elif n > _HASH_ABOVE and 2 * size <= n:  # do_sample2
            seen: set[int] = set()
            for i in range(size):
                for _ in range(_HASH_TRIES):  # a duplicate is kept after 100 (odds < 2^-100)
                    value = uniforms.unif_index(n, (size - i - 1) * cost) + 1
                    if value not in seen:
                        break
                seen.add(value)
                out[i] = value
        else:  # do_sample: x[i] = i; y[i] = x[j] + 1; x[j] = x[--n]
            moved: dict[int, int] = {}  # the x[j] that differ from j
            wide_until = min(size, n - _ONE_CHUNK_MAX)  # draws i < this spend 2 uniforms
            for i in range(size):
                m = n - i
                sure_after = (size - i - 1) + max(0, wide_until - i - 1)
                j = uniforms.unif_index(m, sure_after)
                out[i] = moved.get(j, j) + 1
                moved[j] = moved.get(m - 1, m - 1)
        uniforms.check_spent()
        return np.array(out, dtype=np.int64)

    def sample(
        self,
        x: int | Sequence[Any] | NDArray[Any],
        size: int | None = None,
        replace: bool = False,
        prob: None = None,
    ) -> NDArray[Any]:
        """R's ``sample(x, size, replace)`` (sample.kind "Rejection"), bit for bit.

        A whole number ``x >= 1`` (an int, a numpy integer or 5.0) means
        ``1..x``: ``sample(10)`` is a permutation of 1..10 as an int64 array,
        R's ``sample(10)``. Any other ``x`` must be a sequence (list, tuple,
        range, 1-d array), and its elements are drawn, returned as a numpy
        array: ``sample(["a", "b", "c"], 2)``. ``size`` defaults to the
        population's size.

        R decides by value, not type: there a numeric ``x`` of length 1 with
        ``x >= 1`` means ``1:x``, so ``sample(c(5))`` is a permutation of 1..5.
        Python says which it means by type: ``sample(5)`` is ``1..5``, and
        ``sample([5])`` draws the element 5 (spending one index's draws, as R's
        ``sample("a")`` does). R's other quirks of a single number are refused
        instead of copied: a fraction (R's ``sample(5.5)`` truncates to 1..5)
        and a number below 1 (R's ``sample(0)`` is 0, ``sample(0.5)`` is 0.5)
        raise ValueError, as does a string (R's ``sample("abc")`` is "abc").

        ``prob`` (weighted sampling) is not ported: anything but None raises.
        """
        if prob is not None:
            raise ValueError("prob is not supported: only R's uniform sample() is ported")
        n, elements = _population(x)
        index = self.sample_int(n, size, replace)
        return index if elements is None else elements[index - 1]


def set_seed(seed: int | np.integer[Any]) -> RGenerator:
    """R's ``set.seed(seed)``: a generator whose draws equal R's."""
    return RGenerator(seed)
