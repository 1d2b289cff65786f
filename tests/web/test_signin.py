"""Accounts on the web: the first run, sign-in and sign-out, the gate once an account exists, rate limits,
no hint whether an account exists, a new session value at sign-in (no fixation), cookies."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dosewise import clock
from dosewise.services import auth, people
from dosewise.store.db import Database
from tests.web.conftest import make_client, token

PASSWORD = "blue kettle on the stove 42"


@pytest.fixture(autouse=True)
def _cheap_hashes(cheap_hashes: None) -> None:
    """Accounts here are made with cheap hashes (tests.helpers.cheap_password_hashing)."""


@pytest.fixture
def owner(db: Database) -> auth.AccountOut:
    people.set_person(db, name="Ana", conditions=["ms-spasticity"], timezone="UTC")
    return auth.add_account(db, email="Ana@Example.org", role="person", password=PASSWORD)


def _sign_in(client, email: str = "ana@example.org", password: str = PASSWORD):
    return client.post("/signin", data={"email": email, "password": password, "csrf_token": token(client, "/signin")})


def test_without_accounts_nothing_changes(fresh_db: Database) -> None:
    people.set_person(fresh_db, name="Ana", conditions=["ms-spasticity"], timezone="UTC")
    client = make_client()
    assert client.get("/today").status_code == 200
    assert client.get("/api/v1/today").status_code == 200


def test_once_an_account_exists_every_page_needs_sign_in(owner: auth.AccountOut) -> None:
    client = make_client()
    page = client.get("/journal?days=3")
    assert page.status_code == 303 and page.headers["location"] == "/signin?next=%2Fjournal%3Fdays%3D3"
    assert client.get("/api/v1/today").status_code == 401
    assert client.post("/api/v1/today/rating", json={"value": 3}).status_code == 401
    assert client.get("/signin").status_code == 200
    assert client.get("/static/app.css").status_code == 200
    signed = _sign_in(client)
    assert signed.status_code == 303 and signed.headers["location"] == "/today"
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Max-Age" in cookie
    assert client.get("/api/v1/today").status_code == 200
    assert "Signed in as" in client.get("/today").text
    out = client.post("/signout", data={"csrf_token": token(client, "/today")})
    assert out.status_code == 303
    assert client.get("/api/v1/today").status_code == 401


def test_the_session_value_is_new_at_sign_in(owner: auth.AccountOut) -> None:
    attacker = make_client()
    attacker.get("/signin")
    planted = attacker.cookies.get("dosewise_session")
    t = token(attacker, "/signin")
    signed = attacker.post("/signin", data={"email": "ana@example.org", "password": PASSWORD, "csrf_token": t})
    assert signed.status_code == 303
    issued = signed.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    assert issued and issued != planted
    attacker.cookies.clear()
    attacker.cookies.set("dosewise_session", planted)
    assert attacker.get("/api/v1/today").status_code == 401  # the planted value was never signed in


def test_wrong_password_and_unknown_email_answer_the_same(owner: auth.AccountOut) -> None:
    client = make_client()
    wrong = _sign_in(client, password="not the password at all")
    unknown = _sign_in(client, email="nobody@example.org", password="not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert "email or the password is wrong" in wrong.text and "email or the password is wrong" in unknown.text
    assert PASSWORD not in wrong.text and "not the password at all" not in wrong.text
    j1 = client.post("/api/v1/signin", json={"email": "ana@example.org", "password": "x" * 12})
    j2 = client.post("/api/v1/signin", json={"email": "zed@example.org", "password": "x" * 12})
    assert j1.json() == j2.json() and j1.status_code == 401


def test_too_many_wrong_passwords_lock_the_account_and_say_so(owner: auth.AccountOut) -> None:
    client = make_client()
    for _ in range(auth.LOCK_AFTER):
        assert _sign_in(client, password="wrong password!!").status_code == 401
    locked = _sign_in(client)  # even the right password waits
    assert locked.status_code == 429 and "locked" in locked.text
    unknown = [_sign_in(client, email="ghost@example.org", password="wrong password!!") for _ in range(6)]
    assert unknown[-1].status_code == 429 and "locked" in unknown[-1].text  # the same for an unknown email
    clock.advance(timedelta(minutes=16))
    assert _sign_in(client).status_code == 303


def test_too_many_failures_from_one_client_wait(owner: auth.AccountOut, db: Database) -> None:
    client = make_client()
    for n in range(auth.CLIENT_LIMIT):
        _sign_in(client, email=f"guess{n}@example.org", password="wrong password!!")
    refused = _sign_in(client)
    assert refused.status_code == 429 and "this device" in refused.text


def test_a_session_expires(owner: auth.AccountOut) -> None:
    client = make_client()
    _sign_in(client)
    clock.advance(timedelta(days=auth.SIGNED_IN_DAYS + 1))
    assert client.get("/api/v1/today").status_code == 401


def test_the_first_run_creates_the_owner_once(fresh_db: Database) -> None:
    client = make_client()
    page = client.get("/first-run")
    assert page.status_code == 200 and "Create the first account" in page.text
    short = client.post(
        "/first-run",
        data={"email": "a@example.org", "password": "short", "name": "Ana", "csrf_token": token(client, "/first-run")},
    )
    assert short.status_code == 400 and "12 characters" in short.text and 'value="short"' not in short.text
    made = client.post(
        "/first-run",
        data={"email": "a@example.org", "password": PASSWORD, "name": "Ana", "csrf_token": token(client, "/first-run")},
    )
    assert made.status_code == 303
    assert client.get("/api/v1/today").status_code == 200  # signed in as the owner
    assert [a.is_owner for a in auth.list_accounts(fresh_db)] == [True]
    other = make_client()
    again = other.post("/api/v1/first-run", json={"email": "b@example.org", "password": PASSWORD})
    assert again.status_code == 404
    assert other.get("/api/v1/today").status_code == 401


def test_next_never_leaves_the_site(owner: auth.AccountOut) -> None:
    client = make_client()
    t = token(client, "/signin")
    out = client.post(
        "/signin?next=//evil.example/x", data={"email": "ana@example.org", "password": PASSWORD, "csrf_token": t}
    )
    assert out.headers["location"] == "/today"


def test_serving_beyond_this_machine_needs_an_account(fresh_db: Database) -> None:
    from dosewise.cli.commands.serve import refuse_if_exposed
    from dosewise.errors import InvalidInput

    with pytest.raises(InvalidInput, match="nobody has an account"):
        refuse_if_exposed("0.0.0.0", has_accounts=auth.has_accounts(fresh_db))
    refuse_if_exposed("127.0.0.1", has_accounts=False)
    people.set_person(fresh_db, name="Ana", conditions=["ms-spasticity"], timezone="UTC")
    auth.add_account(fresh_db, email="ana@example.org", role="person", password=PASSWORD)
    refuse_if_exposed("0.0.0.0", has_accounts=auth.has_accounts(fresh_db))


def test_served_beyond_this_machine_any_host_reaches_only_the_sign_in(owner: auth.AccountOut) -> None:
    from fastapi.testclient import TestClient

    from dosewise.config import get_settings
    from dosewise.web.app import create_app

    exposed = create_app(get_settings().replace(host="0.0.0.0"))
    phone = TestClient(exposed, base_url="http://192.168.1.20:8000", follow_redirects=False)
    assert phone.get("/today").status_code == 303
    assert phone.get("/api/v1/journal").status_code == 401
    assert _sign_in(phone).status_code == 303
    assert phone.get("/api/v1/today").status_code == 200
    loopback_only = make_client()
    loopback_only.headers["host"] = "192.168.1.20:8000"
    assert loopback_only.get("/signin").status_code == 400


def test_the_app_can_be_installed_before_signing_in(owner: auth.AccountOut) -> None:
    client = make_client()
    assert client.get("/manifest.webmanifest").status_code == 200
    assert client.get("/sw.js").status_code == 200
    assert client.get("/api/v1/today").status_code == 401
