"""The person scope: every query of a scoped session sees one person's rows only.

A session carries the person it acts for in ``session.info[PERSON_KEY]`` (set by
``Database.for_person(person_id)``, or by ``services.runtime.get_person_row`` when the database holds
exactly one person). Two guards read it, in this one place:

- **Reads, updates, deletes**: a ``do_orm_execute`` hook adds ``person_id = :scoped`` to every ORM
  statement on a person-owned table (and ``person.id = :scoped`` on the person table), including
  ``session.get`` and relationship loads. A row of another person is simply not there: looking it up by
  id finds nothing, and the services answer NotFound (404), exactly as for an id that does not exist.
- **Writes**: a ``before_flush`` hook refuses to store a person-owned row whose ``person_id`` is not the
  scoped person (a bug, never a user's doing), so nothing can be written across people either.
- **Nobody**: a session scoped to no one (``Database.unscoped()``, the handle ``Database(url)`` returns)
  sees and writes no person's rows at all (fail closed); work that spans people says so with
  ``Database.for_everyone()``, and choosing the only person (``get_person_row``) with ``see_everyone``.

On PostgreSQL the database enforces the same rule a second time (row-level security, migration 0009): an
``after_begin`` hook sets ``app.person_id`` (a scoped session) or ``app.all_people`` (a session that spans
people on purpose: ``Database.for_everyone()``, ``see_everyone``) for that transaction only (``set_config(...,
true)``, i.e. ``SET LOCAL``), and the table policies let through only rows they allow. A session with neither
sees no person's rows at all (fail closed); so a query that slips past the first guard still finds nothing of
another person. Superusers and BYPASSRLS roles are not held to the policies (``bypassing_role``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, event, false, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, with_loader_criteria

from dosewise.store.tables import PERSON_OWNED_TABLES, PersonRow

_GUARDED = (*PERSON_OWNED_TABLES, PersonRow)  # what a session scoped to nobody neither sees nor writes
PERSON_KEY = "person_id"  # session.info key of the scoped person (set by Database.for_person)
EVERYONE_KEY = "all_people"  # session.info key: this session spans people on purpose (Database.for_everyone)

_SET_SCOPE = text("SELECT set_config('app.person_id', :person, true), set_config('app.all_people', :everyone, true)")
_BYPASSES = text("SELECT rolname, rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")


class ScopeViolation(RuntimeError):
    """A write tried to store a row for another person than the session's (a programming error)."""


def scoped_person(session: Session) -> int | None:
    """The person id the session is scoped to, or None (an unscoped session: the CLI owner, migrations)."""
    value = session.info.get(PERSON_KEY)
    return int(value) if value is not None else None


@lru_cache(maxsize=1024)
def _criteria(person_id: int | None) -> tuple[Any, ...]:
    """The loader options that scope a statement to one person (``person_id``), or to nobody at all (None),
    built once per person id and process.

    Building them costs about 0.5 ms (17 lambda criteria); a page runs dozens of statements. They are
    immutable SQL constructs derived from the id alone (no data of the person), so sharing them between
    requests and workers' threads is safe.
    """
    pid = person_id
    if pid is None:
        return tuple(with_loader_criteria(table, lambda cls: false(), include_aliases=True) for table in _GUARDED)
    options: list[Any] = [
        with_loader_criteria(table, lambda cls: cls.person_id == pid, include_aliases=True)
        for table in PERSON_OWNED_TABLES
    ]
    options.append(with_loader_criteria(PersonRow, lambda cls: cls.id == pid, include_aliases=True))
    return tuple(options)


def _spans_people(session: Session) -> bool:
    return scoped_person(session) is None and bool(session.info.get(EVERYONE_KEY))


def _scope_statement(state: ORMExecuteState) -> None:
    if _spans_people(state.session):
        return
    if state.is_select or state.is_update or state.is_delete:
        state.statement = state.statement.options(*_criteria(scoped_person(state.session)))


def _check_writes(session: Session, _context: Any, _instances: Any) -> None:
    if _spans_people(session):
        return
    person_id = scoped_person(session)
    for row in (*session.new, *session.dirty):
        if person_id is None and isinstance(row, _GUARDED):
            raise ScopeViolation(f"{type(row).__name__} written in a session scoped to nobody")
        owner = getattr(row, "person_id", None) if isinstance(row, PERSON_OWNED_TABLES) else None
        if owner is not None and owner != person_id:
            raise ScopeViolation(f"{type(row).__name__} of person {owner} written in person {person_id}'s scope")


def _database_settings(info: dict[Any, Any]) -> dict[str, str]:
    """The row-level-security settings for a session's scope: a person, everyone, or nobody ('', 'off')."""
    person = info.get(PERSON_KEY)
    everyone = person is None and bool(info.get(EVERYONE_KEY))
    return {"person": "" if person is None else str(int(person)), "everyone": "on" if everyone else "off"}


def _set_in_database(connection: Connection, info: dict[Any, Any]) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(_SET_SCOPE, _database_settings(info))


def _begin_in_database(session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
    """Every transaction starts with the session's scope set in the database (PostgreSQL, SET LOCAL)."""
    _set_in_database(connection, session.info)


def sync_database(session: Session, *, quiet: bool = False) -> None:
    """Tell the database the session's scope changed in the middle of its transaction (PostgreSQL); outside a
    transaction nothing is needed (the next one starts with it). ``quiet``: a failed transaction is left to
    its own error (used while giving a joined session back)."""
    if not session.in_transaction() or session.get_bind().dialect.name != "postgresql":
        return
    try:
        _set_in_database(session.connection(), session.info)
    except SQLAlchemyError:  # an aborted transaction, or one waiting for its rollback
        if not quiet:
            raise


def see_everyone(session: Session) -> None:
    """Let this unscoped session read across people for the rest of its transaction (choosing a person)."""
    if scoped_person(session) is None:
        session.info[EVERYONE_KEY] = True
        sync_database(session)


def act_for(session: Session, person_id: int) -> None:
    """Scope the session to ``person_id`` from now on (both guards), e.g. once the only person is found."""
    session.info[PERSON_KEY] = int(person_id)
    session.info.pop(EVERYONE_KEY, None)
    sync_database(session)


def bypassing_role(connection: Connection) -> str | None:
    """The connection's role when it is a superuser or has BYPASSRLS (PostgreSQL then ignores every
    row-level security policy, even FORCEd ones, and only the application-level scope isolates people);
    None when the policies hold it, and on SQLite."""
    if connection.dialect.name != "postgresql":
        return None
    found = connection.execute(_BYPASSES).first()
    return str(found[0]) if found is not None and found[1] else None


def install(session_class: Any) -> None:
    """Install the guards on a sessionmaker (or Session class); idempotent.

    Marked on the object itself: ``event.contains`` answers by ``id()``, and a new sessionmaker that reuses
    the id of a collected one was taken for "already installed", leaving a Database with no guard at all."""
    if getattr(session_class, _INSTALLED, False):
        return
    event.listen(session_class, "do_orm_execute", _scope_statement)
    event.listen(session_class, "before_flush", _check_writes)
    event.listen(session_class, "after_begin", _begin_in_database)
    setattr(session_class, _INSTALLED, True)


_INSTALLED = "_dosewise_person_scope"
