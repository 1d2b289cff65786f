"""Reminders: today's reminders with Taken / Skipped / Snooze 30 min, and the person's reminder settings.

Reminders are named by their short id ("1121-d0900", from the day, the kind and the local time), never by a
database id; the page labels them by their place in the list. ``/static/reminders.js`` polls the JSON twin
and shows due reminders as browser notifications while a page is open.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from dosewise.services import reminders
from dosewise.services.reminder_schemas import ReminderSettingsOut, RemindersOut
from dosewise.web.api_docs import WHEN_WHO, fields
from dosewise.web.frame import DbDep, FrameOut, frame, get_db, who_is_entering
from dosewise.web.rendering import done, expect_form, form_input, optional, respond

router = APIRouter(tags=["reminders"])
KINDS = ("dose", "check-in", "after-dose-rating", "review", "missed")
ROUTES = ("inhaled", "oromucosal", "oral")


class RemindersPage(BaseModel):
    frame: FrameOut
    reminders: RemindersOut
    settings: ReminderSettingsOut
    entered_by: str
    saved: str | None  # taken | skipped | snooze | done | settings


def build_reminders(request: Request) -> RemindersPage:
    db = get_db(request)
    return RemindersPage(
        frame=frame(db),
        reminders=reminders.list_reminders(db),
        settings=reminders.get_settings(db),
        entered_by=who_is_entering(request),
        saved=request.query_params.get("saved"),
    )


@router.get("/reminders", response_model=RemindersPage)
def reminders_page(request: Request) -> Response:
    """Today's reminders (due, done, skipped, snoozed, withdrawn with why) and the reminder settings."""
    return respond(request, "reminders.html", build_reminders(request))


@router.post(
    "/reminders/answer",
    openapi_extra=fields(
        {"reminder": "The reminder's id as listed (for example 1121-d0900).", "answer": "taken, skipped or snooze"},
        {"entered_by": WHEN_WHO["entered_by"], "confirm_repeat": "yes: a second dose within two minutes is meant"},
    ),
)
async def answer(request: Request, db: DbDep) -> Response:
    """Answer a reminder: taken (a dose is logged as planned, with the double-dose guard), skipped or snooze."""
    data = await form_input(request)
    expect_form(request, "answer", "reminders.html", build_reminders, data)
    what = optional(data, "answer") or ""
    out = await run_in_threadpool(
        lambda: reminders.answer_reminder(
            db,
            reminder_id=optional(data, "reminder") or "",
            answer=what,
            channel="notification" if data.get("channel") == "notification" else "web",
            entered_by=data.get("entered_by", "person"),
            confirm_repeat=data.get("confirm_repeat") == "yes",
        )
    )
    return done(request, out, f"/reminders?saved={out.answer}#r-{out.reminder.position}", status=200)


def _settings_fields() -> dict[str, str]:
    names = {f"on_{k}": "on (or true) turns the kind on, anything else off; missing: unchanged" for k in KINDS}
    names["kinds_shown"] = "yes (forms): every on_<kind> missing is off"
    names |= {f"after_{r}": f"minutes before the score after a {r} dose (empty = off)" for r in ROUTES}
    return names | {"quiet_start": "HH:MM", "quiet_end": "HH:MM", "checkin_at": "HH:MM"}


def _kinds(data: dict[str, str]) -> dict[str, bool] | None:
    """Kinds on and off: the form says it showed its checkboxes (an unticked box sends nothing); JSON names some."""
    if data.get("kinds_shown") == "yes":
        return {k: data.get(f"on_{k}") == "on" for k in KINDS}
    return {k: data[f"on_{k}"] in ("on", "true", "yes") for k in KINDS if f"on_{k}" in data}


@router.post("/reminders/settings", openapi_extra=fields({}, _settings_fields()))
async def save_settings(request: Request, db: DbDep) -> Response:
    """Save the reminder settings: kinds on (checkboxes ``on_<kind>``), quiet hours, check-in time, waits."""
    data = await form_input(request)
    expect_form(request, "settings", "reminders.html", build_reminders, data)
    out = await run_in_threadpool(
        lambda: reminders.set_settings(
            db,
            kinds=_kinds(data),
            quiet_start=optional(data, "quiet_start"),
            quiet_end=optional(data, "quiet_end"),
            checkin_at=optional(data, "checkin_at"),
            after_dose_minutes={r: data[f"after_{r}"] for r in ROUTES if f"after_{r}" in data},
        )
    )
    return done(request, out, "/reminders?saved=settings#settings", status=200)
