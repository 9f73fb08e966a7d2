"""``aieco load | info | search | export``: validate, summarise, find and export the graph."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from aieco.atomic import check_writable_file, check_writable_folder
from aieco.cli.options import DataOpt, ForceOpt, SyntheticOpt, WithBundledOpt, load_graph
from aieco.cli.output import (
    SummaryFormat,
    cell,
    counts_table,
    error_line,
    print_json,
    say,
    stdout_console,
)
from aieco.graph.io import CSV_TABLES
from aieco.viz.exports import ExportFormatAll


def load(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="CSV, node-link JSON or GraphML files, or folders.")
    ] = None,
    with_bundled: WithBundledOpt = False,
) -> None:
    """Validate a dataset and summarise it; nothing is loaded if anything is wrong.

    Examples: [bold]aieco load[/bold] (the bundled data) ·
    [bold]aieco load my-data/[/bold] · [bold]aieco load extra.csv --with-bundled[/bold]
    """
    summary = load_graph(paths, with_bundled).summary()
    files = ", ".join(summary["files"]) or "(bundled)"
    say(
        f"ok: {summary['entities']} entities, {summary['relationships']} relationships, "
        f"{summary['observations']} observations, {summary['sources']} sources from {files}"
    )


def info(
    fmt: Annotated[SummaryFormat, typer.Option("--format", "-f", help="table or json.")] = "table",
    data: DataOpt = None,
    with_bundled: WithBundledOpt = False,
) -> None:
    """Counts by node and edge type, source coverage and the sources themselves.

    Examples: [bold]aieco info[/bold] · [bold]aieco info --format json[/bold] ·
    [bold]aieco info -d my-data/[/bold]
    """
    summary = load_graph(data, with_bundled).summary()
    if fmt == "json":
        print_json(summary)
        return
    say(f"{summary['name']} (aieco {summary['aieco_version']}, loaded {summary['created']})")
    say(
        f"{summary['entities']} entities · {summary['relationships']} relationships · "
        f"{summary['observations']} observations · {summary['sources']} sources"
    )
    say("with a source: " + ", ".join(f"{k} {v:.0%}" for k, v in summary["with_source"].items()))
    console = stdout_console()
    console.print(counts_table("Nodes by type", summary["node_types"]))
    console.print(counts_table("Edges by type", summary["edge_types"]))
    sources = Table(title="Sources")
    for col in ("id", "title", "facts"):
        sources.add_column(col, justify="right" if col == "facts" else "left")
    for sid, meta in summary["source_facts"].items():
        sources.add_row(cell(sid), cell(meta["title"]), str(meta["facts"]))
    console.print(sources)


def search(
    text: Annotated[str, typer.Argument(help="A name in any script: iFlytek, 科大讯飞, 科大訊飛.")],
    node_type: Annotated[
        list[str] | None, typer.Option("--type", "-t", help="Only this entity type (repeatable).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many hits.")] = 20,
    fmt: Annotated[SummaryFormat, typer.Option("--format", "-f", help="table or json.")] = "table",
    data: DataOpt = None,
    with_bundled: WithBundledOpt = False,
) -> None:
    """Find entities by any of their names or aliases, in any script.

    Examples: [bold]aieco search 科大訊飛[/bold] · [bold]aieco search "Bay Area" --format json[/bold] ·
    [bold]aieco search 深圳 --type City[/bold]
    """
    eg = load_graph(data, with_bundled)
    hits = eg.search(text, types=node_type, limit=limit)
    if fmt == "json":
        fields = ("name_en", "name_zh_hans", "name_zh_hant", "name_ja", "aliases", "source")
        print_json(
            [
                {
                    "id": hit.id,
                    "type": hit.type,
                    "matched": hit.matched,
                    "matched_field": hit.field,
                    "score": hit.score,
                    **{k: eg.node(hit.id).get(k) for k in fields},
                }
                for hit in hits
            ]
        )
        return
    if not hits:
        error_line(f"no entity matches {text!r}")
        raise typer.Exit(1)
    table = Table(title=cell(f"Entities matching {text!r}"))
    for col in ("id", "type", "name", "matched"):
        table.add_column(col)
    for hit in hits:
        table.add_row(
            cell(hit.id), cell(hit.type), cell(eg.display_name(hit.id)), cell(f"{hit.matched} ({hit.field})")
        )
    stdout_console().print(table)


def export(
    fmt: Annotated[
        ExportFormatAll,
        typer.Option(
            "--format",
            "-f",
            help="json (node-link), graphml, csv, gexf (Gephi, with time), geojson or vosviewer (JSON).",
        ),
    ],
    out_path: Annotated[Path, typer.Option("--out", "-o", help="Output file (a folder for csv).")],
    data: DataOpt = None,
    with_bundled: WithBundledOpt = False,
    synthetic: SyntheticOpt = None,
    force: ForceOpt = False,
) -> None:
    """Export the graph: node-link JSON, GraphML, aieco's CSV tables, GEXF, GeoJSON or VOSviewer JSON.

    JSON and CSV exports load back unchanged with [bold]aieco load[/bold]; GEXF opens in Gephi
    (years as spells for its timeline, the views' colours); GeoJSON opens in QGIS or kepler.gl;
    VOSviewer JSON in VOSviewer Online (communities as clusters, sources in the descriptions).

    Examples: [bold]aieco export --format json --out aieco.json[/bold] ·
    [bold]aieco export -f csv -o tables/[/bold]
    """
    if fmt == "csv":
        check_writable_folder(out_path, CSV_TABLES, force=force)
    else:
        check_writable_file(out_path, force=force)
    eg = load_graph(data, with_bundled, synthetic=synthetic)
    from aieco.viz.exports import export as write_export

    for path in write_export(eg, out_path, fmt=fmt, force=force):
        say(f"wrote {path}")


def map_(
    sheet: Annotated[Path, typer.Argument(help="A CSV or XLSX file, one entity per row, your own columns.")],
    mapping: Annotated[
        Path, typer.Option("--mapping", "-m", help="The TOML file that says which column is what.")
    ],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for the aieco tables.")] = Path(
        "mapped"
    ),
    bundled: Annotated[
        bool,
        typer.Option("--bundled/--no-bundled", help="Resolve places and names against the bundled data."),
    ] = True,
    force: ForceOpt = False,
) -> None:
    """Turn your own spreadsheet into aieco's tables, places resolved by name or GeoNames.

    Every unresolved or ambiguous place, unknown column or name is listed with its row, and
    nothing is written until all resolve (or are skipped in the mapping).

    Examples: [bold]aieco map companies.xlsx --mapping mapping.toml --out mine/[/bold] ·
    then [bold]aieco load --data mine/ --with-bundled[/bold]
    """
    from aieco.loaders.spreadsheet import TABLE_FIELDS, checked_tables, write_tables

    check_writable_folder(out_dir, TABLE_FIELDS, force=force)
    tables, _ = checked_tables(sheet, mapping, with_bundled=bundled)  # loads as `aieco load` will, or stops
    written = write_tables(tables, out_dir, force=force)
    counts = ", ".join(f"{len(tables[p.name])} {p.stem}" for p in written)
    say(
        f"wrote {counts} to {out_dir}; load them with: aieco load {out_dir}"
        + (" --with-bundled" if bundled else "")
    )


# typer names a command after its function; ``map`` itself would shadow the builtin
map_.__name__ = "map"

#: The commands this module adds to the root of ``aieco``.
COMMANDS = (load, info, search, export, map_)
