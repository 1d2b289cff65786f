"""A red flag is logged from Today in two presses, with the keyboard too, and the urgent banner appears."""

from __future__ import annotations

import re

import pytest

from dosewise.services import journal, people
from tests.browser.conftest import Server, shot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def als_server(tmp_path_factory):
    with Server(tmp_path_factory.mktemp("als"), with_demo=False) as server:
        people.set_person(server.db, name="Sam", conditions=["als"], birth_year=1968, timezone="UTC")
        yield server


def _symptoms(server) -> list[str]:
    return [e.item for d in journal.read_journal(server.db, days=1).days for e in d.entries if e.kind == "symptom"]


def test_two_taps_from_today_log_a_red_flag_and_raise_the_urgent_banner(browser, als_server):
    context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(als_server.url + "/today")
    assert tab.locator("section.urgent").count() == 0
    tab.get_by_text("Something worrying?", exact=True).click()  # tap 1
    tab.get_by_role("button", name="Breathless when lying flat").click()  # tap 2
    tab.wait_for_url(re.compile(r"/today\?saved=worry"))
    banner = tab.locator("section.urgent")
    assert banner.count() == 1 and "Breathing problems with ALS/MND" in banner.inner_text()
    assert "Logged: Breathless when lying flat." in tab.get_by_role("status").inner_text()
    assert _symptoms(als_server) == ["breathless-lying-down"]
    shot(tab, "worry-logged-360")
    context.close()


def test_the_red_flags_are_reached_and_logged_with_the_keyboard(browser, als_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(als_server.url + "/today")
    tab.keyboard.press("Tab")  # skip link
    for _ in range(40):  # Tab through the page until the disclosure has the focus
        if tab.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
        tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.textContent") == "Something worrying?"
    tab.keyboard.press("Enter")  # opens the list
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.textContent") == "Short of breath"
    tab.keyboard.press("Enter")  # logs it
    tab.wait_for_url(re.compile(r"/today\?saved=worry"))
    assert "Urgent: Breathing problems with ALS/MND" in tab.locator("section.urgent").first.inner_text()
    assert "breathless" in _symptoms(als_server)
    context.close()
