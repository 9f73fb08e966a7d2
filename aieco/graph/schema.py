"""The aieco data model: node types, relationship types and their properties.

This module is the single source of truth for what a valid ecosystem graph is. Loaders
validate against it, the Neo4j store takes its labels and relationship types only from
its whitelists, and the synthetic generator builds graphs that satisfy it.

Three kinds of node live in one graph:

* **entities** — places, organisations, people, plans, rankings, models, sites;
* **observations** — quantitative claims ``(subject, indicator, value, unit, year, source,
  quote)``, stored as nodes joined to their subject by an ``ABOUT`` relationship (Neo4j
  properties cannot hold maps, so a claim with its provenance is a node of its own);
* **sources** — the documents every fact cites.

Examples
--------
>>> from aieco.graph.schema import NodeType, RelType, allowed_endpoints
>>> NodeType("City") in PLACE_TYPES
True
>>> RelType.HEADQUARTERED_IN.value
'HEADQUARTERED_IN'
>>> NodeType.CITY in allowed_endpoints(RelType.HEADQUARTERED_IN)[1]
True
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class NodeType(StrEnum):
    """Every node type; the value is also the Neo4j label."""

    COUNTRY = "Country"
    REGION = "Region"
    CITY = "City"
    UNIVERSITY = "University"
    RESEARCH_LAB = "ResearchLab"
    COMPANY = "Company"
    AI_MODEL = "AIModel"
    GOVERNMENT_BODY = "GovernmentBody"
    PLAN = "Plan"
    RANKING = "Ranking"
    COMPUTE_CENTER = "ComputeCenter"
    PARK = "Park"
    PERSON = "Person"
    SOURCE = "Source"
    OBSERVATION = "Observation"


class RelType(StrEnum):
    """Every relationship type; the value is also the Neo4j relationship type."""

    LOCATED_IN = "LOCATED_IN"
    PART_OF = "PART_OF"
    HEADQUARTERED_IN = "HEADQUARTERED_IN"
    ISSUED_BY = "ISSUED_BY"
    SUPPORTS = "SUPPORTS"
    TARGETS = "TARGETS"
    PARTNERS_WITH = "PARTNERS_WITH"
    LISTED_IN = "LISTED_IN"
    MEMBER_OF = "MEMBER_OF"
    DEVELOPS = "DEVELOPS"
    SPUN_OFF_FROM = "SPUN_OFF_FROM"
    FOUNDED = "FOUNDED"
    LEADS = "LEADS"
    WORKS_AT = "WORKS_AT"
    TALENT_FLOW = "TALENT_FLOW"
    COLLABORATES_WITH = "COLLABORATES_WITH"
    FUNDS = "FUNDS"
    HOSTS = "HOSTS"
    OPERATES = "OPERATES"
    SUCCEEDS = "SUCCEEDS"
    ABOUT = "ABOUT"
    RELATIVE_TO = "RELATIVE_TO"


PLACE_TYPES: frozenset[NodeType] = frozenset({NodeType.COUNTRY, NodeType.REGION, NodeType.CITY})
ORG_TYPES: frozenset[NodeType] = frozenset(
    {NodeType.UNIVERSITY, NodeType.RESEARCH_LAB, NodeType.COMPANY, NodeType.GOVERNMENT_BODY}
)
#: The organisation types' values, as the graph stores them in ``type``.
ORG_VALUES: frozenset[str] = frozenset(t.value for t in ORG_TYPES)
SITE_TYPES: frozenset[NodeType] = frozenset({NodeType.PARK, NodeType.COMPUTE_CENTER})
#: Every node type that is an entity (not a source document, not an observation).
ENTITY_TYPES: frozenset[NodeType] = frozenset(NodeType) - {NodeType.SOURCE, NodeType.OBSERVATION}
#: Types that may carry coordinates.
GEO_TYPES: frozenset[NodeType] = PLACE_TYPES | SITE_TYPES
#: Types that may carry a period (start and end years).
PERIOD_TYPES: frozenset[NodeType] = frozenset({NodeType.PLAN, NodeType.RANKING})
#: Relationship types that aieco derives from observations; never written by hand.
DERIVED_RELS: frozenset[RelType] = frozenset({RelType.ABOUT, RelType.RELATIVE_TO})
#: Containment: what places an entity inside a place (queries spell it ``[:LOCATED_IN|HEADQUARTERED_IN]``).
CONTAINMENT_RELS: frozenset[RelType] = frozenset({RelType.LOCATED_IN, RelType.HEADQUARTERED_IN})
#: "The government side" of a public–private pair: bodies, plans, zones and places standing for them.
GOVERNMENT_SIDE_TYPES: frozenset[NodeType] = PLACE_TYPES | frozenset(
    {NodeType.GOVERNMENT_BODY, NodeType.PLAN, NodeType.PARK}
)
#: Organisations, the people in them and the models they ship (the "organisations" projection).
ORG_PROJECTION_TYPES: frozenset[NodeType] = ORG_TYPES | frozenset({NodeType.PERSON, NodeType.AI_MODEL})

#: Place levels, smallest first: the levels of roll-ups, place queries and views.
PlaceLevel = Literal["City", "Region", "Country"]
PLACE_LEVELS: tuple[PlaceLevel, ...] = ("City", "Region", "Country")

#: Families of relationship types (the views colour edges by family).
RelFamily = Literal["place", "policy", "market", "people", "product", "claim"]

_ACTORS = ORG_TYPES | {NodeType.PERSON}
_ANY = ENTITY_TYPES


@dataclass(frozen=True)
class RelSpec:
    """What a relationship type connects and what it means."""

    sources: frozenset[NodeType]
    targets: frozenset[NodeType]
    meaning: str
    family: RelFamily
    needs_weight: bool = False


REL_SPECS: dict[RelType, RelSpec] = {
    RelType.LOCATED_IN: RelSpec(
        PLACE_TYPES | ORG_TYPES | SITE_TYPES | {NodeType.PERSON},
        PLACE_TYPES | {NodeType.PARK},
        "sits inside a place or park",
        family="place",
    ),
    RelType.PART_OF: RelSpec(_ANY, _ANY, "is a part, unit or sub-programme of", family="place"),
    RelType.HEADQUARTERED_IN: RelSpec(ORG_TYPES, PLACE_TYPES, "has its headquarters in", family="place"),
    RelType.ISSUED_BY: RelSpec(
        frozenset({NodeType.PLAN, NodeType.RANKING}),
        _ACTORS | PLACE_TYPES,
        "was issued or published by (a body, or a place standing for its government)",
        family="policy",
    ),
    RelType.SUPPORTS: RelSpec(
        _ACTORS | PLACE_TYPES | SITE_TYPES | {NodeType.PLAN},
        _ANY,
        "supports (policy, endorsement, deployment scenarios, resources)",
        family="policy",
    ),
    RelType.TARGETS: RelSpec(frozenset({NodeType.PLAN}), _ANY, "has as its target or scope", family="policy"),
    RelType.PARTNERS_WITH: RelSpec(
        _ACTORS | SITE_TYPES, _ACTORS | SITE_TYPES | PLACE_TYPES, "partners with", family="market"
    ),
    RelType.LISTED_IN: RelSpec(
        _ACTORS | PLACE_TYPES | {NodeType.AI_MODEL},
        frozenset({NodeType.RANKING}),
        "appears in a ranking or list (with rank, count and year)",
        family="market",
    ),
    RelType.MEMBER_OF: RelSpec(
        _ACTORS | PLACE_TYPES | {NodeType.AI_MODEL},
        frozenset({NodeType.RANKING}) | ORG_TYPES,
        "is a member of a group, batch or organisation",
        family="market",
    ),
    RelType.DEVELOPS: RelSpec(
        _ACTORS, frozenset({NodeType.AI_MODEL}), "develops a model or product", family="product"
    ),
    RelType.SPUN_OFF_FROM: RelSpec(
        ORG_TYPES, ORG_TYPES, "was founded out of (people or assets came from)", family="product"
    ),
    RelType.FOUNDED: RelSpec(
        frozenset({NodeType.PERSON}), ORG_TYPES | SITE_TYPES, "founded", family="people"
    ),
    RelType.LEADS: RelSpec(
        frozenset({NodeType.PERSON}), ORG_TYPES | SITE_TYPES | {NodeType.PLAN}, "leads", family="people"
    ),
    RelType.WORKS_AT: RelSpec(
        frozenset({NodeType.PERSON}), ORG_TYPES | SITE_TYPES, "works at", family="people"
    ),
    RelType.TALENT_FLOW: RelSpec(
        PLACE_TYPES | ORG_TYPES,
        PLACE_TYPES | ORG_TYPES,
        "talent moves from → to (weighted by share or count)",
        family="people",
        needs_weight=True,
    ),
    RelType.COLLABORATES_WITH: RelSpec(
        ORG_TYPES,
        ORG_TYPES,
        "co-authors works with (joint works in a year; stored from the smaller id to the larger)",
        family="people",
        needs_weight=True,
    ),
    RelType.FUNDS: RelSpec(
        _ACTORS | {NodeType.PLAN}, _ANY - {NodeType.PERSON}, "funds or invests in", family="market"
    ),
    RelType.HOSTS: RelSpec(
        PLACE_TYPES | SITE_TYPES | ORG_TYPES, _ANY - PLACE_TYPES, "hosts (on its ground)", family="place"
    ),
    RelType.OPERATES: RelSpec(ORG_TYPES, SITE_TYPES, "builds or operates a site", family="market"),
    RelType.SUCCEEDS: RelSpec(
        frozenset({NodeType.PLAN}),
        frozenset({NodeType.PLAN}),
        "takes over and extends (upgrades or replaces) an earlier plan",
        family="policy",
    ),
    RelType.ABOUT: RelSpec(frozenset({NodeType.OBSERVATION}), _ANY, "the subject of a claim", family="claim"),
    RelType.RELATIVE_TO: RelSpec(
        frozenset({NodeType.OBSERVATION}), _ANY, "the whole a share or comparison refers to", family="claim"
    ),
}


def allowed_endpoints(rel: RelType) -> tuple[frozenset[NodeType], frozenset[NodeType]]:
    """Return the node types a relationship may start from and end at.

    Parameters
    ----------
    rel
        The relationship type.

    Returns
    -------
    The (source types, target types) pair.
    """
    spec = REL_SPECS[rel]
    return spec.sources, spec.targets


#: How a fact's value is meant: measured, a plan's target, or a forecast.
ObservationKind = Literal["actual", "target", "forecast"]

#: Year bounds accepted anywhere in the data (seed 004 cites the year 1000).
MIN_YEAR = 1000
MAX_YEAR = 2100

#: Name fields, in display order; every one of them finds the entity in search.
NAME_FIELDS: tuple[str, ...] = ("name_en", "name_zh_hans", "name_zh_hant", "name_ja")
#: The scripts a name can be asked in (``name_<script>``).
NameScript = Literal["en", "zh_hans", "zh_hant", "ja"]

#: Provenance fields carried by every entity, relationship and observation.
PROVENANCE_FIELDS: tuple[str, ...] = ("source", "quote", "see_also", "conflict", "note")

#: Property names of each record kind, in CSV column order.
ENTITY_FIELDS: tuple[str, ...] = (
    "id",
    "type",
    *NAME_FIELDS,
    "aliases",
    "description",
    "year",
    "date",
    "period_start",
    "period_end",
    "lat",
    "lon",
    "coord_source",
    "coord_ref",
    "url",
    "ror",
    "openalex_id",
    "wikidata_id",
    *PROVENANCE_FIELDS,
)
RELATION_FIELDS: tuple[str, ...] = (
    "id",
    "from",
    "type",
    "to",
    "rank",
    "year",
    "date",
    "period_start",
    "period_end",
    "share",
    "count",
    "role",
    "researchers",
    *PROVENANCE_FIELDS,
)
OBSERVATION_FIELDS: tuple[str, ...] = (
    "id",
    "subject",
    "indicator",
    "value",
    "value_high",
    "value_text",
    "unit",
    "kind",
    "year",
    "period_start",
    "period_end",
    "relative_to",
    *PROVENANCE_FIELDS,
)
SOURCE_FIELDS: tuple[str, ...] = (
    "id",
    "title",
    "title_en",
    "publisher",
    "author",
    "language",
    "published",
    "file",
    "url",
    "note",
    "ledger_sentences",
    "ledger_facts",
    "ledger_captured",
    "ledger_partial",
    "ledger_gap_ids",
    "ledger_gap_details",
    "ledger_gap_values",
)
#: Fields aieco derives while building a graph (see :mod:`aieco.graph.support`): CSV tables leave
#: them out, and loading (CSV or JSON) ignores them and derives them again.
DERIVED_FIELDS: frozenset[str] = frozenset({"support"})

#: Fields that hold lists (written ``a|b|c`` in CSV, lists in Neo4j and JSON).
LIST_FIELDS: frozenset[str] = frozenset(
    {"aliases", "see_also", "researchers", "ledger_gap_ids", "ledger_gap_details", "ledger_gap_values"}
)


_ENTITY_TYPE_NAMES: frozenset[str] = frozenset(t.value for t in ENTITY_TYPES)


def is_entity_type(value: str) -> bool:
    """Tell whether ``value`` names an entity type (not Source, not Observation).

    >>> is_entity_type("Company"), is_entity_type("Observation"), is_entity_type("Startup")
    (True, False, False)
    """
    return value in _ENTITY_TYPE_NAMES
