"""The ecosystem report on the bundled data, on OpenAlex-derived data and from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import aieco
from aieco.cli import app
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.schema import ORG_TYPES
from aieco.loaders.openalex import pull_openalex_snapshot
from aieco.metrics.indicators import place_indicators
from aieco.report.ecosystem_report import build_ecosystem_report

EXAMPLE = Path(__file__).parents[2] / "examples" / "openalex-snapshot"
#: Seed 002 names the cities at the front line of AI (in Traditional characters).
FRONT_LINE = "除了北京、上海、深圳等勇立人工智能浪潮一線的城市外"


@pytest.fixture(scope="module")
def report(bundled: EcosystemGraph) -> aieco.report.centrality_report.CentralityReport:
    return build_ecosystem_report(bundled, draws=300)


def _table(report: object, slug: str) -> pd.DataFrame:
    return next(t.frame for t in report.tables if t.slug == slug)  # type: ignore[attr-defined]


@pytest.mark.seconds
def test_no_place_can_top_the_organisation_table(report: object, bundled: EcosystemGraph) -> None:
    organisations = _table(report, "organisations")
    assert set(organisations["type"]) <= {t.value for t in ORG_TYPES}
    assert "United States" not in set(organisations["name"])
    assert organisations["name"].iloc[0] != "California"


@pytest.mark.seconds
def test_the_seeds_front_line_cities_lead_the_place_table(report: object, seed_texts: dict[str, str]) -> None:
    assert any(FRONT_LINE in text for text in seed_texts.values())
    places = _table(report, "places")
    top = set(places["name"].head(4))
    assert {"Beijing", "Shanghai", "Shenzhen"} <= top, places.head(6)
    # every row has a rank range holding its rank
    for rank, spread in zip(places["rank"], places["rank_range"], strict=True):
        lo, _, hi = str(spread).partition("–")
        assert int(lo) <= int(rank) <= int(hi or lo)


def test_indicators_by_hand(bundled: EcosystemGraph) -> None:
    frame = place_indicators(bundled, "City")
    # Hefei holds iFlytek and ChangXin Memory (companies), China Speech Valley (a park) and iFlytek Spark
    assert frame.loc["hefei", ["companies", "sites", "models"]].tolist() == [2.0, 1.0, 1.0]
    assert frame.loc["hefei", "organisations"] == 2.0


def test_the_typology_and_names_in_another_script(bundled: EcosystemGraph) -> None:
    report = build_ecosystem_report(bundled, draws=50, groups=3, script="zh_hans")
    kinds = _table(report, "typology")
    assert len(kinds) == 3
    assert kinds["places"].sum() == len(place_indicators(bundled, "City"))
    assert "北京" in set(_table(report, "places")["name"])


@pytest.mark.seconds
def test_on_openalex_records_the_flow_tables_fill(realdata: Path, tmp_path: Path) -> None:
    from tests.unit.test_openalex_real import RAG, _authors, _snapshot

    institutions = json.loads((realdata / RAG / "institutions_sample.json").read_text(encoding="utf-8"))
    pull = pull_openalex_snapshot(_snapshot(tmp_path, list(_authors(realdata).values()), institutions))
    pull.write(tmp_path / "tables")
    eg = aieco.graph_from_bundled(extra=[tmp_path / "tables"])
    report = build_ecosystem_report(eg, level="Country", draws=100, burst_s=1.5, burst_gamma=0.5)
    slugs = {t.slug for t in report.tables}
    assert {"organisations", "places", "typology", "rising", "talent_corridors"} <= slugs
    places = _table(report, "places").set_index("name")
    assert places.loc["China", "talent_in"] > 0
    assert places.loc["United States", "talent_out"] > 0
    assert "China" in set(_table(report, "rising")["name"])


@pytest.mark.seconds
def test_the_command_writes_the_report(tmp_path: Path) -> None:
    index = tmp_path / "index.toml"
    index.write_text('normalisation = "rank"\n[weights]\norganisations = 2\nlistings = 1\n', encoding="utf-8")
    out = tmp_path / "eco"
    result = CliRunner().invoke(
        app, ["report", "ecosystem", "--out", str(out), "--index", str(index), "--draws", "50"]
    )
    assert result.exit_code == 0, result.output
    assert {"report.html", "report.md", "places.csv", "organisations.csv", "typology.csv"} <= {
        p.name for p in out.iterdir()
    }
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "rank normalised organisations × 2, listings × 1" in html
    bad = tmp_path / "bad.toml"
    bad.write_text("[weights]\ngdp = 1\n", encoding="utf-8")
    failed = CliRunner().invoke(
        app, ["report", "ecosystem", "--out", str(tmp_path / "x"), "--index", str(bad)]
    )
    assert failed.exit_code != 0
    assert "gdp" in failed.output
    assert "Traceback" not in failed.output
    assert not (tmp_path / "x" / "report.html").exists()


@pytest.mark.seconds
def test_on_the_example_snapshot(tmp_path: Path) -> None:
    pull = pull_openalex_snapshot(EXAMPLE)
    pull.write(tmp_path / "tables")
    eg = aieco.graph_from_bundled(extra=[tmp_path / "tables"])
    report = build_ecosystem_report(eg, level="Country", draws=50)
    corridors = _table(report, "talent_corridors")
    # the example's four AI authors and A5: China → US three researchers (A1, A2, A5), US → China one (A2)
    pairs = {(r["from"], r["to"]): r["researchers"] for r in corridors.to_dict("records")}
    assert pairs == {("China (中国)", "United States (美国)"): 3, ("United States (美国)", "China (中国)"): 1}
    places = _table(report, "places").set_index("name")
    assert places.loc["China", "talent_out"] == 3
    assert places.loc["China", "talent_in"] == 1
    assert any(c.slug == "typology_map" for c in report.charts)


def test_rising_models_from_release_years() -> None:
    import networkx as nx

    from aieco.metrics.bursts import rising
    from aieco.metrics.indicators import models_by_year

    G = nx.MultiDiGraph()
    G.add_node("hz", type="City")
    G.add_node("bj", type="City")
    G.add_node("lab-hz", type="Company")
    G.add_node("lab-bj", type="Company")
    G.add_edge("lab-hz", "hz", type="HEADQUARTERED_IN")
    G.add_edge("lab-bj", "bj", type="HEADQUARTERED_IN")
    hz = dict.fromkeys(range(2015, 2022), 1) | {2022: 12, 2023: 14}
    releases = {"lab-bj": dict.fromkeys(range(2015, 2024), 9), "lab-hz": hz}
    for lab, years in releases.items():
        for year, n in years.items():
            for i in range(n):
                m = f"{lab}-{year}-{i}"
                G.add_node(m, type="AIModel", date=f"{year}-06-01")
                G.add_edge(lab, m, type="DEVELOPS")
    from aieco.graph.ecosystem import EcosystemGraph

    yearly = models_by_year(EcosystemGraph(G), "City")
    assert yearly["hz"] == {y: float(n) for y, n in hz.items()}
    found = [(r["place"], r["burst_start"], r["burst_end"]) for r in rising(yearly)]
    assert found == [("hz", 2022, 2023)]  # Hangzhou's share leaps from a tenth to over a half


def test_joint_works_by_year_by_hand() -> None:
    import networkx as nx

    from aieco.graph.ecosystem import EcosystemGraph
    from aieco.metrics.indicators import joint_works_by_year

    G = nx.MultiDiGraph()
    for city in ("bj", "sh"):
        G.add_node(city, type="City")
    for org, city in (("thu", "bj"), ("pku", "bj"), ("sjtu", "sh")):
        G.add_node(org, type="University")
        G.add_edge(org, city, type="LOCATED_IN")
    G.add_edge("thu", "pku", type="COLLABORATES_WITH", count=5, year=2020)  # inside Beijing: once
    G.add_edge("thu", "sjtu", type="COLLABORATES_WITH", count=2, year=2020)  # both cities
    G.add_edge("pku", "sjtu", type="COLLABORATES_WITH", count=3, year=2021)
    assert joint_works_by_year(EcosystemGraph(G), "City") == {
        "bj": {2020: 7.0, 2021: 3.0},
        "sh": {2020: 2.0, 2021: 3.0},
    }
