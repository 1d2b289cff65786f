"""Safety services for the edges: interaction checks (person and ad hoc) and alerts (list, check, acknowledge)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dosewise.errors import InvalidInput, NotFound
from dosewise.model.vocab import AlertLevel
from dosewise.safety.interactions import check
from dosewise.services import alerts, checks
from dosewise.services.runtime import get_person_row, now_utc
from dosewise.services.safety_schemas import AlertOut, CheckOut
from dosewise.store import alerts as stored
from dosewise.store.db import Database
from dosewise.store.rows import row_by_id
from dosewise.store.tables import AlertRow, PersonRow

CANNABINOID_CHOICES = {"cbd": {"cbd"}, "thc": {"thc"}, "both": {"cbd", "thc"}}


def check_medicines(names: list[str], *, cannabinoid: str = "both", smoked: bool = False) -> CheckOut:
    """Check medicine ``names`` ad hoc against cbd | thc | both (and smoke if ``smoked``); no database needed."""
    key = cannabinoid.strip().lower()
    if key not in CANNABINOID_CHOICES:
        raise InvalidInput(f"Cannabinoid must be cbd, thc or both (got '{cannabinoid}').", field="cannabinoid")
    cleaned = [n.strip() for n in names if n and n.strip()]
    if not cleaned:
        raise InvalidInput("Name at least one medicine, for example --med baclofen.", field="med")
    if any(len(n) > 120 for n in cleaned):
        raise InvalidInput("A medicine name can be at most 120 characters.", field="med")
    chosen = CANNABINOID_CHOICES[key]
    return CheckOut.of(check(cleaned, cannabinoids=chosen, smoked=smoked), cannabinoids=chosen, smoked=smoked)


def check_person(db: Database) -> CheckOut:
    """Check the person's current medicines against the cannabinoids and routes of their products."""
    with db.read() as session:
        person = get_person_row(session)
        return checks.findings_for_person(session, person)


def list_alerts(db: Database, *, include_acknowledged: bool = False) -> list[AlertOut]:
    """Return the stored alerts, urgent first, newest first. Reads only: the rules run on every write."""
    with db.read() as session:
        return _alerts_out(session, get_person_row(session), include_acknowledged=include_acknowledged)


def check_alerts(db: Database, *, include_acknowledged: bool = False, now: datetime | None = None) -> list[AlertOut]:
    """Run the red-flag rules now (an explicit check), then return the alerts as ``list_alerts`` does."""
    now = now or now_utc()
    with db.transaction() as session:
        person = get_person_row(session)
        alerts.refresh_alerts(session, person, now=now)
        return _alerts_out(session, person, include_acknowledged=include_acknowledged)


def _alerts_out(session: Session, person: PersonRow, *, include_acknowledged: bool) -> list[AlertOut]:
    rows = sorted(
        stored.alerts(session, person.id, open_only=not include_acknowledged),
        key=lambda r: (AlertLevel(r.level).rank, -r.first_seen.timestamp(), -r.id),
    )
    return [alerts.alert_out(r) for r in rows]


def acknowledge_alerts(
    db: Database, *, alert_id: int | None = None, all_: bool = False, now: datetime | None = None
) -> list[AlertOut]:
    """Acknowledge one alert (by id) or all open ones; return the alerts acknowledged."""
    if (alert_id is None) == (not all_):
        raise InvalidInput("Give one alert id, or --all to acknowledge every open alert.", field="id")
    now = now or now_utc()
    with db.transaction() as session:
        person = get_person_row(session)
        if alert_id is not None:
            row = row_by_id(session, AlertRow, alert_id)
            if row is None or row.person_id != person.id:
                raise NotFound(f"No alert with id {alert_id}. See 'dosewise alerts'.")
            if row.acknowledged_at is not None:
                return [alerts.alert_out(row)]
            rows = [row]
        else:
            rows = list(stored.alerts(session, person.id, open_only=True))
        for r in rows:
            r.acknowledged_at = now
        session.flush()
        return [alerts.alert_out(r) for r in rows]
