"""AI ecosystems from OpenAlex (CC0): institutions, collaborations and researcher mobility.

Two inputs give the same tables for the same records:

* :func:`graph_from_openalex_snapshot` streams the free bulk snapshot
  (``data/<entity>/updated_date=…/part_*.gz``, gzip JSON Lines) in bounded memory;
* :func:`graph_from_openalex_api` asks the REST API through :mod:`aieco.loaders.http` (cursor
  paging with guards, retries on 429/5xx, timeouts, an on-disk cache so a re-run sends no
  request; ``OPENALEX_API_KEY``, ``OPENALEX_MAILTO`` and a mirror's base URL
  ``AIECO_OPENALEX_URL`` from the environment).

Both apply the same :class:`~aieco.loaders.openalex_tables.OpenAlexFilters` to every record.
The flow rule is in :mod:`aieco.loaders.openalex_model`. Nothing is returned unless every
row validates against the schema.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from aieco.atomic import check_writable_folder, write_text
from aieco.errors import DataValidationError, InvalidArgumentError, Problem
from aieco.graph.build import build_graph
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.io import CSV_TABLES, write_csv_tables
from aieco.graph.records import Dataset, EntityRecord, ObservationRecord, Origin, RelationRecord, SourceRecord
from aieco.graph.text import tsv_line
from aieco.loaders.openalex_model import FlowLevel, NoiseRule, RecordError, short_id, work_institutions
from aieco.loaders.openalex_rows import Rows, build_rows
from aieco.loaders.openalex_tables import (
    DROP_UNITS,
    Accumulator,
    Merge,
    OpenAlexFilters,
    Resolver,
    pull_source,
)

logger = logging.getLogger(__name__)

__all__ = [
    "NoiseRule",
    "OpenAlexFilters",
    "OpenAlexPull",
    "graph_from_openalex_api",
    "graph_from_openalex_snapshot",
]
#: The files a pull writes beside the four tables.
PULL_FILES = ("merges.tsv", "dropped.tsv")

#: How a snapshot's authors and works are read (see :func:`graph_from_openalex_snapshot`).
SnapshotEngine = Literal["auto", "duckdb", "python"]
#: Called as records are read: (what, records read so far, total or 0 when unknown).
Progress = Callable[[str, int, int], None]
DEFAULT_API_URL = "https://api.openalex.org"
_MODELS: dict[str, type[BaseModel]] = {
    "sources": SourceRecord,
    "entities": EntityRecord,
    "relations": RelationRecord,
    "observations": ObservationRecord,
}


@dataclass
class OpenAlexPull:
    """What one pull built: the graph, the bundled entities it merged into, and what it read."""

    graph: EcosystemGraph
    merges: list[Merge] = field(default_factory=list)
    read: Mapping[str, int] = field(default_factory=dict)
    #: What was left out, by reason (see :data:`~aieco.loaders.openalex_tables.DROP_UNITS`).
    dropped: Mapping[str, int] = field(default_factory=dict)
    #: Up to five ids (authors, institutions, moves) per reason, for a look at the records.
    examples: Mapping[str, list[str]] = field(default_factory=dict)

    def dropped_tsv(self) -> str:
        """``dropped.tsv``: what, reason, count and examples, one reason a line."""
        rows = sorted(self.dropped.items(), key=lambda kv: (DROP_UNITS.get(kv[0], ""), kv[0]))
        lines = [tsv_line(("what", "reason", "count", "examples"))] + [
            tsv_line((DROP_UNITS.get(reason, ""), reason, n, " ".join(self.examples.get(reason, []))))
            for reason, n in rows
        ]
        return "\n".join(lines) + "\n"

    def describe_dropped(self) -> str:
        """One line: how many were left out, per reason."""
        return (
            "; ".join(
                f"{n:,} {DROP_UNITS.get(reason, '')}: {reason}" for reason, n in sorted(self.dropped.items())
            )
            or "nothing"
        )

    def write(self, out_dir: str | Path, *, force: bool = False) -> list[Path]:
        """Write the four CSV tables, ``merges.tsv`` (the merges, for review) and ``dropped.tsv``
        (what was left out, and why) into ``out_dir``."""
        check_writable_folder(out_dir, [*CSV_TABLES, *PULL_FILES], force=force)
        written = write_csv_tables(self.graph, Path(out_dir), force=force)
        lines = [tsv_line(("openalex_id", "name", "bundled_id", "matched_by"))] + [
            tsv_line((m.openalex, m.name, m.bundled, m.by)) for m in self.merges
        ]
        written.append(write_text(Path(out_dir) / "merges.tsv", "\n".join(lines) + "\n", force=force))
        written.append(write_text(Path(out_dir) / "dropped.tsv", self.dropped_tsv(), force=force))
        return written


def _graph(rows: Rows, origin: str, name: str) -> EcosystemGraph:
    data = Dataset(files=[origin])
    problems: list[Problem] = []
    for kind, model in _MODELS.items():
        for i, raw in enumerate(rows[kind], start=1):
            clean = {k: v for k, v in raw.items() if v not in (None, "")}
            try:
                getattr(data, kind).append((model.model_validate(clean), Origin(f"{origin} ({kind})", i)))
            except ValueError as exc:
                problems.append(Problem(f"{origin} ({kind})", i, "", str(exc).splitlines()[0]))
    return build_graph(data, name=name, problems=problems)


def _has_duckdb() -> bool:
    import importlib.util

    return importlib.util.find_spec("duckdb") is not None


def _accumulator(
    filters: OpenAlexFilters,
    level: FlowLevel,
    with_people: bool,
    noise: NoiseRule | None,
    bundled: bool,
    source: Mapping[str, Any],
) -> Accumulator:
    from aieco.loaders.bundled import graph_from_bundled

    return Accumulator(
        filters=filters,
        level=level,
        with_people=with_people,
        noise=noise or NoiseRule(),
        salt=str(source["id"]),
        resolver=Resolver(graph_from_bundled()) if bundled else None,
    )


def _finish(acc: Accumulator, source: dict[str, Any]) -> OpenAlexPull:
    kept, old = acc.read["authors kept"], acc.dropped["pre-2024 record without an affiliation history"]
    if old and not kept:
        raise DataValidationError(
            [
                Problem(
                    str(source["url"]),
                    0,
                    "affiliations",
                    f"{old:,} author records are in OpenAlex's pre-2024 schema (last_known_institution, "
                    "no affiliations): they hold no affiliation history, so no move can be read from them; "
                    "use a snapshot from 2024 on, or `aieco openalex pull`",
                )
            ]
        )
    resolver = acc.resolver or Resolver(None)
    source["note"] = (
        f"{source['note']}; "
        + ", ".join(f"{v:,} {k}" for k, v in acc.read.items())
        + f"; move rule: {acc.noise.describe()}"
    )
    rows, merges = build_rows(acc, source, resolver)
    graph = _graph(rows, str(source["url"]), name=f"openalex {acc.filters.describe()}")
    graph.G.graph["openalex"] = {
        "read": dict(acc.read),
        "dropped": dict(acc.dropped),
        "merges": len(merges),
        "level": acc.level,
        "noise": acc.noise.describe(),
    }
    for m in merges:
        logger.info("OpenAlex %s (%s) merged into bundled %r by %s", m.openalex, m.name, m.bundled, m.by)
    return OpenAlexPull(graph, merges, dict(acc.read), dict(acc.dropped), dict(acc.examples))


# ---- the snapshot --------------------------------------------------------------------
def snapshot_files(root: str | Path, entity: str) -> list[Path]:
    """``part_*.gz`` files of one entity type, under ``root/data/<entity>`` or ``root/<entity>``."""
    base = Path(root)
    for folder in (base / "data" / entity, base / entity):
        if folder.is_dir():
            return sorted(folder.glob("updated_date=*/*.gz"))
    return []


def iter_snapshot(root: str | Path, entity: str) -> Iterator[tuple[Path, int, dict[str, Any]]]:
    """(file, line number, record) for every record of one entity type, streamed."""
    for path in snapshot_files(root, entity):
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                for line_no, line in enumerate(fh, start=1):
                    if not line.strip():
                        continue
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise DataValidationError(
                            [Problem(str(path), line_no, "", f"not a JSON line: {exc.msg}")]
                        ) from exc
                    if not isinstance(record, dict):
                        raise DataValidationError(
                            [Problem(str(path), line_no, "", "a record must be a JSON object")]
                        )
                    yield path, line_no, record
        except (OSError, EOFError, UnicodeDecodeError) as exc:
            raise DataValidationError(
                [Problem(str(path), 0, "", f"cannot read gzip JSON Lines: {exc}")]
            ) from exc


def graph_from_openalex_snapshot(
    root: str | Path,
    *,
    filters: OpenAlexFilters | None = None,
    level: FlowLevel = "institution",
    with_bundled: bool = True,
    with_people: bool = False,
    noise: NoiseRule | None = None,
    engine: SnapshotEngine = "auto",
    memory_limit: str | None = None,
    progress: Progress | None = None,
) -> OpenAlexPull:
    """Build the talent and collaboration graph from an OpenAlex snapshot folder.

    Parameters
    ----------
    root
        The snapshot folder (holding ``data/institutions``, ``data/authors``, ``data/works``).
    filters
        Which records count; by default (``None``) every record under ``root``.
    level
        Where talent flows are counted: between institutions, cities, regions or countries.
    with_bundled
        Resolve institutions and places to bundled entities (ROR, GeoNames id, any name).
    with_people
        Also write each researcher as a Person with WORKS_AT per institution (off by default:
        privacy, and memory then grows with the number of authors).
    noise
        Which affiliations count and which profiles are set aside (:class:`NoiseRule`;
        default: every affiliation, profiles that look merged excluded).
    engine
        ``"duckdb"`` reads authors and works with DuckDB (parallel, only the fields used) and
        runs the move rule in SQL; ``"python"`` streams them record by record; ``"auto"``
        (default) takes DuckDB when it is installed. Both give the same tables.
    memory_limit
        DuckDB's memory limit (default ``"4GB"``); beyond it DuckDB spills to a temporary folder.
    progress
        Called as records are read.
    """
    if not snapshot_files(root, "institutions") and not snapshot_files(root, "authors"):
        raise InvalidArgumentError(
            f"{root} holds no OpenAlex snapshot (no data/institutions or data/authors)"
        )
    filters = filters or OpenAlexFilters()
    source = pull_source(
        f"snapshot {Path(root).name}; {filters.describe()}", url=Path(root).resolve().as_uri()
    )
    acc = _accumulator(filters, level, with_people, noise, with_bundled, source)
    use_duckdb = engine == "duckdb" or (engine == "auto" and not with_people and _has_duckdb())
    if use_duckdb and with_people:
        raise InvalidArgumentError("researchers as people (with_people) need the python engine")
    for n, (path, line, record) in enumerate(iter_snapshot(root, "institutions"), start=1):
        try:
            acc.add_institution(record)
        except RecordError as exc:
            raise DataValidationError([Problem(str(path), line, exc.field, str(exc))]) from exc
        if progress and n % 1000 == 0:
            progress("institutions", n, 0)
    if use_duckdb:
        import duckdb

        from aieco.loaders.openalex_duckdb import read_snapshot

        try:
            read_snapshot(
                acc,
                snapshot_files(root, "authors"),
                snapshot_files(root, "works"),
                memory_limit=memory_limit,
                progress=progress,
            )
        except (duckdb.ConversionException, duckdb.InvalidInputException, duckdb.IOException) as exc:
            # a record of the wrong shape: the strict reader names its file, line and field
            logger.info("DuckDB could not read %s (%s); reading it again record by record", root, exc)
            return graph_from_openalex_snapshot(
                root,
                filters=filters,
                level=level,
                with_bundled=with_bundled,
                noise=noise,
                engine="python",
                progress=progress,
            )
        return _finish(acc, source)
    for entity, add in (("authors", acc.add_author), ("works", acc.add_work)):
        for n, (path, line, record) in enumerate(iter_snapshot(root, entity), start=1):
            try:
                add(record)
            except RecordError as exc:
                raise DataValidationError([Problem(str(path), line, exc.field, str(exc))]) from exc
            if progress and n % 1000 == 0:
                progress(entity, n, 0)
    return _finish(acc, source)


# ---- the API -------------------------------------------------------------------------
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

        self.base = (base_url or os.environ.get("AIECO_OPENALEX_URL") or DEFAULT_API_URL).rstrip("/")
        headers = {}
        if os.environ.get("OPENALEX_API_KEY"):
            headers["Authorization"] = f"Bearer {os.environ['OPENALEX_API_KEY']}"
        if os.environ.get("OPENALEX_MAILTO"):
            headers["From"] = os.environ["OPENALEX_MAILTO"]
        self.http = Http(cache_dir=cache_dir, name="openalex", headers=headers)

    def close(self) -> None:
        self.http.close()

    def url(self, entity: str, filter_text: str = "") -> str:
        return f"{self.base}/{entity}" + (f"?filter={filter_text}" if filter_text else "")

    def pages(
        self, entity: str, filter_text: str, *, limit: int | None = None, progress: Progress | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every record of a filtered list, by cursor paging."""
        from aieco.loaders.http import OpenDataError

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
                if isinstance(rec.get("id"), str):
                    found[short_id(rec["id"])] = rec
        return found, [i for i in ordered if i not in found]


def _page_parts(page: Any, url: str) -> tuple[list[dict[str, Any]], Mapping[str, Any]]:
    from aieco.loaders.http import OpenDataError

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


def graph_from_openalex_api(
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
    acc = _accumulator(filters, level, with_people, noise, with_bundled, source)
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
    return _finish(acc, source)


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
