"""``aieco wikidata``: companies, labs and universities from Wikidata entity JSON, as aieco's tables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aieco.atomic import check_writable_folder
from aieco.cli.options import ForceOpt, FoundersOpt, PullOutOpt, ResolveOpt
from aieco.cli.output import report_pull
from aieco.graph.io import CSV_TABLES

wikidata_app = typer.Typer(
    help="Read Wikidata (CC0) entity JSON — Special:EntityData files, wbgetentities answers or the JSON "
    "dump (gzip or not) — into aieco's four CSV tables: organisations with their headquarters, country, "
    "parent, inception and ROR/OpenAlex ids, merged with the bundled entities.\n\n"
    "Example: aieco wikidata build entities/ --out wikidata/",
    no_args_is_help=True,
)


@wikidata_app.command("build")
def wikidata_build(
    paths: Annotated[list[Path], typer.Argument(help="Entity JSON files, dump files or folders of them.")],
    out: PullOutOpt,
    founders: FoundersOpt = False,
    resolve: ResolveOpt = True,
    force: ForceOpt = False,
) -> None:
    """Organisations typed by their P31 class, names by language, headquarters city → country,
    PART_OF their parents; items that are not organisations are counted, not guessed.

    Example: [bold]aieco wikidata build Q215017.json Q1808722.json --out wikidata/[/bold]
    """
    from aieco.loaders.pull import PULL_FILES
    from aieco.loaders.wikidata import pull_wikidata

    check_writable_folder(out, [*CSV_TABLES, *PULL_FILES], force=force)
    pull = pull_wikidata(list(paths), founders=founders, with_bundled=resolve)
    pull.write(out, force=force)
    report_pull(pull, out)


@wikidata_app.command("query")
def wikidata_query(
    country: Annotated[str, typer.Option("--country", "-c", help="Two-letter ISO code of the country.")],
    out: PullOutOpt,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind", "-k", help="education, company, facility or government (repeatable; default all)."
        ),
    ] = None,
    industry: Annotated[
        str | None,
        typer.Option("--industry", help="Only items of this industry (P452), a Q-id: Q11660 is AI."),
    ] = None,
    subclasses: Annotated[
        bool,
        typer.Option(
            "--subclasses/--no-subclasses",
            help="Count instances of subclasses of the kinds' classes too (P31/P279*).",
        ),
    ] = True,
    cache: Annotated[
        Path | None, typer.Option("--cache", help="Cache folder (default ~/.cache/aieco/wikidata).")
    ] = None,
    founders: FoundersOpt = False,
    resolve: ResolveOpt = True,
    force: ForceOpt = False,
) -> None:
    """Ask Wikidata's query service for the organisations of a country (paged, cached, with the
    service's limits respected), then build them as `aieco wikidata build` does.

    Example: [bold]aieco wikidata query --country CN --kind company --out cn-companies/[/bold]
    """
    from aieco.loaders.pull import PULL_FILES
    from aieco.loaders.wikidata_sparql import KINDS, pull_wikidata_sparql
    from aieco.neo4j.server.local import cache_dir

    check_writable_folder(out, [*CSV_TABLES, *PULL_FILES], force=force)
    pull = pull_wikidata_sparql(
        country,
        kinds=kind or KINDS,
        subclasses=subclasses,
        industry=industry,
        founders=founders,
        cache_dir=cache or cache_dir() / "wikidata",
        with_bundled=resolve,
    )
    pull.write(out, force=force)
    report_pull(pull, out)
