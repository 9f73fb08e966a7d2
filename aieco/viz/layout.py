"""Layouts: where a view's nodes sit, computed once in Python and drawn with physics off.

:func:`arrange` is the layout of every force-directed view: each connected component laid out
by forces on its own, scaled on the bulk of its edges (not on its farthest node), the components
packed side by side like words on lines, and then every node pushed off every other so that no
two discs overlap. Positions are in canvas units where a node's ``size`` is its radius, so
the page fits them to the screen at a zoom near 1 for views of a few hundred nodes.

The geographic view places cities by longitude and latitude (:func:`geo_positions`); the plans
view stacks its levels in columns (:func:`columns`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from aieco.viz.outlines import equal_earth

if TYPE_CHECKING:
    from aieco.viz.network import EcosystemNetwork

#: Pixels per degree of latitude (at the equator) in the geographic view.
GEO_SCALE = 80.0
#: The sphere's radius in pixels: Equal Earth coordinates times this are canvas coordinates.
GEO_RADIUS = GEO_SCALE / equal_earth(0.0, 1.0)[1]
#: The free space kept between two nodes' discs (canvas units).
NODE_GAP = 6.0
#: The line an edge shows between its two discs, at least (canvas units; see ``_room_for_edges``).
EDGE_ROOM = 36.0
#: Width over height of the packed components (a browser window's network pane is wider than tall).
ASPECT = 1.5


def geo_positions(coords: Mapping[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Canvas (x, y) per node from (lon, lat), in the Equal Earth projection (y downwards)."""
    out = {}
    for node, (lon, lat) in coords.items():
        x, y = equal_earth(lon, lat)
        out[node] = (round(x * GEO_RADIUS, 1), round(-y * GEO_RADIUS, 1))
    return out


def _components(n: int, pairs: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Connected components, largest first: each one's node indices and its edges (as pairs of
    positions in that list)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    matrix = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, labels = connected_components(matrix, directed=False)
    order = np.argsort(labels, kind="stable")
    groups = np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)
    groups.sort(key=lambda g: (-len(g), int(g[0])))
    local = np.empty(n, dtype=np.int64)
    for group in groups:
        local[group] = np.arange(len(group))
    by_label = {int(labels[g[0]]): k for k, g in enumerate(groups)}
    edge_sets: list[list[np.ndarray]] = [[] for _ in groups]
    if len(pairs):
        owner = labels[pairs[:, 0]]
        pair_order = np.argsort(owner, kind="stable")
        cuts = np.flatnonzero(np.diff(owner[pair_order])) + 1
        for chunk in np.split(pair_order, cuts):
            edge_sets[by_label[int(owner[chunk[0]])]].append(local[pairs[chunk]])
    return groups, [np.vstack(e) if e else np.zeros((0, 2), dtype=np.int64) for e in edge_sets]


def _forces(n: int, pairs: np.ndarray, seed: int) -> np.ndarray:
    """A force-directed layout of one connected component (igraph's Fruchterman–Reingold when
    the ``fast`` extra is installed, else NetworkX's spring layout), in arbitrary units."""
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[0.0, 0.0], [1.0, 0.0]])
    try:
        import igraph
    except ImportError:
        igraph = None
    if igraph is not None:
        import random

        state = random.getstate()
        random.seed(seed)  # igraph draws from Python's random module
        try:
            g = igraph.Graph(n=n, edges=pairs.tolist())
            return np.array(g.layout_fruchterman_reingold(niter=500, grid="auto").coords, dtype=float)
        finally:
            random.setstate(state)
    import networkx as nx

    H = nx.Graph()
    H.add_nodes_from(range(n))
    H.add_edges_from(map(tuple, pairs.tolist()))
    pos = nx.spring_layout(H, seed=seed, iterations=50 if n <= 2000 else 25)
    return np.array([pos[i] for i in range(n)], dtype=float)


def _bulk_scaled(xy: np.ndarray, spacing: float) -> np.ndarray:
    """Scale so that the median distance from a node to its nearest neighbour is ``spacing``, and
    pull stragglers (beyond 1.25 times the 95th percentile of distance from the centre) in: one
    far node no longer sets the scale of the rest."""
    from scipy.spatial import cKDTree

    xy = xy - np.median(xy, axis=0)
    if len(xy) < 2:
        return xy
    nearest = cKDTree(xy).query(xy, k=2)[0][:, 1]
    typical = float(np.median(nearest[nearest > 0])) if (nearest > 0).any() else 1.0
    xy = xy * (spacing / typical)
    radius = np.linalg.norm(xy, axis=1)
    if len(xy) >= 20:
        cap = 1.25 * float(np.percentile(radius, 95))
        far = radius > cap
        xy[far] *= (cap / radius[far])[:, None]
    return xy


