"""Files that hold health data are readable by their owner only: folders 0700, files 0600.

Files are created with that mode (``os.open``), never created readable and narrowed afterwards, so no
other local user can open them even for an instant. Writes that replace a file go through a temporary
file in the same folder and a rename, so a crash never leaves half a file; a temporary file left by a
process that died is removed by the next write to that folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterable
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
_TMP_PREFIX = ".dosewise-"
_TMP_SUFFIX = ".tmp"
_in_flight: set[str] = set()  # temporary files this process is writing right now (other threads)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if needed and make it 0700; return it."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    with contextlib.suppress(PermissionError):  # a folder someone else owns (e.g. /tmp) keeps its mode
        path.chmod(DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty with mode 0600 if it does not exist; narrow an existing one to 0600."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        path.chmod(FILE_MODE)
    return path


def create_once(path: Path, data: bytes) -> bool:
    """Create ``path`` with ``data`` and mode 0600 unless it exists; True if this call created it.

    The content is written to a private temporary file first and then linked into place (``os.link``
    fails if the name exists), so a process starting at the same moment sees either no file or the whole
    file, never an empty or half-written one.
    """
    if path.exists():
        return False
    folder = path.parent if str(path.parent) else Path(".")
    tmp = folder / f"{_TMP_PREFIX}{path.name}.{os.getpid()}.{id(data)}{_TMP_SUFFIX}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        return True
    finally:
        tmp.unlink(missing_ok=True)


def write_private(path: Path, data: bytes | Iterable[bytes]) -> int:
    """Write ``data`` (bytes, or chunks of them) to ``path`` atomically with mode 0600; return its size.

    Atomically: a temporary file, fsync, rename; chunks are written as they come (memory stays flat).
    """
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
    if folder.is_dir():
        remove_stale_temporaries(folder)
    tmp = folder / f"{_TMP_PREFIX}{os.getpid()}-{os.urandom(6).hex()}{_TMP_SUFFIX}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except OSError as exc:  # name the file the person asked for, not our temporary one
        raise type(exc)(exc.errno, exc.strerror, str(path)) from None
    _in_flight.add(tmp.name)
    try:
        size = 0
        with os.fdopen(fd, "wb") as fh:
            for chunk in [data] if isinstance(data, bytes) else data:
                size += fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        _in_flight.discard(tmp.name)
    return size


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove temporary files in ``folder`` whose writing process no longer runs; return them."""
    removed = []
    for tmp in folder.glob(f"{_TMP_PREFIX}*{_TMP_SUFFIX}"):
        pid = tmp.name.removeprefix(_TMP_PREFIX).split("-", 1)[0]
        if tmp.name in _in_flight or (pid.isascii() and pid.isdigit() and _running(int(pid))):
            continue
        tmp.unlink(missing_ok=True)
        removed.append(tmp)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # not in flight here: an earlier write of ours was interrupted
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True  # another user's live process
    return True
