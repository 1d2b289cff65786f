"""Inviting someone on the Sharing page: an account and a grant in one step, audited; refused input changes
nothing and keeps the form (never the password); only the person's own account may invite (SQLite and
PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dosewise.services import auth, people, sharing
from dosewise.store.db import Database
from dosewise.store.tables import AuditRow
from tests.helpers import snapshot
from tests.web.conftest import make_client, token

PASSWORD = "blue kettle on the stove 42"
THEIRS = "violet umbrella in the hall"


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


def _invite(client, **fields: str):
    data = {"email": "nurse@example.org", "role": "clinician", "password": THEIRS, **fields}
    return client.post("/sharing/invite", data={**data, "csrf_token": token(client, "/sharing")})


def test_the_owner_invites_a_clinician_who_then_signs_in_and_reads_the_journal(owner, db: Database) -> None:
    page = owner.get("/sharing").text
    assert "Invite someone" in page and 'action="/sharing/invite"' in page
    sent = _invite(owner, email="Nurse@Example.org")
    assert sent.status_code == 303 and sent.headers["location"] == "/sharing?saved=invited"
    page = owner.get("/sharing?saved=invited").text
    assert "Account added and shared." in page and "nurse@example.org</strong>, clinician" in page
    grants = [(g.email, g.role, g.granted_by) for g in sharing.list_grants(db) if g.live]
    assert grants == [("nurse@example.org", "clinician", "ana@example.org")]
    with db.unscoped().read() as session:
        audited = session.execute(select(AuditRow.action, AuditRow.actor).order_by(AuditRow.id)).all()
    assert [tuple(a) for a in audited[-2:]] == [
        ("account-added", "ana@example.org"),
        ("grant-added", "ana@example.org"),
    ]
    nurse = _signed_in("nurse@example.org", THEIRS)
    assert nurse.get("/api/v1/journal").status_code == 200
    refused = nurse.post("/api/v1/journal/dose", json={"product": "x", "amount": "1 ml"})
    assert refused.status_code == 403  # a clinician reads and adds notes only


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"password": "short"}, "at least 12 characters"),
        ({"email": "ana@example.org"}, "already an account for ana@example.org"),
        ({"email": "not an email"}, "email address"),
        ({"role": "owner"}, "Share as one of"),
        ({"until": "2020-01-01"}, "in the past"),
    ],
)
def test_refused_input_changes_nothing_and_keeps_the_form_but_not_the_password(owner, db, fields, says) -> None:
    before = snapshot(db)
    answer = _invite(owner, **fields)
    assert answer.status_code in (400, 409) and says in answer.text
    assert "Not saved." in answer.text and THEIRS not in answer.text
    if "email" not in fields:
        assert 'value="nurse@example.org"' in answer.text  # what they typed is kept
    after = snapshot(db)
    after.pop("sign_in_attempt", None), before.pop("sign_in_attempt", None)
    assert after == before


def test_only_the_persons_own_account_invites(owner, db: Database) -> None:
    auth.add_account(db, email="carer@example.org", role="caregiver", password=PASSWORD)
    sharing.share(db, email="carer@example.org", role="caregiver")
    carer = _signed_in("carer@example.org")
    before = snapshot(db)
    for answer in (
        carer.post("/api/v1/sharing/invite", json={"email": "x@example.org", "role": "caregiver", "password": THEIRS}),
        _invite(carer),
    ):
        assert answer.status_code == 403
    assert "Invite someone" not in carer.get("/today").text
    after = snapshot(db)
    assert {k: v for k, v in after.items() if k != "web_session"} == {
        k: v for k, v in before.items() if k != "web_session"
    }


def test_without_any_account_the_first_account_is_never_an_invited_one(db: Database) -> None:
    people.set_person(db, name="Ana", conditions=["ms-spasticity"], timezone="UTC")
    local = make_client()
    assert "create your own account first" in local.get("/sharing").text
    before = snapshot(db)
    answer = local.post(
        "/api/v1/sharing/invite", json={"email": "x@example.org", "role": "caregiver", "password": THEIRS}
    )
    assert answer.status_code == 403 and "Create your own account first" in answer.json()["error"]
    assert snapshot(db) == before
