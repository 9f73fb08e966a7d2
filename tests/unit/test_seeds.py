"""The bundled data says what the seeds say.

Each expected value below was read off the seed text by a person (the sentence is quoted
in the comment), not copied from the data files. The last tests check that every quote in
the data is a verbatim sentence of the seed it cites.
"""

from __future__ import annotations

import pandas as pd
import pytest

from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.support import QUOTE_GAP


def _obs(eg: EcosystemGraph, subject: str, indicator: str, year: int | None = None) -> pd.Series:
    df = eg.observations(subject=subject, indicator=indicator)
    if year is not None:
        df = df[df["year"] == year]
    assert len(df) == 1, (subject, indicator, year, df)
    return df.iloc[0]


def _edges(eg: EcosystemGraph, rel: str, *, to: str | None = None, frm: str | None = None) -> set[str]:
    return {
        (u if to else v)
        for u, v, t in eg.G.edges(data="type")
        if t == rel and (to is None or v == to) and (frm is None or u == frm)
    }


# ---- seed 000 (TOP创新区研究院, zh-Hans) -----------------------------------------------
def test_seed000_forbes_ai50_2023_by_state(bundled: EcosystemGraph) -> None:
    # 上榜的43家美国公司仅来自四个州,其中加利福尼亚州…35家公司;纽约州(4)、德克萨斯州(2)和马萨诸塞州(1)
    expected = {"california": 35, "new-york-state": 4, "texas": 2, "massachusetts": 1}
    for state, n in expected.items():
        assert _obs(bundled, state, "forbes_ai50_companies", 2023)["value"] == n
    assert _obs(bundled, "usa", "forbes_ai50_companies", 2023)["value"] == 43
    # the four states plus one fully remote company make the 43
    remote = _obs(bundled, "usa", "forbes_ai50_fully_remote_companies", 2023)["value"]
    assert sum(expected.values()) + remote == 43
    # the 43rd company is listed with no place: the concentration query reports it as unplaced
    assert _edges(bundled, "LISTED_IN", to="forbes-ai50-2023") == set(expected) | {"forbes-ai50-2023-remote"}
    assert _edges(bundled, "LOCATED_IN", frm="forbes-ai50-2023-remote") == set()


def test_seed000_brookings_and_lightcast(bundled: EcosystemGraph) -> None:
    # 涵盖 384 个都市区…七项指标; 超级明星 = SF metro 与 san jose metro; 13个“早期采用者”
    assert _obs(bundled, "brookings-ai-metros", "metro_areas_analysed")["value"] == 384
    assert _obs(bundled, "brookings-ai-metros", "indicators_used")["value"] == 7
    assert _edges(bundled, "LISTED_IN", to="brookings-superstars") == {"san-francisco", "san-jose"}
    assert _obs(bundled, "brookings-early-adopters", "member_metros")["value"] == 13
    # 仅六个都市区(旧金山、圣何塞、纽约、洛杉矶、波士顿和西雅图)…近一半 (47%)
    assert _edges(bundled, "LISTED_IN", to="lightcast-genai-top6") == {
        "san-francisco",
        "san-jose",
        "new-york-city",
        "los-angeles",
        "boston",
        "seattle",
    }
    assert _obs(bundled, "usa", "genai_job_postings_share_six_metros")["value"] == pytest.approx(0.47)
    assert _obs(bundled, "san-francisco", "ivp_enterprise55_companies")["value"] == 18


def test_seed000_inventors_nsf_and_80b(bundled: EcosystemGraph) -> None:
    # 计算机科学、半导体、生物化学排名前十的城市…70%、79%和59%
    for field, share in (("computer_science", 0.70), ("semiconductors", 0.79), ("biochemistry", 0.59)):
        assert _obs(bundled, "usa", f"top10_cities_share_of_inventors_{field}")["value"] == pytest.approx(
            share
        )
    # 已在19个城市开展…与37个州建立了联系; 800亿美元
    assert _obs(bundled, "nsf-ai-institutes", "cities_reached")["value"] == 19
    assert _obs(bundled, "nsf-ai-institutes", "states_connected")["value"] == 37
    assert _obs(bundled, "place-based-policy", "proposed_funding")["value"] == 80e9
    assert bundled.node("place-based-policy")["source"] == "seed-000"
    assert _edges(bundled, "ISSUED_BY", frm="place-based-policy") == {"congress-117"}


