"""The OpenAlex REST API: a client on :mod:`aieco.loaders.http` (cursor paging with guards,
batched id look-ups, the API key as a header) and :func:`pull_openalex_api`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from aieco.config import env as setting
from aieco.errors import DataValidationError, InvalidArgumentError, OpenDataError, Problem
from aieco.loaders.openalex_model import FlowLevel, NoiseRule, short_id, work_institutions
from aieco.loaders.openalex_pull import OpenAlexPull, Progress, finish, new_accumulator
from aieco.loaders.openalex_shapes import RecordError
from aieco.loaders.openalex_tables import OpenAlexFilters, pull_source
from aieco.loaders.pull import graph_of

DEFAULT_API_URL = "https://api.openalex.org"
#: At most this many ids in one ``filter=openalex:a|b|…`` request (the API's limit on OR values).
ID_BATCH = 100
#: Pages of one list before aieco stops (200 records a page: 10 million records).
MAX_PAGES = 50_000
#: Lineage levels followed up from an institution to its parents.
MAX_LINEAGE_DEPTH = 10


def check_filter(text: str) -> str:
    """An OpenAlex filter string, checked for the ``key:value[,key:value]`` shape.

    >>> check_filter("topics.subfield.id:1702,affiliations.institution.country_code:cn|us")
    'topics.subfield.id:1702,affiliations.institution.country_code:cn|us'
    """
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, _ = part.partition(":")
        if not sep or not key:
            raise InvalidArgumentError(f"filter {part!r} is not key:value")
    return text


class OpenAlexClient:
    """The OpenAlex REST API over :class:`~aieco.loaders.http.Http`: cursor paging with guards
    (a cursor that repeats, pages without end), batched id look-ups, the API key as a header.

    ``OPENALEX_API_KEY`` (required by OpenAlex since February 2026) and ``OPENALEX_MAILTO`` come
    from the environment, as does ``AIECO_OPENALEX_URL`` (a mirror's base URL).
    """

    def __init__(self, *, cache_dir: str | Path | None = None, base_url: str | None = None) -> None:
        from aieco.loaders.http import Http

        self.base = (base_url or setting("AIECO_OPENALEX_URL") or DEFAULT_API_URL).rstrip("/")
        headers = {}
        key, mailto = setting("OPENALEX_API_KEY"), setting("OPENALEX_MAILTO")
        if key:
            headers["Authorization"] = f"Bearer {key}"
        if mailto:
            headers["From"] = mailto
        self.http = Http(cache_dir=cache_dir, name="openalex", headers=headers)

    def close(self) -> None:
        self.http.close()

    def url(self, entity: str, filter_text: str = "") -> str:
        return f"{self.base}/{entity}" + (f"?filter={filter_text}" if filter_text else "")

    def pages(
        self, entity: str, filter_text: str, *, limit: int | None = None, progress: Progress | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every record of a filtered list, by cursor paging."""
        url, cursor, seen, n = f"{self.base}/{entity}", "*", set(), 0
        for _ in range(MAX_PAGES):
            params = {"per-page": 200, "cursor": cursor}
            if filter_text:
                params["filter"] = filter_text
            page = self.http.get_json(url, params)
            results, meta = _page_parts(page, f"{url}?filter={filter_text}")
            for record in results:
                n += 1
                yield record
                if limit is not None and n >= limit:
                    return
            if progress:
                progress(entity, n, int(meta.get("count") or 0) if isinstance(meta.get("count"), int) else 0)
            nxt = meta.get("next_cursor")
            if not nxt or not results:
                return
            if not isinstance(nxt, str) or nxt in seen:
                raise OpenDataError(
                    f"GET {url}: the API gave the cursor {str(nxt)[:40]!r} twice; paging stopped"
                )
            seen.add(nxt)
            cursor = nxt
        raise OpenDataError(f"GET {url}: more than {MAX_PAGES:,} pages; narrow the filter or use --limit")

    def by_ids(self, entity: str, ids: Iterable[str]) -> tuple[dict[str, dict[str, Any]], list[str]]:
        """Records by OpenAlex id, ``ID_BATCH`` a request; (found by id, ids the API did not have)."""
        ordered = sorted(set(ids))
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ordered), ID_BATCH):
            batch = ordered[start : start + ID_BATCH]
            for rec in self.pages(entity, "openalex:" + "|".join(batch)):
                if not isinstance(rec.get("id"), str) or not rec["id"]:
                    raise OpenDataError(
                        f"GET {self.url(entity, 'openalex:' + '|'.join(batch))}: a result without an id"
                    )
                found[short_id(rec["id"])] = rec
        return found, [i for i in ordered if i not in found]


