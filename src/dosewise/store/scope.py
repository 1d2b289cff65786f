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

On PostgreSQL the database enforces the same rule a second time (row-level security, migration 0005).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from dosewise.store.tables import PERSON_OWNED_TABLES, PersonRow

PERSON_KEY = "person_id"  # session.info key of the scoped person (set by Database.for_person)


class ScopeViolation(RuntimeError):
    """A write tried to store a row for another person than the session's (a programming error)."""


def scoped_person(session: Session) -> int | None:
    """The person id the session is scoped to, or None (an unscoped session: the CLI owner, migrations)."""
    value = session.info.get(PERSON_KEY)
    return int(value) if value is not None else None


@lru_cache(maxsize=1024)
def _criteria(person_id: int) -> tuple[Any, ...]:
    """The loader options that scope a statement to one person, built once per person id and process.

    Building them costs about 0.5 ms (17 lambda criteria); a page runs dozens of statements. They are
    immutable SQL constructs derived from the id alone (no data of the person), so sharing them between
    requests and workers' threads is safe.
    """
    pid = person_id
    options: list[Any] = [
        with_loader_criteria(table, lambda cls: cls.person_id == pid, include_aliases=True)
        for table in PERSON_OWNED_TABLES
    ]
    options.append(with_loader_criteria(PersonRow, lambda cls: cls.id == pid, include_aliases=True))
    return tuple(options)


def _scope_statement(state: ORMExecuteState) -> None:
    person_id = scoped_person(state.session)
    if person_id is None:
        return
    if state.is_select or state.is_update or state.is_delete:
        state.statement = state.statement.options(*_criteria(person_id))


def _check_writes(session: Session, _context: Any, _instances: Any) -> None:
    person_id = scoped_person(session)
    if person_id is None:
        return
    for row in (*session.new, *session.dirty):
        owner = getattr(row, "person_id", None) if isinstance(row, PERSON_OWNED_TABLES) else None
        if owner is not None and owner != person_id:
            raise ScopeViolation(f"{type(row).__name__} of person {owner} written in person {person_id}'s scope")


def install(session_class: Any) -> None:
    """Install both guards on a sessionmaker (or Session class); idempotent.

    Marked on the object itself: ``event.contains`` answers by ``id()``, and a new sessionmaker that reuses
    the id of a collected one was taken for "already installed", leaving a Database with no guard at all."""
    if getattr(session_class, _INSTALLED, False):
        return
    event.listen(session_class, "do_orm_execute", _scope_statement)
    event.listen(session_class, "before_flush", _check_writes)
    setattr(session_class, _INSTALLED, True)


_INSTALLED = "_dosewise_person_scope"
