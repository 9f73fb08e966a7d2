"""The pages' Content-Security-Policy is a second wall behind escaping: an inline script
added to a view or to the report does not run, while the page's own scripts still do."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from aieco.graph.ecosystem import EcosystemGraph
from aieco.report import build_centrality_report, write_centrality_report
from aieco.viz import build_view
from tests.browser.conftest import file_url

pytestmark = pytest.mark.browser

INJECTED = (
    "<script>document.title = 'pwned'; window.aiecoPwned = true;</script>"
    '<img src=x onerror="window.aiecoPwned = true">'
)


def _inject(page_file: Path) -> None:
    html = page_file.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html
    page_file.write_text(html.replace("</body>", INJECTED + "</body>"), encoding="utf-8")


def _violations(page: Any) -> list[str]:
    return [m for m in page.console_errors if "Content Security Policy" in m]


def test_an_added_script_does_not_run_in_a_view(
    offline_page: Any, bundled: EcosystemGraph, tmp_path: Path
) -> None:
    target = build_view(bundled, "city", city="hefei", depth=1).write(tmp_path / "city.html")
    _inject(target)
    offline_page.goto(file_url(target))
    deadline = time.monotonic() + 60
    while not offline_page.evaluate("!!(window.aiecoReady && window.aiecoReady.drawn !== null)"):
        assert time.monotonic() < deadline, "the view's own scripts did not run"
        time.sleep(0.2)
    assert offline_page.evaluate("window.aiecoPwned === undefined")
    assert offline_page.title() != "pwned"
    assert _violations(offline_page), "the browser reported no blocked script"


def test_an_added_script_does_not_run_in_the_report(
    offline_page: Any, bundled: EcosystemGraph, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    write_centrality_report(build_centrality_report(bundled, top=5, engine="networkx"), out)
    _inject(out / "report.html")
    offline_page.goto(file_url(out / "report.html"))
    offline_page.wait_for_load_state("load")
    assert offline_page.evaluate("window.aiecoPwned === undefined")
    assert offline_page.title() != "pwned"
    assert _violations(offline_page)
    assert offline_page.evaluate(
        "document.images.length > 0 && [...document.images].some(i => i.naturalWidth > 0)"
    )
