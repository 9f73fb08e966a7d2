"""The move rule on real OpenAlex records (``../shared/realdata/openalex``, read in place).

Every expected move below was read by hand from the researcher's ``affiliations`` (the years
each institution is listed), following the rule in :mod:`aieco.loaders.openalex_model`: from
one year with affiliations to the next, each institution left × each one joined, none across
a year, none inside one organisation's lineage. The comments give the years as the record
shows them.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from aieco.errors import DataValidationError
from aieco.loaders import graph_from_files, openalex_duckdb
from aieco.loaders.openalex import OpenAlexFilters, pull_openalex_snapshot
from aieco.queries import run_query

RAG = "openalex/raw/Justin21523__openalex-research-rag/data/sample"
PRIEM_2025 = "openalex/raw/b-vitamins__openalex-python/tests/fixtures/data/A5023888391.json"
OLD_SNAPSHOT = "openalex/raw/max-planck-innovation-competition__go-openalex/sample/openalex"


def _authors(realdata: Path) -> dict[str, dict[str, Any]]:
    records = json.loads((realdata / RAG / "authors_sample.json").read_text(encoding="utf-8"))
    records.append(json.loads((realdata / PRIEM_2025).read_text(encoding="utf-8")))
    return {r["id"].rsplit("/", 1)[-1]: r for r in records}


def _snapshot(
    root: Path, authors: list[dict[str, Any]], institutions: list[dict[str, Any]] = (), *, parts: int = 1
) -> Path:
    """A snapshot folder; its authors in ``parts`` part files (one after another)."""
    for entity, records, n in (("authors", authors, parts), ("institutions", institutions, 1)):
        folder = root / "data" / entity / "updated_date=2026-06-23"
        folder.mkdir(parents=True, exist_ok=True)
        step = -(-len(records) // n) or 1
        for i in range(n):
            with gzip.open(folder / f"part_{i:03d}.gz", "wt", encoding="utf-8") as fh:
                chunk = records[i * step : (i + 1) * step]
                fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in chunk)
    return root


def _moves(pull: Any) -> set[tuple[str, str, int]]:
    """Flows as (from, to, year), institutions by their OpenAlex id, places by their node id."""
    G = pull.graph.G

    def name(n: str) -> str:
        oa = G.nodes[n].get("openalex_id")
        return str(oa).rsplit("/", 1)[-1] if oa else n

    return {
        (name(u), name(v), int(d["year"])) for u, v, d in G.edges(data=True) if d["type"] == "TALENT_FLOW"
    }


# author → (institution-level moves, country-level moves), read by hand from the record
HAND: dict[str, tuple[set[tuple[str, str, int]], set[tuple[str, str, int]]]] = {
    # Huaqiao University 2019–2021 only
    "A5005744606": (set(), set()),
    # China Guodian 2016; Peking University 2019–2024; PKU Sixth Hospital 2021 (added, then dropped)
    "A5100757960": ({("I4210127555", "I20231570", 2019)}, set()),
    # Nankai 2018–2024; Zhejiang U. 2023; China Mobile 2024–2026; Vivo Biosciences (US) 2025
    "A5062345781": (
        {("I76130692", "I180662265", 2024), ("I205237279", "I4210146347", 2025)},
        {("country-cn", "country-us", 2025)},
    ),
    # Missouri 2018–2024; Babylon 2020–22, 2024–25; a Belarusian department 2023
    "A5036536042": (
        {("I166455938", "I4210116091", 2023), ("I4210116091", "I166455938", 2024)},
        {("country-iq", "country-by", 2023), ("country-by", "country-iq", 2024)},
    ),
    # Adamson U. (PH) 2017–18 and Gender Studies (CZ) 2017; La Salle (US) and De La Salle (PH) 2020–21
    "A5003380343": (
        {("I103193709", "I47652572", 2020), ("I103193709", "I5996616", 2020)},
        {("country-ph", "country-us", 2020)},
    ),
    # Stanford 2015–18, 2020–21; Cadence 2017–18; Meta US, Meta Israel, Menlo School 2019–20;
    # Google 2021; Nomor Research (DE) 2021–24
    "A5027357870": (
        {
            *{
                (a, b, 2019)
                for a in ("I97018004", "I66217453")
                for b in ("I4210114444", "I2252078561", "I4210099336")
            },
            *{(a, "I4210145145", 2021) for a in ("I4210114444", "I2252078561", "I4210099336")},
            *{(a, "I1291425158", 2021) for a in ("I4210114444", "I2252078561", "I4210099336")},
        },
        {
            ("country-us", "country-il", 2019),
            ("country-us", "country-de", 2021),
            ("country-il", "country-us", 2021),
            ("country-il", "country-de", 2021),
        },
    ),
    # U. of Wales 1989, 1994, 2012–13; Hungarian Academy 1994; HKU 2001; CAB International (a
    # funder aieco cannot type: its flows end at its country) 2003; Cardiff 2003–2022;
    # Loughborough 2005; Tsinghua 2022
    "A5111609957": (
        {
            ("I97429440", "I889458895", 2001),
            ("I7597260", "I889458895", 2001),
            ("I889458895", "I79510175", 2003),
            ("I889458895", "country-gb", 2003),
            ("country-gb", "I143804889", 2005),
        },
        {
            ("country-gb", "country-hk", 2001),
            ("country-hu", "country-hk", 2001),
            ("country-hk", "country-gb", 2003),
        },
    ),
    # the June-2025 record: four universities typed "funder"; Florida College and U. of Florida
    # 2008; UNC 2010–14; Impact Technology 2013, 2017–18; Impact 2013; OurResearch 2019, 2021–23;
    # Johns Hopkins and Florida State 2020. No move in 2013: UNC continues through 2014.
    "A5023888391": (
        {
            ("I94062374", "I114027177", 2010),
            ("I33213144", "I114027177", 2010),
            ("I114027177", "I4210166736", 2017),
            ("I4210166736", "I4200000001", 2019),
            ("I4200000001", "I145311948", 2020),
            ("I4200000001", "I103163165", 2020),
            ("I145311948", "I4200000001", 2021),
            ("I103163165", "I4200000001", 2021),
        },
        {
            ("country-us", "country-ca", 2019),
            ("country-ca", "country-us", 2020),
            ("country-us", "country-ca", 2021),
        },
    ),
    # UITC (IQ) 2016, 2019–20, 2024; Thi Qar (IQ) 2019–21, 2023–26; UIT (MM) and WSTI (PL) 2019;
    # Sumatera Utara (ID) 2020–23; Iraq University College 2021, 2023; Wesley (AU) 2023
    "A5090966997": (
        {
            ("I4210117845", "I254887060", 2020),
            ("I4210136912", "I254887060", 2020),
            ("I4210119257", "I4210123264", 2021),
            ("I254887060", "I4210119257", 2024),
            ("I4210093977", "I4210119257", 2024),
            ("I4210123264", "I4210119257", 2024),
        },
        {
            ("country-mm", "country-id", 2020),
            ("country-pl", "country-id", 2020),
            ("country-id", "country-iq", 2024),
            ("country-au", "country-iq", 2024),
        },
    ),
    # five Lille institutions 2017–18; Middle Technical University (IQ) 2019–25
    "A5052471696": (
        {
            (a, "I4210115078", 2019)
            for a in ("I1294671590", "I2279609970", "I4210115519", "I4387153239", "I7454413")
        },
        {("country-fr", "country-iq", 2019)},
    ),
    # Tsinghua 2012–13; Xiaomi 2019, 2021, 2024; SJTU 2020–21; HIT 2021; Nankai and Meizu 2024;
    # Fudan, AMAP (NO), Alibaba US and Alibaba China 2025; the two Alibabas 2026
    "A5101512474": (
        {
            ("I99065089", "I862669128", 2019),
            ("I862669128", "I183067930", 2020),
            *{(a, b, 2024) for a in ("I183067930", "I204983213") for b in ("I205237279", "I4210087373")},
            *{
                (a, b, 2025)
                for a in ("I205237279", "I4210087373", "I862669128")
                for b in ("I24943067", "I4210092862", "I4210095624", "I45928872")
            },
        },
        {("country-cn", "country-no", 2025), ("country-cn", "country-us", 2025)},
    ),
    # Daza de Valdés 1987; Granada 2003–07, 2011; Cádiz 2006–07, 2009; ECSC 2007, 2014; Jaén 2008–26;
    # Hosei 2009; Maule (CL) 2021, 2026; Tellus (US) 2022; Loyola 2026
    "A5010765865": (
        {
            ("I4210087660", "I173304897", 2003),
            ("I173304897", "I191420491", 2008),
            ("I39147953", "I191420491", 2008),
            ("I4210118569", "I191420491", 2008),
            ("I2799535320", "I168995470", 2022),
        },
        {("country-cl", "country-us", 2022)},
    ),
}


@pytest.fixture(scope="module")
def authors(realdata: Path) -> dict[str, dict[str, Any]]:
    return _authors(realdata)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
@pytest.mark.parametrize("author", sorted(HAND))
def test_moves_are_those_a_hand_reading_gives(
    author: str, engine: Any, authors: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    root = _snapshot(tmp_path, [authors[author]])
    institution, country = HAND[author]
    assert _moves(pull_openalex_snapshot(root, with_bundled=False, engine=engine)) == institution
    by_country = pull_openalex_snapshot(root, with_bundled=False, level="Country", engine=engine)
    assert _moves(by_country) == country


def test_a_funder_typed_university_invents_no_move(
    authors: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    # the old rule dropped the four "funder" universities, joining Florida College (2008) to
    # Impact (2013): two moves in a year he stayed at UNC
    moves = _moves(pull_openalex_snapshot(_snapshot(tmp_path, [authors["A5023888391"]]), with_bundled=False))
    assert not {m for m in moves if m[2] == 2013}
    assert ("I94062374", "I114027177", 2010) in moves


def test_an_institution_without_a_record_is_placed_from_the_affiliation(
    authors: dict[str, dict[str, Any]], realdata: Path, tmp_path: Path
) -> None:
    # institutions absent from the sample's institutions file are still in a career (placed in
    # their countries from the affiliation), and counted as known only from the author record
    institutions = json.loads((realdata / RAG / "institutions_sample.json").read_text(encoding="utf-8"))
    full = {r["id"] for r in institutions}
    for author in ("A5062345781", "A5027357870"):
        root = _snapshot(tmp_path / author, [authors[author]], institutions)
        pull = pull_openalex_snapshot(root, with_bundled=False)
        assert _moves(pull) == HAND[author][0]
        absent = [a for a in authors[author]["affiliations"] if a["institution"]["id"] not in full]
        assert absent
        assert pull.dropped["institution known only from the author record"] == len(absent)


# ---- all the 2026 records at once ------------------------------------------------------
@pytest.fixture(scope="module")
def everyone(
    authors: dict[str, dict[str, Any]], realdata: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    institutions = json.loads((realdata / RAG / "institutions_sample.json").read_text(encoding="utf-8"))
    return _snapshot(tmp_path_factory.mktemp("real"), list(authors.values()), institutions)


def _corridors(frame: Any) -> dict[tuple[str, str], tuple[int, int, int]]:
    return {
        (r["from"], r["to"]): (int(r["researchers"]), int(r["first_year"]), int(r["last_year"]))
        for r in frame.to_dict("records")
    }


@pytest.mark.slow
def test_a_corridor_counts_each_researcher_once(
    authors: dict[str, dict[str, Any]], everyone: Path, tmp_path: Path
) -> None:
    pull = pull_openalex_snapshot(everyone, level="Country")
    together = _corridors(run_query("talent_corridors", {"level": "entity", "top": 10_000}, graph=pull.graph))
    # who makes each corridor, from each researcher's own load (the moves the hand tests check)
    who: dict[tuple[str, str], set[str]] = defaultdict(set)
    for author, record in authors.items():
        alone = pull_openalex_snapshot(_snapshot(tmp_path / author, [record]), level="Country")
        for u, v, d in alone.graph.G.edges(data=True):
            if d["type"] == "TALENT_FLOW":
                who[(u, v)].add(author)
    flagged = pull.dropped["profile flagged as merged"]
    assert flagged == 3  # Li Liu, Ping Luo, Guozhong Zhang: a median of 8, 6 and 9 institutions a year
    assert {k: n for k, (n, _, _) in together.items()} == {k: len(v) for k, v in who.items()}
    assert max(n for n, _, _ in together.values()) <= len(authors) - flagged
    assert together[("usa", "china")][0] <= 31 - flagged  # was 228 from 31 researchers


@pytest.mark.seconds
def test_institution_flows_rolled_up_equal_a_country_load(everyone: Path) -> None:
    by_institution = pull_openalex_snapshot(everyone)
    by_country = pull_openalex_snapshot(everyone, level="Country")
    rolled = run_query("talent_corridors", {"level": "Country", "top": 10_000}, graph=by_institution.graph)
    direct = run_query("talent_corridors", {"level": "Country", "top": 10_000}, graph=by_country.graph)
    assert _corridors(rolled) == _corridors(direct)
    assert len(rolled) > 20
    circulation = [
        run_query("talent_circulation", {"level": "Country"}, graph=g.graph).set_index("place")[
            ["inflow", "outflow"]
        ]
        for g in (by_institution, by_country)
    ]
    assert circulation[0].sort_index().equals(circulation[1].sort_index())


@pytest.mark.seconds
def test_country_codes_resolve_to_the_bundled_countries(everyone: Path) -> None:
    G = pull_openalex_snapshot(everyone, level="Country").graph.G
    countries = {n for n, t in G.nodes(data="type") if t == "Country"}
    assert {"usa", "china"} <= countries
    assert not countries & {"country-us", "country-cn"}
    assert G.nodes["country-iq"]["name_en"] == "Iraq"  # from its ISO code: OpenAlex gave no name


@pytest.mark.seconds
def test_corridors_carry_an_interval_and_small_ones_are_marked(everyone: Path) -> None:
    pull = pull_openalex_snapshot(everyone, level="Country")
    frame = run_query("talent_corridors", {"level": "entity", "top": 10_000}, graph=pull.graph)
    one = frame[frame["researchers"] == 1].iloc[0]
    assert (one["low"], one["high"], one["small"]) == (0.025, 5.572, True)  # Garwood's interval for 1
    assert frame["small"].tolist() == [n < 5 for n in frame["researchers"]]


@pytest.mark.seconds
def test_tables_written_and_loaded_keep_distinct_counts(everyone: Path, tmp_path: Path) -> None:
    pull = pull_openalex_snapshot(everyone)
    pull.write(tmp_path / "t")
    loaded = graph_from_files([tmp_path / "t"])
    before = run_query("talent_corridors", {"level": "Country", "top": 10_000}, graph=pull.graph)
    after = run_query("talent_corridors", {"level": "Country", "top": 10_000}, graph=loaded)
    assert _corridors(before) == _corridors(after)
    dropped = (tmp_path / "t" / "dropped.tsv").read_text(encoding="utf-8").splitlines()
    assert dropped[0] == "what\treason\tcount\texamples"
    assert "authors\tprofile flagged as merged\t3\t" in "\n".join(dropped)


# ---- the AI filter on every vintage ---------------------------------------------------
def _tagged_ai(record: dict[str, Any]) -> bool:
    """An independent reading: any topic's subfield id ending in 1702, or any concept id ending
    in 154945302, in whatever form the vintage writes it."""
    subfields = re.findall(r'"subfield": \{"id": "([^"]+)"', json.dumps(record))
    concepts = [
        c.get("id", "")
        for key in ("x_concepts", "concepts")
        for c in record.get(key) or []
        if isinstance(c, dict)
    ]
    return any(re.search(r"(^|/)1702$", s) for s in subfields) or any(
        re.search(r"(^|/|C)154945302$", c) for c in concepts
    )


@pytest.mark.seconds
def test_the_ai_filter_keeps_every_ai_tagged_author_and_work(realdata: Path, tmp_path: Path) -> None:
    from aieco.loaders.openalex_model import is_ai

    records = [*_authors(realdata).values()]
    records.append(
        json.loads((realdata / "openalex/raw/nthomsencph__pyopenalex/tests/fixtures/author.json").read_text())
    )
    works_file = realdata / "openalex/raw/rkrug__openalexPro/tests/testthat/_snaps/005-pro_fetch_search/jsonl"
    records += [
        json.loads(line) for line in works_file.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    records += json.loads((realdata / RAG / "works_sample.json").read_text(encoding="utf-8"))
    tagged = [r for r in records if _tagged_ai(r)]
    assert len(tagged) > 100
    assert [r["id"] for r in records if is_ai(r)] == [r["id"] for r in tagged]
    kept = pull_openalex_snapshot(
        _snapshot(tmp_path, list(_authors(realdata).values())), filters=OpenAlexFilters(ai_only=True)
    )
    assert kept.read["authors kept"] + kept.dropped["profile flagged as merged"] == sum(
        _tagged_ai(r) for r in _authors(realdata).values()
    )


# ---- what is dropped, and old snapshots -------------------------------------------------
def test_a_pre_2024_snapshot_is_an_error_that_says_what_to_use(realdata: Path) -> None:
    with pytest.raises(DataValidationError, match=r"pre-2024 schema.*snapshot from 2024 on"):
        pull_openalex_snapshot(realdata / OLD_SNAPSHOT)


def test_names_go_to_the_column_of_their_script(realdata: Path) -> None:
    from aieco.loaders.openalex_model import Institution

    part = realdata / OLD_SNAPSHOT / "institutions/updated_date=2023-09-04/part_000.gz"
    by_id = {}
    with gzip.open(part, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            by_id[rec["id"].rsplit("/", 1)[-1]] = Institution.from_record(rec)
    assert by_id["I2799394588"].names == {"name_zh_hant": "全球家族公益協會理事會"}  # 2023 "zh", Traditional
    assert by_id["I2802761213"].names == {
        "name_zh_hans": "武汉音乐学院",
        "name_zh_hant": "武漢音樂學院",
        "name_ja": "武漢音楽学院",
    }
    assert by_id["I197547548"].names == {"name_ja": "福岡女子短期大学", "name_zh_hans": "福冈女子短期大学"}
    institutions = json.loads((realdata / RAG / "institutions_sample.json").read_text(encoding="utf-8"))
    ustc = Institution.from_record(next(r for r in institutions if r["id"].endswith("I126520041")))
    assert ustc.names == {"name_zh_hans": "中国科学技术大学"}  # 2026: only among the alternatives
    cuhk_sz = Institution.from_record(next(r for r in institutions if r["id"].endswith("I4210116924")))
    assert cuhk_sz.names == {"name_zh_hant": "香港中文大學 (深圳)"}


def test_companies_named_with_their_country_merge_with_the_bundled_ones() -> None:
    import aieco
    from aieco.loaders.openalex_model import Institution
    from aieco.loaders.resolve import Resolver

    resolver = Resolver(aieco.graph_from_bundled())
    for name, bundled in (
        ("Tencent (China)", "tencent"),
        ("Baidu (China)", "baidu"),
        ("Google (United States)", "google"),
    ):
        assert resolver.institution(Institution(id="I1", name=name, kind="company")) == (
            bundled,
            f"name {name.split(' (')[0]!r}",
        )


def test_a_city_without_a_region_gets_its_geonames_admin1_region(realdata: Path) -> None:
    import aieco
    from aieco.loaders.openalex_tables import Accumulator
    from aieco.loaders.resolve import Resolver

    acc = Accumulator(filters=OpenAlexFilters(), resolver=Resolver(aieco.graph_from_bundled()))
    for rec in json.loads((realdata / RAG / "institutions_sample.json").read_text(encoding="utf-8")):
        acc.add_institution(rec)
    assert acc.institutions["I4210116924"].region is None  # CUHK-Shenzhen: OpenAlex gives no region
    acc.fill_regions()
    regions = {i: acc.institutions[i].region for i in ("I4210116924", "I2800935791", "I4210152758")}
    # Shenzhen is in Guangdong, San Diego in California, Beijing's institutes in Beijing municipality
    assert regions == {"I4210116924": "Guangdong", "I2800935791": "California", "I4210152758": "Beijing"}
    assert acc.institutions["I108688024"].region is None  # Qingdao: no record names Shandong's area
    assert acc.read["regions from GeoNames admin-1"] == 6


# ---- the DuckDB reader gives the streaming reader's tables ----------------------------
def _tables(pull: Any) -> dict[str, Any]:
    G = pull.graph.G
    return {
        "nodes": {
            n: {k: v for k, v in a.items() if k != "note"}
            for n, a in G.nodes(data=True)
            if a["type"] != "Source"
        },
        "edges": sorted(
            (u, v, d["type"], d.get("year"), d.get("count"), tuple(d.get("researchers") or ()))
            for u, v, d in G.edges(data=True)
        ),
        "read": dict(pull.read),
        "dropped": dict(pull.dropped),
    }


@pytest.mark.parametrize(
    ("level", "filters", "parts"),
    [
        ("institution", OpenAlexFilters(), 1),
        ("Country", OpenAlexFilters(ai_only=True), 1),
        ("City", OpenAlexFilters(countries=("CN", "US"), from_year=2010, to_year=2024), 1),
        ("Region", OpenAlexFilters(), 1),
        ("institution", OpenAlexFilters(), 4),  # four batches of authors, read one after another
        ("Country", OpenAlexFilters(), 3),
    ],
)
@pytest.mark.slow
def test_duckdb_and_streaming_readers_give_the_same_tables(
    level: Any,
    filters: OpenAlexFilters,
    parts: int,
    authors: dict[str, dict[str, Any]],
    realdata: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    institutions = json.loads((realdata / RAG / "institutions_sample.json").read_text(encoding="utf-8"))
    root = _snapshot(tmp_path, list(authors.values()), institutions, parts=parts)
    if parts > 1:  # each part file its own batch
        monkeypatch.setattr(openalex_duckdb, "BATCH_BYTES", 1)
    works = [
        json.loads(line)
        for line in (
            realdata / "openalex/raw/rkrug__openalexPro/tests/testthat/_snaps/005-pro_fetch_search/jsonl"
        )
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip()
    ]
    works += json.loads((realdata / RAG / "works_sample.json").read_text(encoding="utf-8"))
    folder = root / "data" / "works" / "updated_date=2026-06-23"
    folder.mkdir(parents=True)
    with gzip.open(folder / "part_000.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(w) + "\n" for w in works)
    fast = pull_openalex_snapshot(root, filters=filters, level=level, engine="duckdb")
    slow = pull_openalex_snapshot(root, filters=filters, level=level, engine="python")
    a, b = _tables(fast), _tables(slow)
    assert a["read"] == b["read"]
    assert a["dropped"] == b["dropped"]
    assert dict(fast.examples) == dict(slow.examples)  # the first ones met, on every run
    assert a["edges"] == b["edges"]
    assert a["nodes"] == b["nodes"]
    assert level == "City" or any(t == "TALENT_FLOW" for _, _, t, *_ in a["edges"])
    assert any(t == "COLLABORATES_WITH" for _, _, t, *_ in a["edges"]) or filters.countries
    assert a["read"]["works kept"] > 0


@pytest.mark.seconds
def test_the_talent_view_rolls_up_distinct_researchers(everyone: Path) -> None:
    from aieco.viz import build_view

    by_institution = pull_openalex_snapshot(everyone)
    by_country = pull_openalex_snapshot(everyone, level="Country")
    drawn = build_view(by_institution.graph, "talent", level="Country", max_nodes=10_000)
    per_year = {
        (e["from"], e["to"], e.get("start")): e["label"] for e in drawn.edges if e["type"] == "TALENT_FLOW"
    }
    direct = {
        (u, v, d["year"]): f"{d['count']:,.0f}"
        for u, v, d in by_country.graph.G.edges(data=True)
        if d["type"] == "TALENT_FLOW"
    }
    assert per_year == direct
    small = [e for e in drawn.edges if e["type"] == "TALENT_FLOW" and int(e["label"]) < 5]
    assert small
    assert all(e.get("dashes") for e in small)
    assert "95 % interval" in small[0]["title"]


@pytest.mark.seconds
def test_the_report_shows_corridors_with_intervals(everyone: Path) -> None:
    from aieco.report import build_centrality_report

    pull = pull_openalex_snapshot(everyone)
    report = build_centrality_report(pull.graph, top=50)
    table = next(t for t in report.tables if t.slug == "talent_corridors").frame
    by_query = run_query("talent_corridors", {"level": "Country", "top": 50}, graph=pull.graph)
    assert table["researchers"].tolist() == by_query["researchers"].tolist()
    assert (table["small"] == "small").tolist() == [n < 5 for n in table["researchers"]]
    assert table["interval_95"].iloc[0] == f"{by_query['low'].iloc[0]:.1f}–{by_query['high'].iloc[0]:.1f}"
    assert "talent_corridors" not in {t.slug for t in build_centrality_report(aieco_bundled()).tables}


def aieco_bundled() -> Any:
    import aieco

    return aieco.graph_from_bundled()


def test_author_files_are_read_in_batches_of_about_the_size_asked(tmp_path: Path) -> None:
    files = []
    for name, size in (("a", 50), ("b", 60), ("c", 10), ("d", 200), ("e", 1)):
        (tmp_path / name).write_bytes(b"x" * size)
        files.append(tmp_path / name)
    batches = [[p.name for p in b] for b in openalex_duckdb.batches(files, 100)]
    assert batches == [["a"], ["b", "c"], ["d"], ["e"]]  # a file is never split, the order kept
