"""The reminder scheduler: deliver due reminders as desktop notifications (``notify-send``) or a printed line.

Used by ``dosewise remind --daemon`` and by ``dosewise serve`` (a background thread). Each round asks the
reminders service which reminders are due and marks them sent in the same transaction, so a restart neither
loses a reminder (an unsent due one is sent on the next round) nor repeats one (a sent one is not sent again
until it is snoozed and falls due again). Times come from ``dosewise.clock`` through the service.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Callable

from dosewise.errors import DosewiseError
from dosewise.services import reminders
from dosewise.services.reminder_schemas import ReminderOut
from dosewise.services.runtime import Database

ROUND_SECONDS = 30.0


def desktop_notify(r: ReminderOut, who: str = "") -> bool:
    """Show ``r`` as a desktop notification if ``notify-send`` is installed; return whether it was shown."""
    exe = shutil.which("notify-send")
    if exe is None:
        return False
    title = f"Dosewise: {r.kind_label} ({r.due_time})" + (f" for {who}" if who else "")
    try:
        subprocess.run([exe, "--app-name=Dosewise", title, r.what], check=False, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return True


def deliver_round(db: Database, show: Callable[[ReminderOut], None], *, desktop: bool) -> list[ReminderOut]:
    """Deliver what is due now for every person: a desktop notification when possible, and ``show`` (a printed
    line) always."""
    try:
        rounds = reminders.deliver_due_everyone(db)
    except DosewiseError:
        return []  # nobody set up yet: nothing to remind
    several = len(rounds) > 1
    delivered: list[ReminderOut] = []
    for out in rounds:
        for r in out.reminders:
            if desktop:
                desktop_notify(r, ", ".join(out.recipients) if several else "")
            show(r)
            delivered.append(r)
    return delivered


def run(
    db: Database,
    show: Callable[[ReminderOut], None],
    *,
    stop: threading.Event,
    desktop: bool = True,
    every: float = ROUND_SECONDS,
) -> None:
    """Deliver due reminders every ``every`` seconds until ``stop`` is set."""
    while not stop.is_set():
        try:
            deliver_round(db, show, desktop=desktop)
        except Exception:  # noqa: BLE001 - a busy database must not end the reminders: try again next round
            pass
        stop.wait(every)


def start_background(db: Database, show: Callable[[ReminderOut], None]) -> threading.Event:
    """Run the scheduler in a daemon thread (for ``dosewise serve``); set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=run, args=(db, show), kwargs={"stop": stop}, name="dosewise-reminders", daemon=True).start()
    return stop
