"""Shared fixtures: databases (SQLite and the real PostgreSQL), the CLI, a clock."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from dosewise import clock
from dosewise.config import get_settings
from dosewise.services import runtime
from dosewise.store.db import Database

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def _reset_caches() -> None:
    from dosewise.services import analysis_cache

    analysis_cache.clear()
    get_settings.cache_clear()
    for database in runtime._databases.values():
        database.dispose()
    runtime._databases.clear()


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test gets its own data dir, UTC time zone, a fresh settings cache and the clock stood at NOW.

    No test reads the machine's clock: Dosewise's one clock (``dosewise.clock``) stands still at NOW, and a
    test that needs time to pass calls ``clock.advance``.
    """
    monkeypatch.setenv("DOSEWISE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DOSEWISE_DATABASE_URL", raising=False)
    monkeypatch.setenv("DOSEWISE_TIMEZONE", "UTC")
    monkeypatch.delenv("DOSEWISE_NOW", raising=False)
    clock.set_now(NOW)
    _reset_caches()
    yield
    clock.set_now(None)
    _reset_caches()


# ---------------------------------------------------------------- PostgreSQL


def _server_url() -> str | None:
    url = os.environ.get("DOSEWISE_TEST_PG_URL")
    if url:
        return url
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")) or not shutil.which("runuser"):
        return None
    with open("/tmp/dosewise-pg-tests.lock", "w") as lock:  # pytest-xdist workers start it one at a time
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = subprocess.run(
            [str(ROOT / "scripts/pg-test-server.sh"), "/tmp/dosewise-pg-tests", "54330"], capture_output=True, text=True
        )
    return proc.stdout.strip() if proc.returncode == 0 else None


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str | None]:
    """URL of a private database on a real PostgreSQL server (DOSEWISE_TEST_PG_URL or one started here).

    Each test session (each pytest-xdist worker) gets its own database, named by its process id, so parallel
    runs never clobber each other.
    """
    server = _server_url()
    if server is None:
        yield None
        return
    name = f"dosewise_t{os.getpid()}"
    admin = create_engine(server.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    with admin.connect() as conn:
        conn.execute(text(_CREATE_APP_ROLE))
    yield server.rsplit("/", 1)[0] + "/" + name
    for database in runtime._databases.values():
        database.dispose()
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def _require_pg(pg_url: str | None) -> str:
    if pg_url is None:
        if os.environ.get("DOSEWISE_REQUIRE_PG"):
            pytest.fail("DOSEWISE_REQUIRE_PG is set but no PostgreSQL server could be started")
        pytest.skip("PostgreSQL not available here (install postgresql to run these tests)")
    return pg_url


# The role the app connects as in the PostgreSQL tests: an ordinary role, so row-level security (migration 0009)
# holds it (the server's own user, which owns and migrates the tables, is a superuser and bypasses every policy).
APP_ROLE = "dosewise_app"
_CREATE_APP_ROLE = f"""
DO $$ BEGIN
  CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;  -- made by another test session
END $$"""
_GRANT_APP_ROLE = [
    f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}",
    f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}",
    f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}",
]


def app_role_url(owner_url: str) -> str:
    """The owner's database URL with the app's ordinary role as the user, after migrating the database as
    the owner and granting the role the rights an app needs on its tables (no DDL, no BYPASSRLS)."""
    from sqlalchemy import make_url

    from dosewise.store.db import make_engine, migrate

    engine = make_engine(owner_url)
    migrate(engine)
    with engine.begin() as conn:
        for statement in _GRANT_APP_ROLE:
            conn.execute(text(statement))
    engine.dispose()
    return make_url(owner_url).set(username=APP_ROLE).render_as_string(hide_password=False)


def _empty_pg(url: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def pg_db(pg_url: str | None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """An empty, migrated database on the real PostgreSQL server, used as an ordinary role (row-level
    security holds it, as it must hold the app in production)."""
    url = _require_pg(pg_url)
    _empty_pg(url)
    monkeypatch.setenv("DOSEWISE_DATABASE_URL", app_role_url(url))
    _reset_caches()
    db = runtime.open_database()
    yield db


@pytest.fixture
def fresh_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """An empty, migrated SQLite database in a temporary file (WAL needs a file)."""
    url = f"sqlite:///{tmp_path / 'dosewise-test.db'}"
    monkeypatch.setenv("DOSEWISE_DATABASE_URL", url)
    _reset_caches()
    yield runtime.open_database()


@pytest.fixture
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap Argon2id for tests about accounts (see tests.helpers.cheap_password_hashing)."""
    from tests.helpers import cheap_password_hashing

    cheap_password_hashing(monkeypatch)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def db(request: pytest.FixtureRequest) -> Database:
    """The same test on SQLite and on the real PostgreSQL server."""
    if request.param == "sqlite":
        return request.getfixturevalue("fresh_db")
    return request.getfixturevalue("pg_db")


# ---------------------------------------------------------------- CLI


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run ``dosewise ARGS...`` in-process against the test's database; returns code, stdout, stderr."""
    from dosewise.cli.app import run

    def invoke(*args: str) -> CliResult:
        capsys.readouterr()
        code = run(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def person(db: Database):
    """The issue's example person (Ana, MS spasticity) with her two products and baclofen."""
    from dosewise.services import medicines, people, products

    people.set_person(db, name="Ana", conditions=["ms-spasticity"], weight_kg=64, birth_year=1979, timezone="UTC")
    medicines.add_medicine(db, name="baclofen", dose_text="10 mg three times a day")
    products.add_product(db, name="Calm CBD oil 1000", form="oil", cbd_mg=33.3, thc_mg=0, per="ml", drop_ml=0.05)
    products.add_product(db, name="Sativex", form="spray", thc_mg=2.7, cbd_mg=2.5, per="spray")
    return db
