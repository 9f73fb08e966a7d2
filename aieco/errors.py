"""The aieco exception hierarchy: every error aieco raises derives from `AiecoError`."""

from __future__ import annotations

from dataclasses import dataclass


class AiecoError(Exception):
    """Base class of every error raised by aieco."""


@dataclass(frozen=True)
class Problem:
    """One problem found in input data.

    Attributes
    ----------
    file
        The file (or other origin) the record came from.
    row
        The 1-based line number in that file (the header is line 1), or 0 when unknown.
    field
        The field (column) at fault, or ``""`` for the whole record.
    message
        What is wrong, in words.
    """

    file: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        if self.field:
            where += f" [{self.field}]"
        return f"{where}: {self.message}"


class DataValidationError(AiecoError):
    """Input data failed validation; nothing was built.

    ``problems`` lists every problem found, each with its file, row and field.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = f"\n  ... and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the input data:\n{shown}{more}")

    def first_line(self) -> str:
        """A one-line summary naming the first problem."""
        first = self.problems[0] if self.problems else "no details"
        extra = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        return f"{first}{extra}"


class UnknownEntityError(AiecoError, KeyError):
    """No entity matches the given id or name."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else "unknown entity"


class SchemaError(AiecoError):
    """A node type, relationship type or property is not in the schema."""


class ExportError(AiecoError):
    """A graph could not be exported or re-imported."""


class Neo4jError(AiecoError):
    """Base class of Neo4j connection and server errors."""


class Neo4jConnectionError(Neo4jError):
    """The server could not be reached (refused, closed port, wrong host)."""


class Neo4jAuthError(Neo4jError):
    """The server refused the credentials."""


class Neo4jVersionError(Neo4jError):
    """The server answered but is not Neo4j 5."""


class Neo4jSetupError(Neo4jError):
    """A local server could not be fetched, started or stopped (Java, Maven, ports, files)."""


class MissingDependencyError(AiecoError, ImportError):
    """An optional dependency is not installed; the message says what to install."""


class ViewError(AiecoError, ValueError):
    """A network view was asked for something it cannot draw (unknown view, wrong entity type)."""
