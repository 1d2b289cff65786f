"""The phone as an app (issue 14): manifest and service worker, and the daily check-in made offline is sent
once the phone is back online, each entry logged exactly once, even when the queue is sent twice."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from dosewise.services import journal
from tests.browser.conftest import ana_with, shot
from tests.conftest import NOW

pytestmark = pytest.mark.browser

QUEUED = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("dosewise-offline", 1);
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const get = open.result.transaction("checkins").objectStore("checkins").getAll();
    get.onsuccess = () => resolve(get.result);
  };
})"""
SEND_AGAIN = """async (items) => {
  const answers = [];
  for (const item of items) {
    const r = await fetch("/api/v1" + item.action, {method: "POST", body: JSON.stringify(item.data),
      headers: {"Content-Type": "application/json", "Idempotency-Key": item.id}});
    answers.push(r.status);
  }
  return answers;
}"""


@pytest.fixture
def ana(tmp_path):
    with ana_with(tmp_path, name="Calm CBD oil 1000", form="oil", cbd_mg=33.3, thc_mg=0, per="ml") as server:
        journal.record_dose(server.db, product="Calm CBD oil 1000", amount="5 drops", at=NOW - timedelta(days=1))
        yield server


def _entries(server) -> list[tuple[str, str]]:
    days = journal.read_journal(server.db, days=1).days
    return sorted((e.kind, str(e.item)) for d in days for e in d.entries)


def _wait_for(predicate, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


def test_the_manifest_and_the_service_worker_make_an_installable_app(browser, ana):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    tab = context.new_page()
    tab.goto(ana.url + "/today")
    assert tab.locator('link[rel="manifest"]').get_attribute("href") == "/manifest.webmanifest"
    answer = tab.request.get(ana.url + "/manifest.webmanifest")
    assert answer.ok and answer.headers["content-type"].startswith("application/manifest+json")
    manifest = answer.json()
    assert manifest["start_url"] == "/today" and manifest["display"] == "standalone" and manifest["name"]
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        image = tab.request.get(ana.url + icon["src"])
        assert image.ok and image.body()[:8] == b"\x89PNG\r\n\x1a\n"
    script = tab.evaluate("navigator.serviceWorker.ready.then(r => r.active.scriptURL)")
    assert script == ana.url + "/sw.js"
    context.close()


def test_a_check_in_made_offline_is_sent_once_back_online_and_never_logged_twice(browser, ana):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.set_default_timeout(15_000)
    tab.goto(ana.url + "/today")
    tab.evaluate("navigator.serviceWorker.ready.then(() => true)")
    tab.reload()  # now the service worker controls the page and keeps a copy of Today
    before = _entries(ana)

    context.set_offline(True)
    tab.reload()  # offline: Today opens from the phone's copy
    assert tab.get_by_role("heading", level=1).count() == 1
    tab.get_by_role("button", name="4", exact=True).click()
    status = tab.locator("#offline-status")
    expect(status).to_contain_text("Saved on this phone — will be sent when you are back online. (4)")
    tab.get_by_role("button", name="I took my usual dose").click()
    expect(status).to_contain_text("I took my usual dose")
    tab.locator("button.toggle").first.click()
    expect(status).to_contain_text("Drowsiness")
    worries = tab.locator("button.worry-item")
    if worries.count():
        tab.get_by_text("Something worrying?", exact=True).click()
        worries.first.click()
        expect(status).to_contain_text("It has NOT reached your journal yet")
        expect(status).to_contain_text("call your doctor or emergency services now")
    shot(tab, "offline-checkin-queued-360")
    items = tab.evaluate(QUEUED)
    assert len(items) == (4 if worries.count() else 3)
    assert len({i["id"] for i in items}) == len(items)
    assert _entries(ana) == before, "nothing reaches the journal while offline"

    context.set_offline(False)  # back online: the queue is sent, the page reloads and says so
    _wait_for(lambda: len(_entries(ana)) == len(before) + len(items))
    expect(tab.locator("#offline-status")).to_contain_text("saved on this phone are now in your journal")
    assert tab.evaluate(QUEUED) == []
    after = _entries(ana)
    kinds = sorted(k for k, _ in after)
    assert len(after) == len(before) + len(items), "each queued check-in is in the journal exactly once"
    assert kinds.count("rating") == 1 and kinds.count("side_effect") >= 1
    assert kinds.count("dose") == [k for k, _ in before].count("dose") + 1

    answers = tab.evaluate(SEND_AGAIN, items)  # the same queue sent again (a retry): nothing new
    assert all(a in (200, 201) for a in answers), answers
    assert _entries(ana) == after
    unexpected = [e for e in errors if "ERR_INTERNET_DISCONNECTED" not in e]  # offline on purpose
    assert unexpected == [], f"console errors (a CSP violation?): {unexpected}"
    context.close()


def test_every_page_works_without_javascript_as_before(browser, ana):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(ana.url + "/today")
    tab.get_by_role("button", name="4", exact=True).click()
    tab.wait_for_url("**/today?saved=rating*")
    assert [k for k, _ in _entries(ana)].count("rating") == 1
    context.close()
