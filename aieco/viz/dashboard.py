"""``aieco demo``: every view, the centrality report and an ``index.html`` linking them.

The dashboard is the top of the stack: it builds views (:mod:`aieco.viz.views`) and, when
asked, the centrality report (:mod:`aieco.report`); it never reads sources itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aieco._version import __version__
from aieco.atomic import ensure_folder, write_bytes, write_text
from aieco.graph.ecosystem import EcosystemGraph
from aieco.viz.network import environment
from aieco.viz.thumbnail import thumbnail_png
from aieco.viz.views import build_view

logger = logging.getLogger(__name__)

#: Called as each step finishes: (step name, steps done, steps in all).
DemoProgress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DemoView:
    """One view of the dashboard: its file stem, view name and options."""

    slug: str
    view: str
    options: dict[str, Any] = field(default_factory=dict)


#: The views ``aieco demo`` writes on the bundled data.
DEMO_VIEWS: tuple[DemoView, ...] = (
    DemoView("overview", "overview"),
    DemoView("city-hefei", "city", {"city": "hefei", "depth": 2}),
    DemoView("talent", "talent"),
    DemoView("plans", "plans"),
    DemoView("geo", "geo"),
    DemoView("rankings", "rankings"),
)


@dataclass
class DashboardCard:
    """What index.html says about one page."""

    href: str
    title: str
    description: str
    stats: str
    thumbnail: str | None = None
    notices: list[str] = field(default_factory=list)


def write_demo(
    eg: EcosystemGraph,
    out_dir: str | Path,
    *,
    views: tuple[DemoView, ...] = DEMO_VIEWS,
    with_report: bool = True,
    progress: DemoProgress | None = None,
) -> list[Path]:
    """Write every view, the centrality report and the dashboard into ``out_dir``.

    Returns
    -------
    The files written, index.html last.
    """
    out = Path(out_dir)
    ensure_folder(out / "thumbs")
    steps = len(views) + (1 if with_report else 0) + 1
    done = 0

    def step(name: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(name, done, steps)

    written: list[Path] = []
    cards: list[DashboardCard] = []
    for spec in views:
        net = build_view(eg, spec.view, **spec.options)
        written.append(net.write(out / f"{spec.slug}.html"))
        thumb = out / "thumbs" / f"{spec.slug}.png"
        written.append(write_bytes(thumb, thumbnail_png(net)))
        cards.append(
            DashboardCard(
                href=f"{spec.slug}.html",
                title=net.meta.title,
                description=net.meta.description,
                stats=f"{len(net.nodes):,} nodes · {len(net.edges):,} edges",
                thumbnail=f"thumbs/{spec.slug}.png",
                notices=list(net.meta.notices),
            )
        )
        step(spec.slug)
    if with_report:
        from aieco.report import build_centrality_report, write_centrality_report

        report = build_centrality_report(eg)
        written += write_centrality_report(report, out / "report")
        cards.append(
            DashboardCard(
                href="report/report.html",
                title="Centrality report",
                description=(
                    "Who is central, by degree, betweenness, closeness, eigenvector and PageRank; "
                    "roll-ups by city, region and country; density per city; concentration with a "
                    "Lorenz curve; communities; and the provenance of every figure."
                ),
                stats="HTML, Markdown and CSV",
                thumbnail="report/top_pagerank.png"
                if (out / "report" / "top_pagerank.png").exists()
                else None,
            )
        )
        step("report")
    summary = eg.summary()
    html = (
        environment()
        .get_template("dashboard.html.j2")
        .render(
            cards=cards,
            summary=summary,
            version=__version__,
            created=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )
    )
    index = write_text(out / "index.html", html)
    written.append(index)
    step("index")
    logger.info("wrote the dashboard to %s", index)
    return written
