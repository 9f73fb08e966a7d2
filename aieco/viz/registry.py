"""Every view by its name: how it is built, what kind of page it is, which options it takes.

One registry that the CLI (``aieco viz VIEW``), the dashboard, its thumbnails and the tests
read: a new view is one function and one entry here.

=================  =========  =========================================================
view               kind       what it shows
=================  =========  =========================================================
``overview``       network    every entity, coloured and shaped by type, sized by a centrality
``city``           network    one city's ego network: what sits in and around it, to a depth
``talent``         network    talent flows (width by share or count) and the spin-off lineage
``plans``          network    government bodies → plans → what they support → where, in columns
``geo``            network    cities on the map, organisations around them, a flow map
``rankings``       network    rankings and lists with their members, grouped by state or province
``sankey``         page       talent flows between places as bands, origins left, destinations right
=================  =========  =========================================================

Examples
--------
>>> import aieco
>>> page = build_view(aieco.graph_from_bundled(), "city", city="合肥", depth=1)
>>> VIEWS["city"].kind, page.meta.view
('network', 'city')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from aieco.errors import ViewError
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.projection import graph_as_of
from aieco.viz.geo import geographic
from aieco.viz.network import EcosystemNetwork, PageOutput
from aieco.viz.sankey import SankeyPage, sankey
from aieco.viz.talent_view import talent_flows
from aieco.viz.views import city_ego, overview, plans, rankings

PageKind = Literal["network", "page"]
_SIZED = frozenset({"size_by", "max_nodes"})


@dataclass(frozen=True)
class ViewSpec:
    """One view: the function building it, its kind, and the keyword options it accepts."""

    build: Callable[..., PageOutput]
    kind: PageKind
    options: frozenset[str]
    required: frozenset[str] = frozenset()

    def accepted(self, given: dict[str, Any]) -> dict[str, Any]:
        """The options of ``given`` (those not None) this view takes; a missing required one is an
        error naming it."""
        missing = sorted(o for o in self.required if given.get(o) is None)
        if missing:
            raise ViewError(f"this view needs --{missing[0].replace('_', '-')}")
        return {k: v for k, v in given.items() if k in self.options and v is not None}


#: Every view by its CLI name.
VIEWS: dict[str, ViewSpec] = {
    "overview": ViewSpec(overview, "network", _SIZED | {"degrade", "collaboration"}),
    "city": ViewSpec(city_ego, "network", _SIZED | {"city", "depth", "collaboration"}, frozenset({"city"})),
    "talent": ViewSpec(talent_flows, "network", _SIZED | {"level", "lineage"}),
    "plans": ViewSpec(plans, "network", _SIZED | {"plan"}),
    "geo": ViewSpec(geographic, "network", _SIZED),
    "rankings": ViewSpec(rankings, "network", _SIZED | {"ranking"}),
    "sankey": ViewSpec(sankey, "page", frozenset({"level", "since", "until", "top"})),
}


def build_view(eg: EcosystemGraph, view: str, *, as_of: int | None = None, **options: Any) -> Any:
    """Build a view by its name (see :data:`VIEWS`), optionally of the ecosystem as of a year.

    ``as_of`` keeps only the entities, relationships and figures valid that year (the rule of
    the metrics' ``--as-of``, see :func:`aieco.graph.projection.graph_as_of`). Returns an
    :class:`~aieco.viz.network.EcosystemNetwork` or, for ``sankey``, a
    :class:`~aieco.viz.sankey.SankeyPage`.
    """
    try:
        spec = VIEWS[view]
    except KeyError:
        raise ViewError(f"unknown view {view!r}; choose from {', '.join(VIEWS)}") from None
    if as_of is None:
        return spec.build(eg, **options)
    then = graph_as_of(eg, as_of)
    page = spec.build(then, **options)
    hidden = eg.number_of_entities() - then.number_of_entities()
    page.meta.stats["as of"] = as_of
    page.meta.notices.insert(
        0,
        f"The ecosystem as of {as_of}: {then.number_of_entities():,} entities valid that year "
        f"({hidden:,} founded, started or listed later, or ended before, are left out).",
    )
    return page


def thumbnail_of(page: Any) -> bytes:
    """The dashboard's picture of a page, from the page's own layout."""
    if isinstance(page, SankeyPage):
        return page.thumbnail_png()
    if isinstance(page, EcosystemNetwork):
        from aieco.viz.thumbnail import thumbnail_png

        return thumbnail_png(page)
    raise ViewError(f"no thumbnail for a {type(page).__name__}")
