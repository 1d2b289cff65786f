"""Engine, SQLite pragmas, sessions, and migrate-on-first-use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DBAPI connection
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")  # a journal entry survives a power cut once acknowledged
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(url: str) -> Engine:
    """Return an engine for ``url``; SQLite gets WAL, foreign keys and synchronous=FULL."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("dosewise.store").joinpath("migrations")))
    cfg.attributes["engine"] = engine
    return cfg


@lru_cache(maxsize=1)
def _head_revision() -> str | None:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("dosewise.store").joinpath("migrations")))
    return ScriptDirectory.from_config(cfg).get_current_head()


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration (cheap when already current)."""
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current != _head_revision():
        command.upgrade(_alembic_config(engine), "head")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


class Database:
    """An engine plus its session factory; ``transaction()`` is one unit of work."""

    def __init__(self, url: str, *, auto_migrate: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        if auto_migrate:
            migrate(self.engine)
        self._sessions = session_factory(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Yield a session in one transaction: committed on success, rolled back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """Yield a session for reading."""
        with self._sessions() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
