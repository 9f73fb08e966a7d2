"""Layouts checked against geometry computed here: no two discs overlap, components stay apart,
one stray node does not set the scale, flows get room, columns cross few edges."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

import aieco
from aieco.viz import build_view
from aieco.viz.layout import EDGE_ROOM, arrange, columns, separate


def _overlaps(xy: dict[str, tuple[float, float]], radii: dict[str, float]) -> list[tuple[str, str]]:
    return [
        (a, b)
        for a, b in itertools.combinations(xy, 2)
        if np.hypot(xy[a][0] - xy[b][0], xy[a][1] - xy[b][1]) < radii[a] + radii[b] - 1e-6
    ]


def test_separate_leaves_no_two_discs_overlapping() -> None:
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 50, size=(150, 2))  # 150 discs of radius 4–20 in a 50 × 50 square
    radii = rng.uniform(4, 20, size=150)
    out = separate(xy, radii, gap=2)
    d = np.linalg.norm(out[:, None, :] - out[None, :, :], axis=2)
    need = radii[:, None] + radii[None, :] + 2 - 1e-6
    np.fill_diagonal(d, np.inf)
    assert (d >= need).all()


def test_a_fixed_disc_does_not_move() -> None:
    xy = np.array([[0.0, 0.0], [1.0, 0.0]])
    out = separate(xy, np.array([10.0, 10.0]), gap=0, fixed=np.array([True, False]))
    assert tuple(out[0]) == (0.0, 0.0)
    assert out[1][0] >= 20 - 1e-6


def test_components_are_laid_out_apart_and_nothing_overlaps() -> None:
    G = nx.disjoint_union_all([nx.complete_graph(6), nx.path_graph(5), nx.star_graph(7)])
    G.add_nodes_from(range(100, 108))  # eight isolated nodes
    nodes = [str(n) for n in G]
    edges = [(str(u), str(v)) for u, v in G.edges]
    radii = {n: 8.0 + (int(n) % 5) * 4 for n in nodes}
    at = arrange(nodes, edges, radii)
    assert not _overlaps(at, radii)
    boxes = []
    for component in nx.connected_components(G):
        pts = np.array([at[str(n)] for n in component])
        r = np.array([radii[str(n)] for n in component])
        boxes.append((*(pts - r[:, None]).min(axis=0), *(pts + r[:, None]).max(axis=0)))
    for a, b in itertools.combinations(boxes, 2):  # the packed components' boxes do not meet
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
    assert arrange(nodes, edges, radii) == at  # seeded


def test_one_stray_node_does_not_set_the_scale() -> None:
    # a 60-node cluster and one isolated node: the cluster fills most of the layout's box
    G = nx.connected_watts_strogatz_graph(60, 4, 0.1, seed=1)
    nodes = [str(n) for n in G] + ["stray"]
    edges = [(str(u), str(v)) for u, v in G.edges]
    radii = dict.fromkeys(nodes, 10.0)
    at = arrange(nodes, edges, radii)
    pts = np.array([at[n] for n in nodes])
    cluster = pts[:-1]
    area = np.prod(pts.max(axis=0) - pts.min(axis=0) + 20)
    assert np.prod(cluster.max(axis=0) - cluster.min(axis=0) + 20) / area > 0.6


def test_two_big_discs_joined_by_a_flow_leave_the_flow_room() -> None:
    at = arrange(["usa", "china"], [("china", "usa")], {"usa": 42.0, "china": 40.0})
    gap = np.hypot(at["usa"][0] - at["china"][0], at["usa"][1] - at["china"][1]) - 82.0
    assert gap >= EDGE_ROOM - 1e-6


def test_columns_by_level() -> None:
    level = {"body": 0, "plan-a": 1, "plan-b": 1, "shanghai": 2}
    at = columns(list(level), [("body", "plan-a"), ("plan-b", "shanghai")], level, {}, column_gap=300)
    assert {n: x for n, (x, _) in at.items()} == {"body": 0, "plan-a": 300, "plan-b": 300, "shanghai": 600}
    assert at["plan-a"][1] != at["plan-b"][1]


@pytest.mark.parametrize("view", ["overview", "talent", "plans", "rankings"])
def test_every_bundled_view_is_placed_without_overlap(view: str, bundled: aieco.EcosystemGraph) -> None:
    net = build_view(bundled, view)
    net.place()
    at = {n["id"]: (n["x"], n["y"]) for n in net.nodes}
    radii = {n["id"]: float(n["size"]) for n in net.nodes}
    assert not _overlaps(at, radii)
