"""`dosewise account password EMAIL`: the owner of the computer sets a new password for a forgotten one. It
asks twice, hidden; a mismatch or a short password changes nothing; every sign-in of the account ends; the
reset is audited and the holder is asked to choose their own (SQLite and PostgreSQL)."""

from __future__ import annotations

import getpass
import io
import sys

import pytest
from sqlalchemy import select

from dosewise.services import auth, people
from dosewise.store.db import Database
from dosewise.store.tables import AuditRow
from tests.helpers import snapshot

PASSWORD = "blue kettle on the stove 42"
NEW = "seven swans on a quiet lake"


@pytest.fixture(autouse=True)
def _cheap_hashes(cheap_hashes: None) -> None:
    """Accounts here are made with cheap hashes (tests.helpers.cheap_password_hashing)."""


@pytest.fixture
def carer(db: Database) -> Database:
    people.set_person(db, name="Ana", conditions=["ms-spasticity"], timezone="UTC")
    auth.add_account(db, email="ana@example.org", role="person", password=PASSWORD)
    auth.add_account(db, email="carer@example.org", role="caregiver", password=PASSWORD)
    auth.sign_in(db, email="carer@example.org", password=PASSWORD, client="10.0.0.2", new_session="phone")
    return db


def _typed(monkeypatch: pytest.MonkeyPatch, *answers: str) -> list[str]:
    """Answer the hidden prompts with ``answers``; return the prompts shown."""
    asked: list[str] = []
    given = iter(answers)

    def fake_getpass(prompt: str = "", stream: object = None) -> str:
        asked.append(prompt)
        return next(given)

    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    return asked


def test_asks_twice_hidden_signs_out_everywhere_and_is_audited(cli, carer: Database, monkeypatch) -> None:
    asked = _typed(monkeypatch, NEW, NEW)
    done = cli("account", "password", "carer@example.org")
    assert done.code == 0, done.output
    assert len(asked) == 2  # both through getpass: nothing typed is echoed
    assert "New password (hidden)" in done.output and "The same new password again" in done.output
    assert "New password set for carer@example.org" in done.out and "1 sign-ins ended" in done.out
    assert "choose their own" in done.out and NEW not in done.output
    assert auth.account_of_session(carer, "phone") is None
    auth.sign_in(carer, email="carer@example.org", password=NEW, client="10.0.0.2", new_session="again")
    with carer.unscoped().read() as session:
        audited = session.scalars(select(AuditRow).order_by(AuditRow.id.desc())).first()
    assert audited is not None and (audited.action, audited.actor) == ("password-reset", "command line")
    listed = cli("account", "list")
    assert "carer@example.org  caregiver  (password chosen for them)" in listed.out


@pytest.mark.parametrize(
    ("answers", "says"),
    [((NEW, NEW + "!"), "The two passwords are not the same"), (("short", "short"), "at least 12 characters")],
)
def test_a_mismatch_or_a_short_password_changes_nothing(cli, carer, monkeypatch, answers, says) -> None:
    before = snapshot(carer)
    _typed(monkeypatch, *answers)
    refused = cli("account", "password", "carer@example.org")
    assert refused.code == 1 and says in refused.output and "Traceback" not in refused.output
    assert snapshot(carer) == before


def test_an_unknown_account_is_named_and_the_stdin_form_works(cli, carer: Database, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(NEW + "\n"))
    unknown = cli("account", "password", "nobody@example.org", "--password-stdin")
    assert unknown.code == 1 and "No account for nobody@example.org" in unknown.output
    monkeypatch.setattr(sys, "stdin", io.StringIO(NEW + "\n"))
    done = cli("account", "password", "carer@example.org", "--password-stdin", "--own-password")
    assert done.code == 0 and "choose their own" not in done.out
    assert [a.password_set_by for a in auth.list_accounts(carer)] == [None, None]


def test_help_says_it_is_the_owners_way_in() -> None:
    from typer.testing import CliRunner

    from dosewise.cli.app import app

    shown = CliRunner().invoke(app, ["account", "password", "--help"])
    words = " ".join(shown.output.replace("│", " ").split())
    assert shown.exit_code == 0 and "for the owner of this computer" in words and "forgot theirs" in words
