"""Urgent alerts show as a banner on every page until acknowledged; the Alerts page lists them all."""

from datetime import UTC, datetime

import pytest

from dosewise.store.db import Database
from dosewise.store.tables import AlertRow
from tests.web.conftest import submit

PAGES = ("/today", "/journal", "/products", "/medicines", "/plan", "/trial", "/insights", "/guide", "/alerts")


@pytest.fixture
def urgent(ana: Database) -> int:
    with ana.for_everyone().transaction() as s:
        row = AlertRow(
            person_id=1,
            rule_id="test-breathing",
            key="test-breathing:1",
            level="urgent",
            message="Breathing trouble <b>lying flat</b>",
            why="You logged it twice this week.",
            refs=[],
            first_seen=datetime(2026, 11, 20, 9, tzinfo=UTC),
            last_seen=datetime(2026, 11, 20, 9, tzinfo=UTC),
        )
        s.add(row)
        s.flush()
        return row.id


def test_an_urgent_alert_is_on_every_page_until_acknowledged(client, urgent):
    for path in PAGES:
        page = client.get(path).text
        assert "Urgent: test-breathing" in page and "Breathing trouble &lt;b&gt;lying flat&lt;/b&gt;" in page, path
    assert client.get("/api/v1/journal").json()["frame"]["urgent_alerts"][0]["level"] == "urgent"
    assert "(1 open)" in client.get("/today").text
    r = submit(client, f"/alerts/{urgent}/acknowledge", {}, page="/alerts")
    assert r.status_code == 303
    for path in PAGES:
        assert "Urgent: test-breathing" not in client.get(path).text, path
    assert "open)" not in client.get("/today").text
    listed = client.get("/api/v1/alerts").json()["alerts"]
    assert listed[0]["acknowledged_at"] is not None


def test_alerts_say_their_level_in_words(client, urgent):
    assert "Urgent — seek care now" in client.get("/alerts").text


def test_acknowledging_an_unknown_alert_is_a_404(client):
    assert submit(client, "/alerts/77/acknowledge", {}, page="/today").status_code == 404


def test_acknowledging_all_open_alerts(client, urgent, ana):
    with ana.for_everyone().transaction() as s:
        s.add(
            AlertRow(
                person_id=1,
                rule_id="test-other",
                key="test-other:1",
                level="soon",
                message="Call soon.",
                why="Test.",
                refs=[],
                first_seen=datetime(2026, 11, 20, 10, tzinfo=UTC),
                last_seen=datetime(2026, 11, 20, 10, tzinfo=UTC),
            )
        )
    assert "Acknowledge all 2 open alerts" in client.get("/alerts").text
    assert submit(client, "/alerts/acknowledge-all", {}, page="/alerts").status_code == 303
    assert all(a["acknowledged_at"] for a in client.get("/api/v1/alerts").json()["alerts"])
    assert "open)" not in client.get("/today").text
