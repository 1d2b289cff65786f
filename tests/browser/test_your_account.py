"""Your account in the browser: someone invited with a password the owner chose sees who chose it on every
page, follows the banner to Your account, is told plainly when the current password is wrong, changes it,
and another browser signed in as them is signed out while this one stays signed in."""

from __future__ import annotations

import re

import pytest

from dosewise.services import auth, sharing
from tests.browser.conftest import ana_with
from tests.browser.test_accessibility import axe_violations, small_targets
from tests.helpers import cheap_password_hashing

pytestmark = pytest.mark.browser

PASSWORD = "blue kettle on the stove 42"
THEIRS = "violet umbrella in the hall"
NEW = "seven swans on a quiet lake"


@pytest.fixture(scope="module")
def invited_server(tmp_path_factory):
    """Ana (her own account) who invited a clinician and a caregiver, choosing their passwords."""
    patch = pytest.MonkeyPatch()
    cheap_password_hashing(patch)  # counts clicks, not hashing work
    oil = {"name": "Calm CBD oil", "form": "oil", "cbd_mg": 33.3, "thc_mg": 0, "per": "ml"}
    with ana_with(tmp_path_factory.mktemp("your-account"), **oil) as server:
        auth.add_account(server.db, email="ana@example.org", role="person", password=PASSWORD)
        sharing.invite(server.db, email="nurse@example.org", role="clinician", password=THEIRS, actor="ana@example.org")
        sharing.invite(server.db, email="carer@example.org", role="caregiver", password=THEIRS, actor="ana@example.org")
        yield server
    patch.undo()


def _sign_in(tab, url: str, password: str, email: str = "nurse@example.org") -> None:
    tab.goto(url + "/journal")
    tab.wait_for_url(re.compile(r"/signin\?next="))
    tab.get_by_label("Email").fill(email)
    tab.get_by_label("Password").fill(password)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(re.compile(r"/journal"))


def test_an_invited_clinician_chooses_their_own_password_and_other_browsers_are_signed_out(browser, invited_server):
    url = invited_server.url
    mine = browser.new_context(viewport={"width": 1280, "height": 900})
    page = mine.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _sign_in(page, url, THEIRS)
    banner = page.locator(".password-chosen")
    assert banner.inner_text() == "Your password was chosen by ana@example.org. Choose your own: Your account"

    other = browser.new_context()
    try:
        tab = other.new_page()
        _sign_in(tab, url, THEIRS)

        banner.get_by_role("link", name="Your account").click()
        page.wait_for_url(re.compile(r"/account"))
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert axe_violations(page) == []  # the page, its form and the banner (WCAG A/AA)
        main = page.locator("main").inner_text()
        assert "nurse@example.org" in main and "Clinician: you read the journals shared with you" in main
        page.get_by_label("Current password").fill("not the password at all")
        page.get_by_label("New password", exact=True).fill(NEW)
        page.get_by_label("New password again").fill(NEW)
        page.get_by_role("button", name="Change password").click()
        assert "The current password is wrong. Nothing was changed." in page.get_by_role("alert").inner_text()
        assert page.get_by_label("New password", exact=True).input_value() == ""  # never kept in the page

        page.get_by_label("Current password").fill(THEIRS)
        page.get_by_label("New password", exact=True).fill(NEW)
        page.get_by_label("New password again").fill(NEW)
        page.get_by_role("button", name="Change password").click()
        page.wait_for_url(re.compile(r"/account\?saved=password"))
        assert "Your password is changed." in page.get_by_role("status").first.inner_text()
        assert page.locator(".password-chosen").count() == 0
        page.goto(url + "/journal")
        assert "Signed in as nurse@example.org" in page.locator("body").inner_text()  # this browser stays

        tab.goto(url + "/journal")
        tab.wait_for_url(re.compile(r"/signin\?next="))  # the other browser is signed out
    finally:
        other.close()
        mine.close()
    refused = "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    assert [e for e in errors if e != refused] == []  # the wrong password's 400 is expected, nothing else


@pytest.mark.parametrize("path", ["/today", "/account", "/sharing", "/people", "/pair"])
def test_signed_in_pages_keep_44_px_targets_with_the_header_links_and_the_banner(browser, invited_server, path):
    """The target-size check of every page runs without accounts; signed in, the header gains Your account,
    Sharing, People, Pair a phone and Sign out, and an invited person sees the password banner's link."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        _sign_in(tab, invited_server.url, THEIRS, "carer@example.org")  # invited, password not yet changed
        tab.goto(invited_server.url + path)
        assert (
            tab.get_by_text("Signed in as carer@example.org").is_visible()
            and tab.locator(".password-chosen").is_visible()
        )
        assert small_targets(tab) == []
    finally:
        context.close()
