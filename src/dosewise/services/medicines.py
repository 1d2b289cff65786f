"""The person's other medicines (checked against their cannabinoids by the safety engine)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.errors import AlreadyExists, InvalidInput, NotFound
from dosewise.model.inputs import check_text
from dosewise.services import alerts, checks
from dosewise.services.runtime import get_person_row, now_utc, zone
from dosewise.services.safety_schemas import CheckOut
from dosewise.services.schemas import MedicineOut
from dosewise.store.db import Database
from dosewise.store.medicines import current_medicines
from dosewise.store.medicines import medicines as stored_medicines
from dosewise.store.rows import row_by_id
from dosewise.store.tables import MedicineRow


def medicine_out(row: MedicineRow) -> MedicineOut:
    return MedicineOut(
        id=row.id, name=row.name, drug_id=row.drug_id, dose_text=row.dose_text, started=row.started, stopped=row.stopped
    )


def add_medicine(
    db: Database, *, name: str, dose_text: str | None = None, since: date | None = None, today: date | None = None
) -> tuple[MedicineOut, CheckOut]:
    """Add a medicine; return it with the interaction check re-run for the person.

    ``today`` defaults to the person's own calendar date (a later start is in the future).
    """
    name = _checked_name(name)
    _check_dose(dose_text)
    with db.transaction() as session:
        person = get_person_row(session)
        if since is not None and since > (today or now_utc().astimezone(zone(person.timezone)).date()):
            raise InvalidInput("The start date is in the future.", field="since")
        _refuse_duplicate(session, person.id, name)
        row = MedicineRow(
            person_id=person.id, name=name, drug_id=checks.resolve_drug_id(name), dose_text=dose_text, started=since
        )
        session.add(row)
        session.flush()
        alerts.refresh_alerts(session, person, now=now_utc())  # rules for this medicine apply from now
        return medicine_out(row), checks.findings_for_person(session, person, only_names=[name])


def _checked_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 120:
        raise InvalidInput("A medicine needs a name of 1 to 120 characters.", field="name")
    return check_text(name, field="name", one_line=True)


def _check_dose(dose_text: str | None) -> None:
    if dose_text is not None and len(dose_text) > 200:
        raise InvalidInput("The dose description can be at most 200 characters.", field="dose")


def edit_medicine(
    db: Database,
    *,
    medicine_id: int,
    name: str | None = None,
    dose_text: str | None = None,
    since: date | None = None,
    today: date | None = None,
) -> tuple[MedicineOut, CheckOut]:
    """Change a current medicine's name, dose or start date; return it with its interaction findings.

    ``None`` leaves a field as it is; a blank ``dose_text`` clears the dose. A new name is looked up in the
    drug list again. ``today`` defaults to the person's own calendar date (a later start is in the future).
    """
    if name is None and dose_text is None and since is None:
        raise InvalidInput("Nothing to change: give a new name, dose or start date.")
    name = None if name is None else _checked_name(name)
    dose_text = None if dose_text is None else dose_text.strip()
    _check_dose(dose_text)
    with db.transaction() as session:
        person = get_person_row(session)
        row = row_by_id(session, MedicineRow, medicine_id)
        if row is None or row.person_id != person.id or row.stopped is not None:
            raise NotFound(f"No current medicine number {medicine_id}. See 'dosewise med list'.")
        if since is not None:
            if since > (today or now_utc().astimezone(zone(person.timezone)).date()):
                raise InvalidInput("The start date is in the future.", field="since")
            row.started = since
        if name is not None and name != row.name:
            if name.casefold() != row.name.casefold():
                _refuse_duplicate(session, person.id, name)
            row.name, row.drug_id = name, checks.resolve_drug_id(name)
        if dose_text is not None:
            row.dose_text = dose_text or None
        session.flush()
        alerts.refresh_alerts(session, person, now=now_utc())
        return medicine_out(row), checks.findings_for_person(session, person, only_names=[row.name])


def _refuse_duplicate(session: Session, person_id: int, name: str) -> None:
    """Refuse a second current entry of the same medicine: 'med stop' would then stop only one of them."""
    current = current_medicines(session, person_id)
    for row in current:
        if row.name.casefold() == name.casefold():
            since = f" (since {row.started})" if row.started else ""
            raise AlreadyExists(
                f"{row.name} is already on your list{since}. To change its name, dose or start "
                f"date, edit it ('dosewise med edit {row.name}').",
                field="name",
            )


def stop_medicine(
    db: Database,
    *,
    name: str | None = None,
    medicine_id: int | None = None,
    on: date | None = None,
    today: date | None = None,
) -> MedicineOut:
    """Mark a current medicine (by its number, or by its name) as stopped on ``on`` (default today; not in the
    future, not before it started).

    A future stop date would hide the medicine's interactions while it is still being taken.
    ``today`` defaults to the person's own calendar date.
    """
    with db.transaction() as session:
        person = get_person_row(session)
        today = today or now_utc().astimezone(zone(person.timezone)).date()
        on = on or today
        if on > today:
            raise InvalidInput(
                f"The stop date {on} is in the future. Stop a medicine on the day you stop taking "
                "it, so it is checked for interactions until then.",
                field="on",
            )
        row = _pick(current_medicines(session, person.id), name=name, medicine_id=medicine_id, kind="current")
        if row.started is not None and on < row.started:
            raise InvalidInput(
                f"{row.name} was started on {row.started}, so it cannot have stopped on {on}. Check the date.",
                field="on",
            )
        row.stopped = on
        session.flush()
        alerts.refresh_alerts(session, person, now=now_utc())
        return medicine_out(row)


def restart_medicine(db: Database, *, name: str | None = None, medicine_id: int | None = None) -> MedicineOut:
    """Undo 'stopped': the stopped medicine with this number (or the only stopped one with this name) is current
    again.

    Refused when the same medicine is already current (it would be listed twice), and when several stopped
    medicines have the name (the error lists their numbers).
    """
    with db.transaction() as session:
        person = get_person_row(session)
        row = _pick(_stopped(session, person.id), name=name, medicine_id=medicine_id, kind="stopped")
        _refuse_duplicate(session, person.id, row.name)
        row.stopped = None
        return medicine_out(row)


def pick_medicine(
    db: Database, *, name: str | None = None, medicine_id: int | None = None, stopped: bool = False
) -> MedicineOut:
    """Return the current (or, with ``stopped``, the stopped) medicine with this number or this name.

    A name shared by several of them is refused with the choices and their numbers (as ``dosewise med list``
    shows them), rather than picking one.
    """
    with db.read() as session:
        person = get_person_row(session)
        rows = _stopped(session, person.id) if stopped else current_medicines(session, person.id)
        kind = "stopped" if stopped else "current"
        return medicine_out(_pick(rows, name=name, medicine_id=medicine_id, kind=kind))


def _stopped(session: Session, person_id: int) -> Sequence[MedicineRow]:
    """The person's stopped medicines, the latest stopped first."""
    return session.scalars(
        select(MedicineRow)
        .where(MedicineRow.person_id == person_id, MedicineRow.stopped.is_not(None))
        .order_by(MedicineRow.stopped.desc(), MedicineRow.id.desc())
    ).all()


