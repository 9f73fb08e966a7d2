"""The ``aieco`` command line.

Every command prints a one-line error and exits non-zero on bad input (exit code 1), on
a missing server (exit code 3), or on bad usage (exit code 2); tracebacks are shown only
with ``--verbose``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.table import Table

from aieco._version import __version__
from aieco.errors import AiecoError, DataValidationError, Neo4jError
from aieco.graph.ecosystem import EcosystemGraph

P = ParamSpec("P")
T = TypeVar("T")

app = typer.Typer(
    name="aieco",
    help="aieco: a graph database of the AI innovation ecosystem.\n\nExample: aieco info --format json",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)


class _State:
    verbose = False


class OutputFormat(StrEnum):
    """Output formats of the summary commands."""

    table = "table"
    json = "json"


class ExportFmt(StrEnum):
    """Export formats."""

    json = "json"
    graphml = "graphml"
    csv = "csv"


def _error(message: str) -> None:
    """Print a one-line error (never wrapped, never read as markup)."""
    err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True, highlight=False)


def handle_errors(func: Callable[P, T]) -> Callable[P, T]:
    """Turn aieco errors into a one-line message and a non-zero exit code."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return func(*args, **kwargs)
        except DataValidationError as exc:
            more = len(exc.problems) > 1 and not _State.verbose
            _error(exc.first_line() + ("; --verbose lists them all" if more else ""))
            if _State.verbose:
                for problem in exc.problems:
                    err.print(f"  - {problem}", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except Neo4jError as exc:
            _error(str(exc))
            raise typer.Exit(3) from None
        except AiecoError as exc:
            _error(str(exc))
            if _State.verbose:
                err.print_exception()
            raise typer.Exit(1) from None

    return wrapper


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress and show details.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    """aieco: a graph database of the AI innovation ecosystem."""
    if version:
        out.print(f"aieco {__version__}")
        raise typer.Exit()
    _State.verbose = verbose
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=err, show_path=False)],
        force=True,
    )


DataOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        "-d",
        help="Load these CSV/JSON files or folders instead of the bundled dataset (repeatable).",
    ),
]
WithBundledOpt = Annotated[
    bool, typer.Option("--with-bundled", help="Load --data files on top of the bundled dataset.")
]


def load_graph(data: list[Path] | None, with_bundled: bool = False) -> EcosystemGraph:
    """Load the graph a command works on: the bundled dataset and/or users' files."""
    from aieco.loaders import graph_from_bundled, graph_from_files

    if not data:
        return graph_from_bundled()
    if with_bundled:
        return graph_from_bundled(extra=data)
    return graph_from_files(data)


