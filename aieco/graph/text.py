"""Rules for text in the data: what may be stored, and how it is shown safely elsewhere.

* **Stored** (:func:`clean_text`): control characters other than tab and newline are refused
  (a NUL or an ESC in a name is corruption or an attack, and XML cannot hold most of them), and
  so are lone surrogates (no UTF-8 can encode them) and the non-characters U+FFFE and U+FFFF
  (not well-formed XML), and text longer than :data:`MAX_TEXT` characters (Python's CSV reader
  stops at 131,072 a cell): whatever aieco stores, every format it writes can hold and its readers
  read back. Windows (CR LF) and old-Mac (CR) line ends inside a cell become LF.
* **Terminals** (:func:`visible_controls`): any control character that reaches a terminal is
  shown as a ``\\xNN`` escape, so it cannot move the cursor, clear the screen or retitle it.
* **Spreadsheets** (:func:`spreadsheet_safe` / :func:`from_spreadsheet`): a CSV cell that a
  spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, tab or CR,
  OWASP's rule) gets a leading ``'``; numbers such as ``-122.4`` are left alone. aieco's CSV
  reader removes that quote again, so exports round-trip.

Examples
--------
>>> spreadsheet_safe("=HYPERLINK(\\"http://x\\")"), spreadsheet_safe("-122.4"), spreadsheet_safe("Hefei")
('\\'=HYPERLINK("http://x")', '-122.4', 'Hefei')
>>> from_spreadsheet(spreadsheet_safe("@SUM(A1)")) == "@SUM(A1)"
True
>>> clean_text("two\\r\\nlines")
'two\\nlines'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

#: Characters refused in stored text: control characters (tab and newline are allowed), lone
#: surrogates, and the non-characters U+FFFE and U+FFFF.
REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
#: The longest text stored in one field (characters).
MAX_TEXT = 100_000
#: Control characters shown as escapes on a terminal (all of C0, DEL and C1).
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = frozenset("=+-@\t\r")


def clean_text(value: str) -> str:
    """Normalise line ends to LF and refuse other control characters.

    Raises
    ------
    ValueError
        Naming the first refused character and its position.
    """
    if len(value) > MAX_TEXT:
        raise ValueError(f"text of {len(value):,} characters is longer than the {MAX_TEXT:,} allowed")
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    bad = REFUSED.search(text)
    if bad:
        code = ord(bad.group(0))
        what = (
            "lone surrogate"
            if 0xD800 <= code <= 0xDFFF
            else "non-character"
            if code >= 0xFFFE
            else "control character"
        )
        raise ValueError(f"{what} U+{code:04X} at position {bad.start() + 1} is not allowed")
    return text


def visible_controls(text: str, *, keep: str = "") -> str:
    """Show control characters as ``\\xNN`` (those in ``keep`` stay as they are)."""
    return _CONTROLS.sub(lambda m: m.group(0) if m.group(0) in keep else f"\\x{ord(m.group(0)):02x}", text)


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _needs_guard(text: str) -> bool:
    if not text:
        return False
    if text[0] in FORMULA_TRIGGERS:
        return not _is_number(text)
    return text[0] == "'" and _needs_guard(text[1:])


def spreadsheet_safe(cell: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would run as a formula (numbers stay numbers)."""
    return "'" + cell if _needs_guard(cell) else cell


def from_spreadsheet(cell: str) -> str:
    """Undo :func:`spreadsheet_safe` (aieco's reader calls it on every cell)."""
    return cell[1:] if cell.startswith("'") and _needs_guard(cell[1:]) else cell


def tsv_line(cells: Iterable[object]) -> str:
    """One line of a TSV file aieco writes for people (``merges.tsv``, ``dropped.tsv``): tabs and
    line ends inside a cell become spaces, and formula cells are neutralised.

    >>> tsv_line(["=HYPERLINK(1)", "a\\tb\\nc", 3])
    "'=HYPERLINK(1)\\ta b c\\t3"
    """
    return "\t".join(spreadsheet_safe(re.sub(r"[\t\r\n]+", " ", str(c))) for c in cells)