def _pick(rows: Sequence[MedicineRow], *, name: str | None, medicine_id: int | None, kind: str) -> MedicineRow:
    """Return the one row with ``medicine_id``, else the one named ``name`` (case-insensitive).

    NotFound when there is none; InvalidInput listing the choices when the name is shared.
    """
    listing = "dosewise med list" + (" --all" if kind == "stopped" else "")
    if medicine_id is not None:
        found = [r for r in rows if r.id == medicine_id]
        if not found:
            raise NotFound(f"No {kind} medicine number {medicine_id}. See '{listing}'.")
        return found[0]
    wanted = (name or "").strip().casefold()
    found = [r for r in rows if r.name.casefold() == wanted]
    if not found:
        raise NotFound(f"No {kind} medicine called '{name}'. See '{listing}'.")
    if len(found) > 1:
        choices = "; ".join(f"number {r.id}: {r.name}{_dates(r)}" for r in found)
        raise InvalidInput(
            f"More than one {kind} medicine is called '{name}' ({choices}). Give its number instead.",
            field="medicine",
        )
    return found[0]


def _dates(row: MedicineRow) -> str:
    started = f"since {row.started}" if row.started else ""
    stopped = f"stopped {row.stopped}" if row.stopped else ""
    both = ", ".join(w for w in (started, stopped) if w)
    return f" ({both})" if both else ""


def list_medicines(db: Database, *, include_stopped: bool = False) -> list[MedicineOut]:
    """Return the person's medicines (current ones unless ``include_stopped``)."""
    with db.read() as session:
        person = get_person_row(session)
        return [medicine_out(r) for r in stored_medicines(session, person.id, include_stopped=include_stopped)]
