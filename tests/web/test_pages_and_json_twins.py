"""Every page renders as HTML and answers the same context as JSON (Accept header or /api/v1)."""

import pytest

PAGES = {
    "/today": "today",
    "/journal": "journal",
    "/products": "products",
    "/medicines": "medicines",
    "/plan": "plan",
    "/trial": "trial",
    "/insights": "analysis",
    "/guide": "conditions",
    "/alerts": "alerts",
    "/setup": "conditions",
    "/journal/note/1/edit": "entry",
    "/products/1/edit": "editing",
    "/medicines/1/edit": "editing",
    "/guide/ms-spasticity": "guide",
    "/ask?q=does+cbd+help+spasticity": "answer",
    "/claims": "max_chars",
}


@pytest.fixture
def with_note(client, ana):
    from dosewise.services import journal

    journal.record_note(ana, text="Legs stiff this morning")
    return client


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_is_html_with_one_h1_and_landmarks(with_note, path):
    r = with_note.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert r.text.count("<h1") == 1
    for landmark in ("<header", "<nav", '<main id="main"', "<footer", 'href="#main"'):
        assert landmark in r.text


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_has_a_json_twin_with_the_same_context(with_note, path):
    by_accept = with_note.get(path, headers={"Accept": "application/json"})
    by_prefix = with_note.get("/api/v1" + path)
    assert by_prefix.headers["content-type"] == "application/json"
    assert by_accept.status_code == by_prefix.status_code == 200
    assert by_accept.headers["content-type"] == "application/json"
    body = by_accept.json()
    assert PAGES[path] in body
    assert body["frame"]["person_name"] == "Ana"
    assert by_prefix.json().keys() == body.keys()


def test_openapi_describes_every_page_twin(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/today",
        "/journal",
        "/products",
        "/medicines",
        "/plan",
        "/trial",
        "/insights",
        "/guide",
        "/claims",
        "/alerts",
    ):
        assert "/api/v1" + path in paths
    assert "/today" not in paths  # the HTML twins are not listed twice


def test_today_json_shows_the_check_in(client):
    t = client.get("/api/v1/today").json()["today"]
    assert t["scale"]["id"] == "spasticity"
    assert t["scale"]["choices"] == list(range(11))
    assert t["usual_dose"] is None  # Ana has not logged a dose yet: nothing is guessed


def test_demo_data_is_labelled_on_every_page(empty_client, fresh_db):
    from dosewise.services import demo

    demo.load_demo(fresh_db)
    for path in (
        "/today",
        "/journal",
        "/products",
        "/medicines",
        "/plan",
        "/trial",
        "/insights",
        "/guide",
        "/alerts",
        "/setup",
    ):
        assert "DEMO DATA" in empty_client.get(path).text, path


def test_a_real_person_is_not_labelled_demo(client):
    assert "DEMO DATA" not in client.get("/today").text


def test_without_a_person_pages_offer_set_up(empty_client):
    r = empty_client.get("/today")
    assert r.status_code == 404
    assert 'href="/setup"' in r.text
    assert empty_client.get("/api/v1/today").json()["error"].startswith("No person is set up yet")


def test_setting_up_a_person_from_the_browser(empty_client):
    from tests.web.conftest import submit

    r = submit(empty_client, "/setup", {"name": "Bea", "condition": "dystonia"}, page="/setup")
    assert r.status_code == 303
    assert "Journal of <strong>Bea</strong>" in empty_client.get("/today").text


def test_loading_the_demo_from_the_setup_page(empty_client):
    from tests.web.conftest import submit

    r = submit(empty_client, "/setup/demo", {}, page="/setup")
    assert r.status_code == 303
    assert "DEMO DATA" in empty_client.get("/journal").text


def test_unknown_journal_days_value_is_a_clear_error(client):
    r = client.get("/journal?days=lots")
    assert r.status_code == 400
    assert "whole number" in r.text


def test_pages_weigh_under_150_kb_with_their_css(client):
    css = len(client.get("/static/app.css").content)
    for path in ("/today", "/journal?days=90", "/products", "/medicines", "/alerts"):
        assert len(client.get(path).content) + css < 150_000, path


@pytest.mark.parametrize("path", list(PAGES))
def test_ids_on_a_page_are_unique(with_note, path):
    import re

    ids = re.findall(r'\sid="([^"]+)"', with_note.get(path).text)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_safety_details_can_be_set_and_cleared_from_the_browser(client, ana):
    from dosewise.services import people
    from tests.web.conftest import submit

    r = submit(
        client,
        "/setup",
        {
            "name": "Ana",
            "birth_year": "1979",
            "weight_kg": "64,5",
            "flag_drives": "yes",
            "flag_epilepsy": "yes",
            "primary_scale": "pain",
        },
        page="/setup",
    )
    assert r.status_code == 303
    p = people.get_person(ana)
    assert (p.flags, p.weight_kg, p.birth_year, p.primary_scale) == (["drives", "epilepsy"], 64.5, 1979, "pain")
    assert "checked" in client.get("/setup").text
    submit(client, "/setup", {"name": "Ana", "flag_drives": "yes"}, page="/setup")
    assert people.get_person(ana).flags == ["drives"]


def test_a_bad_birth_year_is_refused_next_to_its_field(client, ana):
    from tests.web.conftest import submit

    r = submit(client, "/setup", {"name": "Ana", "birth_year": "nineteen"}, page="/setup")
    assert r.status_code == 400 and 'id="setup-birth_year-error"' in r.text and 'value="nineteen"' in r.text


def test_unknown_pages_and_bad_addresses_get_a_plain_page(client):
    missing = client.get("/nowhere")
    assert missing.status_code == 404 and "There is no page at this address." in missing.text
    assert "<main" in missing.text
    assert client.get("/api/v1/nowhere").json() == {"error": "There is no page at this address."}
    bad = client.get("/journal/note/abc/edit")
    assert bad.status_code == 422 and "This address is not valid" in bad.text


def test_openapi_describes_what_each_write_accepts(client):
    paths = client.get("/openapi.json").json()["paths"]
    body = paths["/api/v1/medicines"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"]["required"] == ["name"]
    assert "csrf_token" in body["application/x-www-form-urlencoded"]["schema"]["properties"]
    assert "requestBody" in paths["/api/v1/journal/{kind}"]["post"]


def test_head_answers_like_get_without_a_body(client):
    r = client.head("/today")
    assert r.status_code == 200 and r.content == b"" and r.headers["content-type"].startswith("text/html")
    assert "content-security-policy" in r.headers
