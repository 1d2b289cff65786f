"""Red flags on journal writes: new alerts at once, urgent banner on every command until acknowledged, dedupe."""

import json
from datetime import timedelta

from dosewise.services import journal, people, safety
from tests.conftest import NOW


def test_logging_a_red_flag_symptom_returns_the_new_alert(person):
    out = journal.record_symptom(person, symptom="chest-pain", now=NOW)
    assert [a.rule_id for a in out.alerts] == ["fainting-chest-pain"]
    assert out.alerts[0].level == "urgent" and out.alerts[0].why


def test_same_episode_is_not_alerted_twice(person):
    journal.record_symptom(person, symptom="fall", now=NOW)
    again = journal.record_symptom(person, symptom="fall", now=NOW + timedelta(minutes=5))
    assert again.alerts == []
    assert len(safety.check_alerts(person, now=NOW + timedelta(minutes=6))) == 1


def test_after_acknowledging_a_new_episode_alerts_again(person):
    journal.record_symptom(person, symptom="fall", now=NOW)
    safety.acknowledge_alerts(person, all_=True, now=NOW + timedelta(minutes=1))
    later = journal.record_symptom(person, symptom="fall", now=NOW + timedelta(hours=2))
    assert [a.rule_id for a in later.alerts] == ["fall"]


def test_urgent_banner_shows_on_every_command_until_acknowledged(person, cli):
    r = cli("log", "symptom", "fainting")
    assert "URGENT" in r.err
    r = cli("med", "list")
    assert "URGENT" in r.err
    alerts = json.loads(cli("alerts", "--json").out)
    assert alerts[0]["level"] == "urgent" and alerts[0]["acknowledged_at"] is None
    assert cli("alerts", "ack", str(alerts[0]["id"])).code == 0
    assert "URGENT" not in cli("med", "list").err


def test_als_weight_loss_and_breathing_rules(db):
    people.set_person(db, name="Lee", conditions=["als"], timezone="UTC")
    journal.record_measurement(db, kind="weight", value=70, at=NOW - timedelta(days=40), now=NOW)
    out = journal.record_measurement(db, kind="weight", value=66, now=NOW)
    assert [a.rule_id for a in out.alerts] == ["als-weight-loss"]
    out = journal.record_symptom(db, symptom="orthopnoea", now=NOW)
    assert [a.rule_id for a in out.alerts] == ["als-breathing"]


def test_deleted_entries_are_not_seen_by_the_rules(person):
    from dosewise.services.alerts import journal_events
    from dosewise.services.runtime import get_person_row

    out = journal.record_symptom(person, symptom="jaundice", now=NOW)
    journal.delete_entry(person, kind="symptom", entry_id=out.entry.id, now=NOW)
    with person.read() as session:
        events = journal_events(session, get_person_row(session).id, now=NOW)
    assert all(e.item != "jaundice" for e in events)


def test_ack_unknown_id_is_a_clear_error(person, cli):
    r = cli("alerts", "ack", "999")
    assert r.code == 1 and "No alert with id 999" in r.err
    r = cli("alerts", "ack")
    assert r.code == 1 and "--all" in r.err


def test_urgent_alert_text_is_shown_in_full(person, cli):
    r = cli("log", "symptom", "chest-pain")
    shown = " ".join(r.err.replace("\u2502", " ").split())
    assert "Do not take another dose until a doctor has seen you." in shown


def test_logging_doses_above_the_plan_ceiling_raises_an_alert(person):
    from dosewise.services import plans

    plans.new_plan(person, product="Sativex", protocol="nabiximols", now=NOW)
    out = journal.record_dose(person, product="Sativex", amount="11 sprays", now=NOW)
    assert out.alerts == []  # 29.7 mg THC: at the ceiling, not above
    out = journal.record_dose(person, product="Sativex", amount="1 spray", now=NOW + timedelta(minutes=20))
    assert [a.rule_id for a in out.alerts] == ["dose-above-plan-ceiling"]
    assert "32.4 mg THC" in out.alerts[0].why


def test_a_new_episode_weeks_later_alerts_again_even_if_the_old_one_was_never_acknowledged(person):
    journal.record_symptom(person, symptom="fall", now=NOW - timedelta(days=30))
    again = journal.record_symptom(person, symptom="fall", now=NOW)
    assert [a.rule_id for a in again.alerts] == ["fall"]
    assert len(safety.check_alerts(person, now=NOW)) == 2
