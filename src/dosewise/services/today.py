"""Read-only views the web app needs that no other service provides: the Today summary, entries, alerts.

Everything here reads; writes go through the journal, products, medicines and alerts services.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dosewise.errors import InvalidInput, NotFound
from dosewise.model.journal import side_effects
from dosewise.model.scales import get_scale
from dosewise.model.units import format_quantity
from dosewise.services import alerts
from dosewise.services.journal import entry_out
from dosewise.services.journal_schemas import AlertOut
from dosewise.services.people import person_out
from dosewise.services.runtime import get_person_row, now_utc, person_day
from dosewise.services.schemas import EntryOut, PersonOut
from dosewise.store.db import Database
from dosewise.store.journal_queries import TABLE_OF_KIND, entries_between, live
from dosewise.store.rows import row_by_id
from dosewise.store.tables import AlertRow, DoseRow

QUICK_SIDE_EFFECTS = 6  # how many side-effect toggles the Today page shows (vocabulary order)


class ScaleOut(BaseModel):
    id: str
    name: str
    short: str
    min: float
    max: float
    integer: bool
    lower_is_better: bool
    low_label: str | None
    high_label: str | None
    choices: list[int]  # the buttons to show (empty: the scale needs a number box)


class UsualDoseOut(BaseModel):
    """The dose the one-tap button logs: the plan's next dose when a plan exists (set by the caller), else the
    last dose logged."""

    product: str
    quantity: float
    unit: str
    amount_text: str
    source: str  # "plan" or "last dose"


class ToggleOut(BaseModel):
    id: str
    label: str
    logged_today: bool
    entry_id: int | None


class TodaySummaryOut(BaseModel):
    person: PersonOut
    day: date
    scale: ScaleOut
    ratings_today: list[EntryOut]
    doses_today: list[EntryOut]
    entries_today: int
    usual_dose: UsualDoseOut | None
    side_effects: list[ToggleOut]


def scale_out(scale_id: str) -> ScaleOut:
    """Describe a scale for a form: its range, end labels and the buttons (0-10 scales get 11)."""
    s = get_scale(scale_id)
    small = s.integer and not s.multi_item and (s.max - s.min) <= 10
    return ScaleOut(
        id=s.id,
        name=s.name,
        short=s.short,
        min=s.min,
        max=s.max,
        integer=s.integer,
        lower_is_better=s.lower_is_better,
        low_label=s.anchors.get(s.min),
        high_label=s.anchors.get(s.max),
        choices=list(range(int(s.min), int(s.max) + 1)) if small else [],
    )


def today_summary(db: Database, *, now: datetime | None = None) -> TodaySummaryOut:
    """Return what the Today page shows for the current journal day (times in the person's zone)."""
    now = now or now_utc()
    with db.read() as session:
        person = get_person_row(session)
        pday = person_day(person)
        day = pday.of(now)
        start, end = pday.bounds(day)
        entries = [entry_out(r, day=pday) for r in entries_between(session, person.id, start, end)]
        usual = _last_dose(session, person.id)
        logged = {e.item: e.id for e in entries if e.kind == "side_effect"}
        toggles = [
            ToggleOut(id=k, label=v["label"], logged_today=k in logged, entry_id=logged.get(k))
            for k, v in list(side_effects().items())[:QUICK_SIDE_EFFECTS]
        ]
        return TodaySummaryOut(
            person=person_out(person),
            day=day,
            scale=scale_out(person.primary_scale),
            ratings_today=[e for e in entries if e.kind == "rating" and e.item == person.primary_scale],
            doses_today=[e for e in entries if e.kind == "dose"],
            entries_today=len(entries),
            usual_dose=usual,
            side_effects=toggles,
        )


def _last_dose(session: Session, person_id: int) -> UsualDoseOut | None:
    row = session.scalars(select(DoseRow).where(live(DoseRow, person_id)).order_by(DoseRow.at.desc()).limit(1)).first()
    if row is None or row.product.archived:
        return None
    return UsualDoseOut(
        product=row.product.name,
        quantity=row.amount,
        unit=row.unit,
        amount_text=format_quantity(row.amount, row.unit),
        source="last dose",
    )


def get_entry(db: Database, *, kind: str, entry_id: int, include_deleted: bool = False) -> EntryOut:
    """Return one journal entry of the person (for the edit form and the Undo offer)."""
    table = TABLE_OF_KIND.get(kind)
    if table is None or kind == "assessment":
        raise InvalidInput(f"Unknown entry kind '{kind}'.", field="kind")
    with db.read() as session:
        person = get_person_row(session)
        row: Any = row_by_id(session, table, entry_id)
        if row is None or row.person_id != person.id or (row.deleted_at is not None and not include_deleted):
            raise NotFound(f"No {kind.replace('_', ' ')} entry number {entry_id}.")
        return entry_out(row, day=person_day(person))


def urgent_alerts(db: Database) -> list[AlertOut]:
    """Return the urgent, unacknowledged alerts shown as a banner on every page."""
    with db.read() as session:
        return alerts.urgent_unacknowledged(session, get_person_row(session).id)


def open_alert_count(db: Database) -> int:
    """Return how many of the person's alerts are not yet acknowledged (any level)."""
    with db.read() as session:
        person = get_person_row(session)
        return (
            session.scalar(
                select(func.count())
                .select_from(AlertRow)
                .where(AlertRow.person_id == person.id, AlertRow.acknowledged_at.is_(None))
            )
            or 0
        )
