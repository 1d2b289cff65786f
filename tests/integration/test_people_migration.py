"""A single-person database from before accounts and several people (schema 0006) migrates without loss:
the same journal afterwards, commands still need no --person, and a second person starts empty."""

from __future__ import annotations

import pytest
from alembic import command

from dosewise.services import journal, people, products
from dosewise.store.db import Database, _alembic_config, migrate
from tests.conftest import NOW


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def url(request: pytest.FixtureRequest, tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "sqlite":
        found = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        from tests.conftest import _empty_pg, _require_pg

        found = _require_pg(request.getfixturevalue("pg_url"))
        _empty_pg(found)
    monkeypatch.setenv("DOSEWISE_DATABASE_URL", found)
    return found


def _entries(db: Database) -> list[tuple[str, str | None, float | None]]:
    return [(e.kind, e.item, e.value) for d in journal.read_journal(db, days=3, now=NOW).days for e in d.entries]


def test_a_one_person_database_keeps_everything(url: str, cli) -> None:
    old = Database(url, auto_migrate=False)
    command.upgrade(_alembic_config(old.engine), "0006")
    people.set_person(old, name="Ana", conditions=["ms-spasticity"], timezone="UTC")
    products.add_product(old, name="Calm oil", form="oil", cbd_mg=20, thc_mg=0, per="ml")
    journal.record_dose(old, product="Calm oil", amount="5 drops", now=NOW)
    journal.record_rating(old, scale="spasticity", value=6, now=NOW)
    before = _entries(old)
    migrate(old.engine)
    assert _entries(old) == before
    assert people.get_person(old).name == "Ana"
    assert "Calm oil" in cli("journal", "--days", "3").out  # still the only person: no --person needed
    ben = people.add_person(old, name="Ben", timezone="UTC")
    assert _entries(old.for_person(ben.id)) == []
    ana = people.find_person(old, "Ana")
    assert _entries(old.for_person(ana.id)) == before
    old.dispose()
