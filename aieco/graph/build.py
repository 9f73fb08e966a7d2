"""Turn validated records into an :class:`~aieco.graph.ecosystem.EcosystemGraph`.

All cross-record rules live here: unique ids, known references, allowed endpoint types,
quotes for facts drawn from documents. Every problem is collected with its file, row and
field before anything is raised, and the graph is only returned when there is none: a
build is all or nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from aieco._version import __version__
from aieco.errors import DataValidationError, Problem
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.gcpause import paused_gc
from aieco.graph.records import (
    Dataset,
    EntityRecord,
    ObservationRecord,
    Origin,
    RelationColumns,
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
    for ent_id, ent_kind, origin in _entity_claims(data):
        claim(ent_id, ent_kind, origin)
    for obs, origin in data.observations:
        claim(obs.id, NodeType.OBSERVATION, origin)

    documents = {src.id: src for src, _ in data.sources}

    def check_source_ref(ref: str, field: str, origin: Origin) -> None:
        # a source whose own row failed was reported where it was defined
        if ref not in documents and ref not in data.failed_ids:
            problems.append(_problem(origin, field, f"unknown source {ref!r}"))

    def check_provenance(
        source: str, quote: str | None, see_also: Iterable[str] | None, origin: Origin
    ) -> None:
        check_source_ref(source, "source", origin)
        doc = documents.get(source)
        if doc is not None and doc.file and not quote:
            problems.append(
                _problem(origin, "quote", f"a fact from document {doc.id!r} needs the quoted sentence")
            )
        for extra in see_also or ():
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

    for source, quote, see_also, coord_source, origin in _entity_provenance(data):
        check_provenance(source, quote, see_also, origin)
        if coord_source:
            check_source_ref(coord_source, "coord_source", origin)

    rel_keys: dict[str, Origin] = {}
    for rel, origin in data.relations:
        check_provenance(rel.source, rel.quote, rel.see_also, origin)
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

    for n, table in enumerate(data.relation_columns, start=1):
        last = n == len(data.relation_columns)
        problems += _check_columns(table, data, documents, kinds, seen, rel_keys, remember=not last)

    for obs, origin in data.observations:
        check_provenance(obs.source, obs.quote, obs.see_also, origin)
        check_entity_ref(obs.subject, "subject", origin)
        if obs.relative_to:
            check_entity_ref(obs.relative_to, "relative_to", origin)
    return problems


_TYPE_BY_NAME: dict[str, NodeType] = {t.value: t for t in NodeType}
_KINDS: tuple[NodeType, ...] = tuple(NodeType)
_KIND_INDEX: dict[NodeType | None, int] = {t: i for i, t in enumerate(_KINDS)}


def _entity_claims(data: Dataset) -> list[tuple[str, NodeType, Origin]]:
    """Every entity's id, type and origin, in file and line order (records and columns mixed, as
    the row path would have read them), so that a duplicate is reported where the row path does."""
    claims = [(ent.id, ent.type, origin) for ent, origin in data.entities]
    if not data.entity_columns:
        return claims
    for table in data.entity_columns:
        cols = table.columns
        origins = (Origin(table.file, line) for line in table.lines)
        claims += zip(cols["id"], map(_TYPE_BY_NAME.__getitem__, cols["type"]), origins, strict=True)
    rank = {name: i for i, name in enumerate(data.files)}
    claims.sort(key=lambda c: (rank.get(c[2].file, len(rank)), c[2].row))
    return claims


def _entity_provenance(
    data: Dataset,
) -> Iterator[tuple[str, str | None, list[str] | None, str | None, Origin]]:
    """Every entity's source, quote, see_also, coord_source and origin: records, then the rows of
    the column-wise tables."""
    for ent, origin in data.entities:
        yield ent.source, ent.quote, ent.see_also, ent.coord_source, origin
    for table in data.entity_columns:
        c = table.columns
        rows = zip(table.lines, c["source"], c["quote"], c["see_also"], c["coord_source"], strict=True)
        for line, source, quote, see_also, coord_source in rows:
            yield source, quote, see_also, coord_source, Origin(table.file, line)


def _check_columns(
    table: RelationColumns,
    data: Dataset,
    documents: dict[str, SourceRecord],
    kinds: dict[str, NodeType],
    seen: dict[str, Origin],
    rel_keys: dict[str, Origin],
    *,
    remember: bool,
) -> list[Problem]:
    """The cross-record rules of :func:`check_dataset` on a column-wise relations table,
    vectorised: only the rows that break a rule are visited one by one."""
    cols = table.columns
    found: list[tuple[int, str, str]] = []  # (row index, field, message)
    source = pd.Series(cols["source"], dtype=object)
    for i in np.flatnonzero(~source.isin(documents.keys() | data.failed_ids).to_numpy()).tolist():
        found.append((i, "source", f"unknown source {cols['source'][i]!r}"))
    quoted = {s for s, doc in documents.items() if doc.file}
    if quoted:
        needs = source.isin(quoted).to_numpy() & pd.Series(cols["quote"], dtype=object).isna().to_numpy()
        for i in np.flatnonzero(needs).tolist():
            found.append(
                (i, "quote", f"a fact from document {cols['source'][i]!r} needs the quoted sentence")
            )
    for i, extras in enumerate(cols["see_also"]):
        for extra in extras or ():
            if extra not in documents and extra not in data.failed_ids:
                found.append((i, "see_also", f"unknown source {extra!r}"))
    keys = pd.Series(table.keys(), dtype=object)
    firsts: dict[str, int] = {}
    clash = keys.isin(rel_keys.keys() | seen.keys()).to_numpy() | keys.duplicated().to_numpy()
    for i in np.flatnonzero(clash).tolist():
        key = str(keys.iat[i])
        if key in rel_keys or key in seen:
            first = rel_keys.get(key) or seen[key]
        else:
            at = firsts.setdefault(key, int(np.flatnonzero((keys == key).to_numpy())[0]))
            first = Origin(table.file, table.lines[at])
        found.append(
            (i, "id", f"duplicate relationship {key!r} (first at {first.file}:{first.row}); give each an id")
        )
    types, type_names = pd.factorize(np.asarray(cols["type"], dtype=object))
    for end, column, side in (("from", cols["from"], 0), ("to", cols["to"], 1)):
        # each distinct id looked up once: its kind's position in _KINDS, or -1 when unknown
        ends, ids = pd.factorize(np.asarray(column, dtype=object))
        kind_of_id = np.array([_KIND_INDEX.get(kinds.get(x), -1) for x in ids.tolist()], dtype=np.int64)
        unknown_ids = [
            j for j, x in enumerate(ids.tolist()) if kind_of_id[j] < 0 and x not in data.failed_ids
        ]
        for i in np.flatnonzero(np.isin(ends, unknown_ids)).tolist():
            found.append((i, end, f"unknown entity {column[i]!r}"))
        kind = kind_of_id[ends]
        pair = types * len(_KINDS) + kind  # (type, kind) as one number; unknown ends left out
        for code in np.unique(pair[kind >= 0]).tolist():
            t, k = str(type_names[code // len(_KINDS)]), _KINDS[code % len(_KINDS)]
            if k in (NodeType.SOURCE, NodeType.OBSERVATION):
                message = f"{{ref!r}} is a {k.value}, not an entity"
            elif k not in (REL_SPECS[RelType(t)].sources, REL_SPECS[RelType(t)].targets)[side]:
                message = f"{t} cannot {'start' if side == 0 else 'end'} at a {k.value}"
            else:
                continue
            for i in np.flatnonzero(pair == code).tolist():
                found.append((i, end, message.replace("{ref!r}", repr(column[i]))))
    if remember:  # another table follows: its duplicates of these keys must be found
        rel_keys.update(
            (k, Origin(table.file, line)) for k, line in zip(keys.tolist(), table.lines, strict=True)
        )
    found.sort()
    return [_problem(Origin(table.file, table.lines[i]), f, m) for i, f, m in found]


def _add_checked_edges(G: nx.MultiDiGraph, edges: Iterable[tuple[str, str, str, dict[str, Any]]]) -> None:
    """Insert edges whose ends exist and whose keys are unique (both checked), as
    ``MultiDiGraph.add_edge`` would store them, without its per-edge bookkeeping: a million
    relationships go in about twice as fast."""
    succ, pred = G._succ, G._pred
    new_keydict = G.edge_key_dict_factory
    for u, v, key, attrs in edges:
        keydict = succ[u].get(v)
        if keydict is None:
            keydict = new_keydict()
            succ[u][v] = keydict
            pred[v][u] = keydict
        keydict[key] = attrs
    G.__networkx_cache__.clear()  # the edges went in beside add_edge: drop what NetworkX cached


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
    data: Dataset, *, name: str = "aieco", problems: list[Problem] | None = None, consume: bool = False
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
    consume
        The dataset is the builder's to empty: each column-wise table's columns are released
        once its rows are in the graph (a million relationships' columns are ~100 MB).

    Returns
    -------
    The graph, with provenance (aieco version, load time, files, sources) on ``G.graph``.

    Raises
    ------
    DataValidationError
        If any reference or cross-record rule fails; no graph is returned.
    """
    with paused_gc():  # millions of new objects and no cycles among them (see aieco.graph.gcpause)
        return _build_graph(data, name=name, problems=problems, consume=consume)


