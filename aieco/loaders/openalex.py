"""AI ecosystems from OpenAlex (CC0): institutions, collaborations and researcher mobility.

Two inputs give the same tables for the same records:

* :func:`graph_from_openalex_snapshot` streams the free bulk snapshot
  (``data/<entity>/updated_date=…/part_*.gz``, gzip JSON Lines) in bounded memory;
* :func:`graph_from_openalex_api` asks the API through :mod:`pyalex` (cursor paging, retries
  on 429/500/503, an on-disk cache so a re-run sends no request; ``OPENALEX_API_KEY``,
  ``OPENALEX_MAILTO`` and a mirror's base URL ``AIECO_OPENALEX_URL`` from the environment).

Both apply the same :class:`~aieco.loaders.openalex_tables.OpenAlexFilters` to every record.
The flow rule is in :mod:`aieco.loaders.openalex_model`. Nothing is returned unless every
row validates against the schema.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from aieco.atomic import check_writable_folder, write_text
from aieco.errors import DataValidationError, InvalidArgumentError, MissingDependencyError, Problem
from aieco.graph.build import build_graph
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.io import CSV_TABLES, write_csv_tables
from aieco.graph.records import Dataset, EntityRecord, ObservationRecord, Origin, RelationRecord, SourceRecord
from aieco.graph.text import tsv_line
from aieco.loaders.openalex_model import FlowLevel, NoiseRule, RecordError, short_id
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
    progress
        Called every 1,000 records.
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
    for entity, add in (
        ("institutions", acc.add_institution),
        ("authors", acc.add_author),
        ("works", acc.add_work),
    ):
        for n, (path, line, record) in enumerate(iter_snapshot(root, entity), start=1):
            try:
                add(record)
            except RecordError as exc:
                raise DataValidationError([Problem(str(path), line, exc.field, str(exc))]) from exc
            if progress and n % 1000 == 0:
                progress(entity, n, 0)
    return _finish(acc, source)


# ---- the API -------------------------------------------------------------------------
def parse_filter(text: str) -> dict[str, Any]:
    """An OpenAlex filter string as pyalex's nested keyword form.

    >>> parse_filter("topics.subfield.id:1702,affiliations.institution.country_code:cn|us")
    {'topics': {'subfield': {'id': '1702'}}, 'affiliations': {'institution': {'country_code': 'cn|us'}}}
    """
    out: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition(":")
        if not sep or not key:
            raise InvalidArgumentError(f"filter {part!r} is not key:value")
        node = out
        *path, last = key.split(".")
        for step in path:
            node = node.setdefault(step, {})
        node[last] = value
    return out


@contextlib.contextmanager
def _pyalex(cache_dir: Path | None) -> Iterator[Any]:
    try:
        import pyalex
    except ImportError as exc:
        raise MissingDependencyError("the OpenAlex API needs pyalex: pip install pyalex") from exc
    saved = dict(pyalex.config)
    pyalex.config.email = os.environ.get("OPENALEX_MAILTO") or None
    pyalex.config.api_key = os.environ.get("OPENALEX_API_KEY") or None
    pyalex.config.openalex_url = os.environ.get("AIECO_OPENALEX_URL") or DEFAULT_API_URL
    pyalex.config.max_retries, pyalex.config.retry_backoff_factor = 5, 0.5
    pyalex.config.retry_http_codes = [429, 500, 502, 503]
    try:
        if cache_dir is None:
            yield pyalex
        else:
            import requests_cache

            cache_dir.mkdir(parents=True, exist_ok=True)
            with requests_cache.enabled(
                str(cache_dir / "openalex"), backend="sqlite", allowable_codes=(200,)
            ):
                yield pyalex
    finally:
        pyalex.config.update(saved)


def _endpoint(pyalex: Any, name: str) -> Any:
    """pyalex's endpoint class, with URLs on ``config.openalex_url`` (pyalex 0.21 builds every URL
    on api.openalex.org whatever that setting says; the class name is the URL path)."""
    base = getattr(pyalex, name)

    def url(self: Any) -> str:
        default: str = base.url.fget(self)
        return str(pyalex.config.openalex_url).rstrip("/") + default.removeprefix(DEFAULT_API_URL)

    return type(name, (base,), {"url": property(url)})


def _pages(query: Any, what: str, progress: Progress | None, limit: int | None) -> Iterator[dict[str, Any]]:
    n = 0
    for page in query.paginate(per_page=200, n_max=limit):
        for record in page:
            n += 1
            yield dict(record)
        if progress:
            progress(what, n, int(getattr(page, "meta", {}).get("count") or 0))


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
    """Build the talent and collaboration graph from the OpenAlex API (through pyalex).

    ``author_filter`` and ``work_filter`` are OpenAlex filter strings sent to the server; by
    default they are made from ``filters`` (countries, years, AI). The same ``filters`` are then
    applied to every record received, as the snapshot reader does. ``limit`` caps the records of
    each list (for a first look).
    """
    filters = filters or OpenAlexFilters(ai_only=True)
    cc = "|".join(c.lower() for c in filters.countries)
    authors_q: dict[str, Any] = parse_filter(author_filter) if author_filter else {}
    works_q: dict[str, Any] = parse_filter(work_filter) if work_filter else {}
    if not author_filter:
        if cc:
            authors_q["affiliations"] = {"institution": {"country_code": cc}}
        if filters.ai_only:
            authors_q["x_concepts"] = {"id": "C154945302"}
    if not work_filter:
        if cc:
            works_q["authorships"] = {"institutions": {"country_code": cc}}
        if filters.ai_only:
            works_q["primary_topic"] = {"subfield": {"id": "1702"}}
        if filters.from_year or filters.to_year:
            works_q["publication_year"] = f"{filters.from_year or ''}-{filters.to_year or ''}"
    with _pyalex(Path(cache_dir) if cache_dir else None) as pyalex:
        Authors, Works, Institutions = (_endpoint(pyalex, n) for n in ("Authors", "Works", "Institutions"))
        authors_query = Authors().filter(**authors_q) if authors_q else Authors()
        works_query = Works().filter(**works_q) if works_q else Works()
        url = authors_query.url
        authors = list(_pages(authors_query, "authors", progress, limit))
        works = list(_pages(works_query, "works", progress, limit))
        wanted = {
            short_id(a["institution"]["id"])
            for rec in authors
            for a in rec.get("affiliations") or []
            if (a.get("institution") or {}).get("id")
        } | {
            short_id(i["id"])
            for w in works
            for au in w.get("authorships") or []
            for i in au.get("institutions") or []
        }
        institutions: dict[str, dict[str, Any]] = {}
        ordered = sorted(wanted)
        for start in range(0, len(ordered), 50):
            for rec in Institutions()[ordered[start : start + 50]]:
                institutions[short_id(rec["id"])] = dict(rec)
        parents = {short_id(p) for rec in institutions.values() for p in rec.get("lineage") or []} - set(
            institutions
        )
        for parent in sorted(parents):
            rec = Institutions()[parent]  # a single-entity GET
            institutions[short_id(rec["id"])] = dict(rec)
    source = pull_source(f"API {url}; {filters.describe()}", url=url)
    source["note"] = f"{source['note']}; works query {works_query.url}"
    acc = _accumulator(filters, level, with_people, noise, with_bundled, source)
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
