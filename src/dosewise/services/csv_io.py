"""CSV export and all-or-nothing import of the journal (format: docs/formats.md)."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from dosewise.errors import DosewiseError, ImportRejected
from dosewise.model.inputs import check_text
from dosewise.model.journal import (
    check_not_future,
    measurements,
    to_utc,
    validate_entered_by,
)
from dosewise.model.scales import get_scale
from dosewise.model.units import Unit, amount_of, parse_number
from dosewise.services import alerts, entries
from dosewise.services.products import find_product, to_model
from dosewise.services.runtime import get_person_row, now_utc, zone
from dosewise.services.schemas import ImportOut
from dosewise.store.authorship import keep_authors
from dosewise.store.db import Database
from dosewise.store.journal_queries import iter_entries, live
from dosewise.store.tables import (
    AssessmentRow,
    DoseRow,
    JournalRow,
    MeasurementRow,
    NoteRow,
    PersonRow,
    ProductRow,
    RatingRow,
    SideEffectRow,
    SymptomRow,
)

REQUIRED = ["time", "kind", "item", "value", "unit", "note"]
OPTIONAL = ["entered_by", "flags", "entered_by_account"]
MAX_ACCOUNT_CHARS = 254  # an email (store/tables.py: entered_by_account)
MAX_IMPORT_BYTES = 10 * 1024 * 1024  # 10 MB: about 100,000 entries; larger files are refused
MAX_REPORTED_PROBLEMS = 20
_FindProduct = Callable[[str], ProductRow]  # a product of the person by name (cached for the import)
# What makes a line the same entry as one already in the journal (besides the person and the time to the second,
# the precision of the CSV): importing a file twice must not count doses twice.
_SAME_ENTRY = {
    DoseRow: ("product_id", "unit"),
    RatingRow: ("scale_id",),
    AssessmentRow: ("scale_id",),
    SideEffectRow: ("effect",),
    NoteRow: ("text",),
    SymptomRow: ("symptom",),
    MeasurementRow: ("kind",),
}


def export_csv(db: Database) -> str:
    """Return the whole live journal as CSV text, oldest first, times in the person's zone."""
    return "".join(iter_csv(db))


