"""The ROR REST API (v2): organisations found by a query, filtered by country and type, or by
their ROR ids, with the parents they name, read by the same loader as ROR files
(:func:`aieco.loaders.ror.pull_from_records`).

The requests go through the shared HTTP layer (:mod:`aieco.loaders.http`: retries on 429/5xx,
timeouts, a bound on each answer and on the whole pull, an on-disk cache). ROR answers 20 records
a page; a query is paged until it has given its ``number_of_results``. ROR's own advice is that
filters are meant to narrow a *query*, and that a whole country or type is the data dump's job
(filters alone can repeat or miss records across pages), so a filter without a query or ids is
refused with that advice. Without a client id ROR allows 50 requests in 5 minutes; with one
(``ROR_CLIENT_ID``, sent as the ``Client-Id`` header) 2,000 (https://ror.readme.io/docs/client-id).

Examples
--------
>>> ror_search_params(query="artificial intelligence", country="CN", kind="company", page=2)["filter"]
'types:company,locations.geonames_details.country_code:CN'
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aieco.config import env as setting
from aieco.errors import DataValidationError, InvalidArgumentError, NotFoundError, OpenDataError, Problem
from aieco.loaders.openalex_model import short_id
from aieco.loaders.pull import Pull, graph_of

logger = logging.getLogger(__name__)

__all__ = [
    "ROR_API",
    "RorAnswer",
    "fetch_ror",
    "graph_from_ror_api",
    "pull_from_answer",
    "pull_ror_api",
    "ror_search_params",
]

#: ROR's REST API, version 2.
ROR_API = "https://api.ror.org/v2"
#: Records a page of ROR's search answers.
PER_PAGE = 20
#: Pages at most for one query and filter (10,000 records: beyond, use the data dump).
MAX_PAGES = 500
#: ROR's organisation types (schema v2).
ROR_TYPES = (
    "education",
    "company",
    "government",
    "facility",
    "nonprofit",
    "healthcare",
    "archive",
    "funder",
    "other",
)
#: A chain of parents is followed at most this deep.
MAX_PARENT_DEPTH = 8


def ror_search_params(
    *, query: str, country: str | None = None, kind: str | None = None, page: int = 1
) -> dict[str, Any]:
    """The parameters of one page of a ROR search."""
    params: dict[str, Any] = {"query": query, "page": page}
    filters = [f"types:{kind}"] if kind else []
    filters += [f"locations.geonames_details.country_code:{country}"] if country else []
    if filters:
        params["filter"] = ",".join(filters)
    return params


@dataclass
class RorAnswer:
    """What the API gave: the address asked (shown on the Source row), the records, and the ids
    it did not have (a parent named by a record, an id asked for)."""

    url: str
    records: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def to_json(self) -> bytes:
        """The answer as one JSON document (what a recipe keeps, so a lock rebuilds from it)."""
        payload = {"url": self.url, "missing": self.missing, "items": self.records}
        return json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes, origin: str) -> RorAnswer:
        """An answer :meth:`to_json` wrote."""
        try:
            payload = json.loads(data)
        except (ValueError, RecursionError) as exc:
            raise DataValidationError([Problem(origin, 0, "", f"not JSON: {str(exc)[:80]}")]) from exc
        if not (
            isinstance(payload, dict)
            and isinstance(payload.get("items"), list)
            and isinstance(payload.get("url"), str)
            and all(isinstance(r, dict) for r in payload["items"])
        ):
            raise DataValidationError([Problem(origin, 0, "items", "not a ROR API answer aieco kept")])
        return cls(payload["url"], payload["items"], [str(m) for m in payload.get("missing") or []])


def _check(query: str | None, countries: Iterable[str], types: Iterable[str], ids: Iterable[str]) -> None:
    for country in countries:
        if len(country) != 2 or not country.isalpha():
            raise InvalidArgumentError(f"a country is its two-letter ISO code, not {country!r}")
    for kind in types:
        if kind not in ROR_TYPES:
            raise InvalidArgumentError(f"ROR has no type {kind!r}: choose from {', '.join(ROR_TYPES)}")
    if not (query or "").strip() and not list(ids):
        raise InvalidArgumentError(
            "give a query (--query) or ROR ids (--id): ROR's filters narrow a query; for every "
            "organisation of a country or type, read the data dump (aieco ror build)"
        )


def fetch_ror(
    *,
    query: str | None = None,
    countries: Iterable[str] = (),
    types: Iterable[str] = (),
    ids: Iterable[str] = (),
    parents: bool = True,
    base_url: str | None = None,
    cache_dir: str | Path | None = None,
) -> RorAnswer:
    """Ask the ROR API for the records of a query (in each country and type given) and for the
    records of ``ids``; with ``parents``, the chain of parents they name too.

    ``AIECO_ROR_URL`` sets a mirror's base URL; ``ROR_CLIENT_ID`` is sent as ``Client-Id``.
    """
    from urllib.parse import urlencode

    from aieco.loaders.http import Http

    countries = [c.strip().upper() for c in countries]
    types = [t.strip().lower() for t in types]
    ids = [short_id(i.strip()) or i.strip() for i in ids]
    _check(query, countries, types, ids)
    base = (base_url or setting("AIECO_ROR_URL") or ROR_API).rstrip("/")
    client = setting("ROR_CLIENT_ID")
    headers = {"Client-Id": client} if client else {}
    asked = [f"{base}/organizations?{urlencode({'query': query})}"] if query else []
    asked += [f"{base}/organizations/{i}" for i in ids]
    answer = RorAnswer(" ; ".join(asked) + (f" (countries {', '.join(countries)})" if countries else ""))
    found: dict[str, dict[str, Any]] = {}
    with Http(cache_dir=cache_dir, name="ror", headers=headers) as http:
        if query:
            in_countries: list[str | None] = [*countries] or [None]
            of_types: list[str | None] = [*types] or [None]
            for country in in_countries:
                for kind in of_types:
                    for rec in _search(http, base, query, country, kind):
                        found.setdefault(short_id(rec.get("id")) or "", rec)
        wanted = list(ids)
        for depth in range(MAX_PARENT_DEPTH + 1):
            for rid in sorted(set(wanted) - set(found) - set(answer.missing)):
                try:
                    rec = http.get_json(f"{base}/organizations/{rid}")
                except NotFoundError:
                    answer.missing.append(rid)
                    continue
                if not isinstance(rec, dict) or short_id(rec.get("id")) != rid:
                    raise OpenDataError(f"GET {base}/organizations/{rid}: not the ROR record of {rid}")
                found[rid] = rec
            if not parents or depth == MAX_PARENT_DEPTH:
                break
            wanted = sorted(
                {p for rec in found.values() for p in _parents(rec)} - set(found) - set(answer.missing)
            )
            if not wanted:
                break
    found.pop("", None)
    answer.records = [found[k] for k in sorted(found)]
    return answer


def _parents(rec: Mapping[str, Any]) -> Iterator[str]:
    for rel in rec.get("relationships") or []:
        if isinstance(rel, Mapping) and str(rel.get("type", "")).lower() == "parent":
            rid = short_id(rel.get("id"))
            if rid:
                yield rid


def _search(
    http: Any, base: str, query: str, country: str | None, kind: str | None
) -> Iterator[dict[str, Any]]:
    """Every record of one search, page by page, until its ``number_of_results``."""
    url = f"{base}/organizations"
    given = 0
    for page in range(1, MAX_PAGES + 1):
        answer = http.get_json(url, ror_search_params(query=query, country=country, kind=kind, page=page))
        items = answer.get("items") if isinstance(answer, Mapping) else None
        total = answer.get("number_of_results") if isinstance(answer, Mapping) else None
        if not isinstance(items, list) or not isinstance(total, int):
            raise OpenDataError(f"GET {url}: not a ROR search answer (no items and number_of_results)")
        for rec in items:
            if not isinstance(rec, dict):
                raise OpenDataError(f"GET {url}: a search result is not a JSON object")
            yield rec
        given += len(items)
        if given >= total or len(items) < PER_PAGE:
            return
    raise OpenDataError(
        f"GET {url}: more than {MAX_PAGES * PER_PAGE:,} records for {query!r}; narrow the query or "
        "read the data dump (aieco ror build)"
    )


def pull_from_answer(answer: RorAnswer, *, with_bundled: bool = True, origin: str | None = None) -> Pull:
    """The pull of an API answer (the records read as ROR files are; parents the API did not have
    counted)."""
    from aieco.loaders.ror import pull_from_records

    where = origin or answer.url
    return pull_from_records(
        ((where, i, rec) for i, rec in enumerate(answer.records, start=1)),
        title=f"ROR API: {answer.url}",
        url=answer.url.split(" ; ")[0].split(" (")[0],
        name="ror api",
        with_bundled=with_bundled,
        dropped=[("id the ROR API does not have (404)", m) for m in answer.missing],
    )


def pull_ror_api(
    *,
    query: str | None = None,
    countries: Iterable[str] = (),
    types: Iterable[str] = (),
    ids: Iterable[str] = (),
    parents: bool = True,
    cache_dir: str | Path | None = None,
    with_bundled: bool = True,
) -> Pull:
    """Organisations from the ROR API (see :func:`fetch_ror`), built as ROR files are."""
    answer = fetch_ror(
        query=query, countries=countries, types=types, ids=ids, parents=parents, cache_dir=cache_dir
    )
    return pull_from_answer(answer, with_bundled=with_bundled)


#: The graph of :func:`pull_ror_api` (its report under ``G.graph``).
graph_from_ror_api = graph_of(pull_ror_api)
