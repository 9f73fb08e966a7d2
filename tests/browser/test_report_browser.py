"""report.html opens offline in headless Chromium, without errors, with tables and charts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aieco.graph.ecosystem import EcosystemGraph
from aieco.report import build_centrality_report, write_centrality_report
from tests.browser.conftest import file_url

pytestmark = pytest.mark.browser


def test_report_renders(offline_page: Any, bundled: EcosystemGraph, tmp_path: Path) -> None:
    write_centrality_report(build_centrality_report(bundled, top=8, engine="networkx"), tmp_path)
    page = offline_page
    page.goto(file_url(tmp_path / "report.html"))
    page.wait_for_load_state("load")
    assert page.console_errors == []
    assert all(url.startswith(("file:", "data:")) for url in page.requests)
    tables = page.locator("table.data")
    assert tables.count() >= 10
    first_rows = page.locator("table[data-table=top_pagerank] tbody tr")
    assert first_rows.count() == 8
    images = page.locator("figure img")
    assert images.count() == 3
    widths = page.eval_on_selector_all("figure img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
    assert all(w > 100 for w in widths)
    page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
    assert (tmp_path / "report.png").stat().st_size > 10_000
