"""XML read safely: a file that declares a DTD (where entities are declared, the billion laughs
and external entities among them) is refused before any parser that would expand it sees it."""

from __future__ import annotations

from pathlib import Path
from xml.parsers import expat

__all__ = ["declares_dtd"]


class _RootReachedError(Exception):
    """The parser reached the root element: no DTD before it."""


class _DtdError(Exception):
    """The file declares a DTD."""


def declares_dtd(path: str | Path) -> bool:
    """Whether an XML file declares a DTD (where entities are declared), found by expat itself
    (a comment or a CDATA section that merely says ``<!DOCTYPE`` is not one) and read only up
    to the root element."""

    def doctype(*_: object) -> None:
        raise _DtdError

    def root(*_: object) -> None:
        raise _RootReachedError

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        with Path(path).open("rb") as fh:
            while chunk := fh.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _DtdError:
        return True
    except (_RootReachedError, expat.ExpatError):  # a malformed file is left to its reader to name
        return False
    return False
