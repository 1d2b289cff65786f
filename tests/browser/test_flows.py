"""What a person does in the browser: check in, log a dose, add a medicine and see its interaction, read
the insight, and meet (then acknowledge) an urgent alert. All without JavaScript, by keyboard where it matters."""

from __future__ import annotations

import re

import pytest

from dosewise import clock
from dosewise.store.tables import AlertRow
from tests.browser.conftest import shot
from tests.browser.test_accessibility import axe_violations

pytestmark = pytest.mark.browser


def test_check_in_by_keyboard_with_javascript_off(browser, server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    tab = context.new_page()
    tab.goto(server.url + "/today")
    tab.get_by_role("button", name="7", exact=True).focus()
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(r"/today\?saved=rating"))
    assert tab.get_by_role("status").inner_text().strip().endswith("Your score is saved.")
    assert re.search(r"Logged today: .*7 at", tab.locator("#checkin").locator("..").inner_text())
    shot(tab, "flow-checkin-360")
    context.close()


def test_the_planned_dose_button_and_a_side_effect_toggle(page, server):
    page.goto(server.url + "/today")
    assert "Today's plan step" in page.locator("main").inner_text()
    page.get_by_role("button", name=re.compile(r"^I took my planned dose: \d+ drops? of Calm CBD oil 1000")).click()
    page.wait_for_url(re.compile(r"saved=dose"))
    assert "Taken today:" in page.locator("main").inner_text()
    toggle = page.get_by_role("button", name=re.compile("Dizziness"))
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    page.wait_for_url(re.compile(r"saved=side_effect"))
    assert page.get_by_role("button", name=re.compile("Dizziness")).get_attribute("aria-pressed") == "true"


def test_logging_a_dose_in_the_journal(page, server):
    page.goto(server.url + "/journal")
    page.get_by_text("A dose", exact=True).click()
    page.get_by_label("Product").first.select_option("Sativex")
    page.locator("#dose-amount").fill("1 spray")
    page.get_by_label("My caregiver").first.check()
    page.locator("#add-dose").get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"saved=dose"))
    entries = page.locator("ul.entries").first.inner_text()
    assert "1 spray of Sativex" in entries and "caregiver" in entries
    shot(page, "flow-dose-1280")


def test_a_wrong_amount_is_explained_next_to_the_field(browser, server):
    page = browser.new_context().new_page()  # the 400 answer is expected here, so no console-error check
    page.goto(server.url + "/journal")
    page.get_by_text("A dose", exact=True).click()
    page.locator("#dose-product").select_option("Calm CBD oil 1000")
    page.locator("#dose-amount").fill("2 sprays")
    page.locator("#add-dose").get_by_role("button", name="Save").click()
    assert page.locator("#dose-amount").input_value() == "2 sprays"
    assert page.locator("#dose-amount").get_attribute("aria-invalid") == "true"
    assert "spray" in page.locator("#dose-amount-error").inner_text()
    assert axe_violations(page) == []
    page.context.close()


def test_adding_a_medicine_shows_its_interaction(page, server):
    page.goto(server.url + "/medicines")
    page.get_by_label("Name").fill("clobazam")
    page.get_by_label("How much and how often").fill("10 mg at night")
    page.get_by_role("button", name="Add and check interactions").click()
    page.wait_for_url(re.compile(r"/medicines\?added="))
    findings = page.locator("#findings").inner_text()
    assert re.search(r"Serious: clobazam with CBD", findings)
    shot(page, "flow-medicine-1280")


def test_editing_a_medicine_keeps_a_refused_date_then_saves(browser, server):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()  # a 400 answer is expected
    page.goto(server.url + "/medicines")
    page.get_by_role("link", name="Edit baclofen").click()
    page.wait_for_url(re.compile(r"/medicines/\d+/edit"))
    assert page.locator("#medicine_edit-name").input_value() == "baclofen"
    page.locator("#medicine_edit-dose").fill("15 mg three times a day")
    page.locator("#medicine_edit-since").fill("2999-01-01")
    page.get_by_role("button", name="Save and check interactions").click()
    assert page.locator("#medicine_edit-since").get_attribute("aria-invalid") == "true"
    assert "in the future" in page.locator("#medicine_edit-since-error").inner_text()
    assert page.locator("#medicine_edit-dose").input_value() == "15 mg three times a day"
    assert axe_violations(page) == []
    page.locator("#medicine_edit-since").fill("2024-05-01")
    page.get_by_role("button", name="Save and check interactions").click()
    page.wait_for_url(re.compile(r"/medicines\?edited=\d+"))
    assert "Medicine saved" in page.get_by_role("status").inner_text()
    assert "15 mg three times a day, since Wednesday 1 May 2024" in page.locator("#current ~ ul").inner_text()
    assert "baclofen" in page.locator("#findings").inner_text()
    shot(page, "flow-medicine-edit-1280")
    page.context.close()


