"""The Plan and Today pages when a plan is stopped, held or restarted (HTML and the JSON twin)."""

from datetime import timedelta

from icalendar import Calendar

from dosewise import clock
from dosewise.services import journal, people, plans
from tests.conftest import NOW
from tests.web.conftest import submit

TODAY = NOW.date()


def _stopped_sativex(ana) -> None:
    people.set_person(ana, birth_year=1980)
    plans.new_plan(ana, product="Sativex", protocol="nabiximols", start=TODAY - timedelta(days=10), now=NOW)
    journal.record_symptom(ana, symptom="chest-pain")


def test_a_stopped_plan_lists_no_dose_and_today_offers_no_dose_button(client, ana):
    _stopped_sativex(ana)
    data = client.get("/api/v1/plan").json()["plan"]
    assert data["status"] == "stopped"
    assert all(d["doses"] == [] for d in data["days"] if d["date"] >= TODAY.isoformat())
    page = client.get("/plan").text
    assert "Your plan is stopped" in page and "Do not take another dose" in page
    assert "My clinician agreed to restart" in page and 'data-example="' in page
    today = client.get("/today")
    assert "Do not take another dose" in today.text and "I took my" not in today.text
    assert client.get("/api/v1/today").json()["today"]["usual_dose"] is None
    events = Calendar.from_ical(client.get("/plan.ics").content).walk("VEVENT")
    doses = [e.decoded("dtstart").date() for e in events if "review" not in str(e.get("summary"))]
    assert doses and max(doses) < TODAY


def test_acknowledging_on_the_web_does_not_restart_and_the_restart_form_keeps_the_note(client, ana):
    _stopped_sativex(ana)
    alert_id = client.get("/api/v1/alerts").json()["alerts"][0]["id"]
    submit(client, f"/alerts/{alert_id}/acknowledge", {}, page="/alerts")
    assert client.get("/api/v1/plan").json()["plan"]["status"] == "stopped"
    refused = submit(client, "/plan/resume", {"note": " "}, page="/plan")
    assert refused.status_code == 400 and "who agreed" in refused.text.lower()
    clock.advance(timedelta(hours=20))
    r = submit(client, "/plan/resume", {"note": "Dr Silva agreed by phone"}, page="/plan")
    assert r.status_code == 303
    plan = client.get("/api/v1/plan").json()["plan"]
    assert plan["status"] == "held" and plan["today"]["doses"]
    assert plan["events"][0]["note"] == "Dr Silva agreed by phone"
    assert "Dr Silva agreed by phone" in client.get("/plan").text


def test_this_dose_works_stay_here_on_the_plan_page(client, ana):
    people.set_person(ana, birth_year=1980)
    plans.new_plan(ana, product="Calm", protocol="conservative", start=TODAY - timedelta(days=4), now=NOW)
    assert "This dose works, stay here" in client.get("/plan").text
    r = submit(client, "/plan/hold", {}, page="/plan")
    assert r.status_code == 303
    plan = client.get("/api/v1/plan").json()["plan"]
    assert plan["status"] == "held" and plan["next_change"] is None
    page = client.get("/plan").text
    assert "Staying on this dose" in page and "Let the plan step up again" in page
    submit(client, "/plan/continue", {"note": ""}, page="/plan")
    assert client.get("/api/v1/plan").json()["plan"]["status"] == "active"


def test_used_thc_before_is_a_flag_on_the_about_you_page_and_opens_the_rapid_protocol(client, ana):
    from dosewise.services import products

    products.add_product(ana, name="Balance 10:10", form="oil", thc_mg=10, cbd_mg=10, per="ml", drop_ml=0.05)
    refused = submit(client, "/plan", {"product": "Balance 10:10", "protocol": "rapid"}, page="/plan")
    assert refused.status_code == 400 and "routine protocol" in refused.text
    assert 'name="flag_used-thc-before"' in client.get("/setup").text
    submit(client, "/setup", {"flag_used-thc-before": "yes"}, page="/setup")
    assert "used-thc-before" in client.get("/api/v1/setup").json()["person"]["flags"]
    assert submit(client, "/plan", {"product": "Balance 10:10", "protocol": "rapid"}, page="/plan").status_code == 303


def test_without_a_birth_year_the_plan_page_asks_for_it_and_links_to_about_you(empty_client, fresh_db):
    from dosewise.services import products

    people.set_person(fresh_db, name="Kim", conditions=["dystonia"], timezone="UTC")
    products.add_product(fresh_db, name="Calm CBD oil 1000", form="oil", cbd_mg=33.3, thc_mg=0, per="ml")
    r = submit(empty_client, "/plan", {"product": "Calm CBD oil 1000", "protocol": "conservative"}, page="/plan")
    assert r.status_code == 400 and "year of birth" in r.text and 'href="/setup#setup-birth_year"' in r.text
    assert empty_client.get("/api/v1/plan").json()["plan"] is None
