"""``aieco openalex snapshot | pull``: a region's AI ecosystem from OpenAlex, as aieco's tables."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aieco.atomic import check_writable_folder
from aieco.cli.options import ForceOpt
from aieco.cli.output import report_pull, step_progress
from aieco.errors import InvalidArgumentError
from aieco.graph.io import CSV_TABLES
from aieco.loaders.openalex_model import FlowLevel, NoiseRule

if TYPE_CHECKING:
    from aieco.loaders.openalex import SnapshotEngine

openalex_app = typer.Typer(
    help="Build talent flows, collaborations and institutions from OpenAlex (CC0) into aieco's "
    "four CSV tables, loadable with --data DIR [--with-bundled].\n\n"
    "Example: aieco openalex snapshot ~/openalex --country CN --country US --from-year 2015 --out cn-us/",
    no_args_is_help=True,
)

CountryOpt = Annotated[
    list[str] | None,
    typer.Option("--country", "-c", help="ISO code of an institution country (repeatable), e.g. CN."),
]
FromOpt = Annotated[int | None, typer.Option("--from-year", min=1900, max=2100, help="First year kept.")]
ToOpt = Annotated[int | None, typer.Option("--to-year", min=1900, max=2100, help="Last year kept.")]
LevelOpt = Annotated[
    FlowLevel,
    typer.Option("--level", help="Count talent flows between institutions, or between their places."),
]
OutOpt = Annotated[Path, typer.Option("--out", "-o", help="Folder for the four CSV tables and merges.tsv.")]
PeopleOpt = Annotated[
    bool, typer.Option("--with-people", help="Also write each researcher as a Person (off: privacy, scale).")
]
BundledOpt = Annotated[
    bool, typer.Option("--resolve/--no-resolve", help="Merge institutions and places into bundled entities.")
]
MinYearsOpt = Annotated[
    int,
    typer.Option(
        "--min-years",
        min=1,
        max=100,
        help="An affiliation counts when the record shows it in at least this many years (2 sets aside "
        "one-year co-affiliations).",
    ),
]
MergedOpt = Annotated[
    float,
    typer.Option(
        "--max-institutions-per-year",
        min=1,
        help="Flag a profile whose median number of institutions per active year is above this "
        "(OpenAlex merged several people).",
    ),
]
KeepFlaggedOpt = Annotated[
    bool, typer.Option("--keep-flagged", help="Keep flagged profiles in the counts (excluded by default).")
]


def _noise(min_years: int, max_per_year: float, keep_flagged: bool) -> NoiseRule:
    return NoiseRule(min_years=min_years, max_median_per_year=max_per_year, exclude_flagged=not keep_flagged)


@openalex_app.command("snapshot")
def openalex_snapshot(
    path: Annotated[Path, typer.Argument(help="The snapshot folder (holding data/authors, data/works …).")],
    out: OutOpt,
    country: CountryOpt = None,
    from_year: FromOpt = None,
    to_year: ToOpt = None,
    ai: Annotated[bool, typer.Option("--ai", help="Keep only AI authors and works (subfield 1702).")] = False,
    level: LevelOpt = "institution",
    resolve: BundledOpt = True,
    with_people: PeopleOpt = False,
    min_years: MinYearsOpt = 1,
    max_per_year: MergedOpt = 5.0,
    keep_flagged: KeepFlaggedOpt = False,
    memory_limit: Annotated[
        str | None,
        typer.Option(
            "--memory-limit",
            help="DuckDB's memory limit, e.g. 8GB (default 4GB; beyond it, it spills to disk).",
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option("--engine", help="duckdb (bulk, default when installed), python (record by record)."),
    ] = "auto",
    force: ForceOpt = False,
) -> None:
    """Read an OpenAlex snapshot (gzip JSON Lines) into aieco's tables, in bounded memory.

    With no filter option every record under PATH is used.

    Examples: [bold]aieco openalex snapshot ~/openalex --out all/[/bold] ·
    [bold]aieco openalex snapshot ~/openalex --country CN --ai --level Region --out cn/[/bold]
    """
    from aieco.loaders.openalex import PULL_FILES, OpenAlexFilters, pull_openalex_snapshot

    check_writable_folder(out, [*CSV_TABLES, *PULL_FILES], force=force)
    filters = OpenAlexFilters(tuple(c.upper() for c in country or ()), from_year, to_year, ai_only=ai)
    with step_progress("reading") as advance:
        pull = pull_openalex_snapshot(
            path,
            filters=filters,
            level=level,
            with_bundled=resolve,
            with_people=with_people,
            noise=_noise(min_years, max_per_year, keep_flagged),
            engine=_engine(engine, with_people),
            memory_limit=memory_limit,
            progress=advance,
        )
    pull.write(out, force=force)
    report_pull(pull, out)


def _engine(name: str, with_people: bool) -> SnapshotEngine:
    if name not in ("auto", "duckdb", "python"):
        raise InvalidArgumentError(f"--engine must be auto, duckdb or python; got {name!r}")
    if with_people and name == "auto":
        return "python"
    return name  # type: ignore[return-value]


@openalex_app.command("pull")
def openalex_pull(
    out: OutOpt,
    country: CountryOpt = None,
    from_year: FromOpt = None,
    to_year: ToOpt = None,
    all_fields: Annotated[
        bool, typer.Option("--all-fields", help="Do not restrict to AI (subfield 1702 / concept C154945302).")
    ] = False,
    author_filter: Annotated[
        str | None, typer.Option("--author-filter", help="An OpenAlex /authors filter string, sent as is.")
    ] = None,
    work_filter: Annotated[
        str | None, typer.Option("--work-filter", help="An OpenAlex /works filter string, sent as is.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="At most this many authors and works.")
    ] = None,
    cache: Annotated[
        Path | None, typer.Option("--cache", help="Cache folder (default ~/.cache/aieco/openalex).")
    ] = None,
    level: LevelOpt = "institution",
    resolve: BundledOpt = True,
    with_people: PeopleOpt = False,
    min_years: MinYearsOpt = 1,
    max_per_year: MergedOpt = 5.0,
    keep_flagged: KeepFlaggedOpt = False,
    force: ForceOpt = False,
) -> None:
    """Ask the OpenAlex API for a region's AI authors and works.

    Requests are cached on disk, so a re-run sends none; 429/5xx answers are retried.
    OPENALEX_API_KEY and OPENALEX_MAILTO come from the environment; AIECO_OPENALEX_URL points
    at a mirror.

    Examples: [bold]aieco openalex pull --country CN --from-year 2018 --out cn/[/bold] ·
    [bold]aieco openalex pull --author-filter "last_known_institutions.country_code:jp" --out jp/[/bold]
    """
    from aieco.loaders.openalex import PULL_FILES, OpenAlexFilters, pull_openalex_api
    from aieco.neo4j.server.local import cache_dir

    check_writable_folder(out, [*CSV_TABLES, *PULL_FILES], force=force)
    filters = OpenAlexFilters(
        tuple(c.upper() for c in country or ()), from_year, to_year, ai_only=not all_fields
    )
    with step_progress("asking") as advance:
        pull = pull_openalex_api(
            filters=filters,
            author_filter=author_filter,
            work_filter=work_filter,
            level=level,
            with_bundled=resolve,
            with_people=with_people,
            cache_dir=cache or cache_dir() / "openalex",
            limit=limit,
            noise=_noise(min_years, max_per_year, keep_flagged),
            progress=advance,
        )
    pull.write(out, force=force)
    report_pull(pull, out)
