"""Backup and restore of everything in the database, and a plain dump of each table for CSV.

The backup document (format: docs/formats.md, "Backup") is versioned JSON::

    {"format": "dosewise-backup", "version": 1, "schema_revision": "<alembic head>",
     "created_at": "...", "app_version": "...", "counts": {table: rows},
     "checksum": "sha256:<hex of the canonical JSON of 'tables'>", "tables": {table: [row, ...]}}

Restore is one transaction: every table is checked (columns, types, checksum) before the first row
is written, rows keep their ids, and any failure leaves the database exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    Integer,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from dosewise import __version__
from dosewise.errors import BackupRejected, InvalidInput
from dosewise.model.inputs import MAX_ID, is_id, load_json, nul_in
from dosewise.services import runtime
from dosewise.services.backup_checks import problems_in
from dosewise.store.db import Database
from dosewise.store.tables import Base, UTCDateTime

FORMAT = "dosewise-backup"
VERSION = 1
SUPPORTED_VERSIONS = (1,)
MAX_BACKUP_BYTES = 500 * 1024 * 1024  # 500 MB: decades of journal; larger files are refused unread


class RestoreOut(BaseModel):
    """What a restore did: rows written per table, and whether existing data was replaced."""

    restored: dict[str, int]
    replaced: bool
    schema_revision: str | None


def _tables() -> list[Table]:
    """Return every Dosewise table that holds the person's data, parents before children (foreign keys)."""
    return [t for t in Base.metadata.sorted_tables if t.info.get("backup", True)]


# ------------------------------------------------------------------ values <-> JSON


