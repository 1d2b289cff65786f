"""axe-core (WCAG 2.0-2.2 A/AA + best practice) finds 0 violations on every page, at phone and desktop width;
every control can be reached by keyboard with a visible focus; targets are at least 44 x 44 px."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import PAGES, shot
from tests.browser.form_crawler import DOWNLOADS, route_templates

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(tab) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x: {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]


def _name(path: str) -> str:
    return path.strip("/").split("?")[0].replace("/", "-") or "root"


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations(page, server, path, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(server.url + path)
    shot(page, f"{_name(path)}-{width}")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # check the forms too
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/today", "/journal", "/insights", "/plan"])
def test_no_horizontal_scrolling_at_360_px_or_at_200_percent_zoom(page, server, path):
    """360 CSS px is a phone; a 640 px window at 200 % zoom is 320 CSS px wide (WCAG 1.4.10 reflow)."""
    for width in (360, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at {width} px"


TARGETS = "a[href], button, input:not([type=hidden]), select, textarea, summary"


# A value for each path parameter of the app's pages, on the demo server (tests/browser/conftest.py).
PATH_EXAMPLES = {
    "condition": "ms-spasticity",
    "kind": "note",
    "entry_id": "1",
    "medicine_id": "1",
    "product_id": "1",
}


def app_pages() -> list[str]:
    """Every page of the app (its GET routes, read from the app's routers, not listed by hand; downloads left
    out), with the demo's example for each path parameter: a new page is checked without touching this test."""
    pages = []
    for template in sorted(set(route_templates()["GET"])):
        if template.endswith(DOWNLOADS):
            continue
        pages.append(re.sub(r"\{(\w+)\}", lambda m: PATH_EXAMPLES.get(m.group(1), m.group(0)), template))
    return pages


def test_every_page_is_checked_for_44_px_targets():
    pages = app_pages()
    assert {"/today", "/sharing", "/medicines/1/edit", "/journal/note/1/edit"} <= set(pages)
    assert [p for p in pages if "{" in p] == [], "give the new path parameter an example in PATH_EXAMPLES"


@pytest.mark.parametrize("path", app_pages())
def test_targets_are_at_least_44_px(page, server, path):
    answer = page.goto(server.url + path)
    assert answer is not None and answer.ok, f"{path} answered {answer.status if answer else 'nothing'}"
    assert small_targets(page) == []


def small_targets(page) -> list[str]:
    """Controls of the open page smaller than 44 x 44 px (links inside running text and radios, whose
    target is their whole label, excepted), with every <details> opened first."""
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    small = page.evaluate(f"""() => [...document.querySelectorAll('{TARGETS}')]
        .filter(e => e.offsetParent !== null && !e.closest('main p, main li, td, th, .hint, .refs'))
        .map(e => [e.getBoundingClientRect(), e])
        .filter(([r]) => r.width > 0 && (r.width < 44 || r.height < 44))
        .map(([r, e]) => e.outerHTML.slice(0, 80) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))""")
    radios = [s for s in small if 'type="radio"' in s]  # a radio's 44 px target is its whole label
    return [s for s in small if s not in radios]


FOCUS_PAGES = [
    "/journal",
    "/medicines",
    "/plan",
    "/alerts",
    "/products",
    "/trial",
    "/setup",
    "/insights",
    "/journal/note/1/edit",
    "/products/1/edit",
    "/products/1/coa",
    "/medicines/1/edit",
    "/ask?q=cbd",
]


@pytest.mark.parametrize("path", FOCUS_PAGES)
def test_focus_is_visible_on_every_control_of_a_page(page, server, path):
    page.goto(server.url + path)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    count = page.evaluate(f"document.querySelectorAll('{TARGETS}').length")
    for _ in range(min(count + 2, 80)):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            return [e.tagName, (e.id || e.textContent.trim()).slice(0, 30), s.outlineStyle, s.outlineWidth]; }""")
        if info[0] != "BODY":
            assert info[2] != "none" and info[3] != "0px", f"no visible focus on {info}"


def test_every_control_is_reachable_by_keyboard_with_visible_focus(page, server):
    page.goto(server.url + "/today")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    seen = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            return [e.tagName, e.textContent.trim().slice(0, 30), s.outlineStyle, s.outlineWidth, s.boxShadow]; }""")
        if info[0] == "BODY":  # between the skip target and the first control
            continue
        assert info[2] != "none" and info[3] != "0px", f"no visible focus on {info}"
        seen.add(info[1])
    assert {"0", "10"} <= seen  # the score buttons are in the tab order
    assert any(s.startswith("I took my") for s in seen)


def test_the_axe_check_can_fail(page, server):
    """Guard against a silent checker: a page with an unlabelled input must be reported."""
    page.goto(server.url + "/today")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')")
    assert any(v.startswith("label") for v in axe_violations(page))