# ---- seed 001 (Japanese translation of 000) -------------------------------------------------
def test_seed001_names_and_its_mistranslation(bundled: EcosystemGraph) -> None:
    assert bundled.node("stanford")["name_ja"] == "スタンフォード大学"
    assert bundled.node("bay-area")["name_ja"] == "ベイエリア"
    # 上位 10 都市がそれぞれ発明者全体の 30% を占めています (a 30% absent from the Chinese original)
    ja = _obs(bundled, "usa", "top10_cities_share_of_inventors")
    assert ja["source"] == "seed-001"
    assert ja["value"] == pytest.approx(0.30)
    zh = _obs(bundled, "usa", "top10_cities_share_of_inventors_semiconductors")
    assert ja["conflict"] == zh["conflict"]


# ---- seed 002 (zh-Hant, the 'model capital' article) ----------------------------------------
def test_seed002_company_counts_and_their_conflict(bundled: EcosystemGraph) -> None:
    # 2016年,北京、深圳、上海…分別為3.98萬家、3.61萬家、2.65萬家
    assert _obs(bundled, "beijing", "ai_related_company_count", 2016)["value"] == 39_800
    assert _obs(bundled, "shenzhen", "ai_related_company_count", 2016)["value"] == 36_100
    assert _obs(bundled, "shanghai", "ai_related_company_count", 2016)["value"] == 26_500
    # 深圳…達到6.38萬家,一舉超過北京(4.78萬家)
    sz23 = _obs(bundled, "shenzhen", "ai_related_company_count", 2023)
    assert sz23["value"] == 63_800
    assert _obs(bundled, "beijing", "ai_related_company_count", 2023)["value"] == 47_800
    # 4.26萬家 increase does not add up: 3.61 + 4.26 != 6.38 (万); the conflict is marked
    inc = _obs(bundled, "shenzhen", "ai_related_company_increase")
    assert 36_100 + inc["value"] != sz23["value"]
    assert inc["conflict"] == sz23["conflict"] == "c-shenzhen-company-count"


def test_seed002_open_platforms_2017(bundled: EcosystemGraph) -> None:
    # 2017年11月17日…科大訊飛…其余三個平臺是百度、阿里云、騰訊
    members = _edges(bundled, "MEMBER_OF", to="open-platforms-2017")
    assert members == {"iflytek", "baidu", "alibaba-cloud", "tencent"}
    platform = bundled.node("open-platforms-2017")
    assert platform["date"] == "2017-11-17"
    assert platform["conflict"] == "c-platforms-date"  # press reports say 2017-11-15
    cities = {}
    for member in members:
        hq = _edges(bundled, "HEADQUARTERED_IN", frm=member)
        cities[member] = hq
    assert cities == {
        "iflytek": {"hefei"},
        "baidu": {"beijing"},
        "alibaba-cloud": {"hangzhou"},
        "tencent": {"shenzhen"},
    }


def test_seed002_speech_valley_and_output(bundled: EcosystemGraph) -> None:
    plan = bundled.node("speech-valley-plan")
    assert (plan["date"], plan["period_start"], plan["period_end"]) == ("2017-12-29", 2018, 2025)
    targets = bundled.observations(subject="speech-valley-plan").set_index("indicator")["value"]
    assert targets.to_dict() == {
        "companies_over_50bn_yuan": 1,
        "companies_over_10bn_yuan": 2,
        "incubated_companies": 500,
    }
    # 上海約在3821億元左右,領先北京和深圳的2270億元、2488億元
    outputs = {
        c: _obs(bundled, c, "ai_related_industry_output")["value"]
        for c in ("shanghai", "beijing", "shenzhen")
    }
    assert outputs == {"shanghai": 382.1e9, "beijing": 227.0e9, "shenzhen": 248.8e9}
    assert bundled.node("iflytek")["name_zh_hant"] == "科大訊飛"


# ---- seed 003 (Southern Daily, Guangdong) ----------------------------------------------------
def test_seed003_guangdong_plan(bundled: EcosystemGraph) -> None:
    # 核心产业规模突破1500亿元…培育形成40家以上…龙头企业
    assert _obs(bundled, "guangdong-ai-plan", "ai_core_industry_size")["value"] == 150e9
    assert _obs(bundled, "guangdong-ai-plan", "leading_companies")["value"] == 40
    assert set(bundled.observations(subject="guangdong-ai-plan")["kind"]) == {"target"}
    # 以广州和深圳“双城四区”为主引擎,珠海、佛山、惠州、东莞、中山…为核心
    assert _edges(bundled, "TARGETS", frm="guangdong-ai-plan") >= {
        "guangzhou",
        "shenzhen",
        "zhuhai",
        "foshan",
        "huizhou",
        "dongguan",
        "zhongshan",
    }
    # 仅2022年就有14个人工智能应用场景入选国家级“智赋百景”名单
    assert _obs(bundled, "guangzhou", "zhifu_baijing_scenarios", 2022)["value"] == 14


