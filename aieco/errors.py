"""The aieco exception hierarchy: every error aieco raises derives from `AiecoError`.

Each class carries the exit code the command line gives it (``exit_code``); the CLI prints
one line for any of them and never a traceback (unless ``--verbose``):

====  ==================================================================================
code  meaning
====  ==================================================================================
0     success
1     bad input: data that fails validation, an argument out of range, an unknown name
2     bad usage: an unknown command or option, a value of the wrong kind (from the parser)
3     Neo4j: the server cannot be reached, refuses the credentials, or fails the request
4     files: a path cannot be read or written (missing, a folder, no permission, disk full)
====  ==================================================================================

This module is the bottom of the package: it imports nothing from aieco.
"""

from __future__ import annotations

from dataclasses import dataclass


class AiecoError(Exception):
    """Base class of every error raised by aieco."""

    #: The exit code of the command line for this error.
    exit_code: int = 1


class InvalidArgumentError(AiecoError, ValueError):
    """An argument is out of range or of the wrong kind (e.g. a synthetic graph of 5 nodes)."""


class FileAccessError(AiecoError):
    """A path could not be read or written; the message names the path and the reason."""

    exit_code = 4


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


class ExportError(FileAccessError):
    """A graph, view or report could not be written."""


class QueryError(AiecoError, ValueError):
    """A query name, engine or parameter is wrong."""


class Neo4jError(AiecoError):
    """Base class of Neo4j connection and server errors."""

    exit_code = 3


class Neo4jConnectionError(Neo4jError):
    """The server could not be reached (refused, closed port, wrong host)."""


class Neo4jAuthError(Neo4jError):
    """The server refused the credentials."""


class Neo4jReadOnlyError(Neo4jError):
    """A query given as read-only would write, administer the server or fetch a file or URL."""

    exit_code = 1


class Neo4jVersionError(Neo4jError):
    """The server answered but is not Neo4j 5."""


class Neo4jSetupError(Neo4jError):
    """A local server could not be fetched, started or stopped (Java, Maven, ports, files)."""


class OpenDataError(AiecoError):
    """A request to an open-data service (OpenAlex, ROR, Wikidata) that failed; the message names
    the URL, the status and what to do."""

    exit_code = 5


class NotFoundError(OpenDataError):
    """The service answered 404 for an entity (loaders count it as a skip)."""


class MissingDependencyError(AiecoError, ImportError):
    """An optional dependency is not installed; the message says what to install."""


class ViewError(AiecoError, ValueError):
    """A network view was asked for something it cannot draw (unknown view, wrong entity type)."""
