"""Safe file writes: a file appears whole under its name or not at all, and aieco never
replaces a file it did not write.

Every writer in aieco (exports, views, reports, the demo dashboard) goes through
:func:`atomic_path`: the content is written to a temporary file beside the target and moved
over it with :func:`os.replace` once complete; on any failure the temporary file is removed.
Operating-system errors become :class:`~aieco.errors.ExportError` naming the target.

Each folder aieco writes into gets a small manifest, ``.aieco-written.json``, with the name and
SHA-256 of every file aieco wrote there. An existing file may be replaced only when the
manifest lists it with its current content (aieco wrote it and nobody changed it since), or
when the caller passes ``force=True`` (``--force`` on the command line). The manifest is
updated under an exclusive lock on its folder (``flock``), so concurrent writers into one
folder never lose each other's entries.

A multi-file output (a table set, a report, a dashboard) is written inside :func:`file_set`:
every file is first written whole into a hidden staging folder (``.aieco-stage-<pid>-…``); only
when all of them are complete are they moved into place, under the folder lock, with the set
recorded as *pending* in the manifest until the last move. So an interrupted or failing run
(an error, a full disk, Ctrl-C, ``kill -9`` while writing) leaves the previous output as it
was; a run killed in the instant of the moves leaves a pending record that
:func:`interrupted_write` reports (``aieco load`` refuses such a folder) and that the next run of
the same output replaces.

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
import contextvars
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aieco.errors import ExportError

#: Suffix of the temporary files (never left behind).
TMP_SUFFIX = ".aieco-tmp"
#: The manifest of the files aieco wrote in a folder.
MANIFEST_NAME = ".aieco-written.json"
#: Prefix of the staging folders of :func:`file_set` (inside the output folder, hidden).
STAGE_PREFIX = ".aieco-stage-"


@dataclass
class _Set:
    root: Path
    stage: Path
    #: staged file → its digest, by path relative to ``root``
    files: dict[Path, str] = field(default_factory=dict)


_ACTIVE: contextvars.ContextVar[_Set | None] = contextvars.ContextVar("aieco_file_set", default=None)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``folder`` (re-opened if it was replaced meanwhile)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock, one writer at a time
        yield
        return
    while True:
        fd = os.open(folder, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_ino == os.stat(folder).st_ino:
                yield
                return
        finally:
            os.close(fd)  # closing releases the lock


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _payload(folder: Path) -> dict[str, Any]:
    try:
        payload = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return payload if isinstance(payload, dict) else {}


def _str_map(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _manifest(folder: Path) -> dict[str, str]:
    return _str_map(_payload(folder).get("files"))


def _pending(folder: Path) -> dict[str, Any]:
    pending = _payload(folder).get("pending")
    return pending if isinstance(pending, dict) else {}


def written_by_aieco(path: str | Path) -> bool:
    """Tell whether aieco wrote ``path`` and it has not changed since (a file of an
    interrupted set counts as aieco's)."""
    target = Path(path)
    pending = _str_map(_pending(target.parent).get("files"))
    known = {_manifest(target.parent).get(target.name), pending.get(target.name)}
    known.discard(None)
    try:
        return bool(known) and target.is_file() and file_sha256(target) in known
    except OSError:
        return False


def _write_manifest(folder: Path, files: dict[str, str], pending: dict[str, Any] | None = None) -> None:
    payload: dict[str, Any] = {"written_by": "aieco", "files": dict(sorted(files.items()))}
    if pending:
        payload["pending"] = pending
    fd, tmp_name = tempfile.mkstemp(prefix=f".{MANIFEST_NAME}.", suffix=TMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(payload, indent=1) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, folder / MANIFEST_NAME)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)


