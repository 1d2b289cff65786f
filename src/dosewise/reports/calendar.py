"""Calendar reminders (iCalendar .ics) for a titration plan: one event per planned dose, plus review points.

Times are the person's local times (floating times in the calendar's zone, given as TZID). Each event
says the amount in the product's own units and the mg THC / CBD it contains.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dosewise.services.choices import one_line
from dosewise.services.safety_schemas import PlanOut

if TYPE_CHECKING:
    from icalendar import Event

PRODID = "-//Dosewise//Titration plan//EN"
DOSE_MINUTES = 10


def plan_to_ics(
    plan: PlanOut, *, timezone: str = "UTC", from_date: date | None = None, days: int | None = None
) -> bytes:
    """Return the plan as iCalendar bytes: dose reminders (with a 0-minute alarm) and review reminders."""
    from icalendar import Calendar  # loaded by a calendar download, not at start-up

    tz = ZoneInfo(timezone)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    product = one_line(plan.product)  # names saved before line breaks were refused may still hold one
    cal.add("x-wr-calname", f"Dosewise plan: {product}")
    chosen = [d for d in plan.days if from_date is None or d.date >= from_date]
    for day in chosen[:days] if days else chosen:
        for i, dose in enumerate(day.doses):
            hh, mm = (int(x) for x in dose.time.split(":"))
            start = datetime.combine(day.date, time(hh, mm), tzinfo=tz)
            unit = dose.unit + ("" if dose.amount == 1 else "s")
            summary = f"{product}: {dose.amount} {unit} ({dose.thc_mg:g} mg THC, {dose.cbd_mg:g} mg CBD)"
            desc = (
                f"Plan day {day.date.isoformat()}, step {day.step + 1}. Today's total: "
                f"{day.thc_mg_per_day:g} mg THC, {day.cbd_mg_per_day:g} mg CBD (ceiling "
                f"{plan.ceiling.thc_mg_per_day:g} mg THC a day). Log the dose in Dosewise."
            )
            if day.note:
                desc += " " + one_line(day.note)
            cal.add_component(
                _event(
                    f"plan{plan.id}-{day.date.isoformat()}-{i}@dosewise",
                    start,
                    start + timedelta(minutes=DOSE_MINUTES),
                    summary,
                    desc,
                    alarm=True,
                )
            )
    for r in plan.reviews:
        start = datetime.combine(r.date, time(10, 0), tzinfo=tz)
        cal.add_component(
            _event(
                f"plan{plan.id}-review-{r.kind}-{r.date.isoformat()}@dosewise",
                start,
                start + timedelta(minutes=30),
                f"Dosewise review: {r.kind}",
                one_line(r.what),
                alarm=True,
            )
        )
    cal.add_missing_timezones()  # VTIMEZONE for the person's zone, so local dose times survive import
    return cal.to_ical()


def _event(uid: str, start: datetime, end: datetime, summary: str, description: str, *, alarm: bool) -> Event:
    from icalendar import Alarm, Event

    ev = Event()
    ev.add("uid", uid)
    ev.add("dtstamp", datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC")))
    ev.add("dtstart", start)
    ev.add("dtend", end)
    ev.add("summary", summary)
    ev.add("description", description)
    if alarm:
        al = Alarm()
        al.add("action", "DISPLAY")
        al.add("description", summary)
        al.add("trigger", timedelta(minutes=0))
        ev.add_component(al)
    return ev