@contextlib.contextmanager
def _step_progress(first: str) -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar fed by aieco's (step, done, total) progress callbacks."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err) as bar:
        task = bar.add_task(first, total=None)

        def advance(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        yield advance


def _print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")


def _counts_table(title: str, counts: dict[str, int]) -> Table:
    table = Table(title=title)
    table.add_column("type")
    table.add_column("count", justify="right")
    for name, count in counts.items():
        table.add_row(name, str(count))
    return table


@app.command()
@handle_errors
def load(
    paths: Annotated[list[Path] | None, typer.Argument(help="CSV/JSON files or folders.")] = None,
    with_bundled: WithBundledOpt = False,
) -> None:
    """Validate a dataset and summarise it; nothing is loaded if anything is wrong.

    Examples: [bold]aieco load[/bold] (the bundled data) ·
    [bold]aieco load my-data/[/bold] · [bold]aieco load extra.csv --with-bundled[/bold]
    """
    eg = load_graph(paths, with_bundled)
    summary = eg.summary()
    files = ", ".join(summary["files"]) or "(bundled)"
    out.print(
        f"[green]ok[/green]: {summary['entities']} entities, {summary['relationships']} "
        f"relationships, {summary['observations']} observations, {summary['sources']} sources "
        f"from {files}",
        highlight=False,
    )


@app.command()
@handle_errors
def info(
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json.")] = OutputFormat.table,
    data: DataOpt = None,
    with_bundled: WithBundledOpt = False,
) -> None:
    """Counts by node and edge type, source coverage and the sources themselves.

    Examples: [bold]aieco info[/bold] · [bold]aieco info --format json[/bold] ·
    [bold]aieco info -d my-data/[/bold]
    """
    summary = load_graph(data, with_bundled).summary()
    if fmt is OutputFormat.json:
        _print_json(summary)
        return
    out.print(
        f"[bold]{summary['name']}[/bold] (aieco {summary['aieco_version']}, loaded {summary['created']})"
    )
    out.print(
        f"{summary['entities']} entities · {summary['relationships']} relationships · "
        f"{summary['observations']} observations · {summary['sources']} sources"
    )
    cov = summary["with_source"]
    out.print(
        "with a source: " + ", ".join(f"{k} {v:.0%}" for k, v in cov.items()),
        highlight=False,
    )
    out.print(_counts_table("Nodes by type", summary["node_types"]))
    out.print(_counts_table("Edges by type", summary["edge_types"]))
    sources = Table(title="Sources")
    for col in ("id", "title", "facts"):
        sources.add_column(col, justify="right" if col == "facts" else "left")
    for sid, meta in summary["source_facts"].items():
        sources.add_row(sid, str(meta["title"] or ""), str(meta["facts"]))
    out.print(sources)


@app.command()
@handle_errors
def search(
    text: Annotated[str, typer.Argument(help="A name in any script: iFlytek, 科大讯飞, 科大訊飛.")],
    node_type: Annotated[
        list[str] | None, typer.Option("--type", "-t", help="Only this entity type (repeatable).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many hits.")] = 20,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json.")] = OutputFormat.table,
    data: DataOpt = None,
    with_bundled: WithBundledOpt = False,
) -> None:
    """Find entities by any of their names or aliases, in any script.

    Examples: [bold]aieco search 科大訊飛[/bold] · [bold]aieco search "Bay Area" --format json[/bold] ·
    [bold]aieco search 深圳 --type City[/bold]
    """
    eg = load_graph(data, with_bundled)
    hits = eg.search(text, types=node_type, limit=limit)
    if fmt is OutputFormat.json:
        rows = []
        for hit in hits:
            attrs = eg.node(hit.id)
            rows.append(
                {
                    "id": hit.id,
                    "type": hit.type,
                    "matched": hit.matched,
                    "matched_field": hit.field,
                    "score": hit.score,
                    **{
                        k: attrs.get(k)
                        for k in ("name_en", "name_zh_hans", "name_zh_hant", "name_ja", "aliases", "source")
                    },
                }
            )
        _print_json(rows)
        return
    if not hits:
        err.print(f"no entity matches {text!r}")
        raise typer.Exit(1)
    table = Table(title=f"Entities matching {text!r}")
    for col in ("id", "type", "name", "matched"):
        table.add_column(col)
    for hit in hits:
        table.add_row(hit.id, hit.type, eg.display_name(hit.id), f"{hit.matched} ({hit.field})")
    out.print(table)


@app.command()
@handle_errors
def export(
    fmt: Annotated[ExportFmt, typer.Option("--format", "-f", help="json (node-link), graphml or csv.")],
    out_path: Annotated[Path, typer.Option("--out", "-o", help="Output file (a folder for csv).")],
    data: DataOpt = None,
    with_bundled: WithBundledOpt = False,
) -> None:
    """Export the graph: NetworkX node-link JSON, GraphML, or aieco's CSV tables.

    JSON and CSV exports load back unchanged with [bold]aieco load[/bold].

    Examples: [bold]aieco export --format json --out aieco.json[/bold] ·
    [bold]aieco export -f csv -o tables/[/bold]
    """
    from aieco.graph.io import export_graph

    written = export_graph(load_graph(data, with_bundled), out_path, fmt=fmt.value)
    for path in written:
        out.print(f"wrote {path}", highlight=False)


# ---- report -------------------------------------------------------------------------------
report_app = typer.Typer(
    help="Reports computed from the graph and its metrics.\n\nExample: aieco report centrality --out report/",
    no_args_is_help=True,
)
app.add_typer(report_app, name="report")


class EngineChoice(StrEnum):
    """Centrality engines."""

    auto = "auto"
    networkx = "networkx"
    igraph = "igraph"


@report_app.command("centrality")
@handle_errors
def report_centrality(
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for report.html, report.md, CSVs.")
    ] = Path("aieco-report"),
    top: Annotated[int, typer.Option("--top", "-k", min=1, help="Rows per ranking table.")] = 15,
    as_of: Annotated[
        int | None, typer.Option("--as-of", help="Only facts valid in this year (where the data has years).")
    ] = None,
    projection: Annotated[
        str, typer.Option("--projection", "-p", help="all, organisations, places, directed or talent.")
    ] = "all",
    engine: Annotated[EngineChoice, typer.Option("--engine", help="Centrality engine.")] = EngineChoice.auto,
    betweenness_k: Annotated[
        int | None,
        typer.Option("--betweenness-k", min=2, help="Estimate betweenness from k sampled sources."),
    ] = None,
    synthetic: Annotated[int | None, typer.Option("--synthetic", help="Report on a synthetic graph.")] = None,
    data: DataOpt = None,
    with_bundled: WithBundledOpt = False,
) -> None:
    """Write the centrality report: top entities per measure and type, city/region/country
    roll-ups, density, concentration (with a Lorenz curve), communities, provenance.

    Examples: [bold]aieco report centrality --out report/[/bold] ·
    [bold]aieco report centrality --as-of 2020 --projection organisations[/bold] ·
    [bold]aieco report centrality --synthetic 100000 --betweenness-k 64[/bold]
    """
    import dataclasses

    from aieco.graph.projection import PROJECTIONS
    from aieco.loaders import graph_from_synthetic
    from aieco.report import build_centrality_report, write_centrality_report

    if projection not in PROJECTIONS:
        raise typer.BadParameter(f"choose one of {', '.join(PROJECTIONS)}", param_hint="--projection")
    chosen = dataclasses.replace(PROJECTIONS[projection], as_of=as_of)
    eg = graph_from_synthetic(synthetic, seed=0) if synthetic else load_graph(data, with_bundled)
    with _step_progress("metrics") as advance:
        report = build_centrality_report(
            eg, projection=chosen, top=top, engine=engine.value, betweenness_k=betweenness_k, progress=advance
        )
    written = write_centrality_report(report, out_dir)
    out.print(f"wrote {len(written)} files to {out_dir} (open {out_dir / 'report.html'})", highlight=False)


