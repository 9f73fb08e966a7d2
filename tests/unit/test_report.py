"""The centrality report: files, tables that agree with the metrics, escaped text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import aieco
from aieco.graph.ecosystem import EcosystemGraph
from aieco.report import build_centrality_report, write_centrality_report
from tests.conftest import WriteTable

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def report_dir(bundled: EcosystemGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    write_centrality_report(build_centrality_report(bundled, top=10, engine="networkx"), out)
    return out


@pytest.mark.seconds
def test_files(report_dir: Path) -> None:
    names = {p.name for p in report_dir.iterdir()}
    assert {
        "report.html",
        "report.md",
        "top_pagerank.csv",
        "city_rollup.csv",
        "density.csv",
        "concentration.csv",
        "communities.csv",
        "lorenz.png",
    } <= names
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html  # self-contained charts
    assert "http://" not in html
    assert "https://" not in html
    assert aieco.__version__ in html


@pytest.mark.seconds
def test_top_pagerank_matches_igraph_on_the_raw_tables(report_dir: Path) -> None:
    """PageRank of the undirected entity graph, rebuilt from the CSV tables and run by igraph."""
    ig = pytest.importorskip("igraph")
    data = Path(aieco.__file__).parent / "data"
    ids = pd.read_csv(data / "entities.csv")["id"].tolist()
    rel = pd.read_csv(data / "relations.csv")
    weight: dict[tuple[str, str], float] = {}
    for u, v in zip(rel["from"], rel["to"], strict=True):
        pair = (min(u, v), max(u, v))
        weight[pair] = weight.get(pair, 0.0) + 1.0  # parallel relationships add up
    index = {n: i for i, n in enumerate(ids)}
    g = ig.Graph(n=len(ids), edges=[(index[u], index[v]) for u, v in weight])
    ranks = g.pagerank(weights=list(weight.values()), damping=0.85)
    best = max(range(len(ids)), key=lambda i: ranks[i])
    table = pd.read_csv(report_dir / "top_pagerank.csv")
    assert table.loc[0, "id"] == ids[best]
    assert table.loc[0, "pagerank"] == pytest.approx(ranks[best], rel=1e-6)


def test_concentration_table_is_consistent(report_dir: Path) -> None:
    table = pd.read_csv(report_dir / "concentration.csv")
    cities = pd.read_csv(report_dir / "city_rollup.csv")
    top1 = table[(table["quantity"] == "summed PageRank over cities") & (table["top_n"] == 1)].iloc[0]
    assert top1["top_n_share"] == pytest.approx(cities["pagerank_sum"].max() / top1["total"])
    assert 0 <= top1["gini"] <= 1


@pytest.mark.slow
def test_names_from_data_are_escaped(write_table: WriteTable, tmp_path: Path) -> None:
    extra = write_table(
        "entities.csv",
        [{"id": "evil", "type": "Company", "name_en": XSS, "source": "seed-002", "quote": "x"}],
    )
    rel = write_table(
        "relations.csv",
        [{"from": "evil", "type": "HEADQUARTERED_IN", "to": "hefei", "source": "seed-002", "quote": "x"}],
    )
    eg = aieco.graph_from_bundled(extra=[extra, rel])
    out = tmp_path / "r"
    write_centrality_report(build_centrality_report(eg, top=400, engine="networkx"), out)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert XSS not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in (out / "report.md").read_text(encoding="utf-8")