def _page_parts(page: Any, url: str) -> tuple[list[dict[str, Any]], Mapping[str, Any]]:
    if not isinstance(page, Mapping):
        raise OpenDataError(f"GET {url}: the answer is not a JSON object with results")
    results, meta = page.get("results"), page.get("meta")
    if not isinstance(results, list):
        raise OpenDataError(f"GET {url}: 'results' is {type(results).__name__}, not a list")
    if meta is not None and not isinstance(meta, Mapping):
        raise OpenDataError(f"GET {url}: 'meta' is {type(meta).__name__}, not an object")
    records = [r for r in results if isinstance(r, dict)]
    if len(records) != len(results):
        raise OpenDataError(f"GET {url}: {len(results) - len(records)} results are not JSON objects")
    return records, meta or {}


def pull_openalex_api(
    *,
    filters: OpenAlexFilters | None = None,
    author_filter: str | None = None,
    work_filter: str | None = None,
    level: FlowLevel = "institution",
    with_bundled: bool = True,
    with_people: bool = False,
    cache_dir: str | Path | None = None,
    limit: int | None = None,
    noise: NoiseRule | None = None,
    progress: Progress | None = None,
) -> OpenAlexPull:
    """Build the talent and collaboration graph from the OpenAlex API.

    ``author_filter`` and ``work_filter`` are OpenAlex filter strings sent to the server; by
    default they are made from ``filters`` (countries, years, AI: authors with a topic in the
    AI subfield, works whose primary topic is in it). The same ``filters`` are then applied to
    every record received, as the snapshot reader does. ``limit`` caps the records of each list
    (for a first look). Institutions that authors and works name are fetched a hundred a
    request, and so are their lineage parents; one the API does not have is counted, not fatal.
    """
    filters = filters or OpenAlexFilters(ai_only=True)
    cc = "|".join(c.lower() for c in filters.countries)
    if author_filter is None:
        parts = [f"affiliations.institution.country_code:{cc}"] if cc else []
        parts += ["topics.subfield.id:1702"] if filters.ai_only else []
        author_filter = ",".join(parts)
    if work_filter is None:
        parts = [f"authorships.institutions.country_code:{cc}"] if cc else []
        parts += ["primary_topic.subfield.id:1702"] if filters.ai_only else []
        if filters.from_year or filters.to_year:
            parts.append(f"publication_year:{filters.from_year or ''}-{filters.to_year or ''}")
        work_filter = ",".join(parts)
    client = OpenAlexClient(cache_dir=cache_dir)
    try:
        url = client.url("authors", check_filter(author_filter))
        authors = list(client.pages("authors", author_filter, limit=limit, progress=progress))
        works = list(client.pages("works", check_filter(work_filter), limit=limit, progress=progress))
        wanted = {
            i
            for rec in authors
            for a in _as_list(rec.get("affiliations"))
            if isinstance(a, Mapping)
            for i in [_institution_id(a.get("institution"))]
            if i
        } | work_institutions_of(works)
        institutions, missing = client.by_ids("institutions", wanted)
        for _ in range(MAX_LINEAGE_DEPTH):
            parents = (
                {
                    short_id(p)
                    for rec in institutions.values()
                    for p in _as_list(rec.get("lineage"))
                    if isinstance(p, str)
                }
                - set(institutions)
                - set(missing)
            )
            if not parents:
                break
            found, absent = client.by_ids("institutions", parents)
            institutions |= found
            missing += absent
        requests = client.http.requests
    finally:
        client.close()
    source = pull_source(f"API {url}; {filters.describe()}", url=url)
    source["note"] = (
        f"{source['note']}; works query {client.url('works', work_filter)}; {requests:,} requests"
    )
    acc = new_accumulator(filters, level, with_people, noise, with_bundled, source)
    for inst in missing:
        acc.drop("institution the API does not have (404)", inst)
    for what, records, add in (
        ("institutions", list(institutions.values()), acc.add_institution),
        ("authors", authors, acc.add_author),
        ("works", works, acc.add_work),
    ):
        for i, rec in enumerate(records, start=1):
            try:
                add(rec)
            except RecordError as exc:
                raise DataValidationError([Problem(f"{url} ({what})", i, exc.field, str(exc))]) from exc
    return finish(acc, source)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _institution_id(rec: Any) -> str | None:
    if isinstance(rec, Mapping) and isinstance(rec.get("id"), str) and rec["id"]:
        return short_id(rec["id"])
    return None


def work_institutions_of(works: Iterable[Mapping[str, Any]]) -> set[str]:
    """Ids of every institution the works' authorships name."""
    out: set[str] = set()
    for w in works:
        out |= work_institutions(w)[0]
    return out


#: The graph of :func:`pull_openalex_api` (its report under ``G.graph``).
graph_from_openalex_api = graph_of(pull_openalex_api)
