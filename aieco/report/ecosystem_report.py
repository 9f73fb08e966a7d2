"""The ecosystem report: the questions analysts ask, answered from the graph.

Where the centrality report ranks every entity on one projection (so containment makes the
United States and California hubs), this report keeps organisations and places apart:

* **organisations** are ranked on the organisation network (companies, universities, labs,
  government bodies, their people and models, joined by their relationships; places are where
  they sit, not nodes competing with them);
* **places** (cities by default) are ranked by a composite index of what they hold and how it
  connects (:mod:`aieco.metrics.indicators`), each with its rank range over weight and
  normalisation perturbations (:mod:`aieco.metrics.robustness`) and the ties the data cannot
  separate;
* a **typology** groups the places (:mod:`aieco.metrics.typology`);
* **rising** places are those whose share of arriving researchers bursts (:mod:`aieco.metrics.bursts`);
* **collaboration strength** ranks organisation pairs by association strength
  (:mod:`aieco.metrics.association`), and talent corridors carry their intervals.

Every table names entities in the chosen script; the page states each projection in words.
Outputs as the centrality report: ``report.html`` (offline, charts embedded), ``report.md``,
one CSV per table; notebook display.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from aieco.graph.containment import place_at_level
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.projection import PROJECTIONS, graph_as_of, project
from aieco.graph.schema import ORG_VALUES, PLACE_LEVELS, NameScript
from aieco.metrics import centrality as C
from aieco.metrics.association import association_strength, collaboration_links, pair_weights
from aieco.metrics.bursts import DEFAULT_GAMMA, DEFAULT_S, rising
from aieco.metrics.corridors import arrivals_by_year
from aieco.metrics.engines import pick, shared_igraph
from aieco.metrics.indicators import joint_works_by_year, models_by_year, place_indicators
from aieco.metrics.robustness import Normalisation, rank_robustness
from aieco.metrics.typology import typology
from aieco.report.centrality_report import (
    CentralityReport,
    Chart,
    Table,
    bar_chart,
    chart_fonts,
    talent_table,
)

logger = logging.getLogger(__name__)

Script = NameScript
_PLURAL = {"City": "Cities", "Region": "Regions", "Country": "Countries"}
#: The index that ranks places unless the user gives one: every indicator that varies, alike.
DEFAULT_INDEX: dict[str, float] = {
    "organisations": 1.0,
    "models": 1.0,
    "org_pagerank": 1.0,
    "talent_net": 1.0,
    "collaborations": 1.0,
    "listings": 1.0,
    "sites": 1.0,
}


def namer(eg: EcosystemGraph, script: Script) -> Any:
    """A function giving each entity's name in ``script`` (else aieco's display name)."""
    field = f"name_{script}"

    def name(node: str) -> str:
        attrs = eg.G.nodes[node] if node in eg.G else {}
        value = attrs.get(field)
        return str(value) if value else eg.display_name(node) if node in eg.G else node

    return name


def build_ecosystem_report(
    eg: EcosystemGraph,
    *,
    level: str = "City",
    top: int = 15,
    index: Mapping[str, float] | None = None,
    normalisation: Normalisation = "minmax",
    groups: int | None = None,
    draws: int = 500,
    script: Script = "en",
    as_of: int | None = None,
    burst_s: float = DEFAULT_S,
    burst_gamma: float = DEFAULT_GAMMA,
    seed: int = 0,
) -> CentralityReport:
    """Compute the ecosystem report (see the module).

    Parameters
    ----------
    level
        The places ranked and grouped: ``City``, ``Region`` or ``Country``.
    top
        Rows per ranking table.
    index, normalisation
        The composite index ranking places (indicator → weight; default :data:`DEFAULT_INDEX`
        over the indicators that vary) and its normalisation.
    groups
        The number of place groups (default: chosen by silhouette).
    draws
        Monte Carlo draws of the rank ranges (seeded by ``seed``).
    script
        The script names are shown in where an entity has one.
    as_of
        Only facts valid that year.
    burst_s, burst_gamma
        Kleinberg's ``s`` and ``γ`` for the rising table (a gentler automaton, e.g. 1.5 and 0.5,
        finds bursts in small data).
    """
    if level not in PLACE_LEVELS:
        raise ValueError(f"level must be one of {', '.join(PLACE_LEVELS)}; got {level!r}")
    source = graph_as_of(eg, as_of) if as_of is not None else eg
    name = namer(source, script)
    H = project(source, PROJECTIONS["organisations"])
    used = pick("auto", H)
    with shared_igraph():  # one conversion of the projection for both measures
        pagerank = C.compute(H, "pagerank", engine=used)
        degree = C.compute(H, "degree", engine="networkx")
        betweenness = C.compute(H, "betweenness", engine=used)
    report = CentralityReport(
        title="aieco ecosystem report",
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        projection={
            "organisations": "ranked on the organisation network: companies, universities, labs and "
            "government bodies with their people and models, joined by every relationship among "
            f"them (undirected); places are not nodes of it ({H.number_of_nodes():,} nodes, "
            f"{H.number_of_edges():,} relationships)",
            "places": f"each {level.lower()} by what it holds (its organisations, sites and models, by "
            "containment up to 4 hops) and how it connects (its organisations' PageRank, "
            "collaborations, listings, researchers arriving and leaving)",
            "as of": as_of,
        },
        provenance={
            k: v for k, v in eg.provenance.items() if k in ("name", "aieco_version", "created", "sources")
        },
        engines={"pagerank, betweenness": "igraph" if used == "igraph" else "NetworkX"},
        nodes=H.number_of_nodes(),
        edges=H.number_of_edges(),
    )
    report.tables.append(_organisations(source, name, pagerank, degree, betweenness, top))
    frame = place_indicators(source, level, org_scores=pagerank)
    if len(frame) >= 3:
        _places(report, source, frame, name, level, index, normalisation, groups, draws, seed, top)
    for slug, what, yearly in (
        ("rising", "arriving researchers", arrivals_by_year(source, level)),
        ("rising_models", "AI models released", models_by_year(source, level)),
        (
            "rising_works",
            "joint works (co-authored with another organisation)",
            joint_works_by_year(source, level),
        ),
    ):
        rows = rising(yearly, s=burst_s, gamma=burst_gamma)
        if not rows:
            continue
        table = pd.DataFrame(rows).rename(columns={"arrivals_in_burst": "in_burst", "arrivals": "total"})
        table.insert(1, "name", [name(p) for p in table["place"]])
        report.tables.append(
            Table(
                slug,
                f"Rising {_PLURAL[level].lower()}: bursts in their share of {what}",
                table.head(top),
                note=f"Kleinberg's two-state automaton (s = {burst_s:g}, γ = {burst_gamma:g}) on each "
                f"place's share of the {what} anywhere that year; weight: how much better the burst state "
                "explains those years (nats).",
            )
        )
    strength = _collaboration(source, name, top)
    if strength is not None:
        report.tables.append(strength)
    talent = talent_table(source, top)
    if talent is not None:
        report.tables.append(talent)
    report.facts["method"] = (
        "Organisations: PageRank, degree and betweenness on the organisation network. Places: indicators "
        "from the graph (aieco.metrics.indicators), a composite index of the min-max (or chosen) normalised "
        "indicators, rank ranges over Monte Carlo draws of weights (each ×U[0.5, 1.5]) and normalisations "
        "(min-max, z-score, rank); groups by Ward clustering of z-scores."
    )
    return report


def _organisations(
    eg: EcosystemGraph,
    name: Any,
    pagerank: Mapping[str, float],
    degree: Mapping[str, float],
    betweenness: Mapping[str, float],
    top: int,
) -> Table:
    G = eg.G
    orgs = [n for n in pagerank if G.nodes[n].get("type") in ORG_VALUES]
    ranked = sorted(orgs, key=lambda n: (-pagerank[n], n))[:top]
    rows = []
    for i, n in enumerate(ranked, start=1):
        where = next((p for p in (place_at_level(G, n, lv) for lv in PLACE_LEVELS) if p), None)
        rows.append(
            {
                "rank": i,
                "name": name(n),
                "type": G.nodes[n]["type"],
                "where": name(where) if where else "",
                "pagerank": round(pagerank[n], 5),
                "degree": round(degree.get(n, 0.0), 5),
                "betweenness": round(betweenness.get(n, 0.0), 5),
            }
        )
    return Table(
        "organisations",
        "Organisations by PageRank on the organisation network",
        pd.DataFrame(rows, columns=["rank", "name", "type", "where", "pagerank", "degree", "betweenness"]),
        note="Places are where organisations sit, not nodes of this network: no place can top this table.",
    )


def _places(
    report: CentralityReport,
    eg: EcosystemGraph,
    frame: pd.DataFrame,
    name: Any,
    level: str,
    index: Mapping[str, float] | None,
    normalisation: Normalisation,
    groups: int | None,
    draws: int,
    seed: int,
    top: int,
) -> None:
    varying = [c for c in frame.columns if frame[c].std(ddof=0) > 0]
    weights = dict(index) if index else {k: v for k, v in DEFAULT_INDEX.items() if k in varying}
    ranks = rank_robustness(frame, weights, normalisation=normalisation, draws=draws, seed=seed)
    kinds = typology(frame[varying], groups=groups)
    table = pd.DataFrame(
        {
            "rank": ranks["rank"],
            "name": [name(p) for p in ranks.index],
            "index": ranks["score"].round(4),
            "rank_range": [
                f"{lo}–{hi}" if lo != hi else str(lo)
                for lo, hi in zip(ranks["rank_min"], ranks["rank_max"], strict=True)
            ],
            "ties": [" | ".join(name(t) for t in ts.split("|")) if ts else "" for ts in ranks["ties"]],
            "group": [int(kinds.groups.get(p, 0)) for p in ranks.index],
        }
    ).join(frame.loc[ranks.index].reset_index(drop=True).set_axis(ranks.index))
    table = table.reset_index(drop=True)
    spelled = ", ".join(f"{k} × {v:g}" for k, v in weights.items())
    report.tables.append(
        Table(
            "places",
            f"{_PLURAL[level]} by what they hold and how it connects",
            table.head(top),
            note=f"Index: {normalisation} normalised {spelled}. Rank range over {draws} draws (weights "
            "×U[0.5, 1.5], normalisation drawn among min-max, z-score and rank); 'ties': places whose order "
            "against this one flips in at least a tenth of the draws.",
        )
    )
    centroids = kinds.centroids.copy()
    centroids.insert(0, "places", [int((kinds.groups == g).sum()) for g in centroids.index])
    centroids.insert(1, "described", [kinds.descriptions[g] for g in centroids.index])
    centroids.insert(
        2,
        "examples",
        [", ".join(name(p) for p in kinds.groups[kinds.groups == g].index[:6]) for g in centroids.index],
    )
    report.tables.append(
        Table(
            "typology",
            f"{level} typology: {kinds.k} groups",
            centroids.reset_index().rename(columns={"index": "group"}),
            note=f"Ward clustering of z-scored indicators; {kinds.k} groups: {kinds.criterion}. Centroids in "
            "standard deviations from the mean.",
        )
    )
    where = _positions(eg, list(kinds.groups.index))
    if where:
        report.charts.append(
            Chart(
                "typology_map",
                f"{level} typology on the map",
                _typology_map(where, kinds.groups, name, f"{level} typology: {kinds.k} groups"),
            )
        )
    head = table.head(top)
    report.charts.append(
        Chart(
            "places_index",
            f"{_PLURAL[level]} by the index",
            bar_chart(list(head["name"]), list(head["index"]), f"{_PLURAL[level]} by the index", "index"),
        )
    )


def _collaboration(eg: EcosystemGraph, name: Any, top: int) -> Table | None:
    G = eg.G
    links = collaboration_links(G, keep=lambda n: G.nodes[n].get("type") in ORG_VALUES)
    if links.number_of_edges() == 0:
        return None
    joint = pair_weights(links)
    rows = [
        {"a": name(u), "b": name(v), "association_strength": round(s, 4), "co_occurrences": joint[(u, v)]}
        for (u, v), s in association_strength(links).items()
    ]
    frame = pd.DataFrame(rows).sort_values(["association_strength", "co_occurrences"], ascending=False)
    return Table(
        "collaboration_strength",
        "Collaboration once size is accounted for",
        frame.head(top).reset_index(drop=True),
        note="Association strength 2m·c/(s_a·s_b) (van Eck & Waltman 2009): 1 is what the two organisations' "
        "sizes predict; the raw count of shared links beside it.",
    )


def _positions(eg: EcosystemGraph, places: list[str]) -> dict[str, tuple[float, float]]:
    """(lon, lat) of each place: its own, else the mean of the cities in it that have one."""
    from aieco.graph.containment import members_of

    G = eg.G
    out = {}
    for place in places:
        attrs = G.nodes[place]
        if attrs.get("lat") is not None:
            out[place] = (float(attrs["lon"]), float(attrs["lat"]))
            continue
        cities = [c for c in members_of(G, place) if G.nodes[c].get("lat") is not None]
        if cities:
            out[place] = (
                sum(float(G.nodes[c]["lon"]) for c in cities) / len(cities),
                sum(float(G.nodes[c]["lat"]) for c in cities) / len(cities),
            )
    return out


def _typology_map(
    where: Mapping[str, tuple[float, float]], groups: pd.Series, name: Any, title: str
) -> bytes:
    """Places at their longitude and latitude, coloured by group, the largest groups' members named."""
    import io

    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 4.6))
    ax = fig.subplots()
    palette = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
    for g in sorted(set(groups), reverse=True):  # group 1 drawn last, on top
        pts = [where[p] for p in groups.index if groups[p] == g and p in where]
        if pts:
            ax.scatter(
                [x for x, _ in pts],
                [y for _, y in pts],
                s=28,
                color=palette[(g - 1) % len(palette)],
                label=f"group {g}",
                zorder=2,
            )
    for p in groups.index:
        if p in where and groups[p] == 1:
            ax.annotate(
                name(p),
                where[p],
                fontsize=7,
                xytext=(3, 3),
                textcoords="offset points",
                fontfamily=chart_fonts(),
            )
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title(title)
    ax.legend(loc="lower left", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()
