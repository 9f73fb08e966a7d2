"""``aieco neo4j start | stop | status | push | import | pull | cypher``: the Neo4j engine."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from aieco.atomic import check_writable_file, check_writable_folder
from aieco.cli.options import (
    DatabaseOpt,
    DataOpt,
    ForceOpt,
    NameOpt,
    ParamOpt,
    PasswordOpt,
    SeedOpt,
    SyntheticOpt,
    UriOpt,
    UserOpt,
    WithBundledOpt,
    json_values,
    load_graph,
    neo4j_settings,
    parse_params,
)
from aieco.cli.output import (
    FrameFormat,
    SummaryFormat,
    counted_progress,
    print_json,
    say,
    stderr_console,
    write_frame,
)
from aieco.errors import InvalidArgumentError
from aieco.graph.io import CSV_TABLES
from aieco.neo4j.store import DEFAULT_BATCH_SIZE, DEFAULT_PARALLEL
from aieco.viz.exports import ExportFormatAll

neo4j_app = typer.Typer(
    help="Neo4j: a local server without Docker, push/pull the graph, run Cypher.\n\n"
    "Example: aieco neo4j start && aieco neo4j push && aieco neo4j cypher 'MATCH (c:City) RETURN count(c)'",
    no_args_is_help=True,
)


@neo4j_app.command("start")
def neo4j_start(
    name: NameOpt = "default",
    port: Annotated[
        int | None, typer.Option("--port", min=1, max=65535, help="Bolt port (default: a free one).")
    ] = None,
    heap: Annotated[str, typer.Option("--heap", help="Java heap size, e.g. 512m or 2g.")] = "1g",
    print_env: Annotated[
        bool, typer.Option("--print-env", help="Print only `export NEO4J_…=…` lines.")
    ] = False,
) -> None:
    """Start a local Neo4j 5.26 from its Maven Central jars (Java 17 + Maven; no Docker).

    The first start fetches the jars into ~/.cache/aieco (later starts need no network)
    and generates a password, kept in the instance folder (mode 0600).

    Examples: [bold]aieco neo4j start[/bold] · [bold]eval "$(aieco neo4j start --print-env)"[/bold]
    """
    import re

    from aieco.neo4j.server import LocalNeo4jServer

    if not re.fullmatch(r"[1-9][0-9]*[kmg]", heap):
        raise InvalidArgumentError(f"--heap {heap!r} is not a Java heap size such as 512m or 2g")
    with stderr_console().status("starting Neo4j (the first start fetches ~120 MB of jars)…"):
        info = LocalNeo4jServer(name, heap=heap).start(port=port)
    if print_env:
        for key, value in info.env().items():
            sys.stdout.write(f"export {key}={value}\n")
        return
    say(f"Neo4j {info.version} '{info.name}' is running at {info.uri} (pid {info.pid})")
    say("aieco neo4j commands use it by default; other tools can use:")
    for key, value in info.env().items():
        say(f"  export {key}={value}")


@neo4j_app.command("stop")
def neo4j_stop(name: NameOpt = "default") -> None:
    """Stop a local Neo4j instance cleanly.

    Example: [bold]aieco neo4j stop[/bold]
    """
    from aieco.neo4j.server import LocalNeo4jServer

    stopped = LocalNeo4jServer(name).stop()
    say(f"stopped '{name}'" if stopped else f"'{name}' was not running")


@neo4j_app.command("status")
def neo4j_status(
    name: NameOpt = "default",
    fmt: Annotated[SummaryFormat, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Tell whether a local Neo4j instance runs, and where (exit code 1 if it does not).

    Example: [bold]aieco neo4j status --format json[/bold]
    """
    from aieco.neo4j.server import LocalNeo4jServer

    server = LocalNeo4jServer(name)
    info = server.info()
    state, why = server.health()
    running = state == "running"
    if fmt == "json":
        payload: dict[str, object] = {
            "name": name,
            "running": running,
            "state": state,
            "problem": why or None,
        }
        if info is not None:
            payload |= {"uri": info.uri, "pid": info.pid, "version": info.version, "home": info.home}
        print_json(payload)
    elif info is not None and running:
        say(f"'{name}' running at {info.uri} (pid {info.pid}, Neo4j {info.version})")
    elif state == "unhealthy":
        say(f"'{name}' is not healthy: {why}")
    else:
        say(f"'{name}' is not running")
    if not running:
        raise typer.Exit(1)


@neo4j_app.command("push")
def neo4j_push(
    data: DataOpt = None,
    with_bundled: WithBundledOpt = False,
    synthetic: SyntheticOpt = None,
    seed: SeedOpt = 0,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Rows per transaction.")
    ] = DEFAULT_BATCH_SIZE,
    parallel: Annotated[
        int,
        typer.Option(
            "--parallel", min=1, max=32, help="Write transactions in flight at once (1: one by one)."
        ),
    ] = DEFAULT_PARALLEL,
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
    from aieco.neo4j.store import Neo4jStore

    eg = load_graph(data, with_bundled, synthetic=synthetic, seed=seed)
    totals = {"nodes": eg.G.number_of_nodes(), "relationships": eg.G.number_of_edges()}
    with (
        Neo4jStore(neo4j_settings(uri, user, password, database)) as store,
        counted_progress(totals) as advance,
    ):
        counts = store.push(eg, batch_size=batch_size, parallel=parallel, replace=replace, progress=advance)
    say(f"pushed {counts['nodes']} nodes and {counts['relationships']} relationships")


