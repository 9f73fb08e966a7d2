"""A view with tens of thousands of edges paints them itself: where the data put them, and only those
the filters leave on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import aieco
from aieco.viz import overview
from aieco.viz.network import PAINTED_EDGES_ABOVE, EcosystemNetwork
from tests.browser.conftest import file_url
from tests.browser.test_views_browser import screenshot, wait_ready

pytestmark = pytest.mark.browser

# the colour of one canvas pixel at a point of the network's own coordinates (centred on screen)
_PIXEL = """([x, y, dx]) => {
    const canvas = document.querySelector('#network canvas');
    const p = network.canvasToDOM({x: x, y: y});
    const box = canvas.getBoundingClientRect(), ratio = canvas.width / box.width;
    const data = canvas.getContext('2d').getImageData(Math.round((p.x + dx) * ratio),
                                                      Math.round(p.y * ratio), 1, 1).data;
    return [data[0], data[1], data[2]];
}"""


def _lonely_edge(net: EcosystemNetwork) -> tuple[dict[str, Any], tuple[float, float]]:
    """An edge, and the midpoint of it that is farthest from every node and every other edge."""
    at = {n["id"]: (float(n["x"]), float(n["y"])) for n in net.nodes}
    xy = np.array(list(at.values()))
    a = np.array([at[e["from"]] for e in net.edges])
    b = np.array([at[e["to"]] for e in net.edges])
    best, best_gap = 0, -1.0
    for i in np.argsort(np.linalg.norm(b - a, axis=1))[-400:].tolist():  # the longest edges
        m = (a[i] + b[i]) / 2
        t = np.clip(
            np.einsum("ij,ij->i", m - a, b - a) / np.maximum(np.einsum("ij,ij->i", b - a, b - a), 1e-9), 0, 1
        )
        to_edges = np.linalg.norm(a + t[:, None] * (b - a) - m, axis=1)
        to_edges[i] = np.inf
        gap = min(float(to_edges.min()), float(np.linalg.norm(xy - m, axis=1).min()) / 3)
        if gap > best_gap:
            best, best_gap = i, gap
    m = (a[best] + b[best]) / 2
    assert best_gap > 8, "no edge stands alone enough to be checked pixel by pixel"
    return net.edges[best], (float(m[0]), float(m[1]))


def _coloured(rgb: list[int], background: list[int]) -> bool:
    return max(abs(c - g) for c, g in zip(rgb, background, strict=True)) > 25


def test_a_big_view_paints_its_edges_where_they_are(offline_page: Any, tmp_path: Path) -> None:
    eg = aieco.graph_from_synthetic(3000, seed=3, with_observations=False)
    net = overview(eg, max_nodes=3001, size_by="degree")
    target = net.write(tmp_path / "big.html")
    assert len(net.edges) > PAINTED_EDGES_ABOVE
    page = offline_page
    page.set_viewport_size({"width": 1200, "height": 800})
    page.goto(file_url(target))
    wait_ready(page)
    # every edge painted in the first frame, none of them a vis-network object
    assert page.evaluate("[window.edges.length, window.aiecoEdges.painted, window.aiecoEdges.drawn]") == [
        0,
        True,
        len(net.edges),
    ]
    assert "painted as plain lines" in page.inner_text("body")
    edge, (mx, my) = _lonely_edge(net)
    page.evaluate(f"network.moveTo({{position: {{x: {mx}, y: {my}}}, scale: 2}})")
    page.wait_for_timeout(300)
    background = page.evaluate(_PIXEL, [mx, my, 14])  # 14 px beside the line: nothing there
    assert _coloured(page.evaluate(_PIXEL, [mx, my, 0]), background)
    # the finder's (or a click's) selection: the node's edges are drawn again, thick and blue
    page.evaluate(f"network.selectNodes([{edge['from']!r}]); network.redraw()")
    page.wait_for_timeout(300)
    r, g, b = page.evaluate(_PIXEL, [mx, my, 0])
    assert b > r + 60, (r, g, b)
    page.evaluate("network.unselectAll(); network.redraw()")
    screenshot(page, "big-view-painted-edges", tmp_path)
    # hiding the type of one end takes the edge away (and every other edge of that type)
    kind = next(n["type"] for n in net.nodes if n["id"] == edge["from"])
    page.click(f"#legend input[data-type='{kind}']")
    page.wait_for_timeout(300)
    assert not _coloured(page.evaluate(_PIXEL, [mx, my, 0]), background)
    types = {n["id"]: n["type"] for n in net.nodes}
    left = sum(1 for e in net.edges if kind not in (types[e["from"]], types[e["to"]]))
    assert page.evaluate("window.aiecoEdges.drawn") == left
