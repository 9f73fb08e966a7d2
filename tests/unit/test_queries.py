"""Catalogue answers pinned to what the seeds state (checked by hand), and parameter handling.

The expected values come from reading the seed sentences (quoted in comments) and from
hand arithmetic, never from running the code under test.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import aieco
from aieco.graph.ecosystem import EcosystemGraph
from aieco.metrics.concentration import concentration_stats
from aieco.queries import CATALOGUE, QueryError, get_query, run_query


def run(bundled: EcosystemGraph, name: str, **params: object) -> pd.DataFrame:
    return run_query(name, params, graph=bundled)


def test_forbes_ai50_2023_concentration_by_state(bundled: EcosystemGraph) -> None:
    # seed 000: California 35, New York 4, Texas 2, Massachusetts 1 (42 placed; the 43rd is remote)
    row = run(bundled, "concentration", ranking="forbes-ai50-2023", level="Region", top_n=1).iloc[0]
    assert (row["members"], row["unplaced"], row["places"], row["total"]) == (5, 1, 4, 42)
    assert row["top_n_share"] == pytest.approx(35 / 42)
    assert row["hhi"] == pytest.approx((35**2 + 4**2 + 2**2 + 1**2) / 42**2)  # 1246/1764
    # sum over ordered pairs |xi - xj| = 2 * (31+33+34+2+3+1) = 208; / (2 * 4 * 42)
    assert row["gini"] == pytest.approx(208 / 336)
    by_country = run(bundled, "concentration", ranking="forbes-ai50-2023", level="Country").iloc[0]
    assert (by_country["places"], by_country["top_n_share"], by_country["gini"]) == (1, 1.0, 0.0)


def test_concentration_stats_on_hand_cases() -> None:
    even = concentration_stats([5, 5, 5, 5], 1)
    assert (even["top_n_share"], even["hhi"], even["gini"]) == (0.25, 0.25, 0.0)
    single = concentration_stats([7], 3)
    assert (single["top_n_share"], single["hhi"], single["gini"]) == (1.0, 1.0, 0.0)
    # two places, one with everything of 2 members' worth: gini = |2-0|*2 / (2*2*2) = 0.5
    assert concentration_stats([2, 0], 1)["gini"] == 0.5
    assert concentration_stats([], 1)["hhi"] is None


def test_beijing_vs_shenzhen_company_counts(bundled: EcosystemGraph) -> None:
    # seed 002: 2016 Beijing 3.98万 > Shenzhen 3.61万; 2023 Shenzhen 6.38万 > Beijing 4.78万
    df = run(bundled, "indicator_trend", indicator="ai_related_company_count", subjects="beijing,shenzhen")
    got = {(r.subject, r.year): (r.value, r.rank, r.rank_change) for r in df.itertuples()}
    assert got == {
        ("beijing", 2016): (39_800, 1, None),
        ("shenzhen", 2016): (36_100, 2, None),
        ("beijing", 2023): (47_800, 2, -1),
        ("shenzhen", 2023): (63_800, 1, 1),
    }


def test_open_platforms_2017_and_their_cities(bundled: EcosystemGraph) -> None:
    # seed 002: 科大訊飛 + 百度、阿里云、騰訊; cities per seed 002 / public pages
    df = run(bundled, "ranking_geography", ranking="open-platforms-2017", level="City")
    assert dict(zip(df["member"], df["place"], strict=True)) == {
        "iflytek": "hefei",
        "baidu": "beijing",
        "alibaba-cloud": "hangzhou",
        "tencent": "shenzhen",
    }
    assert set(df["role"]) == {
        "intelligent language (voice) platform",
        "autonomous driving",
        "city brain",
        "medical imaging",
    }


def test_china_to_us_talent_share(bundled: EcosystemGraph) -> None:
    # seed 004: 中国人工智能科研人才,有1/3在美国工作
    df = run(bundled, "talent_flows", from_id="china", to_id="usa")
    seed = df[df["source"] == "seed-004"]
    assert len(seed) == 1
    assert seed.iloc[0]["share"] == pytest.approx(1 / 3)
    # MacroPolo via Interconnect (NeurIPS 2022): ~36% of Chinese-undergraduate researchers study in the US
    later = df[df["source"] == "interconnect-talent-flow-2024"]
    assert (later.iloc[0]["share"], later.iloc[0]["year"]) == (pytest.approx(0.36), 2022)


def test_lineage_shockley_fairchild_intel(bundled: EcosystemGraph) -> None:
    df = run(bundled, "spinoff_lineage", company="intel")
    assert dict(zip(df["id"], df["generation"], strict=True)) == {
        "intel": 0,
        "fairchild": 1,
        "shockley-semi": 2,
    }
    down = run(bundled, "spinoff_lineage", company="paypal")
    assert sorted(down.loc[down["generation"] == -1, "id"]) == ["linkedin", "spacex", "tesla", "youtube"]


def test_data_quality_finds_the_seed_002_arithmetic(bundled: EcosystemGraph) -> None:
    # 3.61万 (2016) + 4.26万 increase != 6.38万 (2023): the counts imply 27,700
    df = run(bundled, "data_quality", check="arithmetic")
    assert df.to_dict("records") == [
        {
            "check": "arithmetic",
            "id": "obs-ai-companies-increase-shenzhen",
            "detail": "ai_related_company_count",
            "value": 27_700,
        }
    ]
    assert run(bundled, "data_quality", check="unsourced").empty
    conflicts = set(run(bundled, "data_quality", check="conflict")["detail"])
    assert {
        "c-shenzhen-company-count",
        "c-platforms-date",
        "c-inventor-shares",
        "c-compute-cities",
    } <= conflicts


def test_city_ecosystem_and_government_pairs(bundled: EcosystemGraph) -> None:
    hefei = run(bundled, "city_ecosystem", city="hefei")
    assert {"iflytek", "cxmt", "china-speech-valley"} <= set(hefei["id"])
    pairs = run(bundled, "government_champion_pairs", company="iflytek")
    assert set(pairs["government"]) == {"anhui-gov", "speech-valley-plan"}


def test_source_coverage_sums_to_the_graph(bundled: EcosystemGraph) -> None:
    df = run(bundled, "source_coverage")
    summary = bundled.summary()
    assert df["entities"].sum() == summary["entities"]
    assert df["relationships"].sum() == summary["relationships"]
    assert df["observations"].sum() == summary["observations"]


def test_parameters_are_typed_and_checked() -> None:
    q = get_query("top_by_degree")
    assert q.bind({"top": "5"}) == {"direction": "total", "type": "", "top": 5}
    with pytest.raises(QueryError):
        q.bind({"top": "many"})
    with pytest.raises(QueryError):
        q.bind({"top": 0})
    with pytest.raises(QueryError):
        q.bind({"direction": "sideways"})
    with pytest.raises(QueryError):
        q.bind({"colour": "red"})
    with pytest.raises(QueryError):
        get_query("no_such_query")
    assert get_query("indicator_trend").bind({"subjects": "shenzhen, beijing,"})["subjects"] == [
        "beijing",
        "shenzhen",
    ]


def test_catalogue_entries_are_complete() -> None:
    assert len(CATALOGUE) >= 20
    for name, q in CATALOGUE.items():
        assert q.cypher.strip(), name
        for p in q.params:
            assert (f"${p.name}" in q.cypher) == p.in_cypher, (name, p.name)
        assert set(dict(q.order_by)) <= set(q.columns)


@pytest.mark.seconds
def test_every_parity_case_returns_rows_on_networkx(tmp_path: Path) -> None:
    """The parity test (tests/integration) compares engines; a case with no rows proves nothing."""
    from aieco.queries import CATALOGUE
    from tests.parity_cases import (
        BUNDLED_EMPTY,
        SYNTHETIC_EMPTY,
        bundled_cases,
        openalex_cases,
        openalex_graph,
        synthetic_cases,
        synthetic_graph,
    )

    bundled = aieco.graph_from_bundled()
    synthetic = synthetic_graph()
    openalex = openalex_graph(tmp_path)
    empty = [(n, p) for n, p in bundled_cases() if run_query(n, p, graph=bundled).empty]
    empty += [(n, p) for n, p in synthetic_cases(synthetic) if run_query(n, p, graph=synthetic).empty]
    empty += [("openalex", n, p) for n, p in openalex_cases() if run_query(n, p, graph=openalex).empty]  # type: ignore[misc]
    assert empty == []
    assert set(BUNDLED_EMPTY) <= {
        n for n, _ in openalex_cases()
    }  # what the bundled data cannot show, OpenAlex does
    # every query also runs with a parameter set other than its defaults, on one graph or the other
    with_params = {n for n, p in synthetic_cases(synthetic) if p}
    assert [n for n, q in CATALOGUE.items() if not q.examples and n not in with_params] == []
    assert set(SYNTHETIC_EMPTY) <= set(CATALOGUE)
    assert len(CATALOGUE) >= 20


def test_models_by_place_counts_each_model_once_per_place() -> None:
    import networkx as nx

    from aieco.graph.ecosystem import EcosystemGraph
    from aieco.queries import run_query

    G = nx.MultiDiGraph()
    G.add_node("cn", type="Country", name_en="China")
    G.add_node("us", type="Country", name_en="United States")
    G.add_node("bj", type="City", name_en="Beijing")
    G.add_edge("bj", "cn", type="LOCATED_IN")
    for org, where in (("thu", "bj"), ("zhipu", "bj"), ("nv", "us")):
        G.add_node(org, type="Company", name_en=org)
        G.add_edge(org, where, type="HEADQUARTERED_IN")
    G.add_node("glm", type="AIModel", name_en="GLM", date="2025-09-30")
    G.add_node("eagle", type="AIModel", name_en="Eagle", year=2025)
    G.add_node("cog", type="AIModel", name_en="Cog", date="2023-12-14")
    for dev, model in (("thu", "glm"), ("zhipu", "glm"), ("nv", "eagle"), ("thu", "eagle"), ("zhipu", "cog")):
        G.add_edge(dev, model, type="DEVELOPS")
    frame = run_query("models_by_place", {"level": "Country"}, graph=EcosystemGraph(G))
    # China: GLM (two developers, once), Eagle, Cog; the US: Eagle
    assert frame[["place", "models", "first_year", "last_year"]].values.tolist() == [
        ["cn", 3, 2023, 2025],
        ["us", 1, 2025, 2025],
    ]
