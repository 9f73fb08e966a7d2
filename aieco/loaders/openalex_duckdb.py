"""An OpenAlex snapshot read by DuckDB: the same counts as the streaming reader, at bulk speed.

DuckDB's ``read_ndjson`` parses the gzip JSON Lines part files in parallel, keeping only the
fields aieco uses, and the move rule of :mod:`aieco.loaders.openalex_model` runs as SQL over
them (years with affiliations, each year's set against the previous one, left × joined, one
researcher once per corridor). What needs aieco's own rules per *institution* — its type, the
bundled entity it is, where it lies at the flow level — is computed once per institution in
Python (by the same :class:`~aieco.loaders.openalex_tables.Accumulator` methods the streaming
reader uses) and joined in as a table. The results land in the accumulator, so both readers
share the rows builder; a test requires equal tables from both on real records.

Memory is bounded by DuckDB's ``memory_limit`` (it spills to a temporary folder beyond it). A
record DuckDB cannot read sends the snapshot to the strict reader, which names file, line, field.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from aieco.errors import MissingDependencyError
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


def _year_clause(column: str, acc: Accumulator) -> str:
    """SQL: ``column`` is a year the filters keep."""
    f = acc.filters
    parts = [f"{column} >= {int(f.from_year)}"] if f.from_year is not None else []
    parts += [f"{column} <= {int(f.to_year)}"] if f.to_year is not None else []
    return " AND ".join(parts) or "true"


def _read(
    con: Any, acc: Accumulator, author_files: list[Path], work_files: list[Path], progress: Progress | None
) -> None:
    acc.fill_regions()
    f = acc.filters
    countries = [c.upper() for c in f.countries]
    if progress:
        progress("authors", 0, len(author_files) + len(work_files))
    _authors(con, acc, author_files, countries)
    if progress:
        progress("works", len(author_files), len(author_files) + len(work_files))
    _works(con, acc, work_files, countries)
    _institutions(con, acc)
    _careers(con, acc)
    _work_counts(con, acc)
    if progress:
        progress("works", len(author_files) + len(work_files), len(author_files) + len(work_files))


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
        if _one(con, "SELECT count(*) FROM arows WHERE misshapen"):
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
    _tally(acc, "authors", _one(con, "SELECT count(*) FROM authors"))
    _drop(
        con,
        acc,
        "pre-2024 record without an affiliation history",
        "SELECT author, o FROM authors WHERE old_schema",
    )
    _drop(
        con,
        acc,
        "outside the filters",
        "SELECT author, o FROM authors WHERE NOT old_schema AND NOT keep",
    )
    con.execute(
        "CREATE VIEW aff AS SELECT rowid AS o, author, inst, inst_id, years FROM arows WHERE keep AND has_aff"
    )
    _drop(
        con,
        acc,
        "affiliation without an institution id",
        "SELECT author, o FROM aff WHERE inst_id IS NULL",
    )
    _drop(
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
        if _one(con, "SELECT count(*) FROM works WHERE misshapen"):
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
    keep = [f"year IS NOT NULL AND {_year_clause('year', acc)}"]
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
    _tally(acc, "works", _one(con, "SELECT count(*) FROM works"))
    _tally(acc, "works kept", _one(con, "SELECT count(*) FROM wkept"))
    _drop(
        con, acc, "work outside the filters", "SELECT work, r FROM works WHERE r NOT IN (SELECT r FROM wkept)"
    )


def _institutions(con: Any, acc: Accumulator) -> None:
    """Every institution named, met in the streaming reader's order: stubs, counting keys, types
    and places by the accumulator's own rules, as tables ``inst`` and ``canon``."""
    named = con.execute(
        """
        SELECT inst_id, arg_min(inst, o) AS inst, min(c) AS first FROM (
          SELECT inst_id, inst, [0, o, 0, 0] AS o, [0, o, 0] AS c FROM aff WHERE inst_id IS NOT NULL
          UNION ALL
          SELECT inst_id, inst, [1, r, pos, pos2] AS o, [1, r, 0] AS c FROM wi
          WHERE inst_id IS NOT NULL AND r IN (SELECT r FROM wkept)
        ) GROUP BY inst_id ORDER BY first, inst_id
        """
    ).fetchall()
    for inst_id, inst, _ in named:
        acc._stub({k: v for k, v in (inst or {}).items() if v is not None} | {"id": inst_id})
    rows = []
    for inst_id, _, _ in named:  # counting keys made in first-met order, as the streaming reader does
        key = acc.canon(inst_id)
        rows.append((inst_id, key, inst_id in acc.stubs, acc.type_of(key) is not None))
    mapped = []
    for key in sorted({r[1] for r in rows}):
        inst = acc.institution(key)
        stay = (
            (key if acc.type_of(key) is not None else None)
            if acc.level == "institution"
            else acc.place_of(key)
        )
        parents = list(inst.parents) if inst else []
        mapped.append(
            (key, acc.representative.get(key, key), parents, acc.flow_end(key), stay, acc.city_key(key))
        )
    # each key and place also as a number, which the careers' list functions compare faster
    places = {p: i for i, p in enumerate(sorted({m[4] for m in mapped if m[4] is not None}))}
    numbered = [(*m, i, None if m[4] is None else places[m[4]]) for i, m in enumerate(mapped)]
    con.execute("CREATE TABLE inst (inst_id VARCHAR, k VARCHAR, stub BOOLEAN, typed BOOLEAN)")
    con.execute(
        "CREATE TABLE canon (k VARCHAR, rep VARCHAR, parents VARCHAR[], flow_end VARCHAR, stay VARCHAR, "
        "city VARCHAR, ki INTEGER, si INTEGER)"
    )
    _insert(con, "inst", rows)
    _insert(con, "canon", numbered)


