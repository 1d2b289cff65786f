"""Sharing a person's journal with an account (consent): grant, change, revoke, list; every change audited.

A grant is versioned: changing one (another role, another end date) revokes the live row and adds the next
version, so the history of consent is never overwritten. A grant counts while it is not revoked and its
``until`` day (the last day included, in UTC) has not passed; access is checked on every request
(services/access.py), so a revocation counts from the next request on.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.errors import InvalidInput, NotAllowed, NotFound
from dosewise.services.auth import COMMAND_LINE, audit, insert_account, new_credentials
from dosewise.services.runtime import get_person_row, now_utc, person_id_of
from dosewise.store.db import Database
from dosewise.store.tables import AccountRow, GrantRow, PersonRow

GRANT_ROLES = ("caregiver", "clinician")


class GrantOut(BaseModel):
    """One version of a consent record."""

    id: int
    person_id: int
    person: str
    email: str
    role: str
    until: date | None
    version: int
    granted_by: str
    created_at: datetime
    revoked_at: datetime | None
    live: bool


def parse_day(text: str) -> date:
    """Read a YYYY-MM-DD day (the last day of sharing)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"Write the day as YYYY-MM-DD, for example 2027-01-31 (got '{text}').", field="until"
        ) from None


def _out(row: GrantRow, person: str, email: str, today: date) -> GrantOut:
    live = row.revoked_at is None and (row.until is None or row.until >= today)
    return GrantOut(
        id=row.id,
        person_id=row.person_id,
        person=person,
        email=email,
        role=row.role,
        until=row.until,
        version=row.version,
        granted_by=row.granted_by,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        live=live,
    )


def _person_id(db: Database, person: str | None) -> int:
    if person is not None:
        return person_id_of(db.unscoped(), person)
    with db.read() as session:
        return get_person_row(session).id


def _account(session: Session, email: str) -> AccountRow:
    key = (email or "").strip().lower()
    row = session.scalars(select(AccountRow).where(AccountRow.email == key)).first()
    if row is None:
        raise NotFound(f"No account for {key or 'that email'}. Add it first (an account signs in).", field="email")
    return row


def _live(session: Session, person_id: int, account_id: int) -> GrantRow | None:
    return session.scalars(
        select(GrantRow).where(
            GrantRow.person_id == person_id, GrantRow.account_id == account_id, GrantRow.revoked_at.is_(None)
        )
    ).first()


def _grant_role(role: str) -> str:
    role = (role or "").strip().lower()
    if role not in GRANT_ROLES:
        raise InvalidInput(f"Share as one of: {', '.join(GRANT_ROLES)}.", field="role")
    return role


def _check_until(until: date | None, now: datetime) -> None:
    if until is not None and until < now.date():
        raise InvalidInput("The last day of sharing is in the past.", field="until")


def share(
    db: Database,
    *,
    email: str,
    role: str,
    person: str | None = None,
    until: date | None = None,
    actor: str = COMMAND_LINE,
) -> GrantOut:
    """Share the person's journal with the account of ``email`` as caregiver or clinician (until a day)."""
    role, now = _grant_role(role), now_utc()
    _check_until(until, now)
    person_id = _person_id(db, person)
    with db.for_person(person_id).transaction() as session:  # grants are not scoped; the person's name is
        account = _account(session, email)
        if account.person_id == person_id:
            raise InvalidInput("That account is this person's own: it sees the journal already.", field="email")
        return _grant(session, person_id, account, role, until, actor, now)


def invite(
    db: Database,
    *,
    email: str,
    role: str,
    password: str,
    until: date | None = None,
    actor: str,
) -> GrantOut:
    """Add an account for someone (caregiver or clinician, signing in with ``password``) and share the
    person's journal with it, in one transaction: both happen, or neither. Audited as ``account-added`` and
    ``grant-added``, like ``dosewise account add`` followed by ``dosewise share``.

    Refused while Dosewise has no account yet: the first account is the owner's (``create_owner``), never
    an invited one.
    """
    role, now = _grant_role(role), now_utc()
    _check_until(until, now)
    email, password_hash = new_credentials(email, password)
    person_id = _person_id(db, None)
    with db.unscoped().transaction() as session:
        if session.scalar(select(AccountRow.id).limit(1)) is None:
            raise NotAllowed(
                "Create your own account first (the First account page, /first-run): the people you invite "
                "sign in beside you."
            )
        account = insert_account(session, email, role, password_hash, None, actor, set_by=actor)  # they chose it
        return _grant(session, person_id, account, role, until, actor, now)


def _grant(
    session: Session,
    person_id: int,
    account: AccountRow,
    role: str,
    until: date | None,
    actor: str,
    now: datetime,
) -> GrantOut:
    """Store the next version of the person's grant to ``account`` (revoking the live one), audited."""
    previous = _live(session, person_id, account.id)
    version = 1
    if previous is not None:
        previous.revoked_at = now
        version = previous.version + 1
    row = GrantRow(
        person_id=person_id,
        account_id=account.id,
        role=role,
        until=until,
        version=version,
        granted_by=actor,
        created_at=now,
    )
    session.add(row)
    session.flush()
    audit(
        session,
        actor=actor,
        action="grant-changed" if previous else "grant-added",
        person_id=person_id,
        account_id=account.id,
        detail={"role": role, "until": until.isoformat() if until else None, "version": version},
    )
    name = session.get(PersonRow, person_id)
    return _out(row, name.name if name else "", account.email, now.date())


def revoke(db: Database, *, email: str, person: str | None = None, actor: str = COMMAND_LINE) -> GrantOut:
    """Stop sharing the person's journal with the account of ``email`` (from its next request on)."""
    now = now_utc()
    person_id = _person_id(db, person)
    with db.for_person(person_id).transaction() as session:
        account = _account(session, email)
        row = _live(session, person_id, account.id)
        if row is None:
            raise NotFound(f"The journal is not shared with {account.email}.", field="email")
        row.revoked_at = now
        audit(
            session,
            actor=actor,
            action="grant-revoked",
            person_id=person_id,
            account_id=account.id,
            detail={"version": row.version},
        )
        name = session.get(PersonRow, person_id)
        return _out(row, name.name if name else "", account.email, now.date())


def list_grants(db: Database, *, person: str | None = None, everyone: bool = False) -> list[GrantOut]:
    """Every version of every grant of the person (or of everyone), newest first."""
    today = now_utc().date()
    query = (
        select(GrantRow, PersonRow.name, AccountRow.email)
        .join(PersonRow, PersonRow.id == GrantRow.person_id)
        .join(AccountRow, AccountRow.id == GrantRow.account_id)
        .order_by(GrantRow.id.desc())
    )
    handle = db.for_everyone()  # every person's grants: the command line's "share list --all"
    if not everyone:
        person_id = _person_id(db, person)
        query, handle = query.where(GrantRow.person_id == person_id), db.for_person(person_id)
    with handle.read() as session:
        return [_out(row, name, email, today) for row, name, email in session.execute(query)]


def consent_records(session: Session, person_id: int, today: date) -> list[GrantOut]:
    """Every version of every grant of one person, oldest first (the FHIR export's Consent resources)."""
    query = (
        select(GrantRow, PersonRow.name, AccountRow.email)
        .join(PersonRow, PersonRow.id == GrantRow.person_id)
        .join(AccountRow, AccountRow.id == GrantRow.account_id)
        .where(GrantRow.person_id == person_id)
        .order_by(GrantRow.id)
    )
    return [_out(row, name, email, today) for row, name, email in session.execute(query)]
