"""Interactive network views (pyvis), written as self-contained offline HTML pages, their
layouts, thumbnails and the demo dashboard.

Imports :mod:`aieco.metrics`, :mod:`aieco.report` (for the demo), :mod:`aieco.graph` and below.
"""

from aieco.viz.geo import geographic
from aieco.viz.network import EcosystemNetwork, ViewMeta
from aieco.viz.registry import VIEWS, build_view
from aieco.viz.sankey import SankeyPage, sankey
from aieco.viz.talent_view import talent_flows
from aieco.viz.views import DEFAULT_MAX_NODES, city_ego, overview, plans, rankings

__all__ = [
    "DEFAULT_MAX_NODES",
    "VIEWS",
    "EcosystemNetwork",
    "SankeyPage",
    "ViewMeta",
    "build_view",
    "city_ego",
    "geographic",
    "overview",
    "plans",
    "rankings",
    "sankey",
    "talent_flows",
]
