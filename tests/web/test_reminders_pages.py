"""The Reminders page and its JSON twin: Taken / Skipped / Snooze 30 min as forms, settings, due reminders on
Today, refusals that change nothing, and no database id on the page."""

from __future__ import annotations

import re
from datetime import timedelta

from dosewise import clock
from dosewise.services import people, plans
from tests.conftest import NOW
from tests.helpers import snapshot
from tests.web.conftest import submit


def _sativex_at_nine(ana) -> None:
    clock.set_now(NOW - timedelta(days=10))
    people.set_person(ana, birth_year=1980)
    plans.new_plan(ana, product="Sativex", protocol="nabiximols")
    clock.set_now(NOW.replace(hour=9, minute=5))


def test_a_due_dose_is_answered_taken_from_the_page(client, ana):
    _sativex_at_nine(ana)
    page = client.get("/reminders").text
    assert "Take 4 sprays of Sativex" in page and "Snooze 30 min" in page and 'name="answer" value="taken"' in page
    assert "/static/reminders.js" in page and "<script>" not in page
    data = client.get("/api/v1/reminders").json()
    due = [r for r in data["reminders"]["reminders"] if r["due_now"]]
    assert [r["id"] for r in due] == ["1121-d0900"]
    r = submit(client, "/reminders/answer", {"reminder": "1121-d0900", "answer": "taken"}, page="/reminders")
    assert r.status_code == 303 and r.headers["location"].startswith("/reminders?saved=taken")
    page = client.get(r.headers["location"]).text
    assert "Taken: your dose is logged as planned." in page
    journal = client.get("/api/v1/journal").json()["journal"]["days"][0]["entries"]
    assert [(e["item"], e["amount_text"]) for e in journal if e["kind"] == "dose"] == [("Sativex", "4 sprays")]
    assert "channel" not in page  # plain words only


def test_today_shows_the_due_reminder_with_its_buttons(client, ana):
    _sativex_at_nine(ana)
    page = client.get("/today").text
    assert "Reminders due now" in page and "Take 4 sprays of Sativex" in page and "Snooze 30 min" in page
    assert client.get("/api/v1/today").json()["reminders_due"][0]["id"] == "1121-d0900"
    r = submit(client, "/reminders/answer", {"reminder": "1121-d0900", "answer": "snooze"}, page="/today")
    assert r.status_code == 303
    assert "Reminders due now" not in client.get("/today").text


def test_a_withdrawn_reminder_cannot_be_answered_and_nothing_changes(client, ana):
    _sativex_at_nine(ana)
    submit(client, "/today/worry", {"item": "chest-pain"})
    page = client.get("/reminders").text
    assert "Not needed now" in page and "urgent alert" in page
    before = snapshot(ana)
    r = submit(client, "/reminders/answer", {"reminder": "1121-d0900", "answer": "taken"}, page="/reminders")
    assert r.status_code == 400 and "withdrawn" in r.text and snapshot(ana) == before
    api = client.post("/api/v1/reminders/answer", json={"reminder": "1121-d0900", "answer": "taken"})
    assert api.status_code == 400 and "withdrawn" in api.json()["error"]


def test_settings_form_and_json(client, ana):
    r = submit(
        client,
        "/reminders/settings",
        {"kinds_shown": "yes", "on_dose": "on", "quiet_start": "22:30", "quiet_end": "07:00", "checkin_at": "19:00",
         "after_oromucosal": "90", "after_oral": "", "after_inhaled": ""},
        page="/reminders",
    )  # fmt: skip
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "Reminder settings saved: quiet hours 22:30–07:00, check-in at 19:00, score 90 minutes after a dose" in page
    s = client.get("/api/v1/reminders").json()["settings"]
    assert s["kinds"] == {"dose": True, "check-in": False, "after-dose-rating": False, "review": False, "missed": False}
    assert s["after_dose_minutes"] == {"inhaled": None, "oromucosal": 90, "oral": None}
    r = client.post("/api/v1/reminders/settings", json={"on_check-in": "true"})
    assert r.status_code == 200 and r.json()["kinds"]["check-in"] is True and r.json()["kinds"]["dose"] is True
    before = snapshot(ana)
    bad = submit(client, "/reminders/settings", {"quiet_start": "25:99"}, page="/reminders")
    assert bad.status_code == 400 and "not a time of day" in bad.text and snapshot(ana) == before
    bad = client.post("/api/v1/reminders/settings", json={"after_oral": "9999"})
    assert bad.status_code == 400 and "1 to 720" in bad.json()["error"]


def test_the_page_shows_no_database_id(client, ana):
    _sativex_at_nine(ana)
    page = client.get("/reminders").text
    visible = re.sub(r"<[^>]+>", " ", page)
    assert "1121-d0900" not in visible  # the short id travels in a hidden field only
    assert "reminder_state" not in page and "dose_id" not in page


def test_insights_and_the_clinician_report_show_adherence_per_week(client, ana):
    from dosewise.reports import clinician
    from dosewise.services import reminders, reports

    _sativex_at_nine(ana)
    reminders.deliver_due(ana)
    reminders.answer_reminder(ana, reminder_id="1121-d0900", answer="taken", channel="web")
    clock.set_now(NOW + timedelta(days=1))
    page = client.get("/insights").text
    assert "Doses, check-ins and reminders, week by week" in page and "1 of 1" in page
    weeks = client.get("/api/v1/insights").json()["adherence"]["weeks"]
    assert weeks[-1]["doses_taken"] == 1 and weeks[-1]["reminders_answered"] == 1
    html = clinician.render_html(reports.clinician_report(ana))
    assert "planned doses taken / check-in days / reminders answered" in html
