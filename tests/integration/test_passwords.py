"""Changing a password (the holder, with the current one) and setting a new one for a forgotten password (the
command line), on SQLite and PostgreSQL: the one policy, the sign-in lock-out, every other session ended,
nothing changed on refusal, audited; and who chose a password, until its holder chooses their own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from dosewise import clock
from dosewise.errors import InvalidInput, NotFound, SignInRefused, TooManySignIns
from dosewise.services import auth, passwords, people, sharing
from dosewise.store.db import Database
from dosewise.store.tables import AuditRow, PairingCodeRow, SignInAttemptRow, WebSessionRow
from tests.helpers import snapshot

PASSWORD = "blue kettle on the stove 42"
NEW = "seven swans on a quiet lake"
THEIRS = "violet umbrella in the hall"


@pytest.fixture(autouse=True)
def _cheap_hashes(cheap_hashes: None) -> None:
    """Accounts here are made with cheap hashes (tests.helpers.cheap_password_hashing)."""


@pytest.fixture
def ana(db: Database) -> auth.AccountOut:
    people.set_person(db, name="Ana", conditions=["ms-spasticity"], timezone="UTC")
    return auth.add_account(db, email="ana@example.org", role="person", password=PASSWORD)


def _sign_in(db: Database, session: str, email: str = "ana@example.org", password: str = PASSWORD) -> None:
    auth.sign_in(db, email=email, password=password, client="10.0.0.1", new_session=session)


def _change(db: Database, account_id: int, **given: str) -> auth.AccountOut:
    fields = {"current": PASSWORD, "new": NEW, "again": NEW, **given}
    return passwords.change_password(db, account_id=account_id, client="10.0.0.1", new_session="next", **fields)


def _actions(db: Database) -> list[tuple[str, str]]:
    with db.unscoped().read() as session:
        return [tuple(r) for r in session.execute(select(AuditRow.action, AuditRow.actor).order_by(AuditRow.id))]


def _without_attempts(db: Database) -> dict[str, list[tuple]]:
    rows = snapshot(db)
    rows.pop("sign_in_attempt")
    return rows


def test_a_change_replaces_the_password_and_ends_every_other_session(db: Database, ana: auth.AccountOut) -> None:
    _sign_in(db, "laptop")
    _sign_in(db, "phone")
    auth.new_pairing_code(db, account_id=ana.id)
    changed = _change(db, ana.id)
    assert changed.email == "ana@example.org"
    assert auth.account_of_session(db, "laptop") is None and auth.account_of_session(db, "phone") is None
    assert auth.account_of_session(db, "next") == changed  # this browser, signed in again with a new value
    with db.unscoped().read() as session:
        assert session.scalars(select(PairingCodeRow)).all() == []  # an unused code would sign a phone in
        assert len(session.scalars(select(WebSessionRow)).all()) == 1
        audited = session.scalars(select(AuditRow).where(AuditRow.action == "password-changed")).one()
    assert (audited.actor, audited.account_id, audited.detail) == (
        "ana@example.org",
        ana.id,
        {"other_sessions_ended": 1},
    )
    with pytest.raises(SignInRefused):
        _sign_in(db, "old", password=PASSWORD)
    _sign_in(db, "new", password=NEW)


@pytest.mark.parametrize(
    ("given", "field", "says"),
    [
        ({"again": "seven swans on a quiet lakes"}, "new_password_again", "are not the same"),
        ({"new": "too short", "again": "too short"}, "new_password", "The new password needs at least 12 characters"),
        ({"new": PASSWORD, "again": PASSWORD}, "new_password", "the same as the current one"),
    ],
)
def test_a_mismatch_a_short_or_an_unchanged_password_changes_nothing(db, ana, given, field, says) -> None:
    _sign_in(db, "laptop")
    before = snapshot(db)
    with pytest.raises(InvalidInput) as refused:
        _change(db, ana.id, **given)
    assert refused.value.field == field and says in refused.value.message
    assert snapshot(db) == before


def test_a_wrong_current_password_changes_nothing_and_counts_toward_the_lock_out(db, ana) -> None:
    _sign_in(db, "laptop")
    clock.advance(timedelta(minutes=1))  # failures count after the last good sign-in
    before = _without_attempts(db)
    for _ in range(auth.LOCK_AFTER):
        with pytest.raises(InvalidInput) as wrong:
            _change(db, ana.id, current="not my password at all")
        assert wrong.value.field == "current_password" and "current password is wrong" in wrong.value.message
    assert _without_attempts(db) == before
    with db.unscoped().read() as session:
        failed = session.scalars(select(SignInAttemptRow).where(SignInAttemptRow.ok.is_(False))).all()
    assert [a.email for a in failed] == ["ana@example.org"] * auth.LOCK_AFTER
    with pytest.raises(TooManySignIns):  # locked: even the right password waits, here and on the sign-in page
        _change(db, ana.id)
    with pytest.raises(TooManySignIns):
        _sign_in(db, "other")
    assert auth.account_of_session(db, "laptop") is not None  # nothing ended


def test_an_invited_account_is_marked_until_its_holder_chooses_their_own(db: Database, ana: auth.AccountOut) -> None:
    invited = sharing.invite(db, email="nurse@example.org", role="clinician", password=THEIRS, actor=ana.email)
    nurse = next(a for a in auth.list_accounts(db) if a.email == invited.email)
    assert nurse.password_set_by == "ana@example.org" and ana.password_set_by is None
    assert passwords.chosen_by_words(nurse.password_set_by) == "ana@example.org"
    _change(db, nurse.id, current=THEIRS)
    assert next(a for a in auth.list_accounts(db) if a.email == "nurse@example.org").password_set_by is None


def test_accounts_added_on_the_command_line_are_marked_unless_their_holder_typed_it(db, ana) -> None:
    carer = auth.add_account(db, email="carer@example.org", role="caregiver", password=THEIRS)
    doc = auth.add_account(db, email="doc@example.org", role="clinician", password=THEIRS, own_password=True)
    assert (ana.is_owner, ana.password_set_by) == (True, None)  # the first account: the owner chose it
    assert carer.password_set_by == auth.COMMAND_LINE and doc.password_set_by is None
    assert passwords.chosen_by_words(carer.password_set_by) == "the owner of this computer (on the command line)"


def test_a_reset_ends_every_session_lifts_the_lock_out_and_is_audited(db: Database, ana: auth.AccountOut) -> None:
    auth.add_account(db, email="carer@example.org", role="caregiver", password=THEIRS)
    _sign_in(db, "laptop", "carer@example.org", THEIRS)
    _sign_in(db, "phone", "carer@example.org", THEIRS)
    clock.advance(timedelta(minutes=1))
    for _ in range(auth.LOCK_AFTER):
        with pytest.raises(SignInRefused):
            _sign_in(db, "guess", "carer@example.org", "a forgotten password")
    with pytest.raises(TooManySignIns):
        _sign_in(db, "guess", "carer@example.org", THEIRS)
    clock.advance(timedelta(minutes=1))
    out, ended = passwords.reset_password(db, email="Carer@Example.org", password=NEW)
    assert ended == 2 and out.password_set_by == auth.COMMAND_LINE
    assert auth.account_of_session(db, "laptop") is None and auth.account_of_session(db, "phone") is None
    _sign_in(db, "new", "carer@example.org", NEW)  # not locked any more: the guesses were at the old password
    assert _actions(db)[-1] == ("password-reset", auth.COMMAND_LINE)
    _, ended = passwords.reset_password(db, email="ana@example.org", password=NEW)
    assert ended == 0 and auth.list_accounts(db)[0].password_set_by is None  # the owner's own: not marked


def test_a_reset_of_an_unknown_account_or_a_short_password_changes_nothing(db: Database, ana) -> None:
    before = snapshot(db)
    with pytest.raises(NotFound, match="No account for nobody@example.org"):
        passwords.reset_password(db, email="nobody@example.org", password=NEW)
    with pytest.raises(InvalidInput, match="at least 12 characters"):
        passwords.reset_password(db, email="ana@example.org", password="short")
    assert snapshot(db) == before
