"""What a node or edge shows: its label, its tooltip, the text that finds it.

Every string that comes from data goes through :func:`html.escape` here, before it is put
into tooltip HTML; labels are drawn on the canvas as text and never parsed as HTML.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.schema import NAME_FIELDS, NodeType, RelType
from aieco.metrics.intervals import SMALL_COUNT, count_interval
from aieco.viz.style import node_style

#: How many observations a tooltip lists, and how much of a quote it shows.
MAX_OBSERVATIONS = 6
MAX_QUOTE = 160
_SCRIPT_LABELS = {
    "name_en": "English",
    "name_zh_hans": "简体",
    "name_zh_hant": "繁體",
    "name_ja": "日本語",
}


def esc(value: Any) -> str:
    """Escape any value for HTML text or attribute context.

    >>> esc('<img src=x onerror=alert(1)>')
    '&lt;img src=x onerror=alert(1)&gt;'
    """
    return html.escape(str(value), quote=True)


def _short(text: str, limit: int = MAX_QUOTE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label_of(attrs: Mapping[str, Any], node_id: str, *, limit: int = 32) -> str:
    """A short canvas label: the English name, or the first name in another script."""
    for field in NAME_FIELDS:
        if attrs.get(field):
            return _short(str(attrs[field]), limit)
    return _short(node_id, limit)


def search_text(attrs: Mapping[str, Any], node_id: str) -> str:
    """Every name of an entity, in every script, joined for a search box."""
    names = [str(attrs[f]) for f in NAME_FIELDS if attrs.get(f)]
    names += [str(a) for a in attrs.get("aliases", []) or []]
    names.append(node_id)
    return " · ".join(dict.fromkeys(names))


def observation_index(eg: EcosystemGraph) -> dict[str, list[str]]:
    """Observation ids by the entity they are about."""
    index: dict[str, list[str]] = defaultdict(list)
    for obs, subject, kind in eg.G.edges(data="type"):
        if kind == RelType.ABOUT.value:
            index[subject].append(obs)
    return index


def format_value(obs: Mapping[str, Any]) -> str:
    """A figure as the source states it: value (or range, or text), unit, kind.

    >>> format_value({"value": 0.6, "value_text": "60%", "unit": "share", "kind": "actual"})
    '60% (share)'
    >>> format_value({"value": 1, "value_high": 2, "unit": "trillion CNY", "kind": "target"})
    '1–2 trillion CNY, target'
    """
    if obs.get("value_text"):
        text = f"{obs['value_text']} ({obs['unit']})" if obs.get("unit") else str(obs["value_text"])
    else:
        value = obs.get("value")
        text = f"{value:g}" if isinstance(value, float) else str(value)
        if obs.get("value_high") is not None:
            high = obs["value_high"]
            text += "–" + (f"{high:g}" if isinstance(high, float) else str(high))
        if obs.get("unit"):
            text += f" {obs['unit']}"
    if obs.get("kind") and obs["kind"] != "actual":
        text += f", {obs['kind']}"
    return text


def _when(attrs: Mapping[str, Any]) -> str:
    if attrs.get("year"):
        return str(attrs["year"])
    start, end = attrs.get("period_start"), attrs.get("period_end")
    if start or end:
        return f"{start or '…'}–{end or '…'}"
    return ""


def _source_line(eg: EcosystemGraph, attrs: Mapping[str, Any]) -> str:
    source = attrs.get("source")
    if not source:
        return ""
    doc = eg.G.nodes[source] if source in eg.G else {}
    where = doc.get("file") or doc.get("url") or ""
    quote = attrs.get("quote")
    text = f"<span class='src'>{esc(source)}</span>"
    if where:
        text += f" <span class='where'>{esc(where)}</span>"
    if quote:
        text += f"<br><q>{esc(_short(str(quote)))}</q>"
    return text


def tooltip_html(
    eg: EcosystemGraph,
    node_id: str,
    *,
    observations: Mapping[str, list[str]] | None = None,
    score: tuple[str, float] | None = None,
    extra: str = "",
) -> str:
    """The tooltip of an entity, as HTML in which every data string is escaped.

    It lists the entity's names in all scripts and its aliases, its type, description,
    year and coordinates, its centrality, its key observations with their sources, and
    the source (with the quoted sentence) it comes from.
    """
    attrs = eg.G.nodes[node_id]
    kind = str(attrs.get("type", ""))
    parts = [f"<div class='tt'><b>{esc(label_of(attrs, node_id, limit=200))}</b>"]
    parts.append(f"<div class='kind'>{esc(node_style(kind).label)} · <code>{esc(node_id)}</code></div>")
    names = [
        f"<tr><th>{_SCRIPT_LABELS[f]}</th><td>{esc(attrs[f])}</td></tr>" for f in NAME_FIELDS if attrs.get(f)
    ]
    if attrs.get("aliases"):
        names.append(f"<tr><th>aliases</th><td>{esc(' · '.join(map(str, attrs['aliases'])))}</td></tr>")
    if names:
        parts.append("<table class='names'>" + "".join(names) + "</table>")
    if attrs.get("description"):
        parts.append(f"<div>{esc(_short(str(attrs['description']), 240))}</div>")
    facts = []
    if _when(attrs):
        facts.append(f"year {esc(_when(attrs))}")
    if attrs.get("lat") is not None:
        facts.append(
            f"{float(attrs['lat']):.3f}, {float(attrs['lon']):.3f} "
            f"(<span class='src'>{esc(attrs.get('coord_source', ''))}</span>)"
        )
    if score is not None:
        facts.append(f"{esc(score[0])} {score[1]:.4g}")
    if facts:
        parts.append("<div class='facts'>" + " · ".join(facts) + "</div>")
    obs_ids = (observations or {}).get(node_id, [])
    if obs_ids:
        items = []
        for obs_id in sorted(obs_ids, key=lambda o: (str(eg.G.nodes[o].get("year", "")), o))[
            :MAX_OBSERVATIONS
        ]:
            obs = eg.G.nodes[obs_id]
            when = _when(obs)
            items.append(
                f"<li>{esc(obs.get('indicator', ''))}: <b>{esc(format_value(obs))}</b>"
                + (f" ({esc(when)})" if when else "")
                + f"<br><small>{_source_line(eg, obs)}</small></li>"
            )
        more = len(obs_ids) - MAX_OBSERVATIONS
        tail = f"<li>… and {more} more</li>" if more > 0 else ""
        parts.append("<ul class='obs'>" + "".join(items) + tail + "</ul>")
    if attrs.get("conflict"):
        parts.append(f"<div class='conflict'>conflict: {esc(attrs['conflict'])}</div>")
    source = _source_line(eg, attrs)
    if source:
        parts.append(f"<div class='source'>source: {source}</div>")
    parts.append(extra)
    parts.append("</div>")
    return "".join(parts)


def edge_title(eg: EcosystemGraph, attrs: Mapping[str, Any], u: str, v: str) -> str:
    """A plain-text edge tooltip: who, how, when, and the source id (shown as text)."""
    bits = [f"{label_of(eg.G.nodes[u], u)} —{attrs.get('type', '')}→ {label_of(eg.G.nodes[v], v)}"]
    for key in ("rank", "count", "share", "role"):
        if attrs.get(key) is not None:
            bits.append(f"{key} {attrs[key]:g}" if isinstance(attrs[key], float) else f"{key} {attrs[key]}")
    if attrs.get("type") == "TALENT_FLOW" and attrs.get("count") is not None:
        low, high = count_interval(float(attrs["count"]))
        small = " (small: fewer than 5 researchers)" if float(attrs["count"]) < SMALL_COUNT else ""
        bits.append(f"95 % interval {low:.1f}–{high:.1f}{small}")
    if _when(attrs):
        bits.append(_when(attrs))
    if attrs.get("source"):
        bits.append(f"source {attrs['source']}")
    return " · ".join(bits)


def is_entity(eg: EcosystemGraph, node_id: str) -> bool:
    """Whether a node is an entity (not a source document or an observation)."""
    return eg.G.nodes[node_id].get("type") not in (NodeType.SOURCE.value, NodeType.OBSERVATION.value)
