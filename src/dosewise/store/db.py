"""Engine, SQLite pragmas, sessions, and migrate-on-first-use."""

from __future__ import annotations

import copy
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from dosewise.private import FILE_MODE, private_file
from dosewise.store import authorship, scope
from dosewise.store.scope import EVERYONE_KEY, PERSON_KEY
from dosewise.store.tables import PersonRow

if TYPE_CHECKING:
    from alembic.config import Config

_REVISION = re.compile(r"^revision\s*(?::\s*str)?\s*=\s*['\"]([^'\"]+)['\"]\s*$", re.M)
_DOWN_REVISION = re.compile(r"^down_revision\s*(?::[^=]+)?=\s*(.+?)\s*$", re.M)


T = TypeVar("T")

SQLITE_BUSY_MS = 30_000  # how long a write waits for another process's write (ms) before it gives up


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    dbapi_conn.isolation_level = None  # transactions are begun by _sqlite_begin, not by the driver
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")  # a journal entry survives a power cut once acknowledged
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    """Begin a transaction; a write transaction takes the write lock at once (BEGIN IMMEDIATE), so it waits
    its turn (busy_timeout) instead of failing with 'database is locked' when a read turns into a write."""
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def _private_sqlite_files(url: str) -> None:
    """Create the database file 0600 before SQLite opens it (its -wal and -shm files take the same mode),
    and narrow the files of an older install that were created readable by everyone."""
    name = make_url(url).database
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    if not path.parent.is_dir():
        return  # SQLite will say the folder is missing
    private_file(path)
    for extra in (Path(f"{name}-wal"), Path(f"{name}-shm"), Path(f"{name}-journal")):
        if extra.exists():
            extra.chmod(FILE_MODE)


def make_engine(url: str) -> Engine:
    """Return an engine for ``url``; SQLite gets WAL, foreign keys and synchronous=FULL."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        _private_sqlite_files(url)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _migrations_dir() -> str:
    return str(resources.files("dosewise.store").joinpath("migrations"))


def _alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", _migrations_dir())
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


@lru_cache(maxsize=1)
def _alembic_head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


@lru_cache(maxsize=1)
def _head_revision() -> str | None:
    """The newest migration's id, read from the migration files without importing Alembic.

    A revision file that does not read as plainly as Alembic writes it (``revision = "0002"``,
    ``down_revision = "0001"`` or ``None``), or a history with several heads, is left to Alembic itself.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in resources.files("dosewise.store").joinpath("migrations", "versions").iterdir():
        if not path.name.endswith(".py") or path.name.startswith("__"):
            continue
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or down is None:
            return _alembic_head()
        revisions.add(revision.group(1))
        parent = down.group(1)
        if parent != "None":
            if not re.fullmatch(r"['\"][^'\"]+['\"]", parent):
                return _alembic_head()  # a merge (a tuple of parents) or something computed
            parents.add(parent[1:-1])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else _alembic_head()


def _stored_revision(engine: Engine) -> str | None:
    """The schema revision the database records (None for a new, empty database)."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        return None  # no alembic_version table yet


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration; Alembic is imported only when there is work."""
    head = _head_revision()
    if head is not None and _stored_revision(engine) == head:
        return
    from alembic import command

    command.upgrade(_alembic_config(engine), "head")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    factory = sessionmaker(engine, expire_on_commit=False)
    scope.install(factory)
    authorship.install(factory)
    return factory


