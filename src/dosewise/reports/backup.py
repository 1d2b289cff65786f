"""Backup files on disk: written atomically and 0600 (a crash never leaves half a backup), read with a size limit.

The document itself (versions, checksum, restore rules) is made and checked by dosewise.services.backup.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dosewise.errors import BackupRejected
from dosewise.private import write_private
from dosewise.services.backup import MAX_BACKUP_BYTES


def write_backup(path: Path, doc: dict[str, Any]) -> int:
    """Write ``doc`` as UTF-8 JSON to ``path`` atomically (temp file, fsync, rename); return bytes written."""
    data = json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8") + b"\n"
    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise BackupRejected(f"The folder {folder} does not exist. Create it or choose another place.")
    return write_private(path, data)


def read_backup(path: Path) -> bytes:
    """Return the bytes of a backup file; raise BackupRejected if it is missing or too large."""
    path = path.expanduser()
    if not path.is_file():
        raise BackupRejected(f"No backup file at {path}.")
    size = path.stat().st_size
    if size > MAX_BACKUP_BYTES:
        raise BackupRejected(
            f"The file is {size / 1e6:.0f} MB; backups larger than "
            f"{MAX_BACKUP_BYTES // 1024 // 1024} MB are refused. Nothing was changed."
        )
    if size == 0:
        raise BackupRejected(f"The file {path} is empty: it is not a backup. Nothing was changed.")
    return path.read_bytes()