# ---- viz and demo -------------------------------------------------------------------------
class ViewChoice(StrEnum):
    """The network views."""

    overview = "overview"
    city = "city"
    talent = "talent"
    plans = "plans"
    geo = "geo"
    rankings = "rankings"


class SizeChoice(StrEnum):
    """Centrality measures that size nodes."""

    pagerank = "pagerank"
    degree = "degree"
    betweenness = "betweenness"
    eigenvector = "eigenvector"
    closeness = "closeness"
    harmonic = "harmonic"


def _open_in_browser(path: Path) -> None:
    import webbrowser

    webbrowser.open(path.resolve().as_uri())


@app.command()
@handle_errors
def viz(
    view: Annotated[ViewChoice, typer.Argument(help="Which view to draw.")],
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
    size_by: Annotated[SizeChoice, typer.Option("--size-by", help="Centrality that sizes nodes.")] = (
        SizeChoice.pagerank
    ),
    max_nodes: Annotated[
        int, typer.Option("--max-nodes", min=1, help="Above this many entities, keep the most central.")
    ] = 1000,
    aggregate: Annotated[
        bool, typer.Option("--aggregate", help="overview: group entities by city and type when too many.")
    ] = False,
    open_: Annotated[bool, typer.Option("--open", help="Open the page in your browser.")] = False,
    synthetic: Annotated[
        int | None, typer.Option("--synthetic", help="Draw a synthetic graph of N nodes.")
    ] = None,
    data: DataOpt = None,
    with_bundled: WithBundledOpt = False,
) -> None:
    """Write one interactive network view as a self-contained HTML page (works offline).

    Examples: [bold]aieco viz overview --out overview.html --open[/bold] ·
    [bold]aieco viz city --city 合肥 --depth 2[/bold] ·
    [bold]aieco viz rankings --ranking "Forbes AI 50"[/bold] ·
    [bold]aieco viz geo --data my_cities.csv --with-bundled[/bold] ·
    [bold]aieco viz overview --synthetic 20000 --aggregate[/bold]
    """
    from aieco.loaders import graph_from_synthetic
    from aieco.viz import build_view

    options: dict[str, Any] = {"size_by": size_by.value, "max_nodes": max_nodes}
    if view is ViewChoice.city:
        if not city:
            raise typer.BadParameter("the city view needs --city NAME", param_hint="--city")
        options.update(city=city, depth=depth)
    elif view is ViewChoice.plans and plan:
        options["plan"] = plan
    elif view is ViewChoice.rankings and ranking:
        options["ranking"] = ranking
    elif view is ViewChoice.overview and aggregate:
        options["degrade"] = "aggregate"
    eg = graph_from_synthetic(synthetic, seed=0) if synthetic else load_graph(data, with_bundled)
    net = build_view(eg, view.value, **options)
    target = net.write(out_file or Path(f"{view.value}.html"))
    for notice in net.meta.notices:
        err.print(f"[yellow]note:[/yellow] {escape(notice)}", soft_wrap=True, highlight=False)
    out.print(f"wrote {target} ({len(net.nodes):,} nodes, {len(net.edges):,} edges)", highlight=False)
    if open_:
        _open_in_browser(target)


