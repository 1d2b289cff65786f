"""An urgent red flag stops a running plan, and only a clinician's agreement restarts it, as a person does it in
the browser: make a plan on the Plan page, log a red flag from Today's "Something worrying?", see the plan
stopped, say who agreed to restart, and see it restarted one step lower with the note kept."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from dosewise import clock
from dosewise.services import plans
from tests.browser.conftest import ana_with, shot
from tests.conftest import NOW

pytestmark = pytest.mark.browser

NOTE = "Dr Silva agreed by phone this morning"


@pytest.fixture(scope="module")
def sativex_server(tmp_path_factory):
    sativex = {"name": "Sativex", "form": "spray", "thc_mg": 2.7, "cbd_mg": 2.5, "per": "spray"}
    with ana_with(tmp_path_factory.mktemp("plan-resume"), **sativex) as server:
        yield server


def _status(page) -> str:
    return " ".join(page.locator("#status").inner_text().split())


def test_an_urgent_red_flag_stops_the_plan_and_a_clinicians_agreement_restarts_it_one_step_lower(page, sativex_server):
    url = sativex_server.url
    page.goto(url + "/plan")
    product = page.get_by_label("Product")
    product.select_option(label=product.locator("option", has_text="Sativex").inner_text())
    page.get_by_label("Schedule").select_option("nabiximols")
    page.get_by_label(re.compile("^Start on")).fill((NOW.date() - timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Make the plan").click()
    page.wait_for_url(re.compile(r"/plan\?saved=new"))
    step_before = plans.show_plan(sativex_server.db).today.step
    assert step_before > 1 and "Does this dose work for you?" in _status(page)

    page.goto(url + "/today")
    page.get_by_text("Something worrying?", exact=True).click()
    page.get_by_role("button", name=re.compile("^Chest pain")).click()
    page.wait_for_url(re.compile(r"/today\?saved=worry"))
    assert page.locator("section.urgent").count() >= 1

    page.goto(url + "/plan")
    assert "Your plan is stopped" in _status(page) and "Do not take another dose" in _status(page)
    clock.advance(timedelta(hours=3))  # the person called their clinician
    page.get_by_label(re.compile("^Who agreed, and when")).fill(NOTE)
    page.get_by_role("button", name="Restart the plan one step lower").click()
    page.wait_for_url(re.compile(r"/plan\?saved=resumed"))
    assert "Your plan restarted one step lower. Your note is kept." in page.get_by_role("status").first.inner_text()
    status = _status(page)
    assert "Staying on this dose" in status and f"restarted after a clinician agreed — “{NOTE}”" in status
    shown = plans.show_plan(sativex_server.db)
    assert shown.status == "held" and shown.today.step == step_before - 1 and shown.today.doses
    shot(page, "plan-resumed")
