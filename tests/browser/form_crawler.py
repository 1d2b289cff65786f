"""Find every form on every page of the running app and submit it as a person would.

Pages: the app's GET routes without parameters, then every same-site link found on a page (numbers in a
path are collapsed, so one Edit page per kind of entry is opened, not sixty). Forms: every form of every
page, told apart by a signature (method, action with numbers collapsed, field names): the sixty Delete
buttons of a journal are one form per kind of entry.

Each new form is filled in the real browser: a typed field gets its ``data-example`` (a form convention: a
typed field without one is a failure; a password is never shown again, so a form of passwords only must say
what was done), a file field gets its ``data-example`` as the file's content, a
select keeps a real selected option or takes its first real one, a radio group keeps its checked choice.
The form is sent with its first submit button (which must have a visible name). The page after it must
show no error, and show what was saved (one of the typed examples or the chosen option's name) or, for a
form with nothing to type, a status message saying what was done. Destructive forms (delete, stop,
acknowledge) wait until nothing else is new, then run one at a time in a fixed order, so that the crawl
still finds everything else; each is followed by a new sweep, so what appears after it (Undo, a new
trial form) is submitted too.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from dosewise import clock
from tests.web.html_forms import Form, forms_of, links_of

DOWNLOADS = (".csv", ".ics", ".pdf")
STEP = timedelta(minutes=3)  # the app's clock moves on this much before each form is sent
NUMBER = re.compile(r"/\d+(?=/|$)")

# Destructive forms, in the order they run, and the status message each must show afterwards.
DESTRUCTIVE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^/journal/\{kind\}/\{entry_id\}/delete$"), "Deleted:"),
    (re.compile(r"^/alerts/acknowledge-all$"), "All open alerts acknowledged"),
    (re.compile(r"^/alerts/\{alert_id\}/acknowledge$"), "Alert acknowledged"),
    (re.compile(r"^/medicines/\{medicine_id\}/stop$"), "stopped"),
    (re.compile(r"^/trial/stop$"), "The trial is stopped"),
    (re.compile(r"^/plan/ceiling/clear$"), "The ceiling is removed"),
    (re.compile(r"^/plan/stop$"), "The plan is ended"),
]

# Forms this crawl does not send, each with the focused browser test that does (test_every_form.py checks
# that every test named here exists): a PDF upload needs a real certificate, and the restart form is shown
# only after an urgent alert stops a running plan, while the crawl raises its alerts before any plan; a
# reminder's answer form only while one is open.
NOT_YET_COVERED = {
    "/products/{product_id}/coa/pdf": "covered by tests/browser/test_coa_pdf_upload.py"
    "::test_a_text_based_coa_pdf_is_read_back_into_the_form_and_saved",
    "/plan/resume": "covered by tests/browser/test_plan_resume.py"
    "::test_an_urgent_red_flag_stops_the_plan_and_a_clinicians_agreement_restarts_it_one_step_lower",
    # Shown only for a reminder still open; the crawled people have logged their check-in and have no plan dose due.
    "/reminders/answer": "covered by tests/browser/test_reminder_notifications.py"
    "::test_a_due_reminder_appears_as_a_notification_and_is_answered_taken",
    # Sharing needs the other person's account, made outside the crawl (`dosewise account add`); stopping it
    # needs a share. Pairing needs a code made on another (signed-in) browser.
    "/sharing": "covered by tests/browser/test_sharing_and_pairing.py"
    "::test_the_owner_shares_the_journal_with_a_caregiver_and_stops_sharing",
    # Inviting is for a signed-in person's own account; the crawl runs before any account exists.
    "/sharing/invite": "covered by tests/browser/test_sharing_and_pairing.py"
    "::test_the_owner_invites_someone_new_who_signs_in_with_the_password_given",
    "/sharing/revoke": "covered by tests/browser/test_sharing_and_pairing.py"
    "::test_the_owner_shares_the_journal_with_a_caregiver_and_stops_sharing",
    "/pair": "covered by tests/browser/test_sharing_and_pairing.py"
    "::test_a_phone_signs_in_with_a_code_made_on_the_computer_once",
}

# The page's own words, without its forms, navigation and pick-lists (whose option names prove nothing).
CONTENT_JS = """() => { const b = document.body.cloneNode(true);
  b.querySelectorAll('form, nav, select, textarea, script, style, footer').forEach(e => e.remove());
  return b.textContent.replace(/\\s+/g, ' '); }"""
STATUS_JS = "() => [...document.querySelectorAll('[role=status]')].map(e => e.textContent).join(' ')"
PROBLEM_JS = """() => [...document.querySelectorAll('.error-summary, h1')]
  .map(e => e.textContent.replace(/\\s+/g, ' ').trim())
  .filter(t => t.startsWith('Not saved') || t === 'Something needs fixing').join(' | ')"""
SUBMIT = "button[type=submit], button:not([type]), input[type=submit]"

Signature = tuple[str, str, tuple[str, ...]]


def shape(path: str) -> str:
    """Collapse numbers in a path: /journal/rating/12/edit -> /journal/rating/{n}/edit."""
    return NUMBER.sub("/{n}", path)


def signature(form: Form) -> Signature:
    """What makes a form different from another: its method, the route it goes to, its field names."""
    path = urlsplit(form.action).path
    route = route_of(route_templates()[form.method.upper()], path) or shape(path)
    names = sorted({f.name for f in form.fields if f.name != "csrf_token"})
    return (form.method, route, tuple(names))


def destructive(sig: Signature) -> int | None:
    """The place of a destructive form in DESTRUCTIVE, or None for any other form."""
    return next((i for i, (rx, _) in enumerate(DESTRUCTIVE) if rx.match(sig[1])), None)


def _shown_of(text: str) -> list[str]:
    """What a chosen option may look like on the page: its whole text, and its name before ' ('."""
    return [text, text.split(" (")[0]] if " (" in text else [text]


def _shown_of_text(text: str) -> list[str]:
    """What typed text may look like on the page: all of it, or one of its sentences (a pasted article)."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) >= 12]
    return [text] + (sentences if len(sentences) > 1 else [])


