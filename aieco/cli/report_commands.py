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
from aieco.graph.schema import MAX_YEAR, MIN_YEAR, NameScript, PlaceLevel
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


@report_app.command("ecosystem")
def report_ecosystem(
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for report.html, report.md, CSVs.")
    ] = Path("aieco-ecosystem"),
    level: Annotated[PlaceLevel, typer.Option("--level", help="The places ranked and grouped.")] = "City",
    top: Annotated[int, typer.Option("--top", "-k", min=1, help="Rows per ranking table.")] = 15,
    index: Annotated[
        Path | None,
        typer.Option("--index", help="A TOML file: [weights] indicator = weight, normalisation = ..."),
    ] = None,
    groups: Annotated[
        int | None, typer.Option("--groups", min=1, help="Place groups (default: by silhouette).")
    ] = None,
    draws: Annotated[int, typer.Option("--draws", min=1, help="Monte Carlo draws of the rank ranges.")] = 500,
    script: Annotated[
        NameScript, typer.Option("--script", help="Names in this script where an entity has one.")
    ] = "en",
    as_of: Annotated[
        int | None, typer.Option("--as-of", min=MIN_YEAR, max=MAX_YEAR, help="Only facts valid in this year.")
    ] = None,
    burst_s: Annotated[
        float, typer.Option("--burst-s", min=1.01, help="Rising table: Kleinberg's s (burst rate over base).")
    ] = 2.0,
    burst_gamma: Annotated[
        float, typer.Option("--burst-gamma", min=0.0, help="Rising table: Kleinberg's γ (cost of a burst).")
    ] = 1.0,
    seed: SeedOpt = 0,
    data: DataOpt = None,
    with_bundled: WithBundledOpt = False,
    force: ForceOpt = False,
) -> None:
    """Write the ecosystem report: organisations ranked on the organisation network, places by what
    they hold and how it connects (with rank ranges), a place typology, rising places, collaboration
    strength and talent corridors.

    Examples: [bold]aieco report ecosystem --out eco/[/bold] ·
    [bold]aieco report ecosystem --level Country --data pull/ --with-bundled[/bold] ·
    [bold]aieco report ecosystem --index my-index.toml --script zh_hans[/bold]
    """
    from aieco.metrics.robustness import Normalisation, read_index
    from aieco.report import write_centrality_report
    from aieco.report.ecosystem_report import build_ecosystem_report

    check_writable_folder(out_dir)
    weights: dict[str, float] | None = None
    normalisation: Normalisation = "minmax"
    if index is not None:
        weights, normalisation = read_index(index)
    eg = load_graph(data, with_bundled)
    report = build_ecosystem_report(
        eg,
        level=level,
        top=top,
        index=weights,
        normalisation=normalisation,
        groups=groups,
        draws=draws,
        script=script,
        as_of=as_of,
        burst_s=burst_s,
        burst_gamma=burst_gamma,
        seed=seed,
    )
    written = write_centrality_report(report, out_dir, force=force)
    say(f"wrote {len(written)} files to {out_dir} (open {out_dir / 'report.html'})")
