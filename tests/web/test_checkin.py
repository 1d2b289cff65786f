"""The Today check-in: one press for the score, one for the dose, one per side effect."""

from datetime import datetime, timedelta

from dosewise import clock
from dosewise.services import journal
from tests.web.conftest import submit


def EARLIER() -> datetime:  # noqa: N802 - reads like a constant: a time well before a double press
    return clock.now() - timedelta(minutes=10)


def test_pressing_a_score_saves_it_and_the_page_says_so(client, ana):
    r = submit(client, "/today/rating", {"value": "4"})
    assert r.status_code == 303 and r.headers["location"].startswith("/today?saved=rating")
    page = client.get(r.headers["location"]).text
    assert "Your score is saved." in page
    assert "<strong>4</strong> at" in page
    entries = journal.read_journal(ana, days=1).days[0].entries
    assert [(e.kind, e.item, e.value) for e in entries] == [("rating", "spasticity", 4.0)]


def test_the_eleven_score_buttons_are_one_form(client):
    page = client.get("/today").text
    for n in range(11):
        assert f'name="value" value="{n}"' in page
    assert "0 (no spasticity)" in page and "10 (worst possible spasticity)" in page


def test_the_dose_button_repeats_the_last_dose_with_its_amount(client, ana):
    journal.record_dose(ana, product="calm", amount="7 drops", at=EARLIER())
    page = client.get("/today").text
    assert "I took my usual dose: 7 drops of Calm CBD oil 1000" in page
    r = submit(client, "/today/dose", {"product": "Calm CBD oil 1000", "amount": "7 drops"})
    assert r.status_code == 303
    doses = client.get("/api/v1/today").json()["today"]["doses_today"]
    assert [d["amount_text"] for d in doses] == ["7 drops", "7 drops"]


def test_a_side_effect_toggles_on_and_off(client, ana):
    r = submit(client, "/today/side-effect", {"effect": "drowsiness"})
    assert r.status_code == 303
    toggle = client.get("/api/v1/today").json()["today"]["side_effects"][0]
    assert toggle["id"] == "drowsiness" and toggle["logged_today"]
    assert 'aria-pressed="true"' in client.get("/today").text
    submit(client, "/today/side-effect", {"effect": "drowsiness", "entry_id": str(toggle["entry_id"])})
    assert not client.get("/api/v1/today").json()["today"]["side_effects"][0]["logged_today"]


def test_a_normal_day_takes_three_presses(client, ana):
    """Morning score, the dose, evening score: three form submissions and nothing else to fill in."""
    journal.record_dose(ana, product="calm", amount="5 drops", at=EARLIER())
    for data, url in (
        ({"value": "6"}, "/today/rating"),
        ({"product": "Calm CBD oil 1000", "amount": "5 drops"}, "/today/dose"),
        ({"value": "4"}, "/today/rating"),
    ):
        assert submit(client, url, data).status_code == 303
    t = client.get("/api/v1/today").json()["today"]
    assert sorted(r["value"] for r in t["ratings_today"]) == [4.0, 6.0]
    assert len(t["doses_today"]) == 2


def test_a_score_out_of_range_is_refused_next_to_the_buttons(client, ana):
    r = submit(client, "/today/rating", {"value": "11"})
    assert r.status_code == 400
    assert "Not saved." in r.text and "outside the scale" in r.text
    assert journal.read_journal(ana, days=1).days == []


def test_json_clients_check_in_with_a_json_body(client, ana):
    r = client.post("/api/v1/today/rating", json={"value": 3})
    assert r.status_code == 201
    assert r.json()["entry"]["value"] == 3.0
    bad = client.post("/api/v1/today/rating", json={"value": "high"})
    assert bad.status_code == 400 and "not a number" in bad.json()["error"]


def test_a_caregiver_checking_in_is_recorded_as_the_caregiver(client, ana):
    r = submit(client, "/today/who", {"entered_by": "caregiver"})
    assert r.status_code == 303
    assert 'value="caregiver" class="button light small" aria-pressed="true"' in client.get("/today").text
    submit(client, "/today/rating", {"value": "5", "entered_by": "caregiver"})
    assert client.get("/api/v1/today").json()["today"]["ratings_today"][0]["entered_by"] == "caregiver"
    assert client.get("/api/v1/today").json()["entered_by"] == "caregiver"
    submit(client, "/today/who", {"entered_by": "person"})
    assert client.get("/api/v1/today").json()["entered_by"] == "person"


def test_the_dose_button_posts_quantity_and_unit_not_the_words_it_shows(client, ana):
    journal.record_dose(ana, product="calm", amount="7 drops", at=EARLIER())
    page = client.get("/today").text
    assert 'name="quantity" value="7"' in page and 'name="unit" value="drop"' in page
    assert 'name="amount"' not in page.split('action="/today/dose"')[1].split("</form>")[0]
    r = submit(client, "/today/dose", {"product": "Calm CBD oil 1000", "quantity": "7", "unit": "drop"})
    assert r.status_code == 303
    doses = client.get("/api/v1/today").json()["today"]["doses_today"]
    assert [d["amount_text"] for d in doses] == ["7 drops", "7 drops"]


def test_who_checks_in_must_be_person_or_caregiver(client):
    r = submit(client, "/today/who", {"entered_by": "neighbour"})
    assert r.status_code == 400 and "must be &#39;person&#39;, &#39;caregiver&#39; or &#39;clinician&#39;" in r.text


def test_a_double_press_of_the_dose_button_is_not_a_second_dose(client, ana):
    journal.record_dose(ana, product="calm", amount="7 drops", at=EARLIER())
    form = {"product": "Calm CBD oil 1000", "amount": "7 drops"}
    assert submit(client, "/today/dose", form).status_code == 303
    again = submit(client, "/today/dose", form)
    assert again.status_code == 409 and "a moment ago" in again.text and "Yes, log a second dose" in again.text
    assert len(client.get("/api/v1/today").json()["today"]["doses_today"]) == 2
    assert submit(client, "/today/dose", {**form, "confirm_repeat": "yes"}).status_code == 303
    assert len(client.get("/api/v1/today").json()["today"]["doses_today"]) == 3


def test_the_journal_forms_default_to_the_caregiver_after_the_caregiver_said_so(client):
    submit(client, "/today/who", {"entered_by": "caregiver"})
    page = client.get("/journal").text
    assert 'value="caregiver" checked' in page and 'value="person" checked' not in page
