"""Does a row's own quote support it? The support check of every quoted fact.

A row citing a document with a quote is *supported by its quote* when, for each entity it
is about (the entity itself; an observation's subject; both ends of a relationship), at
least one of that entity's names — in any script, or an alias — appears in the quote. A row
whose quote does not name them is still supported when it also cites a public source (a
``see_also`` source with a URL) that states it. Anything else is ``"none"``: the quote is
not evidence for the row.

The check is deliberately literal: it compares names, not meanings, so it proves only that
a row's quote is *about* the entities the row connects. Pinyin artefacts that one seed copy
carries inside words (``數(shù)據(jù)`` for ``數據``) are removed, and case and white space
are ignored (``涵盖 384 个都市区``).

Examples
--------
>>> names = {"hefei": ["Hefei", "合肥"], "anhui": ["Anhui", "安徽"]}
>>> support_of("合肥是安徽的省会。", ["hefei", "anhui"], names, see_also=[], public=set())
'quote'
>>> support_of("中国声谷。", ["hefei", "anhui"], names, see_also=["geonames"], public={"geonames"})
'see_also'
>>> support_of("中国声谷。", ["hefei"], names, see_also=[], public=set())
'none'
>>> plain_quote("國家數(shù)據(jù)局")
'國家數據局'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import networkx as nx

from aieco.graph.schema import NAME_FIELDS, NodeType, RelType

Support = Literal["quote", "see_also", "none"]
#: Joins the verbatim passages of a quote that leaves text out between them.
QUOTE_GAP = " […] "

#: Names shorter than this are too ambiguous to count as evidence ("US" is kept: 2).
MIN_NAME_LENGTH = 2

_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", re.IGNORECASE)
_DERIVED = {RelType.ABOUT.value, RelType.RELATIVE_TO.value}


def _squeeze(text: str) -> str:
    return "".join(text.split()).casefold()


def plain_quote(quote: str) -> str:
    """The quote without in-word pinyin artefacts such as ``(shù)``."""
    return _PINYIN.sub("", quote)


def entity_names(attrs: Mapping[str, Any]) -> list[str]:
    """Every name of an entity usable as evidence: each script's name and the aliases."""
    names = [str(attrs[f]) for f in NAME_FIELDS if attrs.get(f)]
    aliases = attrs.get("aliases") or []
    names += [str(a) for a in (aliases if isinstance(aliases, list) else [aliases])]
    return [n for n in names if len(n) >= MIN_NAME_LENGTH]


def support_of(
    quote: str,
    about: Sequence[str],
    names: Mapping[str, Sequence[str]],
    *,
    see_also: Iterable[str],
    public: set[str],
) -> Support:
    """Say how a quoted row is supported: ``"quote"``, ``"see_also"`` or ``"none"``.

    Parameters
    ----------
    quote
        The row's quote.
    about
        Ids of the entities the row is about.
    names
        Names of each entity (see :func:`entity_names`).
    see_also
        The row's further sources.
    public
        Ids of public sources (those with a URL).
    """
    text = _squeeze(plain_quote(quote))
    if all(any(_squeeze(n) in text for n in names.get(e, ())) for e in about):
        return "quote"
    if any(s in public for s in see_also):
        return "see_also"
    return "none"


def annotate_support(
    G: nx.MultiDiGraph, *, quoted_edges: Iterable[tuple[str, str, dict[str, Any]]] | None = None
) -> None:
    """Set ``support`` on every entity, observation and relationship that has a quote.

    Rows without a quote (facts from public sources, which need none) get no ``support``.

    Parameters
    ----------
    G
        The graph, changed in place.
    quoted_edges
        ``(u, v, attributes)`` of every relationship that may have a quote, when the caller
        knows them (the builder does); by default every edge of ``G`` is looked at.
    """
    public = {n for n, a in G.nodes(data=True) if a["type"] == NodeType.SOURCE.value and a.get("url")}

    def see_also(attrs: Mapping[str, Any]) -> list[str]:
        value = attrs.get("see_also") or []
        return value if isinstance(value, list) else [str(value)]

    quoted: list[tuple[dict[str, Any], list[str]]] = []  # (attributes, what the row is about)
    for n, a in G.nodes(data=True):
        if a["type"] != NodeType.SOURCE.value and a.get("quote"):
            quoted.append((a, [a["subject"]] if a["type"] == NodeType.OBSERVATION.value else [n]))
    if quoted_edges is None:
        quoted_edges = (
            (u, v, a)
            for u, neighbours in G.adjacency()  # the graph's own dicts: {v: {key: attrs}}
            for v, by_key in neighbours.items()
            for a in by_key.values()
        )
    for u, v, a in quoted_edges:
        if a.get("quote") and a["type"] not in _DERIVED:
            quoted.append((a, [u, v]))
    nodes = G.nodes
    not_entities = (NodeType.SOURCE.value, NodeType.OBSERVATION.value)
    needed = {e for _, about in quoted for e in about if e in nodes and nodes[e]["type"] not in not_entities}
    names = {e: entity_names(nodes[e]) for e in needed}  # only the entities a quote is about
    for a, about in quoted:
        a["support"] = support_of(a["quote"], about, names, see_also=see_also(a), public=public)
