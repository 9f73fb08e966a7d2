"""An OpenAlex snapshot read by DuckDB: the same counts as the streaming reader, at bulk speed.

DuckDB's ``read_ndjson`` parses the gzip JSON Lines part files in parallel, keeping only the
fields aieco uses, and the move rule of :mod:`aieco.loaders.openalex_model` runs as SQL over
them (years with affiliations, each year's set against the previous one, left × joined, one
researcher once per corridor). What needs aieco's own rules per *institution* — its type, the
bundled entity it is, where it lies at the flow level — is computed once per institution in
Python (by the same :class:`~aieco.loaders.openalex_tables.Accumulator` methods the streaming
reader uses) and joined in as a table. The results land in the accumulator, so both readers
share the rows builder; a test requires equal tables from both on real records.

Memory is bounded: the author part files are read in batches (:data:`BATCH_BYTES`), each
batch's careers counted into tables that outlive it (the institutions met, each researcher's
corridors) before the next is read, and DuckDB's ``memory_limit`` bounds the rest (it spills
to a temporary folder beyond it). A record DuckDB cannot read sends the snapshot to the strict
reader, which names file, line, field.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from aieco.errors import MissingDependencyError
from aieco.loaders.openalex_careers import careers, drop, flows, insert, one, tally, year_clause
from aieco.loaders.openalex_model import MAX_COLLABORATORS
from aieco.loaders.openalex_pull import Progress
from aieco.loaders.openalex_sql import (
    AUTHOR_COLUMNS,
    DEHYDRATED,
    TOPIC_SHAPES,
    WORK_COLUMNS,
    ShapeError,
    is_ai_sql,
    scan_sql,
    short_sql,
    year_ok_sql,
    years_bad_sql,
    years_sql,
)
from aieco.loaders.openalex_tables import Accumulator

logger = logging.getLogger(__name__)

#: Author part files are read in batches of about this many (compressed) bytes: each batch's
#: affiliations are held, counted and dropped before the next (~100,000 real-size authors)
BATCH_BYTES = 256 * 2**20


class _Timed:
    """A DuckDB connection whose statements are logged (DEBUG) with their seconds."""

    def __init__(self, con: Any) -> None:
        self.con = con

    def execute(self, query: str, params: Any = None) -> Any:
        start = time.perf_counter()
        out = self.con.execute(query, params) if params is not None else self.con.execute(query)
        logger.debug("%.2f s  %s", time.perf_counter() - start, " ".join(query.split())[:120])
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self.con, name)


def _connect(work: Path, memory_limit: str | None, threads: int | None) -> Any:
    try:
        import duckdb
    except ImportError as exc:
        raise MissingDependencyError("reading a snapshot at speed needs DuckDB: pip install duckdb") from exc
    con = duckdb.connect()  # in memory; beyond memory_limit it spills to the temporary folder
    con.execute(f"SET temp_directory = '{work / 'spill'}'")
    con.execute(f"SET memory_limit = '{memory_limit or '4GB'}'")
    con.execute(f"SET threads = {int(threads or os.cpu_count() or 1)}")
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    return _Timed(con)


def read_snapshot(
    acc: Accumulator,
    author_files: list[Path],
    work_files: list[Path],
    *,
    memory_limit: str | None = None,
    threads: int | None = None,
    progress: Progress | None = None,
) -> None:
    """Count the authors and works of a snapshot into ``acc`` (whose institutions are read)."""
    with tempfile.TemporaryDirectory(prefix="aieco-duckdb-") as tmp:
        con = _connect(Path(tmp), memory_limit, threads)
        try:
            _read(con, acc, author_files, work_files, progress)
        finally:
            con.close()


def _author_columns(acc: Accumulator) -> dict[str, str]:
    """The author fields read: topics and concepts only when the AI filter needs them."""
    if acc.filters.ai_only:
        return AUTHOR_COLUMNS
    return {
        k: v for k, v in AUTHOR_COLUMNS.items() if k in ("id", "affiliations") or k.startswith("last_known")
    }


def _work_columns(acc: Accumulator) -> dict[str, str]:
    """The work fields read: topics and concepts only when the AI filter needs them."""
    return (
        WORK_COLUMNS
        if acc.filters.ai_only
        else {k: v for k, v in WORK_COLUMNS.items() if k not in TOPIC_SHAPES}
    )


def batches(files: list[Path], size: int | None = None) -> list[list[Path]]:
    """The author part files in batches of about ``size`` bytes (:data:`BATCH_BYTES`), a file
    never split, in the snapshot's order; one empty batch when there are none.

    >>> batches([])
    [[]]
    """
    size = BATCH_BYTES if size is None else size
    out: list[list[Path]] = [[]]
    held = 0
    for path in files:
        weight = path.stat().st_size if path.exists() else 0
        if out[-1] and held + weight > size:
            out.append([])
            held = 0
        out[-1].append(path)
        held += weight
    return out


def _read(
    con: Any, acc: Accumulator, author_files: list[Path], work_files: list[Path], progress: Progress | None
) -> None:
    acc.fill_regions()
    f = acc.filters
    countries = [c.upper() for c in f.countries]
    total = len(author_files) + len(work_files)
    _tables(con)
    done = 0
    for batch in batches(author_files):  # each batch read, counted and forgotten: memory stays bounded
        if progress:
            progress("authors", done, total)
        _authors(con, acc, batch, countries)
        _institutions(con, acc, AUTHOR_INSTITUTIONS)
        careers(con, acc)
        con.execute("DROP VIEW aff")
        for table in ("arows", "authors", "held", "careers", "flagged", "steps", "moves"):
            con.execute(f"DROP TABLE {table}")
        done += len(batch)
    if progress:
        progress("works", done, total)
    _works(con, acc, work_files, countries)
    _institutions(con, acc, WORK_INSTITUTIONS)
    flows(con, acc)
    _work_counts(con, acc)
    if progress:
        progress("works", total, total)


def _tables(con: Any) -> None:
    """The tables that outlive a batch: institutions met (``inst``), their counting keys
    (``canon``, each key and place also as a number the careers compare faster) and each
    researcher's corridors (``corridors``)."""
    con.execute("CREATE TABLE inst (inst_id VARCHAR, k VARCHAR, stub BOOLEAN, typed BOOLEAN)")
    con.execute(
        "CREATE TABLE canon (k VARCHAR, rep VARCHAR, parents VARCHAR[], flow_end VARCHAR, stay VARCHAR, "
        "city VARCHAR, ki INTEGER, si INTEGER)"
    )
    con.execute("CREATE TABLE corridors (a_end VARCHAR, b_end VARCHAR, t BIGINT, key VARCHAR)")


