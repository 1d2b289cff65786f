"""Who entered each journal entry and plan event: stamped in one place for every door (forms, API, CLI, imports).

A handle made with ``Database.acting_as(role, account)`` carries who acts in its sessions' ``info``: ``account``
is the signed-in account's email, "command line" or "this computer"; ``role`` the account's role for the person
(person | caregiver | clinician), or None without an account. A ``before_flush`` hook then sets, on every NEW
journal row and plan event, ``entered_by_account`` (unless the service set it) and, when an account is signed
in, ``entered_by`` to the account's role: the account is the truth, whatever a form posted. Without an account
``entered_by`` stays what the service was given (the "who is logging" choice of the browser, ``--by``).
A CSV import keeps what its file says (``keep_authors``); a restore writes rows without the ORM.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from dosewise.store.tables import JOURNAL_TABLES, PlanEventRow

ACTOR_KEY = "actor"  # session.info: (role | None, account) of whoever acts (set by Database.acting_as)
KEEP_KEY = "keep_authors"  # session.info: True while rows that say who entered them are written (CSV import)
STAMPED = (*JOURNAL_TABLES, PlanEventRow)


def keep_authors(session: Session) -> None:
    """Rows added in this session keep the entered_by / entered_by_account they were given (an import)."""
    session.info[KEEP_KEY] = True


def signed_in(session: Session) -> bool:
    """True when the session acts for a signed-in account (whose role is the truth of who enters)."""
    actor = session.info.get(ACTOR_KEY)
    return actor is not None and actor[0] is not None


def _stamp(session: Session, _context: Any, _instances: Any) -> None:
    actor = session.info.get(ACTOR_KEY)
    if actor is None or session.info.get(KEEP_KEY):
        return
    role, account = actor
    for row in session.new:
        if isinstance(row, STAMPED):
            if row.entered_by_account is None:
                row.entered_by_account = account
            if role is not None:
                row.entered_by = role


def install(session_class: Any) -> None:
    """Install the hook on a sessionmaker (or Session class); idempotent (marked on the object: SQLAlchemy's
    ``event.contains`` answers by ``id()``, which a new sessionmaker may share with a collected one)."""
    if getattr(session_class, _INSTALLED, False):
        return
    event.listen(session_class, "before_flush", _stamp)
    setattr(session_class, _INSTALLED, True)


_INSTALLED = "_dosewise_authorship"
