"""Export and re-import: JSON, GraphML and CSV give back an equal graph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import aieco
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.io import export_graph


def _content(eg: EcosystemGraph) -> tuple[dict[str, Any], dict[str, Any]]:
    nodes = {n: dict(a) for n, a in eg.G.nodes(data=True)}
    edges = {(u, v, k): dict(a) for u, v, k, a in eg.G.edges(keys=True, data=True)}
    return nodes, edges


@pytest.mark.parametrize("fmt", ["json", "graphml", "csv"])
@pytest.mark.seconds
def test_round_trip_is_exact(bundled: EcosystemGraph, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / ("tables" if fmt == "csv" else f"graph.{fmt}")
    written = export_graph(bundled, target, fmt=fmt)  # type: ignore[arg-type]
    back = aieco.graph_from_files(written)
    nodes, edges = _content(bundled)
    nodes2, edges2 = _content(back)
    assert nodes2 == nodes
    assert edges2 == edges


def test_json_is_node_link_with_every_attribute(bundled: EcosystemGraph, tmp_path: Path) -> None:
    (path,) = export_graph(bundled, tmp_path / "g.json", fmt="json")
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert {"nodes", "edges", "graph", "directed", "multigraph"} <= set(payload)
    iflytek = next(n for n in payload["nodes"] if n["id"] == "iflytek")
    assert iflytek["name_zh_hant"] == "科大訊飛"
    assert iflytek["source"] == "seed-002"
    assert "quote" in iflytek
    assert payload["graph"]["aieco_version"] == aieco.__version__
    assert not list(tmp_path.glob("*.partial"))


def test_graphml_opens_in_networkx(bundled: EcosystemGraph, tmp_path: Path) -> None:
    (path,) = export_graph(bundled, tmp_path / "g.graphml", fmt="graphml")
    G = nx.read_graphml(path, force_multigraph=True)
    assert G.number_of_nodes() == bundled.G.number_of_nodes()
    assert G.number_of_edges() == bundled.G.number_of_edges()
    assert G.nodes["iflytek"]["aliases"] == "|".join(bundled.node("iflytek")["aliases"])


def test_graphml_that_is_not_aieco_s_is_refused_in_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from aieco.cli import app

    cases = {
        "dtd.graphml": '<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaa">]><graphml>&a;</graphml>',
        # the root's name in a comment first, and the DTD past the first mebibyte
        "late-dtd.graphml": "<!-- <graphml> -->"
        + " " * (2 << 20)
        + '<!DOCTYPE g [<!ENTITY a "aaaa">]><graphml>&a;</graphml>',
        "undirected.graphml": '<graphml><graph edgedefault="undirected"><node id="a"/></graph></graphml>',
        "cut.graphml": "<graphml><graph",
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        result = CliRunner().invoke(app, ["load", str(tmp_path / name)])
        assert result.exit_code != 0, name
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1, result.output
        assert name in lines[0]
        assert ("DTD" in lines[0]) == ("dtd" in name), lines[0]


def test_tampered_json_is_rejected_with_its_row(bundled: EcosystemGraph, tmp_path: Path) -> None:
    (path,) = export_graph(bundled, tmp_path / "g.json", fmt="json")
    payload = json.loads(path.read_text(encoding="utf-8"))
    index = next(i for i, n in enumerate(payload["nodes"]) if n["id"] == "hefei")
    payload["nodes"][index]["type"] = "Metropolis"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(aieco.DataValidationError) as info:
        aieco.graph_from_files([path])
    problem = info.value.problems[0]
    assert (problem.row, problem.field) == (index + 1, "type")
