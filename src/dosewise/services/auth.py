"""Accounts and sign-in: Argon2id passwords, server-side sessions, rate limits kept in the database.

- Passwords are hashed with Argon2id (argon2-cffi's defaults: RFC 9106's second recommended parameters,
  3 passes over 64 MiB). A wrong password and an unknown email give the same answer after the same work.
- A signed-in browser is a row of ``web_session`` keyed by the SHA-256 of its session value (the cookie
  carries the value, signed by web/security.py). Sign-in always stores a *new* value (no fixation), sign-out
  deletes the row. Sessions expire after SIGNED_IN_DAYS.
- Rate limits count ``sign_in_attempt`` rows, so every worker of a clinic's server sees the same numbers:
  LOCK_AFTER wrong passwords for one email within WINDOW lock it (it says so, for an unknown email too);
  CLIENT_LIMIT failures from one client address within WINDOW make that client wait.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from dosewise.errors import AlreadyExists, InvalidInput, NotFound, SignInRefused, TooManySignIns
from dosewise.services.actors import COMMAND_LINE as COMMAND_LINE  # the CLI's actor (re-exported)
from dosewise.services.runtime import get_person_row, now_utc
from dosewise.store.db import Database
from dosewise.store.tables import AccountRow, AuditRow, PairingCodeRow, PersonRow, SignInAttemptRow, WebSessionRow

ROLES = ("person", "caregiver", "clinician")
# Each role in plain words (the Your account page).
ROLE_WORDS = {
    "person": "The person: the journal is your own",
    "caregiver": "Caregiver: you help keep the journal of someone who shared it with you",
    "clinician": "Clinician: you read the journals shared with you and add notes",
}
MIN_PASSWORD = 12  # characters (NIST SP 800-63B asks for at least 8; a passphrase is easier than symbols)
MAX_PASSWORD = 1024  # characters: longer is refused before hashing (no denial of service by hashing)
SIGNED_IN_DAYS = 14  # a sign-in lasts this long, then the browser signs in again
WINDOW = timedelta(minutes=15)
LOCK_AFTER = 5  # wrong passwords for one email within WINDOW
CLIENT_LIMIT = 20  # failed sign-ins from one client address within WINDOW
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountOut(BaseModel):
    """An account as pages and the CLI show it (never its password hash)."""

    id: int
    email: str
    role: str
    person_id: int | None
    is_owner: bool
    password_set_by: str | None = None  # who chose the password, while it is not the holder's own


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # Argon2id


@cache
def _decoy_hash() -> str:
    """A hash to verify against when the email is unknown, so both answers take the same time."""
    return _hasher().hash("not a password of anyone")


def session_key(session_value: str) -> str:
    """The stored id of a session: the SHA-256 of its value (a stolen database row cannot be replayed)."""
    return hashlib.sha256(session_value.encode()).hexdigest()


def hash_password(password: str) -> str:
    """Check ``password`` against the policy and return its Argon2id hash (slow on purpose: call it before the
    transaction that stores it)."""
    return _hasher().hash(password_policy(password))


def account_out(row: AccountRow) -> AccountOut:
    return AccountOut(
        id=row.id,
        email=row.email,
        role=row.role,
        person_id=row.person_id,
        is_owner=row.is_owner,
        password_set_by=row.password_set_by,
    )


def _email(text: str) -> str:
    email = (text or "").strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise InvalidInput("Give an email address such as ana@example.org.", field="email")
    return email


def password_policy(text: str) -> str:
    """The one password policy (every door that sets a password): MIN_PASSWORD to MAX_PASSWORD characters."""
    if len(text or "") < MIN_PASSWORD:
        raise InvalidInput(f"The password needs at least {MIN_PASSWORD} characters.", field="password")
    if len(text) > MAX_PASSWORD:
        raise InvalidInput(f"The password may have at most {MAX_PASSWORD} characters.", field="password")
    return text


def _role(text: str) -> str:
    role = (text or "").strip().lower()
    if role not in ROLES:
        raise InvalidInput(f"The role is one of: {', '.join(ROLES)}.", field="role")
    return role


def audit(
    session: Session,
    *,
    actor: str,
    action: str,
    person_id: int | None,
    account_id: int | None,
    detail: dict[str, object] | None = None,
) -> None:
    """Record who did what, when (inside the caller's transaction)."""
    session.add(
        AuditRow(
            at=now_utc(),
            actor=actor,
            action=action,
            person_id=person_id,
            account_id=account_id,
            detail=dict(detail or {}),
        )
    )


def has_accounts(db: Database) -> bool:
    """True once any account exists: from then on every page but sign-in needs a signed-in account."""
    with db.unscoped().read() as session:
        return session.scalar(select(AccountRow.id).limit(1)) is not None


def add_account(
    db: Database, *, email: str, role: str, password: str, actor: str = COMMAND_LINE, own_password: bool = False
) -> AccountOut:
    """Create an account. A ``person`` account is the person ``db`` acts for (or the only person).

    Unless ``own_password`` says its holder typed the password, it is marked as chosen by ``actor`` (they see
    a banner until they choose their own); the first account, the owner's, never is.
    """
    role = _role(role)
    email, password_hash = new_credentials(email, password)
    person_id = None
    if role == "person":
        with db.read() as session:
            person_id = get_person_row(session).id
    with db.unscoped().transaction() as session:
        set_by = None if own_password else actor
        return account_out(insert_account(session, email, role, password_hash, person_id, actor, set_by=set_by))


def new_credentials(email: str, password: str) -> tuple[str, str]:
    """Check an email and a password and return (the email as stored, the password's Argon2id hash).

    Hashing takes a moment on purpose: call it before opening the transaction that stores the account.
    """
    email = _email(email)
    return email, hash_password(password)


def insert_account(
    session: Session,
    email: str,
    role: str,
    password_hash: str,
    person_id: int | None,
    actor: str,
    *,
    set_by: str | None = None,
) -> AccountRow:
    """Store an account in the caller's transaction (audited); AlreadyExists for an email already used.

    ``set_by``: who chose the password for its holder (None: the holder did). The first account is the
    owner's, who is the one choosing, so it is never marked.
    """
    if session.scalar(select(AccountRow.id).where(AccountRow.email == email)) is not None:
        raise AlreadyExists(f"There is already an account for {email}.", field="email")
    first = session.scalar(select(AccountRow.id).limit(1)) is None
    row = AccountRow(
        email=email,
        role=role,
        password_hash=password_hash,
        person_id=person_id,
        is_owner=first,
        created_at=now_utc(),
        password_set_by=None if first else set_by,
    )
    session.add(row)
    session.flush()
    audit(
        session,
        actor=actor,
        action="account-added",
        person_id=person_id,
        account_id=row.id,
        detail={"email": email, "role": role, "owner": first, "password_chosen_by": row.password_set_by},
    )
    return row


def create_owner(db: Database, *, email: str, password: str, name: str | None, new_session: str) -> AccountOut:
    """The first run: create the owner account (the only person's, or a new person named ``name``), signed in.

    Refused once any account exists (then the owner adds others, and everyone signs in).
    """
    email, password_hash = new_credentials(email, password)
    now = now_utc()
    with db.for_everyone().transaction() as session:  # the first run: the first person, or a new one
        if session.scalar(select(AccountRow.id).limit(1)) is not None:
            raise NotFound("Dosewise already has its first account. Sign in instead.")
        person = session.scalars(select(PersonRow).order_by(PersonRow.id).limit(1)).first()
        if person is None:
            clean = (name or "").strip()
            if not clean:
                raise InvalidInput("Whose journal is this? Give a name.", field="name")
            person = PersonRow(name=clean[:100], flags=[], settings={}, timezone="UTC")
            session.add(person)
            session.flush()
        row = insert_account(session, email, "person", password_hash, person.id, email)
        start_session(session, row.id, new_session, now)
        return account_out(row)


def start_session(session: Session, account_id: int, session_value: str, now: datetime) -> None:
    session.add(
        WebSessionRow(
            id=session_key(session_value),
            account_id=account_id,
            created_at=now,
            expires_at=now + timedelta(days=SIGNED_IN_DAYS),
        )
    )


def sign_in(db: Database, *, email: str, password: str, client: str, new_session: str) -> AccountOut:
    """Check the password; on success store the browser's new session value (rotated: no fixation).

    Raises SignInRefused (same words whether or not the email has an account) or TooManySignIns.
    """
    now = now_utc()
    email_key = (email or "").strip().lower()[:254]
    client_key = (client or "unknown")[:64]
    with db.unscoped().transaction() as session:
        refuse_if_limited(session, email_key, client_key, now)
        row = session.scalars(select(AccountRow).where(AccountRow.email == email_key)).first()
        ok = verify_password(row.password_hash if row else None, password or "")
        session.add(SignInAttemptRow(email=email_key, client=client_key, at=now, ok=ok and row is not None))
        if row is None or not ok:
            failed = SignInRefused("The email or the password is wrong. Nothing was changed.")
        else:
            start_session(session, row.id, new_session, now)
            return account_out(row)
    raise failed


def verify_password(stored: str | None, password: str) -> bool:
    if len(password) > MAX_PASSWORD:
        return False
    try:
        return _hasher().verify(stored or _decoy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def refuse_if_limited(session: Session, email: str, client: str, now: datetime) -> None:
    since = now - WINDOW
    last_ok = session.scalar(
        select(func.max(SignInAttemptRow.at)).where(SignInAttemptRow.email == email, SignInAttemptRow.ok.is_(True))
    )
    start = max(since, last_ok) if last_ok is not None else since
    by_email = (
        session.scalar(
            select(func.count()).where(
                SignInAttemptRow.email == email, SignInAttemptRow.at > start, SignInAttemptRow.ok.is_(False)
            )
        )
        or 0
    )
    minutes = int(WINDOW.total_seconds() // 60)
    if by_email >= LOCK_AFTER:
        raise TooManySignIns(
            f"This account is locked for {minutes} minutes after {LOCK_AFTER} wrong passwords. "
            "Wait, then try again (or ask whoever set up Dosewise to set a new password)."
        )
    by_client = (
        session.scalar(
            select(func.count()).where(
                SignInAttemptRow.client == client, SignInAttemptRow.at > since, SignInAttemptRow.ok.is_(False)
            )
        )
        or 0
    )
    if by_client >= CLIENT_LIMIT:
        raise TooManySignIns(f"Too many wrong sign-ins from this device. Wait {minutes} minutes, then try again.")


def account_of_session(db: Database, session_value: str | None) -> AccountOut | None:
    """The account signed in on a browser with this session value, or None (unknown or expired)."""
    if not session_value:
        return None
    with db.unscoped().read() as session:
        row = session.execute(
            select(AccountRow)
            .join(WebSessionRow, WebSessionRow.account_id == AccountRow.id)
            .where(WebSessionRow.id == session_key(session_value), WebSessionRow.expires_at > now_utc())
        ).scalar_one_or_none()
        return account_out(row) if row is not None else None


def sign_out(db: Database, *, session_value: str) -> None:
    """End the browser's sign-in (the next request needs a new one)."""
    with db.unscoped().transaction() as session:
        session.execute(delete(WebSessionRow).where(WebSessionRow.id == session_key(session_value)))


def list_accounts(db: Database) -> list[AccountOut]:
    """Every account, oldest first (the CLI's `account list`)."""
    with db.unscoped().read() as session:
        return [account_out(r) for r in session.scalars(select(AccountRow).order_by(AccountRow.id))]


PAIRING_MINUTES = 5  # a pairing code works this long, once
PAIRING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to type on a phone
PAIRING_LENGTH = 10  # 32^10 ~ 10^15 codes: guessing one within 5 minutes through the rate limit is hopeless


class PairingOut(BaseModel):
    """A one-time code that signs a phone in as the account that made it."""

    code: str
    expires_at: datetime
    minutes: int


def _pairing_key(code: str) -> str:
    clean = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(f"pair:{clean}".encode()).hexdigest()


def new_pairing_code(db: Database, *, account_id: int) -> PairingOut:
    """Make a one-time code for the signed-in account (only its SHA-256 is stored)."""
    import secrets

    now = now_utc()
    code = "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(PAIRING_LENGTH))
    with db.unscoped().transaction() as session:
        expires = now + timedelta(minutes=PAIRING_MINUTES)
        session.add(
            PairingCodeRow(code_hash=_pairing_key(code), account_id=account_id, created_at=now, expires_at=expires)
        )
        email = session.scalar(select(AccountRow.email).where(AccountRow.id == account_id)) or ""
        audit(session, actor=email, action="pairing-code-made", person_id=None, account_id=account_id)
    shown = f"{code[:5]}-{code[5:]}"
    return PairingOut(code=shown, expires_at=expires, minutes=PAIRING_MINUTES)


def pair(db: Database, *, code: str, client: str, new_session: str) -> AccountOut:
    """Sign a phone in with a pairing code: once, before it expires; a used or unknown code is refused
    (counted like a wrong password, so codes cannot be guessed faster than passwords)."""
    now = now_utc()
    client_key = (client or "unknown")[:64]
    with db.unscoped().transaction() as session:
        tries = f"pairing:{client_key}"  # wrong codes from one device lock pairing there, like wrong passwords
        refuse_if_limited(session, tries, client_key, now)
        row = session.scalars(select(PairingCodeRow).where(PairingCodeRow.code_hash == _pairing_key(code))).first()
        usable = row is not None and row.used_at is None and row.expires_at > now
        if not usable:
            session.add(SignInAttemptRow(email=tries, client=client_key, at=now, ok=False))
            refused = SignInRefused(
                "This code is not valid: it was already used, it expired, or it was mistyped. "
                "Make a new one on the computer."
            )
        else:
            assert row is not None
            row.used_at = now
            account = session.get(AccountRow, row.account_id)
            assert account is not None
            start_session(session, account.id, new_session, now)
            audit(session, actor=account.email, action="phone-paired", person_id=None, account_id=account.id)
            return account_out(account)
    raise refused
