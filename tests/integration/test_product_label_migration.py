"""Existing products and doses survive the label migration without loss, on SQLite and PostgreSQL."""

import pytest
from alembic import command
from sqlalchemy import text

from dosewise.services import products, runtime
from dosewise.store.db import Database, _alembic_config
from tests.conftest import NOW


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def old_db(request, tmp_path, monkeypatch):
    """A database migrated only to 0001 (before labels were kept), with a person, two products and a dose."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        from tests.conftest import _empty_pg, _require_pg

        url = _require_pg(request.getfixturevalue("pg_url"))
        _empty_pg(url)
    database = Database(url, auto_migrate=False)
    command.upgrade(_alembic_config(database.engine), "0001")
    with database.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO person (id, name, flags, primary_scale, timezone, is_demo, settings, created_at) "
                "VALUES (1, 'Ana', '[]', 'spasticity', 'UTC', false, '{}', :now)"
            ),
            {"now": NOW.replace(tzinfo=None)},
        )
        for pid, name, thc, cbd, source in ((1, "Old oil", 0.0, 33.3, "label"), (2, "Lab oil", None, 20.0, "measured")):
            conn.execute(
                text(
                    "INSERT INTO product (id, person_id, name, form, route, basis, thc_mg, cbd_mg, drop_ml, "
                    "potency_source, archived, created_at) VALUES (:id, 1, :name, 'oil', 'oral', 'ml', :thc, :cbd, "
                    "0.05, :src, false, :now)"
                ),
                {"id": pid, "name": name, "thc": thc, "cbd": cbd, "src": source, "now": NOW.replace(tzinfo=None)},
            )
        conn.execute(
            text(
                "INSERT INTO dose (id, person_id, product_id, amount, unit, thc_mg, cbd_mg, unusual, at, entered_by, "
                "created_at) VALUES (1, 1, 2, 5, 'drop', 0, 5, false, :now, 'person', :now)"
            ),
            {"now": NOW.replace(tzinfo=None)},
        )
    database.dispose()
    monkeypatch.setenv("DOSEWISE_DATABASE_URL", url)
    return url


def test_old_products_and_doses_keep_every_value_after_the_migration(old_db):
    db = runtime.open_database()  # migrates to head
    listed = {p.name: p for p in products.list_products(db)}
    old, lab = listed["Old oil"], listed["Lab oil"]
    assert (old.thc_mg, old.cbd_mg, old.potency_source) == (0.0, 33.3, "label")
    assert (old.label_thc_mg, old.label_cbd_mg) == (0.0, 33.3)
    assert old.label["cbd"] == "33.3 mg per ml" and any("33.3 mg per ml" in w for w in old.in_words)
    assert (lab.thc_mg, lab.cbd_mg, lab.potency_source) == (None, 20.0, "measured")
    assert lab.label_cbd_mg is None  # its content was never the label's
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT mg_source, cbd_mg FROM dose")).one() == ("measured", 5.0)
        measured = conn.execute(text("SELECT measured_thc_mg, measured_cbd_mg FROM product WHERE id = 2")).one()
        assert tuple(measured) == (None, 20.0)  # its content stays the measured content (migration 0003)