def _authors(con: Any, acc: Accumulator, files: list[Path], countries: list[str]) -> None:
    """Authors (the fields used), their filter verdicts, and the affiliations of those kept."""
    ai = is_ai_sql(["topics", "topic_share"], ["primary_topic"], ["x_concepts", "concepts"])
    codes = "list_transform(coalesce(affiliations, []), lambda a: upper(a.institution.country_code))"
    clauses = [*([ai] if acc.filters.ai_only else []), *([f"list_has_any({codes}, ?)"] if countries else [])]
    keep = " AND ".join(clauses) or "true"
    old = (
        "affiliations IS NULL AND (last_known_institution IS NOT NULL OR last_known_institutions IS NOT NULL)"
    )
    # one scan: each affiliation a row (an author without any keeps one row, ``has_aff`` false)
    if files:
        con.execute(
            f"""
            CREATE TABLE arows AS
            SELECT author, old_schema, keep, {years_sql("a.years")} AS years,
                   misshapen OR {years_bad_sql("a.years", "years")} AS misshapen,
                   a IS NOT NULL AS has_aff, a.institution AS inst,
                   nullif({short_sql("a.institution.id")}, '') AS inst_id
            FROM (
              SELECT author, old_schema, keep, misshapen, unnest(affs) AS a FROM (
                SELECT coalesce(nullif({short_sql("id")}, ''), 'author ' || hash(affiliations)) AS author,
                       {old} AS old_schema, NOT ({old}) AND {keep} AS keep, misshapen,
                       CASE WHEN len(affiliations) > 0 THEN affiliations ELSE [NULL] END AS affs
                FROM {scan_sql(_author_columns(acc), "false")}
              )
            )
            """,
            [*([countries] if countries else []), [str(p) for p in files], _author_columns(acc)],
        )
        if one(con, "SELECT count(*) FROM arows WHERE misshapen"):
            raise ShapeError("an author record of the wrong shape")
    else:
        con.execute(
            "CREATE TABLE arows (author VARCHAR, old_schema BOOLEAN, keep BOOLEAN, has_aff BOOLEAN, "
            f"inst {DEHYDRATED}, inst_id VARCHAR, years BIGINT[])"
        )
    # an author's order ``o`` is its first row's: the order the streaming reader meets it in
    con.execute(
        "CREATE TABLE authors AS SELECT author, min(rowid) AS o, bool_or(old_schema) AS old_schema, "
        "bool_or(keep) AS keep, substr(sha256(? || ':' || author), 1, 12) AS key FROM arows GROUP BY author",
        [acc.salt],
    )
    tally(acc, "authors", one(con, "SELECT count(*) FROM authors"))
    drop(
        con,
        acc,
        "pre-2024 record without an affiliation history",
        "SELECT author, o FROM authors WHERE old_schema",
    )
    drop(
        con,
        acc,
        "outside the filters",
        "SELECT author, o FROM authors WHERE NOT old_schema AND NOT keep",
    )
    con.execute(
        "CREATE VIEW aff AS SELECT rowid AS o, author, inst, inst_id, years FROM arows WHERE keep AND has_aff"
    )
    drop(
        con,
        acc,
        "affiliation without an institution id",
        "SELECT author, o FROM aff WHERE inst_id IS NULL",
    )
    drop(
        con,
        acc,
        "affiliation set aside (too few years)",
        "SELECT author || ' ' || inst_id, o FROM aff "
        f"WHERE inst_id IS NOT NULL AND len(years) < {acc.noise.min_years}",
    )