def iter_csv(db: Database) -> Iterator[str]:
    """Yield the journal CSV line by line (header first, then entries oldest first), rows read in batches."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")

    def line(cells: list[str]) -> str:
        buf.seek(0)
        buf.truncate()
        writer.writerow(cells)
        return buf.getvalue()

    yield line(REQUIRED + OPTIONAL)
    with db.read() as session:
        person = get_person_row(session)
        tz = zone(person.timezone)
        for row in iter_entries(session, person.id, None, newest_first=False):
            cells = _csv_row(session, row, tz) + [protect_cell(row.entered_by_account or "")]
            cells[2], cells[5] = protect_cell(cells[2]), protect_cell(cells[5])  # item and note are free text
            yield line(cells)


def _csv_row(session: Session, row: JournalRow, tz: tzinfo) -> list[str]:
    t = row.at.astimezone(tz).isoformat(timespec="seconds")
    by = row.entered_by
    if isinstance(row, DoseRow):
        return [
            t,
            "dose",
            row.product.name,
            f"{row.amount:g}",
            row.unit,
            row.note or "",
            by,
            "unusual" if row.unusual else "",
        ]
    if isinstance(row, RatingRow):
        a = session.get(AssessmentRow, row.assessment_id) if row.assessment_id else None
        if a is not None:
            return [t, "assessment", row.scale_id, " ".join(f"{v:g}" for v in a.items), "", "", by, ""]
        return [t, "rating", row.scale_id, f"{row.value:g}", "", "", by, ""]
    if isinstance(row, SideEffectRow):
        return [t, "side_effect", row.effect, row.severity, "", row.note or "", by, ""]
    if isinstance(row, NoteRow):
        return [t, "note", "", "", "", row.text, by, ""]
    if isinstance(row, SymptomRow):
        return [t, "symptom", row.symptom, "", "", row.note or "", by, ""]
    if not isinstance(row, MeasurementRow):  # an assessment is exported through its rating row
        raise TypeError(f"{type(row).__name__} is not a CSV line of its own")
    return [t, "measurement", row.kind, f"{row.value:g}", "", "", by, ""]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def protect_cell(text: str) -> str:
    """Return ``text`` safe to open in a spreadsheet: a cell that would run as a formula gets a ' prefix.

    Text that already starts with ' before such a character gets one more, so ``unprotect_cell``
    restores every text exactly (export then import reproduces notes verbatim).
    """
    return "'" + text if text.lstrip("'").startswith(_FORMULA_START) else text


def unprotect_cell(text: str) -> str:
    """Undo ``protect_cell``."""
    return text[1:] if text.startswith("'") and text.lstrip("'").startswith(_FORMULA_START) else text


def import_csv(db: Database, data: bytes, *, now: datetime | None = None, allow_duplicates: bool = False) -> ImportOut:
    """Import a journal CSV: every line is checked; one bad line rejects the whole file (nothing imported).

    One transaction. Lines are read, checked and inserted CHUNK_LINES at a time, so memory does not grow
    with the file; a problem anywhere rolls everything back. A line that repeats an earlier line or an entry
    already in the journal is refused with its line number, unless ``allow_duplicates`` (imported knowingly).
    """
    now = now or now_utc()
    reader = _reader(data)
    with db.transaction() as session:
        keep_authors(session)  # the lines say who entered them; the importer is not stamped on them
        person = get_person_row(session)
        check = _ImportCheck(session, person, now, allow_duplicates=allow_duplicates)
        for chunk in _chunks(_records(reader), CHUNK_LINES):
            rows = check.lines(chunk)
            if not check.problems:
                _insert_all(session, rows)
        if check.problems:
            raise ImportRejected(
                f"Nothing was imported: {len(check.problems)} line(s) have problems. " + _summary(check.problems),
                problems=check.problems,
            )
        alerts.refresh_alerts(session, person, now=now)
    return ImportOut(imported=sum(check.counts.values()), by_kind=check.counts)


CHUNK_LINES = 2000  # lines checked and inserted at a time (memory per chunk, not per file)


def _reader(data: bytes) -> csv.DictReader[str]:
    """Return a DictReader over ``data`` after checking its size, encoding and header."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRejected(
            f"The file is {len(data) / 1e6:.1f} MB; the import limit is "
            f"{MAX_IMPORT_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    _check_utf8(data)
    # Decoded as it is read (no second copy of the whole file as text).
    reader = csv.DictReader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRejected(
            f"The header is missing column(s): {', '.join(missing)}. "
            f"Expected: {','.join(REQUIRED)} (see docs/formats.md)."
        )
    return reader


def _check_utf8(data: bytes, *, step: int = 1 << 20) -> None:
    """Raise ImportRejected unless ``data`` is UTF-8, checking it a megabyte at a time (nothing kept)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    for start in range(0, len(data), step):
        try:
            decoder.decode(view[start : start + step], final=start + step >= len(data))
        except UnicodeDecodeError as exc:
            raise ImportRejected(
                f"The file is not UTF-8 text (bad byte at position {start + exc.start}). "
                "Save it as 'CSV UTF-8' and try again."
            ) from None


def _chunks(records: Iterator[tuple[int, dict[str, str]]], size: int) -> Iterator[list[tuple[int, dict[str, str]]]]:
    chunk: list[tuple[int, dict[str, str]]] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _insert_all(session: Session, rows: list[JournalRow]) -> None:
    """Insert the checked rows in one statement per table (executemany), in the import's transaction."""
    by_table: dict[type[JournalRow], list[dict[str, Any]]] = {}
    for row in rows:
        columns = [c.name for c in type(row).__table__.columns if c.name != "id"]
        by_table.setdefault(type(row), []).append({c: getattr(row, c) for c in columns})
    for cls, values in by_table.items():
        session.execute(insert(cast(Table, cls.__table__)), values)  # Core executemany, not ORM bulk


