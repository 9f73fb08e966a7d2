"""The example notebook runs in a real Jupyter kernel, and its views draw offline.

The notebook is executed with nbclient (a python3 kernel from ipykernel), exported to HTML
with nbconvert, and the export is opened in headless Chromium with the network cut: each
inline view (a sandboxed frame holding the whole page) must draw its canvas.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import file_url

pytestmark = pytest.mark.browser

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "walkthrough.ipynb"


def _executed_html(tmp_path: Path) -> Path:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nbconvert = pytest.importorskip("nbconvert")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    body, _ = nbconvert.HTMLExporter(template_name="lab").from_notebook_node(nb)
    target = tmp_path / "walkthrough.html"
    target.write_text(body, encoding="utf-8")
    return target


def test_the_notebook_runs_and_its_views_draw_offline(offline_page: Any, tmp_path: Path) -> None:
    exported = _executed_html(tmp_path)
    offline_page.goto(file_url(exported))
    offline_page.wait_for_selector("iframe[srcdoc]", state="attached", timeout=30_000)
    frames = [f for f in offline_page.frames if f is not offline_page.main_frame]
    assert len(frames) == 2  # the city view and the rankings view
    deadline = time.monotonic() + 90
    for frame in frames:
        # Chromium does not paint frames out of sight: scroll each one into view, as a reader does
        frame.frame_element().scroll_into_view_if_needed()
        while not frame.evaluate("!!(window.aiecoReady && window.aiecoReady.drawn !== null)"):
            assert time.monotonic() < deadline, "an inline view did not draw"
            time.sleep(0.2)
        width, height = frame.evaluate(
            "(() => { const c = document.querySelector('#network canvas'); return [c.width, c.height]; })()"
        )
        assert width > 100
        assert height > 100
