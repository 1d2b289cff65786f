"""GET requests never write: opening any page leaves every table exactly as it was (the rules run on writes)."""

from __future__ import annotations

import pytest

from dosewise.services import backup, safety
from dosewise.services.runtime import get_person_row
from dosewise.store.tables import SymptomRow
from tests.conftest import NOW
from tests.unit.test_architecture_doc import web_routes

# Pages with a path parameter, opened with a real value; the rest are opened as they are.
EXAMPLES = {"/guide/{condition}": "/guide/ms-spasticity", "/ask": "/ask?q=does+cbd+help+spasms"}
SLOW_OR_FILE = {"/report.pdf"}  # a PDF render: a read, tested with the report; too slow to repeat here


def _pages() -> list[str]:
    paths = sorted(r.split(" ", 1)[1] for r in web_routes() if r.startswith("GET "))
    return [EXAMPLES.get(p, p) for p in paths if p not in SLOW_OR_FILE and ("{" not in p or p in EXAMPLES)]


@pytest.fixture
def unchecked_red_flag(ana):
    """A chest-pain entry stored behind the services' back: a rule would fire if anything ran the rules."""
    with ana.transaction() as session:
        person = get_person_row(session)
        session.add(SymptomRow(person_id=person.id, symptom="chest-pain", at=NOW, entered_by="person"))
    return ana


def test_no_get_request_writes_even_with_a_rule_waiting_to_fire(unchecked_red_flag, client):
    pages = _pages()
    assert "/alerts" in pages and "/today" in pages and len(pages) >= 12
    before = backup.table_dump(unchecked_red_flag)
    for page in pages:
        status = client.get(page).status_code
        assert status < 500, page
        assert backup.table_dump(unchecked_red_flag) == before, f"GET {page} wrote to the database"


def test_the_alerts_command_still_checks_the_rules_on_demand(unchecked_red_flag):
    assert safety.list_alerts(unchecked_red_flag) == []
    found = safety.check_alerts(unchecked_red_flag, now=NOW)
    assert [a.rule_id for a in found] == ["fainting-chest-pain"]
