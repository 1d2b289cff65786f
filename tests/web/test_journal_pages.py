"""Journal in the browser: add, edit, delete and undo any entry; input kept on errors; text escaped."""

from dosewise.services import journal
from tests.helpers import snapshot
from tests.web.conftest import submit, token


def _entries(db):
    return [(e.kind, e.item, e.value, e.entered_by) for d in journal.read_journal(db, days=3).days for e in d.entries]


def test_adding_a_dose_by_caregiver_shows_who_entered_it(client, ana):
    r = submit(
        client,
        "/journal/dose",
        {"product": "Sativex", "amount": "2 sprays", "entered_by": "caregiver"},
        page="/journal",
    )
    assert r.status_code == 303
    page = client.get("/journal").text
    assert "2 sprays of Sativex" in page and "5.4 mg THC" in page and "· entered on this computer (caregiver)" in page
    assert _entries(ana) == [("dose", "Sativex", 2.0, "caregiver")]


def test_a_bad_dose_keeps_the_input_shows_the_message_and_saves_nothing(client, ana):
    before = snapshot(ana)
    r = submit(
        client,
        "/journal/dose",
        {"product": "Calm CBD oil 1000", "amount": "2 sprays", "note": "after lunch"},
        page="/journal",
    )
    assert r.status_code == 400
    assert 'id="dose-amount-error"' in r.text and "sprays" in r.text
    assert 'value="2 sprays"' in r.text and 'value="after lunch"' in r.text
    assert 'aria-invalid="true"' in r.text
    assert '<details id="add-dose" open>' in r.text
    assert snapshot(ana) == before


def test_a_note_with_html_is_shown_as_text(client, ana):
    submit(client, "/journal/note", {"text": "<script>alert(1)</script>"}, page="/journal")
    page = client.get("/journal").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_delete_then_undo(client, ana):
    e = journal.record_rating(ana, scale="spasticity", value=5).entry
    r = submit(client, f"/journal/rating/{e.id}/delete", {}, page="/journal")
    assert r.status_code == 303 and _entries(ana) == []
    page = client.get(r.headers["location"]).text
    assert "Undo delete" in page
    submit(client, f"/journal/rating/{e.id}/restore", {}, page="/journal")
    assert _entries(ana) == [("rating", "spasticity", 5.0, "person")]


def test_editing_an_entry_keeps_its_time_and_changes_its_value(client, ana):
    e = journal.record_rating(ana, scale="spasticity", value=5, at="2026-01-01 09:00").entry
    form = client.get(f"/journal/rating/{e.id}/edit").text
    assert 'value="5"' in form and 'value="2026-01-01T09:00"' in form
    r = submit(
        client,
        f"/journal/rating/{e.id}/edit",
        {"scale": "spasticity", "value": "3", "at": ""},
        page=f"/journal/rating/{e.id}/edit",
    )
    assert r.status_code == 303
    after = client.get(f"/api/v1/journal/rating/{e.id}/edit").json()["entry"]
    assert after["value"] == 3.0 and after["at"].startswith("2026-01-01T09:00")


def test_a_bad_edit_changes_nothing_and_keeps_the_input(client, ana):
    e = journal.record_note(ana, text="first").entry
    before = snapshot(ana)
    r = submit(client, f"/journal/note/{e.id}/edit", {"text": "  "}, page=f"/journal/note/{e.id}/edit")
    assert r.status_code == 400 and "cannot be empty" in r.text
    assert snapshot(ana) == before


def test_every_kind_can_be_added_from_its_form(client, ana):
    forms = {
        "rating": {"scale": "pain", "value": "2"},
        "side_effect": {"effect": "dizziness", "severity": "moderate"},
        "symptom": {"symptom": "fall"},
        "measurement": {"measure": "weight_kg", "value": "64.5"},
        "note": {"text": "ok day"},
    }
    for kind, data in forms.items():
        assert submit(client, f"/journal/{kind}", data, page="/journal").status_code == 303, kind
    assert {k for k, *_ in _entries(ana)} == set(forms)


def test_deleting_an_unknown_entry_is_a_clear_404(client):
    r = submit(client, "/journal/rating/999/delete", {}, page="/journal")
    assert r.status_code == 404 and "No rating entry number 999" in r.text


def test_an_alsfrs_r_assessment_is_entered_item_by_item(client, ana):
    items = {f"item_{i}": str(v) for i, v in enumerate([4, 4, 3, 3, 3, 3, 4, 3, 2, 4, 4, 4])}
    r = submit(client, "/journal/assessment", {"scale": "alsfrs-r", **items}, page="/journal")
    assert r.status_code == 303
    assert ("rating", "alsfrs-r", 41.0, "person") in _entries(ana)


def test_an_incomplete_assessment_is_refused(client, ana):
    before = snapshot(ana)
    r = submit(client, "/journal/assessment", {"scale": "alsfrs-r", "item_0": "4"}, page="/journal")
    assert r.status_code == 400 and "12 items" in r.text
    assert snapshot(ana) == before


def test_the_journal_downloads_as_csv_and_imports_back(client, ana):
    journal.record_note(ana, text="from the web")
    csv_text = client.get("/journal.csv")
    assert csv_text.headers["content-type"].startswith("text/csv") and "from the web" in csv_text.text
    journal.delete_entry(ana, kind="note", entry_id=1)
    r = client.post(
        "/journal/import",
        data={"csrf_token": token(client, "/journal")},
        files={"file": ("j.csv", csv_text.content, "text/csv")},
    )
    assert r.status_code == 303
    assert ("note", "note", None, "person") in _entries(ana)


def test_a_bad_csv_is_rejected_whole_with_its_problems_listed(client, ana):
    before = snapshot(ana)
    r = client.post(
        "/journal/import",
        data={"csrf_token": token(client, "/journal")},
        files={"file": ("j.csv", b"not,a,journal\n1,2,3\n", "text/csv")},
    )
    assert r.status_code == 400 and "Not saved." in r.text
    assert snapshot(ana) == before


def test_an_import_without_a_token_is_refused(client, ana):
    r = client.post("/journal/import", files={"file": ("j.csv", b"x", "text/csv")})
    assert r.status_code == 403


def test_without_accounts_the_browsers_choice_says_who_entered_it_on_this_computer(client, ana):
    submit(client, "/today/who", {"entered_by": "caregiver"})
    answer = client.post("/api/v1/journal/note", json={"text": "slept well", "entered_by": "caregiver"})
    entry = answer.json()["entry"]
    assert (entry["entered_by"], entry["entered_by_account"]) == ("caregiver", "this computer")
    assert "entered on this computer (caregiver)" in client.get("/journal").text
