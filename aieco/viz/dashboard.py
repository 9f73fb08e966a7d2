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
from aieco.atomic import check_writable_folder, file_set, write_bytes, write_text
from aieco.graph.ecosystem import EcosystemGraph
from aieco.viz.network import environment
from aieco.viz.registry import build_view, thumbnail_of

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
    force: bool = False,
    progress: DemoProgress | None = None,
) -> list[Path]:
    """Write every view, the centrality report and the dashboard into ``out_dir``.

    Everything is built first and every target checked (a file aieco did not write stops the
    demo unless ``force``); only then is anything written, so a failure leaves nothing behind.

    Returns
    -------
    The files written, index.html last.
    """
    out = Path(out_dir)
    steps = len(views) + (1 if with_report else 0) + 1
    done = 0

    def step(name: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(name, done, steps)

    built = []
    cards: list[DashboardCard] = []
    for spec in views:
        net = build_view(eg, spec.view, **spec.options)
        built.append((spec, net, thumbnail_of(net)))
        cards.append(
            DashboardCard(
                href=f"{spec.slug}.html",
                title=net.meta.title,
                description=net.meta.description,
                stats=net.summary(),
                thumbnail=f"thumbs/{spec.slug}.png",
                notices=list(net.meta.notices),
            )
        )
        step(spec.slug)
    report = None
    if with_report:
        from aieco.report import build_centrality_report
        from aieco.report.centrality_report import report_files

        report = build_centrality_report(eg)
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
                if any(c.slug == "top_pagerank" for c in report.charts)
                else None,
            )
        )
        step("report")
    html = (
        environment()
        .get_template("dashboard.html.j2")
        .render(
            cards=cards,
            summary=eg.summary(),
            version=__version__,
            created=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )
    )
    targets = [f"{spec.slug}.html" for spec in views] + [f"thumbs/{spec.slug}.png" for spec in views]
    if report is not None:
        targets += [f"report/{name}" for name in report_files(report)]
    check_writable_folder(out, [*targets, "index.html"], force=force)
    written: list[Path] = []
    with file_set(out):  # pages, thumbnails, report and index appear together, or none changes
        for spec, net, png in built:
            written.append(net.write(out / f"{spec.slug}.html", force=force))
            written.append(write_bytes(out / "thumbs" / f"{spec.slug}.png", png, force=force))
        if report is not None:
            from aieco.report import write_centrality_report

            written += write_centrality_report(report, out / "report", force=force)
        index = write_text(out / "index.html", html, force=force)
        written.append(index)
    step("index")
    logger.info("wrote the dashboard to %s", index)
    return written
