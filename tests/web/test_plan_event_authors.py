"""Plan events (stay on a dose, step up again, restart) say who entered them, in the journal's words
(services/actors.entered_words): on the Plan page, in its JSON twin and in ``dosewise plan show``. An event
from before accounts (no account kept, the default "person") says nothing. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from dosewise.services import auth, plans, sharing
from dosewise.store.db import Database
from tests.conftest import NOW
from tests.web.conftest import make_client, submit

PASSWORD = "blue kettle on the stove 42"
CARER = "carer@example.org"
TODAY = NOW.date()


def _words(html: str) -> str:
    """The page's text as a reader hears it (tags dropped, spaces collapsed)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _plan(person: Database) -> None:
    plans.new_plan(person, product="Calm", protocol="conservative", start=TODAY - timedelta(days=4), now=NOW)


def test_the_plan_page_names_the_signed_in_caregiver_who_held_the_plan(person, db, cheap_hashes) -> None:
    _plan(person)
    auth.add_account(db, email=CARER, role="caregiver", password=PASSWORD)
    sharing.share(db, person="Ana", email=CARER, role="caregiver")
    carer = make_client()
    assert carer.post("/api/v1/signin", json={"email": CARER, "password": PASSWORD}).status_code == 200
    assert submit(carer, "/plan/hold", {}, page="/plan").status_code == 303
    words = f"entered by {CARER} (caregiver)"
    assert f"chose to stay on the dose · {words}" in _words(carer.get("/plan").text)
    event = carer.get("/api/v1/plan").json()["plan"]["events"][0]
    assert (event["entered_by"], event["entered_by_account"], event["entered_by_words"]) == ("caregiver", CARER, words)


def test_plan_show_says_an_event_was_entered_on_the_command_line(person, cli) -> None:
    _plan(person)
    assert cli("plan", "hold").code == 0
    shown = cli("plan", "show")
    assert shown.code == 0 and "hold · entered on the command line" in shown.out
    event = json.loads(cli("plan", "show", "--json").out)["events"][0]
    assert (event["entered_by_account"], event["entered_by_words"]) == ("command line", "entered on the command line")


def test_an_event_from_before_accounts_says_nothing_of_who_entered_it(person, cli) -> None:
    _plan(person)
    plans.hold_plan(person, now=NOW)  # no account acts: as stored before migration 0008
    event = plans.show_plan(person, now=NOW).events[0]
    assert (event.entered_by, event.entered_by_account, event.entered_by_words) == ("person", None, "")
    shown = cli("plan", "show").out
    assert "hold" in shown and "entered" not in shown and "unknown" not in shown
    assert "entered" not in make_client().get("/plan").text.split("What you recorded")[1]
