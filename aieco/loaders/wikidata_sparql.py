"""Wikidata over SPARQL: the query aieco asks for the organisations of a kind in a country, a
client that pages through its results on the shared HTTP layer (LIMIT/OFFSET, Wikidata's user-agent
policy, retries, timeouts, an on-disk cache), and the results read as entity JSON, so they go
through the same loader as entity files (:mod:`aieco.loaders.wikidata`).

The query service answers at most 60 s per query; pages of :data:`PAGE` rows, ordered by item, keep
each request short, and a query that still times out says so with its URL.

Examples
--------
>>> 'wdt:P297 "JP"' in sparql_query("JP", ["education"])
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from aieco.config import env as setting
from aieco.errors import DataValidationError, InvalidArgumentError, OpenDataError, Problem
from aieco.loaders.pull import Pull, graph_of
from aieco.loaders.wikidata import ORGANISATION_CLASSES, pull_from_entities

__all__ = [
    "ENDPOINT",
    "PAGE",
    "WIKIDATA_SPARQL",
    "entities_from_results",
    "fetch_sparql",
    "graph_from_wikidata_sparql",
    "pull_from_results",
    "pull_wikidata_sparql",
    "sparql_query",
]

#: Every organisation kind a query may ask for.
KINDS = ("education", "company", "facility", "government")
#: Wikidata's query service.
ENDPOINT = "https://query.wikidata.org/sparql"
#: Rows asked per request.
PAGE = 2000
#: Requests at most for one query (PAGE × MAX_PAGES rows).
MAX_PAGES = 200


def sparql_query(
    country: str,
    kinds: Iterable[str] = KINDS,
    *,
    subclasses: bool = True,
    industry: str | None = None,
    founders: bool = False,
) -> str:
    """The query for organisations of ``kinds`` (education, company, facility, government) whose
    country (P17) has the ISO code ``country``; its columns are the ones the loader reads.

    ``subclasses``: an item counts when it is an instance of a subclass of those classes too
    (``wdt:P31/wdt:P279*``: a "technology company" is a company); ``industry``: only items of
    that industry (P452, a Q-id: ``Q11660`` is artificial intelligence); ``founders``: the
    founders (P112) who are humans, with their labels.
    """
    code = country.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise InvalidArgumentError(f"a country is its two-letter ISO code, not {country!r}")
    classes = sorted(q for q, kind in ORGANISATION_CLASSES.items() if kind in set(kinds))
    if not classes:
        raise InvalidArgumentError(
            "no organisation kind asked: choose from education, company, facility, government"
        )
    if industry is not None and not re.fullmatch(r"Q[1-9][0-9]*", industry):
        raise InvalidArgumentError(f"an industry is a Wikidata item id such as Q11660, not {industry!r}")
    path = "wdt:P31/wdt:P279*" if subclasses else "wdt:P31"
    founder_vars = " ?founder ?founderLabel" if founders else ""
    lines = [
        f"  VALUES ?class {{ {' '.join(f'wd:{q}' for q in classes)} }}",
        f"  ?item {path} ?class ; wdt:P17 ?country .",
        *([f"  ?item wdt:P452 wd:{industry} ."] if industry else []),
        f'  ?country wdt:P297 "{code}" .',
        f'  BIND("{code}" AS ?countryCode)',
        "  OPTIONAL { ?item wdt:P159 ?hq . OPTIONAL { ?hq wdt:P1566 ?hqGeonames } }",
        "  OPTIONAL { ?item wdt:P6782 ?ror }  OPTIONAL { ?item wdt:P10283 ?openalex }",
        "  OPTIONAL { ?item wdt:P571 ?inception }  OPTIONAL { ?item wdt:P749 ?parent }",
        "  OPTIONAL { ?item wdt:P856 ?website }",
        *(["  OPTIONAL { ?item wdt:P112 ?founder . ?founder wdt:P31 wd:Q5 }"] if founders else []),
        '  SERVICE wikibase:label { bd:serviceParam wikibase:language "en,zh-hans,zh-hant,ja". }',
    ]
    return (
        "SELECT ?item ?itemLabel ?class ?country ?countryLabel ?countryCode ?hq ?hqLabel ?hqGeonames\n"
        f"       ?ror ?openalex ?inception ?parent ?website{founder_vars} WHERE {{\n"
        + "\n".join(lines)
        + "\n}\nORDER BY ?item"
    )


def fetch_sparql(
    query: str, *, endpoint: str | None = None, cache_dir: str | Path | None = None
) -> tuple[dict[str, Any], str]:
    """Every row of ``query`` from the query service (``AIECO_WIKIDATA_SPARQL_URL`` sets a
    mirror), in pages of :data:`PAGE`: (the SPARQL JSON results, the address of the query)."""
    from urllib.parse import urlencode

    from aieco.loaders.http import Http

    url = (endpoint or setting("AIECO_WIKIDATA_SPARQL_URL") or ENDPOINT).rstrip("/")
    bindings: list[Any] = []
    with Http(
        cache_dir=cache_dir, name="wikidata", headers={"Accept": "application/sparql-results+json"}
    ) as http:
        for page in range(MAX_PAGES):
            text = f"{query}\nLIMIT {PAGE} OFFSET {page * PAGE}"
            answer = http.get_json(url, {"query": text, "format": "json"})
            rows = (answer.get("results") or {}).get("bindings") if isinstance(answer, Mapping) else None
            if not isinstance(rows, list):
                raise OpenDataError(f"GET {url}: not SPARQL JSON results (no results.bindings)")
            bindings += rows
            if len(rows) < PAGE:
                break
        else:
            raise OpenDataError(f"GET {url}: more than {MAX_PAGES * PAGE:,} rows; ask for fewer kinds")
    return {"head": {"vars": []}, "results": {"bindings": bindings}}, f"{url}?{urlencode({'query': query})}"


def pull_wikidata_sparql(
    country: str,
    *,
    kinds: Iterable[str] = KINDS,
    subclasses: bool = True,
    industry: str | None = None,
    founders: bool = False,
    endpoint: str | None = None,
    cache_dir: str | Path | None = None,
    with_bundled: bool = True,
) -> Pull:
    """Organisations of ``kinds`` in ``country`` (ISO code) from Wikidata's query service, paged,
    cached and bounded by :mod:`aieco.loaders.http`; read as entity JSON (options: see
    :func:`sparql_query`)."""
    query = sparql_query(country, kinds, subclasses=subclasses, industry=industry, founders=founders)
    payload, shown = fetch_sparql(query, endpoint=endpoint, cache_dir=cache_dir)
    return pull_from_results(
        payload,
        shown,
        title=query_title(country, kinds, industry),
        founders=founders,
        with_bundled=with_bundled,
    )


def query_title(country: str, kinds: Iterable[str], industry: str | None = None) -> str:
    """The Source row's title of a query: what it asked for."""
    what = ", ".join(sorted(set(kinds))) + (f"; industry {industry}" if industry else "")
    return f"Wikidata query service: organisations in {country.upper()} ({what})"


