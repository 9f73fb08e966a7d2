"""The geographic view draws its map: outlines under the network, in the same coordinates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aieco.graph.ecosystem import EcosystemGraph
from aieco.viz import build_view
from tests.browser.conftest import file_url
from tests.browser.test_views_browser import screenshot, wait_ready

pytestmark = pytest.mark.browser

# point-in-rings (even-odd) over the rings the page itself draws, at a node's drawn position
_INSIDE = """([node, layer, name]) => {
    const o = window.aiecoOutlines.layers.find(o => o.layer === layer && o.name === name);
    const p = network.getPositions([node])[node];
    let hits = 0;
    for (const r of o.rings) {
        for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
            const [x1, y1, x2, y2] = [r[i], r[i + 1], r[j], r[j + 1]];
            if ((y1 > p.y) !== (y2 > p.y) && p.x < (x2 - x1) * (p.y - y1) / (y2 - y1) + x1) hits++;
        }
    }
    return hits % 2 === 1;
}"""


def test_the_map_is_drawn_under_the_cities(
    offline_page: Any, bundled: EcosystemGraph, tmp_path: Path
) -> None:
    page = offline_page
    page.set_viewport_size({"width": 1400, "height": 900})
    target = build_view(bundled, "geo").write(tmp_path / "geo.html")
    page.goto(file_url(target))
    wait_ready(page)
    outlines = page.evaluate("({count: window.aiecoOutlines.count, drawn: window.aiecoOutlines.drawn})")
    assert outlines["count"] > 50
    assert outlines["drawn"] >= 1  # drawn before the network, on every frame
    assert page.evaluate(_INSIDE, ["hefei", "countries", "China"])
    assert not page.evaluate(_INSIDE, ["hefei", "countries", "Japan"])
    assert page.evaluate(_INSIDE, ["hefei", "provinces", "Anhui"])
    assert not page.evaluate(_INSIDE, ["hefei", "provinces", "Jiangsu"])
    assert page.evaluate(_INSIDE, ["shenzhen", "provinces", "Guangdong"])
    assert not page.evaluate(_INSIDE, ["shenzhen", "provinces", "Anhui"])
    assert page.evaluate(_INSIDE, ["san-francisco", "states", "California"])
    assert page.evaluate(_INSIDE, ["boston", "states", "Massachusetts"])
    assert not page.evaluate(_INSIDE, ["boston", "states", "California"])
    # the map is redrawn, in network coordinates, when the view zooms
    page.evaluate("network.moveTo({scale: 3, position: network.getPositions(['hefei']).hefei})")
    page.wait_for_timeout(300)
    assert page.evaluate("window.aiecoOutlines.drawn") > outlines["drawn"]
    assert page.evaluate(_INSIDE, ["hefei", "countries", "China"])
    assert page.evaluate(_INSIDE, ["hefei", "provinces", "Anhui"])
    page.evaluate("network.moveTo({scale: 0.4, position: network.getPositions(['wuhan']).wuhan})")
    page.wait_for_timeout(300)
    screenshot(page, "geo-china", tmp_path)
    page.evaluate("network.fit()")
    page.wait_for_timeout(300)
    screenshot(page, "geo", tmp_path)
