"""The porting page's two measured notes say what the building machine measured.

Whether numpy's exp and @ give R's last bits depends on the processor, so the
notes on them count the differences while the page is built and word their text
from the count. These tests give the notes a numpy that agrees with R and one that
differs (a fake in its place), and check the text, the example chosen and what the
example prints; on the real numpy they check only that the text and the printed
numbers say the same thing, whichever it is here.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from helpers import one_ulp_up
from numpy.typing import NDArray

from backprop import rarith
from parity.site import porting
from parity.site.porting import AGREE, DIFFER, PortingNote


def printed(note: PortingNote) -> tuple[float, float]:
    """The two numbers the note's Python example prints."""
    first, second = note.run_python().split()
    return float(first), float(second)


def libm_exp(x: Any) -> NDArray[np.float64]:
    """exp as the C library computes it, in np.exp's place: agrees with R's everywhere."""
    return np.array([math.exp(v) for v in np.ravel(x).tolist()]).reshape(np.shape(x))


def slipped(x: float) -> bool:
    """The values a planted exp gets one ulp wrong: those whose four decimals are a
    multiple of 7 (-20 to 20 in steps of 0.0001, as exp_inputs draws them)."""
    return round(x * 10_000) % 7 == 0


def exp_one_ulp_off(x: Any) -> NDArray[np.float64]:
    exact = libm_exp(x)
    off = np.array([slipped(v) for v in np.ravel(x).tolist()]).reshape(np.shape(x))
    return np.where(off, one_ulp_up(exact), exact)


# --------------------------------------------------------------------------- exp


def test_exp_note_says_agree_when_numpy_s_exp_is_libm_s(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(np, "exp", libm_exp)
    note = porting.exp_note()
    assert f"{AGREE} libm's on every one of 100,000 values" in note.why
    assert DIFFER not in note.why
    assert note.r == f"sprintf('%.17g', exp({porting.EXP_FALLBACK!r}))"
    ours, numpys = printed(note)
    assert ours == numpys == math.exp(porting.EXP_FALLBACK)


def test_exp_note_counts_and_shows_where_numpy_s_exp_differs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    z = porting.exp_inputs().tolist()
    count, first = sum(map(slipped, z)), next(v for v in z if slipped(v))
    monkeypatch.setattr(np, "exp", exp_one_ulp_off)
    note = porting.exp_note()
    assert f"{DIFFER} libm's in the last bit for {count:,} of 100,000 values" in note.why
    assert "below, the first of them" in note.why
    assert AGREE not in note.why
    assert note.r == f"sprintf('%.17g', exp({first!r}))"
    assert f"z = {first!r}\n" in note.python
    ours, numpys = printed(note)
    assert ours == math.exp(first) and numpys == one_ulp_up(ours)


# --------------------------------------------------------------------------- %*%


def test_matmul_note_says_agree_when_numpy_s_product_is_r_s() -> None:
    note = porting.matmul_note(rarith.matmul)
    assert f"numpy's @ {AGREE} R's on every one of 2,000 random 3x3 products" in note.why
    assert DIFFER not in note.why
    a, b = porting.product_inputs()[0]
    assert porting._python_matrix(a) in note.python and porting._r_matrix(b) in note.r
    assert "(A %*% B)[2, 1]" in note.r and "(A @ B)[1, 0]" in note.python


def test_matmul_note_counts_and_shows_where_numpy_s_product_differs() -> None:
    def product(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
        c = rarith.matmul(a, b)
        if b[1, 1] < 0:
            c[0, 2] = one_ulp_up(c[0, 2])
        return c

    pairs = porting.product_inputs()
    count = sum(b[1, 1] < 0 for _, b in pairs)
    a, b = next((a, b) for a, b in pairs if b[1, 1] < 0)
    note = porting.matmul_note(product)
    assert f"{count:,} of 2,000 random 3x3 products" in note.why
    assert f"{DIFFER} R's in some last bit" in note.why and AGREE not in note.why
    assert f"A <- {porting._r_matrix(a)}\nB <- {porting._r_matrix(b)}\n" in note.r
    assert f"A = {porting._python_matrix(a)}\nB = {porting._python_matrix(b)}\n" in note.python
    assert "(A %*% B)[1, 3]" in note.r and "(as_r(A) @ B)[0, 2]" in note.python


def test_the_examples_write_the_numbers_drawn() -> None:
    """The matrices' code, run, gives back the matrices: R's by rows, as Python's."""
    a, _ = porting.product_inputs()[3]
    assert (eval(porting._python_matrix(a), {"np": np}) == a).all()  # noqa: S307 - our text
    r_code = porting._r_matrix(a)
    assert r_code.startswith("matrix(c(") and r_code.endswith("), 3, byrow = TRUE)")
    numbers = r_code.removeprefix("matrix(c(").removesuffix("), 3, byrow = TRUE)")
    assert [float(v) for v in numbers.split(", ")] == a.ravel().tolist()  # row by row


# ------------------------------------------------------- this machine, whatever it does


def test_the_measured_notes_text_matches_what_they_print() -> None:
    """On the real numpy: "agreed" where the two printed numbers are equal, "differed"
    where they are not (numpy's first for @, second for exp). Which, is the processor's."""
    for note in (porting.exp_note(), porting.matmul_note()):
        equal = printed(note)[0] == printed(note)[1]
        assert (AGREE in note.why) == equal and (DIFFER in note.why) != equal, note.why


def test_the_page_has_every_note_with_the_measured_ones_in_place() -> None:
    notes = porting.porting_notes()
    assert all(isinstance(note, PortingNote) for note in notes)
    assert len(notes) == len(porting.PORTING_NOTES)
    topics = [note.topic for note in notes]
    assert len(set(topics)) == len(topics)
    assert topics.index("numpy's exp need not be the C library's") == 6
    assert topics.index("%*% adds in the reference BLAS's order") == 7
