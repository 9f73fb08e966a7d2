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
from aieco.viz.exports import ExportFormatAll, write_geojson, write_gexf
from aieco.viz.style import node_style


def test_every_format_is_offered() -> None:
    from typing import get_args

    assert set(get_args(ExportFormatAll)) == {*EXPORT_FORMATS, "gexf", "geojson"}


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


@pytest.mark.parametrize("fmt", ["gexf", "geojson"])
def test_export_command(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"e.{fmt}"
    result = CliRunner().invoke(app, ["export", "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_size > 1000
    if fmt == "geojson":
        assert json.loads(out.read_text(encoding="utf-8"))["type"] == "FeatureCollection"
