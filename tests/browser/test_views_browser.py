"""Every network view and the dashboard in headless Chromium, offline, from file: URLs.

Set ``AIECO_SCREENSHOT_DIR=docs/img`` to refresh the README's screenshots from these tests.
"""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

import aieco
from aieco.graph.ecosystem import EcosystemGraph
from aieco.viz import build_view, overview
from aieco.viz.dashboard import DEMO_VIEWS, write_demo
from tests.browser.conftest import file_url

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"
READY = "!!(window.aiecoReady && window.aiecoReady.stabilized !== null)"


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory, bundled: EcosystemGraph) -> Path:
    out = tmp_path_factory.mktemp("demo")
    write_demo(bundled, out)
    return out


def wait_ready(page: Any, timeout: float = 90.0) -> None:
    """Poll until vis-network has drawn and stabilised (the page's CSP forbids eval-based waits)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(READY):
        if time.monotonic() > deadline:
            raise AssertionError(
                f"the view did not stabilise in {timeout} s: {page.evaluate('window.aiecoReady')}"
            )
        time.sleep(0.1)


def node_point(page: Any, node_id: str) -> tuple[float, float]:
    """Where a node is on the screen, after bringing it into view."""
    page.evaluate(f"network.focus({node_id!r}, {{scale: 1.6}})")
    page.wait_for_timeout(150)
    x, y = page.evaluate(
        f"""(() => {{
            const p = network.canvasToDOM(network.getPositions([{node_id!r}])[{node_id!r}]);
            const r = document.querySelector('#network canvas').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }})()"""
    )
    return float(x), float(y)


def painted_pixels(page: Any) -> int:
    return int(
        page.evaluate(
            """(() => {
                const c = document.querySelector('#network canvas');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; }
                return n;
            })()"""
        )
    )


def screenshot(page: Any, name: str, tmp: Path) -> None:
    folder = Path(os.environ.get("AIECO_SCREENSHOT_DIR") or tmp)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 20_000


@pytest.mark.parametrize("spec", DEMO_VIEWS, ids=[v.slug for v in DEMO_VIEWS])
def test_view_loads_offline(spec: Any, demo_dir: Path, offline_page: Any, bundled: EcosystemGraph) -> None:
    page = offline_page
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(file_url(demo_dir / f"{spec.slug}.html"))
    wait_ready(page)
    assert page.console_errors == []
    assert all(url.startswith(("file:", "data:")) for url in page.requests), page.requests
    assert page.locator("#network canvas").count() == 1
    assert painted_pixels(page) > 2_000
    expected = build_view(bundled, spec.view, **spec.options)
    counts = page.evaluate("[nodes.length, edges.length]")
    assert counts == [len(expected.nodes), len(expected.edges)]
    if spec.view == "overview":
        assert counts[0] == bundled.number_of_entities()
    legend = page.locator("#legend input").count()
    assert legend == len({n["type"] for n in expected.nodes})
    screenshot(page, spec.slug, demo_dir)


def test_hover_and_click_show_the_tooltip(demo_dir: Path, offline_page: Any) -> None:
    page = offline_page
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(file_url(demo_dir / "overview.html"))
    wait_ready(page)
    page.evaluate("network.stopSimulation()")
    x, y = node_point(page, "iflytek")
    page.mouse.move(x - 40, y - 40)
    page.mouse.move(x, y, steps=4)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    text = tooltip.inner_text()
    assert "科大讯飞" in text
    assert "科大訊飛" in text
    assert "iFlytek" in text
    assert "seed-" in text  # its source is named
    page.mouse.click(x, y)
    details = page.locator("#details")
    assert "科大訊飛" in details.inner_text()
    assert page.evaluate("network.getSelectedNodes()") == ["iflytek"]


def test_search_box_finds_by_any_script(demo_dir: Path, offline_page: Any) -> None:
    page = offline_page
    page.goto(file_url(demo_dir / "overview.html"))
    wait_ready(page)
    page.locator(".ts-control input").fill("科大訊飛")
    option = page.locator(".ts-dropdown .option").first
    option.wait_for(state="visible", timeout=5_000)
    option.click()
    assert page.evaluate("network.getSelectedNodes()") == ["iflytek"]
    assert "iFlytek" in page.locator("#details").inner_text()


def _hostile_files(folder: Path) -> list[Path]:
    rows = {
        "sources.csv": [{"id": "my-notes", "title": "My notes", "url": "https://example.org/notes"}],
        "entities.csv": [
            {
                "id": "evil-co",
                "type": "Company",
                "name_en": XSS,
                "name_zh_hans": "<b>粗体</b>",
                "description": '"><svg onload=alert(2)>',
                "source": "my-notes",
            },
        ],
        "relations.csv": [
            {"from": "evil-co", "type": "HEADQUARTERED_IN", "to": "hefei", "source": "my-notes"}
        ],
    }
    paths = []
    for name, table in rows.items():
        path = folder / name
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(table[0]))
            writer.writeheader()
            writer.writerows(table)
        paths.append(path)
    return paths


def test_script_in_data_never_runs(tmp_path: Path, offline_page: Any) -> None:
    eg = aieco.graph_from_bundled(extra=_hostile_files(tmp_path))
    page_path = overview(eg).write(tmp_path / "hostile.html")
    page = offline_page
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(file_url(page_path))
    wait_ready(page)
    page.evaluate("network.stopSimulation()")
    x, y = node_point(page, "evil-co")
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y, steps=4)
    page.locator("div.vis-tooltip").wait_for(state="visible", timeout=5_000)
    page.mouse.click(x, y)
    page.locator(".ts-control input").fill("<img")
    page.wait_for_timeout(400)
    assert page.dialogs == []
    details = page.locator("#details")
    assert XSS in details.inner_text()
    assert "<b>粗体</b>" in details.inner_text()
    assert page.evaluate("document.querySelectorAll('#details img, #details svg').length") == 0
    # aieco's own markup bolds the name; the data's <b> must not have become an element
    assert (
        page.evaluate(
            "[...document.querySelectorAll('#details b')].filter(b => b.textContent === '粗体').length"
        )
        == 0
    )
    assert page.evaluate("document.querySelectorAll('.vis-tooltip img, .ts-dropdown img').length") == 0
    assert page.console_errors == []


def test_dashboard_links_resolve(demo_dir: Path, offline_page: Any) -> None:
    page = offline_page
    page.goto(file_url(demo_dir / "index.html"))
    page.wait_for_load_state("load")
    assert page.console_errors == []
    hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
    assert len(set(hrefs)) == len(DEMO_VIEWS) + 1  # every view and the report
    for href in hrefs:
        target = Path(unquote(urlparse(href).path))
        assert target.is_file(), href
    widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
    assert len(widths) == len(DEMO_VIEWS) + 1
    assert all(w > 100 for w in widths)
    page.set_viewport_size({"width": 1300, "height": 1000})
    screenshot(page, "dashboard", demo_dir)