def _works(con: Any, acc: Accumulator, files: list[Path], countries: list[str]) -> None:
    """Works (the fields used), their institutions, and the filters' verdicts."""
    ai = is_ai_sql(["topics"], ["primary_topic"], ["concepts"]) if acc.filters.ai_only else "false"
    if files:
        con.execute(
            f"""
            CREATE TABLE works AS
            SELECT row_number() OVER () AS r, {short_sql("id")} AS work,
                   CASE WHEN json_type(publication_year) IN ('BIGINT', 'UBIGINT')
                        THEN CAST(publication_year AS BIGINT) END AS year,
                   {ai} AS ai, authorships, misshapen
            FROM {scan_sql(_work_columns(acc), f"NOT coalesce({year_ok_sql('publication_year')}, true)")}
            """,
            [[str(p) for p in files], _work_columns(acc)],
        )
        if one(con, "SELECT count(*) FROM works WHERE misshapen"):
            raise ShapeError("a work record of the wrong shape")
    else:
        con.execute(
            "CREATE TABLE works (r BIGINT, work VARCHAR, year BIGINT, ai BOOLEAN, "
            f"authorships {WORK_COLUMNS['authorships']})"
        )
    con.execute(
        f"""
        CREATE TABLE wi AS
        SELECT w.r, w.pos, x.pos2, x.inst, nullif({short_sql("x.inst.id")}, '') AS inst_id
        FROM (SELECT r, unnest(authorships) AS au, generate_subscripts(authorships, 1) AS pos
              FROM works WHERE authorships IS NOT NULL) AS w,
             LATERAL (SELECT unnest(w.au.institutions) AS inst,
                             generate_subscripts(w.au.institutions, 1) AS pos2) AS x
        """
    )
    keep = [f"year IS NOT NULL AND {year_clause('year', acc)}"]
    keep += ["ai"] if acc.filters.ai_only else []
    if countries:
        keep.append(
            "r IN (SELECT r FROM wi WHERE inst_id IS NOT NULL AND upper(inst.country_code) IN "
            "(SELECT unnest(?::VARCHAR[])))"
        )
    con.execute(
        f"CREATE TABLE wkept AS SELECT r, work, year FROM works WHERE {' AND '.join(keep)}",
        [countries] if countries else [],
    )
    tally(acc, "works", one(con, "SELECT count(*) FROM works"))
    tally(acc, "works kept", one(con, "SELECT count(*) FROM wkept"))
    drop(
        con, acc, "work outside the filters", "SELECT work, r FROM works WHERE r NOT IN (SELECT r FROM wkept)"
    )