@neo4j_app.command("import")
def neo4j_import(
    data: DataOpt = None,
    with_bundled: WithBundledOpt = False,
    synthetic: SyntheticOpt = None,
    seed: SeedOpt = 0,
    name: NameOpt = "default",
    files_only: Annotated[
        Path | None,
        typer.Option("--files-only", help="Only write the importer's CSV files into this (new) folder."),
    ] = None,
) -> None:
    """Replace the local instance's database with the graph, by Neo4j's own bulk importer.

    Much faster than push for a new database; the instance is stopped for the import and
    started again. With --files-only, writes the importer's files (e.g. for the
    docker-compose container; see the README).

    Examples: [bold]aieco neo4j import --synthetic 100000[/bold] ·
    [bold]aieco neo4j import --files-only neo4j-import/[/bold]
    """
    from aieco.errors import FileAccessError
    from aieco.neo4j.server import LocalNeo4jServer
    from aieco.neo4j.server.bulk import bulk_import, write_import_files

    if files_only is not None:
        check_writable_folder(files_only)
        if files_only.exists() and any(files_only.iterdir()):
            raise FileAccessError(f"{files_only} is not empty: the importer's files go into a new folder")
    eg = load_graph(data, with_bundled, synthetic=synthetic, seed=seed)
    if files_only is not None:
        files = write_import_files(eg, files_only)
        say(
            f"wrote {len(files.nodes) + len(files.relationships)} files ({files.n_nodes:,} nodes, "
            f"{files.n_relationships:,} relationships) to {files_only} (importer arguments: arguments.txt)"
        )
        return
    result = bulk_import(eg, LocalNeo4jServer(name))
    say(
        f"imported {result['nodes']:,} nodes and {result['relationships']:,} relationships in "
        f"{result['total_s']} s (importer {result['importer_s']} s); instance {name!r} is running"
    )


@neo4j_app.command("pull")
def neo4j_pull(
    out_path: Annotated[Path | None, typer.Option("--out", "-o", help="Also export what was read.")] = None,
    fmt: Annotated[
        ExportFormatAll,
        typer.Option("--format", "-f", help="Format for --out (any of aieco export's formats)."),
    ] = "json",
    uri: UriOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    database: DatabaseOpt = None,
    force: ForceOpt = False,
) -> None:
    """Read aieco's graph back from Neo4j and summarise it (optionally export it).

    Examples: [bold]aieco neo4j pull[/bold] · [bold]aieco neo4j pull --out pulled.json[/bold]
    """
    from aieco.neo4j.store import Neo4jStore
    from aieco.viz.exports import export as write_export

    if out_path is not None:
        if fmt == "csv":
            check_writable_folder(out_path, CSV_TABLES, force=force)
        else:
            check_writable_file(out_path, force=force)
    with Neo4jStore(neo4j_settings(uri, user, password, database)) as store:
        eg = store.pull()
    summary = eg.summary()
    say(
        f"pulled {summary['nodes']} nodes ({summary['entities']} entities, {summary['observations']} "
        f"observations) and {summary['edges']} relationships"
    )
    if out_path is not None:
        for path in write_export(eg, out_path, fmt=fmt, force=force):
            say(f"wrote {path}")


@neo4j_app.command("cypher")
def neo4j_cypher(
    query: Annotated[str, typer.Argument(help="A read-only Cypher query; use $name for parameters.")],
    param: ParamOpt = None,
    fmt: Annotated[FrameFormat, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    out_file: Annotated[Path | None, typer.Option("--out", "-o", help="Write the rows to this file.")] = None,
    uri: UriOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    database: DatabaseOpt = None,
    force: ForceOpt = False,
) -> None:
    """Run a read-only Cypher query with parameters and print the rows.

    Parameter values are read as JSON where they parse (5, true, ["a","b"]) and as text otherwise.

    Examples:
    [bold]aieco neo4j cypher "MATCH (o)-[:HEADQUARTERED_IN]->({id: $id}) RETURN o.id" -p id=hefei[/bold]
    · [bold]aieco neo4j cypher "MATCH (n:City) RETURN n.name_en AS city" -f json[/bold]
    """
    from aieco.neo4j.store import Neo4jStore

    if out_file is not None:
        check_writable_file(out_file, force=force)
    params = json_values(parse_params(param))
    with Neo4jStore(neo4j_settings(uri, user, password, database)) as store:
        frame = store.run(query, params)
    write_frame(frame, fmt, out_file=out_file, title=f"{len(frame)} rows", force=force)
