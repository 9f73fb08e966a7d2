"""The network views: what each holds, how it degrades, and that data cannot become markup."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

import aieco
from aieco.errors import UnknownEntityError, ViewError
from aieco.graph.ecosystem import EcosystemGraph
from aieco.viz import VIEWS, build_view, city_ego, geographic, overview, rankings, talent_flows
from aieco.viz.elements import tooltip_html
from aieco.viz.network import json_for_script
from aieco.viz.thumbnail import thumbnail_png
from tests.unit import minimal

XSS = "<img src=x onerror=alert(1)>"


def _ids(net: aieco.viz.EcosystemNetwork) -> set[str]:
    return {n["id"] for n in net.nodes}


@pytest.fixture
def hostile(write_table) -> EcosystemGraph:  # type: ignore[no-untyped-def]
    entities = [dict(e) for e in minimal.ENTITIES]
    entities[2]["name_en"] = XSS
    entities[2]["name_zh_hans"] = "</script><script>alert(2)</script>"
    entities[2]["description"] = '"><svg onload=alert(3)>'
    paths = [
        write_table("sources.csv", minimal.SOURCES),
        write_table("entities.csv", entities),
        write_table("relations.csv", minimal.RELATIONS),
        write_table("observations.csv", minimal.OBSERVATIONS),
    ]
    return aieco.graph_from_files(paths)


class _TagCounter(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def _elements(page: str, tag: str) -> int:
    parser = _TagCounter()
    parser.feed(page)
    return parser.tags.count(tag)


# ---- safety -------------------------------------------------------------------------------
def test_tooltip_escapes_every_data_string(hostile: EcosystemGraph) -> None:
    html = tooltip_html(hostile, "acme")
    assert "<img" not in html
    assert "<svg" not in html
    assert "<script" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in html


def test_page_cannot_be_broken_out_of(hostile: EcosystemGraph, tmp_path: Path) -> None:
    page = overview(hostile).write(tmp_path / "o.html").read_text(encoding="utf-8")
    # The only <script> elements are aieco's own four (as an HTML parser sees them): data
    # never opens or closes one.
    assert _elements(page, "script") == 4
    assert _elements(page, "img") == 0
    assert _elements(page, "svg") == 0
    assert "alert(2)</script>" not in page
    assert "<img src=x" not in page
    assert "<svg" not in page
    data = re.search(r'<script type="application/json" id="aieco-data">(.*?)</script>', page, re.S)
    assert data is not None
    nodes = {n["id"]: n for n in json.loads(data.group(1))["nodes"]}
    assert nodes["acme"]["label"] == XSS  # drawn on the canvas as text, unchanged


def test_json_for_script_round_trips() -> None:
    payload = {"a": "</script><!--", "b": "x & y > z", "c": "line\u2028sep"}
    text = json_for_script(payload)
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert "\u2028" not in text
    assert json.loads(text) == payload


def test_pages_load_nothing_from_the_network(bundled: EcosystemGraph, tmp_path: Path) -> None:
    page = overview(bundled).write(tmp_path / "o.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "Content-Security-Policy" in page
    assert "default-src 'none'" in page
    assert "vis.Network" in page
    assert len(page) > 400_000


# ---- what the views hold ---------------------------------------------------------------
def test_overview_holds_every_entity_and_relationship(bundled: EcosystemGraph) -> None:
    net = overview(bundled)
    assert _ids(net) == set(bundled.entity_ids())
    hand_written = [  # one edge per pair, type and time (a flow of each year is drawn)
        (u, v, a["type"], a.get("year"), a.get("period_start"), a.get("period_end"), a.get("date"))
        for u, v, a in bundled.G.edges(data=True)
        if a["type"] not in ("ABOUT", "RELATIVE_TO")
    ]
    assert len(net.edges) == len(set(hand_written))


def test_sizes_follow_pagerank(bundled: EcosystemGraph) -> None:
    net = overview(bundled, size_by="pagerank")
    # the documented projection: undirected, parallel relationships summed into one weight
    H = nx.Graph()
    H.add_nodes_from(bundled.entity_ids())
    for u, v, t in bundled.G.edges(data="type"):
        if t not in ("ABOUT", "RELATIVE_TO") and u != v:
            w = H[u][v]["weight"] + 1 if H.has_edge(u, v) else 1
            H.add_edge(u, v, weight=w)
    pr = nx.pagerank(H, weight="weight")
    top = max(pr, key=pr.__getitem__)
    sizes = {n["id"]: n["size"] for n in net.nodes}
    assert max(sizes, key=sizes.__getitem__) == top
    # area-true: size = a + b·sqrt(score) for some a, b; three well-separated nodes check it
    # without knowing a or b (sizes are rounded to 0.01)
    ranked = sorted(pr, key=pr.__getitem__)
    low, mid = ranked[0], ranked[len(ranked) * 9 // 10]
    root = {n: pr[n] ** 0.5 for n in (low, mid, top)}
    expected = (root[top] - root[low]) / (root[mid] - root[low])
    assert (sizes[top] - sizes[low]) / (sizes[mid] - sizes[low]) == pytest.approx(expected, rel=0.02)


def test_city_ego_by_any_script(bundled: EcosystemGraph) -> None:
    by_hans, by_en = city_ego(bundled, "合肥", depth=1), city_ego(bundled, "Hefei", depth=1)
    assert _ids(by_hans) == _ids(by_en)
    direct = {v for _, v, t in bundled.G.out_edges("hefei", data="type") if t not in ("ABOUT",)}
    direct |= {u for u, _, t in bundled.G.in_edges("hefei", data="type") if t not in ("ABOUT", "RELATIVE_TO")}
    direct = {n for n in direct if bundled.node_type(n) not in ("Observation", "Source")}
    assert _ids(by_hans) == direct | {"hefei"}
    assert "iflytek" in _ids(by_hans)
    deeper = city_ego(bundled, "合肥", depth=2)
    assert _ids(by_hans) < _ids(deeper)


def test_city_ego_rejects_what_is_not_a_city(bundled: EcosystemGraph) -> None:
    with pytest.raises(UnknownEntityError):
        city_ego(bundled, "iFlytek")
    with pytest.raises(ViewError):
        city_ego(bundled, "Hefei", depth=9)


@pytest.mark.seconds
def test_geographic_positions_follow_coordinates(bundled: EcosystemGraph) -> None:
    net = geographic(bundled)
    pos = {n["id"]: (n["x"], n["y"]) for n in net.nodes}
    assert all(n.get("physics") is False for n in net.nodes)
    # the Equal Earth projection, checked against PROJ's own (pyproj), up to one scale factor
    from pyproj import Proj

    proj = Proj("+proj=eqearth +R=1 +no_defs")
    cities = ["shanghai", "beijing", "hefei", "boston", "san-francisco", "london"]
    ref = {c: proj(bundled.node(c)["lon"], bundled.node(c)["lat"]) for c in cities}
    scale = pos["hefei"][0] / ref["hefei"][0]
    for c in cities:
        assert pos[c][0] == pytest.approx(ref[c][0] * scale, abs=0.1)
        assert pos[c][1] == pytest.approx(-ref[c][1] * scale, abs=0.1)  # canvas y grows downwards
    # iFlytek sits next to Hefei, which it is headquartered in
    dx, dy = pos["iflytek"][0] - pos["hefei"][0], pos["iflytek"][1] - pos["hefei"][1]
    assert (dx * dx + dy * dy) ** 0.5 < 150
    # the outlines are in the same projection: China's rings hold Hefei, California's San Francisco
    rings = {(o["layer"], o["name"]): o["rings"] for o in net.outlines}

    def inside(point: tuple[float, float], flat_rings: list[list[float]]) -> bool:
        x, y = point
        hits = 0
        for flat in flat_rings:
            pts = list(zip(flat[::2], flat[1::2], strict=True))
            for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1], strict=True):
                if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                    hits += 1
        return hits % 2 == 1

    assert inside(pos["hefei"], rings[("countries", "China")])
    assert not inside(pos["hefei"], rings[("countries", "Mongolia")])
    assert inside(pos["san-francisco"], rings[("states", "California")])
    assert not inside(pos["boston"], rings[("states", "California")])


def test_rankings_carry_the_counts_of_the_source(bundled: EcosystemGraph) -> None:
    net = rankings(bundled, ranking="Forbes AI 50 (2023)")
    labels = {e["to"]: e.get("label") for e in net.edges if e["from"] == "forbes-ai50-2023"}
    # seed 000: 加利福尼亚州 35, 纽约州 4, 德克萨斯州 2, 马萨诸塞州 1
    # ... and the 43rd, the fully remote company
    assert labels == {
        "california": "× 35",
        "new-york-state": "× 4",
        "texas": "× 2",
        "massachusetts": "× 1",
        "forbes-ai50-2023-remote": "× 1",
    }


def test_talent_flow_width_and_direction(bundled: EcosystemGraph) -> None:
    net = talent_flows(bundled)
    flows = [e for e in net.edges if e["type"] == "TALENT_FLOW"]
    # seed 004's third (undated) and MacroPolo's 36 % of 2022: both figures drawn, side by side
    assert sorted((e["from"], e["to"], e["label"]) for e in flows) == [
        ("china", "usa", "33%"),
        ("china", "usa", "36%"),
    ]
    # spin-offs run from the parent to the spin-off: Fairchild → Intel
    assert any(e["from"] == "fairchild" and e["to"] == "intel" for e in net.edges)


def test_every_view_has_stable_colours(bundled: EcosystemGraph) -> None:
    colours: dict[str, set[str]] = {}
    for name in (n for n, spec in VIEWS.items() if spec.kind == "network"):
        net = build_view(bundled, name, **({"city": "hefei"} if name == "city" else {}))
        for node in net.nodes:
            colours.setdefault(node["type"], set()).add(node["color"])
        assert net.legend(), name
    assert all(len(c) == 1 for c in colours.values()), colours
    assert len({next(iter(c)) for t, c in colours.items() if t in ("City", "Company", "Plan")}) == 3


def test_unknown_view(bundled: EcosystemGraph) -> None:
    with pytest.raises(ViewError):
        build_view(bundled, "treemap")


# ---- size -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def big() -> EcosystemGraph:
    return aieco.graph_from_synthetic(3000, seed=3)


@pytest.mark.seconds
def test_top_k_keeps_the_most_central(big: EcosystemGraph) -> None:
    net = overview(big, max_nodes=200, size_by="degree")
    H = nx.Graph()
    H.add_nodes_from(big.entity_ids())
    H.add_edges_from((u, v) for u, v, t in big.G.edges(data="type") if t not in ("ABOUT", "RELATIVE_TO"))
    degree = dict(H.degree())
    kept = _ids(net)
    assert len(kept) == 200
    assert min(degree[n] for n in kept) >= max(degree[n] for n in H if n not in kept)
    assert any("200 most central" in notice for notice in net.meta.notices)


@pytest.mark.seconds
def test_aggregate_counts_every_entity_once(big: EcosystemGraph) -> None:
    net = overview(big, max_nodes=200, degrade="aggregate")
    members = sum(n.get("members", 1) for n in net.nodes)
    assert members == big.number_of_entities()
    assert len(net.nodes) < big.number_of_entities() / 3
    assert net.meta.notices


def test_small_view_is_not_degraded(bundled: EcosystemGraph) -> None:
    assert overview(bundled, max_nodes=5000).meta.notices == []


# ---- thumbnails -----------------------------------------------------------------------
def test_thumbnail_is_a_png_of_the_asked_size(bundled: EcosystemGraph) -> None:
    import matplotlib.image

    png = thumbnail_png(city_ego(bundled, "hefei"), width=2.5, height=1.0, dpi=40)
    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")  # an independent PNG reader
    assert pixels.shape[:2] == (40, 100)  # 1.0 in × 40 dpi high, 2.5 in × 40 dpi wide
    assert len({tuple(p) for p in pixels.reshape(-1, pixels.shape[-1])}) > 3  # something is drawn


@pytest.mark.seconds
def test_views_and_the_report_display_inline_in_notebooks(
    bundled: EcosystemGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import html as html_lib

    from aieco.report import build_centrality_report

    net = city_ego(bundled, "合肥", depth=1)
    frame = net._repr_html_()
    assert frame.startswith("<iframe")
    assert 'sandbox="allow-scripts' in frame
    # the frame holds the very page `save` writes, escaped once for the attribute
    srcdoc = frame.split('srcdoc="', 1)[1].split('" style=', 1)[0]
    assert html_lib.unescape(srcdoc) == net.to_html()
    assert "Content-Security-Policy" in html_lib.unescape(srcdoc)
    report = build_centrality_report(bundled, top=5, engine="networkx")
    assert (
        html_lib.unescape(report._repr_html_().split('srcdoc="', 1)[1].split('" style=', 1)[0])
        == report.to_html()
    )
    # outside a notebook, show() writes the page and opens it
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    written = net.show(tmp_path / "hefei.html")
    assert written is not None
    assert written.read_text(encoding="utf-8") == net.to_html()
    assert opened == [written.resolve().as_uri()]