@app.command()
@handle_errors
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
) -> None:
    """Load the data, write every view, the centrality report and an index.html dashboard.

    Examples: [bold]aieco demo[/bold] · [bold]aieco demo --out site/ --open[/bold] ·
    [bold]aieco demo --data my_data/ --with-bundled --no-report[/bold]
    """
    from aieco.viz.dashboard import write_demo

    eg = load_graph(data, with_bundled)
    with _step_progress("views") as advance:
        written = write_demo(eg, out_dir, with_report=report, progress=advance)
    index = written[-1]
    out.print(f"wrote {len(written)} files to {out_dir} (open {index})", highlight=False)
    if open_:
        _open_in_browser(index)


# ---- query --------------------------------------------------------------------------------
query_app = typer.Typer(
    help="The predefined query catalogue, on NetworkX (default) or Neo4j.\n\n"
    "Example: aieco query run concentration --param ranking=forbes-ai50-2023 --param level=Region",
    no_args_is_help=True,
)
app.add_typer(query_app, name="query")


class ListFormat(StrEnum):
    """Formats of `aieco query list`."""

    table = "table"
    json = "json"
    markdown = "markdown"


class RunFormat(StrEnum):
    """Formats of `aieco query run`."""

    table = "table"
    csv = "csv"
    json = "json"


class EngineName(StrEnum):
    """Query engines."""

    networkx = "networkx"
    neo4j = "neo4j"


def catalogue_markdown() -> str:
    """The catalogue as a Markdown table (the README's copy is generated from this)."""
    from aieco.queries import CATALOGUE

    lines = ["| query | question | parameters (defaults) |", "|---|---|---|"]
    for name, q in sorted(CATALOGUE.items()):
        params = ", ".join(f"`{p.name}`={p.default!r}" for p in q.params) or "—"
        lines.append(f"| `{name}` | {q.question} | {params} |")
    return "\n".join(lines) + "\n"


@query_app.command("list")
@handle_errors
def query_list(
    fmt: Annotated[
        ListFormat, typer.Option("--format", "-f", help="table, json or markdown.")
    ] = ListFormat.table,
) -> None:
    """List the predefined queries and the question each answers.

    Examples: [bold]aieco query list[/bold] · [bold]aieco query list --format markdown[/bold]
    """
    from aieco.queries import CATALOGUE

    if fmt is ListFormat.markdown:
        sys.stdout.write(catalogue_markdown())
        return
    if fmt is ListFormat.json:
        _print_json(
            [
                {
                    "name": n,
                    "question": q.question,
                    "params": [p.name for p in q.params],
                    "columns": list(q.columns),
                }
                for n, q in sorted(CATALOGUE.items())
            ]
        )
        return
    table = Table(title=f"{len(CATALOGUE)} predefined queries")
    table.add_column("query")
    table.add_column("question")
    for name, q in sorted(CATALOGUE.items()):
        table.add_row(name, q.question)
    out.print(table)


