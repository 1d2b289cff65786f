"""Web fixtures: the app on a fresh SQLite database with Ana (or the demo person), and a form helper."""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import pytest

from dosewise.services import medicines, people, products, runtime
from dosewise.store.db import Database

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from tests.conftest import _reset_caches

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _set_up_ana(db: Database) -> None:
    people.set_person(db, name="Ana", conditions=["ms-spasticity"], birth_year=1979, timezone="UTC")
    medicines.add_medicine(db, name="baclofen", dose_text="10 mg three times a day")
    products.add_product(db, name="Calm CBD oil 1000", form="oil", cbd_mg=33.3, thc_mg=0, per="ml")
    products.add_product(db, name="Sativex", form="spray", thc_mg=2.7, cbd_mg=2.5, per="spray")


@pytest.fixture(scope="session")
def _ana_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ana's database built once (migrations are the slow part); each test gets its own copy."""
    path = tmp_path_factory.mktemp("web-template") / "ana.db"
    db = Database(f"sqlite:///{path}")
    _set_up_ana(db)
    db.dispose()
    return path


@pytest.fixture
def ana(_ana_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    """Ana (MS spasticity) with her CBD oil, Sativex and baclofen, on her own SQLite file."""
    target = tmp_path / "ana.db"
    shutil.copyfile(_ana_template, target)
    monkeypatch.setenv("DOSEWISE_DATABASE_URL", f"sqlite:///{target}")
    _reset_caches()
    return runtime.open_database()


def make_client() -> TestClient:
    from dosewise.web.app import create_app

    return TestClient(create_app(), base_url="http://127.0.0.1", follow_redirects=False)


@pytest.fixture
def client(ana: Database) -> TestClient:
    """A browser-like client (keeps cookies, does not follow redirects) on Ana's database."""
    return make_client()


@pytest.fixture
def empty_client(fresh_db: Database) -> TestClient:
    return make_client()


def token(client: TestClient, page: str = "/today") -> str:
    """Open ``page`` like a browser and return the form's CSRF token."""
    found = TOKEN.search(client.get(page).text)
    assert found, f"no CSRF token in {page}"
    return found.group(1)


def submit(client: TestClient, url: str, data: dict[str, str], *, page: str = "/today"):
    """Submit a form the way a browser does: with the token from the page it was on."""
    return client.post(url, data={**data, "csrf_token": token(client, page)})