def _room_for_edges(xy: np.ndarray, pairs: np.ndarray, radii: np.ndarray, *, room: float) -> np.ndarray:
    """Stretch a component so that three edges in four show ``room`` units of line between
    their discs (a flow between two touching discs is not seen)."""
    if not len(pairs):
        return xy
    length = np.linalg.norm(xy[pairs[:, 0]] - xy[pairs[:, 1]], axis=1)
    need = (radii[pairs[:, 0]] + radii[pairs[:, 1]] + room) / np.maximum(length, 1e-9)
    factor = float(np.percentile(need, 75)) if len(pairs) > 3 else float(need.max())
    return xy * max(1.0, min(factor, 4.0))


def separate(
    xy: np.ndarray,
    radii: np.ndarray,
    *,
    gap: float = NODE_GAP,
    fixed: np.ndarray | None = None,
    rounds: int = 400,
) -> np.ndarray:
    """Push discs apart until no two overlap (centres at least the radii's sum plus ``gap`` apart).

    Each round finds the pairs too close (scipy's KD-tree) and moves both halfway (a ``fixed``
    disc does not move; the other takes the whole step). Returns the new centres.

    >>> out = separate(np.array([[0.0, 0.0], [1.0, 0.0]]), np.array([10.0, 10.0]), gap=0)
    >>> round(float(np.linalg.norm(out[0] - out[1])), 3) >= 20
    True
    """
    from scipy.spatial import cKDTree

    xy = xy.astype(float).copy()
    n = len(xy)
    if n < 2:
        return xy
    still = np.zeros(n, dtype=bool) if fixed is None else fixed.astype(bool)
    reach = 2 * float(radii.max()) + gap
    rng = np.random.default_rng(7)
    for _ in range(rounds):
        pairs = cKDTree(xy).query_pairs(reach, output_type="ndarray")
        if not len(pairs):
            break
        i, j = pairs[:, 0], pairs[:, 1]
        delta = xy[j] - xy[i]
        dist = np.linalg.norm(delta, axis=1)
        need = radii[i] + radii[j] + gap
        close = dist < need - 1e-6
        if not close.any():
            break
        i, j, delta, dist, need = i[close], j[close], delta[close], dist[close], need[close]
        same = dist < 1e-9
        if same.any():
            angle = rng.uniform(0, 2 * math.pi, int(same.sum()))
            delta[same] = np.column_stack([np.cos(angle), np.sin(angle)])
            dist[same] = 1.0
        unit = delta / dist[:, None]
        push = (need - dist) * 0.5 + 0.01
        share_i = np.where(still[i], 0.0, np.where(still[j], 2.0, 1.0))
        share_j = np.where(still[j], 0.0, np.where(still[i], 2.0, 1.0))
        move = np.zeros_like(xy)
        np.add.at(move, i, -unit * (push * share_i)[:, None])
        np.add.at(move, j, unit * (push * share_j)[:, None])
        xy += move
    return xy


def _pack(
    boxes: Sequence[tuple[float, float]], *, aspect: float = ASPECT, gap: float = 0.0
) -> list[tuple[float, float]]:
    """Top-left corners of boxes (width, height), largest first, laid in rows like words on lines."""
    area = sum((w + gap) * (h + gap) for w, h in boxes)
    row_width = max(max((w for w, _ in boxes), default=0.0), math.sqrt(area * aspect))
    corners: list[tuple[float, float]] = []
    x = y = row_height = 0.0
    for w, h in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        corners.append((x, y))
        x += w + gap
        row_height = max(row_height, h)
    return corners


