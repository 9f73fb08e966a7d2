"""Lists that name the same things in several places agree: a view, measure, export format or
record field added to one place only fails here."""

from __future__ import annotations

import re
from typing import get_args

import pytest

from aieco.graph import records, schema
from aieco.graph.io import ExportFormat
from aieco.metrics.centrality import MEASURE_FUNCTIONS, MEASURES
from aieco.viz.builder import SizeBy, ViewName
from aieco.viz.exports import EXPORTERS, ExportFormatAll
from aieco.viz.registry import VIEWS


def _fields(model: type) -> set[str]:
    return {f.alias or name for name, f in model.model_fields.items()}  # type: ignore[attr-defined]


def test_every_view_is_registered_and_named() -> None:
    assert set(get_args(ViewName)) == set(VIEWS)


def test_every_measure_has_its_function_and_sizes_views() -> None:
    assert set(MEASURES) == set(MEASURE_FUNCTIONS)
    assert set(get_args(SizeBy)) <= set(MEASURES)
    assert set(MEASURES) - set(get_args(SizeBy)) == {"in_degree", "out_degree"}  # undirected sizes only


def test_export_formats_cover_the_graphs_own() -> None:
    assert set(get_args(ExportFormat)) <= set(get_args(ExportFormatAll))
    assert set(EXPORTERS) == set(get_args(ExportFormatAll))  # every format has its writer


@pytest.mark.parametrize("command", [["export"], ["neo4j", "pull"]])
def test_every_command_that_exports_offers_every_format(command: list[str]) -> None:
    from typer.testing import CliRunner

    from aieco.cli import app

    result = CliRunner().invoke(app, [*command, "--format", "bogus"])
    assert result.exit_code == 2
    offered = re.findall(r"'(\w+)'", result.output.split("is not one of", 1)[1])
    assert set(offered) == set(get_args(ExportFormatAll))


def test_table_columns_are_the_record_fields() -> None:
    assert set(schema.ENTITY_FIELDS) == _fields(records.EntityRecord)
    assert set(schema.RELATION_FIELDS) == _fields(records.RelationRecord)
    assert set(schema.OBSERVATION_FIELDS) == _fields(records.ObservationRecord)
    assert set(schema.SOURCE_FIELDS) == _fields(records.SourceRecord)
    list_fields = {
        name
        for model in (
            records.EntityRecord,
            records.RelationRecord,
            records.ObservationRecord,
            records.SourceRecord,
        )
        for name, f in model.model_fields.items()
        if "list" in str(f.annotation)
    }
    assert list_fields == set(schema.LIST_FIELDS)


def test_every_open_source_with_a_loader_has_its_sub_app() -> None:
    """A source's sub-app is found from its module (nothing to register by hand): each loader
    ``aieco/loaders/<source>[_<way>].py`` with its ``pull_<source>[_<way>]`` is under
    ``aieco <source>``."""
    from pathlib import Path

    from aieco.cli.app import app, source_apps

    loaders = Path(__file__).resolve().parents[2] / "aieco" / "loaders"
    with_pull = {
        path.stem.split("_")[0]
        for path in loaders.glob("*.py")
        if re.search(rf"^def pull_{path.stem}\(", path.read_text(encoding="utf-8"), re.M)
    }
    assert with_pull == {"epoch", "openalex", "ror", "wikidata"}
    assert {name for name, _ in source_apps()} == with_pull
    assert with_pull <= {group.name for group in app.registered_groups}


def test_every_format_of_the_graphs_own_loads_back() -> None:
    from aieco.graph.io import EXPORT_FORMATS
    from aieco.loaders.files import READERS

    assert set(READERS) == {f".{fmt}" for fmt in EXPORT_FORMATS}
