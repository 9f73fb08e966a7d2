"""How a recipe reads each kind of source: the loader a kind calls with the recipe's options,
and, for the API kinds, the question asked of the service and the answer kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aieco.errors import DataValidationError, Problem
from aieco.graph.ecosystem import EcosystemGraph

if TYPE_CHECKING:
    from aieco.loaders.recipe import SourceSpec

__all__ = ["answer_name", "ask_service", "source_graph"]


def source_graph(
    spec: SourceSpec, paths: list[Path], answer: bytes, origin: str
) -> tuple[EcosystemGraph, list[list[str]]]:
    """The graph one source gives, and its merges (``[source, id in it, name, bundled id, by]``);
    an API source's from its kept ``answer`` (``origin``: its file name)."""
    if spec.kind == "tables":
        from aieco.loaders.files import graph_from_files

        return graph_from_files(paths), []
    if spec.kind == "ror":
        from aieco.loaders.ror import pull_ror

        pull: Any = pull_ror(list(paths))
    elif spec.kind == "ror-api":
        from aieco.loaders.ror_api import RorAnswer, pull_from_answer

        pull = pull_from_answer(RorAnswer.from_json(answer, origin), origin=origin)
    elif spec.kind == "wikidata":
        from aieco.loaders.wikidata import pull_wikidata

        pull = pull_wikidata(list(paths), founders=spec.founders)
    elif spec.kind == "wikidata-query":
        from aieco.loaders.wikidata_sparql import pull_from_results, query_title

        payload = _json_answer(answer, origin)
        title = query_title(", ".join(spec.countries), spec.kinds, spec.industry)
        pull = pull_from_results(payload, str(payload.get("url")), title=title, founders=spec.founders)
    elif spec.kind == "epoch":
        from aieco.loaders.epoch import pull_epoch

        pull = pull_epoch(paths[0], table=spec.table)
    else:
        from aieco.loaders.openalex import pull_openalex_snapshot
        from aieco.loaders.openalex_tables import OpenAlexFilters

        filters = OpenAlexFilters(
            countries=tuple(c.upper() for c in spec.countries),
            from_year=spec.from_year,
            to_year=spec.to_year,
            ai_only=spec.ai,
        )
        pull = pull_openalex_snapshot(paths[0], filters=filters, level=spec.level)
    merges = [[spec.kind, m.openalex, m.name, m.bundled, m.by] for m in pull.merges]
    merges += [[spec.kind, "", name, candidates, why] for name, candidates, why in pull.unsettled]
    return pull.graph, merges


def _json_answer(data: bytes, origin: str) -> dict[str, Any]:
    try:
        payload = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise DataValidationError([Problem(origin, 0, "", f"not JSON: {str(exc)[:80]}")]) from exc
    if not isinstance(payload, dict):
        raise DataValidationError([Problem(origin, 0, "", "not an answer aieco kept")])
    return payload


def answer_name(i: int, spec: SourceSpec) -> str:
    """The file an API source's answer is kept in, beside the tables and the lock."""
    return f"source-{i + 1}-{spec.kind}.json"


def ask_service(spec: SourceSpec, cache_dir: Path | None) -> tuple[bytes, str]:
    """Ask an API source's service: (its answer as the bytes a recipe keeps, what was asked)."""
    if spec.kind == "ror-api":
        from aieco.loaders.ror_api import fetch_ror

        answer = fetch_ror(
            query=spec.query,
            countries=spec.countries,
            types=spec.types,
            ids=spec.ids,
            parents=spec.parents,
            cache_dir=cache_dir / "ror" if cache_dir else None,
        )
        return answer.to_json(), answer.url
    from aieco.loaders.wikidata_sparql import fetch_sparql, sparql_query

    bindings: list[Any] = []
    asked = []
    for country in spec.countries:
        query = sparql_query(
            country, spec.kinds, subclasses=spec.subclasses, industry=spec.industry, founders=spec.founders
        )
        payload, shown = fetch_sparql(query, cache_dir=cache_dir / "wikidata" if cache_dir else None)
        bindings += payload["results"]["bindings"]
        asked.append(shown)
    url = " ; ".join(asked)
    kept = {"url": url, "head": {"vars": []}, "results": {"bindings": bindings}}
    return json.dumps(kept, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8"), url
