"""The Your account page: who is signed in, and changing one's own password (SQLite and PostgreSQL). A wrong
current password, a mismatch or a short one is refused with words saying what to fix and changes nothing; a
change signs out every other browser of the account; the page needs sign-in, a form needs its CSRF token,
and no account can change another's password; a password someone else chose shows a banner until changed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from dosewise.services import auth, people, sharing
from dosewise.store.db import Database
from dosewise.store.tables import AuditRow
from tests.helpers import snapshot
from tests.web.conftest import make_client, token

PASSWORD = "blue kettle on the stove 42"
NEW = "seven swans on a quiet lake"
THEIRS = "violet umbrella in the hall"
BANNER = "Your password was chosen by ana@example.org. Choose your own: Your account"


@pytest.fixture(autouse=True)
def _cheap_hashes(cheap_hashes: None) -> None:
    """Accounts here are made with cheap hashes (tests.helpers.cheap_password_hashing)."""


@pytest.fixture
def owner(db: Database):
    people.set_person(db, name="Ana", conditions=["ms-spasticity"], timezone="UTC")
    auth.add_account(db, email="ana@example.org", role="person", password=PASSWORD)
    return _signed_in("ana@example.org")


def _signed_in(email: str, password: str = PASSWORD):
    client = make_client()
    assert client.post("/api/v1/signin", json={"email": email, "password": password}).status_code == 200
    return client


def _change(client, **fields: str):
    data = {"current_password": PASSWORD, "new_password": NEW, "new_password_again": NEW, **fields}
    return client.post("/account/password", data={**data, "csrf_token": token(client, "/account")})


def _unchanged(db: Database, before: dict[str, list[tuple]]) -> None:
    def rows(tables: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
        return {k: v for k, v in tables.items() if k != "sign_in_attempt"}

    assert rows(snapshot(db)) == rows(before)


def _words(html: str) -> str:
    """The page's text as a person reads it (tags removed, spaces collapsed)."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_the_page_shows_who_is_signed_in_and_is_in_the_header(owner) -> None:
    today = owner.get("/today").text
    assert '<a href="/account">Your account</a>' in today
    page = owner.get("/account").text
    assert "ana@example.org" in page and "The person: the journal is your own" in page
    assert 'action="/account/password"' in page and 'autocomplete="current-password"' in page
    assert owner.get("/api/v1/account").json()["role"] == "person"


def test_a_wrong_current_password_is_refused_counted_and_changes_nothing(owner, db: Database) -> None:
    before = snapshot(db)
    answer = _change(owner, current_password="not my password at all")
    assert answer.status_code == 400
    assert "Not saved." in answer.text and "The current password is wrong. Nothing was changed." in answer.text
    assert NEW not in answer.text and "not my password at all" not in answer.text  # never shown again
    _unchanged(db, before)
    failed = [row for row in snapshot(db)["sign_in_attempt"] if row[-1] is False]
    assert [row[1] for row in failed] == ["ana@example.org"]  # counted like a wrong password at sign-in
    assert owner.get("/api/v1/today").status_code == 200  # still signed in


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"new_password_again": "seven swans on a quiet lakes"}, "are not the same"),
        ({"new_password": "too short", "new_password_again": "too short"}, "The new password needs at least 12"),
    ],
)
def test_a_mismatch_or_a_short_password_says_what_to_fix_and_changes_nothing(owner, db, fields, says) -> None:
    before = snapshot(db)
    answer = _change(owner, **fields)
    assert answer.status_code == 400 and "Not saved." in answer.text and says in answer.text
    assert NEW not in answer.text and PASSWORD not in answer.text
    assert snapshot(db) == before


def test_a_change_signs_out_every_other_browser_and_keeps_this_one(owner, db: Database) -> None:
    laptop = _signed_in("ana@example.org")
    assert laptop.get("/api/v1/today").status_code == 200
    changed = _change(owner)
    assert changed.status_code == 303 and changed.headers["location"] == "/account?saved=password"
    assert "HttpOnly" in changed.headers["set-cookie"]  # this browser's new sign-in
    page = owner.get("/account?saved=password")
    assert page.status_code == 200 and "Your password is changed." in page.text
    assert laptop.get("/api/v1/today").status_code == 401  # the other browser is signed out
    assert laptop.get("/today").headers["location"].startswith("/signin")
    assert (
        make_client().post("/api/v1/signin", json={"email": "ana@example.org", "password": PASSWORD}).status_code == 401
    )
    _signed_in("ana@example.org", NEW)
    with db.unscoped().read() as session:
        actions = session.scalars(select(AuditRow.action)).all()
    assert "password-changed" in actions


def test_the_page_and_the_form_need_sign_in_and_the_form_its_token(owner, db: Database) -> None:
    stranger = make_client()
    assert stranger.get("/account").headers["location"] == "/signin?next=%2Faccount"
    before = snapshot(db)
    assert stranger.post("/api/v1/account/password", json={"current_password": PASSWORD}).status_code == 401
    data = {"current_password": PASSWORD, "new_password": NEW, "new_password_again": NEW}
    assert owner.post("/account/password", data=data).status_code == 403  # no CSRF token
    _unchanged(db, before)


def test_no_account_can_change_another_accounts_password(owner, db: Database) -> None:
    auth.add_account(db, email="carer@example.org", role="caregiver", password=THEIRS)
    sharing.share(db, email="carer@example.org", role="caregiver")
    carer = _signed_in("carer@example.org", THEIRS)
    before = snapshot(db)
    answer = _change(carer, email="ana@example.org", account_id="1")  # Ana's password, and her account named
    assert answer.status_code == 400 and "current password is wrong" in answer.text
    _unchanged(db, before)
    assert _change(carer, current_password=THEIRS).status_code == 303  # the carer's own password only
    _signed_in("ana@example.org", PASSWORD)
    _signed_in("carer@example.org", NEW)
    assert owner.get("/api/v1/today").status_code == 200  # Ana was not signed out


def test_an_invited_person_sees_who_chose_their_password_until_they_choose_their_own(owner, db) -> None:
    sharing.invite(db, email="nurse@example.org", role="clinician", password=THEIRS, actor="ana@example.org")
    nurse = _signed_in("nurse@example.org", THEIRS)
    for path in ("/today", "/journal", "/account"):
        assert BANNER in _words(nurse.get(path).text)
    assert "Clinician: you read the journals shared with you" in nurse.get("/account").text
    assert BANNER not in _words(owner.get("/today").text)
    assert _change(nurse, current_password=THEIRS).status_code == 303
    assert "Your password was chosen by" not in nurse.get("/today").text


def test_without_accounts_the_page_says_so_and_there_is_nothing_to_change(fresh_db: Database) -> None:
    people.set_person(fresh_db, name="Ana", conditions=["ms-spasticity"], timezone="UTC")
    local = make_client()
    page = local.get("/account")
    assert page.status_code == 200 and "Nobody is signed in" in page.text and "/first-run" in page.text
    answer = local.post("/api/v1/account/password", json={"current_password": "x", "new_password": NEW})
    assert answer.status_code == 401 and "Sign in first" in answer.json()["error"]
