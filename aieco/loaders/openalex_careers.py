"""The move rule as SQL, for the DuckDB snapshot reader (:mod:`aieco.loaders.openalex_duckdb`),
and the helpers both share: a batch's careers (each author's years, the institutions and places
of each, compared with the previous year's), its moves, stays and departures, and the corridors
each researcher is counted in once; what is left out is counted by reason with examples."""

from __future__ import annotations

from typing import Any

from aieco.loaders.openalex_tables import Accumulator


def year_clause(column: str, acc: Accumulator) -> str:
    """SQL: ``column`` is a year the filters keep."""
    f = acc.filters
    parts = [f"{column} >= {int(f.from_year)}"] if f.from_year is not None else []
    parts += [f"{column} <= {int(f.to_year)}"] if f.to_year is not None else []
    return " AND ".join(parts) or "true"


def careers(con: Any, acc: Accumulator) -> None:
    """The move rule, stays and departures, each author at once: the author's affiliations as one
    list, each year's set of institutions (and of places) computed from it with list functions,
    and each year compared with the previous one."""
    con.execute(
        f"""
        CREATE TABLE held AS
        SELECT a.o, a.author, a.inst_id, i.k, i.stub, i.typed, c.ki, c.si,
               list_filter(a.years, lambda year: {year_clause("year", acc)}) AS years
        FROM aff a JOIN inst i USING (inst_id) JOIN canon c USING (k)
        WHERE len(a.years) >= {acc.noise.min_years}
        """
    )
    drop(
        con,
        acc,
        "institution known only from the author record",
        "SELECT inst_id, o FROM held WHERE stub",
    )
    drop(
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
    drop(
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
    tally(acc, "profiles flagged as merged", one(con, "SELECT count(*) FROM flagged"))
    if acc.noise.exclude_flagged:
        drop(
            con,
            acc,
            "profile flagged as merged",
            "SELECT author, o FROM authors WHERE author IN (SELECT author FROM flagged)",
        )
        con.execute("DELETE FROM careers WHERE author IN (SELECT author FROM flagged)")
    tally(acc, "authors kept", one(con, "SELECT count(*) FROM careers"))
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
    drop(con, acc, "move inside one organisation (lineage)", f"{example} WHERE one_org")
    drop(
        con,
        acc,
        "move with an end at no known place at the level",
        f"{example} WHERE NOT one_org AND (a_end IS NULL OR b_end IS NULL)",
    )
    con.execute(
        """
        INSERT INTO corridors
        SELECT DISTINCT m.a_end, m.b_end, m.t, a.key FROM moves m JOIN authors a USING (author)
        WHERE NOT m.one_org AND m.a_end IS NOT NULL AND m.b_end IS NOT NULL AND m.a_end <> m.b_end
        """
    )
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


def flows(con: Any, acc: Accumulator) -> None:
    """Each corridor's distinct researchers, keys sorted and joined, as the rows builder writes them."""
    for a, b, t, researchers in con.execute(
        "SELECT a_end, b_end, t, string_agg(key, '|' ORDER BY key) FROM (SELECT DISTINCT * FROM corridors) "
        "GROUP BY ALL"
    ).fetchall():
        acc.flows[(a, b, int(t))] = researchers


def tally(acc: Accumulator, what: str, n: int) -> None:
    """Count ``n`` into ``acc.read`` (a count of none is not written, as the streaming reader)."""
    if n:
        acc.read[what] += n


def one(con: Any, query: str) -> int:
    return int(con.execute(query).fetchone()[0])


def insert(con: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        import pandas as pd

        frame = pd.DataFrame(rows)
        con.register("_rows", frame)
        con.execute(f"INSERT INTO {table} SELECT * FROM _rows")
        con.unregister("_rows")


def drop(con: Any, acc: Accumulator, reason: str, query: str) -> None:
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
