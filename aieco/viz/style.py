"""Stable colours and shapes: one per node type, the same in every view and thumbnail."""

from __future__ import annotations

from dataclasses import dataclass

from aieco.graph.schema import REL_SPECS, NodeType, RelFamily, RelType


@dataclass(frozen=True)
class TypeStyle:
    """How one node type is drawn."""

    color: str
    shape: str  # a vis-network shape whose size follows ``size``
    marker: str  # the matplotlib marker drawing the same shape in thumbnails
    label: str


#: Node styles; shapes are all sized shapes so that size can carry centrality.
NODE_STYLES: dict[str, TypeStyle] = {
    NodeType.COUNTRY.value: TypeStyle("#264653", "hexagon", "h", "Country"),
    NodeType.REGION.value: TypeStyle("#2a9d8f", "hexagon", "h", "Region / state / province"),
    NodeType.CITY.value: TypeStyle("#1f77b4", "dot", "o", "City (metro area)"),
    NodeType.UNIVERSITY.value: TypeStyle("#9467bd", "triangle", "^", "University"),
    NodeType.RESEARCH_LAB.value: TypeStyle("#8c564b", "triangleDown", "v", "Research lab / institute"),
    NodeType.COMPANY.value: TypeStyle("#ff7f0e", "dot", "o", "Company"),
    NodeType.AI_MODEL.value: TypeStyle("#e377c2", "star", "*", "AI model / product"),
    NodeType.GOVERNMENT_BODY.value: TypeStyle("#d62728", "square", "s", "Government body"),
    NodeType.PLAN.value: TypeStyle("#bcbd22", "diamond", "D", "Plan / policy / programme"),
    NodeType.RANKING.value: TypeStyle("#17becf", "diamond", "D", "Ranking / list / group"),
    NodeType.COMPUTE_CENTER.value: TypeStyle("#7f7f7f", "square", "s", "Compute centre"),
    NodeType.PARK.value: TypeStyle("#2ca02c", "square", "s", "Park / pilot zone"),
    NodeType.PERSON.value: TypeStyle("#f4a261", "dot", "o", "Person"),
}
#: The style of an aggregate node (many entities drawn as one).
AGGREGATE_STYLE = TypeStyle("#6c757d", "dot", "o", "Group of entities")

#: Edge colours and legend words by relationship family (the schema gives each type its family).
REL_FAMILY_STYLES: dict[RelFamily, tuple[str, str]] = {
    "place": ("#9fb3c8", "containment"),
    "policy": ("#c0392b", "policy and support"),
    "market": ("#e67e22", "partnership, funding, lists"),
    "people": ("#8e44ad", "people, talent and co-authorship"),
    "product": ("#d35fb7", "products and spin-offs"),
    "claim": ("#adb5bd", "figures and what they refer to"),
}


def node_style(node_type: str) -> TypeStyle:
    """The style of a node type (aggregates and unknown types get a neutral grey).

    >>> node_style("City").shape, node_style("Company").color
    ('dot', '#ff7f0e')
    """
    return NODE_STYLES.get(node_type, AGGREGATE_STYLE)


def edge_color(rel_type: str) -> str:
    """The colour of a relationship type, by its family.

    >>> edge_color("SUPPORTS") == edge_color("ISSUED_BY")
    True
    """
    try:
        family = REL_SPECS[RelType(rel_type)].family
    except ValueError:
        family = "market"
    return REL_FAMILY_STYLES[family][0]


def edge_families() -> list[tuple[str, str]]:
    """(colour, meaning) of each edge family, for legends."""
    drawn = [f for f in REL_FAMILY_STYLES if f != "claim"]  # claims are not drawn as edges
    return [REL_FAMILY_STYLES[f] for f in drawn]
