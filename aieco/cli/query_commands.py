"""``aieco query list | show | run``: the predefined query catalogue on NetworkX or Neo4j."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from aieco.atomic import check_writable_file
from aieco.cli.options import (
    DatabaseOpt,
    DataOpt,
    ForceOpt,
    ParamOpt,
    PasswordOpt,
    UriOpt,
    UserOpt,
    WithBundledOpt,
    load_graph,
    neo4j_settings,
    parse_params,
)
from aieco.cli.output import FrameFormat, ListFormat, cell, print_json, say, stdout_console, write_frame
from aieco.queries.catalogue import QueryEngine

query_app = typer.Typer(
    help="The predefined query catalogue, on NetworkX (default) or Neo4j.\n\n"
    "Example: aieco query run concentration --param ranking=forbes-ai50-2023 --param level=Region",
    no_args_is_help=True,
)


def catalogue_markdown() -> str:
    """The catalogue as a Markdown table (the README's copy is generated from this)."""
    from aieco.queries import CATALOGUE

    lines = ["| query | question | parameters (defaults) |", "|---|---|---|"]
    for name, q in sorted(CATALOGUE.items()):
        params = ", ".join(f"`{p.name}`={p.default!r}" for p in q.params) or "—"
        lines.append(f"| `{name}` | {q.question} | {params} |")
    return "\n".join(lines) + "\n"


@query_app.command("list")
def query_list(
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="table, json or markdown.")] = "table",
) -> None:
    """List the predefined queries and the question each answers.

    Examples: [bold]aieco query list[/bold] · [bold]aieco query list --format markdown[/bold]
    """
    from aieco.queries import CATALOGUE

    if fmt == "markdown":
        sys.stdout.write(catalogue_markdown())
        return
    if fmt == "json":
        print_json(
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
        table.add_row(name, escape(q.question))
    stdout_console().print(table)


@query_app.command("show")
def query_show(name: Annotated[str, typer.Argument(help="Query name (aieco query list).")]) -> None:
    """Show a query: its question, parameters, result columns and Cypher text.

    Example: [bold]aieco query show indicator_trend[/bold]
    """
    from aieco.queries import get_query

    q = get_query(name)
    console = stdout_console()
    console.print(f"[bold]{q.name}[/bold]: {escape(q.question)}")
    table = Table(title="parameters")
    for col in ("name", "type", "default", "help"):
        table.add_column(col)
    for p in q.params:
        choices = ", ".join(c or "''" for c in p.choices)
        kind = f"{p.type} ({choices})" if p.choices else p.type
        table.add_row(p.name, escape(kind), cell(repr(p.default)), escape(p.help))
    console.print(table)
    say(f"columns: {', '.join(q.columns)}")
    say("cypher:")
    console.print(q.cypher, markup=False)


@query_app.command("run")
def query_run(
    name: Annotated[str, typer.Argument(help="Query name (aieco query list).")],
    param: ParamOpt = None,
    engine: Annotated[QueryEngine, typer.Option("--engine", "-e", help="networkx or neo4j.")] = "networkx",
    fmt: Annotated[FrameFormat, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
    out_file: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the result to this file.")
    ] = None,
    data: DataOpt = None,
    with_bundled: WithBundledOpt = False,
    uri: UriOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    database: DatabaseOpt = None,
    force: ForceOpt = False,
) -> None:
    """Run a predefined query on NetworkX (default, no server) or on Neo4j.

    Examples: [bold]aieco query run indicator_trend -p subjects=beijing,shenzhen[/bold] ·
    [bold]aieco query run concentration -p ranking=forbes-ai50-2023 -f json[/bold] ·
    [bold]aieco query run top_by_degree --engine neo4j -o top.csv -f csv[/bold]
    """
    from aieco.queries import get_query, run_query

    if out_file is not None:
        check_writable_file(out_file, force=force)
    params = parse_params(param)
    get_query(name).bind(params)  # check the name and every parameter before any work
    if engine == "neo4j":
        from aieco.neo4j.store import Neo4jStore

        with Neo4jStore(neo4j_settings(uri, user, password, database)) as store:
            frame = run_query(name, params, engine="neo4j", store=store)
    else:
        frame = run_query(name, params, engine="networkx", graph=load_graph(data, with_bundled))
    write_frame(frame, fmt, out_file=out_file, title=f"{name} ({engine}, {len(frame)} rows)", force=force)
