"""The Sankey view: talent flows between places as bands from where researchers were to where
they went, each band's width proportional to the researchers it carries.

Like MacroPolo's chart of where researchers studied and where they work: origins on the left,
destinations on the right, at a chosen level (city, region, country, or the entities as the
data give them) and period. A corridor counts each researcher once over the whole period when
the flows list their researchers (OpenAlex pulls), else adds the flows' counts; shares are not
counts and are left out (the page says how many). The picture is an SVG computed in Python: no
script runs on the page.

Examples
--------
>>> import aieco
>>> page = sankey(aieco.graph_from_bundled(), level="Country")
>>> page.meta.view
'sankey'
"""

from __future__ import annotations

import io
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aieco._version import __version__
from aieco.errors import ViewError
from aieco.graph.containment import place_at_level
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.projection import valid_years
from aieco.graph.schema import RelType
from aieco.metrics.corridors import Count
from aieco.viz.builder import FlowRollup
from aieco.viz.elements import label_of
from aieco.viz.network import PageOutput, ViewMeta, content_security_policy, environment

logger = logging.getLogger(__name__)

#: The drawing's width, and the height its bands fill in the fuller column, in SVG units (the
#: drawing scales with the page; it grows taller when a column holds many places).
WIDTH, BANDS_HEIGHT = 1000.0, 560.0
#: The least room a place takes in a column (its name is 12 units tall).
SLOT = 16.0
#: Room for the names left and right of the columns, the columns' width and the gap between nodes.
MARGIN, NODE_WIDTH, NODE_GAP = 230.0, 14.0, 10.0
#: Colours of the origins, in turn (Tableau 20).
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
    "#bab0ac", "#a0cbe8", "#ffbe7d", "#ff9d9a", "#8cd17d", "#b6992d", "#499894", "#d37295", "#d4a6c8",
    "#86bcb6", "#79706e",
)  # fmt: skip


@dataclass
class Band:
    """One corridor: its ends, researchers, years and geometry (SVG units)."""

    source: str
    target: str
    count: float
    years: tuple[int | None, int | None]
    sources: list[str]
    y0: float = 0.0
    y1: float = 0.0
    width: float = 0.0
    color: str = "#888"
    names: tuple[str, str] = ("", "")
    when: str = ""

    @property
    def title(self) -> str:
        """What hovering the band says."""
        return (
            f"{self.names[0]} → {self.names[1]}: {self.count:,.0f} researcher(s), {self.when}; "
            f"source: {', '.join(self.sources) or 'not given'}"
        )

    def path(self) -> str:
        """A ribbon from the left column to the right one, ``width`` tall at both ends."""
        x0, x1 = MARGIN + NODE_WIDTH, WIDTH - MARGIN - NODE_WIDTH
        xm = (x0 + x1) / 2
        w = self.width
        return (
            f"M{x0:.2f},{self.y0:.3f} C{xm:.2f},{self.y0:.3f} {xm:.2f},{self.y1:.3f} {x1:.2f},{self.y1:.3f} "
            f"L{x1:.2f},{self.y1 + w:.3f} C{xm:.2f},{self.y1 + w:.3f} {xm:.2f},{self.y0 + w:.3f} "
            f"{x0:.2f},{self.y0 + w:.3f} Z"
        )


@dataclass
class Column:
    """A place in one column: its id, name, total and where it is drawn."""

    id: str
    name: str
    total: float
    y: float = 0.0
    height: float = 0.0
    color: str = "#666"


