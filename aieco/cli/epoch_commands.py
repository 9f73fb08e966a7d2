"""``aieco epoch build``: AI models and their developers from Epoch AI's "Data on AI Models"."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aieco.atomic import check_writable_folder
from aieco.cli.options import ForceOpt
from aieco.cli.output import report_pull
from aieco.graph.io import CSV_TABLES

epoch_app = typer.Typer(
    help='Read Epoch AI\'s "Data on AI Models" (CC BY 4.0; credit: Epoch AI, "Data on AI Models") — '
    "its zip or one of its CSV tables — into aieco's four CSV tables: models, their developers, "
    "parameters and compute.\n\n"
    "Example: aieco epoch build ai_models.zip --out epoch/",
    no_args_is_help=True,
)


@epoch_app.command("build")
def epoch_build(
    path: Annotated[Path, typer.Argument(help="Epoch's zip, or one of its CSV tables.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the tables and the pull's TSVs.")],
    table: Annotated[
        str, typer.Option("--table", help="The table inside the zip (e.g. all_ai_models.csv).")
    ] = "notable_ai_models.csv",
    resolve: Annotated[
        bool, typer.Option("--resolve/--no-resolve", help="Merge developers into bundled entities.")
    ] = True,
    force: ForceOpt = False,
) -> None:
    """Models (AIModel, with publication date, parameters and training compute) and DEVELOPS from
    each organisation of a model, resolved to existing entities or created in their country.

    Example: [bold]aieco epoch build ai_models.zip --table all_ai_models.csv --out epoch/[/bold]
    """
    from aieco.loaders.epoch import pull_epoch
    from aieco.loaders.pull import PULL_FILES

    check_writable_folder(out, [*CSV_TABLES, *PULL_FILES], force=force)
    pull = pull_epoch(path, table=table, with_bundled=resolve)
    pull.write(out, force=force)
    report_pull(pull, out)
