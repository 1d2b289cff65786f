"""What every page shows around its content: who, demo label, and urgent alerts until acknowledged."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from pydantic import BaseModel
from starlette.requests import Request

from dosewise.errors import NoPerson
from dosewise.services import people, today
from dosewise.services.runtime import Database, open_database  # Database: the type services take
from dosewise.services.safety_schemas import AlertOut

WHO_COOKIE = "dosewise_by"  # who is entering data on this browser: "person" or "caregiver" (not a secret)


def who_is_entering(request: Request) -> str:
    """Return "caregiver" when this browser said so on the Today page, else "person"."""
    return "caregiver" if request.cookies.get(WHO_COOKIE) == "caregiver" else "person"


class FrameOut(BaseModel):
    person_name: str | None
    is_demo: bool
    urgent_alerts: list[AlertOut]
    open_alerts: int = 0  # unacknowledged alerts of any level (shown next to "Alerts")


def get_db(request: Request) -> Database:
    """The database named by the app's settings (cached per URL, migrated on first use)."""
    return open_database(request.app.state.settings)


DbDep = Annotated[Database, Depends(get_db)]


def frame(db: Database) -> FrameOut:
    """Return the page frame; with nobody set up yet it is empty rather than an error."""
    try:
        person = people.get_person(db)
    except NoPerson:
        return FrameOut(person_name=None, is_demo=False, urgent_alerts=[])
    return FrameOut(
        person_name=person.name,
        is_demo=person.is_demo,
        urgent_alerts=today.urgent_alerts(db),
        open_alerts=today.open_alert_count(db),
    )