@dataclass
class SankeyPage(PageOutput):
    """A Sankey diagram of talent flows, as one offline HTML page (see :func:`sankey`)."""

    meta: ViewMeta
    left: list[Column] = field(default_factory=list)
    right: list[Column] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    unit: float = 0.0
    height: float = BANDS_HEIGHT + 20

    def summary(self) -> str:
        return f"{len(self.bands):,} corridors · {sum(b.count for b in self.bands):,.0f} researchers"

    def to_html(self) -> str:
        page: str = (
            environment()
            .get_template("sankey.html.j2")
            .render(
                csp=content_security_policy([]),
                meta=self.meta,
                page=self,
                width=WIDTH,
                height=self.height,
                margin=MARGIN,
                node_width=NODE_WIDTH,
                version=__version__,
            )
        )
        return page

    def thumbnail_png(self, *, width: float = 4.8, height: float = 3.0, dpi: int = 80) -> bytes:
        """A small picture of the same geometry (matplotlib; for the dashboard)."""
        from matplotlib.figure import Figure
        from matplotlib.patches import PathPatch, Rectangle
        from matplotlib.path import Path as MplPath

        fig = Figure(figsize=(width, height), dpi=dpi)
        ax = fig.subplots()
        x0, x1 = MARGIN + NODE_WIDTH, WIDTH - MARGIN - NODE_WIDTH
        xm = (x0 + x1) / 2
        for b in self.bands:
            w = b.width
            verts = [
                (x0, b.y0), (xm, b.y0), (xm, b.y1), (x1, b.y1), (x1, b.y1 + w),
                (xm, b.y1 + w), (xm, b.y0 + w), (x0, b.y0 + w), (x0, b.y0),
            ]  # fmt: skip
            codes = [
                MplPath.MOVETO,
                *[MplPath.CURVE4] * 3,
                MplPath.LINETO,
                *[MplPath.CURVE4] * 3,
                MplPath.CLOSEPOLY,
            ]
            ax.add_patch(PathPatch(MplPath(verts, codes), facecolor=b.color, alpha=0.55, linewidth=0))
        for x, column in ((MARGIN, self.left), (WIDTH - MARGIN - NODE_WIDTH, self.right)):
            for c in column:
                ax.add_patch(Rectangle((x, c.y), NODE_WIDTH, c.height, color=c.color))
        ax.set_xlim(MARGIN - 20, WIDTH - MARGIN + 20)
        ax.set_ylim(self.height, 0)
        ax.set_axis_off()
        fig.subplots_adjust(0, 0, 1, 1)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", facecolor="white")
        return buffer.getvalue()


def corridors(
    eg: EcosystemGraph, *, level: FlowRollup = "Country", since: int | None = None, until: int | None = None
) -> tuple[dict[tuple[str, str], Band], dict[str, int]]:
    """Researchers per corridor over the period, and what was left out (shares, flows without a
    place at the level, flows inside one place, flows outside the period)."""
    G = eg.G
    skipped: dict[str, int] = defaultdict(int)
    counts: dict[tuple[str, str], Count] = defaultdict(Count)  # each researcher once per corridor
    bands: dict[tuple[str, str], Band] = {}
    for u, v, a in G.edges(data=True):
        if a.get("type") != RelType.TALENT_FLOW.value:
            continue
        start, end = valid_years(a)
        if end is None and a.get("period_end") is None and a.get("year") is not None:
            end = start  # a flow of a year is a move made that year, not a state from then on
        if (since is not None and end is not None and end < since) or (
            until is not None and start is not None and start > until
        ):
            skipped["outside the period"] += 1
            continue
        if a.get("count") is None:
            skipped["a share, not a count"] += 1
            continue
        pu = u if level == "as-is" else place_at_level(G, u, level)
        pv = v if level == "as-is" else place_at_level(G, v, level)
        if not pu or not pv:
            skipped[f"an end with no {level}"] += 1
            continue
        if pu == pv:
            skipped[f"inside one {level}"] += 1
            continue
        band = bands.setdefault((pu, pv), Band(pu, pv, 0.0, (start, end), []))
        firsts = [y for y in (band.years[0], start) if y is not None]
        lasts = [y for y in (band.years[1], end) if y is not None]
        band.years = (min(firsts, default=None), max(lasts, default=None))
        if a.get("source") and a["source"] not in band.sources:
            band.sources.append(str(a["source"]))
        counts[(pu, pv)].add(a)
    for corridor, count in counts.items():
        bands[corridor].count = count.n
    return bands, dict(skipped)


