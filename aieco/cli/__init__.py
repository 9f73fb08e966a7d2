"""The ``aieco`` command line, one module per sub-app (data, viz, report, query, neo4j), with
shared options (:mod:`aieco.cli.options`) and output helpers (:mod:`aieco.cli.output`).

Every command prints one line on stderr and exits non-zero on failure, never a traceback
(unless ``--verbose``): 1 bad input, 2 bad usage, 3 Neo4j, 4 files (see :mod:`aieco.errors`).

Imports anything below it; nothing imports it.
"""

from aieco.cli.app import app, run
from aieco.cli.query_commands import catalogue_markdown

__all__ = ["app", "catalogue_markdown", "run"]
