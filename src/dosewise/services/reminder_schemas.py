"""What the reminders service returns: one reminder, a day's list, the person's settings, an answer."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from dosewise.services.schemas import LoggedOut


class ReminderOut(BaseModel):
    id: str  # short and stable: "1121-d0900" (month-day, kind letter, local time); never a database id
    position: int  # 1-based place in the day's list (what the web page labels with)
    kind: str  # dose | check-in | after-dose-rating | review | missed
    kind_label: str
    state: str  # due | done | skipped | snoozed | withdrawn
    state_label: str
    day: date
    due: datetime  # in the person's time zone
    due_time: str  # "09:00", local
    what: str  # what it is for, in plain words
    why: str | None  # why it is withdrawn or waits
    quiet: bool  # in quiet hours: listed, never sent
    open: bool  # can still be answered (due or snoozed)
    due_now: bool  # due (and not quiet) at this moment
    product: str | None = None
    amount_text: str | None = None


class RemindersOut(BaseModel):
    day: date
    now: datetime  # in the person's time zone
    reminders: list[ReminderOut]
    due_now: int  # how many are due at this moment
    recipients: list[str]  # who receives them: the person, and how many caregivers have access


class ReminderSettingsOut(BaseModel):
    kinds: dict[str, bool]  # kind -> on
    quiet_start: str  # "22:00", local
    quiet_end: str
    checkin_at: str
    after_dose_minutes: dict[str, int | None]  # route -> minutes the person chose (None: no score reminder)
    onset_note: str  # why the wait after a dose is the person's choice


class AnsweredOut(BaseModel):
    reminder: ReminderOut
    answer: str  # taken | done | skipped | snooze
    channel: str  # cli | web | notification
    logged: LoggedOut | None = None  # the dose a "taken" logged


class DeliveredOut(BaseModel):
    reminders: list[ReminderOut]  # delivered now (marked sent)
    recipients: list[str]