@dataclass
class Crawler:
    """One person's crawl through the app served at ``base`` in the browser tab ``tab``."""

    tab: object
    base: str
    who: str
    pages: dict[str, str] = field(default_factory=dict)  # page key -> URL (path and query)
    done: set[Signature] = field(default_factory=set)
    pending: dict[Signature, str] = field(default_factory=dict)  # destructive forms found -> page URL
    failures: list[str] = field(default_factory=list)
    visited: set[str] = field(default_factory=set)  # paths answered with a page or a download
    submitted: set[tuple[str, str]] = field(default_factory=set)  # (method, path) of each form sent
    log: list[str] = field(default_factory=list)
    start: list[str] = field(default_factory=list)

    # ---------------------------------------------------------------- pages and links

    def add_page(self, href: str) -> None:
        parts = urlsplit(href)
        if parts.netloc and f"{parts.scheme}://{parts.netloc}" != self.base:
            return  # another site (a PubMed link)
        if not parts.path.startswith("/") or parts.path.startswith(("/static", "/api/")):
            return
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.path.endswith(DOWNLOADS):
            if parts.path not in self.visited:
                self._download(url)
            return
        key = shape(parts.path) + "?" + ",".join(sorted(parse_qs(parts.query)))
        self.pages.setdefault(key, url)

    def _download(self, url: str) -> None:
        answer = self.tab.request.get(self.base + url)
        self.visited.add(urlsplit(url).path)
        if answer.status != 200 or "text/html" in answer.headers.get("content-type", ""):
            self.failures.append(f"{self.who}: the download {url} answered {answer.status}")

    def fetch(self, url: str) -> str | None:
        answer = self.tab.request.get(self.base + url)
        self.visited.add(urlsplit(url).path)
        if answer.status != 200:
            self.failures.append(f"{self.who}: the page {url} answered {answer.status}")
            return None
        return answer.text()

    # ---------------------------------------------------------------- the crawl

    def seed(self, page: str, action: str) -> None:
        """Submit the form posting to ``action`` on ``page`` first (the person is set up through it)."""
        html = self.fetch(page) or ""
        form = next((f for f in forms_of(html) if f.action == action), None)
        if form is None:
            self.failures.append(f"{self.who}: no form posting to {action} on {page}")
            return
        self.exercise(page, signature(form))

    def run(self, start: list[str]) -> None:
        """Sweep every page until no form is new; then one destructive form at a time, each with a sweep."""
        self.start = start
        while True:
            while self.sweep():
                pass
            if not self.next_destructive():  # one at a time, each followed by a sweep (what it made appear)
                return

    def sweep(self) -> bool:
        """Open every page reachable now (from the start pages, by links); submit each form not sent before."""
        self.pages = {}
        for url in self.start:
            self.add_page(url)
        progress, i = False, 0
        while i < len(self.pages):
            url = list(self.pages.values())[i]
            i += 1
            html = self.fetch(url)
            if html is None:
                continue
            for href in links_of(html):
                self.add_page(href)
            for form in forms_of(html):
                progress |= self._consider(url, signature(form))
        return progress

    def _consider(self, url: str, sig: Signature) -> bool:
        if sig in self.done or sig[1] in NOT_YET_COVERED:
            return False
        if destructive(sig) is not None:
            self.pending.setdefault(sig, url)
            return False
        self.exercise(url, sig)
        return True

    def next_destructive(self) -> bool:
        """Send the first destructive form still found (in DESTRUCTIVE order); False when none is left."""
        for sig, url in sorted(self.pending.items(), key=lambda kv: (destructive(kv[0]), kv[0])):
            del self.pending[sig]
            if sig not in self.done and any(signature(f) == sig for f in forms_of(self.fetch(url) or "")):
                self.exercise(url, sig)
                return True
        return False

    def _landed(self) -> None:
        """Send the new forms of the page a form led to (Undo after Delete, a trial form after Stop)."""
        url = urlsplit(self.tab.url)
        here = url.path + (f"?{url.query}" if url.query else "")
        for form in forms_of(self.tab.content()):
            sig = signature(form)
            if sig[1] in NOT_YET_COVERED:
                continue
            if sig not in self.done and destructive(sig) is None:
                self.exercise(here, sig)
                return
            if sig not in self.done:
                self.pending.setdefault(sig, here)

    # ---------------------------------------------------------------- one form

    def exercise(self, url: str, sig: Signature) -> None:
        """Open ``url`` in the browser, fill the form with signature ``sig``, send it, check the page after."""
        self.done.add(sig)
        tab = self.tab
        forms = forms_of(tab.content())  # the page the browser is on may have the form already
        index = next((i for i, f in enumerate(forms) if signature(f) == sig), None)
        if index is None or urlsplit(tab.url).path != urlsplit(url).path:
            tab.goto(self.base + url)
            forms = forms_of(tab.content())
            index = next((i for i, f in enumerate(forms) if signature(f) == sig), None)
        where = f"{self.who}: the form {sig[0].upper()} {sig[1]} on {url}"
        if index is None:
            self.failures.append(f"{where} is not there when the page is opened")
            return
        form = forms[index]
        if not form.buttons or not form.buttons[0].text:
            self.failures.append(f"{where} has no submit button with a visible name")
            return
        located = tab.locator("form").nth(index)
        problems, shown = self._fill(located, form, where)
        if problems:
            self.failures.extend(problems)
            return
        clock.advance(STEP)  # a person takes a few minutes per form (a second dose at once is a double tap)
        with tab.expect_navigation() as navigation:
            located.locator(SUBMIT).first.click()
        self.submitted.add((form.method, urlsplit(form.action).path))
        self.log.append(f"{url}: {sig[0]} {form.action} -> {tab.url}")
        if self._check(where, sig, navigation.value, shown):
            self._landed()

    def _fill(self, located, form: Form, where: str) -> tuple[list[str], list[str]]:
        """Fill ``form`` as a person would; return the problems and the values the page should then show."""
        problems: list[str] = []
        shown: list[str] = []
        if not located.evaluate("f => { const d = f.closest('details'); return !d || d.open; }"):
            located.locator("xpath=ancestor::details[1]/summary").click()
        for f in form.fields:
            box = located.locator(f'[name="{f.name}"]')
            if f.type != "hidden" and not box.first.is_visible():  # in a closed <details> of the form
                box.first.locator("xpath=ancestor::details[1]/summary").click()
            if f.typed or f.type == "file":
                if f.example is None:
                    problems.append(f"{where}: the field '{f.name}' has no data-example (a valid value to type)")
                elif f.type == "file" and f.example:
                    content = {"name": "example.csv", "mimeType": "text/csv", "buffer": f.example.encode()}
                    box.set_input_files(files=[content])
                elif f.type != "file":  # a file field whose example is "" stays empty
                    box.fill(f.example)
                    if f.example and f.type not in ("date", "datetime-local", "time", "month", "password"):
                        shown += _shown_of_text(f.example)
            elif f.tag == "select":
                real = [(v, t) for v, t in f.options if v]
                if not real:
                    problems.append(f"{where}: the list '{f.name}' has nothing to choose")
                    continue
                value = f.value or real[0][0]
                box.select_option(value)
                shown += _shown_of(dict(f.options)[value])
            elif f.type in ("radio", "checkbox"):
                group = [x for x in form.fields if x.name == f.name]
                if f.required and not any(x.checked for x in group) and f is group[0]:
                    box.first.check()
            elif f.type != "hidden":
                problems.append(f"{where}: the field '{f.name}' of type {f.type} cannot be filled by this test")
        return problems, shown

    def _check(self, where: str, sig: Signature, response, shown: list[str]) -> bool:
        """Record a failure when the page after sending shows an error, or not what was saved."""
        tab = self.tab
        status = response.status if response is not None else 0
        problem = tab.evaluate(PROBLEM_JS)
        if status >= 400 or problem:
            message = tab.evaluate(CONTENT_JS)[:400]
            self.failures.append(f"{where} was refused ({status}) with the example values: {problem} {message}")
            return False
        said = " ".join(tab.evaluate(STATUS_JS).split())
        place = destructive(sig)
        if place is not None:
            if DESTRUCTIVE[place][1] not in said:
                self.failures.append(f"{where}: after it the page does not say '{DESTRUCTIVE[place][1]}' ({said})")
                return False
            return True
        text = tab.evaluate(CONTENT_JS).casefold()
        if shown and not any(s.casefold() in text for s in shown if s.strip()):
            self.failures.append(f"{where}: the page after it ({tab.url}) shows none of what was saved: {shown}")
            return False
        if not shown and not said.strip():
            self.failures.append(f"{where}: the page after it ({tab.url}) does not say what was done")
            return False
        return True


