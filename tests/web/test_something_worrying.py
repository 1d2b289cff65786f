"""Today's 'Something worrying?': the person's own red flags behind one large control; one more press logs."""

import pytest

from dosewise.services import people
from tests.web.conftest import submit
from tests.web.html_forms import forms_of


@pytest.fixture
def sam(ana):
    people.set_person(ana, conditions=["als"])  # Ana's journal, now with ALS
    return ana


def test_today_lists_the_persons_red_flags_inside_a_disclosure(client, sam):
    page = client.get("/today").text
    assert '<details class="worry" id="worry">' in page and "<summary>Something worrying?</summary>" in page
    worry_forms = [f for f in forms_of(page) if f.action == "/today/worry"]
    names = [f.buttons[0].text for f in worry_forms]
    assert names[:3] == ["Short of breath", "Breathless when lying flat", "Weak cough"]
    assert "Choking or coughing when eating or drinking" in names and "Headache on waking" in names
    twin = client.get("/api/v1/today").json()["worries"]
    assert twin[0] == {
        "kind": "symptom",
        "item": "breathless",
        "label": "Short of breath",
        "level": "urgent",
        "severity": None,
    }


def test_one_press_logs_the_red_flag_and_the_urgent_banner_shows(client, sam):
    r = submit(client, "/today/worry", {"item": "breathless-lying-down", "entered_by": "person"})
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "Logged: Breathless when lying flat." in page
    assert 'class="urgent"' in page and "Urgent: Breathing problems with ALS/MND" in page
    entries = client.get("/api/v1/journal").json()["journal"]["days"][0]["entries"]
    assert [(e["kind"], e["item"]) for e in entries] == [("symptom", "breathless-lying-down")]


def test_a_red_flag_of_another_condition_is_refused_on_the_page(client, sam):
    r = submit(client, "/today/worry", {"item": "pounding-headache"})
    assert r.status_code == 400 and "not one of your red flags" in r.text
    assert '<details class="worry" id="worry" open>' in r.text  # the message is where the person pressed
