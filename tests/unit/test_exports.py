"""GEXF and GeoJSON exports, read back by independent readers (networkx's GEXF reader, geojson)."""

from __future__ import annotations

import json
from pathlib import Path

import geojson
import networkx as nx
import pytest
from typer.testing import CliRunner

from aieco.cli import app
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.io import EXPORT_FORMATS
from aieco.viz.exports import ExportFormatAll, vosviewer_network, write_geojson, write_gexf, write_vosviewer
from aieco.viz.style import node_style


def test_every_format_is_offered() -> None:
    from typing import get_args

    assert set(get_args(ExportFormatAll)) == {*EXPORT_FORMATS, "gexf", "geojson", "vosviewer"}


def test_gexf_carries_types_spells_and_colours(bundled: EcosystemGraph, tmp_path: Path) -> None:
    G = nx.read_gexf(write_gexf(bundled, tmp_path / "e.gexf"))
    assert G.number_of_nodes() == bundled.number_of_entities()
    hand_written = [e for e in bundled.G.edges(data="type") if e[2] not in ("ABOUT", "RELATIVE_TO")]
    assert G.number_of_edges() == len(hand_written)
    # the Speech Valley plan runs 2018–2025 (period_start/period_end in the bundled data)
    plan = G.nodes["speech-valley-plan"]
    assert (plan["start"], plan["end"]) == (2018, 2025)
    colour = node_style("City").color.lstrip("#")
    assert G.nodes["hefei"]["viz"]["color"] == {
        "r": int(colour[:2], 16),
        "g": int(colour[2:4], 16),
        "b": int(colour[4:], 16),
        "a": 1.0,
    }
    assert G.nodes["iflytek"]["name_zh_hant"] == "科大訊飛"
    text = (tmp_path / "e.gexf").read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text
    assert 'version="1.3"' in text


def test_geojson_is_valid_with_points_and_lines(bundled: EcosystemGraph, tmp_path: Path) -> None:
    path = write_geojson(bundled, tmp_path / "e.geojson")
    collection = geojson.loads(path.read_text(encoding="utf-8"))
    assert collection.is_valid, collection.errors()
    by_id = {f["properties"]["id"]: f for f in collection["features"] if f["geometry"]["type"] == "Point"}
    hefei = bundled.G.nodes["hefei"]
    assert by_id["hefei"]["geometry"]["coordinates"] == [hefei["lon"], hefei["lat"]]  # [lon, lat] (RFC 7946)
    assert by_id["iflytek"]["geometry"]["coordinates"] == [hefei["lon"], hefei["lat"]]
    assert by_id["iflytek"]["properties"]["coordinates_of"] == "hefei"
    lines = [f for f in collection["features"] if f["geometry"]["type"] == "LineString"]
    assert lines
    assert all(len(f["geometry"]["coordinates"]) == 2 for f in lines)
    assert all(
        -180 <= x <= 180 and -90 <= y <= 90
        for f in collection["features"]
        for x, y in (
            f["geometry"]["coordinates"]
            if f["geometry"]["type"] == "LineString"
            else [f["geometry"]["coordinates"]]
        )
    )


@pytest.mark.parametrize("fmt", ["gexf", "geojson", "vosviewer"])
def test_export_command(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"e.{fmt}"
    result = CliRunner().invoke(app, ["export", "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_size > 1000
    if fmt == "geojson":
        assert json.loads(out.read_text(encoding="utf-8"))["type"] == "FeatureCollection"


def test_vosviewer_json_follows_the_documented_format(tmp_path: Path, write_table: object) -> None:
    # https://app.vosviewer.com/docs/file-types/json-file-type/: network.items (id, label,
    # description, url, cluster 1–1000, weights ≥ 0, scores), network.links (source_id, target_id,
    # strength ≥ 0), network.clusters (cluster, label)
    import aieco

    xss = "<img src=x onerror=alert(1)>"
    files = [
        write_table("sources.csv", [{"id": "mine", "title": "Mine", "url": "https://example.org/m"}]),  # type: ignore[operator]
        write_table(  # type: ignore[operator]
            "entities.csv",
            [
                {
                    "id": "a-co",
                    "type": "Company",
                    "name_en": xss,
                    "name_zh_hans": "甲公司",
                    "year": 2019,
                    "source": "mine",
                },
                {"id": "b-lab", "type": "ResearchLab", "name_en": "B Lab", "source": "mine"},
                {"id": "c-uni", "type": "University", "name_en": "C University", "source": "mine"},
            ],
        ),
        write_table(  # type: ignore[operator]
            "relations.csv",
            [
                {"from": "a-co", "type": "PARTNERS_WITH", "to": "b-lab", "source": "mine"},
                {"from": "b-lab", "type": "COLLABORATES_WITH", "to": "a-co", "count": 4, "source": "mine"},
                {"from": "b-lab", "type": "PARTNERS_WITH", "to": "c-uni", "source": "mine"},
            ],
        ),
    ]
    eg = aieco.graph_from_files(files)
    network = json.loads(write_vosviewer(eg, tmp_path / "v.json").read_text(encoding="utf-8"))["network"]
    items = {i["id"]: i for i in network["items"]}
    assert set(items) == {"a-co", "b-lab", "c-uni"}
    # two relationships between a and b (either direction), one between b and c
    assert {(x["source_id"], x["target_id"]): x["strength"] for x in network["links"]} == {
        ("a-co", "b-lab"): 2,
        ("b-lab", "c-uni"): 1,
    }
    assert items["b-lab"]["weights"] == {"Links": 2, "Total link strength": 3}
    assert items["a-co"]["scores"] == {"Year": 2019}
    assert all(1 <= i["cluster"] <= 1000 and isinstance(i["cluster"], int) for i in items.values())
    assert {c["cluster"] for c in network["clusters"]} >= {i["cluster"] for i in items.values()}
    description = items["a-co"]["description"]
    assert xss not in description  # HTML allowed, data escaped
    assert "&lt;img" in description
    assert "甲公司" in description  # names in every script, and the source
    assert "mine" in description
    assert items["a-co"]["url"] == "https://example.org/m"
    assert vosviewer_network(eg) == vosviewer_network(eg)  # seeded communities
