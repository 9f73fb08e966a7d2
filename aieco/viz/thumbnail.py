"""Small static pictures of a view, for the dashboard (matplotlib; no browser needed)."""

from __future__ import annotations

import io
from typing import Any

from aieco.viz.layout import layout
from aieco.viz.network import EcosystemNetwork
from aieco.viz.style import node_style

_MARKERS = {
    "dot": "o",
    "hexagon": "h",
    "triangle": "^",
    "triangleDown": "v",
    "star": "*",
    "square": "s",
    "diamond": "D",
}


def thumbnail_png(net: EcosystemNetwork, *, width: float = 4.8, height: float = 3.0, dpi: int = 80) -> bytes:
    """A PNG of the view: nodes in their type's colour and shape, edges as thin lines."""
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    pos = layout(net)
    fig = Figure(figsize=(width, height), dpi=dpi)  # no pyplot state, no backend switch
    ax = fig.subplots()
    segments = [(pos[e["from"]], pos[e["to"]]) for e in net.edges if e["from"] in pos and e["to"] in pos]
    ax.add_collection(LineCollection(segments, colors="#b8c2cc", linewidths=0.4, zorder=1))
    groups: dict[tuple[str, str], dict[str, list[Any]]] = {}
    for n in net.nodes:
        style = node_style(str(n.get("type", "")))
        key = (style.color, _MARKERS.get(str(n.get("shape", "dot")), "o"))
        group = groups.setdefault(key, {"x": [], "y": [], "s": []})
        x, y = pos[n["id"]]
        group["x"].append(x)
        group["y"].append(y)
        group["s"].append(max(4.0, float(n.get("size", 10)) ** 2 / 12))
    for (color, marker), g in groups.items():
        ax.scatter(
            g["x"],
            g["y"],
            s=g["s"],
            c=color,
            marker=marker,
            linewidths=0.3,
            edgecolors="#33333380",
            zorder=2,
        )
    ax.set_axis_off()
    if not net.hierarchical:
        ax.set_aspect("equal", adjustable="datalim")
    ax.margins(0.04)
    fig.subplots_adjust(0, 0, 1, 1)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", facecolor="white")
    return buffer.getvalue()