def _summary(problems: list[str]) -> str:
    """Group 'Line N: message' problems by message, so one mistake repeated on 200 lines reads as one."""
    lines: dict[str, list[str]] = {}
    for problem in problems:
        where, _, message = problem.partition(": ")
        lines.setdefault(message, []).append(where.removeprefix("Line "))
    parts = []
    for message, numbers in list(lines.items())[:MAX_REPORTED_PROBLEMS]:
        shown = ", ".join(numbers[:5]) + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")
        parts.append(f"Line{'s' if len(numbers) > 1 else ''} {shown}: {message}")
    more = len(lines) - MAX_REPORTED_PROBLEMS
    return " ".join(parts) + (f" (and {more} other problems)" if more > 0 else "")


class _ImportCheck:
    """The checks of one import, chunk by chunk: each line's values, and duplicates within the file and
    against the journal. Keeps only a 16-byte digest per line seen (for 'the same as line N')."""

    def __init__(self, session: Session, person: PersonRow, now: datetime, *, allow_duplicates: bool) -> None:
        self.session, self.person, self.now = session, person, now
        self.tz = zone(person.timezone)
        self.allow_duplicates = allow_duplicates
        self.problems: list[str] = []
        self.counts: dict[str, int] = {}
        self.first_line: dict[bytes, int] = {}
        self.products: dict[str, ProductRow] = {}

    def find(self, name: str) -> ProductRow:
        key = name.strip().casefold()
        if key not in self.products:
            self.products[key] = find_product(self.session, self.person.id, name)
        return self.products[key]

    def lines(self, chunk: list[tuple[int, dict[str, str]]]) -> list[Any]:
        """Check a chunk of lines; return their rows (problems are added to ``self.problems``)."""
        parsed: list[tuple[int, list[Any]]] = []
        for line, rec in chunk:
            rec["item"], rec["note"] = unprotect_cell(rec.get("item", "")), unprotect_cell(rec.get("note", ""))
            if not any(v.strip() for v in rec.values()):
                continue
            try:
                for value in rec.values():
                    check_text(value, field="line")
                parsed.append((line, _row_from_record(self.session, self.person, rec, self.tz, self.now, self.find)))
            except DosewiseError as exc:
                self.problems.append(f"Line {line}: {exc.message}")
                continue
            kind = rec["kind"].strip()
            self.counts[kind] = self.counts.get(kind, 0) + 1
        if not self.allow_duplicates:
            self.problems += self._duplicates(parsed)
        return [row for _, new in parsed for row in new]

    def _duplicates(self, parsed: list[tuple[int, list[Any]]]) -> list[str]:
        """Problems for lines that repeat an earlier line of the file, or an entry already in the journal.

        The journal is read once per kind and chunk, over the chunk's time span (not one query per line).
        Rows this import inserted from earlier chunks are found as earlier lines, not as journal entries."""
        problems: list[str] = []
        existing = self._existing(parsed)
        for line, new in parsed:
            key = _digest(_entry_key(new[0]))
            if key in self.first_line:
                problems.append(
                    f"Line {line}: the same entry as line {self.first_line[key]} (same time, kind and item); "
                    "importing both would count it twice. Remove one of the two lines (or, if both are meant, import "
                    "again confirming that repeated lines are meant)."
                )
            elif key in existing:
                problems.append(
                    f"Line {line}: this entry is already in the journal at the same time (imported "
                    "before?); importing it again would count it twice (if it is meant, import again confirming "
                    "that repeated lines are meant)."
                )
            else:
                self.first_line[key] = line
        return problems

    def _existing(self, parsed: list[tuple[int, list[JournalRow]]]) -> set[bytes]:
        by_kind: dict[type[JournalRow], list[JournalRow]] = {}
        for _, new in parsed:
            by_kind.setdefault(type(new[0]), []).append(new[0])
        existing: set[bytes] = set()
        for cls, rows in by_kind.items():
            lo, hi = min(r.at for r in rows), max(r.at for r in rows)
            q = select(cls).where(
                live(cls, self.person.id),
                cls.at >= lo - timedelta(seconds=1),
                cls.at <= hi + timedelta(seconds=1),
            )
            existing.update(_digest(_entry_key(cast(JournalRow, r))) for r in self.session.scalars(q))
        return existing


def _digest(key: tuple[Any, ...]) -> bytes:
    return hashlib.blake2b(repr(key).encode("utf-8"), digest_size=16).digest()


