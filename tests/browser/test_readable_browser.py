"""Views a person can read, measured in Chromium as painted (tests/browser/readability.py):
no overlapping nodes, no overlapping labels at fit or zoomed in, labels at screen size, the
data framed, flows visible; the Sankey's and the flow map's widths proportional to their counts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import aieco
from aieco.graph.ecosystem import EcosystemGraph
from aieco.loaders.openalex import pull_openalex_snapshot
from aieco.queries import run_query
from aieco.viz import build_view, overview, sankey
from aieco.viz.dashboard import DEMO_VIEWS, write_demo
from tests.browser.conftest import file_url
from tests.browser.readability import measure, snapshot
from tests.browser.test_views_browser import screenshot, wait_ready

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).parents[2] / "examples" / "openalex-snapshot"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, bundled: EcosystemGraph) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("readable")
    write_demo(bundled, out, with_report=False)
    found = {spec.slug: out / f"{spec.slug}.html" for spec in DEMO_VIEWS}
    found["synthetic-1k"] = overview(aieco.graph_from_synthetic(1000, seed=1)).write(
        out / "synthetic-1k.html"
    )
    example = pull_openalex_snapshot(EXAMPLE).graph
    found["talent-openalex"] = build_view(example, "talent").write(out / "talent-openalex.html")
    return found


def _open(page: Any, path: Path) -> dict[str, Any]:
    page.goto(file_url(path))
    wait_ready(page)
    page.evaluate("window.aiecoFit()")
    page.wait_for_timeout(300)
    return measure(snapshot(page))


VIEWS = [spec.slug for spec in DEMO_VIEWS] + ["synthetic-1k", "talent-openalex"]


@pytest.mark.parametrize("name", VIEWS)
def test_a_view_is_readable_at_fit_and_zoomed_in(
    name: str, pages: dict[str, Path], measured_page: Any
) -> None:
    page = measured_page
    m = _open(page, pages[name])
    assert page.console_errors == []
    if name == "geo":  # the map: places fold into each other at world zoom, a few may touch
        assert m["pair_share"] <= 0.02, m
        # framed on the data: the data's box fills the pane's width or its height
        assert m["frame"] >= 0.15, m
    else:
        assert m["overlapping_pairs"] == 0, m
        assert m["frame"] >= 0.30, m
    assert m["label_share"] <= 0.02, m
    assert m["labels"] == m["legible"]  # every label drawn is at screen size, 12–13 px
    if name == "overview":
        assert m["legible"] >= 75, m
    if name.startswith("talent"):
        assert m["edge_share"] >= 0.90, m
    screenshot(page, f"readable-{name}", pages[name].parent)
    # zoomed in 2.5 times on the centre: still no overlap, and more labels fit
    page.evaluate("network.moveTo({scale: network.getScale() * 2.5})")
    page.wait_for_timeout(300)
    zoomed = measure(snapshot(page))
    assert zoomed["label_share"] <= 0.02, zoomed
    assert zoomed["pair_share"] <= (0.02 if name == "geo" else 0.0), zoomed
    if name in ("overview", "synthetic-1k"):
        # labels are at screen size: zoomed in, a larger share of the nodes in sight has one
        assert zoomed["legible"] / zoomed["on_screen"] > m["legible"] / m["on_screen"]


def test_labels_keep_their_screen_size_when_zooming(pages: dict[str, Path], measured_page: Any) -> None:
    page = measured_page
    page.goto(file_url(pages["overview"]))
    wait_ready(page)
    sizes = []
    for scale in (0.3, 1.0, 3.0):
        page.evaluate(f"network.moveTo({{scale: {scale}}})")
        page.wait_for_timeout(200)
        sizes.append(sorted({round(t["px"], 1) for t in snapshot(page)["texts"]}))
    # the same screen sizes at every zoom: 12 px, 13 px for the most important (no edge label on
    # a view of 456 edges)
    assert all(s and set(s) <= {12.0, 13.0} for s in sizes), sizes


def test_the_play_button_walks_the_years(pages: dict[str, Path], measured_page: Any) -> None:
    page = measured_page
    page.goto(file_url(pages["overview"]))
    wait_ready(page)
    page.evaluate("document.getElementById('play').dataset.interval = '150'")
    page.click("#play")
    first = int(page.evaluate("Number(document.getElementById('year').value)"))
    assert first == int(page.evaluate("Number(document.getElementById('year').min)"))
    page.wait_for_timeout(700)
    # both read in one task: the player cannot tick between them
    later, shown = page.evaluate(
        "[Number(document.getElementById('year').value), document.getElementById('year-out').textContent]"
    )
    assert later > first
    assert shown == str(later)
    page.click("#play")  # pause
    stopped = page.evaluate("document.getElementById('year').value")
    page.wait_for_timeout(400)
    assert page.evaluate("document.getElementById('year').value") == stopped


# ---- the map ----------------------------------------------------------------------------
def test_the_map_folds_at_world_zoom_and_spreads_when_zoomed(
    pages: dict[str, Path], measured_page: Any
) -> None:
    page = measured_page
    _open(page, pages["geo"])
    world = snapshot(page)
    folded = page.evaluate("window.aiecoFolds.folded")
    assert folded > 50  # organisations folded into their cities at world zoom
    # China's frame, then closer on Shanghai: Shanghai's ring spreads out
    page.click("#frames button:text('China')")
    page.wait_for_timeout(300)
    assert page.evaluate("network.getScale()") > 3 * world["scale"]  # China's frame is closer
    closer = "network.moveTo({position: network.getPositions(['shanghai']).shanghai, scale: %s})"
    page.evaluate(closer % (4 * float(page.evaluate("network.getScale()"))))
    page.wait_for_timeout(400)
    shown = page.evaluate("nodes.get().filter(n => !n.hidden).map(n => n.id)")
    assert page.evaluate("window.aiecoFolds.folded") < folded
    assert "shanghai" in shown
    m = measure(snapshot(page))
    assert m["pair_share"] <= 0.02, m
    assert m["label_share"] <= 0.02, m
    screenshot(page, "geo-shanghai", pages["geo"].parent)


_RUNS = """() => {
  // for each flow drawn, the purple pixels across its middle, perpendicular to it
  const canvas = document.querySelector('#network canvas');
  const box = canvas.getBoundingClientRect(), ratio = canvas.width / box.width;
  const img = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const purple = (x, y) => {
    const i = (Math.round(y * ratio) * canvas.width + Math.round(x * ratio)) * 4;
    const r = img[i], g = img[i + 1], b = img[i + 2];
    return img[i + 3] > 0 && b - g > 40 && r - g > 25;
  };
  const curve = f => {
    const cx = (f.x0 + f.x1) / 2 - (f.y1 - f.y0) * 0.18, cy = (f.y0 + f.y1) / 2 + (f.x1 - f.x0) * 0.18;
    return t => network.canvasToDOM({x: (1 - t) * (1 - t) * f.x0 + 2 * (1 - t) * t * cx + t * t * f.x1,
                                     y: (1 - t) * (1 - t) * f.y0 + 2 * (1 - t) * t * cy + t * t * f.y1});
  };
  const drawn = window.aiecoFlows.list.map(i => [i, window.aiecoFlows.flows[i]]);
  return drawn.map(([i, f]) => {
    const at = curve(f), m = at(0.5), a = at(0.48), b = at(0.52);
    const tx = b.x - a.x, ty = b.y - a.y, tl = Math.hypot(tx, ty) || 1, nx = -ty / tl, ny = tx / tl;
    let isolated = m.x > 20 && m.y > 20 && m.x < box.width - 20 && m.y < box.height - 20;
    drawn.forEach(([j, g]) => {
      if (j === i) return;
      const other = curve(g);
      for (let k = 0; k <= 60; k++) {
        const p = other(k / 60);
        if (Math.hypot(p.x - m.x, p.y - m.y) < 40) isolated = false;
      }
    });
    let lo = 0, hi = 0;
    while (lo > -40 && purple(m.x + nx * (lo - 0.25), m.y + ny * (lo - 0.25))) lo -= 0.25;
    while (hi < 40 && purple(m.x + nx * (hi + 0.25), m.y + ny * (hi + 0.25))) hi += 0.25;
    return {count: f.count, share: f.share, isolated: isolated, run: hi - lo, centre: purple(m.x, m.y)};
  });
}"""


#: Hand-made flows between far-apart cities: (from, to, researchers).
HAND_FLOWS = [("beijing", "san-francisco", 12), ("london", "shanghai", 6), ("boston", "shenzhen", 3)]


def _hand_flows(folder: Path) -> list[Path]:
    import csv

    folder.mkdir(parents=True, exist_ok=True)
    sources = folder / "sources.csv"
    sources.write_text("id,title,url\nhand,Hand-made flows,https://example.org/flows\n", encoding="utf-8")
    relations = folder / "relations.csv"
    with relations.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["from", "type", "to", "count", "year", "source"])
        for u, v, n in HAND_FLOWS:
            writer.writerow([u, "TALENT_FLOW", v, n, 2024, "hand"])
    return [sources, relations]


def test_the_flow_map_draws_widths_proportional_to_researchers(tmp_path: Path, measured_page: Any) -> None:
    eg = aieco.graph_from_bundled(extra=_hand_flows(tmp_path / "flows"))
    target = build_view(eg, "geo").write(tmp_path / "geo-flows.html")
    page = measured_page
    page.goto(file_url(target))
    wait_ready(page)
    page.click("#frames button:text('World')")
    page.wait_for_timeout(400)
    runs = [r for r in page.evaluate(_RUNS) if r["count"]]
    assert sorted(r["count"] for r in runs) == sorted(n for *_, n in HAND_FLOWS)
    assert all(r["centre"] for r in runs), runs
    # the widths on screen: proportional to the researchers (±1.5 px of anti-aliasing)
    k = sum(r["run"] * r["count"] for r in runs) / sum(r["count"] ** 2 for r in runs)
    for r in runs:
        assert abs(r["run"] - k * r["count"]) <= 1.5, (runs, k)
    assert runs[0]["run"] > 3 * runs[-1]["run"] - 3
    screenshot(page, "geo-flows", tmp_path)


def test_the_flow_map_of_real_openalex_records(realdata: Path, tmp_path: Path, measured_page: Any) -> None:
    from tests.unit.test_openalex_real import RAG, _authors, _snapshot

    institutions = json.loads((realdata / RAG / "institutions_sample.json").read_text(encoding="utf-8"))
    root = _snapshot(tmp_path / "snap", list(_authors(realdata).values()), institutions)
    pull = pull_openalex_snapshot(root, level="Country")
    pull.write(tmp_path / "pull")
    by_country = aieco.graph_from_bundled(extra=[tmp_path / "pull"])  # the bundled cities give positions
    net = build_view(by_country, "geo")
    # every year: one arrow a corridor, its count the distinct researchers the query gives
    frame = run_query("talent_corridors", {"level": "Country", "top": 10_000}, graph=by_country)
    truth = {(r["from"], r["to"]): int(r["researchers"]) for r in frame.to_dict("records")}
    overall = {(f["from"], f["to"]): f["count"] for f in net.extras["flows"] if f["all"] and f.get("count")}
    assert overall == {k: v for k, v in truth.items() if k in overall}
    assert ("usa", "china") in overall
    assert ("china", "usa") in overall
    # the rest have a country with no bundled city (no position), and the page says so
    positioned = {n["id"] for n in net.nodes}
    missing = [(u, v) for u, v in set(truth) - set(overall) if u in positioned and v in positioned]
    assert not missing, missing
    assert any("no position on the map" in n for n in net.meta.notices)
    widths = {(f["from"], f["to"]): f["width"] for f in net.extras["flows"] if f["all"] and f.get("count")}
    top = max(overall.values())
    assert all(abs(widths[c] - max(14 * n / top, 1.0)) < 1e-3 for c, n in overall.items())
    page = measured_page
    page.goto(file_url(net.write(tmp_path / "geo-real.html")))
    wait_ready(page)
    assert page.evaluate("window.aiecoFlows.drawn") == sum(1 for f in net.extras["flows"] if f["all"])
    assert page.console_errors == []
    # the year slider: a year shows that year's flows only
    page.evaluate("document.getElementById('all-years').checked = false")
    page.evaluate(
        "const s = document.getElementById('year'); s.value = '2024'; s.dispatchEvent(new Event('input'))"
    )
    page.wait_for_timeout(300)
    shown = page.evaluate("window.aiecoFlows.list.map(i => window.aiecoFlows.flows[i])")
    assert shown
    assert not [f for f in shown if f["all"]]
    dated = [f for f in shown if "start" in f]  # undated figures (seed shares) hold every year
    assert dated
    assert all(f["start"] <= 2024 <= f["end"] for f in dated)
    screenshot(page, "geo-real-flows", tmp_path)


# ---- the Sankey -----------------------------------------------------------------------
_BANDS = """() => {
  // each band's height where it leaves its origin, scanned pixel row by pixel row
  const svg = document.getElementById('sankey'), ctm = svg.getScreenCTM();
  const bands = [...document.querySelectorAll('path.band')];
  const x0 = Number(document.querySelector('.node[data-side=from] rect').getAttribute('x')) +
             Number(document.querySelector('.node[data-side=from] rect').getAttribute('width')) + 1.5;
  const sx = ctm.a * x0 + ctm.e;
  const top = svg.getBoundingClientRect().top, bottom = svg.getBoundingClientRect().bottom;
  const rows = new Map();
  window.scrollTo(0, 0);
  for (let y = Math.max(top, 0); y < Math.min(bottom, window.innerHeight); y += 0.25) {
    const el = document.elementFromPoint(sx, y);
    if (el && el.classList.contains('band')) rows.set(el, (rows.get(el) || 0) + 0.25);
  }
  return bands.map(b => ({from: b.dataset.from, to: b.dataset.to, count: Number(b.dataset.count),
                          px: rows.get(b) || 0}));
}"""


def _sankey_page(page: Any, path: Path, height: int) -> list[dict[str, Any]]:
    page.set_viewport_size({"width": 1600, "height": height})
    page.goto(file_url(path))
    page.wait_for_load_state("load")
    bands: list[dict[str, Any]] = page.evaluate(_BANDS)
    return bands


def test_the_sankey_bands_are_as_wide_as_their_researchers(
    realdata: Path, tmp_path: Path, measured_page: Any
) -> None:
    from tests.unit.test_openalex_real import RAG, _authors, _snapshot

    institutions = json.loads((realdata / RAG / "institutions_sample.json").read_text(encoding="utf-8"))
    root = _snapshot(tmp_path / "snap", list(_authors(realdata).values()), institutions)
    graph = pull_openalex_snapshot(root).graph
    drawn = sankey(graph, level="Country", top=25)
    target = drawn.write(tmp_path / "sankey.html")
    page = measured_page
    bands = _sankey_page(page, target, 2600)
    assert page.console_errors == []
    assert len(bands) == 25
    # the counts are the distinct researchers the talent_corridors query gives per corridor
    frame = run_query("talent_corridors", {"level": "Country", "top": 10_000}, graph=graph)
    truth = {(r["from"], r["to"]): int(r["researchers"]) for r in frame.to_dict("records")}
    assert {(b["from"], b["to"]): b["count"] for b in bands} == {
        (b["from"], b["to"]): truth[(b["from"], b["to"])] for b in bands
    }
    # every band's height on screen proportional to its count (±1 px)
    k = sum(b["px"] for b in bands) / sum(b["count"] for b in bands)
    assert k > 2
    for b in bands:
        assert abs(b["px"] - k * b["count"]) <= 1.0, (b, k)
    page.set_viewport_size({"width": 1600, "height": 1000})
    screenshot(page, "sankey", tmp_path)


def test_the_sankey_of_the_example_snapshot(tmp_path: Path, measured_page: Any) -> None:
    graph = pull_openalex_snapshot(EXAMPLE).graph
    target = sankey(graph, level="City").write(tmp_path / "sankey.html")
    bands = _sankey_page(measured_page, target, 1200)
    # Hefei → Shanghai and Beijing → the Bay Area: hand-read from the example's four authors
    counts = {(b["from"], b["to"]): b["count"] for b in bands}
    assert counts.get(("hefei", "shanghai")) == 1
    k = sum(b["px"] for b in bands) / sum(b["count"] for b in bands)
    for b in bands:
        assert abs(b["px"] - k * b["count"]) <= 1.0, (b, k)