@functools.cache
def route_templates() -> dict[str, list[str]]:
    """The app's HTML routes by method (GET, POST), as registered in its routers."""
    from dosewise.web.app import ROUTERS

    out: dict[str, list[str]] = {"GET": [], "POST": []}
    for module in ROUTERS:
        for route in module.router.routes:
            for method in route.methods & {"GET", "POST"}:
                out[method].append(route.path)
    return out


def _matches(template: str, path: str) -> bool:
    parts = re.split(r"\{[^}]+\}", template)
    return re.fullmatch("[^/]+".join(re.escape(p) for p in parts), path) is not None


def route_of(templates: list[str], path: str) -> str | None:
    """The most specific route template matching ``path`` (fewest parameters first)."""
    found = [t for t in templates if _matches(t, path)]
    return min(found, key=lambda t: t.count("{")) if found else None


def uncovered(crawlers: list[Crawler]) -> list[str]:
    """Routes no crawl reached: GET routes never opened, POST routes no submitted form went to."""
    routes = route_templates()
    reached = {"GET": set(), "POST": set()}
    for c in crawlers:
        for path in c.visited:
            reached["GET"].add(route_of(routes["GET"], path))
        for method, path in c.submitted:
            reached[method.upper()].add(route_of(routes[method.upper()], path))
    return [f"{m} {t}" for m, ts in routes.items() for t in ts if t not in reached[m] | NOT_YET_COVERED.keys()]


def start_pages() -> list[str]:
    """The GET routes without parameters that answer a page (not a download)."""
    return [t for t in route_templates()["GET"] if "{" not in t and not t.endswith(DOWNLOADS)]