def _to_json(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        return value.astimezone(UTC).isoformat()
    if isinstance(column.type, Date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        raise BackupRejected(f"{column.table.name}.{column.name} holds {value}, which cannot be backed up.")
    return value


def _from_json(column: Column[Any], value: Any) -> Any:
    """Return the Python value for ``value`` read from a backup; raise ValueError if it does not fit."""
    if value is None:
        if not column.nullable:
            raise ValueError("is empty but is required")
        return None
    kind = column.type
    if isinstance(kind, UTCDateTime):
        parsed = datetime.fromisoformat(_str(value))
        if parsed.tzinfo is None:
            raise ValueError("has no UTC offset")
        return parsed
    if isinstance(kind, Date):
        return date.fromisoformat(_str(value))
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise ValueError("is not true/false")
        return value
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("is not a whole number")
        if not -MAX_ID <= value <= MAX_ID or (column.name.endswith("id") and not is_id(value)):
            raise ValueError(f"is {value}, outside what a whole-number column holds (an id is 1 to {MAX_ID})")
        return value
    if isinstance(kind, Float):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError("is not a finite number")
        return float(value)
    if isinstance(kind, String | Text):
        value = _str(value)
        if "\x00" in value:
            raise ValueError("holds a NUL character (\\0), which cannot be stored")
        if isinstance(kind, String) and kind.length is not None and len(value) > kind.length:
            raise ValueError(f"is longer than {kind.length} characters")
        return value
    if isinstance(kind, JSON):
        if nul_in(value):
            raise ValueError("holds a NUL character (\\0), which cannot be stored")
        return value
    raise ValueError(f"has an unsupported column type {kind!r}")  # pragma: no cover - schema guard


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("is not text")
    return value


def canonical_json(value: Any) -> bytes:
    """Return the canonical UTF-8 JSON bytes of ``value`` (sorted keys, no spaces): what the checksum covers."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def checksum_of(tables: dict[str, list[dict[str, Any]]]) -> str:
    """Return ``sha256:<hex>`` of the canonical JSON of the tables section."""
    return "sha256:" + hashlib.sha256(canonical_json(tables)).hexdigest()


# ------------------------------------------------------------------ dump


def _snapshot(session: Session) -> None:
    """Make every table read in this transaction come from one snapshot (PostgreSQL's default, READ
    COMMITTED, would let a concurrent write land between two tables; SQLite's WAL read is one snapshot)."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _dump(session: Session) -> dict[str, list[dict[str, Any]]]:
    _snapshot(session)
    out: dict[str, list[dict[str, Any]]] = {}
    for table in _tables():
        order = [c for c in table.primary_key.columns] or list(table.columns)
        rows = session.execute(select(table).order_by(*order)).mappings().all()
        out[table.name] = [{c.name: _to_json(c, row[c.name]) for c in table.columns} for row in rows]
    return out


def backup_document(db: Database, *, now: datetime | None = None) -> dict[str, Any]:
    """Return the whole database as a versioned backup document with a checksum (one consistent read)."""
    with db.for_everyone().transaction() as session:  # one transaction, one snapshot, every person
        tables = _dump(session)
        revision = _schema_revision(session)
    return {
        "format": FORMAT,
        "version": VERSION,
        "schema_revision": revision,
        "created_at": (now or runtime.now_utc()).astimezone(UTC).isoformat(),
        "app_version": __version__,
        "counts": {name: len(rows) for name, rows in tables.items()},
        "checksum": checksum_of(tables),
        "tables": tables,
    }


def _schema_revision(session: Session) -> str | None:
    """Return the database's Alembic revision (which migrations made its tables), or None."""
    return session.execute(text("SELECT version_num FROM alembic_version")).scalar()


def table_dump(db: Database) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Return ``{table: (column names, rows)}`` for every table; values as in the backup (ISO times, UTC).

    Deleted journal entries are left out: these tables are for reading, the backup keeps everything."""
    with db.for_everyone().transaction() as session:
        tables = _dump(session)
    out: dict[str, tuple[list[str], list[list[Any]]]] = {}
    for table in _tables():
        names = sorted((c.name for c in table.columns), key=lambda n: (n != "id", n != "person_id"))
        live = [row for row in tables[table.name] if row.get("deleted_at") is None]  # deleted entries left out
        out[table.name] = (names, [[row[n] for n in names] for row in live])
    return out


# ------------------------------------------------------------------ restore


def parse_backup(data: bytes) -> dict[str, Any]:
    """Decode backup bytes into a document; raise BackupRejected saying what is wrong (nothing is written)."""
    if len(data) > MAX_BACKUP_BYTES:
        raise BackupRejected(
            f"The file is {len(data) / 1e6:.0f} MB; backups larger than "
            f"{MAX_BACKUP_BYTES // 1024 // 1024} MB are refused. Nothing was changed."
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BackupRejected(
            "This is not a Dosewise backup: the file is not UTF-8 text. Nothing was changed."
        ) from None
    try:
        doc = load_json(text, what="The backup")
    except InvalidInput as exc:
        raise BackupRejected(
            f"{exc.message} The backup is damaged or cut short ({len(data)} bytes). "
            "Nothing was changed. Use another copy of the backup."
        ) from None
    return check_document(doc)


def check_document(doc: Any) -> dict[str, Any]:
    """Check the envelope, version and checksum of a backup document; return it or raise BackupRejected."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BackupRejected("This is not a Dosewise backup (no 'format: dosewise-backup'). Nothing was changed.")
    version = doc.get("version")
    if version not in SUPPORTED_VERSIONS:
        raise BackupRejected(
            f"This backup has format version {version!r}; this Dosewise reads version(s) "
            f"{', '.join(map(str, SUPPORTED_VERSIONS))}. Update Dosewise. Nothing was changed."
        )
    tables = doc.get("tables")
    if not isinstance(tables, dict) or not all(isinstance(v, list) for v in tables.values()):
        raise BackupRejected("The backup has no readable 'tables' section. Nothing was changed.")
    try:
        actual = checksum_of(tables)
    except (TypeError, ValueError):
        raise BackupRejected("The backup holds values that are not plain JSON. Nothing was changed.") from None
    if doc.get("checksum") != actual:
        raise BackupRejected(
            "The backup is damaged: its checksum does not match its contents (the file was "
            "changed or cut short after it was written). Nothing was changed. "
            "Use another copy of the backup."
        )
    return doc


def _rows_for(table: Table, raw_rows: list[Any]) -> list[dict[str, Any]]:
    """Convert one table's rows from the backup; raise BackupRejected naming the first bad value."""
    known = {c.name: c for c in table.columns}
    rows: list[dict[str, Any]] = []
    for n, raw in enumerate(raw_rows, start=1):
        if not isinstance(raw, dict):
            raise BackupRejected(f"Row {n} of table '{table.name}' is not an object. Nothing was changed.")
        extra = sorted(set(raw) - set(known))
        if extra:
            raise BackupRejected(
                f"Table '{table.name}' in the backup has column(s) this Dosewise does not know: "
                f"{', '.join(extra)}. Update Dosewise. Nothing was changed."
            )
        row: dict[str, Any] = {}
        for name, column in known.items():
            if name not in raw:
                if column.nullable:
                    row[name] = None
                    continue
                raise BackupRejected(f"Row {n} of table '{table.name}' has no '{name}'. Nothing was changed.")
            try:
                row[name] = _from_json(column, raw[name])
            except ValueError as exc:
                raise BackupRejected(f"Row {n} of table '{table.name}': '{name}' {exc}. Nothing was changed.") from None
        rows.append(row)
    return rows


def _prepare(doc: dict[str, Any]) -> list[tuple[Table, list[dict[str, Any]]]]:
    tables = doc["tables"]
    known = {t.name for t in _tables()}
    unknown = sorted(set(tables) - known)
    if unknown:
        raise BackupRejected(
            f"The backup has table(s) this Dosewise does not know: {', '.join(unknown)}. "
            "Update Dosewise. Nothing was changed."
        )
    return [(t, _rows_for(t, tables.get(t.name, []))) for t in _tables()]


def database_row_count(session: Session) -> int:
    """Return the number of rows across all Dosewise tables."""
    return sum(session.scalar(select(func.count()).select_from(t)) or 0 for t in _tables())


def _lock_all(session: Session) -> None:
    """On PostgreSQL, hold every table exclusively for the restore, so no write slips in between the
    emptiness check and the last insert (SQLite allows one writer at a time anyway)."""
    if session.get_bind().dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in _tables())
        session.execute(text(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE"))


def _reset_sequences(session: Session) -> None:
    """On PostgreSQL, move each id sequence past the restored ids so new rows do not collide."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in _tables():
        if "id" in table.columns:
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )


def restore_document(db: Database, doc: dict[str, Any], *, replace: bool = False) -> RestoreOut:
    """Restore a checked backup document in one transaction, keeping ids.

    Refuses (BackupRejected) if the database already holds data and ``replace`` is False; with
    ``replace`` the existing rows are deleted in the same transaction, so a failure keeps them.
    """
    doc = check_document(doc)
    prepared = _prepare(doc)
    problems = problems_in({t.name: rows for t, rows in prepared})
    if problems:
        raise BackupRejected(
            f"The backup holds rows that Dosewise would not accept as new entries ({len(problems)} shown). "
            "Nothing was changed. " + " ".join(problems[:5]),
            problems=problems,
        )
    try:
        with db.for_everyone().transaction() as session:  # the whole database, every person
            _lock_all(session)
            existing = database_row_count(session)
            if existing and not replace:
                raise BackupRejected(
                    f"This database already holds {existing} rows. Restoring would overwrite "
                    "them: restore into an empty database, or use --replace to delete the "
                    "current data first. Nothing was changed."
                )
            for table in reversed(_tables()):
                session.execute(delete(table))
            for table, rows in prepared:
                if rows:
                    session.execute(insert(table), rows)
            _reset_sequences(session)
    except (IntegrityError, DBAPIError) as exc:
        reason = str(exc.orig).splitlines()[0] if exc.orig is not None else type(exc).__name__
        raise BackupRejected(f"The backup's rows do not fit together ({reason}). Nothing was changed.") from None
    return RestoreOut(
        restored={t.name: len(rows) for t, rows in prepared},
        replaced=bool(existing and replace),
        schema_revision=doc.get("schema_revision"),
    )


def restore_bytes(db: Database, data: bytes, *, replace: bool = False) -> RestoreOut:
    """Check and restore backup file contents (see ``restore_document``)."""
    return restore_document(db, parse_backup(data), replace=replace)
