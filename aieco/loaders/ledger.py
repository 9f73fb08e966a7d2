"""The claims ledger: every sentence of every source article, and the rows that capture it.

``aieco/data/ledger.csv`` lists each sentence of each seed article verbatim, in order, with
its ``kind``:

``fact``
    The sentence states a fact (an entity, a relation, a figure, a date, a plan target, a
    forecast). ``rows`` names the ids of the rows that capture it (entity, observation and
    source ids, relationship keys, separated by ``;``); when nothing captures it, ``reason``
    says why (e.g. the schema has no type for a book).
``context``
    Opinion, argument, a rhetorical question or a general statement with no checkable fact
    about a named entity.
``meta``
    Bylines, headings, image credits and the page furniture of the copy.

The ledger is what recall is measured by: :func:`ledger_counts` gives, per source, the
sentences listed, the fact-stating ones and those captured by at least one row; the loader
stores them on the source's node, where the ``data_quality`` query reads them on both engines.

Examples
--------
>>> from aieco.loaders.bundled import graph_from_bundled
>>> eg = graph_from_bundled()
>>> a = eg.node("seed-003")
>>> a["ledger_captured"] <= a["ledger_facts"] <= a["ledger_sentences"]
True
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from aieco.errors import DataValidationError, Problem
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.schema import NodeType
from aieco.loaders.files import LEDGER_HEADER

LedgerKind = Literal["fact", "context", "meta"]
LEDGER_KINDS: tuple[str, ...] = ("fact", "context", "meta")
LEDGER_COLUMNS: tuple[str, ...] = LEDGER_HEADER
#: Separates the ids in ``rows`` (relationship keys themselves contain ``|``).
ROW_SEPARATOR = ";"


@dataclass(frozen=True)
class LedgerEntry:
    """One sentence of a source article and what captures it."""

    id: str
    source: str
    sentence: str
    kind: LedgerKind
    rows: tuple[str, ...]
    reason: str
    line: int

    @property
    def captured(self) -> bool:
        """Whether at least one row captures the sentence."""
        return bool(self.rows)


def read_ledger(path: Path) -> list[LedgerEntry]:
    """Read and check a ledger file.

    Raises
    ------
    DataValidationError
        With file, row and field, when a header, kind or id is wrong, or a fact sentence
        has neither rows nor a reason.
    """
    problems: list[Problem] = []
    entries: list[LedgerEntry] = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in LEDGER_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DataValidationError([Problem(str(path), 1, missing[0], "missing column")])
        for line, row in enumerate(reader, start=2):

            def bad(field: str, message: str, line: int = line) -> None:
                problems.append(Problem(str(path), line, field, message))

            kind = row["kind"]
            if kind not in LEDGER_KINDS:
                bad("kind", f"{kind!r} is not one of {', '.join(LEDGER_KINDS)}")
                continue
            if row["id"] in seen:
                bad("id", f"duplicate ledger id {row['id']!r} (first at line {seen[row['id']]})")
            seen[row["id"]] = line
            if not row["sentence"]:
                bad("sentence", "empty sentence")
            rows = tuple(r for r in row["rows"].split(ROW_SEPARATOR) if r)
            if kind == "fact" and not rows and not row["reason"]:
                bad("rows", "a fact sentence needs the rows that capture it or a reason")
            entries.append(
                LedgerEntry(row["id"], row["source"], row["sentence"], kind, rows, row["reason"], line)  # type: ignore[arg-type]
            )
    if problems:
        raise DataValidationError(problems)
    return entries


def check_ledger(entries: list[LedgerEntry], eg: EcosystemGraph, *, file: str) -> list[Problem]:
    """Problems with a ledger's references: unknown sources and unknown row ids."""
    G = eg.G
    keys = {k for _, _, k in G.edges(keys=True)}
    problems = []
    for e in entries:
        if G.nodes.get(e.source, {}).get("type") != NodeType.SOURCE.value:
            problems.append(Problem(file, e.line, "source", f"unknown source {e.source!r}"))
        for rid in e.rows:
            if rid not in G and rid not in keys:
                problems.append(Problem(file, e.line, "rows", f"unknown id {rid!r}"))
    return problems


#: A figure in a sentence: digits with decimals or thousands separators (``1,000``, ``1.5``) or a
#: fraction (``1/3``), not part of a name (``H100``, ``GPT-4``, ``GB200``) and not the month or day
#: of a date (``8月11日``: the schema keeps dates to the year) nor a century (``14世纪``).
FIGURE = re.compile(
    r"(?<![A-Za-z\d.,/-])(?<![A-Za-z]-)(\d+(?:[.,]\d+)*(?:/\d+)?)(?![\dA-Za-z]|\s*(?:月|日|号|世纪|世紀))"
)
#: How a figure may be written in a row: as is, a percentage as a share, or with a unit word
#: multiplied out (thousand, 万, million, 亿, billion, trillion).
MULTIPLIERS = (1.0, 0.01, 1e3, 1e4, 1e6, 1e8, 1e9, 1e12)


