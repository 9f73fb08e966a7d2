"""Loaders (``graph_from_<source>``): the bundled dataset, users' CSV/JSON files and synthetic
ecosystems, each validated against the schema and all-or-nothing.

Imports :mod:`aieco.graph` and :mod:`aieco.errors` only.
"""

from aieco.loaders.bundled import graph_from_bundled
from aieco.loaders.files import graph_from_files, load_dataset, read_dataset
from aieco.loaders.synthetic import graph_from_synthetic

__all__ = ["graph_from_bundled", "graph_from_files", "graph_from_synthetic", "load_dataset", "read_dataset"]