def arrange(
    nodes: Sequence[str],
    edges: Sequence[tuple[str, str]],
    radii: Mapping[str, float],
    *,
    seed: int = 7,
    gap: float = NODE_GAP,
) -> dict[str, tuple[float, float]]:
    """Positions of a node-link view: components laid out apart, packed, and overlap removed.

    Parameters
    ----------
    nodes
        Node ids.
    edges
        (from, to) pairs; their direction does not matter.
    radii
        Each node's drawn radius (vis-network's ``size``), canvas units.
    seed
        Seed of the force layout; equal arguments give equal positions.
    gap
        Free space kept between two discs.

    Returns
    -------
    (x, y) per node, in canvas units, y downwards, centred on the origin.
    """
    n = len(nodes)
    if not n:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array(
        sorted({(min(index[u], index[v]), max(index[u], index[v])) for u, v in edges if u != v}),
        dtype=np.int64,
    ).reshape(-1, 2)
    r = np.array([float(radii.get(node, 10.0)) for node in nodes])
    # a node's nearest neighbour typically two discs and a line of text away
    spacing = 2.0 * float(np.median(r)) + 2 * gap + 16.0
    xy = np.zeros((n, 2))
    placed: list[tuple[np.ndarray, np.ndarray]] = []
    for group, sub in zip(*_components(n, pairs), strict=True):
        coords = _bulk_scaled(_forces(len(group), sub, seed), spacing)
        coords = _room_for_edges(coords, sub, r[group], room=EDGE_ROOM)
        placed.append((group, separate(coords, r[group], gap=gap)))
    boxes = []
    for group, coords in placed:
        lo = (coords - r[group][:, None]).min(axis=0)
        hi = (coords + r[group][:, None]).max(axis=0)
        boxes.append((float(hi[0] - lo[0]), float(hi[1] - lo[1])))
    corners = _pack(boxes, gap=spacing * 0.6)
    for (group, coords), (cx, cy) in zip(placed, corners, strict=True):
        lo = (coords - r[group][:, None]).min(axis=0)
        xy[group] = coords - lo + np.array([cx, cy])
    xy -= (xy.min(axis=0) + xy.max(axis=0)) / 2
    return {node: (round(float(p[0]), 1), round(float(p[1]), 1)) for node, p in zip(nodes, xy, strict=True)}


def columns(
    nodes: Sequence[str],
    edges: Sequence[tuple[str, str]],
    level: Mapping[str, int],
    radii: Mapping[str, float],
    *,
    column_gap: float = 360.0,
    row_gap: float = 12.0,
    sweeps: int = 8,
) -> dict[str, tuple[float, float]]:
    """Nodes in columns by level, left to right, ordered in each column to cross few edges.

    The ordering step of Sugiyama's method: each column sorted by the mean position of its
    nodes' neighbours in the other columns (the barycentre heuristic), sweeping left to right and
    back; rows are spaced by the discs they hold, each column centred.

    >>> at = columns(["a", "b", "x", "y"], [("a", "y"), ("b", "x")], {"a": 0, "b": 0, "x": 1, "y": 1}, {})
    >>> (at["a"][1] < at["b"][1]) == (at["y"][1] < at["x"][1])  # a–y and b–x no longer cross
    True
    """
    order: dict[int, list[str]] = {}
    for node in nodes:
        order.setdefault(int(level[node]), []).append(node)
    neighbours: dict[str, list[str]] = {node: [] for node in nodes}
    for u, v in edges:
        if u in neighbours and v in neighbours and u != v:
            neighbours[u].append(v)
            neighbours[v].append(u)
    layers = sorted(order)
    rank: dict[str, float] = {}

    def place_ranks(members: list[str]) -> None:
        rank.update({node: i / max(len(members), 1) for i, node in enumerate(members)})

    def centre(node: str) -> float:
        around = [rank[o] for o in neighbours[node] if int(level[o]) != int(level[node])]
        return sum(around) / len(around) if around else rank[node]

    for members in order.values():
        place_ranks(members)
    for sweep in range(sweeps):
        for lv in layers if sweep % 2 == 0 else reversed(layers):
            order[lv] = sorted(order[lv], key=lambda node: (centre(node), rank[node]))
            place_ranks(order[lv])
    out: dict[str, tuple[float, float]] = {}
    for lv, members in order.items():
        heights = [2 * float(radii.get(m, 10.0)) + row_gap + 16 for m in members]
        y = -sum(heights) / 2
        for member, h in zip(members, heights, strict=True):
            out[member] = (round(lv * column_gap, 1), round(y + h / 2, 1))
            y += h
    return out


def layout(net: EcosystemNetwork) -> dict[str, tuple[float, float]]:
    """The page's own positions (see :meth:`EcosystemNetwork.place`), y upwards as in a plot."""
    net.place()
    return {n["id"]: (float(n["x"]), -float(n["y"])) for n in net.nodes}