def _entry_key(row: Any) -> tuple[Any, ...]:
    """What makes two entries the same: kind, the time to the second (the CSV's precision), the item."""
    cls = type(row)
    return (cls.__name__, row.at.astimezone(UTC).replace(microsecond=0), *(getattr(row, c) for c in _SAME_ENTRY[cls]))


def _records(reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, cells) of each line; a line the csv module cannot read rejects the file."""
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportRejected(
                f"Nothing was imported: line {reader.line_num + 1} cannot be read as CSV ({exc}). "
                f"A cell can hold at most {csv.field_size_limit():,} characters."
            ) from None
        yield reader.line_num, {(k or "").strip(): (v or "") for k, v in record.items() if k is not None}


def _row_from_record(
    session: Session, person: PersonRow, rec: dict[str, str], tz: tzinfo, now: datetime, find: _FindProduct
) -> list[JournalRow]:
    rows = _build_rows(session, person, rec, tz, now, find)
    account = _account(rec.get("entered_by_account") or "")
    for row in rows:
        row.created_at = now  # the import's time, not the entry's
        row.entered_by_account = account  # who entered it, as the file says (not who imports it)
    return rows


def _account(text: str) -> str | None:
    """The file's ``entered_by_account`` (an email, "command line", "this computer"), or None when empty."""
    value = unprotect_cell(text.strip())
    if len(value) > MAX_ACCOUNT_CHARS:
        raise ImportRejected(f"entered_by_account is longer than {MAX_ACCOUNT_CHARS} characters")
    return check_text(value, field="entered_by_account", one_line=True) or None


def _build_rows(
    session: Session, person: PersonRow, rec: dict[str, str], tz: tzinfo, now: datetime, find: _FindProduct
) -> list[JournalRow]:
    try:
        at = datetime.fromisoformat(rec["time"].strip())
    except ValueError:
        raise ImportRejected(
            f"cannot read the time '{rec['time']}' (use ISO 8601, e.g. 2026-11-20T21:00:00+00:00)"
        ) from None
    at = check_not_future(to_utc(at if at.tzinfo else at.replace(tzinfo=tz)), now=now)
    by = validate_entered_by(rec.get("entered_by") or "person")
    kind, item, value, unit, note = (rec[k].strip() if k != "note" else rec[k] for k in REQUIRED[1:])
    pid = person.id
    if kind == "dose":
        prow = find(item)
        amount = amount_of(parse_number(value), _unit(unit), to_model(prow))
        confirmed = "unusual" in rec.get("flags", "")
        return [
            entries.dose_row(
                person_id=pid, at=at, entered_by=by, product=prow, amount=amount, note=note, confirm_unusual=confirmed
            )
        ]
    if kind == "rating":
        score = parse_number(value, what="score")
        return [entries.rating_row(person_id=pid, at=at, entered_by=by, scale=get_scale(item), value=score)]
    if kind == "assessment":
        items = [parse_number(v, what="item score") for v in value.split()]
        scale = get_scale(item)
        return [entries.assessment_rows(session, person_id=pid, at=at, entered_by=by, scale=scale, items=items)]
    if kind == "side_effect":
        sev = value or "mild"
        return [entries.side_effect_row(person_id=pid, at=at, entered_by=by, effect=item, severity=sev, note=note)]
    if kind == "note":
        return [entries.note_row(person_id=pid, at=at, entered_by=by, text=note)]
    if kind == "symptom":
        return [entries.symptom_row(person_id=pid, at=at, entered_by=by, symptom=item, note=note)]
    if kind == "measurement":
        if item not in measurements():
            raise ImportRejected(f"unknown measurement '{item}'")
        return [entries.measurement_row(person_id=pid, at=at, entered_by=by, kind=item, value=parse_number(value))]
    raise ImportRejected(f"unknown kind '{kind}' (use dose, rating, side_effect or note)")


def _unit(text: str) -> Unit:
    try:
        return Unit(text.strip().lower())
    except ValueError:
        raise ImportRejected(f"unknown unit '{text}' (use {'|'.join(u.value for u in Unit)})") from None
