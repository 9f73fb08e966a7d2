"""Library calls leave a notebook's own plotting alone: after a report is built (charts drawn)
and a thumbnail made, ``%matplotlib inline`` still shows the user's next figure inline."""

from __future__ import annotations

import pytest


@pytest.mark.slow
def test_inline_plots_still_work_after_a_report() -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    cells = [
        "%matplotlib inline\nimport matplotlib\nbefore = matplotlib.get_backend()",
        "import aieco\nfrom aieco.report import build_centrality_report\n"
        "from aieco.viz import build_view\nfrom aieco.viz.thumbnail import thumbnail_png\n"
        "eg = aieco.graph_from_bundled()\nreport = build_centrality_report(eg, top=5)\n"
        "assert report.charts\nthumbnail_png(build_view(eg, 'talent'))\n"
        "after = matplotlib.get_backend()\nprint(before == after, after)",
        "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(nb, timeout=180, kernel_name="python3").execute()
    errors = [o for c in nb.cells for o in c.outputs if o.output_type == "error"]
    assert errors == []
    assert nb.cells[1].outputs[0]["text"].startswith("True")  # the backend was not switched
    images = [o for o in nb.cells[2].outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1  # the user's figure is shown inline
