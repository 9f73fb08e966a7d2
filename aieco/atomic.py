"""Safe file writes: a file appears whole under its name or not at all, and aieco never
replaces a file it did not write.

Every writer in aieco (exports, views, reports, the demo dashboard) goes through
:func:`atomic_path`: the content is written to a temporary file beside the target and moved
over it with :func:`os.replace` once complete; on any failure the temporary file is removed.
Operating-system errors become :class:`~aieco.errors.ExportError` naming the target.

Each folder aieco writes into gets a small manifest, ``.aieco-written.json``, with the name and
SHA-256 of every file aieco wrote there. An existing file may be replaced only when the
manifest lists it with its current content (aieco wrote it and nobody changed it since), or
when the caller passes ``force=True`` (``--force`` on the command line).

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_text(folder / "a.txt", "hello")
PosixPath('...a.txt')
>>> (folder / "a.txt").read_text(), sorted(p.name for p in folder.iterdir())
('hello', ['.aieco-written.json', 'a.txt'])
>>> (folder / "mine.txt").write_text("the user's own")
14
>>> write_text(folder / "mine.txt", "replaced?")
Traceback (most recent call last):
aieco.errors.ExportError: ...mine.txt exists and aieco did not write it ...
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from aieco.errors import ExportError

#: Suffix of the temporary files (never left behind).
TMP_SUFFIX = ".aieco-tmp"
#: The manifest of the files aieco wrote in a folder.
MANIFEST_NAME = ".aieco-written.json"


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _manifest(folder: Path) -> dict[str, str]:
    try:
        payload = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = payload.get("files") if isinstance(payload, dict) else None
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def written_by_aieco(path: str | Path) -> bool:
    """Tell whether aieco wrote ``path`` and it has not changed since."""
    target = Path(path)
    recorded = _manifest(target.parent).get(target.name)
    try:
        return recorded is not None and target.is_file() and _digest(target) == recorded
    except OSError:
        return False


def _record(path: Path) -> None:
    folder = path.parent
    files = _manifest(folder)
    files[path.name] = _digest(path)
    text = json.dumps({"written_by": "aieco", "files": dict(sorted(files.items()))}, indent=1)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{MANIFEST_NAME}.", suffix=TMP_SUFFIX, dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    os.chmod(tmp_name, 0o644)
    os.replace(tmp_name, folder / MANIFEST_NAME)


def _check_overwrite(path: Path, force: bool) -> None:
    if path.is_file() and not force and not written_by_aieco(path):
        raise ExportError(
            f"{path} exists and aieco did not write it (or it changed since); --force replaces it"
        )


def describe_os_error(exc: OSError) -> str:
    """The reason of an OS error in words (``No such file or directory``), without errno noise."""
    return exc.strerror or exc.__class__.__name__


def _first_existing(path: Path) -> Path:
    current = path
    while not current.exists() and current != current.parent:
        current = current.parent
    return current


def _check_creatable(path: Path) -> None:
    ancestor = _first_existing(path.parent)
    if ancestor.exists() and not ancestor.is_dir():
        raise ExportError(f"cannot write {path}: {ancestor} is a file, not a folder")
    if ancestor.exists() and not os.access(ancestor, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {path}: {ancestor} is not writable")


def check_writable_file(target: str | Path, *, force: bool = False) -> Path:
    """Check, before any work, that ``target`` can be written as a file (nothing is created).

    An existing file that aieco did not write is refused unless ``force``.

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
    _check_overwrite(path, force)
    return path


def check_writable_folder(target: str | Path, names: Iterable[str] = (), *, force: bool = False) -> Path:
    """Check, before any work, that ``target`` is or can become a folder, and that each of
    ``names`` (paths inside it) may be written there (nothing is created)."""
    path = Path(target)
    if path.exists() and not path.is_dir():
        raise ExportError(f"cannot write into {path}: it is a file, not a folder")
    _check_creatable(path / "x")
    for name in names:
        check_writable_file(path / name, force=force)
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
def atomic_path(target: str | Path, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target``, on failure it is removed.

    An existing ``target`` that aieco did not write is refused unless ``force``.

    Raises
    ------
    ExportError
        When the target's folder cannot be created, the target is a folder, or writing fails.
    """
    path = Path(target)
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder, not a file")
    _check_overwrite(path, force)
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
        _record(path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {describe_os_error(exc)}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_text(target: str | Path, text: str, *, force: bool = False) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically; return the target."""
    with atomic_path(target, force=force) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_bytes(target: str | Path, data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``target`` atomically; return the target."""
    with atomic_path(target, force=force) as tmp:
        tmp.write_bytes(data)
    return Path(target)
