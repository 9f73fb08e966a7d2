"""The centrality report: who is central, where centrality concentrates, how dense cities are.

:func:`build_centrality_report` computes everything from the graph and the metrics (never
from the sources); :func:`write_centrality_report` renders ``report.html`` (self-contained:
charts are embedded PNGs), ``report.md`` (charts as PNG files beside it) and one CSV per
table, with jinja2 and matplotlib.
"""

from __future__ import annotations

import base64
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from aieco._version import __version__
from aieco.atomic import check_writable_folder, file_set, write_bytes, write_text
from aieco.graph.containment import members_by_place
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.io import frame_csv
from aieco.graph.projection import Projection, project
from aieco.metrics import centrality as C
from aieco.metrics.communities import CommunityMethod
from aieco.metrics.communities import communities as find_communities
from aieco.metrics.concentration import concentration, lorenz_curve
from aieco.metrics.corridors import corridors
from aieco.metrics.density import city_density
from aieco.metrics.engines import MetricEngine, pick, shared_igraph
from aieco.metrics.intervals import SMALL_COUNT
from aieco.metrics.rollups import rollup_places, rollup_types
from aieco.metrics.sampled import harmonic_error_bound
from aieco.notebook import inline_html, show_page

logger = logging.getLogger(__name__)

#: Fonts of chart labels, in turn: matplotlib's own, then CJK fonts where installed (Noto).
CHART_FONTS = ["DejaVu Sans", "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC"]
#: Called as each step finishes: (step name, steps done, steps in all).
ReportProgress = Callable[[str, int, int], None]
PRIMARY = "pagerank"
#: Above this many projected nodes, betweenness, closeness and harmonic are estimated (O(k·m)).
SAMPLE_ABOVE = 20_000
#: Sources (betweenness) and pivots (closeness, harmonic) of the estimates.
SAMPLE_K = 256


@dataclass
class Table:
    """One table of the report."""

    slug: str
    title: str
    frame: pd.DataFrame
    note: str = ""


@dataclass
class Chart:
    """One chart: a PNG and what it shows."""

    slug: str
    title: str
    png: bytes

    @property
    def data_uri(self) -> str:
        """The PNG as a data: URI, for a self-contained HTML page."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass
class CentralityReport:
    """Everything the report shows."""

    title: str
    created: str
    projection: dict[str, Any]
    provenance: dict[str, Any]
    engines: dict[str, str]
    nodes: int
    edges: int
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def to_html(self) -> str:
        """The report page, self-contained (charts embedded as data: URIs)."""
        page: str = _environment().get_template("report.html.j2").render(report=self, version=__version__)
        return page

    def _repr_html_(self) -> str:
        """The report inline in a notebook (a sandboxed frame, offline)."""
        return inline_html(self.to_html(), title=self.title)

    def save(self, out_dir: str | Path, *, force: bool = False) -> list[Path]:
        """Write the report's files into ``out_dir`` (see :func:`write_centrality_report`)."""
        return write_centrality_report(self, out_dir, force=force)

    def show(self, out_dir: str | Path = "aieco-report", *, force: bool = False) -> Path | None:
        """Show the report: inline in a notebook, else written to ``out_dir`` and opened."""
        folder = Path(out_dir)

        def save(_: Path) -> Path:
            return next(p for p in self.save(folder, force=force) if p.name == "report.html")

        return show_page(self._repr_html_, save, folder / "report.html")


def _top(eg: EcosystemGraph, scores: dict[str, float], k: int, label: str) -> pd.DataFrame:
    ordered = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    return pd.DataFrame(
        [
            {"rank": i, "id": n, "name": eg.display_name(n), "type": eg.node_type(n), label: v}
            for i, (n, v) in enumerate(ordered, start=1)
        ],
        columns=["rank", "id", "name", "type", label],
    )


@cache
def chart_fonts() -> list[str]:
    """:data:`CHART_FONTS` this machine has (matplotlib warns about each one it lacks)."""
    from matplotlib import font_manager

    present = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in CHART_FONTS if name in present] or ["DejaVu Sans"]


