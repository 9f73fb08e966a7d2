"""How readable a node-link page is, measured in Chromium as painted, not as the page says.

* **Nodes**: every shown node as a disc (vis-network's drawn position, its size as radius, in
  screen pixels); a pair overlaps when the centres are closer than the radii's sum.
* **Labels**: every ``fillText`` call the page makes on the network's canvas is recorded (an init
  script wraps the canvas API before any page script runs), with the transform in force: its
  box on screen, its font size on screen. A label is *legible* at 10 px and up; it *overlaps*
  when its box meets another's.
* **Frame**: the box around the shown nodes' discs, on the canvas, over the canvas's area.
* **Edges**: 40 points along each shown edge (vis-network's own curve); a point counts when it
  lies outside every node disc and label box and its pixel is painted; an edge is visible when
  three of its points count.

Run ``python -m tests.browser.readability FILE.html…`` for the table of the closing note.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

#: Records the text painted on canvases (installed with ``context.add_init_script``).
TEXT_RECORDER = """(() => {
  const proto = CanvasRenderingContext2D.prototype, fill = proto.fillText;
  window.__texts = [];
  proto.fillText = function (text, x, y, maxWidth) {
    if (window.__recordTexts && this.canvas.closest && this.canvas.closest('#network')) {
      const m = this.getTransform(), size = parseFloat((this.font.match(/([0-9.]+)px/) || [0, 0])[1]);
      const w = this.measureText(String(text)).width;
      const align = this.textAlign;
      let x0 = align === 'center' ? x - w / 2 : (align === 'right' || align === 'end') ? x - w : x;
      let y0 = this.textBaseline === 'middle' ? y - size / 2 : this.textBaseline === 'top' ? y :
               this.textBaseline === 'bottom' ? y - size : y - 0.8 * size;
      const ratio = window.devicePixelRatio || 1;
      window.__texts.push({text: String(text), x: (m.a * x0 + m.e) / ratio, y: (m.d * y0 + m.f) / ratio,
                           w: m.a * w / ratio, h: m.d * size / ratio, px: m.d * size / ratio});
    }
    return fill.apply(this, arguments);
  };
})();"""

_SNAPSHOT = """() => {
  const canvas = document.querySelector('#network canvas');
  const box = canvas.getBoundingClientRect(), ratio = canvas.width / box.width;
  window.__texts = []; window.__recordTexts = true;
  network.redraw();
  window.__recordTexts = false;
  const pos = network.getPositions(), scale = network.getScale();
  const shown = {};
  const discs = nodes.get().filter(n => !n.hidden && pos[n.id]).map(n => {
    const p = network.canvasToDOM(pos[n.id]);
    const r = (n.size === undefined ? 25 : n.size) * scale;
    shown[n.id] = true;
    return [p.x, p.y, r];
  });
  const image = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const alpha = (x, y) => {
    const i = Math.round(y * ratio), j = Math.round(x * ratio);
    if (i < 0 || j < 0 || i >= canvas.height || j >= canvas.width) return 0;
    return image[(i * canvas.width + j) * 4 + 3];
  };
  const edgeSamples = [];
  edges.get().forEach(e => {
    if (e.hidden || !shown[e.from] || !shown[e.to]) return;
    const body = network.body.edges[e.id];
    if (!body || !body.edgeType) return;
    const pts = [];
    for (let k = 1; k < 40; k++) {
      const c = body.edgeType.getPoint(k / 40), p = network.canvasToDOM(c);
      pts.push([p.x, p.y, alpha(p.x, p.y)]);
    }
    edgeSamples.push(pts);
  });
  return {width: box.width, height: box.height, discs: discs, texts: window.__texts,
          edges: edgeSamples, scale: scale};
}"""


def snapshot(page: Any) -> dict[str, Any]:
    """Positions, painted labels and edge samples of the page as it is now."""
    data: dict[str, Any] = page.evaluate(_SNAPSHOT)
    return data


def _boxes_overlap(boxes: np.ndarray) -> np.ndarray:
    """Which boxes (x, y, w, h) meet another (by more than half a pixel)."""
    hit = np.zeros(len(boxes), dtype=bool)
    order = np.argsort(boxes[:, 0])
    b = boxes[order]
    for i in range(len(b)):
        x1 = b[i, 0] + b[i, 2]
        j = i + 1
        while j < len(b) and b[j, 0] < x1 - 0.5:
            if b[j, 1] < b[i, 1] + b[i, 3] - 0.5 and b[i, 1] < b[j, 1] + b[j, 3] - 0.5:
                hit[order[i]] = hit[order[j]] = True
            j += 1
    return hit


def measure(data: dict[str, Any]) -> dict[str, Any]:
    """The table's columns from one :func:`snapshot`."""
    width, height = float(data["width"]), float(data["height"])
    discs = np.array(data["discs"], dtype=float).reshape(-1, 3)
    n = len(discs)
    overlapping_pairs, touching = 0, np.zeros(n, dtype=bool)
    if n > 1:
        tree = cKDTree(discs[:, :2])
        for i, j in tree.query_pairs(2 * float(discs[:, 2].max()) + 1):
            if np.hypot(*(discs[i, :2] - discs[j, :2])) < discs[i, 2] + discs[j, 2] - 0.5:
                overlapping_pairs += 1
                touching[i] = touching[j] = True
    pairs = n * (n - 1) / 2 or 1
    inside = [
        t
        for t in data["texts"]
        if t["text"].strip()
        and t["x"] < width
        and t["y"] < height
        and t["x"] + t["w"] > 0
        and t["y"] + t["h"] > 0
    ]
    # vis-network paints a label twice when it has a halo (stroke, then fill): one box each
    boxes = np.array([[t["x"], t["y"], t["w"], t["h"]] for t in inside], dtype=float).reshape(-1, 4)
    hit = _boxes_overlap(boxes) if len(boxes) else np.zeros(0, dtype=bool)
    legible = sum(1 for t in inside if t["px"] >= 10)
    if n:
        x0 = max(float((discs[:, 0] - discs[:, 2]).min()), 0.0)
        x1 = min(float((discs[:, 0] + discs[:, 2]).max()), width)
        y0 = max(float((discs[:, 1] - discs[:, 2]).min()), 0.0)
        y1 = min(float((discs[:, 1] + discs[:, 2]).max()), height)
        frame = max(x1 - x0, 0) * max(y1 - y0, 0) / (width * height)
    else:
        frame = 0.0
    visible = 0
    for pts in data["edges"]:
        seen = 0
        for x, y, a in pts:
            if a == 0 or not (0 <= x < width and 0 <= y < height):
                continue
            if n and (np.hypot(discs[:, 0] - x, discs[:, 1] - y) < discs[:, 2] + 1).any():
                continue
            if (
                len(boxes)
                and (
                    (boxes[:, 0] <= x)
                    & (x <= boxes[:, 0] + boxes[:, 2])
                    & (boxes[:, 1] <= y)
                    & (y <= boxes[:, 1] + boxes[:, 3])
                ).any()
            ):
                continue
            seen += 1
        visible += seen >= 3
    on_screen = int(
        ((discs[:, 0] >= 0) & (discs[:, 0] < width) & (discs[:, 1] >= 0) & (discs[:, 1] < height)).sum()
    )
    return {
        "nodes": n,
        "on_screen": on_screen,
        "overlapping_pairs": overlapping_pairs,
        "pair_share": overlapping_pairs / pairs,
        "touching_share": float(touching.mean()) if n else 0.0,
        "labels": len(inside),
        "labels_overlapping": int(hit.sum()),
        "label_share": float(hit.mean()) if len(hit) else 0.0,
        "legible": legible,
        "frame": frame,
        "edges": len(data["edges"]),
        "edges_visible": visible,
        "edge_share": visible / len(data["edges"]) if data["edges"] else 1.0,
    }


