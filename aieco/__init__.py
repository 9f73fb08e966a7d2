"""aieco: a graph database of the AI innovation ecosystem.

Load the bundled, source-cited network and explore it in NetworkX:

>>> import aieco
>>> eg = aieco.graph_from_bundled()
>>> eg.resolve("iFlytek") == eg.resolve("科大讯飞") == eg.resolve("科大訊飛")
True
"""

from aieco._version import __version__
from aieco.errors import AiecoError, DataValidationError, Problem, UnknownEntityError
from aieco.graph import EcosystemGraph, NodeType, RelType
from aieco.loaders import graph_from_bundled, graph_from_files, graph_from_synthetic

__all__ = [
    "AiecoError",
    "DataValidationError",
    "EcosystemGraph",
    "NodeType",
    "Problem",
    "RelType",
    "UnknownEntityError",
    "__version__",
    "graph_from_bundled",
    "graph_from_files",
    "graph_from_synthetic",
]
