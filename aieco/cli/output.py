"""What the command line prints: tables, JSON, CSV, progress bars and one-line errors.

Text from the data never reaches the terminal raw: control characters (ESC, BEL, backspace,
carriage return …) are shown as visible escapes, so a name cannot clear the screen or retitle
the terminal.

>>> terminal_safe("a\\x1b[2Jb\\x07")
'a\\\\x1b[2Jb\\\\x07'
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from aieco.atomic import write_text
from aieco.graph.io import frame_csv
from aieco.graph.text import visible_controls

#: Formats of the summary commands (info, search, status).
SummaryFormat = Literal["table", "json"]
#: Formats of commands that print rows (query run, neo4j cypher).
FrameFormat = Literal["table", "csv", "json"]
#: Formats of `aieco query list`.
ListFormat = Literal["table", "json", "markdown"]


def terminal_safe(text: str, *, keep_newlines: bool = False) -> str:
    """Show control characters as ``\\xNN`` escapes (tabs and, if asked, newlines stay)."""
    return visible_controls(text, keep="\t\n" if keep_newlines else "")


def cell(value: Any) -> str:
    """One table cell: missing values blank, data text escaped for rich and for the terminal."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return escape(terminal_safe(str(value)))


def stdout_console() -> Console:
    """The console for results (stdout)."""
    return Console(highlight=False, soft_wrap=True)


def stderr_console() -> Console:
    """The console for progress, notes and errors (stderr)."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def say(message: str) -> None:
    """Print one line of aieco's own words (safe for data text inside it)."""
    stdout_console().print(terminal_safe(message), markup=False)


def report_pull(pull: Any, out: Path) -> None:
    """Three lines on an open-data pull (a :class:`~aieco.loaders.pull.Pull`): what was read,
    what was left out and why, what was written."""
    summary = pull.graph.summary()
    say(", ".join(f"{v:,} {k}" for k, v in pull.read.items()))
    say(f"left out: {pull.describe_dropped()} (see {out / 'dropped.tsv'})")
    kinds = ", ".join(
        f"{summary['edge_types'][t]:,} {t}"
        for t in ("TALENT_FLOW", "COLLABORATES_WITH", "DEVELOPS", "PART_OF")
        if summary["edge_types"].get(t)
    )
    say(
        f"wrote {out}: {summary['entities']:,} entities, {summary['relationships']:,} relationships"
        + (f" ({kinds})" if kinds else "")
        + f", {summary['observations']:,} observations; {len(pull.merges)} merged into bundled entities "
        f"(see {out / 'merges.tsv'})"
    )


def note(message: str) -> None:
    """Print a note on stderr."""
    stderr_console().print(f"[yellow]note:[/yellow] {escape(terminal_safe(message))}")


def error_line(message: str) -> None:
    """Print a one-line error on stderr (never wrapped, never read as markup)."""
    sys.stderr.write(f"error: {terminal_safe(message)}\n")
    sys.stderr.flush()


def print_json(payload: Any) -> None:
    """Pretty JSON on stdout (UTF-8 names kept)."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")


def counts_table(title: str, counts: Mapping[str, int]) -> Table:
    """A two-column table of counts by type."""
    table = Table(title=title)
    table.add_column("type")
    table.add_column("count", justify="right")
    for name, count in counts.items():
        table.add_row(cell(name), str(count))
    return table


def frame_table(frame: pd.DataFrame, title: str | None = None) -> Table:
    """A DataFrame as a rich table."""
    table = Table(title=escape(terminal_safe(title)) if title else None)
    for col in frame.columns:
        table.add_column(cell(col))
    for row in frame.itertuples(index=False):
        table.add_row(*(cell(v) for v in row))
    return table


def frame_text(frame: pd.DataFrame, fmt: FrameFormat) -> str:
    """A DataFrame as CSV (formula cells neutralised), JSON (records) or a plain text table."""
    if fmt == "csv":
        return frame_csv(frame)
    if fmt == "json":
        return str(frame.to_json(orient="records", force_ascii=False, indent=2, double_precision=15)) + "\n"
    return str(frame.to_string(index=False)) + "\n"


def write_frame(
    frame: pd.DataFrame, fmt: FrameFormat, *, out_file: Path | None, title: str, force: bool = False
) -> None:
    """Write rows to ``out_file`` (atomically) or print them in the chosen format."""
    if out_file is not None:
        write_text(out_file, frame_text(frame, fmt), force=force)
        say(f"wrote {len(frame)} rows to {out_file}")
    elif fmt == "table":
        stdout_console().print(frame_table(frame, title))
    else:
        text = frame_text(frame, fmt)
        sys.stdout.write(terminal_safe(text, keep_newlines=True) if sys.stdout.isatty() else text)


@contextlib.contextmanager
def step_progress(first: str) -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar on stderr fed by aieco's (step, done, total) callbacks."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=stderr_console(), transient=True) as bar:
        task = bar.add_task(first, total=None)

        def advance(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        yield advance


@contextlib.contextmanager
def counted_progress(totals: Mapping[str, int]) -> Iterator[Callable[[str, int, int], None]]:
    """One progress bar per kind (e.g. nodes, relationships), advanced by (kind, n, total)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=stderr_console(), transient=True) as bar:
        tasks = {kind: bar.add_task(kind, total=total) for kind, total in totals.items()}

        def advance(kind: str, n: int, _total: int) -> None:
            bar.advance(tasks[kind], n)

        yield advance


def open_in_browser(path: Path) -> None:
    """Open a written page in the user's browser."""
    import webbrowser

    webbrowser.open(path.resolve().as_uri())
