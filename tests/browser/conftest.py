"""Browser tests: the real app served by uvicorn in a thread, driven by Debian's Chromium via Playwright.

Chromium comes from the system (DOSEWISE_CHROMIUM or `chromium` on PATH); nothing is downloaded. Without
it these tests skip, unless DOSEWISE_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from dosewise import clock
from dosewise.config import Settings
from dosewise.services import demo, people, plans, products
from dosewise.store.db import Database
from tests.conftest import NOW

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
PAGES = [
    "/today",
    "/journal",
    "/products",
    "/medicines",
    "/plan",
    "/trial",
    "/insights",
    "/guide",
    "/guide/ms-spasticity",
    "/ask?q=does+cbd+help+spasticity",
    "/claims",
    "/alerts",
    "/reminders",
    "/setup",
    "/journal/note/1/edit",
    "/products/1/edit",
    "/products/1/coa",
    "/medicines/1/edit",
]


def chromium_path() -> str:
    """Return Debian's Chromium, or skip (fail when DOSEWISE_REQUIRE_BROWSER=1)."""
    path = os.environ.get("DOSEWISE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path and Path(path).exists():
        return path
    reason = "Chromium not found: apt-get install chromium (or set DOSEWISE_CHROMIUM) to run browser tests"
    if os.environ.get("DOSEWISE_REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The app on 127.0.0.1 with its own data dir and SQLite database: the demo person, or nobody."""

    def __init__(self, data_dir: Path, *, with_demo: bool = True) -> None:
        import uvicorn

        from dosewise.web.app import create_app

        self.settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'browser.db'}")
        self.db = Database(self.settings.resolved_database_url())
        clock.set_now(NOW)
        if with_demo:
            demo.load_demo(self.db, now=NOW)
            plans.new_plan(self.db, product="Calm CBD oil 1000", protocol="conservative")  # Plan shows its table
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(self.settings), host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> Server:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the web server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self.db.dispose()


@contextmanager
def ana_with(data_dir: Path, **product: object) -> Iterator[Server]:
    """The app with only Ana (MS spasticity, born 1979) and one product (``products.add_product`` arguments)."""
    with Server(data_dir, with_demo=False) as server:
        people.set_person(server.db, name="Ana", conditions=["ms-spasticity"], birth_year=1979, timezone="UTC")
        products.add_product(server.db, **product)
        yield server


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    chromium_path()  # no browser, no server
    with Server(tmp_path_factory.mktemp("browser-data")) as s:
        yield s


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A fresh browser tab (desktop width) that fails the test on any console error (e.g. a CSP violation)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.set_default_timeout(10_000)
    yield tab
    context.close()
    assert errors == [], f"console errors: {errors}"


def shot(tab, name: str) -> None:
    """Save a full-page screenshot to artifacts/screenshots/ (gitignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