def _careers(con: Any, acc: Accumulator) -> None:
    """The move rule, stays and departures, each author at once: the author's affiliations as one
    list, each year's set of institutions (and of places) computed from it with list functions,
    and each year compared with the previous one."""
    con.execute(
        f"""
        CREATE TABLE held AS
        SELECT a.o, a.author, a.inst_id, i.k, i.stub, i.typed, c.ki, c.si,
               list_filter(a.years, lambda year: {_year_clause("year", acc)}) AS years
        FROM aff a JOIN inst i USING (inst_id) JOIN canon c USING (k)
        WHERE len(a.years) >= {acc.noise.min_years}
        """
    )
    _drop(
        con,
        acc,
        "institution known only from the author record",
        "SELECT inst_id, o FROM held WHERE stub",
    )
    _drop(
        con,
        acc,
        "institution aieco cannot type (flows end at its place)",
        "SELECT inst_id, o FROM held WHERE NOT typed",
    )
    con.execute(
        """
        CREATE TABLE careers AS
        SELECT author, yrs,
               list_transform(per_year, lambda x: list_distinct(list_transform(x, lambda a: a.k))) AS ks,
               list_transform(per_year, lambda x: list_distinct(list_transform(x, lambda a: a.s))) AS ss
        FROM (
          SELECT author, yrs,
                 list_transform(yrs, lambda yy: list_filter(l, lambda a: list_contains(a.y, yy))) AS per_year
          FROM (
            SELECT author, l, list_sort(list_distinct(flatten(list_transform(l, lambda a: a.y)))) AS yrs
            FROM (
              SELECT author, list({'k': ki, 's': coalesce(si, -1 - ki), 'y': years}) AS l
              FROM held GROUP BY author
            )
          )
          WHERE len(yrs) > 0
        )
        """
    )
    _drop(
        con,
        acc,
        "no affiliation in the years kept",
        "SELECT author, o FROM authors WHERE keep AND author NOT IN (SELECT author FROM careers)",
    )
    limit = float(acc.noise.max_median_per_year)
    con.execute(
        "CREATE TABLE flagged AS SELECT author FROM careers "
        f"WHERE list_aggregate(list_transform(ks, lambda x: CAST(len(x) AS DOUBLE)), 'median') > {limit}"
    )
    _tally(acc, "profiles flagged as merged", _one(con, "SELECT count(*) FROM flagged"))
    if acc.noise.exclude_flagged:
        _drop(
            con,
            acc,
            "profile flagged as merged",
            "SELECT author, o FROM authors WHERE author IN (SELECT author FROM flagged)",
        )
        con.execute("DELETE FROM careers WHERE author IN (SELECT author FROM flagged)")
    _tally(acc, "authors kept", _one(con, "SELECT count(*) FROM careers"))
    con.execute(
        """
        CREATE TABLE steps AS
        SELECT author, unnest(list_transform(list_zip(ks[1:-2], ks[2:], ss[1:-2], ss[2:], yrs[2:]),
                                             lambda p: {
            't': p[5],
            'lft': list_filter(p[1], lambda x: NOT list_contains(p[2], x)),
            'jnd': list_filter(p[2], lambda x: NOT list_contains(p[1], x)),
            'ps': list_filter(p[3], lambda x: x >= 0),
            'cs': p[4]
        })) AS st
        FROM careers WHERE len(yrs) > 1
        """
    )
    con.execute(
        """
        CREATE TABLE moves AS
        WITH pairs AS (
          SELECT author, t, g, unnest(jnd) AS b
          FROM (SELECT author, st.t AS t, st.jnd AS jnd, unnest(st.lft) AS g FROM steps WHERE len(st.jnd) > 0)
        )
        SELECT p.author, p.t, cg.k AS g, cb.k AS b,
               list_contains(cg.parents, cb.rep) OR list_contains(cb.parents, cg.rep) AS one_org,
               cg.flow_end AS a_end, cb.flow_end AS b_end
        FROM pairs p JOIN canon cg ON cg.ki = p.g JOIN canon cb ON cb.ki = p.b
        """
    )
    example = (
        "SELECT author || ' ' || g || '→' || b || ' ' || t, [a.o, t] FROM moves JOIN authors a USING (author)"
    )
    _drop(con, acc, "move inside one organisation (lineage)", f"{example} WHERE one_org")
    _drop(
        con,
        acc,
        "move with an end at no known place at the level",
        f"{example} WHERE NOT one_org AND (a_end IS NULL OR b_end IS NULL)",
    )
    flows = con.execute(
        """
        WITH c AS (
          SELECT DISTINCT m.a_end, m.b_end, m.t, a.key FROM moves m JOIN authors a USING (author)
          WHERE NOT m.one_org AND m.a_end IS NOT NULL AND m.b_end IS NOT NULL AND m.a_end <> m.b_end
        )
        SELECT a_end, b_end, t, string_agg(key, '|' ORDER BY key) FROM c GROUP BY ALL
        """
    ).fetchall()
    for a, b, t, researchers in flows:  # keys sorted and joined, as the rows builder writes them
        acc.flows[(a, b, int(t))] = researchers
    stays = con.execute(
        """
        SELECT stayed, c.stay, t, n FROM (
          SELECT list_contains(cs, s) AS stayed, s, t, count(*) AS n FROM (
            SELECT st.t AS t, st.cs AS cs, unnest(st.ps) AS s FROM steps
          ) GROUP BY ALL
        ) JOIN (SELECT DISTINCT si, stay FROM canon) c ON c.si = s
        """
    ).fetchall()
    for stayed, place, year, n in stays:
        (acc.stayed if stayed else acc.left)[(place, int(year))] += int(n)


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
    _drop(
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


def _tally(acc: Accumulator, what: str, n: int) -> None:
    """Count ``n`` into ``acc.read`` (a count of none is not written, as the streaming reader)."""
    if n:
        acc.read[what] += n


def _one(con: Any, query: str) -> int:
    return int(con.execute(query).fetchone()[0])


def _insert(con: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        import pandas as pd

        frame = pd.DataFrame(rows)
        con.register("_rows", frame)
        con.execute(f"INSERT INTO {table} SELECT * FROM _rows")
        con.unregister("_rows")


def _drop(con: Any, acc: Accumulator, reason: str, query: str) -> None:
    """Count the rows of ``query`` as left out for ``reason``; its columns are an example id and
    the order it was met in (the examples are the first five distinct ones met, the same on every
    run, as the streaming reader gives them)."""
    n, examples = con.execute(
        f"WITH q(e, o) AS MATERIALIZED ({query}) SELECT (SELECT count(*) FROM q), "
        "(SELECT min_by(e, {'o': o, 'e': e}, 5) FROM (SELECT e, min(o) AS o FROM q GROUP BY e))"
    ).fetchone()
    if n:
        acc.dropped[reason] += int(n)
        kept = acc.examples.setdefault(reason, [])
        for e in examples or []:
            if len(kept) < 5 and str(e) not in kept:
                kept.append(str(e))