def _record(path: Path, digest: str | None = None) -> None:
    """Add ``path`` to its folder's manifest (the caller holds the folder lock)."""
    folder = path.parent
    payload = _payload(folder)
    files = _str_map(payload.get("files"))
    files[path.name] = digest or file_sha256(path)
    pending = payload.get("pending") if isinstance(payload.get("pending"), dict) else None
    _write_manifest(folder, files, pending)


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

    An existing ``target`` that aieco did not write is refused unless ``force``. Inside a
    :func:`file_set` covering ``target``, the file goes to the set's staging folder and appears
    with the rest of the set.

    Raises
    ------
    ExportError
        When the target's folder cannot be created, the target is a folder, or writing fails.
    """
    path = Path(target)
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder, not a file")
    _check_overwrite(path, force)
    active = _ACTIVE.get()
    rel = _inside(active, path)
    where = ensure_folder(path.parent if active is None or rel is None else (active.stage / rel).parent)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=where)
        os.close(fd)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {describe_os_error(exc)}") from exc
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        if active is not None and rel is not None:
            active.files[rel] = file_sha256(tmp)
            os.replace(tmp, active.stage / rel)
        else:
            with _locked(path.parent):
                os.replace(tmp, path)
                _record(path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {describe_os_error(exc)}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _inside(active: _Set | None, path: Path) -> Path | None:
    if active is None:
        return None
    full = path.parent.resolve() / path.name
    return full.relative_to(active.root) if full.is_relative_to(active.root) else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # pragma: no cover - another user's process
        return True
    return True


def _stage_pid(name: str) -> int | None:
    digits = name.removeprefix(STAGE_PREFIX).split("-", 1)[0]
    return int(digits) if digits.isdigit() else None


def _clear_stale_stages(root: Path) -> None:
    """Remove staging folders of aieco runs that died (``kill -9``) before their moves."""
    with contextlib.suppress(OSError):
        for entry in root.iterdir():
            pid = _stage_pid(entry.name) if entry.name.startswith(STAGE_PREFIX) else None
            if pid is not None and pid != os.getpid() and not _alive(pid):
                shutil.rmtree(entry, ignore_errors=True)


@contextlib.contextmanager
def file_set(folder: str | Path) -> Iterator[Path]:
    """Write several files under ``folder`` as one output: all appear, or none changes.

    Every :func:`atomic_path` (and so :func:`write_text`, :func:`write_bytes`) aimed inside
    ``folder`` during the block is written to a staging folder; when the block ends without an
    error the files are moved into place under the folder's lock, the set recorded as pending
    in each folder's manifest until the last move. On any error or interruption the staging
    folder is removed and ``folder`` is left as it was. Nested calls join the outer set.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "tables"
    >>> try:
    ...     with file_set(out):
    ...         _ = write_text(out / "a.csv", "x")
    ...         raise RuntimeError("the disk is full")
    ... except RuntimeError:
    ...     pass
    >>> sorted(p.name for p in out.iterdir())
    []
    >>> with file_set(out):
    ...     _ = write_text(out / "a.csv", "x"); _ = write_text(out / "b.csv", "y")
    >>> sorted(p.name for p in out.iterdir())
    ['.aieco-written.json', 'a.csv', 'b.csv']
    """
    active = _ACTIVE.get()
    root = ensure_folder(folder).resolve()
    if active is not None and root.is_relative_to(active.root):
        yield root
        return
    _clear_stale_stages(root)
    try:
        stage = Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{os.getpid()}-", dir=root))
    except KeyboardInterrupt:  # the folder may be made and its name not yet returned
        for entry in root.glob(f"{STAGE_PREFIX}{os.getpid()}-*"):
            with contextlib.suppress(OSError):
                entry.rmdir()  # an empty one only: the one just made
        raise
    except OSError as exc:
        raise ExportError(f"cannot write into {root}: {describe_os_error(exc)}") from exc
    current = _Set(root, stage)
    token = _ACTIVE.set(current)
    try:
        try:
            yield root
        finally:
            _ACTIVE.reset(token)
        _commit(current)
    except OSError as exc:
        raise ExportError(f"cannot write into {root}: {describe_os_error(exc)}") from exc
    finally:
        _remove_stage(stage)


def _remove_stage(stage: Path) -> None:
    """Remove a staging folder, even when Ctrl-C lands while it is being removed (the removal
    is finished first, then the interrupt goes on)."""
    try:
        shutil.rmtree(stage, ignore_errors=True)
    except KeyboardInterrupt:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def _commit(current: _Set) -> None:
    by_folder: dict[Path, dict[str, str]] = {}
    for rel, digest in current.files.items():
        by_folder.setdefault(rel.parent, {})[rel.name] = digest
    leftovers: dict[Path, dict[str, Any]] = {}
    with _locked(current.root):
        for rel_dir, names in by_folder.items():
            folder = ensure_folder(current.root / rel_dir)
            earlier = _pending(folder)  # an interrupted set: what this one does not rewrite stays flagged
            left = {k: v for k, v in _str_map(earlier.get("files")).items() if k not in names}
            if left:
                leftovers[rel_dir] = {**earlier, "files": left}
            _write_manifest(
                folder,
                _manifest(folder),
                {"set": current.stage.name.removeprefix(STAGE_PREFIX), "pid": os.getpid(), "files": names},
            )
        for rel_dir, names in by_folder.items():
            for name in names:
                os.replace(current.stage / rel_dir / name, current.root / rel_dir / name)
        for rel_dir, names in by_folder.items():
            folder = current.root / rel_dir
            _write_manifest(folder, {**_manifest(folder), **names}, leftovers.get(rel_dir))


def interrupted_write(path: str | Path) -> str | None:
    """Why ``path`` (a file, or a folder of tables) may hold files of two different writes: an
    aieco set whose moves were interrupted, or one being moved right now; ``None`` if whole.

    >>> import tempfile
    >>> interrupted_write(tempfile.mkdtemp()) is None
    True
    """
    target = Path(path)
    folder = target if target.is_dir() else target.parent
    pending = _pending(folder)
    names = _str_map(pending.get("files"))
    if not names or (not target.is_dir() and target.name not in names):
        return None
    pid = pending.get("pid")
    if isinstance(pid, int) and pid != os.getpid() and _alive(pid):
        return f"{folder}: aieco (process {pid}) is writing these files right now; wait for it to finish"
    return (
        f"{folder}: an aieco write was interrupted while moving its files into place, so "
        f"{', '.join(sorted(names))} may be from two different runs; run that command again"
    )


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
