"""The slides' LaTeX as MathML: ``$...$`` inline, ``$$...$$`` display, in running HTML.

latex2mathml converts one expression; this module adds what the slides need
and it lacks: ``\\begin{aligned}`` (rows split at ``\\\\`` and at the first
``&``, laid out as an ``mtable`` whose left column is right-aligned), and a
prime that reads as a prime (latex2mathml sets ``f'`` as a superscript prime,
a speck at superscript size; here it is the prime glyph after the letter).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from latex2mathml.converter import convert
from markupsafe import Markup

_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_INLINE = re.compile(r"(?<![\\$])\$([^$]+?)\$")
_ALIGNED = re.compile(r"\\begin\{aligned\}(.*?)\\end\{aligned\}", re.DOTALL)
NS = "http://www.w3.org/1998/Math/MathML"
ET.register_namespace("", NS)
PRIME, UNDERBRACE = "\u2032", "\u23df"


def _mend(element: ET.Element) -> None:
    """Primes and underbraces as a browser without a math font can draw them."""
    for i, child in enumerate(list(element)):
        _mend(child)
        kids = list(child)
        tag = child.tag.removeprefix(f"{{{NS}}}")
        if tag == "msup" and len(kids) == 2 and (kids[1].text or "").strip() == PRIME:
            # f': the prime glyph after the letter, not a speck at superscript size
            mended = ET.Element(f"{{{NS}}}mrow")
            prime = ET.SubElement(mended, f"{{{NS}}}mo", {"lspace": "0", "rspace": "0"})
            prime.text = PRIME
            mended.insert(0, kids[0])
            element[i] = mended
        elif tag == "munder" and len(kids) == 2 and (kids[1].text or "") == UNDERBRACE:
            # \underbrace: a bracket drawn by CSS (a tiny glyph without a stretchy font)
            mended = ET.Element(f"{{{NS}}}mrow", {"class": "underbrace"})
            mended.append(kids[0])
            element[i] = mended


def _inner(latex: str) -> str:
    """The MathML inside ``<math>`` for one LaTeX expression, primes mended."""
    root = ET.fromstring(convert(latex.strip()))
    _mend(root)
    inner = "".join(ET.tostring(child, encoding="unicode") for child in root)
    return inner.replace(f' xmlns="{NS}"', "")


def _aligned(body: str) -> str:
    rows = []
    for row in re.split(r"\\\\", body):
        if not row.strip():
            continue
        left, _, right = row.partition("&")
        rows.append(
            f'<mtr><mtd class="lhs">{_inner(left) if left.strip() else ""}</mtd>'
            f'<mtd class="rhs">{_inner(right)}</mtd></mtr>'
        )
    return f'<mtable class="aligned">{"".join(rows)}</mtable>'


def mathml(latex: str, display: bool = True) -> str:
    """One expression as ``<math>``; ``\\begin{aligned}`` as a table of rows."""
    found = _ALIGNED.fullmatch(latex.strip())
    body = _aligned(found.group(1)) if found else _inner(latex)
    kind = ' display="block"' if display else ""
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML"{kind}>{body}</math>'


def tex(html: str) -> Markup:
    """HTML with ``$$display$$`` and ``$inline$`` LaTeX turned into MathML."""
    html = _DISPLAY.sub(lambda m: f'<div class="math">{mathml(m.group(1))}</div>', html)
    return Markup(_INLINE.sub(lambda m: mathml(m.group(1), display=False), html))
