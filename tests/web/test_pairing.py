"""Pairing a phone: a one-time code made on the signed-in computer signs the phone in as the same account;
once only, within minutes; a replayed, expired or guessed code is refused; the QR code carries the address."""

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
def computer(db: Database):
    people.set_person(db, name="Ana", conditions=["ms-spasticity"], timezone="UTC")
    auth.add_account(db, email="ana@example.org", role="person", password=PASSWORD)
    client = make_client()
    assert client.post("/api/v1/signin", json={"email": "ana@example.org", "password": PASSWORD}).status_code == 200
    return client


def test_a_code_signs_the_phone_in_once(computer) -> None:
    page = computer.post("/pair/new", data={"csrf_token": token(computer, "/pair")})
    assert page.status_code == 201 and "data:image/svg+xml" in page.text
    made = computer.post("/api/v1/pair/new", json={}).json()["made"]
    phone = make_client()
    assert phone.get("/api/v1/today").status_code == 401
    assert phone.get(f"/pair?code={made['code']}").status_code == 200  # the QR code's address opens the form
    paired = phone.post("/api/v1/pair", json={"code": made["code"].lower()})
    assert paired.status_code == 200 and paired.json()["email"] == "ana@example.org"
    assert phone.get("/api/v1/today").status_code == 200
    thief = make_client()
    replay = thief.post("/api/v1/pair", json={"code": made["code"]})
    assert replay.status_code == 401 and "already used" in replay.json()["error"]
    assert thief.get("/api/v1/today").status_code == 401


def test_an_old_code_is_refused(computer) -> None:
    made = computer.post("/api/v1/pair/new", json={}).json()["made"]
    clock.advance(timedelta(minutes=auth.PAIRING_MINUTES + 1))
    assert make_client().post("/api/v1/pair", json={"code": made["code"]}).status_code == 401


def test_guessing_codes_is_rate_limited(computer) -> None:
    phone = make_client()
    for _ in range(auth.LOCK_AFTER):
        assert phone.post("/api/v1/pair", json={"code": "AAAAA-AAAAA"}).status_code == 401
    made = computer.post("/api/v1/pair/new", json={}).json()["made"]
    assert phone.post("/api/v1/pair", json={"code": made["code"]}).status_code == 429


def test_only_a_signed_in_computer_makes_codes(computer) -> None:
    assert make_client().post("/api/v1/pair/new", json={}).status_code == 401
