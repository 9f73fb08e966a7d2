"""The root ``aieco`` command and the one error boundary of the command line.

:class:`AiecoGroup` runs every command in click's non-standalone mode and turns whatever
escapes into one line on stderr and an exit code (see :mod:`aieco.errors`): usage errors
from the parser (2), any :class:`~aieco.errors.AiecoError` (its ``exit_code``), and an
operating-system error on a user's path (4). ``--verbose`` adds the traceback.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from aieco._version import __version__
from aieco.atomic import describe_os_error
from aieco.cli import data_commands, recipe_commands, viz_commands
from aieco.cli.neo4j_commands import neo4j_app
from aieco.cli.output import error_line, stderr_console
from aieco.cli.query_commands import query_app
from aieco.cli.report_commands import report_app
from aieco.errors import AiecoError, DataValidationError, FileAccessError

#: Exit code of an operating-system error on a user's path (same as FileAccessError).
OS_ERROR_EXIT = FileAccessError.exit_code
#: Exit code of bad usage (the parser's).
USAGE_EXIT = 2
#: Exit code of an interrupted command.
INTERRUPTED_EXIT = 130


def _verbose(args: Sequence[str]) -> bool:
    for arg in args:
        if arg in ("-v", "--verbose"):
            return True
        if not arg.startswith("-"):
            return False
    return False


def _help_hint(exc: TyperException) -> str:
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", "") or "aieco"
    return f" (see '{path} --help')"


class AiecoGroup(TyperGroup):
    """The root group: every failure becomes one line and a documented exit code."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        verbose = _verbose(argv)
        try:
            code = super().main(
                args=argv,
                prog_name=prog_name or "aieco",
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except TyperException as exc:  # usage errors (exit code 2) and other parser errors
            show = getattr(exc, "show", None)
            if type(exc).__name__ == "NoArgsIsHelpError" and callable(show):  # typer exports no class
                show()  # the help text, on stderr
            else:
                hint = _help_hint(exc) if exc.exit_code == USAGE_EXIT else ""
                error_line(exc.format_message().replace("\n", " ") + hint)
            code = exc.exit_code
        except (typer.Abort, KeyboardInterrupt):
            error_line("interrupted")
            code = INTERRUPTED_EXIT
        except DataValidationError as exc:
            more = len(exc.problems) > 1 and not verbose
            error_line(exc.first_line() + ("; --verbose lists them all" if more else ""))
            if verbose:
                for problem in exc.problems:
                    sys.stderr.write(f"  - {problem}\n")
            code = exc.exit_code
        except AiecoError as exc:
            error_line(str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__)
            if verbose:
                traceback.print_exc()
            code = exc.exit_code
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            error_line(f"{where}{describe_os_error(exc)}")
            if verbose:
                traceback.print_exc()
            code = OS_ERROR_EXIT
        else:
            if code == INTERRUPTED_EXIT:  # typer turns Ctrl-C into a silent Exit(130)
                error_line("interrupted")
        if not isinstance(code, int):
            code = 0
        if standalone_mode:
            sys.exit(code)
        return code


def _print_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"aieco {__version__}\n")
        raise typer.Exit()


app = typer.Typer(
    name="aieco",
    cls=AiecoGroup,
    help="aieco: a graph database of the AI innovation ecosystem.\n\nExample: aieco info --format json",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress and show details.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", is_eager=True, callback=_print_version),
    ] = False,
) -> None:
    """aieco: a graph database of the AI innovation ecosystem."""
    from rich.logging import RichHandler

    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=stderr_console(), show_path=False)],
        force=True,
    )


for _command in (*data_commands.COMMANDS, *viz_commands.COMMANDS, *recipe_commands.COMMANDS):
    app.command()(_command)
#: The sub-apps that are not sources, first in the help.
CORE_APPS: dict[str, typer.Typer] = {"report": report_app, "query": query_app, "neo4j": neo4j_app}
for _name, _core in CORE_APPS.items():
    app.add_typer(_core, name=_name)


def source_apps() -> list[tuple[str, typer.Typer]]:
    """The sub-apps of the open sources, found rather than listed: every module
    ``aieco/cli/<name>_commands.py`` that defines ``<name>_app`` and is not one of
    :data:`CORE_APPS` is ``aieco <name>`` (after those, by name), so adding a source adds its
    module and touches nothing here."""
    import importlib
    import pkgutil
    from pathlib import Path

    found = []
    for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda i: i.name):
        name = info.name.removesuffix("_commands")
        if info.name.endswith("_commands") and name not in CORE_APPS:
            sub = getattr(importlib.import_module(f"aieco.cli.{info.name}"), f"{name}_app", None)
            if isinstance(sub, typer.Typer):
                found.append((name, sub))
    return found


for _name, _sub in source_apps():
    app.add_typer(_sub, name=_name)


def run() -> None:
    """Entry point of the ``aieco`` console script."""
    app()