def row(name: str, m: dict[str, Any]) -> str:
    return (
        f"| {name} ({m['nodes']}) | {m['pair_share']:.2%}, {m['touching_share']:.0%} touch | "
        f"{m['label_share']:.0%} ({m['legible']} legible of {m['labels']}) | {m['frame']:.0%} | "
        f"{m['edge_share']:.0%} of {m['edges']} |"
    )


def main(paths: list[str]) -> None:  # pragma: no cover - a tool for the closing note
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, _chromium
    from tests.browser.test_views_browser import wait_ready

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_chromium(), headless=True, args=CHROMIUM_ARGS)
        for path in paths:
            context = browser.new_context(offline=True, viewport={"width": 1600, "height": 1000})
            context.add_init_script(TEXT_RECORDER)
            page = context.new_page()
            page.goto(Path(path).resolve().as_uri())
            wait_ready(page, timeout=120)
            page.evaluate("window.aiecoFit ? window.aiecoFit() : network.fit()")
            page.wait_for_timeout(300)
            m = measure(snapshot(page))
            shots = os.environ.get("AIECO_SHOTS")
            if shots:
                page.screenshot(path=str(Path(shots) / f"{Path(path).stem}.png"))
            print(
                row(Path(path).stem, m),
                json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in m.items()}),
            )
            context.close()
        browser.close()


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
