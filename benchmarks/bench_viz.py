"""Benchmark: how large a network view Chromium can take — time to the first frame by size.

For growing synthetic ecosystems, writes the overview with no degradation (every entity
drawn; positions computed in Python, physics off) and opens it in headless Chromium (Debian's,
offline, from a file: URL), recording ``drawn_s`` (navigation to the first frame drawn) and
``stabilized_s`` (the layout at rest: the same moment when physics is off), ``frame_ms`` (one
redraw each after a zoom in, a zoom out and a pan: how smooth moving the view is), plus
``build_s``, the Python time to build and write the page (layout included).

Two peers, in the same run and the same browser:

* **bare vis-network**: the same nodes at the same positions and the same edges in a minimal
  page (vis-network inlined, physics off, nothing else) — the floor for any vis-network page;
* **pyvis's default page** (``Network.from_nx`` + ``write_html``: its physics and template),
  up to --pyvis-up-to entities (above that it draws nothing within a minute).

Results: benchmarks/results/viz.json, with the ratios aieco / peer.

    python benchmarks/bench_viz.py [--sizes 250,1000,5000,20000] [--timeout 120]
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import sync_playwright
from pyvis.network import Network

import aieco
from aieco.viz import overview
from aieco.viz.network import EcosystemNetwork, _asset

# Attached before any page script runs, identically for both pages: waits for the page's
# global `network` and records vis-network's events.
PROBE = """
window.__bench = {drawn: null, iterationsDone: null, stabilized: null};
(function attach() {
  if (typeof window.network === 'undefined' || !window.network || !window.network.once) {
    setTimeout(attach, 5); return;
  }
  const b = window.__bench;
  network.once('afterDrawing', () => { b.drawn = performance.now(); });
  network.once('stabilizationIterationsDone', () => { b.iterationsDone = performance.now(); });
  network.once('stabilized', () => { if (b.stabilized === null) b.stabilized = performance.now(); });
})();
"""


# One redraw after the view moves (zoom by the factor, or pan when it is 1): its milliseconds.
FRAME = """
(zoom) => new Promise((done) => {
  const start = performance.now();
  network.once('afterDrawing', () => done(performance.now() - start));
  const view = network.getViewPosition();
  network.moveTo(zoom === 1 ? {position: {x: view.x + 50, y: view.y}} : {scale: network.getScale() * zoom});
})
"""


def pyvis_page(eg: aieco.EcosystemGraph, path: Path) -> None:
    """The peer: what a pyvis user gets from the same entities and relationships."""
    H = nx.Graph()
    for node in eg.entity_ids():
        H.add_node(node, label=str(eg.node(node).get("name_en", node)), title=node)
    H.add_edges_from((u, v) for u, v, t in eg.G.edges(data="type") if t not in ("ABOUT", "RELATIVE_TO"))
    net = Network(height="900px", width="100%", directed=False, cdn_resources="in_line")
    net.from_nx(H)
    net.write_html(str(path))


def bare_page(net: EcosystemNetwork, path: Path) -> None:
    """The floor: the same nodes, positions and edges, in the smallest vis-network page."""
    nodes = [
        {k: n[k] for k in ("id", "x", "y", "label", "color", "size", "shape") if k in n} for n in net.nodes
    ]
    edges = [{"from": e["from"], "to": e["to"], "color": e.get("color")} for e in net.edges]
    data = json.dumps({"nodes": nodes, "edges": edges}, ensure_ascii=False).replace("<", "\\u003c")
    path.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>html,body,#n{margin:0;height:100%}'
        '</style></head><body><div id="n"></div><script>'
        + _asset("vis-9.1.2/vis-network.min.js")
        + "</script>"
        '<script type="application/json" id="d">' + data + "</script><script>"
        'var d = JSON.parse(document.getElementById("d").textContent);'
        'window.network = new vis.Network(document.getElementById("n"),'
        " {nodes: new vis.DataSet(d.nodes), edges: new vis.DataSet(d.edges)},"
        " {physics: {enabled: false}, layout: {improvedLayout: false}, edges: {smooth: false},"
        " interaction: {hideEdgesOnDrag: true}});"
        ' window.network.once("afterDrawing", function () { window.__bareDrawn = performance.now(); });'
        "</script></body></html>",
        encoding="utf-8",
    )


def measure(browser: Any, path: Path, timeout: float) -> dict[str, Any]:
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
    context.add_init_script(PROBE)
    page = context.new_page()
    start = time.monotonic()
    result: dict[str, Any] = {}
    try:
        page.goto(path.resolve().as_uri(), wait_until="load", timeout=int(timeout * 1000))
    except PlaywrightTimeoutError:  # the page did not even finish loading in time
        context.close()
        return {"drawn_s": None, "iterations_done_s": None, "stabilized_s": None, "load_timed_out": True}
    while time.monotonic() - start < timeout:
        # aieco's page and the bare page record their own first frame (with physics off it comes
        # before a probe could attach); pyvis's page is read through the probe
        result = page.evaluate(
            "({drawn: (window.aiecoReady && window.aiecoReady.drawn) || window.__bareDrawn"
            " || window.__bench.drawn,"
            " stabilized: (window.aiecoReady && window.aiecoReady.stabilized) || window.__bareDrawn"
            " || window.__bench.stabilized})"
        )
        if result["stabilized"] is not None:
            break
        time.sleep(0.2)
    frames: list[float] = []
    if result.get("drawn") is not None:
        for zoom in (1.25, 0.8, 1.0):  # a zoom in, a zoom out, a pan: one frame each
            frames.append(page.evaluate(FRAME, zoom))
    context.close()
    return {
        "drawn_s": None if result.get("drawn") is None else round(result["drawn"] / 1000, 2),
        "stabilized_s": None if result.get("stabilized") is None else round(result["stabilized"] / 1000, 2),
        "frame_ms": [round(f) for f in frames],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250,1000,5000,20000")
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="give up waiting after this many seconds"
    )
    parser.add_argument("--pyvis-up-to", type=int, default=1000, help="largest size given to pyvis's page")
    parser.add_argument("--pyvis-timeout", type=float, default=60.0)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "viz.json"))
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
        for size in (int(s) for s in args.sizes.split(",")):
            eg = aieco.graph_from_synthetic(size, seed=0, with_observations=False)
            start = time.perf_counter()
            net = overview(eg, max_nodes=size + 1, size_by="degree", degrade="top-k")
            ours = net.write(Path(tmp) / f"aieco-{size}.html")
            build = round(time.perf_counter() - start, 2)
            floor = Path(tmp) / f"bare-{size}.html"
            bare_page(net, floor)
            a = measure(browser, ours, args.timeout)
            b = measure(browser, floor, args.timeout)
            p = None
            if size <= args.pyvis_up_to:
                theirs = Path(tmp) / f"pyvis-{size}.html"
                pyvis_page(eg, theirs)
                p = measure(browser, theirs, args.pyvis_timeout)

            def ratio(x: dict[str, Any] | None, y: dict[str, Any] | None) -> float | None:
                return (
                    round(x["drawn_s"] / y["drawn_s"], 3)
                    if x and y and x["drawn_s"] and y["drawn_s"]
                    else None
                )

            row = {
                "entities": len(net.nodes),
                "edges": len(net.edges),
                "html_mb": round(ours.stat().st_size / 1e6, 2),
                "aieco_build_s": build,
                "aieco": a,
                "bare_vis_network": b,
                "pyvis_default": p,
                "ratio_drawn_aieco_to_bare": ratio(a, b),
                # null with a pyvis row: pyvis drew nothing within --pyvis-timeout
                "ratio_drawn_aieco_to_pyvis": ratio(a, p),
            }
            print(json.dumps(row))
            rows.append(row)
        version = browser.version
        browser.close()
    payload = {
        "benchmark": "network view: first frame in headless Chromium (positions precomputed, physics off)",
        "command": "python benchmarks/bench_viz.py --sizes " + args.sizes,
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": __import__("os").cpu_count(),
            "chromium": version,
        },
        "rows": rows,
    }
    Path(args.out).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
