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
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

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


def ledger_counts(entries: list[LedgerEntry]) -> dict[str, dict[str, int]]:
    """Per source: ``sentences`` listed, ``facts`` stated and ``captured`` by a row."""
    counts: dict[str, Counter[str]] = {}
    for e in entries:
        c = counts.setdefault(e.source, Counter())
        c["sentences"] += 1
        if e.kind == "fact":
            c["facts"] += 1
            c["captured"] += e.captured
    return {s: {k: c[k] for k in ("sentences", "facts", "captured")} for s, c in counts.items()}


def apply_ledger(eg: EcosystemGraph, path: Path) -> list[LedgerEntry]:
    """Read the ledger at ``path``, check it against ``eg`` and store its counts on the sources.

    Each source the ledger covers gets ``ledger_sentences``, ``ledger_facts`` and
    ``ledger_captured``.
    """
    entries = read_ledger(path)
    problems = check_ledger(entries, eg, file=str(path))
    if problems:
        raise DataValidationError(problems)
    for source, c in ledger_counts(entries).items():
        attrs = eg.G.nodes[source]
        attrs["ledger_sentences"] = c["sentences"]
        attrs["ledger_facts"] = c["facts"]
        attrs["ledger_captured"] = c["captured"]
    return entries
