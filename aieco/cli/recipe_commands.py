"""``aieco build``: a recipe's sources built into one set of tables, with a lock file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from aieco.atomic import check_writable_folder, file_set, write_bytes, write_text
from aieco.cli.options import ForceOpt
from aieco.cli.output import say
from aieco.graph.io import CSV_TABLES
from aieco.graph.text import tsv_line


def build(
    recipe: Annotated[Path, typer.Argument(help="The recipe (TOML): its sources and their options.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the tables, the lock and merges.tsv.")],
    lock: Annotated[
        Path | None,
        typer.Option("--lock", help="Rebuild exactly: refuse inputs that differ from this lock file."),
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option("--cache", help="HTTP cache of the API sources (default ~/.cache/aieco)."),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Build a recipe's open-data sources (ROR, Epoch AI, Wikidata, OpenAlex, your tables) into one
    set of aieco tables, resolved across sources and against the bundled data, with a lock file
    (every input's SHA-256) that rebuilds the same tables.

    Examples: [bold]aieco build examples/recipes/anhui.toml --out anhui/[/bold] ·
    [bold]aieco build anhui.toml --out anhui/ --lock anhui/aieco.lock --force[/bold]
    """
    from aieco.graph.io import write_csv_tables
    from aieco.loaders.recipe import API_KINDS, LOCK_NAME, answer_name, build_recipe, read_lock, read_recipe
    from aieco.neo4j.server.local import cache_dir

    kept = [answer_name(i, s) for i, s in enumerate(read_recipe(recipe).source) if s.kind in API_KINDS]
    check_writable_folder(out, [*CSV_TABLES, LOCK_NAME, "merges.tsv", *kept], force=force)
    locked = read_lock(lock) if lock is not None else None
    graph, new_lock, merges, answers = build_recipe(
        recipe,
        lock=locked,
        lock_dir=lock.parent if lock is not None else None,
        cache_dir=cache or cache_dir(),
    )
    lines = [tsv_line(("source", "id", "name", "bundled_id", "matched_by")), *(tsv_line(m) for m in merges)]
    with file_set(out):  # tables, lock and merge report appear together
        write_csv_tables(graph, out, force=force)
        write_text(out / "merges.tsv", "\n".join(lines) + "\n", force=force)
        write_text(out / LOCK_NAME, json.dumps(new_lock, ensure_ascii=False, indent=1) + "\n", force=force)
        for name, data in answers.items():  # what the API sources answered, for a rebuild
            write_bytes(out / name, data, force=force)
    for i, source in enumerate(new_lock["sources"], start=1):
        say(
            f"source {i} ({source['kind']}): "
            + ", ".join(f"{n:,} {what}" for what, n in source["entities"].items())
        )
    summary = graph.summary()
    say(
        f"wrote {out}: {summary['entities']:,} entities, {summary['relationships']:,} relationships, "
        f"{summary['observations']:,} observations from {len(new_lock['sources'])} sources; "
        f"{len(merges)} merged into bundled entities (see {out / 'merges.tsv'}); lock: {out / LOCK_NAME}"
    )


COMMANDS = (build,)
