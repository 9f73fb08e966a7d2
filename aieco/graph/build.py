"""Turn validated records into an :class:`~aieco.graph.ecosystem.EcosystemGraph`.

All cross-record rules live here: unique ids, known references, allowed endpoint types,
quotes for facts drawn from documents. Every problem is collected with its file, row and
field before anything is raised, and the graph is only returned when there is none: a
build is all or nothing.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import networkx as nx

from aieco._version import __version__
from aieco.errors import DataValidationError, Problem
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.records import (
    Dataset,
    EntityRecord,
    ObservationRecord,
    Origin,
    RelationRecord,
    SourceRecord,
)
from aieco.graph.schema import REL_SPECS, NodeType, RelType
from aieco.graph.support import annotate_support

logger = logging.getLogger(__name__)


def _problem(origin: Origin, field: str, message: str) -> Problem:
    return Problem(origin.file, origin.row, field, message)


def check_dataset(data: Dataset) -> list[Problem]:
    """Check the references and cross-record rules of a dataset.

    Parameters
    ----------
    data
        Records that each passed their own validation.

    Returns
    -------
    Every problem found, in file order; empty when the dataset is consistent.
    """
    problems: list[Problem] = []
    seen: dict[str, Origin] = {}
    kinds: dict[str, NodeType] = {}

    def claim(node_id: str, kind: NodeType, origin: Origin) -> None:
        if node_id in seen:
            first = seen[node_id]
            problems.append(
                _problem(origin, "id", f"duplicate id {node_id!r} (first at {first.file}:{first.row})")
            )
            return
        seen[node_id] = origin
        kinds[node_id] = kind

    for src, origin in data.sources:
        claim(src.id, NodeType.SOURCE, origin)
    for ent, origin in data.entities:
        claim(ent.id, ent.type, origin)
    for obs, origin in data.observations:
        claim(obs.id, NodeType.OBSERVATION, origin)

    documents = {src.id: src for src, _ in data.sources}

    def check_source_ref(ref: str, field: str, origin: Origin) -> None:
        # a source whose own row failed was reported where it was defined
        if ref not in documents and ref not in data.failed_ids:
            problems.append(_problem(origin, field, f"unknown source {ref!r}"))

    def check_provenance(rec: EntityRecord | RelationRecord | ObservationRecord, origin: Origin) -> None:
        check_source_ref(rec.source, "source", origin)
        doc = documents.get(rec.source)
        if doc is not None and doc.file and not rec.quote:
            problems.append(
                _problem(origin, "quote", f"a fact from document {doc.id!r} needs the quoted sentence")
            )
        for extra in rec.see_also:
            check_source_ref(extra, "see_also", origin)

    def check_entity_ref(ref: str, field: str, origin: Origin) -> NodeType | None:
        kind = kinds.get(ref)
        if kind is None:
            if ref not in data.failed_ids:  # already reported where it was defined
                problems.append(_problem(origin, field, f"unknown entity {ref!r}"))
            return None
        if kind in (NodeType.SOURCE, NodeType.OBSERVATION):
            problems.append(_problem(origin, field, f"{ref!r} is a {kind.value}, not an entity"))
            return None
        return kind

    for ent, origin in data.entities:
        check_provenance(ent, origin)
        if ent.coord_source:
            check_source_ref(ent.coord_source, "coord_source", origin)

    rel_keys: dict[str, Origin] = {}
    for rel, origin in data.relations:
        check_provenance(rel, origin)
        if rel.key in rel_keys or rel.key in seen:
            first = rel_keys.get(rel.key) or seen[rel.key]
            problems.append(
                _problem(
                    origin,
                    "id",
                    f"duplicate relationship {rel.key!r} (first at {first.file}:{first.row});"
                    " give each an id",
                )
            )
        else:
            rel_keys[rel.key] = origin
        spec = REL_SPECS[rel.type]
        src_kind = check_entity_ref(rel.from_, "from", origin)
        dst_kind = check_entity_ref(rel.to, "to", origin)
        if src_kind is not None and src_kind not in spec.sources:
            problems.append(_problem(origin, "from", f"{rel.type.value} cannot start at a {src_kind.value}"))
        if dst_kind is not None and dst_kind not in spec.targets:
            problems.append(_problem(origin, "to", f"{rel.type.value} cannot end at a {dst_kind.value}"))

    for obs, origin in data.observations:
        check_provenance(obs, origin)
        check_entity_ref(obs.subject, "subject", origin)
        if obs.relative_to:
            check_entity_ref(obs.relative_to, "relative_to", origin)
    return problems


def _node_attrs(rec: SourceRecord | EntityRecord | ObservationRecord) -> dict[str, Any]:
    attrs = rec.properties()
    attrs.pop("id", None)
    if isinstance(rec, SourceRecord):
        attrs["type"] = NodeType.SOURCE.value
    elif isinstance(rec, ObservationRecord):
        attrs["type"] = NodeType.OBSERVATION.value
    else:
        attrs["type"] = rec.type.value
    return attrs


def build_graph(
    data: Dataset, *, name: str = "aieco", problems: list[Problem] | None = None
) -> EcosystemGraph:
    """Build an ecosystem graph from a dataset, or raise with every problem found.

    Parameters
    ----------
    data
        The records to load.
    name
        A name for the graph, stored on ``G.graph["name"]``.
    problems
        Problems already found while reading the records; they are reported together
        with the cross-record ones.

    Returns
    -------
    The graph, with provenance (aieco version, load time, files, sources) on ``G.graph``.

    Raises
    ------
    DataValidationError
        If any reference or cross-record rule fails; no graph is returned.
    """
    found = [*(problems or []), *check_dataset(data)]
    if found:
        raise DataValidationError(found)

    G = nx.MultiDiGraph()
    G.add_nodes_from((rec.id, _node_attrs(rec)) for rec, _ in data.sources)
    G.add_nodes_from((rec.id, _node_attrs(rec)) for rec, _ in data.entities)
    G.add_nodes_from((rec.id, _node_attrs(rec)) for rec, _ in data.observations)
    for rel, _ in data.relations:
        attrs = rel.properties()
        for drop in ("id", "from", "to"):
            attrs.pop(drop, None)
        attrs["type"] = rel.type.value
        G.add_edge(rel.from_, rel.to, key=rel.key, **attrs)
    for obs, _ in data.observations:
        prov = {k: v for k, v in obs.properties().items() if k in ("source", "quote", "see_also")}
        G.add_edge(obs.id, obs.subject, key=f"{obs.id}|ABOUT", type=RelType.ABOUT.value, **prov)
        if obs.relative_to:
            G.add_edge(
                obs.id,
                obs.relative_to,
                key=f"{obs.id}|RELATIVE_TO",
                type=RelType.RELATIVE_TO.value,
                **prov,
            )
    annotate_support(G)
    G.graph.update(
        name=name,
        aieco_version=__version__,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        files=list(data.files),
        sources=sorted(rec.id for rec, _ in data.sources),
    )
    logger.info(
        "built graph %r: %d nodes, %d edges from %d file(s)",
        name,
        G.number_of_nodes(),
        G.number_of_edges(),
        len(data.files),
    )
    return EcosystemGraph(G)
