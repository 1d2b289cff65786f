"""A single-person database from before accounts and several people (schema 0006) migrates without loss:
the same journal afterwards, commands still need no --person, and a second person starts empty."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import MetaData, insert

from dosewise.services import journal, people
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


def _write_at_0006(db: Database) -> None:
    """Ana, her oil, a dose and a score, written into the tables as they are at revision 0006."""
    tables = MetaData()
    tables.reflect(db.engine)
    t = tables.tables
    with db.engine.begin() as conn:
        pid = conn.execute(
            insert(t["person"]).values(
                name="Ana",
                flags=[],
                primary_scale="spasticity",
                timezone="UTC",
                is_demo=False,
                settings={},
                created_at=NOW,
            )
        ).inserted_primary_key[0]
        conn.execute(insert(t["diagnosis"]).values(person_id=pid, condition_id="ms-spasticity"))
        oil = conn.execute(
            insert(t["product"]).values(
                person_id=pid,
                name="Calm oil",
                form="oil",
                route="oral",
                basis="ml",
                drop_ml=0.05,
                cbd_mg=20.0,
                thc_mg=0.0,
                potency_source="label",
                archived=False,
                created_at=NOW,
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(t["dose"]).values(
                person_id=pid,
                product_id=oil,
                amount=5.0,
                unit="drop",
                thc_mg=0.0,
                cbd_mg=5.0,
                unusual=False,
                at=NOW,
                entered_by="person",
                created_at=NOW,
            )
        )
        conn.execute(
            insert(t["rating"]).values(
                person_id=pid, scale_id="spasticity", value=6.0, at=NOW, entered_by="person", created_at=NOW
            )
        )  # fmt: skip


def test_a_one_person_database_keeps_everything(url: str, cli) -> None:
    old = Database(url, auto_migrate=False)
    command.upgrade(_alembic_config(old.engine), "0006")
    _write_at_0006(old)  # as that version wrote them (today's services know columns added since)
    migrate(old.engine)
    before = [("dose", "Calm oil", 5.0), ("rating", "spasticity", 6.0)]
    assert sorted(_entries(old)) == before
    assert people.get_person(old).name == "Ana"
    assert "Calm oil" in cli("journal", "--days", "3").out  # still the only person: no --person needed
    ben = people.add_person(old, name="Ben", timezone="UTC")
    assert _entries(old.for_person(ben.id)) == []
    ana = people.find_person(old, "Ana")
    assert sorted(_entries(old.for_person(ana.id))) == before
    old.dispose()
