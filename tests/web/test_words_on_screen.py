"""People see names and links, never internal ids, reference keys or CLI commands.

Every page the app links to (for the demo person, with a plan, a trial, alerts and every kind of entry) and
the clinician report's HTML are read as text, and must not contain: a `dosewise <command>` (a web page
never tells a person to run a CLI command), a bracketed reference key such as `[nice-ng42]`, or an
internal id such as `ms-spasticity`, `weight_kg` or its mechanical rendering (`Ms spasticity`, `Alsfrs r`).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from dosewise.knowledge.references import load_references
from dosewise.model.journal import side_effects, symptoms
from dosewise.model.people import CONDITIONS
from dosewise.model.scales import all_scales
from dosewise.services import demo, journal, plans, trials, worries
from dosewise.services.journal import MEASUREMENT_LABELS
from tests.conftest import NOW
from tests.web.conftest import make_client
from tests.web.html_forms import links_of


class _Text(HTMLParser):
    """The words a person reads: text outside script/style (option texts included), no attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def words_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _internal_ids() -> dict[str, str]:
    """Ids with a separator -> their proper name (a page may show the name, never the id or its 'Label')."""
    ids = dict(CONDITIONS)
    ids |= {s.id: s.name for s in all_scales().values()}
    ids |= {k: v["label"] for k, v in (symptoms() | side_effects()).items()}
    ids |= {k: v[0] for k, v in MEASUREMENT_LABELS.items()}
    return {k: v for k, v in ids.items() if "-" in k or "_" in k}


def problems_in(text: str) -> list[str]:
    found = []
    found += [f"CLI command: {m.group(0)!r}" for m in re.finditer(r"\bdosewise [a-z][a-z-]+(?: [a-z-]+)?", text)]
    keys = "|".join(map(re.escape, sorted(load_references(), key=len, reverse=True)))
    found += [
        f"reference key: {m.group(0)!r}" for m in re.finditer(r"\[(?:[^\]]*\W)?(?:" + keys + r")\b[^\]]*\]", text)
    ]
    for key, name in _internal_ids().items():
        mechanical = key.replace("_", " ").replace("-", " ").capitalize()
        shown_as = {key} | ({mechanical} if mechanical.casefold() not in name.casefold() else set())
        for shown in shown_as - {name}:
            if re.search(r"(?<![\w-])" + re.escape(shown) + r"(?![\w-])", text):
                found.append(f"internal id: {shown!r} (say {name!r})")
    return found


@pytest.fixture
def demo_client(fresh_db):
    demo.load_demo(fresh_db, now=NOW)
    plans.new_plan(fresh_db, product="Calm CBD oil 1000", protocol="conservative")
    trials.create_trial(fresh_db, active="Calm CBD oil 1000:10 drops", blocks=2, period_days=7)
    for kind, fields in (
        ("symptom", {"symptom": "breathless-lying-down"}),
        ("measurement", {"kind": "weight", "value": 60}),
    ):
        getattr(journal, f"record_{kind}")(fresh_db, **fields)
    worries.log_worry(fresh_db, item=worries.list_worries(fresh_db)[0].item)
    return make_client()


def _crawl(client) -> dict[str, str]:
    from tests.browser.form_crawler import shape, start_pages

    todo, seen, pages = list(start_pages()), set(), {}
    while todo:
        url = todo.pop(0)
        key = shape(urlsplit(url).path) + "?" + urlsplit(url).query
        if key in seen:
            continue
        seen.add(key)
        answer = client.get(url, follow_redirects=True)
        if "text/html" not in answer.headers.get("content-type", ""):
            continue
        pages[url] = answer.text
        for href in links_of(answer.text):
            parts = urlsplit(href)
            if not parts.netloc and parts.path.startswith("/") and not parts.path.startswith("/static"):
                todo.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages


def test_no_page_shows_a_cli_command_a_reference_key_or_an_internal_id(demo_client):
    pages = _crawl(demo_client)
    assert len(pages) >= 15
    found = {url: problems_in(words_of(html)) for url, html in pages.items()}
    bad = {url: p for url, p in found.items() if p}
    assert bad == {}, "\n".join(f"{url}: {p}" for url, p in bad.items())


def test_the_clinician_report_shows_names_and_linked_sources(demo_client, fresh_db):
    from dosewise.reports.clinician import render_html
    from dosewise.services import reports

    html = render_html(reports.clinician_report(fresh_db))
    assert problems_in(words_of(html)) == []
    assert "/work/" not in html and "src/dosewise" not in html  # no file paths


def test_the_checker_finds_what_it_must():
    text = "See dosewise product edit. Sources: [nice-ng42]. Ms spasticity and weight_kg."
    assert len(problems_in(text)) == 4
