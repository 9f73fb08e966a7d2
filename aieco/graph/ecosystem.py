"""The in-memory ecosystem graph: a NetworkX ``MultiDiGraph`` with typed views.

Nodes are keyed by id and carry a ``type`` attribute (a :class:`~aieco.graph.schema.NodeType`
value) plus their properties; edges are keyed by relationship id and carry a ``type``
(a :class:`~aieco.graph.schema.RelType` value). Observations and sources are nodes too, so
that everything a query needs is in one graph, as it is in Neo4j.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd

from aieco.errors import UnknownEntityError
from aieco.graph.names import match_score, normalize
from aieco.graph.schema import (
    DERIVED_RELS,
    ENTITY_TYPES,
    NAME_FIELDS,
    NodeType,
    RelType,
)


@dataclass(frozen=True)
class SearchHit:
    """One entity found by :meth:`EcosystemGraph.search`."""

    id: str
    type: str
    name_en: str
    matched: str
    field: str
    score: int


class EcosystemGraph:
    """An AI-ecosystem graph held in NetworkX.

    Parameters
    ----------
    G
        The underlying multigraph; aieco's loaders build it, and
        :func:`aieco.graph.build.build_graph` documents its shape.

    Examples
    --------
    >>> import aieco
    >>> eg = aieco.graph_from_bundled()
    >>> eg.resolve("科大訊飛")
    'iflytek'
    >>> eg.node("iflytek")["type"]
    'Company'
    """

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G = G
        self._name_index: list[tuple[str, str, str, str]] | None = None
        self._name_key: int | None = None

    # ---- basic access -------------------------------------------------------------
    def __repr__(self) -> str:
        return (
            f"EcosystemGraph({self.G.graph.get('name', 'aieco')!r}: "
            f"{self.number_of_entities()} entities, {self.G.number_of_edges()} edges)"
        )

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.G

    @property
    def provenance(self) -> dict[str, Any]:
        """The graph-level provenance: aieco version, creation time, files and sources."""
        return dict(self.G.graph)

    def node(self, node_id: str) -> dict[str, Any]:
        """Return a node's properties (a copy), raising :class:`UnknownEntityError`."""
        if node_id not in self.G:
            raise UnknownEntityError(f"no node with id {node_id!r}")
        return dict(self.G.nodes[node_id])

    def node_type(self, node_id: str) -> str:
        """Return a node's type, e.g. ``'City'``."""
        return str(self.node(node_id)["type"])

    def ids(self, types: Iterable[NodeType | str] | None = None) -> Iterator[str]:
        """Iterate over node ids, optionally only those of the given types."""
        wanted = None if types is None else {str(t) for t in types}
        for node_id, kind in self.G.nodes(data="type"):
            if wanted is None or kind in wanted:
                yield node_id

    def entity_ids(self) -> Iterator[str]:
        """Iterate over the ids of entities (neither sources nor observations)."""
        return self.ids(ENTITY_TYPES)

    def number_of_entities(self) -> int:
        """Count the entities (neither sources nor observations)."""
        return sum(1 for _ in self.entity_ids())

    def display_name(self, node_id: str) -> str:
        """The English name, followed by the first original-script name where there is one."""
        attrs = self.node(node_id)
        name = str(attrs.get("name_en") or attrs.get("title") or node_id)
        for field in NAME_FIELDS[1:]:
            other = attrs.get(field)
            if other and other != name:
                return f"{name} ({other})"
        return name

    # ---- tables -------------------------------------------------------------------
    def entities(self, types: Iterable[NodeType | str] | None = None) -> pd.DataFrame:
        """Entities as a DataFrame indexed by id (one column per property)."""
        rows = [{"id": n, **self.G.nodes[n]} for n in self.ids(ENTITY_TYPES if types is None else types)]
        return pd.DataFrame(rows).set_index("id") if rows else pd.DataFrame()

    def relations(
        self, types: Iterable[RelType | str] | None = None, *, derived: bool = False
    ) -> pd.DataFrame:
        """Relationships as a DataFrame with ``id``, ``from``, ``to``, ``type`` and properties.

        Parameters
        ----------
        types
            Only these relationship types.
        derived
            Include the ``ABOUT``/``RELATIVE_TO`` edges aieco derives from observations.
        """
        wanted = None if types is None else {str(t) for t in types}
        skip = set() if derived else {r.value for r in DERIVED_RELS}
        rows = [
            {"id": key, "from": u, "to": v, **attrs}
            for u, v, key, attrs in self.G.edges(keys=True, data=True)
            if attrs["type"] not in skip and (wanted is None or attrs["type"] in wanted)
        ]
        return pd.DataFrame(rows)

    def observations(self, *, subject: str | None = None, indicator: str | None = None) -> pd.DataFrame:
        """Observations as a DataFrame, optionally for one subject and/or indicator."""
        rows = []
        for node_id in self.ids([NodeType.OBSERVATION]):
            attrs = self.G.nodes[node_id]
            if subject is not None and attrs.get("subject") != subject:
                continue
            if indicator is not None and attrs.get("indicator") != indicator:
                continue
            rows.append({"id": node_id, **attrs})
        return pd.DataFrame(rows)

    # ---- search -------------------------------------------------------------------
    def _index(self) -> list[tuple[str, str, str, str]]:
        # kept with what it is made of, the names: a node added, removed or renamed since
        # (through eg.G) rebuilds it; comparing names is cheap, normalising them is not
        G = self.G
        key = hash(
            tuple(
                (n, *(a.get(f) for f in NAME_FIELDS), *(a.get("aliases") or ()))
                for n, a in G.nodes(data=True)
            )
        )
        if self._name_index is None or self._name_key != key:
            self._name_key = key
            index = []
            for node_id in self.entity_ids():
                attrs = self.G.nodes[node_id]
                names = [(f, attrs.get(f)) for f in NAME_FIELDS]
                names += [("aliases", a) for a in attrs.get("aliases", [])]
                names.append(("id", node_id))
                for field, name in names:
                    if name:
                        index.append((node_id, field, str(name), normalize(str(name))))
            self._name_index = index
        return self._name_index

    def search(
        self,
        text: str,
        *,
        types: Iterable[NodeType | str] | None = None,
        limit: int = 20,
    ) -> list[SearchHit]:
        """Find entities by any of their names or aliases, in any script.

        Parameters
        ----------
        text
            A name or part of one: ``"iFlytek"``, ``"科大讯飞"``, ``"科大訊飛"``.
        types
            Only entities of these types.
        limit
            At most this many hits.

        Returns
        -------
        Hits, best first: exact matches, then prefixes, then substrings; shorter names first.
        """
        query = normalize(text)
        wanted = None if types is None else {str(t) for t in types}
        best: dict[str, SearchHit] = {}

        def rank(score: int, name: str) -> tuple[int, bool, int]:
            return score, name.strip() == text.strip(), -len(name)

        for node_id, field, name, norm in self._index():
            score = match_score(query, norm)
            if not score:
                continue
            kind = self.G.nodes[node_id]["type"]
            if wanted is not None and kind not in wanted:
                continue
            old = best.get(node_id)
            if old is None or rank(score, name) > rank(old.score, old.matched):
                best[node_id] = SearchHit(node_id, kind, self.G.nodes[node_id]["name_en"], name, field, score)
        hits = sorted(best.values(), key=lambda h: (-h.score, len(h.matched), h.id))
        return hits[:limit]

    def named(self, name: str, *, types: Iterable[NodeType | str] | None = None) -> list[str]:
        """The ids of the entities one of whose names or aliases, in any script, is ``name``
        (compared as :func:`aieco.graph.names.normalize` does: NFKC, 繁體 as 简体, case-folded,
        without separators), sorted.

        The one name lookup of the loaders (a spreadsheet's targets and places) and of
        :meth:`resolve`.
        """
        return sorted({h.id for h in self.search(name, types=types, limit=50) if h.score == 3})

    def resolve(self, name_or_id: str, *, types: Iterable[NodeType | str] | None = None) -> str:
        """Return the id of the entity a name or id designates.

        An id wins; otherwise the single best exact name match. Raises
        :class:`UnknownEntityError` when nothing, or more than one entity, matches exactly.
        """
        if name_or_id in self.G and self.G.nodes[name_or_id]["type"] in {t.value for t in ENTITY_TYPES}:
            return name_or_id
        exact = self.named(name_or_id, types=types)
        if len(exact) == 1:
            return exact[0]
        if not exact:
            raise UnknownEntityError(f"no entity is named {name_or_id!r}")
        names = ", ".join(exact)
        raise UnknownEntityError(f"{name_or_id!r} names several entities: {names}")

    # ---- summary ------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """Counts by node and edge type, source coverage, and the graph's provenance."""
        node_types = Counter(kind for _, kind in self.G.nodes(data="type"))
        edge_types = Counter[str]()
        facts = Counter[str]()
        sourced = Counter[str]()
        totals = Counter[str]()
        for _, attrs in self.G.nodes(data=True):
            if attrs["type"] == NodeType.SOURCE.value:
                continue
            group = "observations" if attrs["type"] == NodeType.OBSERVATION.value else "entities"
            totals[group] += 1
            if attrs.get("source") in self.G:
                sourced[group] += 1
                facts[attrs["source"]] += 1
            if attrs.get("coord_source") in self.G:
                facts[attrs["coord_source"]] += 1
        derived = {r.value for r in DERIVED_RELS}
        by_source = Counter[Any]()  # one pass over the edges (a million of them at scale)
        for _, neighbours in self.G.adjacency():
            for by_key in neighbours.values():
                for attrs in by_key.values():
                    edge_types[attrs["type"]] += 1
                    if attrs["type"] not in derived:
                        by_source[attrs.get("source")] += 1
        totals["relationships"] = sum(by_source.values())
        for source, n in by_source.items():
            if source in self.G:
                sourced["relationships"] += n
                facts[source] += n
        coverage = {
            group: (sourced[group] / totals[group] if totals[group] else 1.0)
            for group in ("entities", "relationships", "observations")
        }
        sources = {
            src: {
                "title": self.G.nodes[src].get("title"),
                "file": self.G.nodes[src].get("file"),
                "url": self.G.nodes[src].get("url"),
                "facts": facts.get(src, 0),
            }
            for src in self.ids([NodeType.SOURCE])
        }
        return {
            "name": self.G.graph.get("name"),
            "aieco_version": self.G.graph.get("aieco_version"),
            "created": self.G.graph.get("created"),
            "files": self.G.graph.get("files", []),
            "nodes": self.G.number_of_nodes(),
            "edges": self.G.number_of_edges(),
            "entities": totals["entities"],
            "relationships": totals["relationships"],
            "observations": totals["observations"],
            "sources": len(sources),
            "node_types": dict(sorted(node_types.items())),
            "edge_types": dict(sorted(edge_types.items())),
            "with_source": coverage,
            "source_facts": sources,
        }
