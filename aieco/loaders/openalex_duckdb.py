"""An OpenAlex snapshot read by DuckDB: the same counts as the streaming reader, at bulk speed.

DuckDB's ``read_ndjson`` parses the gzip JSON Lines part files in parallel, keeping only the
fields aieco uses, and the move rule of :mod:`aieco.loaders.openalex_model` runs as SQL over
them (years with affiliations, each year's set against the previous one, left × joined, one
researcher once per corridor). What needs aieco's own rules per *institution* — its type, the
bundled entity it is, where it lies at the flow level — is computed once per institution in
Python (by the same :class:`~aieco.loaders.openalex_tables.Accumulator` methods the streaming
reader uses) and joined in as a table. The results land in the accumulator, so both readers
share the rows builder; a test requires equal tables from both on real records.

Memory is bounded by DuckDB's ``memory_limit`` (it spills to a temporary folder beyond it).
A record of the wrong shape makes DuckDB fail; the snapshot is then read again by the strict
streaming reader, whose error names the file, line and field.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from aieco.errors import MissingDependencyError
from aieco.loaders.openalex_model import AI_CONCEPT, AI_SUBFIELD, MAX_COLLABORATORS
from aieco.loaders.openalex_tables import Accumulator

logger = logging.getLogger(__name__)

#: Called as parts are read: (what, done, total).
Progress = Callable[[str, int, int], None]

_DEHYDRATED = (
    "STRUCT(id VARCHAR, display_name VARCHAR, ror VARCHAR, country_code VARCHAR, type VARCHAR, "
    "lineage VARCHAR[])"
)
_TOPICS = "STRUCT(subfield STRUCT(id VARCHAR))"
AUTHOR_COLUMNS = {
    "id": "VARCHAR",
    "display_name": "VARCHAR",
    "affiliations": f"STRUCT(institution {_DEHYDRATED}, years JSON[])[]",
    "x_concepts": "STRUCT(id VARCHAR)[]",
    "concepts": "STRUCT(id VARCHAR)[]",
    "topics": f"{_TOPICS}[]",
    "topic_share": f"{_TOPICS}[]",
    "primary_topic": _TOPICS,
    "last_known_institution": "JSON",
    "last_known_institutions": "JSON",
}
WORK_COLUMNS = {
    "id": "VARCHAR",
    "publication_year": "JSON",
    "authorships": f"STRUCT(institutions {_DEHYDRATED}[])[]",
    "concepts": "STRUCT(id VARCHAR)[]",
    "topics": f"{_TOPICS}[]",
    "primary_topic": _TOPICS,
}


def _short(expr: str) -> str:
    """SQL for :func:`~aieco.loaders.openalex_model.short_id`."""
    return f"regexp_extract(rtrim({expr}, '/'), '([^/]*)$', 1)"


def _bare(expr: str) -> str:
    """SQL for :func:`~aieco.loaders.openalex_model.bare_number`."""
    return f"ltrim({_short(expr)}, 'CTSFDcstfd')"


def _is_ai(topic_lists: Iterable[str], single: Iterable[str], concept_lists: Iterable[str]) -> str:
    """SQL for :func:`~aieco.loaders.openalex_model.is_ai` over the named columns."""
    topics = " || ".join([*(f"coalesce({t}, [])" for t in topic_lists), *(f"[{t}]" for t in single)])
    concepts = " || ".join(f"coalesce({c}, [])" for c in concept_lists)
    return (
        f"(len(list_filter({topics}, lambda t: {_bare('t.subfield.id')} = '{AI_SUBFIELD}')) > 0"
        f" OR len(list_filter({concepts}, lambda c: {_bare('c.id')} = '{AI_CONCEPT}')) > 0)"
    )


def _years(expr: str) -> str:
    """SQL: the whole-number years of a JSON list, distinct (booleans and text are not years)."""
    return (
        f"list_distinct(list_transform(list_filter(coalesce({expr}, []), "
        f"lambda y: json_type(y) IN ('BIGINT', 'UBIGINT')), lambda y: CAST(y AS BIGINT)))"
    )


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
    return con


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
    ai = _is_ai(["topics", "topic_share"], ["primary_topic"], ["x_concepts", "concepts"])
    codes = "list_transform(coalesce(affiliations, []), lambda a: upper(a.institution.country_code))"
    clauses = [*([ai] if acc.filters.ai_only else []), *([f"list_has_any({codes}, ?)"] if countries else [])]
    keep = " AND ".join(clauses) or "true"
    old = (
        "affiliations IS NULL AND (last_known_institution IS NOT NULL OR last_known_institutions IS NOT NULL)"
    )
    if files:
        con.execute(
            f"""
            CREATE TABLE authors AS
            SELECT nullif({_short("id")}, '') AS author, affiliations, {old} AS old_schema,
                   NOT ({old}) AND {keep} AS keep
            FROM read_ndjson(?, columns = ?, format = 'newline_delimited', maximum_object_size = 268435456)
            """,
            [*([countries] if countries else []), [str(p) for p in files], _author_columns(acc)],
        )
    else:
        con.execute(
            f"CREATE TABLE authors (author VARCHAR, affiliations {AUTHOR_COLUMNS['affiliations']}, "
            "old_schema BOOLEAN, keep BOOLEAN)"
        )
    con.execute("UPDATE authors SET author = 'author ' || (rowid + 1) WHERE author IS NULL")
    acc.read["authors"] += _one(con, "SELECT count(*) FROM authors")
    _drop(
        con,
        acc,
        "pre-2024 record without an affiliation history",
        "SELECT author FROM authors WHERE old_schema",
    )
    _drop(con, acc, "outside the filters", "SELECT author FROM authors WHERE NOT old_schema AND NOT keep")
    con.execute(
        f"""
        CREATE TABLE aff AS
        SELECT r, author, i AS pos, a.institution AS inst,
               nullif({_short("a.institution.id")}, '') AS inst_id, {_years("a.years")} AS years
        FROM (SELECT rowid AS r, author, unnest(affiliations) AS a, generate_subscripts(affiliations, 1) AS i
              FROM authors WHERE keep AND affiliations IS NOT NULL)
        """
    )
    _drop(con, acc, "affiliation without an institution id", "SELECT author FROM aff WHERE inst_id IS NULL")
    _drop(
        con,
        acc,
        "affiliation set aside (too few years)",
        "SELECT author || ' ' || inst_id FROM aff "
        f"WHERE inst_id IS NOT NULL AND len(years) < {acc.noise.min_years}",
    )


def _works(con: Any, acc: Accumulator, files: list[Path], countries: list[str]) -> None:
    """Works (the fields used), their institutions, and the filters' verdicts."""
    if files:
        con.execute(
            f"""
            CREATE TABLE works AS
            SELECT row_number() OVER () AS r, {_short("id")} AS work,
                   CASE WHEN json_type(publication_year) IN ('BIGINT', 'UBIGINT')
                        THEN CAST(publication_year AS BIGINT) END AS year,
                   {_is_ai(["topics"], ["primary_topic"], ["concepts"])} AS ai, authorships
            FROM read_ndjson(?, columns = ?, format = 'newline_delimited', maximum_object_size = 268435456)
            """,
            [[str(p) for p in files], WORK_COLUMNS],
        )
    else:
        con.execute(
            "CREATE TABLE works (r BIGINT, work VARCHAR, year BIGINT, ai BOOLEAN, "
            f"authorships {WORK_COLUMNS['authorships']})"
        )
    con.execute(
        f"""
        CREATE TABLE wi AS
        SELECT w.r, w.pos, x.pos2, x.inst, nullif({_short("x.inst.id")}, '') AS inst_id
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
    acc.read["works"] += _one(con, "SELECT count(*) FROM works")
    acc.read["works kept"] += _one(con, "SELECT count(*) FROM wkept")
    _drop(con, acc, "work outside the filters", "SELECT work FROM works WHERE r NOT IN (SELECT r FROM wkept)")


def _institutions(con: Any, acc: Accumulator) -> None:
    """Every institution named, met in the streaming reader's order: stubs, counting keys, types
    and places by the accumulator's own rules, as tables ``inst`` and ``canon``."""
    named = con.execute(
        """
        SELECT inst_id, arg_min(inst, o) AS inst, min(c) AS first FROM (
          SELECT inst_id, inst, [0, r, pos, 0] AS o, [0, r, pos] AS c FROM aff WHERE inst_id IS NOT NULL
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
    con.execute("CREATE TABLE inst (inst_id VARCHAR, k VARCHAR, stub BOOLEAN, typed BOOLEAN)")
    con.execute(
        "CREATE TABLE canon (k VARCHAR, rep VARCHAR, parents VARCHAR[], flow_end VARCHAR, stay VARCHAR, "
        "city VARCHAR)"
    )
    _insert(con, "inst", rows)
    _insert(con, "canon", mapped)


def _careers(con: Any, acc: Accumulator) -> None:
    """The move rule, stays and departures, over every kept author at once."""
    con.execute(
        f"""
        CREATE TABLE held AS
        SELECT a.r, a.author, a.pos, a.inst_id, i.k, i.stub, i.typed, a.years
        FROM aff a JOIN inst i USING (inst_id) WHERE len(a.years) >= {acc.noise.min_years}
        """
    )
    _drop(con, acc, "institution known only from the author record", "SELECT inst_id FROM held WHERE stub")
    _drop(
        con,
        acc,
        "institution aieco cannot type (flows end at its place)",
        "SELECT inst_id FROM held WHERE NOT typed",
    )
    con.execute(
        f"""
        CREATE TABLE ay AS
        SELECT DISTINCT r, year, k FROM (SELECT r, k, unnest(years) AS year FROM held)
        WHERE {_year_clause("year", acc)}
        """
    )
    _drop(
        con,
        acc,
        "no affiliation in the years kept",
        "SELECT author FROM authors WHERE keep AND rowid NOT IN (SELECT r FROM ay)",
    )
    con.execute(
        f"""
        CREATE TABLE flagged AS
        SELECT r FROM (SELECT r, year, count(*) AS n FROM ay GROUP BY ALL)
        GROUP BY r HAVING median(CAST(n AS DOUBLE)) > {float(acc.noise.max_median_per_year)}
        """
    )
    acc.read["profiles flagged as merged"] += _one(con, "SELECT count(*) FROM flagged")
    if acc.noise.exclude_flagged:
        _drop(
            con,
            acc,
            "profile flagged as merged",
            "SELECT author FROM authors WHERE rowid IN (SELECT r FROM flagged)",
        )
        con.execute("DELETE FROM ay WHERE r IN (SELECT r FROM flagged)")
    acc.read["authors kept"] += _one(con, "SELECT count(DISTINCT r) FROM ay")
    con.execute(
        """
        CREATE TABLE yrs AS
        SELECT r, year, lag(year) OVER (PARTITION BY r ORDER BY year) AS prev
        FROM (SELECT DISTINCT r, year FROM ay)
        """
    )
    con.execute(
        """
        CREATE TABLE moves AS
        WITH lft AS (
          SELECT y.r, y.year AS t, p.k AS g FROM yrs y JOIN ay p ON p.r = y.r AND p.year = y.prev
          WHERE NOT EXISTS (SELECT 1 FROM ay n WHERE n.r = y.r AND n.year = y.year AND n.k = p.k)
        ), jnd AS (
          SELECT y.r, y.year AS t, n.k AS b FROM yrs y JOIN ay n ON n.r = y.r AND n.year = y.year
          WHERE y.prev IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM ay p WHERE p.r = y.r AND p.year = y.prev AND p.k = n.k)
        )
        SELECT l.r, l.t, l.g, j.b,
               list_contains(cg.parents, cb.rep) OR list_contains(cb.parents, cg.rep) AS one_org,
               cg.flow_end AS a_end, cb.flow_end AS b_end
        FROM lft l JOIN jnd j ON j.r = l.r AND j.t = l.t
        JOIN canon cg ON cg.k = l.g JOIN canon cb ON cb.k = j.b
        """
    )
    example = (
        "SELECT a.author || ' ' || m.g || '→' || m.b || ' ' || m.t "
        "FROM moves m JOIN authors a ON a.rowid = m.r"
    )
    _drop(con, acc, "move inside one organisation (lineage)", f"{example} WHERE m.one_org")
    _drop(
        con,
        acc,
        "move with an end at no known place at the level",
        f"{example} WHERE NOT m.one_org AND (m.a_end IS NULL OR m.b_end IS NULL)",
    )
    flows = con.execute(
        """
        WITH c AS (
          SELECT DISTINCT m.a_end, m.b_end, m.t, substr(sha256(? || ':' || a.author), 1, 12) AS key
          FROM moves m JOIN authors a ON a.rowid = m.r
          WHERE NOT m.one_org AND m.a_end IS NOT NULL AND m.b_end IS NOT NULL AND m.a_end <> m.b_end
        )
        SELECT a_end, b_end, t, string_agg(key, '|' ORDER BY key) FROM c GROUP BY ALL
        """,
        [acc.salt],
    ).fetchall()
    for a, b, t, researchers in flows:  # keys sorted and joined, as the rows builder writes them
        acc.flows[(a, b, int(t))] = researchers
    stays = con.execute(
        """
        WITH s AS (
          SELECT DISTINCT a.r, a.year, coalesce(c.stay, '?' || a.k) AS s FROM ay a JOIN canon c USING (k)
        ),
        pairs AS (
          SELECT p.s, y.year,
                 EXISTS (SELECT 1 FROM s n WHERE n.r = y.r AND n.year = y.year AND n.s = p.s) AS stayed
          FROM yrs y JOIN s p ON p.r = y.r AND p.year = y.prev WHERE NOT starts_with(p.s, '?')
        )
        SELECT stayed, s, year, count(*) FROM pairs GROUP BY ALL
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
        f"SELECT any_value(work) FROM wk GROUP BY r HAVING count(*) > {MAX_COLLABORATORS}",
    )
    for a, b, year, n in con.execute(
        f"""
        SELECT x.k, y.k, x.year, count(*) FROM wk x JOIN wk y ON x.r = y.r AND x.k < y.k
        WHERE x.r IN (SELECT r FROM wk GROUP BY r HAVING count(*) <= {MAX_COLLABORATORS}) GROUP BY ALL
        """
    ).fetchall():
        acc.collaborations[(a, b, int(year))] += int(n)


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
    """Count the rows of ``query`` (one column: an example id) as left out for ``reason``."""
    n, examples = con.execute(f"SELECT count(*), list(e)[1:5] FROM ({query}) AS q(e)").fetchone()
    if n:
        acc.dropped[reason] += int(n)
        kept = acc.examples.setdefault(reason, [])
        for e in examples or []:
            if len(kept) < 5 and str(e) not in kept:
                kept.append(str(e))
