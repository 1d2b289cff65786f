"""'Mark as stopped today' asks first (a page, no JavaScript), says what it did, and can be undone."""

from tests.web.conftest import submit
from tests.web.html_forms import form_to, forms_of


def _baclofen_id(client) -> int:
    return client.get("/api/v1/medicines").json()["medicines"][0]["id"]


def test_marking_as_stopped_asks_first_and_changes_nothing_until_confirmed(client, ana):
    mid = _baclofen_id(client)
    listing = client.get("/medicines").text
    assert f'href="/medicines/{mid}/stop#confirm-stop"' in listing  # a link to the question, not a form
    page = client.get(f"/medicines/{mid}/stop").text
    assert "Mark baclofen as stopped today?" in page and "Saturday 21 November 2026" in page
    form = form_to(page, f"/medicines/{mid}/stop")
    assert form.buttons[0].text == "Yes, mark baclofen as stopped today"
    assert client.get("/api/v1/medicines").json()["stopped"] == []  # asking changed nothing


def test_stopping_says_what_it_did_keeps_the_dates_and_undo_restarts_it(client, ana):
    mid = _baclofen_id(client)
    r = submit(client, f"/medicines/{mid}/stop", {}, page=f"/medicines/{mid}/stop")
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "baclofen is marked as stopped on Saturday 21 November 2026." in page
    assert "until Saturday 21 November 2026" in page  # still listed under Stopped, with its dates
    undo = [f.buttons[0].text for f in forms_of(page) if f.action == f"/medicines/{mid}/restart"]
    assert undo == ["Undo: I still take baclofen", "I take it again: baclofen"]  # in the message; in the list
    r = submit(client, f"/medicines/{mid}/restart", {}, page="/medicines")
    page = client.get(r.headers["location"]).text
    assert "baclofen is back on your list of current medicines" in page
    body = client.get("/api/v1/medicines").json()
    assert [m["name"] for m in body["medicines"]] == ["baclofen"] and body["stopped"] == []


def test_the_json_twin_stops_and_restarts(client, ana):
    mid = _baclofen_id(client)
    stopped = client.post(f"/api/v1/medicines/{mid}/stop", json={})
    assert stopped.status_code == 200 and stopped.json()["stopped"] == "2026-11-21"
    restarted = client.post(f"/api/v1/medicines/{mid}/restart", json={})
    assert restarted.status_code == 200 and restarted.json()["stopped"] is None
    again = client.post(f"/api/v1/medicines/{mid}/restart", json={})
    assert again.status_code == 404 and "No stopped medicine" in again.json()["error"]