def figures(sentence: str) -> list[str]:
    """The figures a sentence states, as written.

    >>> figures("在计算机科学、半导体、生物化学排名前十的城市分别占据所有发明人总数的占 70%、79%和59%")
    ['70', '79', '59']
    >>> figures("8月11日上午") + figures("GB200 是 H100 算力的6倍") + figures("两个“1/3”的数字")
    ['6', '1/3']
    """
    return FIGURE.findall(sentence)


def _value(figure: str) -> float:
    if "/" in figure:
        top, bottom = figure.split("/", 1)
        return _value(top) / (_value(bottom) or 1.0)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", figure):
        figure = figure.replace(",", "")
    return float(figure.replace(",", "."))


def row_numbers(
    eg: EcosystemGraph, rid: str, edges: Mapping[str, tuple[str, str, Mapping[str, Any]]]
) -> set[float]:
    """Every number a row holds: its numeric fields, the figures in its names, title, date and unit,
    and, for a relationship, those in its two ends' names (``qihoo-360|MEMBER_OF|…`` holds 360)."""
    if rid in eg.G:
        return _numbers(eg.G.nodes[rid])
    if rid not in edges:
        return set()
    u, v, attrs = edges[rid]
    return (
        _numbers(attrs) | _numbers(eg.G.nodes[u], names_only=True) | _numbers(eg.G.nodes[v], names_only=True)
    )


def _numbers(attrs: Mapping[str, Any], *, names_only: bool = False) -> set[float]:
    out: set[float] = set()
    for key, value in attrs.items():
        named = key.startswith("name") or key in ("title", "aliases")
        if names_only and not named:
            continue
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float) and math.isfinite(float(value)):
            out.add(float(value))
        elif isinstance(value, str) and (named or key in ("date", "unit")):
            out.update(_value(f) for f in figures(value))
        elif isinstance(value, list) and key == "aliases":
            out.update(_value(f) for alias in value for f in figures(str(alias)))
    return out


def missing_figures(entry: LedgerEntry, numbers: set[float]) -> list[str]:
    """The figures of a captured sentence that no row holds, however it writes them
    (:data:`MULTIPLIERS`)."""
    gaps = []
    for figure in figures(entry.sentence):
        value = _value(figure)
        if not any(
            math.isclose(n, value * m, rel_tol=1e-9, abs_tol=1e-12) for n in numbers for m in MULTIPLIERS
        ):
            gaps.append(figure)
    return gaps


def ledger_counts(
    entries: list[LedgerEntry], gaps: Mapping[str, list[str]] | None = None
) -> dict[str, dict[str, int]]:
    """Per source: ``sentences`` listed, ``facts`` stated, ``captured`` (by rows holding every
    figure of the sentence) and ``partial`` (rows, but a figure missing from them)."""
    counts: dict[str, Counter[str]] = {}
    for e in entries:
        c = counts.setdefault(e.source, Counter())
        c["sentences"] += 1
        if e.kind == "fact":
            c["facts"] += 1
            short = bool((gaps or {}).get(e.id))
            c["captured"] += e.captured and not short
            c["partial"] += e.captured and short
    return {s: {k: c[k] for k in ("sentences", "facts", "captured", "partial")} for s, c in counts.items()}


def apply_ledger(eg: EcosystemGraph, path: Path) -> list[LedgerEntry]:
    """Read the ledger at ``path``, check it against ``eg`` and store its counts on the sources.

    Each source the ledger covers gets ``ledger_sentences``, ``ledger_facts`` and
    ``ledger_captured``.
    """
    entries = read_ledger(path)
    problems = check_ledger(entries, eg, file=str(path))
    if problems:
        raise DataValidationError(problems)
    edges = {k: (u, v, a) for u, v, k, a in eg.G.edges(keys=True, data=True)}
    gaps: dict[str, list[str]] = {}
    for e in entries:
        if e.kind == "fact" and e.captured:
            numbers = set().union(*(row_numbers(eg, rid, edges) for rid in e.rows))
            found = missing_figures(e, numbers)
            if found:
                gaps[e.id] = found
    for source, c in ledger_counts(entries, gaps).items():
        attrs = eg.G.nodes[source]
        attrs["ledger_sentences"] = c["sentences"]
        attrs["ledger_facts"] = c["facts"]
        attrs["ledger_captured"] = c["captured"]
        attrs["ledger_partial"] = c["partial"]
        short = [e for e in entries if e.source == source and e.id in gaps]
        if not short:
            continue
        attrs["ledger_gap_ids"] = [e.id for e in short]
        attrs["ledger_gap_details"] = [
            f"figure(s) {', '.join(gaps[e.id])} not in its rows: {e.sentence[:60]}".replace("|", "/")
            for e in short
        ]
        # figures held / figures stated, as text ("3/5")
        attrs["ledger_gap_values"] = [
            f"{len(figures(e.sentence)) - len(gaps[e.id])}/{len(figures(e.sentence))}" for e in short
        ]
    return entries
