"""``aieco ror``: research organisations and their places from ROR records, as aieco's tables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aieco.atomic import check_writable_folder
from aieco.cli.options import ForceOpt, PullOutOpt, ResolveOpt
from aieco.cli.output import report_pull
from aieco.graph.io import CSV_TABLES

ror_app = typer.Typer(
    help="Read ROR (Research Organization Registry, CC0) records — the data dump (zip or JSON), single "
    "records or folders of them — or ask ROR's API, into aieco's four CSV tables, merged with the "
    "bundled entities.\n\n"
    "Examples: aieco ror build v2.9-ror-data.zip --out ror/ · aieco ror query -q tsinghua -c CN --out t/",
    no_args_is_help=True,
)


@ror_app.command("build")
def ror_build(
    paths: Annotated[list[Path], typer.Argument(help="ROR dump (zip or JSON), record files or folders.")],
    out: PullOutOpt,
    resolve: ResolveOpt = True,
    force: ForceOpt = False,
) -> None:
    """Organisations typed by ROR type, names by language and script, GeoNames city → region →
    country, PART_OF their parents; withdrawn records skipped and counted.

    Example: [bold]aieco ror build ~/ror/v2.9-ror-data.zip --out ror/[/bold]
    """
    from aieco.loaders.pull import PULL_FILES
    from aieco.loaders.ror import pull_ror

    check_writable_folder(out, [*CSV_TABLES, *PULL_FILES], force=force)
    pull = pull_ror(list(paths), with_bundled=resolve)
    pull.write(out, force=force)
    report_pull(pull, out)


@ror_app.command("query")
def ror_query(
    out: PullOutOpt,
    query: Annotated[
        str | None, typer.Option("--query", "-q", help="Words to search ROR for (names, acronyms, ids).")
    ] = None,
    country: Annotated[
        list[str] | None,
        typer.Option("--country", "-c", help="Two-letter ISO code narrowing the query (repeatable)."),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--type", "-t", help="ROR type narrowing the query: education, company … (repeatable)."),
    ] = None,
    ror_id: Annotated[
        list[str] | None,
        typer.Option("--id", help="A ROR id (or https://ror.org/… URL) to read (repeatable)."),
    ] = None,
    parents: Annotated[
        bool, typer.Option("--parents/--no-parents", help="Also read the parents the records name.")
    ] = True,
    cache: Annotated[
        Path | None, typer.Option("--cache", help="Cache folder (default ~/.cache/aieco/ror).")
    ] = None,
    resolve: ResolveOpt = True,
    force: ForceOpt = False,
) -> None:
    """Ask the ROR API (v2) for the organisations a query finds, narrowed by country and type,
    and for ROR ids, with their parents; paged, cached and retried; then build them as
    `aieco ror build` does. ROR_CLIENT_ID raises ROR's rate limit.

    Example: [bold]aieco ror query -q "artificial intelligence" -c CN --out ror-ai/[/bold]
    """
    from aieco.loaders.pull import PULL_FILES
    from aieco.loaders.ror_api import pull_ror_api
    from aieco.neo4j.server.local import cache_dir

    check_writable_folder(out, [*CSV_TABLES, *PULL_FILES], force=force)
    pull = pull_ror_api(
        query=query,
        countries=country or (),
        types=kind or (),
        ids=ror_id or (),
        parents=parents,
        cache_dir=cache or cache_dir() / "ror",
        with_bundled=resolve,
    )
    pull.write(out, force=force)
    report_pull(pull, out)
