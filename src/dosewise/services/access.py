"""Which person a web request acts for, and whether it may: the one place a request's scope is decided.

A request names its person with ``?person=ID`` (remembered by the browser in a cookie); without one it acts
for the account's own person, or the only person in the database. A person the request may not see is
NotFound (404), exactly like a person who does not exist, so an id reveals nothing.

With no account in the database (a laptop, loopback only) every person is visible, as before accounts
existed.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, or_, select, true

from dosewise.errors import NotAllowed, NotFound, PersonNotChosen
from dosewise.model.inputs import is_id
from dosewise.services.auth import AccountOut
from dosewise.services.runtime import now_utc
from dosewise.store.db import Database
from dosewise.store.tables import GrantRow, PersonRow


class PersonChoiceOut(BaseModel):
    """A person whose journal may be opened: ``/today?person=ID`` opens it."""

    id: int
    name: str
    is_demo: bool
    current: bool


NOT_YOURS = "There is no such person here (or their journal is not shared with you)."


def request_scope(
    db: Database, *, asked: str | None, remembered: str | None, account: AccountOut | None = None
) -> Database:
    """Return ``db`` scoped to the person this request acts for (unscoped only while nobody is set up and
    no account is signed in).

    ``asked`` is the request's ``?person=`` (wrong or not visible: NotFound); ``remembered`` the browser's
    earlier choice (ignored when no longer visible). A signed-in ``account`` sees its own person and the
    people who share their journal with it now (grants are read on every request: a revocation counts at
    once); without one (no account exists: this machine only) every person is visible.
    """
    plain = db.for_everyone()  # choosing whose journal to open reads across people (then narrowed)
    if asked is not None:
        chosen = _parse_id(asked)
        if chosen is None or not _may_see(plain, chosen, account):
            raise NotFound(NOT_YOURS, field="person")
        return plain.for_person(chosen)
    remembered_id = _parse_id(remembered)
    if remembered_id is not None and _may_see(plain, remembered_id, account):
        return plain.for_person(remembered_id)
    if account is not None:
        return plain.for_person(_account_default(plain, account))
    with plain.read() as session:
        first_two = session.scalars(select(PersonRow.id).order_by(PersonRow.id).limit(2)).all()
    if not first_two:
        return db.unscoped()  # nobody set up yet: the first person is created through this handle
    if len(first_two) == 1:
        return plain.for_person(first_two[0])
    raise PersonNotChosen(
        "Several people keep their journal here. Choose whose journal to open on the People page (/people)."
    )


def people_to_choose(db: Database, account: AccountOut | None = None) -> list[PersonChoiceOut]:
    """The people whose journal this request may open, oldest first (for the People page)."""
    query = select(PersonRow.id, PersonRow.name, PersonRow.is_demo).where(_choosable(account)).order_by(PersonRow.id)
    with db.for_everyone().read() as session:  # every person, narrowed to the account's own and granted ones
        rows = session.execute(query)
        return [PersonChoiceOut(id=i, name=n, is_demo=d, current=i == db.person_id) for i, n, d in rows]


def several_to_choose(db: Database, account: AccountOut | None = None) -> bool:
    """True when this request may open more than one person's journal (every page then offers "Change
    person"): a caregiver with one grant has nobody to change to, however many people the database holds."""
    with db.for_everyone().read() as session:  # narrowed to the account's own and granted ones (_choosable)
        return len(session.scalars(select(PersonRow.id).where(_choosable(account)).limit(2)).all()) > 1


def _choosable(account: AccountOut | None) -> ColumnElement[bool]:
    """The people ``account`` may open (everyone without an account: this machine only)."""
    if account is None:
        return true()
    return PersonRow.id.in_(_visible_ids(account, now_utc().date()))


def granted_role(db: Database, account: AccountOut | None) -> str | None:
    """The role the account acts in for ``db``'s person: its own role on its own person ("person"), the
    grant's role (caregiver | clinician), or None without an account (this machine only: full access)."""
    if account is None or db.person_id is None:
        return None
    if account.person_id == db.person_id:
        return "person"
    with db.unscoped().read() as session:
        role = session.scalar(
            select(GrantRow.role).where(*_live_grant(account.id, now_utc().date()), GrantRow.person_id == db.person_id)
        )
    if role is None:
        raise NotFound(NOT_YOURS, field="person")
    return role


def _live_grant(account_id: int, today: date) -> tuple[ColumnElement[bool], ...]:
    return (
        GrantRow.account_id == account_id,
        GrantRow.revoked_at.is_(None),
        or_(GrantRow.until.is_(None), GrantRow.until >= today),
    )


def _visible_ids(account: AccountOut, today: date) -> Select[int]:
    granted = select(GrantRow.person_id).where(*_live_grant(account.id, today))
    if account.person_id is None:
        return granted
    return select(PersonRow.id).where(or_(PersonRow.id == account.person_id, PersonRow.id.in_(granted)))


def _may_see(db: Database, person_id: int, account: AccountOut | None) -> bool:
    with db.read() as session:
        if account is None:
            return session.get(PersonRow, person_id) is not None
        if account.person_id == person_id:
            return True
        return (
            session.scalar(
                select(GrantRow.id).where(*_live_grant(account.id, now_utc().date()), GrantRow.person_id == person_id)
            )
            is not None
        )


def _account_default(db: Database, account: AccountOut) -> int:
    if account.person_id is not None:
        return account.person_id
    with db.read() as session:
        ids = session.scalars(
            select(GrantRow.person_id).where(*_live_grant(account.id, now_utc().date())).distinct().limit(2)
        ).all()
    if not ids:
        raise NotFound("Nobody has shared their journal with this account yet.", field="person")
    if len(ids) > 1:
        raise PersonNotChosen(
            "Several people share their journal with you. Choose whose journal to open on the People page (/people)."
        )
    return ids[0]


def _parse_id(text: str | None) -> int | None:
    if text is None:
        return None
    text = text.strip()
    return int(text) if text.isdigit() and is_id(int(text)) else None


# What a role may change (any role may read what it may see). Paths without the /api/v1 prefix.
OWNER_ONLY = ("/sharing", "/setup")  # the person's details and who sees their journal
CEILING = ("/plan/ceiling", "/plan/ceiling/clear")  # the daily dose ceiling: the clinician's or the person's
# A clinician adds notes and sets the dose ceiling; entries stay the person's.
CLINICIAN_WRITES = frozenset({"/journal/note", *CEILING})
# What each granted role may do, in words (the FHIR Consent's provision.action); kept beside check_action.
ROLE_ACTIONS: dict[str, tuple[str, ...]] = {
    "caregiver": ("read", "write journal"),
    "clinician": ("read", "notes", "dose ceiling"),
}


def check_action(role: str | None, method: str, path: str) -> None:
    """Raise NotAllowed (403) when ``role`` may see the person but not do this; None/"person": anything."""
    plain = path.removeprefix("/api/v1")
    if role in (None, "person"):
        return
    if plain.startswith("/sharing"):  # who sees a journal is the person's own business, even to read
        raise NotAllowed("Only the person themself sees and decides who sees their journal.")
    if method in ("GET", "HEAD"):
        return
    if role == "caregiver" and not plain.startswith(OWNER_ONLY) and plain not in CEILING:
        return
    if role == "clinician" and plain in CLINICIAN_WRITES:
        return
    if role == "caregiver":
        raise NotAllowed(
            "A caregiver can read and write the journal, but not change the person's details, sharing or dose ceiling."
        )
    raise NotAllowed(
        "A clinician can read the journal, add notes and set the dose ceiling, but not change or delete entries."
    )
