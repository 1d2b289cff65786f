"""Changing a password: the signed-in holder choosing their own (web), and the machine's owner setting a new
one for a forgotten password (CLI). The policy and hashing are services/auth's, the one place they live.

- A change needs the current password. A wrong one is a failed sign-in attempt for the account
  (``sign_in_attempt``), so guessing through this form runs into the same lock-out as the sign-in page.
- On success, in one transaction: the new hash is stored, every session of the account is ended and this
  browser gets a new one (the old session value may have been copied, and it would stay signed in if kept),
  unused pairing codes are dropped, the "chosen by someone else" mark is cleared, and it is audited.
- A reset from the command line ends every session of the account (nobody stays signed in with the old
  password) and is audited; it also lifts a lock-out from wrong passwords (the guesses were at the old one).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dosewise.errors import InvalidInput, NotFound, SignInRefused
from dosewise.services.auth import (
    COMMAND_LINE,
    AccountOut,
    account_out,
    audit,
    hash_password,
    refuse_if_limited,
    start_session,
    verify_password,
)
from dosewise.services.runtime import now_utc
from dosewise.store.db import Database
from dosewise.store.tables import AccountRow, PairingCodeRow, SignInAttemptRow, WebSessionRow

WRONG_CURRENT = "The current password is wrong. Nothing was changed."
NOT_THE_SAME = "The new password and the new password again are not the same. Type the same new password twice."
UNCHANGED = "The new password is the same as the current one. Choose a different one."


def chosen_by_words(set_by: str | None) -> str | None:
    """Who chose an account's password, in words for its holder (None: they chose it themself)."""
    if set_by == COMMAND_LINE:
        return "the owner of this computer (on the command line)"
    return set_by


def change_password(
    db: Database,
    *,
    account_id: int,
    current: str,
    new: str,
    again: str,
    client: str,
    new_session: str,
) -> AccountOut:
    """The signed-in account ``account_id`` replaces its password; ``new_session`` is this browser's next
    session value (every other session, and this browser's old one, end).

    Refused, changing nothing: InvalidInput for a mismatch, the policy, the same password again or a wrong
    current password (counted as a failed sign-in); TooManySignIns while the account is locked.
    """
    new_hash = _checked_new(new, again)
    now, client_key = now_utc(), (client or "unknown")[:64]
    with db.unscoped().transaction() as session:
        row = _account(session, account_id)
        refuse_if_limited(session, row.email, client_key, now)
        if verify_password(row.password_hash, current or ""):
            if new == current:
                raise InvalidInput(UNCHANGED, field="new_password")
            return _store_change(session, row, new_hash, new_session, now)
        session.add(SignInAttemptRow(email=row.email, client=client_key, at=now, ok=False))  # as at /signin
    raise InvalidInput(WRONG_CURRENT, field="current_password")


def _checked_new(new: str, again: str) -> str:
    """The new password's hash, after checking it was typed twice alike and meets the one policy."""
    if new != again:
        raise InvalidInput(NOT_THE_SAME, field="new_password_again")
    try:
        return hash_password(new)
    except InvalidInput as exc:
        raise InvalidInput(exc.message.replace("The password", "The new password", 1), field="new_password") from None


def _store_change(session: Session, row: AccountRow, new_hash: str, new_session: str, now: datetime) -> AccountOut:
    """Replace the hash, end every session of the account, sign this browser in anew, audit it."""
    ended = _replace(session, row, new_hash, now)
    start_session(session, row.id, new_session, now)
    audit(
        session,
        actor=row.email,
        action="password-changed",
        person_id=row.person_id,
        account_id=row.id,
        detail={"other_sessions_ended": max(ended - 1, 0)},  # ended includes this browser's old session
    )
    return account_out(row)


def reset_password(
    db: Database, *, email: str, password: str, actor: str = COMMAND_LINE, own_password: bool = False
) -> tuple[AccountOut, int]:
    """Set a new password for the account of ``email`` (its holder forgot theirs); return it and how many
    sessions were ended (all of them).

    The account is marked "password chosen by ``actor``" until its holder chooses their own, unless
    ``own_password`` says the holder typed it, or it is the owner's account (the owner is the one typing).
    """
    new_hash = hash_password(password)
    now = now_utc()
    key = (email or "").strip().lower()
    with db.unscoped().transaction() as session:
        row = session.scalars(select(AccountRow).where(AccountRow.email == key)).first()
        if row is None:
            raise NotFound(f"No account for {key or 'that email'} (see: dosewise account list).", field="email")
        set_by = None if own_password or row.is_owner else actor
        ended = _replace(session, row, new_hash, now, set_by=set_by)
        session.add(SignInAttemptRow(email=row.email, client=actor[:64], at=now, ok=True))  # lifts a lock-out
        audit(
            session,
            actor=actor,
            action="password-reset",
            person_id=row.person_id,
            account_id=row.id,
            detail={"sessions_ended": ended, "password_chosen_by": set_by},
        )
        return account_out(row), ended


def _account(session: Session, account_id: int) -> AccountRow:
    row = session.get(AccountRow, account_id)
    if row is None:  # deleted while signed in: nothing to change
        raise SignInRefused("Sign in again: this account is no longer here.")
    return row


def _replace(session: Session, row: AccountRow, new_hash: str, now: datetime, *, set_by: str | None = None) -> int:
    """Store the new hash and who chose it; end every session and unused pairing code of the account.
    Returns how many sessions were ended."""
    row.password_hash = new_hash
    row.password_set_by = set_by
    ended = session.execute(delete(WebSessionRow).where(WebSessionRow.account_id == row.id))
    session.execute(delete(PairingCodeRow).where(PairingCodeRow.account_id == row.id, PairingCodeRow.used_at.is_(None)))
    session.flush()
    return int(getattr(ended, "rowcount", 0) or 0)
