"""Every journal form with a pick-list (score, side effect, symptom, measurement; add and edit) saves.

The shared select macro once iterated pydantic objects as (field, value) pairs: the options read
"('label', 'Short of breath')" and every save was refused. These tests read the options the page offers,
as a browser would, pick one, submit, and check that the entry is in the journal.
"""

from __future__ import annotations

import pytest

from dosewise.services import journal
from tests.web.conftest import submit
from tests.web.html_forms import form_to

# kind -> (select name, the option a person picks by its visible text, the other fields they type)
FORMS = {
    "rating": ("scale", "Spasticity (0-10 numeric rating scale)", {"value": "4"}),
    "side_effect": ("effect", "Dizziness", {"severity": "moderate"}),
    "symptom": ("symptom", "Short of breath", {}),
    "measurement": ("measure", "Weight (kg)", {"value": "63.5"}),
}


def _entries(client) -> list[dict]:
    return [e for d in client.get("/api/v1/journal").json()["journal"]["days"] for e in d["entries"]]


def _pick(options: list[tuple[str, str]], text: str) -> str:
    assert all("('" not in t and "('" not in v for v, t in options), options
    by_text = {t: v for v, t in options}
    assert text in by_text, f"{text!r} is not offered: {options}"
    return by_text[text]


@pytest.mark.parametrize("kind", FORMS)
def test_a_journal_form_with_a_pick_list_saves_and_the_entry_shows(client, kind):
    select, text, typed = FORMS[kind]
    page = client.get("/journal").text
    form = form_to(page, f"/journal/{kind}")
    value = _pick(form.options[select], text)
    data = {k: v for k, v in form.values.items() if k != "csrf_token"} | {select: value} | typed
    r = submit(client, f"/journal/{kind}", data, page="/journal")
    assert r.status_code == 303, r.text
    after = client.get(r.headers["location"]).text
    assert "Saved." in after and "Not saved" not in after
    saved = _entries(client)
    assert [(e["kind"], e["item"]) for e in saved] == [(kind, value)]


EDITS = {
    "rating": (
        lambda db: journal.record_rating(db, scale="spasticity", value=5),
        "scale",
        "Pain (0-10 numeric rating scale)",
        {"value": "2"},
    ),
    "side_effect": (
        lambda db: journal.record_side_effect(db, effect="drowsiness", severity="mild"),
        "effect",
        "Dizziness",
        {"severity": "severe"},
    ),
    "symptom": (lambda db: journal.record_symptom(db, symptom="fever"), "symptom", "Short of breath", {}),
    "measurement": (
        lambda db: journal.record_measurement(db, kind="weight_kg", value=64),
        "measure",
        "Pulse (beats/min)",
        {"value": "72"},
    ),
}


@pytest.mark.parametrize("kind", EDITS)
def test_the_edit_form_of_an_entry_with_a_pick_list_saves_the_change(client, ana, kind):
    record, select, text, typed = EDITS[kind]
    entry = record(ana).entry
    url = f"/journal/{kind}/{entry.id}/edit"
    form = form_to(client.get(url).text, url)
    assert form.values[select] == entry.item  # the entry's own choice is the selected option
    value = _pick(form.options[select], text)
    data = {k: v for k, v in form.values.items() if k != "csrf_token"} | {select: value} | typed
    r = submit(client, url, data, page=url)
    assert r.status_code == 303, r.text
    assert "Your change is saved." in client.get(r.headers["location"]).text
    assert [(e["kind"], e["item"], e["id"]) for e in _entries(client)] == [(kind, value, entry.id)]


def test_the_select_options_filter_refuses_what_it_cannot_read():
    from pydantic import BaseModel

    from dosewise.web.rendering import templates

    class NoLabel(BaseModel):
        id: str
        name: str

    options = templates.env.filters["options"]
    assert options({"a": "A"}) == [("a", "A")]
    assert options([("1", "One")]) == [("1", "One")]
    with pytest.raises(TypeError, match="select option"):
        options([NoLabel(id="a", name="A")])
