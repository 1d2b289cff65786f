"""Every form on every page works: the crawler (tests/browser/form_crawler.py) opens every page of the app
for the demo person and for a new person set up through /setup, fills every form with its examples,
submits it and checks that what was saved shows up. A form it cannot fill, or that refuses its own
examples, fails the test; a page or form that no crawl reaches fails the route check."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.browser.conftest import ROOT, Server
from tests.browser.form_crawler import NOT_YET_COVERED, Crawler, route_templates, start_pages, uncovered

pytestmark = pytest.mark.browser

SCENARIOS = {"demo person": ("/setup", "/setup/demo"), "new person": ("/setup", "/setup")}


@pytest.fixture(scope="module")
def crawls(browser, tmp_path_factory) -> dict[str, Crawler]:
    """Each scenario on its own empty database: the person is set up through the page's own form."""
    out = {}
    for who, (page, action) in SCENARIOS.items():
        with Server(tmp_path_factory.mktemp(who.replace(" ", "-")), with_demo=False) as server:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            tab = context.new_page()
            tab.set_default_timeout(15_000)
            errors: list[str] = []
            tab.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
            crawler = Crawler(tab, server.url, who)
            crawler.seed(page, action)
            crawler.run(start_pages())
            crawler.failures += [f"{who}: console error {e}" for e in errors]
            context.close()
            out[who] = crawler
    return out


@pytest.mark.parametrize("who", SCENARIOS)
def test_every_form_on_every_page_saves_its_examples_and_shows_what_was_saved(crawls, who):
    crawler = crawls[who]
    assert crawler.failures == [], "\n".join(crawler.failures + ["", "what was submitted:"] + crawler.log)


def test_every_page_and_every_form_of_the_app_is_reached_by_a_crawl(crawls):
    assert uncovered(list(crawls.values())) == []


COVERED_BY = re.compile(r"^covered by (tests/browser/[\w/]+\.py)::(test_\w+)$")


def _test_functions(path: Path) -> set[str]:
    return {n.name for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.FunctionDef)}


@pytest.mark.parametrize("route", sorted(NOT_YET_COVERED))
def test_each_form_the_crawl_leaves_out_names_a_browser_test_that_exists(route):
    assert route in route_templates()["POST"], f"{route} is no longer a form route of the app"
    found = COVERED_BY.match(NOT_YET_COVERED[route])
    assert found, f"{route}: say 'covered by tests/browser/<file>.py::<test>', not {NOT_YET_COVERED[route]!r}"
    path, name = ROOT / found.group(1), found.group(2)
    assert path.is_file(), f"{route}: {found.group(1)} does not exist"
    assert name in _test_functions(path), f"{route}: {found.group(1)} has no test named {name}"
