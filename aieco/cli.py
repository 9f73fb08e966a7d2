"""The ``aieco`` command line.

Every command prints a one-line error and exits non-zero on bad input (exit code 1), on
a missing server (exit code 3), or on bad usage (exit code 2); tracebacks are shown only
with ``--verbose``.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
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


def run() -> None:
    """Entry point of the ``aieco`` console script."""
    app()


if __name__ == "__main__":  # pragma: no cover
    run()
