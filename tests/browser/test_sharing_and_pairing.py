"""Accounts in the browser, as people do it: the owner signs in, shares the journal with a caregiver and stops
sharing, and invites someone new who then signs in (the Sharing page); a phone signs in with a one-time code
made on the computer, and the same code does not work a second time (Pair a phone). Covers the forms the crawl
cannot reach (NOT_YET_COVERED)."""

from __future__ import annotations

import re

import pytest

from dosewise.services import auth, sharing
from tests.browser.conftest import ana_with
from tests.helpers import cheap_password_hashing

pytestmark = pytest.mark.browser

PASSWORD = "blue kettle on the stove 42"


@pytest.fixture(scope="module")
def accounts_server(tmp_path_factory):
    """Ana (her own account) and a caregiver's account, made the way `dosewise account add` makes them."""
    patch = pytest.MonkeyPatch()
    cheap_password_hashing(patch)  # counts clicks, not hashing work
    oil = {"name": "Calm CBD oil", "form": "oil", "cbd_mg": 33.3, "thc_mg": 0, "per": "ml"}
    with ana_with(tmp_path_factory.mktemp("accounts"), **oil) as server:
        auth.add_account(server.db, email="ana@example.org", role="person", password=PASSWORD)
        auth.add_account(server.db, email="carer@example.org", role="caregiver", password=PASSWORD)
        yield server
    patch.undo()


def _sign_in(tab, url: str) -> None:
    tab.goto(url + "/today")
    tab.wait_for_url(re.compile(r"/signin\?next="))
    tab.get_by_label("Email").fill("ana@example.org")
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(re.compile(r"/today"))
    assert "Signed in as ana@example.org" in tab.locator("body").inner_text()


def test_the_owner_shares_the_journal_with_a_caregiver_and_stops_sharing(page, accounts_server):
    url = accounts_server.url
    _sign_in(page, url)
    page.goto(url + "/sharing")
    assert "Nobody else sees this journal." in page.locator("main").inner_text()
    page.get_by_label("Their email").fill("carer@example.org")
    page.get_by_label("As", exact=True).select_option("caregiver")
    page.get_by_role("button", name="Share", exact=True).click()
    assert "Shared." in page.get_by_role("status").first.inner_text()
    assert "carer@example.org, caregiver" in page.locator("ul.grants").inner_text()
    assert [g.email for g in sharing.list_grants(accounts_server.db, person="Ana") if g.live] == ["carer@example.org"]

    page.get_by_role("button", name="Stop sharing with carer@example.org").click()
    assert "Sharing stopped." in page.get_by_role("status").first.inner_text()
    assert "Nobody else sees this journal." in page.locator("main").inner_text()
    assert not [g for g in sharing.list_grants(accounts_server.db, person="Ana") if g.live]

    page.get_by_role("button", name="Sign out").first.click()
    page.wait_for_url(re.compile(r"/signin\?signed_out=1"))
    assert "You are signed out of this browser." in page.get_by_role("status").first.inner_text()


def test_the_owner_invites_someone_new_who_signs_in_with_the_password_given(page, browser, accounts_server):
    url = accounts_server.url
    _sign_in(page, url)
    page.goto(url + "/sharing")
    page.get_by_label("Email they will sign in with").fill("nurse@example.org")
    page.get_by_label("Invite as").select_option("clinician")
    assert page.get_by_label("A password for them").get_attribute("minlength") == "12"
    page.get_by_label("A password for them").fill("violet umbrella in the hall")
    page.get_by_role("button", name="Invite and share").click()
    assert "Account added and shared." in page.get_by_role("status").first.inner_text()
    assert "nurse@example.org, clinician" in page.locator("ul.grants").inner_text()

    other = browser.new_context()
    try:
        tab = other.new_page()
        tab.goto(url + "/journal")
        tab.wait_for_url(re.compile(r"/signin\?next="))
        tab.get_by_label("Email").fill("nurse@example.org")
        tab.get_by_label("Password").fill("violet umbrella in the hall")
        tab.get_by_role("button", name="Sign in").click()
        tab.wait_for_url(re.compile(r"/journal"))
        assert "Signed in as nurse@example.org" in tab.locator("body").inner_text()
    finally:
        other.close()
    page.get_by_role("button", name="Stop sharing with nurse@example.org").click()  # the other tests share anew
    assert "Sharing stopped." in page.get_by_role("status").first.inner_text()


def test_a_phone_signs_in_with_a_code_made_on_the_computer_once(page, browser, accounts_server):
    url = accounts_server.url
    _sign_in(page, url)
    page.goto(url + "/pair")
    page.get_by_role("button", name="Make a code for a phone").click()
    assert "A code for your phone is ready." in page.get_by_role("status").first.inner_text()
    code = page.locator(".pairing-code strong").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code)

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        tab = phone.new_page()
        tab.goto(url + "/pair")
        tab.get_by_label("Code").fill(code)
        tab.get_by_role("button", name="Sign in this phone").click()
        tab.wait_for_url(re.compile(r"/today"))
        assert "Signed in as ana@example.org" in tab.locator("body").inner_text()
    finally:
        phone.close()

    second = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        tab = second.new_page()
        tab.goto(url + "/pair")
        tab.get_by_label("Code").fill(code)
        tab.get_by_role("button", name="Sign in this phone").click()
        assert "This code is not valid" in tab.locator("main").inner_text()
        assert "Signed in as" not in tab.locator("body").inner_text()
    finally:
        second.close()
