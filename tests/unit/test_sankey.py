"""The Sankey view on hand-made flows: each researcher once per corridor over the period, what
is left out said, bands stacked without gaps or overlap at each column, heights proportional."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest

import aieco
from aieco.errors import ViewError
from aieco.viz import build_view, sankey
from aieco.viz.registry import VIEWS, thumbnail_of

# (from, to, year, researchers): Hefei and Shanghai are in China, Boston in the US
FLOWS = [
    ("hefei", "boston", 2019, "r1|r2"),
    ("shanghai", "boston", 2020, "r2|r3"),  # r2 again, same corridor China → US: counted once
    ("boston", "hefei", 2021, "r4"),
    ("hefei", "shanghai", 2021, "r5"),  # inside China at Country level
]


@pytest.fixture(scope="module")
def flows_graph(tmp_path_factory: pytest.TempPathFactory) -> aieco.EcosystemGraph:
    folder = tmp_path_factory.mktemp("flows")
    (folder / "sources.csv").write_text(
        "id,title,url\nhand,Hand-made flows,https://example.org/flows\n", encoding="utf-8"
    )
    with (folder / "relations.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["from", "type", "to", "count", "year", "researchers", "source"])
        for u, v, year, keys in FLOWS:
            writer.writerow([u, "TALENT_FLOW", v, len(keys.split("|")), year, keys, "hand"])
    return aieco.graph_from_bundled(extra=[folder / "sources.csv", folder / "relations.csv"])


def test_a_corridor_counts_each_researcher_once_over_the_period(flows_graph: aieco.EcosystemGraph) -> None:
    page = sankey(flows_graph, level="Country")
    assert {(b.source, b.target): b.count for b in page.bands} == {("china", "usa"): 3, ("usa", "china"): 1}
    assert any("inside one Country" in n for n in page.meta.notices)
    assert any("a share, not a count" in n for n in page.meta.notices)  # the seeds' two shares
    later = sankey(flows_graph, level="Country", since=2020)
    assert {(b.source, b.target): b.count for b in later.bands} == {("china", "usa"): 2, ("usa", "china"): 1}
    cities = sankey(flows_graph, level="City")
    assert {(b.source, b.target): b.count for b in cities.bands} == {
        ("hefei", "boston"): 2,
        ("shanghai", "boston"): 2,
        ("boston", "hefei"): 1,
        ("hefei", "shanghai"): 1,
    }


def test_bands_are_stacked_at_each_column_and_proportional(flows_graph: aieco.EcosystemGraph) -> None:
    page = sankey(flows_graph, level="City")
    for column, side in ((page.left, "source"), (page.right, "target")):
        for c in column:
            mine = sorted(
                (b.y0 if side == "source" else b.y1, b.width) for b in page.bands if getattr(b, side) == c.id
            )
            assert mine[0][0] == pytest.approx(c.y)
            for (y, w), (y_next, _) in itertools.pairwise(mine):
                assert y + w == pytest.approx(y_next)  # no gap, no overlap
            assert sum(w for _, w in mine) == pytest.approx(c.height)
    per = {b.width / b.count for b in page.bands}
    assert max(per) == pytest.approx(min(per))


def test_the_page_is_offline_escaped_and_scriptless(
    flows_graph: aieco.EcosystemGraph, tmp_path: Path
) -> None:
    html = sankey(flows_graph, level="City").to_html()
    assert "<script" not in html
    assert "default-src 'none'" in html
    assert "Hefei" in html
    assert html.count('class="band"') == 4
    png = thumbnail_of(sankey(flows_graph, level="City"))
    assert png.startswith(b"\x89PNG")
    target = build_view(flows_graph, "sankey", level="City").write(tmp_path / "s.html")
    assert target.read_text(encoding="utf-8") == html


def test_the_registry_knows_it_is_a_page() -> None:
    assert VIEWS["sankey"].kind == "page"
    assert VIEWS["sankey"].accepted({"level": "City", "size_by": "degree", "top": 5}) == {
        "level": "City",
        "top": 5,
    }
    with pytest.raises(ViewError, match="--city"):
        VIEWS["city"].accepted({"depth": 2})
    with pytest.raises(ViewError, match="top"):
        sankey(aieco.graph_from_bundled(), top=0)


@pytest.mark.seconds
def test_hostile_names_stay_text_in_the_sankey_and_the_flow_map(tmp_path: Path) -> None:
    xss = "<img src=x onerror=alert(1)>"
    (tmp_path / "sources.csv").write_text("id,title,url\nmine,Mine,https://example.org/m\n", encoding="utf-8")
    (tmp_path / "entities.csv").write_text(
        'id,type,name_en,source\nevil-lab,ResearchLab,"' + xss + '",mine\n', encoding="utf-8"
    )
    (tmp_path / "relations.csv").write_text(
        "from,type,to,count,year,source\n"
        "evil-lab,LOCATED_IN,hefei,,,mine\n"
        "evil-lab,TALENT_FLOW,boston,3,2022,mine\n",
        encoding="utf-8",
    )
    eg = aieco.graph_from_bundled(
        extra=[tmp_path / n for n in ("sources.csv", "entities.csv", "relations.csv")]
    )
    html = sankey(eg, level="as-is").to_html()
    assert xss not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    geo = build_view(eg, "geo")
    assert [f["count"] for f in geo.extras["flows"] if f["all"] and f.get("count")] == [3.0]  # Hefei → Boston
    assert xss not in geo.to_html()
