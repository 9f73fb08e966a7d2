"""Big relation tables, read column-wise: vectorised checks, the record model only where they flag.

One pydantic model per row costs tens of microseconds, so a table of a million relationships
took most of a minute. Here the table is read by pandas and every column is checked as a whole
against *conservative* versions of :class:`~aieco.graph.records.RelationRecord`'s rules (an id
pattern, a number pattern and range, a known type …). A row that any check flags is validated by
the model itself — which then reports exactly what the row path would (file, row, field) or, if
the row is fine after all, gives its values — so the checks only decide which rows the model
must see, never what is valid. The rows no check flags become :class:`RelationColumns`: typed
columns that the dataset checks and the graph builder read without one object per row.

A file with multi-line cells (whose line numbers pandas does not keep) is read row by row.

Examples
--------
>>> import pandas as pd
>>> flags = _flag_ids(pd.Series(["hefei", "Not An Id", ""]))
>>> flags.tolist()
[False, True, True]
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError

from aieco.errors import Problem
from aieco.graph.records import (
    DATE_PATTERN,
    ID_PATTERN,
    INT64_MAX,
    Dataset,
    Origin,
    RelationColumns,
    RelationRecord,
    check_date,
)
from aieco.graph.schema import DERIVED_RELS, MAX_YEAR, MIN_YEAR, REL_SPECS, RELATION_FIELDS, RelType
from aieco.graph.text import from_spreadsheet

#: Tables with fewer data rows than this are read row by row (the same result, less machinery).
COLUMN_WISE_FROM_ROWS = 20_000

_HAND_WRITTEN = frozenset(t.value for t in RelType if t not in DERIVED_RELS)
_NEEDS_WEIGHT = frozenset(t.value for t, spec in REL_SPECS.items() if spec.needs_weight)
#: Control characters the models refuse (CR never reaches a cell here: such files hold quotes)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INT_RE = re.compile(r"\d{1,18}")
_FLOAT_RE = re.compile(r"\d{1,15}(\.\d{0,15})?|\.\d{1,15}")
_DATE_RE = re.compile(DATE_PATTERN)
_ID = re.compile(ID_PATTERN)
_INT_FIELDS = ("rank", "year", "period_start", "period_end")
_FLOAT_FIELDS = ("share", "count")
_TEXT_FIELDS = ("quote", "conflict", "note", "role", "id")


def _flag_values(s: pd.Series, bad: Callable[[str], bool], *, blank_is_bad: bool = False) -> np.ndarray:
    """Rows whose cell fails ``bad`` — decided once per distinct value (ids and years repeat)."""
    values = pd.unique(s.to_numpy())
    wrong = [v for v in values if (bad(v) if v != "" else blank_is_bad)]
    if not wrong:
        return np.zeros(len(s), dtype=bool)
    return s.isin(wrong).to_numpy(dtype=bool)


def _flag_ids(s: pd.Series) -> np.ndarray:
    """Cells that are not a valid id (blank included)."""
    return _flag_values(s, lambda v: _ID.fullmatch(v) is None, blank_is_bad=True)


def _bad_date(value: str) -> bool:
    if _DATE_RE.fullmatch(value) is None:
        return True
    try:
        check_date(value)
    except ValueError:
        return True
    return False


@lru_cache(maxsize=4096)
def _see_also(value: str) -> tuple[str, ...] | None:
    parts = tuple(p.strip() for p in value.split("|") if p.strip())
    return None if any(_CONTROL.search(p) for p in parts) else parts


def _ints(s: pd.Series) -> list[int | None]:
    return [int(x) if x else None for x in s.tolist()]


def _floats(s: pd.Series) -> list[float | None]:
    return [float(x) if x else None for x in s.tolist()]


def read_relations(
    path: Path, header: list[str], origin_file: str
) -> tuple[RelationColumns, Dataset, list[Problem]] | None:
    """Read a relations table column-wise, or ``None`` when the row path must read it.

    Returns the rows no check flagged (as columns), the flagged rows the model accepted (as
    records) and the problems of those it refused.
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
        # quoted cells (maybe multi-line, whose line numbers pandas does not keep, maybe malformed
        # for the strict reader): the row path reads the file
        if '"' in text:
            return None
        controls = _CONTROL.search(text) is not None
        guards = "'" in text
        del text
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig",
            skip_blank_lines=False, quoting=0, engine="c",
        )  # fmt: skip
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError):
        return None
    if len(frame) < COLUMN_WISE_FROM_ROWS or list(frame.columns) != header:
        return None
    if any(frame[c].hasnans for c in frame.columns):  # a short row: the row path reports it
        return None
    lines = np.arange(2, len(frame) + 2)
    first = frame.iloc[:, 0]
    keep = ~(first.str.startswith("#") | (frame == "").all(axis=1))
    frame, lines = frame[keep.to_numpy()], lines[keep.to_numpy()]
    # what the row path hands the model (after the spreadsheet guard): the cells stripped below
    # keep their padded text here, for the flagged rows the model reads one by one
    padded_cells: dict[str, pd.Series] = {}
    used = [c for c in frame.columns if (frame[c] != "").any()]
    for col in used:
        guarded = _flag_values(frame[col], lambda v: v.startswith("'")) if guards else None
        if guarded is not None and guarded.any():
            frame.loc[guarded, col] = frame.loc[guarded, col].map(from_spreadsheet)
        if col == "type":  # the model does not strip the type: a padded one is flagged below
            continue
        padded = _flag_values(frame[col], lambda v: v != v.strip())
        if padded.any():
            padded_cells[col] = frame.loc[padded, col].copy()
            frame.loc[padded, col] = frame.loc[padded, col].str.strip()
    for col in RELATION_FIELDS:
        if col not in frame.columns:
            frame[col] = ""
    flag = np.zeros(len(frame), dtype=bool)
    if controls:
        for col in used:
            flag |= _flag_values(frame[col], lambda v: _CONTROL.search(v) is not None)
    for col in ("from", "to", "source"):
        flag |= _flag_ids(frame[col])
    kind = frame["type"]
    flag |= _flag_values(kind, lambda v: v not in _HAND_WRITTEN, blank_is_bad=True)
    weightless = ((frame["share"] == "") & (frame["count"] == "")).to_numpy(dtype=bool)
    flag |= kind.isin(_NEEDS_WEIGHT).to_numpy(dtype=bool) & weightless
    flag |= (frame["from"] == frame["to"]).to_numpy(dtype=bool)
    for col in _INT_FIELDS:
        flag |= _flag_values(frame[col], lambda v: _INT_RE.fullmatch(v) is None)
    for col in _FLOAT_FIELDS:
        flag |= _flag_values(frame[col], lambda v: _FLOAT_RE.fullmatch(v) is None)
    flag |= _flag_values(frame["date"], _bad_date)
    flag |= _flag_values(frame["see_also"], lambda v: _see_also(v) is None)
    int_ranges = {"rank": (1, INT64_MAX), "year": (MIN_YEAR, MAX_YEAR)}
    int_ranges |= {"period_start": (MIN_YEAR, MAX_YEAR), "period_end": (MIN_YEAR, MAX_YEAR)}
    float_ranges = {"share": (0.0, 1.0), "count": (0.0, math.inf)}
    for col, (low, high) in (*int_ranges.items(), *float_ranges.items()):
        filled = ~flag & (frame[col] != "").to_numpy(dtype=bool)
        if not filled.any():
            continue
        numbers = frame[col][filled].astype(float).to_numpy()  # ints of up to 18 digits are exact
        bad = ~np.isfinite(numbers) | (numbers < low) | (numbers > high)
        flag[np.flatnonzero(filled)[bad]] = True
    if flag.mean() > 0.5:  # mostly bad rows: the row path says it as well, and as fast
        return None
    checked = Dataset(files=[])
    problems: list[Problem] = []
    from aieco.loaders.files import _problems_from  # the row path's own messages

    flagged = np.flatnonzero(flag)
    raw_frame = frame.iloc[flagged][list(header)].copy()  # only the flagged rows, as read
    for col, cells in padded_cells.items():
        back = cells[cells.index.isin(raw_frame.index)]
        raw_frame.loc[back.index, col] = back
    raw_rows = raw_frame.to_numpy(dtype=object)
    for j, i in enumerate(flagged.tolist()):
        raw = dict(zip(raw_frame.columns, raw_rows[j].tolist(), strict=True))
        line = int(lines[i])
        try:
            checked.relations.append((RelationRecord.model_validate(raw), Origin(origin_file, line)))
        except ValidationError as exc:
            problems += _problems_from(exc, origin_file, line)
    good = frame[~flag]
    out = RelationColumns(origin_file, [int(x) for x in lines[~flag]])
    blank = [None] * len(good)
    for col in RELATION_FIELDS:
        s = good[col]
        if not (s != "").any():
            out.columns[col] = list(blank)
        elif col in _INT_FIELDS:
            out.columns[col] = _ints(s)
        elif col in _FLOAT_FIELDS:
            out.columns[col] = _floats(s)
        elif col == "see_also":
            out.columns[col] = [list(_see_also(x) or ()) or None for x in s.tolist()]
        else:
            out.columns[col] = [x if x else None for x in s.tolist()]
    return out, checked, problems