@query_app.command("show")
@handle_errors
def query_show(name: Annotated[str, typer.Argument(help="Query name (aieco query list).")]) -> None:
    """Show a query: its question, parameters, result columns and Cypher text.

    Example: [bold]aieco query show indicator_trend[/bold]
    """
    from aieco.queries import get_query

    q = get_query(name)
    out.print(f"[bold]{q.name}[/bold]: {escape(q.question)}")
    table = Table(title="parameters")
    for col in ("name", "type", "default", "help"):
        table.add_column(col)
    for p in q.params:
        choices = ", ".join(c or "''" for c in p.choices)
        kind = f"{p.type} ({choices})" if p.choices else p.type
        table.add_row(p.name, kind, repr(p.default), p.help)
    out.print(table)
    out.print(f"columns: {', '.join(q.columns)}", highlight=False)
    out.print("cypher:", highlight=False)
    out.print(q.cypher, markup=False, highlight=False)


@query_app.command("run")
@handle_errors
def query_run(
    name: Annotated[str, typer.Argument(help="Query name (aieco query list).")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="k=v, repeatable.")] = None,
    engine: Annotated[
        EngineName, typer.Option("--engine", "-e", help="networkx or neo4j.")
    ] = EngineName.networkx,
    fmt: Annotated[RunFormat, typer.Option("--format", "-f", help="table, csv or json.")] = RunFormat.table,
    out_file: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the result to this file.")
    ] = None,
    data: DataOpt = None,
    with_bundled: WithBundledOpt = False,
    uri: UriOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Run a predefined query on NetworkX (default, no server) or on Neo4j.

    Examples: [bold]aieco query run indicator_trend -p subjects=beijing,shenzhen[/bold] ·
    [bold]aieco query run concentration -p ranking=forbes-ai50-2023 -f json[/bold] ·
    [bold]aieco query run top_by_degree --engine neo4j -o top.csv -f csv[/bold]
    """
    from aieco.queries import run_query

    params: dict[str, Any] = {}
    for text in param or []:
        if "=" not in text:
            raise typer.BadParameter(f"{text!r} is not key=value", param_hint="--param")
        key, value = text.split("=", 1)
        params[key.strip()] = value
    if engine is EngineName.neo4j:
        from aieco.graph.neo4j_store import Neo4jStore

        with Neo4jStore(_settings(uri, user, password, database)) as store:
            frame = run_query(name, params, engine="neo4j", store=store)
    else:
        frame = run_query(name, params, engine="networkx", graph=load_graph(data, with_bundled))
    if fmt is RunFormat.csv:
        text = frame.to_csv(index=False)
    elif fmt is RunFormat.json:
        text = frame.to_json(orient="records", force_ascii=False, indent=2, double_precision=15) + "\n"
    else:
        text = ""
    if out_file is not None:
        out_file.write_text(text or frame.to_string(index=False) + "\n", encoding="utf-8")
        out.print(f"wrote {len(frame)} rows to {out_file}", highlight=False)
    elif text:
        sys.stdout.write(text)
    else:
        table = Table(title=f"{name} ({engine.value}, {len(frame)} rows)")
        for col in frame.columns:
            table.add_column(str(col))
        for row in frame.itertuples(index=False):
            table.add_row(*("" if v is None else escape(str(v)) for v in row))
        out.print(table)


# ---- neo4j ------------------------------------------------------------------------------
neo4j_app = typer.Typer(
    help="Neo4j: a local server without Docker, push/pull the graph, run Cypher.\n\n"
    "Example: aieco neo4j start && aieco neo4j push && aieco neo4j cypher 'MATCH (c:City) RETURN count(c)'",
    no_args_is_help=True,
)
app.add_typer(neo4j_app, name="neo4j")

UriOpt = Annotated[str | None, typer.Option("--uri", help="Bolt URI [env NEO4J_URI].")]
UserOpt = Annotated[str | None, typer.Option("--user", help="User [env NEO4J_USER].")]
PasswordOpt = Annotated[
    str | None, typer.Option("--password", help="Password [env NEO4J_PASSWORD].", show_default=False)
]
DatabaseOpt = Annotated[str | None, typer.Option("--database", help="Database [env NEO4J_DATABASE].")]
NameOpt = Annotated[str, typer.Option("--name", help="Name of the local instance.")]


def _settings(uri: str | None, user: str | None, password: str | None, database: str | None) -> Any:
    """Flags win over NEO4J_* variables; with neither, a running local 'default' instance is used."""
    import os

    from aieco.graph.neo4j_store import Neo4jSettings
    from aieco.graph.server import LocalNeo4jServer

    if (
        password is None
        and "NEO4J_PASSWORD" not in os.environ
        and uri is None
        and "NEO4J_URI" not in os.environ
    ):
        local = LocalNeo4jServer("default").info()
        if local is not None:
            return Neo4jSettings(uri=local.uri, user=local.user, password=local.password, database=database)
    return Neo4jSettings.from_env(uri=uri, user=user, password=password, database=database)


@neo4j_app.command("start")
@handle_errors
def neo4j_start(
    name: NameOpt = "default",
    port: Annotated[int | None, typer.Option("--port", help="Bolt port (default: a free one).")] = None,
    heap: Annotated[str, typer.Option("--heap", help="Java heap size.")] = "1g",
    print_env: Annotated[
        bool, typer.Option("--print-env", help="Print only `export NEO4J_…=…` lines.")
    ] = False,
) -> None:
    """Start a local Neo4j 5.26 from its Maven Central jars (Java 17 + Maven; no Docker).

    The first start fetches the jars into ~/.cache/aieco (later starts need no network)
    and generates a password, kept in the instance folder (mode 0600).

    Examples: [bold]aieco neo4j start[/bold] · [bold]eval "$(aieco neo4j start --print-env)"[/bold]
    """
    from aieco.graph.server import LocalNeo4jServer

    with err.status("starting Neo4j (the first start fetches ~120 MB of jars)…"):
        info = LocalNeo4jServer(name, heap=heap).start(port=port)
    if print_env:
        for key, value in info.env().items():
            sys.stdout.write(f"export {key}={value}\n")
        return
    out.print(
        f"Neo4j {info.version} '{info.name}' is running at {info.uri} (pid {info.pid})", highlight=False
    )
    out.print("aieco neo4j commands use it by default; other tools can use:", highlight=False)
    for key, value in info.env().items():
        out.print(f"  export {key}={value}", highlight=False, soft_wrap=True)


@neo4j_app.command("stop")
@handle_errors
def neo4j_stop(name: NameOpt = "default") -> None:
    """Stop a local Neo4j instance cleanly.

    Example: [bold]aieco neo4j stop[/bold]
    """
    from aieco.graph.server import LocalNeo4jServer

    stopped = LocalNeo4jServer(name).stop()
    out.print(f"stopped '{name}'" if stopped else f"'{name}' was not running")


@neo4j_app.command("status")
@handle_errors
def neo4j_status(
    name: NameOpt = "default",
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json.")] = OutputFormat.table,
) -> None:
    """Tell whether a local Neo4j instance runs, and where (exit code 1 if it does not).

    Example: [bold]aieco neo4j status --format json[/bold]
    """
    from aieco.graph.server import LocalNeo4jServer

    server = LocalNeo4jServer(name)
    info = server.info()
    running = info is not None and server.is_running()
    if fmt is OutputFormat.json:
        payload = {"name": name, "running": running}
        if info is not None:
            payload |= {"uri": info.uri, "pid": info.pid, "version": info.version, "home": info.home}
        _print_json(payload)
    elif info is not None and running:
        out.print(f"'{name}' running at {info.uri} (pid {info.pid}, Neo4j {info.version})", highlight=False)
    else:
        out.print(f"'{name}' is not running")
    if not running:
        raise typer.Exit(1)


@neo4j_app.command("push")
@handle_errors
def neo4j_push(
    data: DataOpt = None,
    with_bundled: WithBundledOpt = False,
    synthetic: Annotated[
        int | None, typer.Option("--synthetic", help="Push a synthetic graph of this many entities.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of --synthetic.")] = 0,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Rows per transaction.")] = 5000,
    replace: Annotated[bool, typer.Option("--replace", help="Delete aieco's data first.")] = False,
    uri: UriOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Write the graph to Neo4j (idempotent: re-running gives the same database).

    Examples: [bold]aieco neo4j push[/bold] · [bold]aieco neo4j push -d my-data/ --replace[/bold] ·
    [bold]aieco neo4j push --synthetic 100000 --batch-size 5000[/bold]
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from aieco.graph.neo4j_store import Neo4jStore
    from aieco.loaders import graph_from_synthetic

    eg = graph_from_synthetic(synthetic, seed=seed) if synthetic else load_graph(data, with_bundled)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with (
        Neo4jStore(_settings(uri, user, password, database)) as store,
        Progress(*columns, console=err) as bar,
    ):
        tasks = {
            "nodes": bar.add_task("nodes", total=eg.G.number_of_nodes()),
            "relationships": bar.add_task("relationships", total=eg.G.number_of_edges()),
        }

        def advance(kind: str, n: int, _total: int) -> None:
            bar.advance(tasks[kind], n)

        counts = store.push(eg, batch_size=batch_size, replace=replace, progress=advance)
    out.print(f"pushed {counts['nodes']} nodes and {counts['relationships']} relationships", highlight=False)


@neo4j_app.command("pull")
@handle_errors
def neo4j_pull(
    out_path: Annotated[Path | None, typer.Option("--out", "-o", help="Also export what was read.")] = None,
    fmt: Annotated[
        ExportFmt, typer.Option("--format", "-f", help="Export format for --out.")
    ] = ExportFmt.json,
    uri: UriOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Read aieco's graph back from Neo4j and summarise it (optionally export it).

    Examples: [bold]aieco neo4j pull[/bold] · [bold]aieco neo4j pull --out pulled.json[/bold]
    """
    from aieco.graph.io import export_graph
    from aieco.graph.neo4j_store import Neo4jStore

    with Neo4jStore(_settings(uri, user, password, database)) as store:
        eg = store.pull()
    summary = eg.summary()
    out.print(
        f"pulled {summary['nodes']} nodes ({summary['entities']} entities, {summary['observations']} "
        f"observations) and {summary['edges']} relationships",
        highlight=False,
    )
    if out_path is not None:
        for path in export_graph(eg, out_path, fmt=fmt.value):
            out.print(f"wrote {path}", highlight=False)