def test_seed003_models_and_people(bundled: EcosystemGraph) -> None:
    assert _obs(bundled, "gpt-3", "parameters", 2020)["value"] == 175e9  # 1750亿
    assert _obs(bundled, "gpt-1", "parameters")["value"] == 117e6  # 1.17亿
    assert _edges(bundled, "DEVELOPS", frm="baidu") == {"ernie-bot"}  # 文心一言
    assert _edges(bundled, "FOUNDED", to="baidu") == {"robin-li"}  # 百度创始人李彦宏
    dc = _obs(bundled, "chatgpt", "data_centres_needed")  # 需要7—8个…数据中心
    assert (dc["value"], dc["value_high"]) == (7, 8)


# ---- seed 004 (Jiefang Daily, talent) --------------------------------------------------------
def test_seed004_talent(bundled: EcosystemGraph) -> None:
    # 中国人工智能科研人才,有1/3在美国工作
    flows = [
        a
        for u, v, a in bundled.G.edges(data=True)
        if a["type"] == "TALENT_FLOW" and (u, v) == ("china", "usa") and a["source"] == "seed-004"
    ]
    assert len(flows) == 1
    assert flows[0]["share"] == pytest.approx(1 / 3)
    assert flows[0]["conflict"] == "c-china-us-talent-share"  # compared with MacroPolo's figures
    # 美国23%…基础科研,40%…应用;中国只有3%…65%
    assert _obs(bundled, "usa", "ai_talent_share_basic_research")["value"] == pytest.approx(0.23)
    assert _obs(bundled, "china", "ai_talent_share_applied_development")["value"] == pytest.approx(0.65)
    # Sora团队仅有15人…华人科研人员占比20%; ChatGPT团队共87人
    assert _obs(bundled, "sora", "team_size")["value"] == 15
    assert _obs(bundled, "sora", "team_share_chinese_researchers")["value"] == pytest.approx(0.20)
    assert _obs(bundled, "chatgpt", "team_size")["value"] == 87
    total = _obs(bundled, "shanghai", "ai_talent_demand_total")  # 34.3万至41.4万人
    assert (total["value"], total["value_high"]) == (343_000, 414_000)


def test_seed004_lineage_and_rankings(bundled: EcosystemGraph) -> None:
    spun = {(u, v) for u, v, t in bundled.G.edges(data="type") if t == "SPUN_OFF_FROM"}
    assert {("fairchild", "shockley-semi"), ("intel", "fairchild")} <= spun
    assert {u for u, v in spun if v == "paypal"} == {"tesla", "spacex", "linkedin", "youtube"}
    (leaderboard,) = [
        a for u, v, a in bundled.G.edges(data=True) if (u, v) == ("internlm2", "open-llm-leaderboard")
    ]
    assert leaderboard["rank"] == 1  # 书生·浦语2.0 取得第一名
    ranks = {u: a["rank"] for u, v, a in bundled.G.edges(data=True) if v == "unicorn-market-value-ranking"}
    assert ranks == {"usa": 1, "china": 2, "europe": 3}


# ---- provenance ------------------------------------------------------------------------------
def test_every_quote_is_verbatim_in_its_seed(bundled: EcosystemGraph, seed_texts: dict[str, str]) -> None:
    checked = 0
    bad = []
    items = [(n, a) for n, a in bundled.G.nodes(data=True)] + [
        (k, a) for _, _, k, a in bundled.G.edges(keys=True, data=True)
    ]
    for key, attrs in items:
        text = seed_texts.get(attrs.get("source", ""))
        if text is None:
            continue
        checked += 1
        # a quote may join verbatim passages with " […] " where it leaves text out
        if not all(part in text for part in attrs.get("quote", "").split(QUOTE_GAP)):
            bad.append(key)
    assert checked > 600
    assert bad == []


def test_every_fact_names_a_source_and_every_seed_is_used(bundled: EcosystemGraph) -> None:
    summary = bundled.summary()
    assert summary["with_source"] == {"entities": 1.0, "relationships": 1.0, "observations": 1.0}
    for seed in ("seed-000", "seed-001", "seed-002", "seed-003", "seed-004"):
        assert summary["source_facts"][seed]["facts"] > 0, seed
