"""CSRF on every form, security headers, no inline script, a per-install secret."""

import re
import stat

import pytest

from dosewise.config import get_settings
from tests.helpers import snapshot
from tests.web.conftest import make_client, submit, token

FORMS = [
    "/today/rating",
    "/today/dose",
    "/today/side-effect",
    "/journal/note",
    "/journal/note/1/delete",
    "/journal/note/1/restore",
    "/journal/note/1/edit",
    "/products",
    "/products/1/edit",
    "/medicines",
    "/medicines/1/stop",
    "/medicines/1/edit",
    "/alerts/1/acknowledge",
    "/alerts/acknowledge-all",
    "/setup",
    "/setup/demo",
    "/today/who",
    "/plan",
    "/plan/stop",
    "/trial",
    "/trial/stop",
    "/journal/import",
]


@pytest.mark.parametrize("url", FORMS)
def test_a_form_without_a_valid_token_is_refused_and_changes_nothing(client, ana, url):
    client.get("/today")  # the browser has its cookie, but the form has no (or a forged) token
    before = snapshot(ana)
    for data in ({"text": "x", "value": "3"}, {"text": "x", "csrf_token": "forged"}):
        r = client.post(url, data=data)
        assert r.status_code == 403, url
        assert "Nothing was saved" in r.text
    assert snapshot(ana) == before


def test_a_token_from_another_browser_is_refused(client, ana):
    stolen = token(client)
    other = make_client()
    other.get("/today")
    r = other.post("/journal/note", data={"text": "hello", "csrf_token": stolen})
    assert r.status_code == 403


def test_the_same_token_works_for_many_forms_without_expiring(client, ana):
    t = token(client)
    for value in ("3", "4"):
        assert client.post("/today/rating", data={"value": value, "csrf_token": t}).status_code == 303


def test_security_headers_on_pages_and_api(client):
    for path in ("/today", "/api/v1/today", "/static/app.css"):
        h = client.get(path).headers
        csp = h["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "no-referrer"


def test_the_csrf_cookie_is_http_only_and_same_site_lax(empty_client):
    cookie = empty_client.get("/setup").headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()


@pytest.mark.parametrize("path", ["/today", "/journal", "/products", "/medicines", "/alerts", "/setup"])
def test_no_page_has_inline_script_or_style(client, path):
    html = client.get(path).text
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers


def test_no_secret_or_token_in_any_link(client):
    t = token(client)
    for path in ("/today", "/journal", "/products"):
        for href in re.findall(r'(?:href|action)="([^"]*)"', client.get(path).text):
            assert t not in href and "token" not in href


def test_the_per_install_secret_is_private(client):
    secret = get_settings().data_dir / "web-secret"
    assert secret.exists() and len(secret.read_text()) >= 32
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600


def test_a_configured_secret_key_is_used(monkeypatch, ana):
    monkeypatch.setenv("DOSEWISE_SECRET_KEY", "k" * 40)
    get_settings.cache_clear()
    c = make_client()
    assert not (get_settings().data_dir / "web-secret").exists()
    assert submit(c, "/today/rating", {"value": "2"}).status_code == 303


def test_api_docs_pages_that_need_outside_scripts_are_off(client):
    assert client.get("/docs").status_code == 404
    assert client.get("/openapi.json").status_code == 200


def test_other_host_names_are_refused_against_dns_rebinding(ana):
    import warnings

    from dosewise.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    evil = TestClient(create_app(), base_url="http://attacker.example")
    assert evil.get("/api/v1/journal").status_code == 400
    assert TestClient(create_app(), base_url="http://localhost:8000").get("/api/v1/journal").status_code == 200
