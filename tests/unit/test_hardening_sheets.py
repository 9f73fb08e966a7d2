"""The hardening corpus for users' spreadsheets and mappings (``aieco map``): broken, hostile and
endless workbooks, CSV files the strict loader would refuse, mapping files that are not files
or nest without end — one ``error:`` line naming the file (and row and column where there is
one), exit non-zero, no traceback, nothing written — and a user's row that replaces a bundled
entity, which is said.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aieco.cli import app
from tests.unit.clicheck import one_line_failure

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "spreadsheet"
MAPPING = EXAMPLE / "mapping.toml"
HEADER = (
    "id,base,name_zh,name_zh_hant,operator,city,country,opened,annotators,annotators_year,"
    "source_url,source_title,quote"
)
ROW = "b1,A base,,,Baidu,Hefei,China,2024,10,2025,https://example.org/a,A page,A quote"


def _xlsx(tmp_path: Path, sheet_xml: bytes | None = None, *, drop: str = "") -> Path:
    """The example workbook with its sheet XML replaced (or one member dropped)."""
    out = tmp_path / "book.xlsx"
    with zipfile.ZipFile(EXAMPLE / "annotation-bases.xlsx") as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename == drop:
                continue
            data = src.read(item.filename)
            if sheet_xml is not None and item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            dst.writestr(item, data)
    return out


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
)
FAR_CELL = (
    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<dimension ref="A1:XFD1048576"/><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c>'
    b'</row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    b"</sheetData></worksheet>"
)


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _fifo(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    os.mkfifo(path)
    return path


Sheet = Callable[[Path], Path]
SHEETS: list[tuple[str, Sheet, str]] = [
    ("malformed sheet XML", lambda t: _xlsx(t, b"<worksheet><sheetData><row>"), "not a workbook"),
    ("billion laughs", lambda t: _xlsx(t, LAUGHS), "book.xlsx"),
    ("external entity (XXE)", lambda t: _xlsx(t, XXE), "book.xlsx"),
    ("not a zip", lambda t: _write(t, "book.xlsx", "id,name\n"), "not a workbook"),
    ("no [Content_Types].xml", lambda t: _xlsx(t, drop="[Content_Types].xml"), "not a workbook"),
    (
        "encrypted (OLE) workbook",
        lambda t: _write(t, "book.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000)),
        "encrypted",
    ),
    ("a cell at XFD1048576", lambda t: _xlsx(t, FAR_CELL), "columns"),
    ("an empty file", lambda t: _write(t, "s.csv", ""), "s.csv"),
    ("a FIFO", lambda t: _fifo(t, "s.csv"), "not a regular file"),
    ("a device", lambda t: Path("/dev/zero"), "not a regular file"),
    ("a folder", lambda t: t, "not a regular file"),
    (
        "a repeated column",
        lambda t: _write(t, "s.csv", HEADER + ",base\n" + ROW + ",x\n"),
        "repeated column 'base'",
    ),
    ("a row with an extra field", lambda t: _write(t, "s.csv", f"{HEADER}\n{ROW},extra\n"), "s.csv:2"),
    (
        "a row with a field missing",
        lambda t: _write(t, "s.csv", f"{HEADER}\n{ROW.rsplit(',', 1)[0]}\n"),
        "s.csv:2",
    ),
    (
        "not UTF-8",
        lambda t: _write(t, "s.csv", f"{HEADER}\n{ROW}\n".replace("Hefei", "H\xe9fei").encode("latin-1")),
        "UTF-8",
    ),
    ("an unbalanced quote", lambda t: _write(t, "s.csv", f'{HEADER}\n"{ROW}\n'), "s.csv"),
    ("a NUL byte", lambda t: _write(t, "s.csv", f"{HEADER}\n{ROW}\x00\n"), "s.csv"),
]


@pytest.mark.parametrize(("what", "make", "words"), SHEETS, ids=[s[0] for s in SHEETS])
@pytest.mark.seconds
def test_a_bad_sheet_is_one_line(what: str, make: Sheet, words: str, tmp_path: Path) -> None:
    sheet = make(tmp_path)
    out = tmp_path / "out"
    line = one_line_failure(
        runner.invoke(app, ["map", str(sheet), "--mapping", str(MAPPING), "--out", str(out)])
    )
    assert words in line
    assert not out.exists()


def _mapping(tmp_path: Path, text: str) -> Path:
    return _write(tmp_path, "m.toml", text)


MAPPINGS: list[tuple[str, Sheet, str]] = [
    ("an array nested 50,000 deep", lambda t: _mapping(t, "x = " + "[" * 50_000 + "]" * 50_000), "m.toml"),
    (
        "a table nested 5,000 deep",
        lambda t: _mapping(t, "x = " + "{a = " * 5_000 + "1" + "}" * 5_000),
        "m.toml",
    ),
    ("an empty split", lambda t: _mapping(t, MAPPING.read_text(encoding="utf-8") + 'split = ""\n'), "split"),
    ("a FIFO", lambda t: _fifo(t, "m.toml"), "not a regular file"),
    ("a device", lambda t: Path("/dev/zero"), "not a regular file"),
    ("not UTF-8", lambda t: _write(t, "m.toml", "# caf\xe9\n".encode("latin-1")), "m.toml"),
    ("TOML syntax", lambda t: _mapping(t, "[entity\n"), "not valid TOML"),
    (
        "an unknown key",
        lambda t: _mapping(t, MAPPING.read_text(encoding="utf-8") + "[nonsense]\nx = 1\n"),
        "nonsense",
    ),
]


@pytest.mark.parametrize(("what", "make", "words"), MAPPINGS, ids=[m[0] for m in MAPPINGS])
def test_a_bad_mapping_is_one_line(what: str, make: Sheet, words: str, tmp_path: Path) -> None:
    mapping = make(tmp_path)
    sheet = EXAMPLE / "annotation-bases.csv"
    out = tmp_path / "out"
    line = one_line_failure(
        runner.invoke(app, ["map", str(sheet), "--mapping", str(mapping), "--out", str(out)])
    )
    assert words in line
    assert not out.exists()


@pytest.mark.seconds
def test_the_example_workbook_still_maps(tmp_path: Path) -> None:
    sheet = tmp_path / "annotation-bases.xlsx"
    shutil.copy(EXAMPLE / "annotation-bases.xlsx", sheet)
    result = runner.invoke(app, ["map", str(sheet), "--mapping", str(MAPPING), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.stderr


# ---- class 6: silent acceptance ------------------------------------------------------------
def test_a_row_that_replaces_a_bundled_entity_is_said(tmp_path: Path) -> None:
    data = tmp_path / "mine"
    data.mkdir()
    (data / "sources.csv").write_text(
        "id,title,url\nmine,My notes,https://example.org/notes\n", encoding="utf-8"
    )
    (data / "entities.csv").write_text(
        "id,type,name_en,source\nbaidu,Company,Baidu (my record),mine\nnew-co,Company,New Co,mine\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["load", str(data), "--with-bundled"])
    assert result.exit_code == 0, result.stderr
    assert "replace" in result.stderr
    assert "baidu" in result.stderr
    assert "new-co" not in result.stderr
