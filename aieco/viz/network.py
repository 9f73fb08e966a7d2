"""The pyvis network every view returns, and how it becomes one offline HTML file.

:class:`EcosystemNetwork` *is* a :class:`pyvis.network.Network` (nodes, edges and vis
options live where pyvis keeps them), with three changes a data tool needs:

* nodes and edges are added in constant time (pyvis scans its lists on every add, which is
  quadratic on large views, and drops the reverse of a directed edge);
* it carries the view's title, description, notices and legend (:class:`ViewMeta`);
* :meth:`EcosystemNetwork.write` renders aieco's own template: vis-network and tom-select are
  inlined from the pyvis package (no CDN, no network: a Content-Security-Policy forbids it),
  data travel as JSON that cannot close its ``<script>`` element, and tooltips are HTML built
  only from escaped strings (:mod:`aieco.viz.elements`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pyvis.network import Network

from aieco._version import __version__
from aieco.atomic import check_writable_file, file_set, write_text
from aieco.errors import ExportError, ViewError
from aieco.notebook import inline_html, show_page
from aieco.viz.style import edge_families, node_style

logger = logging.getLogger(__name__)


@dataclass
class ViewMeta:
    """What the page says about a view."""

    view: str
    title: str
    description: str
    notices: list[str] = field(default_factory=list)
    #: Links to the pages written beside this one: (text, file name).
    links: list[tuple[str, str]] = field(default_factory=list)
    #: Statistics shown under the title, e.g. ``{"entities shown": 120}``.
    stats: dict[str, Any] = field(default_factory=dict)


def _vis_options(*, directed: bool, n_nodes: int) -> dict[str, Any]:
    options: dict[str, Any] = {
        "autoResize": True,
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "navigationButtons": False,
            "multiselect": True,
            "hideEdgesOnDrag": n_nodes > 1000,
        },
        # labels are painted by the page at screen size, those that fit (view.js: paintLabels)
        "nodes": {"borderWidth": 1},
        "edges": {
            "smooth": False,
            "arrows": {"to": {"enabled": directed, "scaleFactor": 0.5}},
            "color": {"inherit": False},
            "width": DEFAULT_EDGE_WIDTH,
        },
        # positions come from Python (EcosystemNetwork.place): nothing moves after the first frame
        "layout": {"improvedLayout": False},
        "physics": {"enabled": False},
    }
    return options


#: The width of an edge that carries no measure (the page's default).
DEFAULT_EDGE_WIDTH = 1.2
#: Views with more entities than this carry names only in their tooltips (see ``place``).
FULL_TOOLTIPS_UP_TO = 2000
#: How many of a flow map's flows the page lists beside it, largest first.
FLOWS_LISTED = 15
#: Views with more edges than this have them painted by the page, not made vis-network edges:
#: vis-network spends ~25 µs on each edge before its first frame (4.4 s for 186,000 edges).
PAINTED_EDGES_ABOVE = 20_000


class PageOutput(ABC):
    """Writing, notebook display and opening in a browser, for any page of a view (one whole
    self-contained HTML file from ``to_html``)."""

    meta: ViewMeta

    @abstractmethod
    def to_html(self) -> str:
        """The whole page, self-contained."""

    @abstractmethod
    def summary(self) -> str:
        """What the page holds, in a few words (the CLI and the dashboard say it)."""

    #: Pages written beside this one, by the suffix of their file name (``overview-full.html``).
    companions: dict[str, PageOutput]

    def write(self, path: str | Path, *, force: bool = False) -> Path:
        """Write the page to ``path`` (whole, or not at all; a file aieco did not write needs ``force``),
        and its companions beside it, linked from it."""
        companions = getattr(self, "companions", {})
        if companions:
            base = Path(path)
            beside = {suffix: base.with_name(f"{base.stem}-{suffix}{base.suffix}") for suffix in companions}
            for target in beside.values():
                check_writable_file(target, force=force)
            self.meta.links = [
                (f"{suffix} view: {page.summary()}", beside[suffix].name)
                for suffix, page in companions.items()
            ]
            with file_set(base.parent):  # the page and its companions appear together
                for suffix, page in companions.items():
                    page.write(beside[suffix], force=force)
                target = write_text(path, self.to_html(), force=force)
        else:
            target = write_text(path, self.to_html(), force=force)
        logger.info("wrote %s (%s)", target, self.summary())
        return target

    # ---- notebooks ---------------------------------------------------------------
    def save(self, path: str | Path, *, force: bool = False) -> Path:
        """Write the page to ``path`` (the same as :meth:`write`)."""
        return self.write(path, force=force)

    def _repr_html_(self) -> str:
        """The view inline in a notebook: a sandboxed frame holding the whole page (offline)."""
        return inline_html(self.to_html(), title=self.meta.title)

    def show(self, path: str | Path | None = None, *, force: bool = False) -> Path | None:
        """Show the view: inline in a notebook, else written to ``path`` and opened in a browser.

        pyvis's own ``show`` loads vis-network from a CDN in notebooks; this one does not.
        """
        target = Path(path) if path is not None else Path(f"{self.meta.view}.html")
        return show_page(self._repr_html_, lambda p: self.write(p, force=force), target)


class EcosystemNetwork(PageOutput, Network):  # type: ignore[misc]
    """A pyvis network of ecosystem entities, with the page around it.

    Parameters
    ----------
    meta
        Title, description and notices of the view.
    directed
        Draw arrows.
    hierarchical
        Lay nodes out in levels (left to right) instead of by forces.
    """

    def __init__(self, meta: ViewMeta, *, directed: bool = True, hierarchical: bool = False) -> None:
        super().__init__(
            height="100%",
            width="100%",
            directed=directed,
            cdn_resources="in_line",
            heading=meta.title,
            select_menu=True,
            filter_menu=False,
        )
        self.meta = meta
        self.hierarchical = hierarchical
        self._edge_keys: set[tuple[str, ...]] = set()
        self._node_set: set[str] = set()
        #: Map outlines drawn under the network (flat [x, y, …] rings in canvas coordinates).
        self.outlines: list[dict[str, Any]] = []
        #: What a view adds to the page's data (the map's folding rules, flows, frames).
        self.extras: dict[str, Any] = {}
        self.companions = {}
        self._edges_notice = False

    # ---- building ---------------------------------------------------------------
    def add_node(self, n_id: str, label: str | None = None, shape: str = "dot", **options: Any) -> None:
        """Add a node once (pyvis's options: label, shape, size, color, title, x, y…)."""
        if n_id in self._node_set:
            return
        self._node_set.add(n_id)
        self.node_ids.append(n_id)
        node = {"id": n_id, "label": n_id if label is None else label, "shape": shape, **options}
        self.node_map[n_id] = node
        self.nodes.append(node)

    def add_edge(self, source: str, to: str, **options: Any) -> None:
        """Add an edge once per (source, target, type, measure, years): a flow of each year is drawn
        (the year slider picks them); both ends must be nodes already."""
        if source not in self._node_set or to not in self._node_set:
            raise ViewError(f"edge {source!r} → {to!r} joins a node that is not in the view")
        key = (
            source,
            to,
            str(options.get("type", "")),
            str(options.get("measure", "")),
            str(options.get("start", "")),
            str(options.get("end", "")),
        )
        if key in self._edge_keys:
            return
        self._edge_keys.add(key)
        self.edges.append({"from": source, "to": to, **options})

    def summary(self) -> str:
        """``"12 nodes · 30 edges"``."""
        return f"{len(self.nodes):,} nodes · {len(self.edges):,} edges"

    def has_node(self, n_id: str) -> bool:
        """Whether the node is in the view."""
        return n_id in self._node_set

    # ---- rendering ---------------------------------------------------------------
    def vis_options(self) -> dict[str, Any]:
        """The vis-network options of this view."""
        return _vis_options(
            directed=self.directed,
            n_nodes=len(self.nodes),
        )

    def legend(self) -> list[dict[str, str]]:
        """One entry per node type present: type, label, colour, shape."""
        present: dict[str, int] = {}
        for node in self.nodes:
            present[node.get("type", "")] = present.get(node.get("type", ""), 0) + 1
        return [
            {
                "type": t,
                "label": node_style(t).label,
                "color": node_style(t).color,
                "shape": node_style(t).shape,
                "count": str(n),
            }
            for t, n in sorted(present.items())
        ]

    def place(self) -> None:
        """Fix every node's position in Python (once; a view whose nodes all have coordinates keeps
        them; the page never runs physics): levels in columns (:func:`~aieco.viz.layout.columns`)
        for a hierarchical view, else :func:`~aieco.viz.layout.arrange`."""
        if all("x" in n and "y" in n for n in self.nodes):
            return
        from aieco.viz.layout import arrange, columns

        free = [n["id"] for n in self.nodes if "x" not in n or "y" not in n]
        radii = {n["id"]: float(n.get("size", 10.0)) for n in self.nodes}
        links = [(e["from"], e["to"]) for e in self.edges]
        if self.hierarchical:
            levels = {n["id"]: int(n.get("level", 0)) for n in self.nodes}
            positions = columns(free, links, levels, radii)
        else:
            positions = arrange(free, links, radii)
        for node in self.nodes:
            if node["id"] in positions:
                node["x"], node["y"] = positions[node["id"]]
        if len(self.nodes) > FULL_TOOLTIPS_UP_TO:
            for node in self.nodes:
                node.pop("tooltip", None)
                if node.get("title") == node.get("search"):
                    node.pop("title")  # the page takes the title from the search text
            for edge in self.edges:  # hover text, labels too small to read, the page's defaults
                edge.pop("title", None)
                edge.pop("type", None)
                edge.pop("label", None)  # a flow's share or count stays in its width
                if edge.get("width") == DEFAULT_EDGE_WIDTH:
                    edge.pop("width")
                elif "width" in edge:
                    edge["width"] = round(float(edge["width"]), 1)
            self.meta.notices.append(
                f"With {len(self.nodes):,} entities, hovering shows names only and flows their size by "
                f"width only (views of up to {FULL_TOOLTIPS_UP_TO:,} entities show figures, sources and "
                "labels): the page stays light."
            )

    @property
    def paints_edges(self) -> bool:
        """Whether the page paints the edges itself (more than :data:`PAINTED_EDGES_ABOVE`)."""
        return len(self.edges) > PAINTED_EDGES_ABOVE

    def to_html(self) -> str:
        """The whole page, self-contained (positions are computed first, see :meth:`place`)."""
        self.place()
        if self.paints_edges and not self._edges_notice:
            self._edges_notice = True
            self.meta.notices.append(
                f"With {len(self.edges):,} relationships, edges are painted as plain lines under the "
                "entities (no arrows, no hover on an edge): clicking an entity highlights its edges. "
                f"Views of up to {PAINTED_EDGES_ABOVE:,} relationships draw each edge as an object."
            )
        payload = {
            "nodes": self.nodes,
            "edges": self.edges,
            "options": self.vis_options(),
            "outlines": self.outlines,
            "paint_edges": self.paints_edges,
            **self.extras,
        }
        scripts = {
            "vis_js": _asset("vis-9.1.2/vis-network.min.js"),
            "tom_js": _asset("tom-select/tom-select.complete.min.js"),
            "app_js": _app_script(),
        }
        page: str = _template().render(
            csp=content_security_policy(scripts.values()),
            **scripts,
            meta=self.meta,
            legend=self.legend(),
            edge_families=edge_families(),
            n_nodes=len(self.nodes),
            n_edges=len(self.edges),
            frames=self.extras.get("frames", []),
            flows=[f for f in self.extras.get("flows", []) if f.get("all")][:FLOWS_LISTED],
            n_flows=sum(1 for f in self.extras.get("flows", []) if f.get("all")),
            data_json=json_for_script(payload),
            vis_css=_asset("vis-9.1.2/vis-network.css"),
            tom_css=_asset("tom-select/tom-select.css"),
            version=__version__,
        )
        return page


def content_security_policy(scripts: Iterable[str]) -> str:
    """The page's policy: no network at all, and only these exact inline scripts may run.

    Each script is allowed by its SHA-256 hash, so a script added to the page later (or
    smuggled in through data that escaped escaping) does not run.

    >>> content_security_policy(["alert(1)"]).split("; ")[1]
    "script-src 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
    """
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode('utf-8')).digest()).decode('ascii')}'"
        for s in scripts
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; font-src data:"
    )


@cache
def _app_script() -> str:
    return (resources.files("aieco.viz") / "templates" / "view.js").read_text(encoding="utf-8")


def json_for_script(payload: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``… so no string can end the element.

    >>> json_for_script({"label": "</script><script>alert(1)</script>"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(payload, ensure_ascii=False, default=_json_default)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} into a view")


@cache
def _asset(name: str) -> str:
    """A JavaScript or CSS file shipped inside the pyvis package (read as package data)."""
    from importlib.resources import files

    try:
        text: str = files("pyvis").joinpath("lib", *name.split("/")).read_text(encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"pyvis is installed without its {name}; reinstall pyvis>=0.3.2") from exc
    return text


@cache
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    folder = Path(str(resources.files("aieco.viz") / "templates"))
    return Environment(loader=FileSystemLoader(folder), autoescape=True, undefined=StrictUndefined)


def _template() -> Any:
    return _environment().get_template("view.html.j2")


def environment() -> Any:
    """The jinja2 environment of aieco's view templates (autoescaping on)."""
    return _environment()
