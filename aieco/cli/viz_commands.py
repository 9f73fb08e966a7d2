"""``aieco viz VIEW`` and ``aieco demo``: interactive network views and the demo dashboard."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from aieco.atomic import check_writable_file, check_writable_folder
from aieco.cli.options import DataOpt, ForceOpt, SeedOpt, SyntheticOpt, WithBundledOpt, load_graph
from aieco.cli.output import note, open_in_browser, say, step_progress
from aieco.errors import ViewError
from aieco.graph.schema import MAX_YEAR, MIN_YEAR
from aieco.viz.builder import DEFAULT_MAX_NODES, CollabWeight, FlowRollup, SizeBy, ViewName


def viz(
    view: Annotated[ViewName, typer.Argument(help="Which view to draw.")],
    out_file: Annotated[
        Path | None, typer.Option("--out", "-o", help="The HTML file to write (default: VIEW.html).")
    ] = None,
    city: Annotated[
        str | None, typer.Option("--city", help="city view: the city, by any name in any script.")
    ] = None,
    depth: Annotated[int, typer.Option("--depth", min=1, max=4, help="city view: how many hops out.")] = 2,
    plan: Annotated[str | None, typer.Option("--plan", help="plans view: only this plan.")] = None,
    ranking: Annotated[
        str | None, typer.Option("--ranking", help="rankings view: only this ranking.")
    ] = None,
    size_by: Annotated[SizeBy, typer.Option("--size-by", help="Centrality that sizes nodes.")] = "pagerank",
    max_nodes: Annotated[
        int, typer.Option("--max-nodes", min=1, help="Above this many entities, keep the most central.")
    ] = DEFAULT_MAX_NODES,
    level: Annotated[
        FlowRollup | None,
        typer.Option(
            "--level",
            help="talent view: draw flows between places at this level (default as-is); sankey: the "
            "places the bands join (default Country).",
        ),
    ] = None,
    since: Annotated[
        int | None,
        typer.Option("--since", min=MIN_YEAR, max=MAX_YEAR, help="sankey: first year of the period."),
    ] = None,
    until: Annotated[
        int | None,
        typer.Option("--until", min=MIN_YEAR, max=MAX_YEAR, help="sankey: last year of the period."),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", min=1, help="sankey: how many of the largest corridors to draw.")
    ] = 40,
    aggregate: Annotated[
        bool | None,
        typer.Option(
            "--aggregate/--no-aggregate",
            help="overview: group entities by place and type (default: when more than 5,000, with the "
            "full view written beside it).",
        ),
    ] = None,
    collaboration: Annotated[
        CollabWeight,
        typer.Option(
            "--collaboration", help="overview, city: collaborations by joint works or association strength."
        ),
    ] = "count",
    as_of: Annotated[
        int | None,
        typer.Option("--as-of", min=MIN_YEAR, max=MAX_YEAR, help="Draw the ecosystem as of this year only."),
    ] = None,
    open_: Annotated[bool, typer.Option("--open", help="Open the page in your browser.")] = False,
    synthetic: SyntheticOpt = None,
    seed: SeedOpt = 0,
    data: DataOpt = None,
    with_bundled: WithBundledOpt = False,
    force: ForceOpt = False,
) -> None:
    """Write one view as a self-contained HTML page (works offline).

    Examples: [bold]aieco viz overview --out overview.html --open[/bold] ·
    [bold]aieco viz city --city 合肥 --depth 2[/bold] ·
    [bold]aieco viz rankings --ranking "Forbes AI 50"[/bold] ·
    [bold]aieco viz geo --data my_cities.csv --with-bundled[/bold] ·
    [bold]aieco viz overview --synthetic 20000 --aggregate[/bold] ·
    [bold]aieco viz overview --as-of 2018[/bold] ·
    [bold]aieco viz sankey --level Country --since 2015[/bold]
    """
    from aieco.viz.registry import VIEWS, build_view

    target = check_writable_file(out_file or Path(f"{view}.html"), force=force)
    given: dict[str, Any] = {
        "size_by": size_by,
        "max_nodes": max_nodes,
        "city": city,
        "depth": depth,
        "plan": plan,
        "ranking": ranking,
        "level": level,
        "degrade": None if aggregate is None else "aggregate" if aggregate else "top-k",
        "since": since,
        "until": until,
        "top": top,
        "collaboration": collaboration,
    }
    try:
        options = VIEWS[view].accepted(given)
    except ViewError as exc:
        raise typer.BadParameter(str(exc)) from None
    eg = load_graph(data, with_bundled, synthetic=synthetic, seed=seed)
    net = build_view(eg, view, as_of=as_of, **options)
    net.write(target, force=force)
    for notice in net.meta.notices:
        note(notice)
    say(f"wrote {target} ({net.summary()})")
    for text, name in net.meta.links:
        say(f"wrote {target.with_name(name)} (the {text}), linked from it")
    if open_:
        open_in_browser(target)


def demo(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for the dashboard.")] = Path(
        "aieco-demo"
    ),
    report: Annotated[
        bool, typer.Option("--report/--no-report", help="Also write the centrality report.")
    ] = True,
    open_: Annotated[bool, typer.Option("--open", help="Open index.html in your browser.")] = False,
    data: DataOpt = None,
    with_bundled: WithBundledOpt = False,
    force: ForceOpt = False,
) -> None:
    """Load the data, write every view, the centrality report and an index.html dashboard.

    Examples: [bold]aieco demo[/bold] · [bold]aieco demo --out site/ --open[/bold] ·
    [bold]aieco demo --data my_data/ --with-bundled --no-report[/bold]
    """
    from aieco.viz.dashboard import write_demo

    check_writable_folder(out_dir)
    eg = load_graph(data, with_bundled)
    with step_progress("views") as advance:
        written = write_demo(eg, out_dir, with_report=report, force=force, progress=advance)
    index = written[-1]
    say(f"wrote {len(written)} files to {out_dir} (open {index})")
    if open_:
        open_in_browser(index)


#: The commands this module adds to the root of ``aieco``.
COMMANDS = (viz, demo)
