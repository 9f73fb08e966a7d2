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