def _parse_param(text: str) -> tuple[str, Any]:
    if "=" not in text:
        raise typer.BadParameter(f"{text!r} is not key=value", param_hint="--param")
    key, raw = text.split("=", 1)
    try:
        value: Any = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return key.strip(), value


@neo4j_app.command("cypher")
@handle_errors
def neo4j_cypher(
    query: Annotated[str, typer.Argument(help="A read-only Cypher query; use $name for parameters.")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="k=v (v read as JSON when it parses).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    uri: UriOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Run a read-only Cypher query with parameters and print the rows.

    Examples:
    [bold]aieco neo4j cypher "MATCH (o)-[:HEADQUARTERED_IN]->({id: $id}) RETURN o.id" -p id=hefei[/bold]
    · [bold]aieco neo4j cypher "MATCH (n:City) RETURN n.name_en AS city" -f json[/bold]
    """
    from aieco.graph.neo4j_store import Neo4jStore

    if fmt not in {"table", "json", "csv"}:
        raise typer.BadParameter("choose table, json or csv", param_hint="--format")
    params = dict(_parse_param(p) for p in param or [])
    with Neo4jStore(_settings(uri, user, password, database)) as store:
        frame = store.run(query, params)
    if fmt == "json":
        sys.stdout.write(
            frame.to_json(orient="records", force_ascii=False, indent=2, double_precision=15) + "\n"
        )
    elif fmt == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    else:
        table = Table()
        for col in frame.columns:
            table.add_column(str(col))
        for row in frame.itertuples(index=False):
            table.add_row(*(escape(str(v)) for v in row))
        out.print(table)


def run() -> None:
    """Entry point of the ``aieco`` console script."""
    app()


if __name__ == "__main__":  # pragma: no cover
    run()