def bar_chart(labels: list[str], values: list[float], title: str, xlabel: str) -> bytes:
    # a Figure of its own, drawn by its own canvas: no pyplot state, no backend switch (a notebook
    # keeps its inline plots)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, max(2.5, 0.32 * len(labels) + 1)))
    ax = fig.subplots()
    ax.barh(list(reversed(labels)), list(reversed(values)), color="#3b6ea5")
    for tick in ax.get_yticklabels():  # names in Chinese or Japanese: fall back to a CJK font
        tick.set_fontfamily(chart_fonts())
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return buf.getvalue()


def _lorenz_chart(points: list[tuple[float, float]], title: str) -> bytes:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5, 5))
    ax = fig.subplots()
    ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", color="#a53b3b", label="Lorenz curve")
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="equality")
    ax.set_xlabel("share of cities (smallest first)")
    ax.set_ylabel("share of summed PageRank")
    ax.set_title(title)
    ax.legend(loc="upper left")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return buf.getvalue()


def build_centrality_report(
    eg: EcosystemGraph,
    *,
    projection: Projection | None = None,
    top: int = 15,
    engine: MetricEngine = "auto",
    betweenness_k: int | None = None,
    community_method: CommunityMethod = "leiden",
    seed: int = 0,
    progress: ReportProgress | None = None,
) -> CentralityReport:
    """Compute the metrics and tables of the centrality report.

    Parameters
    ----------
    eg
        The ecosystem graph.
    projection
        Which nodes and relationships count (default: all entities, undirected); its
        ``as_of`` restricts every metric to facts valid in that year.
    top
        Rows per ranking table.
    engine
        Centrality engine (``networkx``, ``igraph`` or ``auto``).
    betweenness_k
        Estimate betweenness from this many sampled sources (exact when ``None`` on projections
        up to ``SAMPLE_ABOVE`` nodes; above, ``SAMPLE_K``). Closeness and harmonic switch to
        pivot estimates above ``SAMPLE_ABOVE`` nodes too, and the report says so.
    community_method
        ``"leiden"`` (igraph; Louvain without it) or ``"louvain"``.
    seed
        Seed for sampling and for Louvain.
    progress
        Called after each step.
    """
    projection = projection or Projection()
    H = project(eg, projection)
    measures = ["degree", "betweenness", "closeness", "harmonic", "eigenvector", "pagerank"]
    if H.is_directed():
        measures[1:1] = ["in_degree", "out_degree"]
    steps = [*measures, "roll-ups", "density", "concentration", "communities"]
    done = 0

    def step(name: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(name, done, len(steps))

    scores: dict[str, dict[str, float]] = {}
    engines: dict[str, str] = {}
    large = H.number_of_nodes() > SAMPLE_ABOVE
    if large and betweenness_k is None:
        betweenness_k = SAMPLE_K
    with shared_igraph():  # one conversion of the projection, shared by every measure
        for measure in measures:
            options: dict[str, Any] = {}
            if measure == "betweenness":
                options = {"k": betweenness_k, "seed": seed}
            elif measure in ("closeness", "harmonic") and large:
                options = {"k": SAMPLE_K, "seed": seed}
            used = pick(engine, H)
            scores[measure] = C.compute(H, measure, engine=used, **options)
            engines[measure] = "NetworkX" if measure.endswith("degree") or used == "networkx" else "igraph"
            if measure == "betweenness" and betweenness_k:
                engines[measure] += f" (estimated from {betweenness_k} sampled sources, seed {seed})"
            if options.get("k") and measure != "betweenness":
                engines[measure] += (
                    f" (estimated from {SAMPLE_K} pivots, seed {seed}, because the projection has more than "
                    f"{SAMPLE_ABOVE:,} nodes"
                    + (
                        f"; every node within ±{harmonic_error_bound(H.number_of_nodes(), SAMPLE_K):.3f} "
                        "of the exact value with 95% probability)"
                        if measure == "harmonic"
                        else "; see aieco.metrics.sampled for its error)"
                    )
                )
            step(measure)

    report = CentralityReport(
        title="aieco centrality report",
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        projection=projection.describe(),
        provenance={
            k: v for k, v in eg.provenance.items() if k in ("name", "aieco_version", "created", "sources")
        },
        engines=engines,
        nodes=H.number_of_nodes(),
        edges=H.number_of_edges(),
    )
    for measure in measures:
        report.tables.append(
            Table(
                f"top_{measure}",
                f"Top {top} by {measure.replace('_', ' ')}",
                _top(eg, scores[measure], top, measure),
            )
        )
    per_type = []
    for kind in sorted({eg.node_type(n) for n in scores[PRIMARY]}):
        members = {n: v for n, v in scores[PRIMARY].items() if eg.node_type(n) == kind}
        for i, (n, v) in enumerate(sorted(members.items(), key=lambda kv: (-kv[1], kv[0]))[:3], start=1):
            per_type.append({"type": kind, "rank": i, "id": n, "name": eg.display_name(n), PRIMARY: v})
    report.tables.append(Table("top_by_type", "Top 3 of each type by PageRank", pd.DataFrame(per_type)))

    in_place = members_by_place(eg.G, ("City", "Region", "Country"))  # once for every roll-up
    by_city = {
        how: rollup_places(eg, scores[PRIMARY], level="City", how=how, members=in_place)
        for how in ("sum", "mean", "max")
    }
    degree_by_city = rollup_places(eg, scores["degree"], level="City", members=in_place)
    city_rows = [
        {
            "city": c,
            "name": eg.display_name(c),
            "pagerank_sum": s,
            "pagerank_mean": by_city["mean"][c],
            "pagerank_max": by_city["max"][c],
            "degree_sum": degree_by_city.get(c, 0.0),
        }
        for c, s in sorted(by_city["sum"].items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    city_frame = pd.DataFrame(city_rows)
    report.tables.append(Table("city_rollup", "Cities by their members' PageRank", city_frame.head(top)))
    for level in ("Region", "Country"):
        rolled = rollup_places(eg, scores[PRIMARY], level=level, members=in_place)
        frame = pd.DataFrame(
            [
                {"place": p, "name": eg.display_name(p), "pagerank_sum": v}
                for p, v in sorted(rolled.items(), key=lambda kv: (-kv[1], kv[0]))
            ]
        )
        report.tables.append(
            Table(f"{level.lower()}_rollup", f"{level}s by their members' PageRank", frame.head(top))
        )
    type_mean = rollup_types(eg, scores[PRIMARY], how="mean")
    report.tables.append(
        Table(
            "type_rollup",
            "Mean PageRank by entity type",
            pd.DataFrame([{"type": t, "mean_pagerank": v} for t, v in type_mean.items()]),
        )
    )
    step("roll-ups")

    density = sorted(
        city_density(eg, as_of=projection.as_of, members=in_place),
        key=lambda r: (-r["entities"], -r["types"], r["city"]),
    )
    report.tables.append(Table("density", "Ecosystem density by city", pd.DataFrame(density[:top])))
    step("density")

    conc_rows = []
    for label, values in (
        ("summed PageRank over cities", by_city["sum"]),
        ("entities over cities", {r["city"]: r["entities"] for r in density}),
    ):
        for top_n in (1, 5):
            stats = concentration(values, top_n=top_n)
            conc_rows.append({"quantity": label, "places": len(values), "top_n": top_n, **stats})
    report.tables.append(Table("concentration", "Concentration over cities", pd.DataFrame(conc_rows)))
    step("concentration")

    communities = find_communities(H, method=community_method, seed=seed)
    comm_rows = []
    for i, group in enumerate(communities.groups[:top]):
        leaders = sorted(group, key=lambda n: (-scores[PRIMARY].get(n, 0.0), n))[:3]
        comm_rows.append(
            {
                "community": i,
                "size": len(group),
                "leading_members": ", ".join(eg.display_name(n) for n in leaders),
            }
        )
    report.tables.append(
        Table(
            "communities",
            f"{communities.method.capitalize()} communities",
            pd.DataFrame(comm_rows),
            note=f"{len(communities.groups)} communities, "
            f"modularity {communities.modularity:.3f} (seed {seed})",
        )
    )
    step("communities")
    talent = talent_table(eg, top)
    if talent is not None:
        report.tables.append(talent)

    top_pr = report.tables[measures.index(PRIMARY)].frame
    report.charts.append(
        Chart(
            "top_pagerank",
            f"Top {len(top_pr)} by PageRank",
            bar_chart(
                [str(x) for x in top_pr["id"]], list(top_pr[PRIMARY]), "Top entities by PageRank", "PageRank"
            ),
        )
    )
    head = city_frame.head(top)
    if not head.empty:
        report.charts.append(
            Chart(
                "city_pagerank",
                "Cities by summed PageRank",
                bar_chart(
                    [str(x) for x in head["city"]],
                    list(head["pagerank_sum"]),
                    "Cities by summed PageRank",
                    "sum of members' PageRank",
                ),
            )
        )
        report.charts.append(
            Chart(
                "lorenz",
                "Lorenz curve of PageRank over cities",
                _lorenz_chart(lorenz_curve(list(by_city["sum"].values())), "PageRank over cities"),
            )
        )
    report.facts = {
        "communities": len(communities.groups),
        "modularity": communities.modularity,
        "cities_with_members": len(by_city["sum"]),
    }
    return report


def talent_table(eg: EcosystemGraph, top: int) -> Table | None:
    """The largest talent corridors between countries (distinct researchers, with intervals),
    when the graph holds counted flows."""
    found = corridors(eg, "Country")
    if not found:
        return None
    rows = []
    for c in found[:top]:
        low, high = c.interval
        rows.append(
            {
                "from": eg.display_name(c.source),
                "to": eg.display_name(c.target),
                "researchers": c.researchers,
                "interval_95": f"{low:.1f}–{high:.1f}",
                "small": "small" if c.small else "",
                "years": f"{c.first_year}–{c.last_year}" if c.first_year is not None else "",
            }
        )
    return Table(
        "talent_corridors",
        "Talent corridors between countries",
        pd.DataFrame(rows),
        note=f"{len(found)} corridors; each researcher counted once per corridor over the years shown; "
        f"95 % exact Poisson interval; 'small': fewer than {SMALL_COUNT} researchers",
    )


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader

    env = Environment(
        loader=PackageLoader("aieco.report", "templates"),
        autoescape=lambda name: name is None or name.endswith(".html.j2"),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = _fmt
    env.filters["md"] = _markdown_text
    return env


def _markdown_text(value: Any) -> str:
    """Text safe inside a Markdown table: no raw HTML, no column breaks, and no Markdown of its own
    (a name like ``![x](http://…/beacon.png)`` or ``[x](http://…)`` stays text: no remote image, no
    link).

    >>> print(_markdown_text("![b](http://x/b.png) <img src=x> a|b"))
    \\!\\[b\\]\\(http://x/b.png\\) &lt;img src=x&gt; a\\|b
    """
    text = re.sub(r"([\\`*_\[\]()!#~|])", r"\\\1", str(value))
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\n", " ")):
        text = text.replace(char, entity)
    return text


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e5 else f"{value:,.0f}"
    return str(value)


def report_files(report: CentralityReport) -> list[str]:
    """The names of the files :func:`write_centrality_report` writes."""
    return [
        *(f"{t.slug}.csv" for t in report.tables),
        *(f"{c.slug}.png" for c in report.charts),
        "report.html",
        "report.md",
    ]


def write_centrality_report(
    report: CentralityReport, out_dir: str | Path, *, force: bool = False
) -> list[Path]:
    """Write report.html, report.md, the chart PNGs and one CSV per table; return the paths.

    Every target is checked before the first write: a file aieco did not write stops the
    whole report (unless ``force``), and nothing is written.
    """
    check_writable_folder(out_dir, report_files(report), force=force)
    out = Path(out_dir)
    env = _environment()
    context = {"report": report, "version": __version__}
    pages = {"report.html": report.to_html(), "report.md": env.get_template("report.md.j2").render(**context)}
    written: list[Path] = []
    with file_set(out):  # the pages, tables and charts appear together, or none changes
        for table in report.tables:
            written.append(write_text(out / f"{table.slug}.csv", frame_csv(table.frame), force=force))
        for chart in report.charts:
            written.append(write_bytes(out / f"{chart.slug}.png", chart.png, force=force))
        for name, text in pages.items():
            written.append(write_text(out / name, text, force=force))
    logger.info("wrote the centrality report to %s", out)
    return written
