"""Benchmark: how large a network view Chromium can take — time to stabilisation by size.

For growing synthetic ecosystems, writes the overview with no degradation (every entity
drawn) and opens it in headless Chromium (Debian's, offline, from a file: URL), recording:

* ``drawn_s``: time from navigation to the first frame drawn;
* ``iterations_done_s``: when vis-network's initial stabilisation iterations finished;
* ``stabilized_s``: when the layout came to rest (``stabilized`` event), or null if it did
  not within --timeout seconds.

The peer, in the same run and the same browser, is pyvis's own page for the same graph
(``Network.from_nx`` + ``write_html``, pyvis's default physics and template); the result
gives the ratio aieco / pyvis for each size. The size limit is the largest size whose view
stabilises within --limit-seconds. Results: benchmarks/results/viz.json.

    python benchmarks/bench_viz.py [--sizes 250,500,1000,2000,4000] [--timeout 90]
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


def pyvis_page(eg: aieco.EcosystemGraph, path: Path) -> None:
    """The peer: what a pyvis user gets from the same entities and relationships."""
    H = nx.Graph()
    for node in eg.entity_ids():
        H.add_node(node, label=str(eg.node(node).get("name_en", node)), title=node)
    H.add_edges_from((u, v) for u, v, t in eg.G.edges(data="type") if t not in ("ABOUT", "RELATIVE_TO"))
    net = Network(height="900px", width="100%", directed=False, cdn_resources="in_line")
    net.from_nx(H)
    net.write_html(str(path))


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
        result = page.evaluate("window.__bench")
        if result["stabilized"] is not None:
            break
        time.sleep(0.2)
    context.close()
    return {
        "drawn_s": None if result.get("drawn") is None else round(result["drawn"] / 1000, 2),
        "iterations_done_s": None
        if result.get("iterationsDone") is None
        else round(result["iterationsDone"] / 1000, 2),
        "stabilized_s": None if result.get("stabilized") is None else round(result["stabilized"] / 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250,500,1000,2000,4000")
    parser.add_argument("--timeout", type=float, default=90.0, help="give up waiting after this many seconds")
    parser.add_argument("--limit-seconds", type=float, default=10.0, help="what counts as usable")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "viz.json"))
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
        for size in (int(s) for s in args.sizes.split(",")):
            eg = aieco.graph_from_synthetic(size, seed=0, with_observations=False)
            net = overview(eg, max_nodes=size + 1, size_by="degree")
            ours = net.write(Path(tmp) / f"aieco-{size}.html")
            theirs = Path(tmp) / f"pyvis-{size}.html"
            pyvis_page(eg, theirs)
            a = measure(browser, ours, args.timeout)
            p = measure(browser, theirs, args.timeout)

            def ratio(key: str, a: dict[str, Any] = a, p: dict[str, Any] = p) -> float | None:
                return round(a[key] / p[key], 3) if a[key] and p[key] else None

            row = {
                "entities": len(net.nodes),
                "edges": len(net.edges),
                "html_mb": round(ours.stat().st_size / 1e6, 2),
                "aieco": a,
                "pyvis_default": p,
                # null: the peer did not get there within --timeout (aieco's ratio is then below
                # timeout / peer, i.e. better than the printed bound)
                "ratio_drawn_aieco_to_pyvis": ratio("drawn_s"),
                "ratio_stabilized_aieco_to_pyvis": ratio("stabilized_s"),
            }
            print(json.dumps(row))
            rows.append(row)
        version = browser.version
        browser.close()
    usable = [
        r["entities"]
        for r in rows
        if r["aieco"]["stabilized_s"] and r["aieco"]["stabilized_s"] <= args.limit_seconds
    ]
    drawn = [
        r["entities"] for r in rows if r["aieco"]["drawn_s"] and r["aieco"]["drawn_s"] <= args.limit_seconds
    ]
    payload = {
        "benchmark": "network view: time to stabilisation in headless Chromium",
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "chromium": version,
        },
        "timeout_s": args.timeout,
        "limit_seconds": args.limit_seconds,
        "largest_stabilised_within_limit": max(usable, default=None),
        "largest_drawn_within_limit": max(drawn, default=None),
        "rows": rows,
    }
    Path(args.out).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