def sankey(
    eg: EcosystemGraph,
    *,
    level: FlowRollup = "Country",
    since: int | None = None,
    until: int | None = None,
    top: int = 40,
) -> SankeyPage:
    """Talent flows between places as a Sankey diagram (origins left, destinations right).

    Parameters
    ----------
    eg
        The ecosystem graph.
    level
        ``City``, ``Region``, ``Country``, or ``as-is`` (the entities the flows join).
    since, until
        The period (inclusive); flows valid in some year of it are counted.
    top
        The largest corridors drawn; the rest are counted on the page.
    """
    if top < 1:
        raise ViewError(f"top must be at least 1; got {top}")
    G = eg.G
    found, skipped = corridors(eg, level=level, since=since, until=until)
    ranked = sorted(found.values(), key=lambda b: (-b.count, b.source, b.target))
    kept = [b for b in ranked[:top] if b.count > 0]
    period = (
        f"{since or '…'}–{until or '…'}"
        if since is not None or until is not None
        else "every year the data give"
    )
    meta = ViewMeta(
        view="sankey",
        title=f"Talent flows by {level.lower() if level != 'as-is' else 'entity'}: where researchers went",
        description=(
            "Each band is a corridor: from the place researchers were affiliated with (left) to the one "
            "they moved to (right), its height proportional to the researchers it carries, each "
            f"researcher counted once per corridor over the period ({period}). Hover a band for its "
            "count, years and sources."
        ),
        stats={
            "corridors drawn": len(kept),
            "researchers in them": f"{sum(b.count for b in kept):,.0f}",
            "level": level,
        },
    )
    if len(ranked) > len(kept):
        rest = ranked[len(kept) :]
        meta.notices.append(
            f"{len(rest):,} smaller corridors ({sum(b.count for b in rest):,.0f} researchers) are not "
            f"drawn; the {len(kept)} largest are (--top to change)."
        )
    for reason, n in sorted(skipped.items()):
        meta.notices.append(f"{n:,} talent flow(s) left out: {reason}.")
    if not kept:
        meta.notices.append(
            "No talent flow with a count to draw: load TALENT_FLOW relationships with counts."
        )
    page = SankeyPage(meta=meta, bands=kept)
    _lay_out(page, G)
    return page


def _lay_out(page: SankeyPage, G: Any) -> None:
    out_total: dict[str, float] = defaultdict(float)
    in_total: dict[str, float] = defaultdict(float)
    for b in page.bands:
        out_total[b.source] += b.count
        in_total[b.target] += b.count
    if not page.bands:
        return
    page.unit = BANDS_HEIGHT / sum(out_total.values())
    colours = {
        p: PALETTE[i % len(PALETTE)] for i, p in enumerate(sorted(out_total, key=lambda p: -out_total[p]))
    }

    def column(totals: dict[str, float]) -> list[Column]:
        out, y = [], 10.0
        for place in sorted(totals, key=lambda p: (-totals[p], p)):
            c = Column(
                place,
                _name(G, place)[:34],
                totals[place],
                y,
                totals[place] * page.unit,
                colours.get(place, "#7f8c8d"),
            )
            out.append(c)
            y += max(c.height + NODE_GAP, SLOT)
        return out

    page.left, page.right = column(out_total), column(in_total)
    page.height = max(c.y + max(c.height, SLOT) for c in page.left + page.right) + 10
    left = {c.id: c.y for c in page.left}
    right = {c.id: c.y for c in page.right}
    rank_right = {c.id: i for i, c in enumerate(page.right)}
    rank_left = {c.id: i for i, c in enumerate(page.left)}
    # bands leave each origin in the order of their destinations, and reach each destination in
    # the order of their origins: no two bands cross at a column
    for b in sorted(page.bands, key=lambda b: (rank_left[b.source], rank_right[b.target])):
        b.width = b.count * page.unit
        b.y0 = left[b.source]
        left[b.source] += b.width
    for b in sorted(page.bands, key=lambda b: (rank_right[b.target], rank_left[b.source])):
        b.y1 = right[b.target]
        right[b.target] += b.width
    for b in page.bands:
        b.color = colours[b.source]
        lo, hi = b.years
        b.when = f"{lo}" if lo == hi else f"{lo or '…'}–{hi or '…'}"
        b.names = (_name(G, b.source), _name(G, b.target))


def _name(G: Any, node: str) -> str:
    return label_of(G.nodes[node], node, limit=80) if node in G else node