#: Institutions an author batch names: the first affiliation naming each is its stub
AUTHOR_INSTITUTIONS = "SELECT inst_id, inst, [o] AS o, [o] AS c FROM aff WHERE inst_id IS NOT NULL"
#: Institutions the works kept name (after every author's): the first authorship naming each
WORK_INSTITUTIONS = (
    "SELECT inst_id, inst, [r, pos, pos2] AS o, [r] AS c FROM wi "
    "WHERE inst_id IS NOT NULL AND r IN (SELECT r FROM wkept)"
)


def _institutions(con: Any, acc: Accumulator, named_sql: str) -> None:
    """The institutions ``named_sql`` names that are not yet in ``inst``, met in the streaming
    reader's order: stubs, counting keys, types and places by the accumulator's own rules,
    added to tables ``inst`` and ``canon``."""
    named = con.execute(
        f"""
        SELECT inst_id, arg_min(inst, o) AS inst, min(c) AS first FROM ({named_sql})
        WHERE inst_id NOT IN (SELECT inst_id FROM inst)
        GROUP BY inst_id ORDER BY first, inst_id
        """
    ).fetchall()
    if not named:
        return
    for inst_id, inst, _ in named:
        acc._stub({k: v for k, v in (inst or {}).items() if v is not None} | {"id": inst_id})
    rows = []
    for inst_id, _, _ in named:  # counting keys made in first-met order, as the streaming reader does
        key = acc.canon(inst_id)
        rows.append((inst_id, key, inst_id in acc.stubs, acc.type_of(key) is not None))
    known = dict(con.execute("SELECT k, ki FROM canon").fetchall())
    places = dict(con.execute("SELECT DISTINCT stay, si FROM canon WHERE stay IS NOT NULL").fetchall())
    mapped: list[tuple[Any, ...]] = []
    for key in sorted({r[1] for r in rows} - set(known)):
        inst = acc.institution(key)
        stay = (
            (key if acc.type_of(key) is not None else None)
            if acc.level == "institution"
            else acc.place_of(key)
        )
        if stay is not None and stay not in places:
            places[stay] = len(places)
        parents = list(inst.parents) if inst else []
        mapped.append(
            (
                key,
                acc.representative.get(key, key),
                parents,
                acc.flow_end(key),
                stay,
                acc.city_key(key),
                len(known) + len(mapped),
                None if stay is None else places[stay],
            )
        )
    insert(con, "inst", rows)
    insert(con, "canon", mapped)


def _work_counts(con: Any, acc: Accumulator) -> None:
    """Works per institution and city, and co-authoring institutions, as the streaming reader counts them."""
    con.execute(
        """
        CREATE TABLE wk AS
        SELECT DISTINCT w.r, w.work, w.year, i.k
        FROM wkept w JOIN wi USING (r) JOIN inst i ON i.inst_id = wi.inst_id WHERE i.typed
        """
    )
    for k, year, n in con.execute("SELECT k, year, count(*) FROM wk GROUP BY ALL").fetchall():
        acc.works_by_institution[(k, int(year))] += int(n)
    for city, year, n in con.execute(
        "SELECT c.city, w.year, count(DISTINCT w.r) FROM wk w JOIN canon c USING (k) "
        "WHERE c.city IS NOT NULL GROUP BY ALL"
    ).fetchall():
        acc.works_by_city[(city, int(year))] += int(n)
    drop(
        con,
        acc,
        "work with too many institutions for collaborations",
        f"SELECT any_value(work), r FROM wk GROUP BY r HAVING count(*) > {MAX_COLLABORATORS}",
    )
    for a, b, year, n in con.execute(
        f"""
        SELECT x.k, y.k, x.year, count(*) FROM wk x JOIN wk y ON x.r = y.r AND x.k < y.k
        WHERE x.r IN (SELECT r FROM wk GROUP BY r HAVING count(*) <= {MAX_COLLABORATORS}) GROUP BY ALL
        """
    ).fetchall():
        acc.collaborations[(a, b, int(year))] += int(n)
