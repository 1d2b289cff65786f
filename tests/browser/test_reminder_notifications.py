"""A due reminder appears in an open page as a browser notification (permission granted) and is answered there:
the page polls its JSON twin (static/reminders.js), the dose falls due as the app's clock moves on, and "Taken"
logs the planned amount."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from dosewise import clock
from dosewise.services import journal, plans
from tests.browser.conftest import ana_with, shot
from tests.conftest import NOW

pytestmark = pytest.mark.browser

# Record what the page shows as notifications (headless Chromium has no notification centre to look at).
RECORD_NOTIFICATIONS = """(() => {
  const Real = window.Notification;
  window.__shown = [];
  function Recorded(title, options) {
    window.__shown.push(title + " | " + ((options && options.body) || ""));
    try { return new Real(title, options); } catch (e) { return {}; }
  }
  Object.defineProperty(Recorded, "permission", { get: () => Real.permission });
  Recorded.requestPermission = (...a) => Real.requestPermission(...a);
  window.Notification = Recorded;
})();"""


@pytest.fixture(scope="module")
def sativex_server(tmp_path_factory):
    sativex = {"name": "Sativex", "form": "spray", "thc_mg": 2.7, "cbd_mg": 2.5, "per": "spray"}
    with ana_with(tmp_path_factory.mktemp("reminders"), **sativex) as server:
        plans.new_plan(server.db, product="Sativex", protocol="nabiximols", start=NOW.date() - timedelta(days=10))
        yield server


def test_a_due_reminder_appears_as_a_notification_and_is_answered_taken(browser, sativex_server):
    url = sativex_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, permissions=["notifications"])
    context.grant_permissions(["notifications"], origin=url)
    context.add_init_script(RECORD_NOTIFICATIONS)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.set_default_timeout(15_000)
    try:
        clock.set_now(NOW.replace(hour=8))
        tab.goto(url + "/reminders?poll=1")
        assert tab.evaluate("() => Notification.permission") == "granted"
        assert tab.evaluate("() => window.__shown") == []
        clock.set_now(NOW.replace(hour=9, minute=1))  # the 09:00 dose falls due while the page is open
        tab.wait_for_function("() => window.__shown.length > 0")
        assert tab.evaluate("() => window.__shown") == [
            "Dosewise: Planned dose (09:00) | Take 4 sprays of Sativex (10.8 mg THC, 10 mg CBD), planned for 09:00."
        ]
        live = tab.locator("#reminders-live")
        live.get_by_text("Take 4 sprays of Sativex").wait_for()
        shot(tab, "reminder-due")
        taken = live.get_by_role("button", name="Taken")
        assert taken.bounding_box()["height"] >= 44
        taken.click()
        tab.wait_for_url(re.compile(r"/reminders\?saved=taken"))
        assert "Taken: your dose is logged as planned." in tab.get_by_role("status").first.inner_text()
        doses = [e for e in journal.read_journal(sativex_server.db, days=1).days[0].entries if e.kind == "dose"]
        assert [(e.item, e.amount_text) for e in doses] == [("Sativex", "4 sprays")]
        tab.wait_for_timeout(1500)  # the new page polls again: the answered reminder is not shown again
        assert tab.evaluate("() => window.__shown") == [] and tab.locator("#reminders-live").inner_text() == ""
        assert errors == []
    finally:
        context.close()
