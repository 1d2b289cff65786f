"""Storage: created and migrated on first use; migrations match the tables; SQLite is set up for safety."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from dosewise.services import runtime
from dosewise.store.tables import Base
from tests.conftest import NOW


def test_database_is_created_and_migrated_on_first_use(tmp_path, monkeypatch):
    from dosewise.config import get_settings

    monkeypatch.setenv("DOSEWISE_DATA_DIR", str(tmp_path / "new-user"))
    get_settings.cache_clear()
    db = runtime.open_database()
    assert (tmp_path / "new-user" / "dosewise.db").exists()
    with db.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() is not None


def test_migrations_produce_exactly_the_declared_tables(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_sqlite_runs_with_wal_foreign_keys_and_full_sync(fresh_db):
    with fresh_db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_a_failed_write_rolls_back_everything_in_its_transaction(person):
    from dosewise.store.tables import NoteRow
    from tests.helpers import snapshot

    before = snapshot(person)
    try:
        with person.for_everyone().transaction() as session:
            session.add(NoteRow(person_id=1, text="half-written", at=NOW))
            session.flush()
            raise RuntimeError("power cut")
    except RuntimeError:
        pass
    assert snapshot(person) == before


def test_epoch_seconds_reads_stored_times_exactly_on_both_databases(person):
    from datetime import UTC, datetime

    from sqlalchemy import select

    from dosewise.services import journal
    from dosewise.store.expressions import epoch_seconds
    from dosewise.store.tables import RatingRow

    at = datetime(2026, 3, 29, 0, 59, 59, 250000, tzinfo=UTC)  # a DST night in Europe
    journal.record_rating(person, scale="pain", value=3, at=at, now=NOW)
    with person.for_everyone().read() as session:
        value = session.scalar(select(epoch_seconds(RatingRow.at)))
    assert abs(value - at.timestamp()) < 0.001
