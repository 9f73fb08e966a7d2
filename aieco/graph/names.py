"""Name matching across scripts: English, 简体, 繁體 and 日本語 find the same entity.

Names are compared in a normal form: Unicode NFKC (full-width letters become ASCII),
Traditional characters mapped to Simplified with OpenCC, case folded, and spaces and
separators such as ``·``, ``・``, ``-`` and ``.`` removed.

Examples
--------
>>> normalize("科大訊飛") == normalize("科大讯飞")
True
>>> normalize("書生·浦語2.0") == normalize("书生浦语 2.0")
True
>>> normalize("ＩＦＬＹＴＥＫ ") == normalize("iFlytek")
True
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

_ANY_HAN = re.compile(
    r"[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
)
_SEPARATORS = re.compile(r"[\s·・•\-_.,'’\"“”()（）「」『』《》<>/&:;!?！？、，。]+")


@functools.cache
def _to_simplified() -> Callable[[str], str]:
    from opencc import OpenCC

    return OpenCC("t2s").convert  # type: ignore[no-any-return]


def normalize(text: str) -> str:
    """Return the form in which two names are compared.

    Parameters
    ----------
    text
        A name in any script.

    Returns
    -------
    The normalised name: NFKC, Simplified Chinese, case-folded, without separators.
    """
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii() and _ANY_HAN.search(text):  # OpenCC only where there is Han to convert
        text = _to_simplified()(text)
    return _SEPARATORS.sub("", text.casefold())


def match_score(query: str, name: str) -> int:
    """Score how well a normalised query matches a normalised name (0 = no match).

    >>> match_score("iflytek", "iflytek"), match_score("ifly", "iflytek"), match_score("tek", "iflytek")
    (3, 2, 1)
    """
    if not query or not name:
        return 0
    if query == name:
        return 3
    if name.startswith(query):
        return 2
    if query in name:
        return 1
    return 0


_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: Countries whose Han-only names are Japanese, and those that write Traditional characters.
_JAPANESE_HAN = frozenset({"JP"})
_TRADITIONAL = frozenset({"TW", "HK", "MO"})


@functools.cache
def _to_traditional() -> Callable[[str], str]:
    from opencc import OpenCC

    return OpenCC("s2t").convert  # type: ignore[no-any-return]


def script_column(text: str, country_code: str | None = None) -> str | None:
    """The name column a name belongs in, by its script: ``name_zh_hans``, ``name_zh_hant``,
    ``name_ja``, or ``None`` (no Han or kana: Latin, Hangul …).

    Kana make a name Japanese. A Han-only name is Japanese when the organisation is in Japan;
    otherwise OpenCC decides: a name that conversion to Simplified changes is Traditional, one
    that conversion to Traditional changes is Simplified, and one both leave alone (every
    character shared) goes by the country: Traditional in Taiwan, Hong Kong and Macau,
    Simplified elsewhere.

    >>> script_column("清华大学"), script_column("清華大學"), script_column("東京大学", "JP")
    ('name_zh_hans', 'name_zh_hant', 'name_ja')
    >>> script_column("トヨタ自動車"), script_column("北京", "TW"), script_column("Tsinghua University")
    ('name_ja', 'name_zh_hant', None)
    """
    if _KANA.search(text):
        return "name_ja"
    if not _HAN.search(text) or _HANGUL.search(text):
        return None
    code = (country_code or "").upper()
    if code in _JAPANESE_HAN:
        return "name_ja"
    return _chinese_column(text, traditional=code in _TRADITIONAL)


def _chinese_column(text: str, *, traditional: bool) -> str:
    if _to_simplified()(text) != text:
        return "name_zh_hant"
    if _to_traditional()(text) != text:
        return "name_zh_hans"
    return "name_zh_hant" if traditional else "name_zh_hans"


_TRADITIONAL_TAGS = frozenset({"zh-hant", "zh-tw", "zh-hk", "zh-mo"})


def language_column(tag: str, text: str) -> str | None:
    """The name column of a name given with a language tag (OpenAlex's ``international``, ROR's
    ``lang``, Wikidata's labels): ``ja`` is Japanese; a Chinese tag says Chinese, and the
    script decides Simplified or Traditional (2023 OpenAlex records put Traditional text under
    ``zh``); the tag only settles text both scripts share. Text without Han or kana: ``None``.

    >>> language_column("zh", "全球家族公益協會理事會"), language_column("zh", "福冈女子短期大学")
    ('name_zh_hant', 'name_zh_hans')
    >>> language_column("ja", "武漢音楽学院"), language_column("zh-hk", "亨伯"), language_column("en", "X")
    ('name_ja', 'name_zh_hant', None)
    """
    tag = tag.lower().replace("_", "-")
    if not (_HAN.search(text) or _KANA.search(text)):
        return None
    if tag == "ja" or tag.startswith("ja-"):
        return "name_ja"
    if tag == "zh" or tag.startswith("zh-"):
        return (
            "name_ja" if _KANA.search(text) else _chinese_column(text, traditional=tag in _TRADITIONAL_TAGS)
        )
    return None
