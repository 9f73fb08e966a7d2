"""Bursts, association strength and ranking robustness on cases whose answers are known by hand
or computed here by another route (every state sequence enumerated; counts added by hand)."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from aieco.errors import InvalidArgumentError
from aieco.metrics.association import association_strength
from aieco.metrics.bursts import burst_states, bursts
from aieco.metrics.robustness import composite_index, rank_robustness, read_index


# ---- bursts ----------------------------------------------------------------------------------
def _brute_force(c0: list[float], c1: list[float], up: float) -> list[int]:
    """The least-cost state sequence, by trying every one of the 2^n (start in the base state)."""
    best, best_path = math.inf, None
    for path in itertools.product((0, 1), repeat=len(c0)):
        cost, prev = 0.0, 0
        for t, state in enumerate(path):
            cost += (c1 if state else c0)[t] + (up if state > prev else 0.0)
            prev = state
        if cost < best - 1e-12:
            best, best_path = cost, list(path)
    assert best_path is not None
    return best_path


@pytest.mark.parametrize(
    "series",
    [
        [2, 2, 3, 14, 15, 2, 3],
        [0, 0, 1, 0, 9, 0, 0, 1, 8, 9, 0],
        [5, 5, 5, 5, 5],
        [1, 20, 1, 1, 1, 1, 25, 30],
    ],
)
def test_the_viterbi_path_is_the_least_cost_path(series: list[int]) -> None:
    path, c0, c1 = burst_states(series, gamma=1.0)
    assert path == _brute_force(c0, c1, math.log(len(series)))


def test_binomial_costs_follow_the_paper() -> None:
    # Kleinberg's batched cost: -ln[C(d, r) p^r (1-p)^(d-r)], p0 = R/D, p1 = s p0
    counts, totals = [1, 1, 8, 1], [20, 20, 20, 20]
    path, c0, c1 = burst_states(counts, totals, s=2.0)
    p0, p1 = 11 / 80, 22 / 80
    assert c0[2] == pytest.approx(-math.log(math.comb(20, 8) * p0**8 * (1 - p0) ** 12))
    assert c1[2] == pytest.approx(-math.log(math.comb(20, 8) * p1**8 * (1 - p1) ** 12))
    assert path == _brute_force(c0, c1, math.log(4))
    assert path == [0, 0, 1, 0]


def test_a_rise_in_share_is_a_burst_a_rise_with_the_total_is_not() -> None:
    # the entity's works quadruple in 2020, but so does everything: no burst in its share
    counts = {2018: 10, 2019: 10, 2020: 40, 2021: 40}
    assert bursts(counts, {2018: 100, 2019: 100, 2020: 400, 2021: 400}) == []
    assert [(b.start, b.end) for b in bursts(counts, dict.fromkeys(counts, 100))] == [(2020, 2021)]


def test_a_flat_or_empty_series_has_no_burst_and_gaps_count_as_zero() -> None:
    assert bursts({2018: 5, 2019: 5, 2020: 5}) == []
    assert bursts({}) == []
    found = bursts({2010: 1, 2015: 12, 2016: 11})  # 2011–2014 are zeros
    assert [(b.start, b.end) for b in found] == [(2015, 2016)]
    assert found[0].weight > 0
    with pytest.raises(ValueError, match="above 1"):
        burst_states([1, 2], s=1.0)


# ---- association strength -----------------------------------------------------------------
def test_association_strength_by_hand() -> None:
    G = nx.MultiGraph()
    G.add_edge("tsinghua", "pku", weight=6)
    G.add_edge("tsinghua", "pku", weight=2)  # parallel links add: 8
    G.add_edge("tsinghua", "ustc", weight=2)
    G.add_edge("pku", "ustc", weight=2)
    # m = 12; s: tsinghua 10, pku 10, ustc 4
    got = association_strength(G)
    assert got[("tsinghua", "pku")] == pytest.approx(2 * 12 * 8 / (10 * 10))  # 1.92
    assert got[("tsinghua", "ustc")] == pytest.approx(2 * 12 * 2 / (10 * 4))  # 1.2
    assert got[("pku", "ustc")] == pytest.approx(1.2)
    # raw counts put the big pair 4x ahead; once size is accounted for, 1.6x
    assert got[("tsinghua", "pku")] / got[("tsinghua", "ustc")] == pytest.approx(1.6)


# ---- ranking robustness -------------------------------------------------------------------
@pytest.fixture
def cities() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "companies": [100, 40, 39, 5],
            "models": [50, 10, 11, 1],
            "talent": [30, 8, 8, 0],
        },
        index=["beijing", "hangzhou", "shenzhen", "hefei"],
    )


def test_the_composite_index_by_hand(cities: pd.DataFrame) -> None:
    score = composite_index(cities, {"companies": 2, "models": 1})
    # min-max: beijing 1 and 1; hefei 0 and 0; hangzhou 35/95 and 9/49
    assert score["beijing"] == pytest.approx(3.0)
    assert score["hefei"] == pytest.approx(0.0)
    assert score["hangzhou"] == pytest.approx(2 * 35 / 95 + 9 / 49)
    with pytest.raises(InvalidArgumentError, match="gdp"):
        composite_index(cities, {"gdp": 1})


def test_a_dominant_entity_keeps_its_rank_and_near_equals_swap(cities: pd.DataFrame) -> None:
    out = rank_robustness(cities, {"companies": 1, "models": 1, "talent": 1}, draws=500, seed=3)
    # min-max, equal weights: shenzhen 34/95 + 10/49 + 8/30 = 0.829 before hangzhou's 0.819
    assert list(out.index) == ["beijing", "shenzhen", "hangzhou", "hefei"]
    assert out.loc["beijing", ["rank_min", "rank_max", "same_rank"]].tolist() == [1, 1, 1.0]
    assert out.loc["hefei", ["rank_min", "rank_max"]].tolist() == [4, 4]
    # hangzhou (more companies) and shenzhen (more models) trade places with the weights
    assert out.loc["hangzhou", ["rank_min", "rank_max"]].tolist() == [2, 3]
    assert out.loc["shenzhen", ["rank_min", "rank_max"]].tolist() == [2, 3]
    assert out.loc["hangzhou", "ties"] == "shenzhen"
    assert out.loc["shenzhen", "ties"] == "hangzhou"
    assert out.loc["beijing", "ties"] == ""
    again = rank_robustness(cities, {"companies": 1, "models": 1, "talent": 1}, draws=500, seed=3)
    pd.testing.assert_frame_equal(out, again)  # seeded
    # with the weights fixed and one normalisation, nothing moves
    fixed = rank_robustness(cities, {"companies": 1, "models": 1}, spread=0.0, normalisations=["minmax"])
    assert (fixed["rank_min"] == fixed["rank_max"]).all()


def test_an_index_from_toml(tmp_path: Path, cities: pd.DataFrame) -> None:
    path = tmp_path / "index.toml"
    path.write_text('normalisation = "rank"\n[weights]\ncompanies = 0.7\nmodels = 0.3\n', encoding="utf-8")
    weights, how = read_index(path)
    assert (weights, how) == ({"companies": 0.7, "models": 0.3}, "rank")
    assert np.isclose(composite_index(cities, weights, normalisation=how)["beijing"], 4.0)
    path.write_text("[weights]\ncompanies = true\n", encoding="utf-8")
    with pytest.raises(InvalidArgumentError, match=r"weights\.companies"):
        read_index(path)
    path.write_text("weights = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    with pytest.raises(InvalidArgumentError, match="cannot read"):
        read_index(path)


# ---- the rising_talent query -----------------------------------------------------------------
def test_rising_talent_finds_a_burst_of_arrivals(tmp_path: Path) -> None:
    import csv

    import aieco
    from aieco.queries import run_query

    # Shanghai receives 1 researcher a year, then 6 in 2019 and 7 in 2020; Boston 10 a year throughout
    rows = [("hefei", "shanghai", y, 1) for y in range(2014, 2019)]
    rows += [("hefei", "shanghai", 2019, 6), ("hefei", "shanghai", 2020, 7), ("hefei", "shanghai", 2021, 1)]
    rows += [("hefei", "boston", y, 10) for y in range(2014, 2022)]
    (tmp_path / "sources.csv").write_text("id,title,url\nhand,Hand,https://example.org/h\n", encoding="utf-8")
    with (tmp_path / "relations.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["from", "type", "to", "count", "year", "source"])
        writer.writerows([u, "TALENT_FLOW", v, n, y, "hand"] for u, v, y, n in rows)
    eg = aieco.graph_from_bundled(extra=[tmp_path / "sources.csv", tmp_path / "relations.csv"])
    frame = run_query("rising_talent", {"level": "City"}, graph=eg)
    assert frame[["place", "burst_start", "burst_end", "arrivals_in_burst", "arrivals"]].values.tolist() == [
        ["shanghai", 2019, 2020, 13, 19]
    ]
    # the same series by hand: Shanghai's share of each year's arrivals, binomial model
    shanghai = {y: n for _, v, y, n in rows if v == "shanghai"}
    totals = {y: shanghai[y] + 10 for y in shanghai}
    assert [(b.start, b.end) for b in bursts(shanghai, totals)] == [(2019, 2020)]
    assert frame["weight"].iloc[0] == pytest.approx(bursts(shanghai, totals)[0].weight, abs=1e-3)
    country = run_query("rising_talent", {"level": "Country"}, graph=eg)
    assert country.empty  # China → US is steady: no burst in the US's share (everyone arrives there)


def test_collaboration_strength_carries_the_association_strength() -> None:
    from aieco.graph.ecosystem import EcosystemGraph
    from aieco.queries import run_query

    G = nx.MultiDiGraph()
    G.add_nodes_from(["a", "b", "c"], type="University")
    for u, v, n in (("a", "b", 3), ("a", "b", 1), ("a", "c", 1), ("b", "c", 1)):  # a–b: 4 over two years
        G.add_edge(u, v, type="COLLABORATES_WITH", count=n, year=2020 + n % 2)
    frame = run_query("collaboration_strength", {}, graph=EcosystemGraph(G))
    got = {
        (r["a"], r["b"]): (r["joint_works"], round(r["association_strength"], 3))
        for r in frame.to_dict("records")
    }
    # m = 6; s: a 5, b 5, c 2 → a–b 2·6·4/25, a–c and b–c 2·6·1/10
    assert got == {("a", "b"): (4, 1.92), ("a", "c"): (1, 1.2), ("b", "c"): (1, 1.2)}


# ---- typology -------------------------------------------------------------------------------
def test_a_typology_finds_the_groups_built_into_the_places() -> None:
    from aieco.metrics.typology import silhouette, typology

    # three kinds of place built by hand: hubs (many companies, many models), research towns (few
    # companies, many universities), and the rest; two indicators that only add noise-free scale
    frame = pd.DataFrame(
        {
            "companies": [90, 85, 95, 5, 6, 4, 1, 2, 1, 2],
            "universities_labs": [10, 12, 11, 30, 28, 32, 1, 0, 2, 1],
            "models": [20, 22, 18, 3, 2, 4, 0, 0, 1, 0],
        },
        index=["h1", "h2", "h3", "r1", "r2", "r3", "o1", "o2", "o3", "o4"],
    )
    found = typology(frame)
    assert found.k == 3  # the best mean silhouette among 2–6 groups
    groups = {g: set(found.groups[found.groups == g].index) for g in set(found.groups)}
    assert sorted(map(sorted, groups.values())) == [
        ["h1", "h2", "h3"],
        ["o1", "o2", "o3", "o4"],
        ["r1", "r2", "r3"],
    ]
    assert found.groups["h1"] == 1  # numbered by mean score: the hubs first
    assert found.descriptions[1].startswith(("companies +", "models +"))
    assert "universities_labs +" in found.descriptions[found.groups["r1"]]
    # the silhouette by hand on a line: a = 1 (own group), b = 10 (other group) → (10 - 1) / 10
    z = np.array([[0.0], [1.0], [10.0], [11.0]])
    assert silhouette(z, np.array([1, 1, 2, 2])) == pytest.approx(((10.5 - 1) / 10.5 + (9.5 - 1) / 9.5) / 2)
    assert typology(frame, groups=2).k == 2
    with pytest.raises(InvalidArgumentError, match="3 places"):
        typology(frame.head(2))


def test_views_draw_collaborations_by_joint_works_or_association_strength(write_table: object) -> None:
    import aieco
    from aieco.viz import build_view

    files = [
        write_table("sources.csv", [{"id": "mine", "title": "Mine", "url": "https://example.org/m"}]),  # type: ignore[operator]
        write_table(  # type: ignore[operator]
            "entities.csv",
            [
                {"id": n, "type": "University", "name_en": n.upper(), "source": "mine"}
                for n in ("a", "b", "c")
            ],
        ),
        write_table(  # type: ignore[operator]
            "relations.csv",
            [
                {"from": u, "type": "COLLABORATES_WITH", "to": v, "count": n, "source": "mine"}
                for u, v, n in (("a", "b", 4), ("a", "c", 1), ("b", "c", 1))
            ],
        ),
    ]
    eg = aieco.graph_from_files(files)

    def widths(how: str) -> dict[tuple[str, str], float]:
        net = build_view(eg, "overview", collaboration=how)
        return {(e["from"], e["to"]): e["width"] for e in net.edges}

    # joint works: 1 + 1.5·ln(1 + c); association strength (1.92, 1.2, 1.2 by hand): 1 + 2.5·AS
    assert widths("count") == pytest.approx(
        {
            ("a", "b"): 1 + 1.5 * math.log(5),
            ("a", "c"): 1 + 1.5 * math.log(2),
            ("b", "c"): 1 + 1.5 * math.log(2),
        },
        abs=0.01,
    )
    assert widths("association") == pytest.approx(
        {("a", "b"): 1 + 2.5 * 1.92, ("a", "c"): 4.0, ("b", "c"): 4.0}, abs=0.01
    )
    titles = [e["title"] for e in build_view(eg, "overview").edges]
    assert any("association strength 1.92" in t for t in titles)
