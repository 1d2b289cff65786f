"""Journal writes and reads: doses, ratings, assessments, side effects, notes, symptoms, measurements.

Every write is one transaction, validated before anything is stored, and followed (inside the same
transaction) by the red-flag rules, whose new alerts are returned to the caller to show at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from functools import partial
from itertools import groupby
from typing import Any

from sqlalchemy.orm import Session

from dosewise.errors import InvalidInput, NotFound, RepeatedDose
from dosewise.model.journal import (
    REPEAT_WINDOW,
    DayMg,
    PersonDay,
    check_measurement,
    check_not_future,
    daily_mg,
    find_measurement,
    measurements,
    parse_local_time,
    parse_severity,
    parse_side_effect,
    parse_symptom,
    validate_entered_by,
    validate_note,
)
from dosewise.model.scales import get_scale, validate_items, validate_score
from dosewise.model.units import amount_of, format_quantity, parse_amount
from dosewise.services import alerts, entries
from dosewise.services.actors import entered_words
from dosewise.services.journal_schemas import EntryOut, JournalDayOut, JournalOut, LoggedOut
from dosewise.services.runtime import get_person_row, now_utc, person_day, zone
from dosewise.store.authorship import signed_in
from dosewise.store.db import Database
from dosewise.store.journal_queries import KIND_OF_TABLE, TABLE_OF_KIND, iter_entries, live_rows
from dosewise.store.rows import row_by_id
from dosewise.store.tables import (
    AssessmentRow,
    DoseRow,
    JournalRow,
    MeasurementRow,
    NoteRow,
    PersonRow,
    RatingRow,
    SideEffectRow,
    SymptomRow,
)

MAX_DAYS = 3660  # journal days one read may cover (ten years)

# Loggable measurements and their data-entry limits live in knowledge/data/measurements.yaml; these views of
# them are kept for the edges: id -> (min, max, unit), word -> id, id -> (label, example).
MEASUREMENTS = {m.id: (m.min, m.max, m.unit) for m in measurements().values()}
MEASUREMENT_WORDS = {m.word: m.id for m in measurements().values()}
MEASUREMENT_LABELS = {m.id: (m.label, m.example) for m in measurements().values()}


def entry_out(row: JournalRow, *, day: PersonDay) -> EntryOut:
    """Flatten any journal row to an EntryOut (its time in the person's zone, its journal day)."""
    kind = KIND_OF_TABLE[type(row)]
    out = partial(
        EntryOut,
        id=row.id,
        kind=kind,
        at=row.at.astimezone(day.tz),
        day=day.of(row.at),
        entered_by=row.entered_by,
        entered_by_account=row.entered_by_account,
        entered_by_words=entered_words(row.entered_by_account, row.entered_by),
    )
    if isinstance(row, DoseRow):
        return out(
            item=row.product.name,
            value=row.amount,
            unit=row.unit,
            amount_text=format_quantity(row.amount, row.unit),
            thc_mg=row.thc_mg,
            cbd_mg=row.cbd_mg,
            mg_source=row.mg_source,
            note=row.note,
            unusual=row.unusual,
        )
    if isinstance(row, RatingRow):
        return out(item=row.scale_id, value=row.value)
    if isinstance(row, SideEffectRow):
        return out(item=row.effect, value=row.severity, severity=row.severity, note=row.note)
    if isinstance(row, NoteRow):
        return out(item="note", note=row.text)
    if isinstance(row, SymptomRow):
        return out(item=row.symptom, note=row.note)
    if isinstance(row, MeasurementRow):
        return out(item=row.kind, value=row.value, unit=MEASUREMENTS.get(row.kind, (0, 0, None))[2])
    return out(item=row.scale_id, value=row.total)


def _when(person: PersonRow, at: datetime | str | None, now: datetime) -> datetime:
    if at is None:
        return now
    if isinstance(at, str):
        return parse_local_time(at, tz=zone(person.timezone), now=now)
    if at.tzinfo is None:
        at = at.replace(tzinfo=zone(person.timezone))
    return check_not_future(at, now=now)


def _write(
    db: Database,
    build: Callable[[Session, PersonRow, datetime], tuple[JournalRow, list[str]]],
    *,
    now: datetime | None,
    edit: tuple[str, int | None] = ("", None),
    then: Callable[[Session, Any], None] | None = None,
) -> LoggedOut:
    """Run ``build`` in one transaction, then the alert rules; return the entry and new alerts.

    With ``edit=(kind, id)`` and an id, the built row's values overwrite that existing entry.
    """
    now = now or now_utc()
    with db.transaction() as session:
        person = get_person_row(session)
        row, warnings = build(session, person, now)
        if edit[1] is not None:
            row = _overwrite(session, person, (edit[0], edit[1]), row)
        else:
            session.add(row)
        session.flush()
        if then is not None:  # e.g. the reminder this dose answers, in the same transaction
            then(session, row)
        new_alerts = alerts.refresh_alerts(session, person, now=now)
        out = entry_out(row, day=person_day(person))
        return LoggedOut(entry=out, warnings=warnings, alerts=new_alerts)


# An edit keeps who entered the entry; signed in, also the role it was entered in (the form cannot change it).
_KEEP_ON_EDIT = {"id", "person_id", "created_at", "deleted_at", "assessment_id", "entered_by_account"}


def _overwrite(session: Session, person: PersonRow, replace: tuple[str, int], new: JournalRow) -> JournalRow:
    kind, entry_id = replace
    table = TABLE_OF_KIND.get(kind)
    existing = row_by_id(session, table, entry_id) if table is not None else None
    if existing is None or existing.person_id != person.id or existing.deleted_at is not None:
        raise NotFound(f"No {kind.replace('_', ' ')} entry number {entry_id} to edit.")
    if type(new) is not table:
        raise InvalidInput("An entry cannot change its kind; delete it and add a new one.", field="kind")
    session.expunge(new) if new in session else None
    keep = _KEEP_ON_EDIT | ({"entered_by"} if signed_in(session) else set())
    for column in table.__table__.columns:
        if column.key not in keep:
            setattr(existing, column.key, getattr(new, column.key))
    if isinstance(new, DoseRow):
        existing.product = new.product
    return existing


def update_entry(
    db: Database, *, entry_kind: str, entry_id: int, now: datetime | None = None, **fields: Any
) -> LoggedOut:
    """Edit an entry: ``fields`` are those of the matching ``record_<kind>`` call, validated the same way.

    The entry's kind is ``entry_kind`` because a measurement's own field is called ``kind`` (weight, ...).
    """
    kind = entry_kind
    recorders: dict[str, Callable[..., LoggedOut]] = {
        "dose": record_dose,
        "rating": record_rating,
        "side_effect": record_side_effect,
        "note": record_note,
        "symptom": record_symptom,
        "measurement": record_measurement,
    }
    if kind not in recorders:
        raise InvalidInput(f"Entries of kind '{kind}' cannot be edited here; delete and re-enter them.", field="kind")
    return recorders[kind](db, now=now, replace_id=entry_id, **fields)


def record_dose(
    db: Database,
    *,
    product: str,
    amount: str | None = None,
    quantity: float | None = None,
    unit: str | None = None,
    at: datetime | str | None = None,
    entered_by: str = "person",
    confirm_unusual: bool = False,
    confirm_repeat: bool = False,
    note: str | None = None,
    now: datetime | None = None,
    replace_id: int | None = None,
    then: Callable[[Session, Any], None] | None = None,
) -> LoggedOut:
    """Log a dose of a product: ``amount`` text ("5 drops") or ``quantity`` + ``unit``; mg are stored too.

    The same amount of the same product logged within REPEAT_WINDOW of another such dose is refused as a
    double press (RepeatedDose) unless ``confirm_repeat``; every door (CLI, web, API) gets the same guard.
    ``then(session, row)`` runs in the same transaction once the dose is stored (a reminder answered "taken").
    """
    validate_entered_by(entered_by)

    def build(session: Session, person: PersonRow, now: datetime) -> tuple[JournalRow, list[str]]:
        from dosewise.services.product_rows import find_product, to_model  # only doses need products

        prow = find_product(session, person.id, product)
        model = to_model(prow)
        if amount is not None:
            parsed = parse_amount(amount, model)
        elif quantity is not None and unit is not None:
            parsed = amount_of(quantity, unit, model)
        else:
            raise InvalidInput("Say how much, for example '5 drops'.", field="amount")
        row = entries.dose_row(
            person_id=person.id,
            product=prow,
            amount=parsed,
            at=_when(person, at, now),
            entered_by=entered_by,
            note=note,
            confirm_unusual=confirm_unusual,
        )
        if not confirm_repeat:
            _refuse_repeat(session, row, replace_id, tz=zone(person.timezone))
        flag = f"Stored with an 'unusual dose' flag: {row.thc_mg:g} mg THC, {row.cbd_mg:g} mg CBD."
        return row, [flag] if row.unusual else []

    return _write(db, build, now=now, edit=("dose", replace_id), then=then)


def _refuse_repeat(session: Session, new: DoseRow, replace_id: int | None, *, tz: tzinfo) -> None:
    """Refuse ``new`` if the same amount of the same product is already logged within REPEAT_WINDOW of it."""
    near = session.scalars(
        live_rows(DoseRow, new.person_id).where(
            DoseRow.product_id == new.product_id,
            DoseRow.at > new.at - REPEAT_WINDOW,
            DoseRow.at < new.at + REPEAT_WINDOW,
        )
    )
    for old in near:
        if old.id != replace_id and old.amount == new.amount and old.unit == new.unit:
            raise RepeatedDose(
                f"You logged {format_quantity(old.amount, old.unit)} of {new.product.name} at "
                f"{old.at.astimezone(tz):%H:%M}, a moment ago. If you really took a second dose, "
                "confirm that it is a second dose.",
                field="amount",
            )


def record_rating(
    db: Database,
    *,
    scale: str,
    value: float | str,
    at: datetime | str | None = None,
    entered_by: str = "person",
    now: datetime | None = None,
    replace_id: int | None = None,
) -> LoggedOut:
    """Log a score on a built-in scale (validated against the scale's range)."""
    validate_entered_by(entered_by)
    s = get_scale(scale)
    if s.multi_item:
        raise InvalidInput(f"{s.short} is entered item by item: dosewise log assessment {s.id} ...", field="scale")
    v = validate_score(s, _number(value, "score"))

    def build(session: Session, person: PersonRow, now: datetime) -> tuple[JournalRow, list[str]]:
        row = entries.rating_row(
            person_id=person.id, scale=s, value=v, at=_when(person, at, now), entered_by=entered_by
        )
        return row, []

    return _write(db, build, now=now, edit=("rating", replace_id))


def record_assessment(
    db: Database,
    *,
    scale: str,
    items: list[float | str],
    at: datetime | str | None = None,
    entered_by: str = "person",
    now: datetime | None = None,
) -> LoggedOut:
    """Log a multi-item scale (ALSFRS-R) item by item; the total is stored as a rating too."""
    validate_entered_by(entered_by)
    s = get_scale(scale)
    if not s.multi_item:
        raise InvalidInput(f"{s.short} is a single score: dosewise log rating {s.id} VALUE.", field="scale")
    scores = [_number(v, "item score") for v in items]
    validate_items(s, scores)

    def build(session: Session, person: PersonRow, now: datetime) -> tuple[JournalRow, list[str]]:
        when = _when(person, at, now)
        row = entries.assessment_rows(
            session, person_id=person.id, scale=s, items=scores, at=when, entered_by=entered_by
        )
        return row, []

    return _write(db, build, now=now)


def record_side_effect(
    db: Database,
    *,
    effect: str,
    severity: str = "mild",
    at: datetime | str | None = None,
    entered_by: str = "person",
    note: str | None = None,
    now: datetime | None = None,
    replace_id: int | None = None,
) -> LoggedOut:
    """Log a side effect with its severity (mild, moderate, severe)."""
    validate_entered_by(entered_by)
    parse_side_effect(effect), parse_severity(severity)  # refused before anything is opened

    def build(session: Session, person: PersonRow, now: datetime) -> tuple[JournalRow, list[str]]:
        when = _when(person, at, now)
        row = entries.side_effect_row(
            person_id=person.id, effect=effect, severity=severity, at=when, entered_by=entered_by, note=note
        )
        return row, []

    return _write(db, build, now=now, edit=("side_effect", replace_id))


def record_note(
    db: Database,
    *,
    text: str,
    at: datetime | str | None = None,
    entered_by: str = "person",
    now: datetime | None = None,
    replace_id: int | None = None,
) -> LoggedOut:
    """Log a free-text note, kept verbatim."""
    validate_entered_by(entered_by), validate_note(text)

    def build(session: Session, person: PersonRow, now: datetime) -> tuple[JournalRow, list[str]]:
        return entries.note_row(person_id=person.id, text=text, at=_when(person, at, now), entered_by=entered_by), []

    return _write(db, build, now=now, edit=("note", replace_id))


def record_symptom(
    db: Database,
    *,
    symptom: str,
    at: datetime | str | None = None,
    entered_by: str = "person",
    note: str | None = None,
    now: datetime | None = None,
    replace_id: int | None = None,
) -> LoggedOut:
    """Log a symptom or event the red-flag rules watch (breathless-lying-down, fall, fever, ...)."""
    validate_entered_by(entered_by), parse_symptom(symptom)

    def build(session: Session, person: PersonRow, now: datetime) -> tuple[JournalRow, list[str]]:
        when = _when(person, at, now)
        row = entries.symptom_row(person_id=person.id, symptom=symptom, at=when, entered_by=entered_by, note=note)
        return row, []

    return _write(db, build, now=now, edit=("symptom", replace_id))


def record_measurement(
    db: Database,
    *,
    kind: str,
    value: float | str,
    at: datetime | str | None = None,
    entered_by: str = "person",
    now: datetime | None = None,
    replace_id: int | None = None,
) -> LoggedOut:
    """Log a measurement such as weight (kg), temperature (°C), systolic blood pressure or heart rate."""
    validate_entered_by(entered_by)
    m = find_measurement(kind)
    try:
        number = _number(value, m.id)
    except InvalidInput:
        raise InvalidInput(
            f"{m.label} must be a number in {m.unit}, for example {m.example} (got '{value}').", field="value"
        ) from None
    v = check_measurement(m, number)

    def build(session: Session, person: PersonRow, now: datetime) -> tuple[JournalRow, list[str]]:
        when = _when(person, at, now)
        return entries.measurement_row(person_id=person.id, kind=m.id, value=v, at=when, entered_by=entered_by), []

    return _write(db, build, now=now, edit=("measurement", replace_id))


def _number(value: float | str, what: str) -> float:
    try:
        v = float(str(value).strip().replace(",", ".")) if isinstance(value, str) else float(value)
    except ValueError:
        raise InvalidInput(f"The {what} '{value}' is not a number.", field="value") from None
    if not math.isfinite(v):
        raise InvalidInput(f"The {what} must be a real number, not '{value}'.", field="value")
    return v


def read_journal(db: Database, *, days: int = 7, now: datetime | None = None) -> JournalOut:
    """Return the last ``days`` journal days, newest first, with mg THC / mg CBD per day."""
    with journal_stream(db, days=days, now=now) as stream:
        return JournalOut(person=stream.person, is_demo=stream.is_demo, days=list(stream.days))


@dataclass
class JournalStream:
    """The journal's person and its days, newest first, read while the stream is open (memory flat)."""

    person: str
    is_demo: bool
    days: Iterator[JournalDayOut]


@contextmanager
def journal_stream(db: Database, *, days: int = 7, now: datetime | None = None) -> Iterator[JournalStream]:
    """Open the last ``days`` journal days as a stream: one day at a time, rows fetched in batches."""
    if days < 1 or days > MAX_DAYS:
        raise InvalidInput(f"--days must be between 1 and {MAX_DAYS}.", field="days")
    now = now or now_utc()
    with db.read() as session:
        person = get_person_row(session)
        pday = person_day(person)
        start, _ = pday.bounds(pday.of(now) - timedelta(days=days - 1))
        rows = iter_entries(session, person.id, start)
        yield JournalStream(person=person.name, is_demo=person.is_demo, days=_by_day(rows, pday))


def _by_day(rows: Iterator[Any], pday: PersonDay) -> Iterator[JournalDayOut]:
    """Group rows (newest first) into journal days with their mg THC / mg CBD totals."""
    for day, group in groupby(rows, key=lambda r: pday.of(r.at)):
        found = list(group)
        mg = daily_mg((r for r in found if isinstance(r, DoseRow)), pday).get(day, DayMg())
        yield JournalDayOut(
            day=day,
            entries=[entry_out(r, day=pday) for r in found],
            thc_mg=round(mg.thc_mg, 2),
            cbd_mg=round(mg.cbd_mg, 2),
        )


def delete_entry(db: Database, *, kind: str, entry_id: int, now: datetime | None = None) -> EntryOut:
    """Soft-delete a journal entry (it can be restored with ``restore_entry``)."""
    return _set_deleted(db, kind=kind, entry_id=entry_id, deleted_at=now or now_utc())


def restore_entry(db: Database, *, kind: str, entry_id: int) -> EntryOut:
    """Undo a delete."""
    return _set_deleted(db, kind=kind, entry_id=entry_id, deleted_at=None)


def _set_deleted(db: Database, *, kind: str, entry_id: int, deleted_at: datetime | None) -> EntryOut:
    table = TABLE_OF_KIND.get(kind)
    if table is None or table is AssessmentRow:
        raise InvalidInput(f"Unknown entry kind '{kind}'.", field="kind")
    with db.transaction() as session:
        person = get_person_row(session)
        row = row_by_id(session, table, entry_id)
        if row is None or row.person_id != person.id:
            raise NotFound(f"No {kind.replace('_', ' ')} entry number {entry_id}.")
        row.deleted_at = deleted_at
        assessment = (
            session.get(AssessmentRow, row.assessment_id) if isinstance(row, RatingRow) and row.assessment_id else None
        )
        if assessment is not None:
            assessment.deleted_at = deleted_at
        session.flush()
        alerts.refresh_alerts(session, person, now=now_utc())  # a restored entry counts again
        return entry_out(row, day=person_day(person))
