"""``aieco report centrality``: the centrality report as HTML, Markdown and CSV."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from aieco.atomic import check_writable_folder
from aieco.cli.options import DataOpt, ForceOpt, SeedOpt, SyntheticOpt, WithBundledOpt, load_graph
from aieco.cli.output import say, step_progress
from aieco.graph.projection import ProjectionName
from aieco.graph.schema import MAX_YEAR, MIN_YEAR
from aieco.metrics.communities import CommunityMethod
from aieco.metrics.engines import MetricEngine

report_app = typer.Typer(
    help="Reports computed from the graph and its metrics.\n\nExample: aieco report centrality --out report/",
    no_args_is_help=True,
)


@report_app.command("centrality")
def report_centrality(
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for report.html, report.md, CSVs.")
    ] = Path("aieco-report"),
    top: Annotated[int, typer.Option("--top", "-k", min=1, help="Rows per ranking table.")] = 15,
    as_of: Annotated[
        int | None,
        typer.Option(
            "--as-of",
            min=MIN_YEAR,
            max=MAX_YEAR,
            help="Only facts valid in this year (where the data has years).",
        ),
    ] = None,
    projection: Annotated[
        ProjectionName, typer.Option("--projection", "-p", help="Which nodes and relationships count.")
    ] = "all",
    engine: Annotated[MetricEngine, typer.Option("--engine", help="Centrality engine.")] = "auto",
    betweenness_k: Annotated[
        int | None,
        typer.Option("--betweenness-k", min=2, help="Estimate betweenness from k sampled sources."),
    ] = None,
    communities: Annotated[
        CommunityMethod, typer.Option("--communities", help="leiden (igraph; the default) or louvain.")
    ] = "leiden",
    synthetic: SyntheticOpt = None,
    seed: SeedOpt = 0,
    data: DataOpt = None,
    with_bundled: WithBundledOpt = False,
    force: ForceOpt = False,
) -> None:
    """Write the centrality report: top entities per measure and type, city/region/country
    roll-ups, density, concentration (with a Lorenz curve), communities, provenance.

    Examples: [bold]aieco report centrality --out report/[/bold] ·
    [bold]aieco report centrality --as-of 2020 --projection organisations[/bold] ·
    [bold]aieco report centrality --synthetic 100000 --betweenness-k 64[/bold]
    """
    from aieco.graph.projection import PROJECTIONS
    from aieco.report import build_centrality_report, write_centrality_report

    check_writable_folder(out_dir)
    chosen = dataclasses.replace(PROJECTIONS[projection], as_of=as_of)
    eg = load_graph(data, with_bundled, synthetic=synthetic, seed=seed)
    with step_progress("metrics") as advance:
        report = build_centrality_report(
            eg,
            projection=chosen,
            top=top,
            engine=engine,
            betweenness_k=betweenness_k,
            community_method=communities,
            progress=advance,
        )
    written = write_centrality_report(report, out_dir, force=force)
    say(f"wrote {len(written)} files to {out_dir} (open {out_dir / 'report.html'})")
