"""One vocabulary: adding a node or relationship type is a checklist that fails loudly."""

from __future__ import annotations

import re
from collections import Counter
from importlib import resources
from typing import get_args

import pytest

import aieco
from aieco.graph.projection import PROJECTIONS, ProjectionName
from aieco.graph.schema import (
    DERIVED_RELS,
    ENTITY_TYPES,
    GOVERNMENT_SIDE_TYPES,
    ORG_TYPES,
    PLACE_LEVELS,
    PLACE_TYPES,
    REL_SPECS,
    RelFamily,
    RelType,
)
from aieco.loaders.synthetic import _MIX
from aieco.viz.style import NODE_STYLES, REL_FAMILY_STYLES


@pytest.mark.parametrize("kind", sorted(ENTITY_TYPES), ids=str)
def test_every_entity_type_has_a_style(kind: str) -> None:
    assert kind in NODE_STYLES, f"add {kind} to aieco/viz/style.py NODE_STYLES"


@pytest.mark.parametrize("kind", sorted(ENTITY_TYPES - PLACE_TYPES), ids=str)
def test_every_non_place_type_has_a_synthetic_share(kind: str) -> None:
    shares = {k.value: share for k, share, _ in _MIX}
    assert shares.get(kind, 0) > 0, f"add {kind} to aieco/loaders/synthetic.py _MIX"


def test_synthetic_prefixes_are_distinct() -> None:
    assert len({prefix for _, _, prefix in _MIX}) == len(_MIX)


@pytest.mark.parametrize("rel", sorted(RelType), ids=str)
def test_every_relationship_type_has_a_spec_and_a_drawn_family(rel: RelType) -> None:
    assert rel in REL_SPECS, f"add {rel} to aieco/graph/schema.py REL_SPECS"
    assert REL_SPECS[rel].family in get_args(RelFamily)
    assert REL_SPECS[rel].family in REL_FAMILY_STYLES


def test_synthetic_graphs_use_every_hand_written_relationship_type() -> None:
    eg = aieco.graph_from_synthetic(600, seed=2)
    used = Counter(t for *_, t in eg.G.edges(data="type"))
    missing = {r.value for r in RelType} - set(used) - {r.value for r in DERIVED_RELS}
    assert missing == set(), f"aieco/loaders/synthetic.py never draws {sorted(missing)}"


def test_place_levels_are_the_place_types() -> None:
    assert set(PLACE_LEVELS) == {t.value for t in PLACE_TYPES}


def test_projection_names_are_the_literal() -> None:
    assert set(PROJECTIONS) == set(get_args(ProjectionName))


_GROUP = re.compile(r"\(\s*(\w+):(\w+)(?:\s+OR\s+\1:\w+)+\s*\)")
_SCHEMA_GROUPS = {
    "ORG_TYPES": frozenset(t.value for t in ORG_TYPES),
    "GOVERNMENT_SIDE_TYPES": frozenset(t.value for t in GOVERNMENT_SIDE_TYPES),
    "PLACE_TYPES": frozenset(t.value for t in PLACE_TYPES),
}


def _cypher_groups() -> list[tuple[str, frozenset[str]]]:
    found = []
    folder = resources.files("aieco.queries") / "cypher"
    for entry in folder.iterdir():
        if not entry.name.endswith(".cypher"):
            continue
        text = entry.read_text(encoding="utf-8")
        for match in _GROUP.finditer(text):
            labels = frozenset(re.findall(rf"\b{match.group(1)}:(\w+)", match.group(0)))
            found.append((entry.name, labels))
    return found


def test_cypher_files_spell_schema_groups() -> None:
    groups = _cypher_groups()
    assert len(groups) >= 4  # co_membership, government_champion_pairs, place_rollup
    for name, labels in groups:
        assert labels in _SCHEMA_GROUPS.values(), (
            f"{name} hard-codes the label group {sorted(labels)}, no group of aieco/graph/schema.py; "
            "a new node type must be added there and here"
        )
