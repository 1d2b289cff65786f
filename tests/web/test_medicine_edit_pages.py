"""Editing a medicine in the browser and through its JSON twin."""

from datetime import date, timedelta

from dosewise import clock
from dosewise.services import medicines
from tests.helpers import snapshot
from tests.web.conftest import submit


def _baclofen(ana) -> int:
    return medicines.list_medicines(ana)[0].id


def test_each_medicine_has_an_edit_link_to_a_filled_in_form(client, ana):
    mid = _baclofen(ana)
    listing = client.get("/medicines").text
    assert f'href="/medicines/{mid}/edit#edit-medicine"' in listing
    assert '<span class="visually-hidden"> baclofen</span>' in listing
    form = client.get(f"/medicines/{mid}/edit").text
    assert "Edit baclofen" in form and f'action="/medicines/{mid}/edit"' in form
    assert '<label for="medicine_edit-dose">' in form and 'value="10 mg three times a day"' in form


def test_saving_an_edit_shows_the_interaction_check_for_the_change(client, ana):
    mid = _baclofen(ana)
    r = submit(
        client,
        f"/medicines/{mid}/edit",
        {"name": "clobazam", "dose": "10 mg at night", "since": "2025-01-02"},
        page=f"/medicines/{mid}/edit",
    )
    assert r.status_code == 303 and r.headers["location"] == f"/medicines?edited={mid}#findings"
    page = client.get(r.headers["location"]).text
    assert "Medicine saved" in page and "Serious: clobazam with CBD" in page
    med = medicines.list_medicines(ana)[0]
    assert (med.name, med.drug_id, med.dose_text, med.started) == (
        "clobazam",
        "clobazam",
        "10 mg at night",
        date(2025, 1, 2),
    )


def test_a_bad_edit_is_refused_next_to_the_field_with_input_kept(client, ana):
    mid = _baclofen(ana)
    before = snapshot(ana)
    later = (clock.now().date() + timedelta(days=3)).isoformat()
    r = submit(
        client,
        f"/medicines/{mid}/edit",
        {"name": "clobazam", "dose": "5 mg", "since": later},
        page=f"/medicines/{mid}/edit",
    )
    assert r.status_code == 400
    assert 'id="medicine_edit-since-error"' in r.text and 'aria-invalid="true"' in r.text
    assert 'value="clobazam"' in r.text and 'value="5 mg"' in r.text
    r = submit(client, f"/medicines/{mid}/edit", {"name": " ", "dose": "5 mg"}, page=f"/medicines/{mid}/edit")
    assert r.status_code == 400 and 'id="medicine_edit-name-error"' in r.text
    r = submit(client, f"/medicines/{mid}/edit", {"name": "baclofen", "since": "soon"}, page=f"/medicines/{mid}/edit")
    assert r.status_code == 400 and 'id="medicine_edit-since-error"' in r.text and 'value="soon"' in r.text
    assert snapshot(ana) == before


def test_editing_without_a_valid_token_is_refused(client, ana):
    mid = _baclofen(ana)
    client.get(f"/medicines/{mid}/edit")
    before = snapshot(ana)
    r = client.post(f"/medicines/{mid}/edit", data={"name": "clobazam", "csrf_token": "forged"})
    assert r.status_code == 403 and "Nothing was saved" in r.text
    assert snapshot(ana) == before


def test_the_json_twin_shows_and_edits_the_medicine(client, ana):
    mid = _baclofen(ana)
    page = client.get(f"/api/v1/medicines/{mid}/edit").json()
    assert page["editing"]["name"] == "baclofen"
    r = client.post(f"/api/v1/medicines/{mid}/edit", json={"dose": "5 mg twice a day"})
    assert r.status_code == 200
    body = r.json()
    assert body["medicine"]["dose_text"] == "5 mg twice a day" and body["medicine"]["name"] == "baclofen"
    assert "findings" in body and "unknown" in body
    bad = client.post(f"/api/v1/medicines/{mid}/edit", json={"name": "x" * 121})
    assert bad.status_code == 400 and bad.json()["field"] == "name"
    assert client.post(f"/api/v1/medicines/{mid}/edit", json={}).status_code == 400


def test_a_missing_or_stopped_medicine_has_no_edit_page(client, ana):
    mid = _baclofen(ana)
    assert client.get("/medicines/99/edit").status_code == 404
    assert client.post("/api/v1/medicines/99/edit", json={"dose": "5 mg"}).status_code == 404
    medicines.stop_medicine(ana, name="baclofen")
    assert client.get(f"/medicines/{mid}/edit").status_code == 404
    r = submit(client, f"/medicines/{mid}/edit", {"name": "baclofen", "dose": "5 mg"}, page="/medicines")
    assert r.status_code == 404 and "No current medicine number" in r.text