def test_reading_the_insight(page, server):
    page.goto(server.url + "/insights")
    verdict = page.locator("#verdict").inner_text()
    assert verdict in (
        "It likely helps",
        "It likely makes no difference you would notice",
        "It is likely making things worse",
        "Not clear yet — keep going",
    )
    assert "95 % interval" in page.locator(".verdict").inner_text()
    assert page.locator(".chart svg[role=img]").count() == 2
    assert page.locator("#caveats ~ ul li").count() >= 1
    shot(page, "flow-insights-1280")


def test_an_urgent_alert_is_a_banner_on_every_page_until_acknowledged(page, server):
    at = clock.now()
    with server.db.for_person(1).transaction() as s:  # the demo person (id 1)
        s.add(
            AlertRow(
                person_id=1,
                rule_id="browser-test",
                key=f"browser-test:{at.isoformat()}",
                level="urgent",
                message="Test alert: get help now.",
                why="Logged in a test.",
                refs=[],
                first_seen=at,
                last_seen=at,
            )
        )
    for path in ("/today", "/journal", "/guide"):
        page.goto(server.url + path)
        assert page.get_by_role("heading", name=re.compile("Urgent: browser-test")).is_visible()
    shot(page, "flow-urgent-1280")
    assert axe_violations(page) == []
    page.get_by_role("button", name=re.compile("acknowledge")).click()
    page.wait_for_url(re.compile(r"/alerts\?acknowledged="))
    assert page.get_by_role("heading", name=re.compile("Urgent: browser-test")).count() == 0
    page.goto(server.url + "/today")
    assert page.get_by_role("heading", name=re.compile("Urgent:")).count() == 0


def test_starting_a_trial_shows_todays_arm_and_the_schedule(page, server):
    page.goto(server.url + "/trial")
    page.locator("#trial-product").select_option("Calm CBD oil 1000")
    page.locator("#trial-amount").fill("10 drops")
    page.locator("#trial-blocks").select_option("2")
    page.get_by_role("button", name="Create the trial").click()
    page.wait_for_url(re.compile(r"/trial\?saved=new"))
    text = page.locator("main").inner_text()
    assert "0 of 4 periods done" in text and "Active: Calm CBD oil 1000 10 drops" in text
    shot(page, "flow-trial-1280")
    assert axe_violations(page) == []


def test_checking_a_pasted_article_without_javascript(browser, server):
    """Paste an article, check it by keyboard: the summary and every claim are read out, axe finds nothing."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    tab = context.new_page()
    tab.goto(server.url + "/claims")
    tab.get_by_label("The article's text").fill(
        "CBD oil relieves dystonia. Riluzole restores muscle strength. "
        "Sativex eases muscle stiffness in people with multiple sclerosis."
    )
    tab.get_by_role("button", name="Check the article").press("Enter")
    tab.wait_for_selector("#summary")
    text = tab.locator("main").inner_text()
    assert "3 health claims found" in text and "Contradicted by the evidence" in text
    assert "Warfarin" not in text  # the demo person's medicines are hers, not invented
    shot(tab, "flow-claims-360")
    context.close()


def test_the_claims_result_page_passes_axe(page, server):
    page.goto(server.url + "/claims")
    page.get_by_label("The article's text").fill(
        "CBD oil relieves dystonia. Buy now, 20% off! Riluzole restores strength."
    )
    page.get_by_role("button", name="Check the article").click()
    page.wait_for_selector("#summary")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    shot(page, "claims-result-1280")
    assert axe_violations(page) == []
