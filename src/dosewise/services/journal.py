"""Journal writes and reads: doses, ratings, assessments, side effects, notes, symptoms, measurements.

Every write is one transaction, validated before anything is stored, and followed (inside the same
transaction) by the red-flag rules, whose new alerts are returned to the caller to show at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from dosewise.errors import InvalidInput, NotFound
from dosewise.model.journal import (
    DayMg,
    PersonDay,
    check_not_future,
    check_plausible,
    daily_mg,
    parse_local_time,
    parse_severity,
    parse_side_effect,
    parse_symptom,
    validate_entered_by,
    validate_note,
)
from dosewise.model.scales import get_scale, validate_items, validate_score
from dosewise.model.units import amount_of, format_quantity, parse_amount
from dosewise.services import alerts
from dosewise.services.products import find_product, to_model
from dosewise.services.runtime import get_person_row, now_utc, person_day, zone
from dosewise.services.schemas import EntryOut, JournalDayOut, JournalOut, LoggedOut
from dosewise.store.db import Database
from dosewise.store.journal_queries import KIND_OF_TABLE, TABLE_OF_KIND, entries_between
from dosewise.store.rows import row_by_id
from dosewise.store.tables import (
    AssessmentRow,
    DoseRow,
    MeasurementRow,
    NoteRow,
    PersonRow,
    RatingRow,
    SideEffectRow,
    SymptomRow,
)

MAX_DAYS = 3660  # journal days one read may cover (ten years)

MEASUREMENTS = {
    "weight_kg": (20.0, 350.0, "kg"),
    "temperature_c": (30.0, 45.0, "°C"),
    "systolic_bp": (50.0, 300.0, "mmHg"),
    "heart_rate": (20.0, 250.0, "beats/min"),
}
# The words people type (and see in messages) for each measurement
MEASUREMENT_WORDS = {"weight": "weight_kg", "temperature": "temperature_c", "bp": "systolic_bp", "pulse": "heart_rate"}
# What each measurement is called on screen, and a typical value (for hints and form examples)
MEASUREMENT_LABELS = {
    "weight_kg": ("Weight", "63.5"),
    "temperature_c": ("Temperature", "37.2"),
    "systolic_bp": ("Systolic blood pressure (only the upper number)", "120"),
    "heart_rate": ("Pulse", "72"),
}


def entry_out(row, *, day: PersonDay) -> EntryOut:
    """Flatten any journal row to an EntryOut (its time in the person's zone, its journal day)."""
    kind = KIND_OF_TABLE[type(row)]
    base = dict(id=row.id, kind=kind, at=row.at.astimezone(day.tz), day=day.of(row.at), entered_by=row.entered_by)
    if isinstance(row, DoseRow):
        return EntryOut(
            **base,
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
        return EntryOut(**base, item=row.scale_id, value=row.value)
    if isinstance(row, SideEffectRow):
        return EntryOut(**base, item=row.effect, value=row.severity, severity=row.severity, note=row.note)
    if isinstance(row, NoteRow):
        return EntryOut(**base, item="note", note=row.text)
    if isinstance(row, SymptomRow):
        return EntryOut(**base, item=row.symptom, note=row.note)
    if isinstance(row, MeasurementRow):
        return EntryOut(**base, item=row.kind, value=row.value, unit=MEASUREMENTS.get(row.kind, (0, 0, None))[2])
    return EntryOut(**base, item=row.scale_id, value=row.total)


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
    build: Callable[[Session, PersonRow, datetime], tuple[object, list[str]]],
    *,
    now: datetime | None,
    edit: tuple[str, int | None] = ("", None),
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
        new_alerts = alerts.refresh_alerts(session, person, now=now)
        out = entry_out(row, day=person_day(person))
        return LoggedOut(entry=out, warnings=warnings, alerts=new_alerts)


_KEEP_ON_EDIT = {"id", "person_id", "created_at", "deleted_at", "assessment_id"}


def _overwrite(session: Session, person: PersonRow, replace: tuple[str, int], new):
    kind, entry_id = replace
    table = TABLE_OF_KIND.get(kind)
    existing = row_by_id(session, table, entry_id) if table is not None else None
    if existing is None or existing.person_id != person.id or existing.deleted_at is not None:
        raise NotFound(f"No {kind.replace('_', ' ')} entry number {entry_id} to edit.")
    if type(new) is not table:
        raise InvalidInput("An entry cannot change its kind; delete it and add a new one.", field="kind")
    session.expunge(new) if new in session else None
    for column in table.__table__.columns:
        if column.key not in _KEEP_ON_EDIT:
            setattr(existing, column.key, getattr(new, column.key))
    if isinstance(new, DoseRow):
        existing.product = new.product
    return existing


def update_entry(db: Database, *, entry_kind: str, entry_id: int, now: datetime | None = None, **fields) -> LoggedOut:
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
    note: str | None = None,
    now: datetime | None = None,
    replace_id: int | None = None,
) -> LoggedOut:
    """Log a dose of a product: ``amount`` text ("5 drops") or ``quantity`` + ``unit``; mg are stored too."""
    who = validate_entered_by(entered_by)
    if note is not None:
        validate_note(note)

    def build(session: Session, person: PersonRow, now: datetime):
        prow = find_product(session, person.id, product)
        model = to_model(prow)
        if amount is not None:
            parsed = parse_amount(amount, model)
        elif quantity is not None and unit is not None:
            parsed = amount_of(quantity, unit, model)
        else:
            raise InvalidInput("Say how much, for example '5 drops'.", field="amount")
        unusual = check_plausible(parsed.thc_mg, parsed.cbd_mg, confirm_unusual=confirm_unusual)
        warnings = (
            [f"Stored with an 'unusual dose' flag: {parsed.thc_mg:g} mg THC, {parsed.cbd_mg:g} mg CBD."]
            if unusual
            else []
        )
        row = DoseRow(
            person_id=person.id,
            product_id=prow.id,
            product=prow,
            amount=parsed.quantity,
            unit=parsed.unit.value,
            thc_mg=parsed.thc_mg,
            cbd_mg=parsed.cbd_mg,
            unusual=unusual,
            note=note,
            mg_source=prow.potency_source,
            at=_when(person, at, now),
            entered_by=who,
        )
        return row, warnings

    return _write(db, build, now=now, edit=("dose", replace_id))


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
    who = validate_entered_by(entered_by)
    s = get_scale(scale)
    if s.multi_item:
        raise InvalidInput(f"{s.short} is entered item by item: dosewise log assessment {s.id} ...", field="scale")
    v = validate_score(s, _number(value, "score"))

    def build(session: Session, person: PersonRow, now: datetime):
        return RatingRow(person_id=person.id, scale_id=s.id, value=v, at=_when(person, at, now), entered_by=who), []

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
    who = validate_entered_by(entered_by)
    s = get_scale(scale)
    if not s.multi_item:
        raise InvalidInput(f"{s.short} is a single score: dosewise log rating {s.id} VALUE.", field="scale")
    scores = [_number(v, "item score") for v in items]
    total = validate_items(s, scores)

    def build(session: Session, person: PersonRow, now: datetime):
        when = _when(person, at, now)
        a = AssessmentRow(person_id=person.id, scale_id=s.id, items=scores, total=total, at=when, entered_by=who)
        session.add(a)
        session.flush()
        return RatingRow(
            person_id=person.id, scale_id=s.id, value=total, assessment_id=a.id, at=when, entered_by=who
        ), []

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
    who = validate_entered_by(entered_by)
    eid, sev = parse_side_effect(effect), parse_severity(severity)
    if note is not None:
        validate_note(note)

    def build(session: Session, person: PersonRow, now: datetime):
        return SideEffectRow(
            person_id=person.id, effect=eid, severity=sev.value, note=note, at=_when(person, at, now), entered_by=who
        ), []

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
    who, body = validate_entered_by(entered_by), validate_note(text)

    def build(session: Session, person: PersonRow, now: datetime):
        return NoteRow(person_id=person.id, text=body, at=_when(person, at, now), entered_by=who), []

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
    who, sid = validate_entered_by(entered_by), parse_symptom(symptom)
    if note is not None:
        validate_note(note)

    def build(session: Session, person: PersonRow, now: datetime):
        return SymptomRow(person_id=person.id, symptom=sid, note=note, at=_when(person, at, now), entered_by=who), []

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
    who = validate_entered_by(entered_by)
    key = kind.strip().lower().replace("-", "_")
    key = MEASUREMENT_WORDS.get(key, key)
    if key not in MEASUREMENTS:
        known = ", ".join(f"{word} ({MEASUREMENTS[k][2]})" for word, k in MEASUREMENT_WORDS.items())
        raise InvalidInput(f"Unknown measurement '{kind}'. Use one of: {known}.", field="kind")
    lo, hi, unit = MEASUREMENTS[key]
    label, example = MEASUREMENT_LABELS[key]
    try:
        v = _number(value, key)
    except InvalidInput:
        raise InvalidInput(
            f"{label} must be a number in {unit}, for example {example} (got '{value}').", field="value"
        ) from None
    if not lo <= v <= hi:
        raise InvalidInput(f"{label} must be between {lo:g} and {hi:g} {unit} (got {v:g}).", field="value")

    def build(session: Session, person: PersonRow, now: datetime):
        return MeasurementRow(person_id=person.id, kind=key, value=v, at=_when(person, at, now), entered_by=who), []

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
    if days < 1 or days > MAX_DAYS:
        raise InvalidInput(f"--days must be between 1 and {MAX_DAYS}.", field="days")
    now = now or now_utc()
    with db.read() as session:
        person = get_person_row(session)
        pday = person_day(person)
        start, _ = pday.bounds(pday.of(now) - timedelta(days=days - 1))
        rows = entries_between(session, person.id, start, None)
        by_day: dict = {}
        for row in rows:
            e = entry_out(row, day=pday)
            by_day.setdefault(e.day, []).append(e)
        mg = daily_mg((r for r in rows if isinstance(r, DoseRow)), pday)
        out_days = [
            JournalDayOut(
                day=d,
                entries=es,
                thc_mg=round(mg.get(d, DayMg()).thc_mg, 2),
                cbd_mg=round(mg.get(d, DayMg()).cbd_mg, 2),
            )
            for d, es in sorted(by_day.items(), reverse=True)
        ]
        return JournalOut(person=person.name, is_demo=person.is_demo, days=out_days)


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
        return entry_out(row, day=person_day(person))