def _build_graph(
    data: Dataset, *, name: str, problems: list[Problem] | None, consume: bool
) -> EcosystemGraph:
    found = [*(problems or []), *check_dataset(data)]
    if found:
        raise DataValidationError(found)

    G = nx.MultiDiGraph()
    G.add_nodes_from((rec.id, _node_attrs(rec)) for rec, _ in data.sources)
    G.add_nodes_from((rec.id, _node_attrs(rec)) for rec, _ in data.entities)
    for entities in data.entity_columns:
        G.add_nodes_from(entities.nodes())
        if consume:
            entities.release()
    G.add_nodes_from((rec.id, _node_attrs(rec)) for rec, _ in data.observations)
    for rel, _ in data.relations:
        attrs = rel.properties()
        for drop in ("id", "from", "to"):
            attrs.pop(drop, None)
        attrs["type"] = rel.type.value
        G.add_edge(rel.from_, rel.to, key=rel.key, **attrs)
    quoted = [(rel.from_, rel.to, rel.key) for rel, _ in data.relations if rel.quote]
    for table in data.relation_columns:
        quotes = table.columns["quote"]
        if quotes.count(None) < len(quotes):
            ends = zip(table.columns["from"], table.columns["to"], table.keys(), quotes, strict=True)
            quoted += [(u, v, key) for u, v, key, quote in ends if quote is not None]
        _add_checked_edges(G, table.edges())
        if consume:
            table.release()
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
    annotate_support(G, quoted_edges=((u, v, G.edges[u, v, key]) for u, v, key in quoted))
    G.graph.update(
        name=name,
        aieco_version=__version__,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        files=list(data.files),
        sources=sorted(rec.id for rec, _ in data.sources),
    )
    if logger.isEnabledFor(logging.INFO):  # a MultiDiGraph counts its edges one node at a time
        logger.info(
            "built graph %r: %d nodes, %d edges from %d file(s)",
            name,
            G.number_of_nodes(),
            G.number_of_edges(),
            len(data.files),
        )
    return EcosystemGraph(G)
