"""CSV export and all-or-nothing import of the journal (format: docs/formats.md)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select
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
from dosewise.store.db import Database
from dosewise.store.journal_queries import entries_between, live
from dosewise.store.tables import (
    AssessmentRow,
    DoseRow,
    MeasurementRow,
    NoteRow,
    PersonRow,
    ProductRow,
    RatingRow,
    SideEffectRow,
    SymptomRow,
)

REQUIRED = ["time", "kind", "item", "value", "unit", "note"]
OPTIONAL = ["entered_by", "flags"]
MAX_IMPORT_BYTES = 10 * 1024 * 1024  # 10 MB: about 100,000 entries; larger files are refused
MAX_REPORTED_PROBLEMS = 20
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
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(REQUIRED + OPTIONAL)
    with db.read() as session:
        person = get_person_row(session)
        tz = zone(person.timezone)
        rows = entries_between(session, person.id, None, None)
        for row in reversed(rows):
            cells = _csv_row(session, row, tz)
            cells[2], cells[5] = protect_cell(cells[2]), protect_cell(cells[5])  # item and note are free text
            writer.writerow(cells)
    return buf.getvalue()


def _csv_row(session: Session, row, tz) -> list[str]:
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


def import_csv(db: Database, data: bytes, *, now: datetime | None = None) -> ImportOut:
    """Import a journal CSV: every line is checked first; one bad line rejects the whole file."""
    now = now or now_utc()
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRejected(
            f"The file is {len(data) / 1e6:.1f} MB; the import limit is "
            f"{MAX_IMPORT_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected(
            f"The file is not UTF-8 text (bad byte at position {exc.start}). Save it as 'CSV UTF-8' and try again."
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRejected(
            f"The header is missing column(s): {', '.join(missing)}. "
            f"Expected: {','.join(REQUIRED)} (see docs/formats.md)."
        )
    with db.transaction() as session:
        person = get_person_row(session)
        rows, problems, counts = _parse_all(session, person, reader, now)
        if problems:
            raise ImportRejected(
                f"Nothing was imported: {len(problems)} line(s) have problems. " + _summary(problems), problems=problems
            )
        _insert_all(session, rows)
        alerts.refresh_alerts(session, person, now=now)
    return ImportOut(imported=sum(counts.values()), by_kind=counts)


def _insert_all(session: Session, rows: list) -> None:
    """Insert the checked rows in one statement per table (executemany), in the import's transaction."""
    by_table: dict[type, list[dict]] = {}
    for row in rows:
        columns = [c.name for c in type(row).__table__.columns if c.name != "id"]
        by_table.setdefault(type(row), []).append({c: getattr(row, c) for c in columns})
    for cls, values in by_table.items():
        session.execute(insert(cls.__table__), values)


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


def _parse_all(session: Session, person: PersonRow, reader: csv.DictReader, now: datetime):
    tz = zone(person.timezone)
    parsed: list[tuple[int, list]] = []
    problems: list[str] = []
    counts: dict[str, int] = {}
    products: dict[str, ProductRow] = {}

    def find(name: str) -> ProductRow:
        key = name.strip().casefold()
        if key not in products:
            products[key] = find_product(session, person.id, name)
        return products[key]

    for line, rec in _records(reader):
        rec["item"], rec["note"] = unprotect_cell(rec.get("item", "")), unprotect_cell(rec.get("note", ""))
        if not any(v.strip() for v in rec.values()):
            continue
        try:
            for value in rec.values():
                check_text(value, field="line")
            parsed.append((line, _row_from_record(session, person, rec, tz, now, find)))
        except DosewiseError as exc:
            problems.append(f"Line {line}: {exc.message}")
            continue
        kind = rec["kind"].strip()
        counts[kind] = counts.get(kind, 0) + 1
    problems += _duplicates(session, person.id, parsed)
    return [row for _, new in parsed for row in new], problems, counts


def _entry_key(row) -> tuple:
    """What makes two entries the same: kind, the time to the second (the CSV's precision), the item."""
    cls = type(row)
    return (cls.__name__, row.at.astimezone(UTC).replace(microsecond=0), *(getattr(row, c) for c in _SAME_ENTRY[cls]))


def _duplicates(session: Session, person_id: int, parsed: list[tuple[int, list]]) -> list[str]:
    """Problems for lines that repeat an earlier line of the file, or an entry already in the journal.

    The journal is read once per kind, only over the file's time span (not one query per line)."""
    problems: list[str] = []
    first_line: dict[tuple, int] = {}
    existing: set[tuple] = set()
    by_kind: dict[type, list] = {}
    for _, new in parsed:
        by_kind.setdefault(type(new[0]), []).append(new[0])
    for cls, rows in by_kind.items():
        lo, hi = min(r.at for r in rows), max(r.at for r in rows)
        q = select(cls).where(
            live(cls, person_id),
            cls.at >= lo - timedelta(seconds=1),
            cls.at <= hi + timedelta(seconds=1),
        )
        existing.update(_entry_key(r) for r in session.scalars(q))
    for line, new in parsed:
        key = _entry_key(new[0])
        if key in existing:
            problems.append(
                f"Line {line}: this entry is already in the journal at the same time (imported "
                "before?); importing it again would count it twice."
            )
        elif key in first_line:
            problems.append(
                f"Line {line}: the same entry as line {first_line[key]} (same time, kind and item); "
                "importing both would count it twice. Remove one of the two lines."
            )
        else:
            first_line[key] = line
    return problems


def _records(reader: csv.DictReader) -> Iterator[tuple[int, dict[str, str]]]:
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


def _row_from_record(session: Session, person: PersonRow, rec: dict[str, str], tz, now: datetime, find) -> list:
    rows = _build_rows(session, person, rec, tz, now, find)
    for row in rows:
        row.created_at = now  # the import's time, not the entry's
    return rows


def _build_rows(session: Session, person: PersonRow, rec: dict[str, str], tz, now: datetime, find) -> list:
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
