"""The daily ceiling on the Plan page: the form sets it, Today's planned dose and the plan follow at once, bad
input re-renders the form with nothing changed, and the JSON twin answers at the same route."""

from datetime import timedelta

from dosewise.services import ceilings, people, plans
from tests.conftest import NOW
from tests.helpers import snapshot
from tests.web.conftest import submit

TODAY = NOW.date()


def _sativex_plan(ana) -> None:
    people.set_person(ana, birth_year=1980)
    plans.new_plan(ana, product="Sativex", protocol="nabiximols", start=TODAY - timedelta(days=10), now=NOW)


def test_the_plan_page_form_sets_the_ceiling_and_the_plan_and_today_follow_at_once(client, ana):
    _sativex_plan(ana)
    assert client.get("/api/v1/plan").json()["plan"]["today"]["thc_mg_per_day"] > 20
    page = client.get("/plan").text
    assert "No ceiling is set" in page and 'name="thc_mg"' in page and 'data-example="25"' in page
    answer = submit(client, "/plan/ceiling", {"thc_mg": "10", "note": "Agreed with Dr Silva"}, page="/plan")
    assert answer.status_code == 303
    page = client.get(answer.headers["location"]).text
    assert "The daily ceiling is set" in page and "At most 10 mg THC a day." in page
    assert "Ceiling set on this computer on 21 November 2026: “Agreed with Dr Silva”" in page
    data = client.get("/api/v1/plan").json()
    assert data["plan"]["today"]["thc_mg_per_day"] <= 10 and data["ceiling"]["ceiling"]["thc_mg_per_day"] == 10
    assert all(d["thc_mg_per_day"] <= 10 for d in data["plan"]["days"])
    usual = client.get("/api/v1/today").json()["today"]["usual_dose"]
    assert usual is None or "4 spray" not in str(usual)


def test_a_ceiling_above_the_protocol_is_refused_on_the_form_and_nothing_changes(client, ana):
    _sativex_plan(ana)
    before = snapshot(ana)
    answer = submit(client, "/plan/ceiling", {"thc_mg": "45"}, page="/plan")
    assert answer.status_code == 400 and "Not saved" in answer.text and "above the nabiximols protocol" in answer.text
    assert snapshot(ana) == before


def test_the_json_api_sets_and_clears_at_the_same_routes(client, ana):
    _sativex_plan(ana)
    out = client.post("/api/v1/plan/ceiling", json={"cbd_mg": "12.5"})
    assert out.status_code == 200, out.text
    assert out.json()["ceiling"]["cbd_mg_per_day"] == 12.5 and out.json()["ceiling"]["set_by"] == "this computer"
    assert client.post("/api/v1/plan/ceiling/clear", json={}).status_code == 200
    assert ceilings.show_ceiling(ana).ceiling is None
    assert client.post("/api/v1/plan/ceiling/clear", json={}).status_code == 400  # nothing to remove
