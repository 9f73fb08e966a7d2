"""The claims ledger lists every sentence of every seed, and every seed-cited row is in it.

The ledger is read here with the csv module and the seeds are split into lines by hand, so
the checks do not lean on the loader they check.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from aieco.errors import DataValidationError
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.support import QUOTE_GAP, support_of
from aieco.loaders.bundled import ledger_path
from aieco.loaders.ledger import LEDGER_COLUMNS, read_ledger


@pytest.fixture(scope="module")
def ledger() -> list[dict[str, str]]:
    with ledger_path().open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _ids(entry: dict[str, str]) -> list[str]:
    return [r for r in entry["rows"].split(";") if r]


def test_every_ledger_sentence_is_verbatim_in_its_seed(
    ledger: list[dict[str, str]], seed_texts: dict[str, str]
) -> None:
    bad = [e["id"] for e in ledger if e["sentence"] not in seed_texts[e["source"]]]
    assert bad == []


def test_the_ledger_tiles_every_line_of_every_seed(
    ledger: list[dict[str, str]], seed_texts: dict[str, str]
) -> None:
    """Read in order, each seed's ledger sentences rebuild its non-empty lines exactly."""
    for source, text in seed_texts.items():
        lines = ["".join(line.split()) for line in text.splitlines() if line.strip()]
        pieces = ["".join(e["sentence"].split()) for e in ledger if e["source"] == source]
        rebuilt, at = [], 0
        for line in lines:
            acc = ""
            while acc != line:
                assert at < len(pieces), (source, line[:40])
                assert line.startswith(acc + pieces[at]), (source, line[:40], acc[-20:])
                acc += pieces[at]
                at += 1
            rebuilt.append(acc)
        assert at == len(pieces), (source, "ledger has sentences the seed does not")
        assert rebuilt == lines


def test_ledger_ids_kinds_and_reasons(ledger: list[dict[str, str]], bundled: EcosystemGraph) -> None:
    assert tuple(ledger[0]) == LEDGER_COLUMNS
    assert len({e["id"] for e in ledger}) == len(ledger)
    keys = {k for _, _, k in bundled.G.edges(keys=True)}
    unknown = [(e["id"], r) for e in ledger for r in _ids(e) if r not in bundled.G and r not in keys]
    assert unknown == []
    for e in ledger:
        assert e["kind"] in ("fact", "context", "meta"), e["id"]
        if e["kind"] == "fact":
            assert _ids(e) or e["reason"].startswith("not modelled"), e["id"]


def test_every_row_citing_a_seed_is_reachable_from_the_ledger(
    ledger: list[dict[str, str]], bundled: EcosystemGraph
) -> None:
    G = bundled.G
    seeds = {n for n, a in G.nodes(data=True) if a["type"] == "Source" and a.get("file")}
    listed = {r for e in ledger for r in _ids(e)}
    rows = [n for n, a in G.nodes(data=True) if a["type"] != "Source" and a.get("source") in seeds]
    rows += [
        k
        for _, _, k, a in G.edges(keys=True, data=True)
        if a["type"] not in ("ABOUT", "RELATIVE_TO") and a.get("source") in seeds
    ]
    assert len(rows) > 600
    assert sorted(set(rows) - listed) == []


def test_seed_001_sentences_map_to_seed_000_rows(
    ledger: list[dict[str, str]], bundled: EcosystemGraph
) -> None:
    # the Japanese translation adds names, not facts: its captured sentences point at seed-000 rows
    japanese = [e for e in ledger if e["source"] == "seed-001" and e["kind"] == "fact" and _ids(e)]
    assert len(japanese) > 20
    cited = Counter(
        bundled.G.nodes[r].get("source", r) if r in bundled.G else "relationship"
        for e in japanese
        for r in _ids(e)
    )
    assert cited["seed-000"] > cited["seed-001"]


def test_source_nodes_carry_the_ledger_counts(ledger: list[dict[str, str]], bundled: EcosystemGraph) -> None:
    for source in ("seed-000", "seed-001", "seed-002", "seed-003", "seed-004"):
        mine = [e for e in ledger if e["source"] == source]
        facts = [e for e in mine if e["kind"] == "fact"]
        a = bundled.node(source)
        assert (a["ledger_sentences"], a["ledger_facts"], a["ledger_captured"] + a["ledger_partial"]) == (
            len(mine),
            len(facts),
            sum(1 for e in facts if _ids(e)),
        )
        assert a["ledger_partial"] == len(a.get("ledger_gap_ids", []))