class WriteUnit:
    """One transaction that spans several calls (and worker threads) of one web write.

    While a unit is joined (``join``), every ``transaction()`` and ``read()`` of its database in this context
    runs inside it (inner transactions as savepoints), so a write and the record of its client token commit
    together or not at all. On SQLite the unit holds the process's write lock from ``begin`` to ``end``.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.session: Session | None = None
        self._locked = False

    def begin(self) -> Session:
        """Start the transaction (waiting for the write lock on SQLite) and return its session."""
        if self.db._sqlite:
            self.db._write_lock.acquire()
            self._locked = True
        try:
            self.session = self.db._writes()
            self.session.begin()
        except BaseException:
            self.end(commit=False)
            raise
        return self.session

    def end(self, *, commit: bool) -> None:
        """Commit (or roll back) and release the session and the write lock; safe to call twice."""
        session, self.session = self.session, None
        try:
            if session is not None:
                try:
                    if commit:
                        session.commit()
                    else:
                        session.rollback()
                finally:
                    session.close()
        finally:
            if self._locked:
                self._locked = False
                self.db._write_lock.release()


_JOINED: ContextVar[WriteUnit | None] = ContextVar("dosewise_write_unit", default=None)


def join(unit: WriteUnit) -> Token[WriteUnit | None]:
    """Make the database calls of this context (and the worker threads it starts) run inside ``unit``."""
    return _JOINED.set(unit)


def leave(token: Token[WriteUnit | None]) -> None:
    """Undo ``join``."""
    _JOINED.reset(token)


class SharedReads:
    """The reads of one web page, for one person: one session for every service the page calls.

    A page asks several services (today's summary, the plan, the reminders, the frame's alerts), each
    reading in its own ``read()``; alone, each would open its own session and load the person, the plan
    and the diagnoses again. While a SharedReads is in place (``share_reads``), every ``read()`` of a handle
    scoped to the first person read through it uses one session: the person row (with its diagnoses) is
    loaded once and ``page_memo`` keeps what the page derives from the rows. Each outermost read still ends
    its transaction (``release``), so a page holds a pooled connection only while it reads, as before: many
    pages at once can never wait on each other for connections. Unscoped handles, other people and
    ``transaction()`` keep their own sessions, so no row of anyone else can enter it and writes behave as
    before. Meant for requests that do not write (a web GET); ``close`` ends it.
    """

    def __init__(self) -> None:
        self.session: Session | None = None
        self._owner: tuple[Engine, int] | None = None
        self.depth = 0  # reads open now (a read inside a read: the transaction ends with the outermost)

    def session_for(self, db: Database) -> Session | None:
        """The shared session for ``db`` (opened on first use), or None when ``db`` may not share it."""
        if db.person_id is None:
            return None
        owner = (db.engine, db.person_id)
        if self._owner is None:
            self._owner = owner
        if self._owner != owner:
            return None
        if self.session is None:
            self.session = db._scope(db._sessions())
            # The identity map holds rows weakly: keep the person row (every service loads it, with its
            # diagnoses) for the page; journal rows are not kept, so an export's memory stays flat.
            kept: list[PersonRow] = []
            self.session.info[_KEPT] = kept
            self.session.info[_MEMO] = {}
            event.listen(self.session, "loaded_as_persistent", lambda _s, row: _keep_person(kept, row))
        return self.session

    def release(self) -> None:
        """End the read transaction and give its connection back to the pool; the rows stay loaded.

        A read changes nothing: should a row have been changed in memory all the same, it is discarded (as
        closing a read session always did); otherwise the empty transaction is committed, which, unlike a
        rollback, keeps the loaded rows usable without loading them again.
        """
        session = self.session
        if session is None:
            return
        if session.new or session.dirty or session.deleted:
            session.rollback()
        else:
            session.commit()

    def close(self) -> None:
        """End the session (a read: nothing to commit); a later read opens a new one."""
        session, self.session = self.session, None
        if session is not None:
            session.close()


_KEPT = "dosewise_kept_rows"


def _keep_person(kept: list[PersonRow], row: object) -> None:
    if isinstance(row, PersonRow):
        kept.append(row)


_MEMO = "dosewise_page_memo"


def page_memo(session: Session) -> dict[object, Any] | None:
    """A dict living as long as a shared page session (SharedReads), for results derived from its rows (a
    plan laid out, the person's safety context) that several services would otherwise compute again; None
    for every other session, whose rows may change between two calls."""
    memo = session.info.get(_MEMO)
    return memo if isinstance(memo, dict) else None


def page_memoized(session: Session, key: object, compute: Callable[[], T]) -> T:
    """``compute()``, once per shared page session and ``key`` (every time in any other session)."""
    memo = page_memo(session)
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


_SHARED: ContextVar[SharedReads | None] = ContextVar("dosewise_shared_reads", default=None)


def share_reads(reads: SharedReads) -> Token[SharedReads | None]:
    """Make the ``read()`` calls of this context (and the worker threads it starts) share ``reads``."""
    return _SHARED.set(reads)


def stop_sharing(token: Token[SharedReads | None]) -> None:
    """Undo ``share_reads``."""
    _SHARED.reset(token)


class Database:
    """An engine plus its session factory; ``transaction()`` is one unit of work.

    ``for_person(person_id)`` returns the same database scoped to one person: every session it opens sees
    that person's rows only (store/scope.py). Services take either; they never choose a person.

    On PostgreSQL the database enforces the scope as well (row-level security): a handle scoped to nobody
    (``unscoped()``, and the handle ``Database(url)`` returns) sees no person's rows there, except through
    the one explicit door for work that spans people, ``for_everyone()``.
    """

    person_id: int | None = None
    actor: tuple[str | None, str] | None = None  # (role, account) stamped on new entries (store/authorship.py)
    everyone: bool = False  # spans people on purpose (for_everyone): whole-database work, choosing a person

    def __init__(self, url: str, *, auto_migrate: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        if auto_migrate:
            migrate(self.engine)
        self._sessions = session_factory(self.engine)
        self._sqlite = self.engine.dialect.name == "sqlite"
        # SQLite has one writer at a time: writers of this process queue on a lock (no pool slot is held
        # while waiting), and BEGIN IMMEDIATE makes writers of other processes wait for the file lock.
        self._writes = session_factory(self.engine.execution_options(sqlite_begin="IMMEDIATE"))
        self._write_lock = threading.Lock()

    def for_person(self, person_id: int) -> Database:
        """The same database (engine, pool, write lock), every session scoped to ``person_id``."""
        return self._with(int(person_id), everyone=False)

    def acting_as(self, role: str | None, account: str) -> Database:
        """The same database, its new journal entries stamped with who entered them (store/authorship.py):
        ``account`` (an email, "command line", "this computer") and, signed in, its ``role``."""
        acting = copy.copy(self)
        acting.actor = (role, account)
        return acting

    def unscoped(self) -> Database:
        """The same database scoped to nobody: accounts, sessions, grants, request tokens (tables that are
        not a person's). On PostgreSQL it sees no person's rows (row-level security fails closed)."""
        return self._with(None, everyone=False)

    def for_everyone(self) -> Database:
        """The same database spanning every person, on purpose: whole-database backup and restore, the
        reminder scheduler's list of people, choosing or listing people (then narrowed by grants), creating
        a person. Every caller is named in docs/architecture.md ("One person at a time")."""
        return self._with(None, everyone=True)

    def _with(self, person_id: int | None, *, everyone: bool) -> Database:
        if self.person_id == person_id and self.everyone == everyone:
            return self
        other = copy.copy(self)
        other.person_id, other.everyone = person_id, everyone
        return other

    def _scope(self, session: Session) -> Session:
        if self.person_id is not None:
            session.info[PERSON_KEY] = self.person_id
        elif self.everyone:
            session.info[EVERYONE_KEY] = True
        if self.actor is not None:
            session.info[authorship.ACTOR_KEY] = self.actor
        return session

    @contextmanager
    def _scoped_join(self, session: Session) -> Iterator[Session]:
        """Use a joined WriteUnit's session with this handle's scope, and give back the one it had after."""
        keys = (PERSON_KEY, EVERYONE_KEY, authorship.ACTOR_KEY)
        had = {k: session.info.pop(k) for k in keys if k in session.info}
        self._scope(session)
        scope.sync_database(session)
        try:
            yield session
        finally:
            for k in keys:
                session.info.pop(k, None)
            session.info.update(had)
            scope.sync_database(session, quiet=True)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Yield a session in one transaction: committed on success, rolled back on any error.

        Inside a joined WriteUnit it is a savepoint of the unit's transaction (committed with the unit).
        """
        joined = self._joined()
        if joined is not None:
            with self._scoped_join(joined), joined.begin_nested():
                yield joined
            return
        if not self._sqlite:
            with self._sessions() as session, session.begin():
                yield self._scope(session)
            return
        with self._write_lock, self._writes() as session, session.begin():
            yield self._scope(session)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """Yield a session for reading (the joined WriteUnit's, so a write sees what it wrote)."""
        joined = self._joined()
        if joined is not None:
            with self._scoped_join(joined):
                yield joined
            return
        shared = _SHARED.get()
        session = shared.session_for(self) if shared is not None else None
        if shared is not None and session is not None:
            shared.depth += 1
            try:
                yield session
            except SQLAlchemyError:
                shared.close()  # after a database error the next read starts afresh (PostgreSQL aborts it)
                raise
            finally:
                shared.depth -= 1
                if shared.depth == 0:
                    shared.release()
            return
        with self._sessions() as session:
            yield self._scope(session)

    def unit(self) -> WriteUnit:
        """Return a new, not yet begun WriteUnit on this database."""
        return WriteUnit(self)

    def _joined(self) -> Session | None:
        unit = _JOINED.get()
        # The same database, whichever handle (a person-scoped copy shares the engine and the write lock).
        return unit.session if unit is not None and unit.db.engine is self.engine else None

    def bypassing_role(self) -> str | None:
        """The PostgreSQL role this database connects as when row-level security does not hold it
        (a superuser or BYPASSRLS role); None when it does, and on SQLite."""
        if self._sqlite:
            return None
        with self.engine.connect() as conn:
            return scope.bypassing_role(conn)

    def dispose(self) -> None:
        self.engine.dispose()
