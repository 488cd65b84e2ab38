"""The slides' picture of the 2-3-1 network, drawn as SVG by the build."""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT = 820, 420
LAYERS = (  # x, the nodes' labels, the column's caption
    (100, ("x₁", "x₂"), ("input", "a row of X")),
    (400, ("a₁⁽²⁾", "a₂⁽²⁾", "a₃⁽²⁾"), ("hidden: z⁽²⁾ = X W⁽¹⁾", "a⁽²⁾ = f(z⁽²⁾)")),
    (700, ("ŷ",), ("output: z⁽³⁾ = a⁽²⁾ W⁽²⁾", "ŷ = f(z⁽³⁾)")),
)
WEIGHTS = ("W⁽¹⁾ (2 × 3)", "W⁽²⁾ (3 × 1)")
RADIUS = 38


def _ys(count: int) -> list[float]:
    top, bottom = 70.0, HEIGHT - 130.0
    if count == 1:
        return [(top + bottom) / 2]
    return [top + i * (bottom - top) / (count - 1) for i in range(count)]


def network_svg() -> str:
    """The network as an inline SVG: nodes, every weight as an edge, the labels."""
    parts = [
        f'<svg class="network" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-labelledby="network-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="network-title">The 2-3-1 network: two inputs x1 and x2, each joined to '
        "three hidden units by the six weights of W(1); the hidden units' activations "
        "a(2) joined to one output unit by the three weights of W(2); the output is "
        "y-hat.</title>",
    ]
    columns = [(x, _ys(len(labels))) for x, labels, _ in LAYERS]
    for k, ((x0, ys0), (x1, ys1)) in enumerate(zip(columns, columns[1:], strict=False)):
        for i, y0 in enumerate(ys0):
            for j, y1 in enumerate(ys1):
                parts.append(
                    f'<line class="edge w{k + 1}" x1="{x0 + RADIUS}" y1="{y0:.1f}" '
                    f'x2="{x1 - RADIUS}" y2="{y1:.1f}"><title>w{i + 1}{j + 1}({k + 1})'
                    "</title></line>"
                )
        middle = (x0 + x1) / 2
        parts.append(
            f'<text class="weights w{k + 1}" x="{middle}" y="34" '
            f'text-anchor="middle">{escape(WEIGHTS[k])}</text>'
        )
    for (x, labels, caption), (_, ys) in zip(LAYERS, columns, strict=True):
        for label, y in zip(labels, ys, strict=True):
            parts.append(f'<circle class="node" cx="{x}" cy="{y:.1f}" r="{RADIUS}"/>')
            parts.append(
                f'<text class="node-label" x="{x}" y="{y + 6:.1f}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
        for line, text in enumerate(caption):
            parts.append(
                f'<text class="caption" x="{x}" y="{HEIGHT - 58 + 30 * line}" '
                f'text-anchor="middle">{escape(text)}</text>'
            )
    parts.append("</svg>")
    return "\n".join(parts)