def pull_from_results(
    payload: Mapping[str, Any],
    shown: str,
    *,
    title: str = "Wikidata query service",
    founders: bool = False,
    with_bundled: bool = True,
) -> Pull:
    """The pull of SPARQL JSON results asked at ``shown`` (the query's address)."""
    return pull_from_entities(
        entities_from_results(shown, payload),
        title=title,
        url=shown,
        founders=founders,
        with_bundled=with_bundled,
    )


#: The query for AI-relevant organisations in China (run it at https://query.wikidata.org/, save
#: the JSON results, then ``aieco wikidata build results.json``; or let ``aieco wikidata query``
#: ask it).
WIKIDATA_SPARQL = sparql_query("CN")
#: SPARQL variable → (property, kind of value) in the entity JSON the rows become.
_SPARQL_CLAIMS = {
    "class": ("P31", "item"),
    "country": ("P17", "item"),
    "hq": ("P159", "item"),
    "ror": ("P6782", "text"),
    "openalex": ("P10283", "text"),
    "inception": ("P571", "time"),
    "parent": ("P749", "item"),
    "website": ("P856", "text"),
    "founder": ("P112", "item"),
}


def _qid(cell: Any) -> str | None:
    value = cell.get("value") if isinstance(cell, Mapping) else None
    if not isinstance(value, str) or "/entity/Q" not in value:
        return None
    return value.rsplit("/", 1)[-1]


def _snak(kind: str, value: str) -> dict[str, Any]:
    data: Any = {"id": value} if kind == "item" else value
    if kind == "time":
        data = {"time": ("+" if not value.startswith(("+", "-")) else "") + value, "precision": 9}
    return {"rank": "normal", "mainsnak": {"snaktype": "value", "datavalue": {"value": data}}}


def entities_from_results(file: str, payload: Mapping[str, Any]) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """SPARQL results (the columns of :data:`WIKIDATA_SPARQL`) as entity JSON: one entity per
    ``?item``, with its country and headquarters as entities of their own."""
    bindings = (
        (payload.get("results") or {}).get("bindings")
        if isinstance(payload.get("results"), Mapping)
        else None
    )
    if not isinstance(bindings, list):
        raise DataValidationError(
            [Problem(file, 1, "results.bindings", "a SPARQL result needs a list of bindings")]
        )
    made: dict[str, dict[str, Any]] = {}

    def entity(qid: str) -> dict[str, Any]:
        return made.setdefault(qid, {"id": qid, "labels": {}, "claims": {}})

    for n, row in enumerate(bindings, start=1):
        if not isinstance(row, Mapping):
            raise DataValidationError([Problem(file, n, "", "a SPARQL binding must be a JSON object")])
        qid = _qid(row.get("item"))
        if qid is None:
            continue
        item = entity(qid)
        for var, owner in (
            ("itemLabel", qid),
            ("countryLabel", _qid(row.get("country"))),
            ("hqLabel", _qid(row.get("hq"))),
            ("founderLabel", _qid(row.get("founder"))),
        ):
            cell = row.get(var)
            if owner and isinstance(cell, Mapping) and isinstance(cell.get("value"), str):
                lang = str(cell.get("xml:lang") or "en")
                entity(owner)["labels"].setdefault(lang, {"language": lang, "value": cell["value"]})
        for var, (prop, kind) in _SPARQL_CLAIMS.items():
            cell = row.get(var)
            value = (
                (_qid(cell) if kind == "item" else cell.get("value")) if isinstance(cell, Mapping) else None
            )
            if isinstance(value, str) and value:
                claims = item["claims"].setdefault(prop, [])
                if _snak(kind, value) not in claims:
                    claims.append(_snak(kind, value))
        for var, owner_var, prop in (("countryCode", "country", "P297"), ("hqGeonames", "hq", "P1566")):
            owner = _qid(row.get(owner_var))
            cell = row.get(var)
            if owner and isinstance(cell, Mapping) and isinstance(cell.get("value"), str):
                entity(owner)["claims"].setdefault(prop, [_snak("text", cell["value"])])
        founder = _qid(row.get("founder"))
        if founder:  # the query asks only for founders who are humans
            entity(founder)["claims"].setdefault("P31", [_snak("item", "Q5")])
    for n, found in enumerate(made.values(), start=1):
        yield file, n, found


#: The graph of :func:`pull_wikidata_sparql` (its report under ``G.graph``).
graph_from_wikidata_sparql = graph_of(pull_wikidata_sparql)
