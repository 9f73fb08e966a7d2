"""Readers that turn sources into validated records and graphs."""

from aieco.loaders.bundled import graph_from_bundled
from aieco.loaders.files import graph_from_files, load_dataset, read_dataset
from aieco.loaders.synthetic import graph_from_synthetic

__all__ = ["graph_from_bundled", "graph_from_files", "graph_from_synthetic", "load_dataset", "read_dataset"]