def test_a_sentence_is_captured_only_when_its_rows_hold_every_figure(bundled: EcosystemGraph) -> None:
    from aieco.queries import run_query

    gaps = run_query("data_quality", {"check": "ledger"}, graph=bundled).set_index("id")
    # seed 000: "一项研究了过去20年的29项颠覆性技术的报告发现 … 70%、79%和59%": the rows hold the three
    # shares, not the study's 20 years and 29 technologies
    assert gaps.loc["000-022", "detail"].startswith("figure(s) 20, 29 not in its rows")
    assert gaps.loc["000-022", "value"] == pytest.approx(3 / 5)
    # seed 003: "40家以上 … 核心产业规模突破1500亿元": 40 leading companies and 150 billion yuan, two rows
    assert "003-034" not in gaps.index
    # seed 002: "阿里、科大訊飛、360、華為": 360 is in the name of a relationship's end (Qihoo 360)
    assert "002-034" not in gaps.index
    # a date's month and day are not figures (the schema keeps dates to the year): "8月11日上午"
    assert "002-001" not in gaps.index
    assert ", 0 partly" in gaps.loc["seed-003", "detail"]  # 003-034, 003-049, 003-019 hold all their figures


def test_no_quoted_row_fails_the_support_check(bundled: EcosystemGraph) -> None:
    G = bundled.G
    values = [a.get("support") for _, a in G.nodes(data=True)] + [
        a.get("support") for *_, a in G.edges(data=True)
    ]
    counts = Counter(v for v in values if v is not None)
    assert counts["none"] == 0
    assert counts["quote"] > 550
    assert counts["see_also"] > 0


def test_quotes_with_gaps_join_verbatim_passages(bundled: EcosystemGraph, seed_texts: dict[str, str]) -> None:
    gapped = [a["quote"] for *_, a in bundled.G.edges(data=True) if QUOTE_GAP in a.get("quote", "")]
    assert gapped
    for quote in gapped:
        text = next(t for t in seed_texts.values() if quote.split(QUOTE_GAP)[0] in t)
        at = -1
        for part in quote.split(QUOTE_GAP):  # in the seed's order
            at = text.index(part, at + 1)


# ---- the support rule on hand-made cases -----------------------------------------------------
NAMES = {"hefei": ["Hefei", "合肥"], "anhui": ["Anhui", "安徽"], "nda": ["國家數據局", "NDA"]}


@pytest.mark.parametrize(
    ("quote", "about", "see_also", "expected"),
    [
        ("合肥是安徽省会。", ["hefei", "anhui"], [], "quote"),
        ("合肥是省会。", ["hefei", "anhui"], [], "none"),
        ("合肥是省会。", ["hefei", "anhui"], ["geonames"], "see_also"),
        ("合肥是省会。", ["hefei", "anhui"], ["seed-x"], "none"),  # a seed is not a public source
        ("8月11日,國家數(shù)據(jù)局迎來訪客。", ["nda"], [], "quote"),  # pinyin artefacts ignored
        ("the hefei plan", ["hefei"], [], "quote"),  # case ignored
    ],
)
def test_support_of(quote: str, about: list[str], see_also: list[str], expected: str) -> None:
    assert support_of(quote, about, NAMES, see_also=see_also, public={"geonames"}) == expected


# ---- bad ledgers ----------------------------------------------------------------------------------
def _write(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "ledger.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=LEDGER_COLUMNS)
        w.writeheader()
        w.writerows(rows)
    return path


def _row(**kw: str) -> dict[str, str]:
    return {
        "id": "000-001",
        "source": "seed-000",
        "sentence": "x。",
        "kind": "fact",
        "rows": "a",
        "reason": "",
    } | kw


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (_row(kind="claim"), "kind"),
        (_row(rows="", reason=""), "rows"),
        (_row(sentence=""), "sentence"),
    ],
)
def test_bad_ledger_rows_name_file_row_and_field(tmp_path: Path, row: dict[str, str], field: str) -> None:
    path = _write(tmp_path, [row])
    with pytest.raises(DataValidationError) as info:
        read_ledger(path)
    problem = info.value.problems[0]
    assert (problem.file, problem.row, problem.field) == (str(path), 2, field)


def test_duplicate_ledger_id(tmp_path: Path) -> None:
    path = _write(tmp_path, [_row(), _row()])
    with pytest.raises(DataValidationError) as info:
        read_ledger(path)
    assert info.value.problems[0].row == 3
