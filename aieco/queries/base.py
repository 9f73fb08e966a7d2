"""What a predefined query is: a question, typed parameters, Cypher, and a NetworkX form.

Both forms return a pandas DataFrame with the query's columns; :meth:`Query.normalise` puts
either result in the query's row order (its ``order_by`` keys, then every column to break
ties), so the two engines' answers compare equal.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal

import pandas as pd

from aieco.errors import QueryError
from aieco.graph.ecosystem import EcosystemGraph

ParamType = Literal["str", "int", "float", "entity", "choice", "entities"]

#: Integers Neo4j can hold (64-bit signed); both engines refuse anything beyond.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


@dataclass(frozen=True)
class Param:
    """One typed query parameter.

    ``entity`` takes an entity id; ``entities`` a comma-separated list of ids (empty for
    all); ``choice`` one of ``choices``.
    """

    name: str
    type: ParamType
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    #: False for a parameter of the query's ``derive`` step only (the Cypher text never sees it).
    in_cypher: bool = True

    def coerce(self, value: Any) -> Any:
        """Convert a CLI string (or a Python value) to this parameter's type, or raise."""
        try:
            if self.type == "int":
                out: Any = int(str(value)) if not isinstance(value, int) or isinstance(value, bool) else value
            elif self.type == "float":
                out = float(value)
                if not math.isfinite(out):
                    raise ValueError
            elif self.type == "entities":
                items = value if isinstance(value, list | tuple) else str(value).split(",")
                out = sorted({str(v).strip() for v in items if str(v).strip()})
            else:
                out = str(value).strip()
        except (TypeError, ValueError):
            raise QueryError(f"parameter {self.name!r} must be {self.type}, got {value!r}") from None
        if self.type == "int" and not INT64_MIN <= out <= INT64_MAX:
            raise QueryError(f"parameter {self.name!r} must fit in 64 bits; got {value!r}")
        if self.type == "choice" and out not in self.choices:
            raise QueryError(f"parameter {self.name!r} must be one of {', '.join(self.choices)}; got {out!r}")
        if self.type == "entity" and not out:
            raise QueryError(f"parameter {self.name!r} needs an entity id")
        if self.minimum is not None and out < self.minimum:
            raise QueryError(f"parameter {self.name!r} must be at least {self.minimum:g}; got {out!r}")
        return out


NetworkXForm = Callable[[EcosystemGraph, Mapping[str, Any]], pd.DataFrame]


@dataclass(frozen=True)
class Query:
    """One catalogue entry."""

    name: str
    question: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    order_by: tuple[tuple[str, bool], ...]
    networkx: NetworkXForm = field(repr=False)
    examples: tuple[Mapping[str, Any], ...] = ()
    #: Columns (or rows) computed from the engine's answer, by the same code for both engines and
    #: with the bound parameters: a count's interval, the bursts in yearly counts.
    derive: Callable[[pd.DataFrame, Mapping[str, Any]], pd.DataFrame] | None = field(default=None, repr=False)

    @property
    def cypher(self) -> str:
        """The Cypher text (kept in ``aieco/queries/cypher/<name>.cypher``)."""
        return (resources.files("aieco.queries") / "cypher" / f"{self.name}.cypher").read_text(
            encoding="utf-8"
        )

    def bind(self, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Fill in defaults and coerce values; unknown parameter names are refused."""
        values = dict(values or {})
        known = {p.name for p in self.params}
        unknown = sorted(set(values) - known)
        if unknown:
            takes = ", ".join(sorted(known)) or "none"
            raise QueryError(f"query {self.name!r} has no parameter {unknown[0]!r} (it takes: {takes})")
        return {p.name: p.coerce(values.get(p.name, p.default)) for p in self.params}

    def normalise(self, frame: pd.DataFrame, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Give a result its derived columns, the query's columns, value types and row order."""
        if self.derive is not None and not frame.empty:
            frame = self.derive(frame.copy(), self.bind(params))
        if frame.empty:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in self.columns})
        frame = frame.loc[:, list(self.columns)].copy()
        for col in frame.columns:  # object columns keep ints as ints and None as None
            frame[col] = pd.Series([_plain(v) for v in frame[col]], index=frame.index, dtype=object)
        keys = [c for c, _ in self.order_by] + [c for c in self.columns if c not in dict(self.order_by)]
        ascending = [a for _, a in self.order_by] + [True] * (len(keys) - len(self.order_by))
        sort_frame = frame.copy()
        for col in keys:
            sort_frame[col] = [_sort_key(v) for v in frame[col]]
        order = sort_frame.sort_values(keys, ascending=ascending, kind="mergesort").index
        return frame.loc[order].reset_index(drop=True)


def _plain(value: Any) -> Any:
    """One representation per value: None for missing, float for non-integral numbers."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, list | tuple):
        return "|".join(str(v) for v in value)
    return value


def _sort_key(value: Any) -> Any:
    # None sorts first; numbers and strings never mix within one column
    if value is None:
        return (0, "")
    if isinstance(value, bool | int | float):
        return (1, float(value))
    return (2, str(value))


def as_frame(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    """Rows (dicts) to a DataFrame with exactly these columns."""
    return pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=list(columns))
