"""The daily dose ceiling set for the person: a running plan is capped at once everywhere it is shown (plan
show, .ics, reminders, Today's planned dose, the clinician report), the ceiling only lowers, who may change it,
every change audited, a dose above it warns. Service and CLI, SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from dosewise import clock
from dosewise.errors import InvalidInput, NotAllowed
from dosewise.services import ceilings, journal, people, plans, products, reminders, reports
from dosewise.store.db import Database
from dosewise.store.tables import AuditRow
from tests.conftest import NOW
from tests.helpers import snapshot

DOC = "doc@example.org"


@pytest.fixture
def ana(db: Database) -> Database:
    """Ana on the nabiximols plan for 10 days: today (day 11) 4 sprays at 09:00 and 5 at 21:00 (24.3 mg THC)."""
    clock.set_now(NOW - timedelta(days=10))
    people.set_person(db, name="Ana", conditions=["ms-spasticity"], weight_kg=64, birth_year=1979, timezone="UTC")
    products.add_product(db, name="Sativex", form="spray", thc_mg=2.7, cbd_mg=2.5, per="spray")
    plans.new_plan(db, product="Sativex", protocol="nabiximols")
    clock.set_now(NOW.replace(hour=6))
    return db


def _audit(db: Database) -> list[tuple[str, str]]:
    with db.read() as session:
        return [(r.actor, r.action) for r in session.scalars(select(AuditRow).order_by(AuditRow.id))]


def test_a_lower_ceiling_caps_the_running_plan_at_once_everywhere(ana, cli, tmp_path):
    before = plans.show_plan(ana)
    assert before.today.thc_mg_per_day == pytest.approx(24.3)
    r = cli("ceiling", "set", "--thc", "10", "--note", "Dizzy at 9 sprays")
    assert r.code == 0, r.err
    assert "Daily ceiling: 10 mg THC a day" in r.out and "Ceiling set on the command line on 21 November 2026" in r.out
    plan = plans.show_plan(ana)
    assert plan.today.thc_mg_per_day == pytest.approx(8.1)  # 3 sprays: the most whole sprays under 10 mg
    assert all(d.thc_mg_per_day <= 10 + 1e-9 for d in plan.days)
    assert plan.ceiling.thc_mg_per_day == 10 and "Lowered to 10 mg THC" in plan.ceiling.why
    shown = cli("plan", "show").out
    assert "Daily ceiling: 10 mg THC" in shown and "24.3" not in shown
    ics = tmp_path / "plan.ics"
    assert cli("plan", "export", "--ics", str(ics)).code == 0
    amounts = [int(n) for n in re.findall(r"SUMMARY:Sativex: (\d+) spray", ics.read_text())]
    assert amounts and max(amounts) * 2.7 <= 10
    due = [x for x in reminders.list_reminders(ana).reminders if x.kind == "dose"]
    assert sum(int(x.amount_text.split()[0]) for x in due) * 2.7 <= 10
    report = reports.clinician_report(ana)
    assert report.dose_ceiling == (
        'At most 10 mg THC a day. Ceiling set on the command line on 21 November 2026: "Dizzy at 9 sprays".'
    )
    assert _audit(ana) == [("command line", "ceiling-set")]


def test_the_ceiling_never_raises_a_plan_above_its_protocol_and_refuses_above_it(ana, cli):
    before = snapshot(ana)
    r = cli("ceiling", "set", "--thc", "31")
    assert r.code == 1 and "above the nabiximols protocol's ceiling (30 mg THC a day)" in r.err
    assert snapshot(ana) == before
    for bad in ("0", "-3", "lots", "nan"):
        r = cli("ceiling", "set", "--thc", bad)
        assert r.code == 1 and "Traceback" not in r.output and snapshot(ana) == before
    assert cli("ceiling", "set").code == 1 and snapshot(ana) == before
    assert cli("ceiling", "set", "--thc", "30").code == 0  # up to the protocol's own: allowed, changes nothing
    assert plans.show_plan(ana).today.thc_mg_per_day == pytest.approx(24.3)


def test_clearing_gives_the_plan_back_its_protocol_ceiling(ana, cli):
    assert cli("ceiling", "set", "--thc", "10").code == 0
    r = cli("ceiling", "clear")
    assert r.code == 0 and "The ceiling is removed" in r.out and "No ceiling is set" in r.out
    assert plans.show_plan(ana).today.thc_mg_per_day == pytest.approx(24.3)
    assert cli("ceiling", "clear").code == 1  # nothing to remove
    shown = json.loads(cli("ceiling", "show", "--json").out)
    assert shown["ceiling"] is None and shown["highest_thc_mg_per_day"] == 30
    assert [a for _, a in _audit(ana)] == ["ceiling-set", "ceiling-cleared"]


def test_who_may_set_lower_raise_and_clear(ana):
    before = snapshot(ana)
    for write in (
        lambda: ceilings.set_ceiling(ana, thc_mg="5", actor="carer@example.org", role="caregiver"),
        lambda: ceilings.clear_ceiling(ana, actor="carer@example.org", role="caregiver"),
    ):
        with pytest.raises(NotAllowed, match="A caregiver cannot"):
            write()
    assert snapshot(ana) == before
    out = ceilings.set_ceiling(ana, thc_mg="12", note="Review in 4 weeks", actor=DOC, role="clinician")
    assert out.ceiling.words == "Ceiling set by doc@example.org (clinician) on 21 November 2026"
    ceilings.set_ceiling(ana, thc_mg="9", actor="ana@example.org", role="person")  # the person may lower it
    for write in (
        lambda: ceilings.set_ceiling(ana, thc_mg="11", actor="ana@example.org", role="person"),
        lambda: ceilings.set_ceiling(ana, thc_mg="11", actor="command line", role=None),
        lambda: ceilings.clear_ceiling(ana, actor="ana@example.org", role="person"),
    ):
        before = snapshot(ana)
        with pytest.raises(NotAllowed, match="only a clinician can"):
            write()
        assert snapshot(ana) == before
    raised = ceilings.set_ceiling(ana, thc_mg="30", actor=DOC, role="clinician")  # back up to the protocol's
    assert raised.ceiling.thc_mg_per_day == 30
    with pytest.raises(InvalidInput):
        ceilings.set_ceiling(ana, thc_mg="40", actor=DOC, role="clinician")  # never above the protocol
    ceilings.clear_ceiling(ana, actor=DOC, role="clinician")
    assert [a for _, a in _audit(ana)] == ["ceiling-set", "ceiling-lowered", "ceiling-raised", "ceiling-cleared"]


def test_a_person_may_raise_a_ceiling_only_they_set(ana):
    ceilings.set_ceiling(ana, thc_mg="8", actor="ana@example.org", role="person")
    ceilings.set_ceiling(ana, thc_mg="15", actor="ana@example.org", role="person")
    assert ceilings.show_ceiling(ana).ceiling.thc_mg_per_day == 15


def test_a_dose_above_the_ceiling_on_a_day_warns_and_says_who_set_it(ana):
    ceilings.set_ceiling(ana, thc_mg="10", actor=DOC, role="clinician")
    first = journal.record_dose(ana, product="Sativex", amount="3 sprays", now=NOW.replace(hour=9))
    assert first.alerts == []  # 8.1 mg: under the ceiling
    over = journal.record_dose(ana, product="Sativex", amount="1 spray", now=NOW.replace(hour=13))
    assert [a.rule_id for a in over.alerts] == ["dose-above-set-ceiling"]
    alert = over.alerts[0]
    assert "Do not take any more today" in alert.message
    said = "10.8 mg THC in one day, above the ceiling set by doc@example.org (clinician) on 21 November 2026 of 10 mg"
    assert said in alert.why


def test_lowering_the_ceiling_below_todays_logged_doses_warns_at_once(ana):
    clock.set_now(NOW.replace(hour=10))
    journal.record_dose(ana, product="Sativex", amount="4 sprays", now=NOW.replace(hour=9))
    out = ceilings.set_ceiling(ana, thc_mg="6", actor=DOC, role="clinician")
    assert [a.rule_id for a in out.new_alerts] == ["dose-above-set-ceiling"]


def test_a_new_plan_is_made_under_the_ceiling(ana):
    ceilings.set_ceiling(ana, thc_mg="10", actor=DOC, role="clinician")
    clock.advance(timedelta(minutes=5))
    plan = plans.new_plan(ana, product="Sativex", protocol="nabiximols")
    assert max(d.thc_mg_per_day for d in plan.days) <= 10
    assert plan.ceiling.set_by == "by doc@example.org (clinician)"


def test_a_ceiling_below_one_spray_stops_the_running_plan_and_says_why(ana):
    ceilings.set_ceiling(ana, thc_mg="2", actor=DOC, role="clinician")
    with pytest.raises(Exception, match=r"below one spray of 'Sativex'"):
        plans.show_plan(ana)
    assert [x for x in reminders.list_reminders(ana).reminders if x.kind == "dose"] == []
