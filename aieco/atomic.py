"""Atomic file writes: a file appears whole under its name, or not at all.

Every writer in aieco (exports, views, reports, the demo dashboard) goes through
:func:`atomic_path`: the content is written to a temporary file beside the target and moved
over it with :func:`os.replace` once complete; on any failure the temporary file is removed.
Operating-system errors become :class:`~aieco.errors.ExportError` naming the target.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_text(folder / "a.txt", "hello")
PosixPath('...a.txt')
>>> (folder / "a.txt").read_text(), sorted(p.name for p in folder.iterdir())
('hello', ['a.txt'])
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from aieco.errors import ExportError

#: Suffix of the temporary files (never left behind).
TMP_SUFFIX = ".aieco-tmp"


def describe_os_error(exc: OSError) -> str:
    """The reason of an OS error in words (``No such file or directory``), without errno noise."""
    return exc.strerror or exc.__class__.__name__


def _first_existing(path: Path) -> Path:
    current = path
    while not current.exists() and current != current.parent:
        current = current.parent
    return current


def _check_creatable(path: Path) -> None:
    ancestor = _first_existing(path.parent if not path.exists() else path)
    if ancestor.exists() and not ancestor.is_dir():
        raise ExportError(f"cannot write {path}: {ancestor} is a file, not a folder")
    if ancestor.exists() and not os.access(ancestor, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {path}: {ancestor} is not writable")


def check_writable_file(target: str | Path) -> Path:
    """Check, before any work, that ``target`` can be written as a file (nothing is created).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> check_writable_file(folder)
    Traceback (most recent call last):
    aieco.errors.ExportError: cannot write ...: it is a folder, not a file
    """
    path = Path(target)
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder, not a file")
    _check_creatable(path)
    return path


def check_writable_folder(target: str | Path) -> Path:
    """Check, before any work, that ``target`` is or can become a folder (nothing is created)."""
    path = Path(target)
    if path.exists() and not path.is_dir():
        raise ExportError(f"cannot write into {path}: it is a file, not a folder")
    _check_creatable(path / "x")
    return path


def ensure_folder(folder: str | Path) -> Path:
    """Create ``folder`` (and its parents) unless it exists; refuse a file in the way."""
    path = Path(folder)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise ExportError(f"cannot write into {path}: it is a file, not a folder") from exc
    except OSError as exc:
        raise ExportError(f"cannot create the folder {path}: {describe_os_error(exc)}") from exc
    return path


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target``, on failure it is removed.

    Raises
    ------
    ExportError
        When the target's folder cannot be created, the target is a folder, or writing fails.
    """
    path = Path(target)
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder, not a file")
    ensure_folder(path.parent)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {describe_os_error(exc)}") from exc
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {describe_os_error(exc)}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_text(target: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically; return the target."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_bytes(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically; return the target."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)
