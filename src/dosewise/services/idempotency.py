"""Idempotent web writes: a client token makes a retried write answer what the first one did.

A write that carries a token (a form's hidden ``request_id``, the API's ``Idempotency-Key`` header) runs in
one transaction with the token's record: ``begin_write`` claims the token (or finds the answer the token
already got, or finds it used for a different request), the route's services run inside that transaction
(``join``), and ``finish_write`` stores the answer and commits both at once. So a retry after a lost answer
finds either nothing (the write did not happen; it runs now) or the first answer (nothing is written again).
Two requests with one token at once: the second waits for the first (SQLite's write lock, PostgreSQL's
unique key) and then answers the first one's answer. Records are purged after KEEP_HOURS.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from contextvars import Token
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from dosewise.errors import RequestReused
from dosewise.services.runtime import now_utc
from dosewise.store import db as store_db
from dosewise.store import request_tokens
from dosewise.store.db import Database, WriteUnit
from dosewise.store.tables import RequestTokenRow

logger = logging.getLogger(__name__)

KEEP_HOURS = 24  # a retry within a day answers the first answer; later it would run again
PURGE_EVERY = timedelta(minutes=10)  # how often a process deletes old records (after a write)
MAX_STORED_BODY = 256 * 1024  # bytes; a larger answer is not kept (the request would run again on retry)
_last_purge: list[datetime] = []


@dataclass(frozen=True)
class Answer:
    """An HTTP answer as stored: status, the headers worth repeating, body."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass
class PendingWrite:
    """A claimed token and the open transaction the write runs in (until ``finish_write``/``abandon_write``)."""

    token: str
    unit: WriteUnit


def scoped_token(caller: str, token: str) -> str:
    """The token as stored: a sha256 of the caller and the client's token (one caller never meets another's)."""
    return hashlib.sha256(f"{caller}\n{token}".encode("utf-8", "surrogatepass")).hexdigest()


def fingerprint(method: str, path: str, fields: Iterable[tuple[str, str]]) -> str:
    """Return a sha256 hex digest of the request: method, path and its fields in a fixed order."""
    canonical = json.dumps([method.upper(), path, sorted(fields)], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def begin_write(db: Database, *, token: str, method: str, path: str, digest: str) -> PendingWrite | Answer:
    """Claim ``token`` for this request in a new transaction, or return the answer it already got.

    Raises RequestReused when the token was used for a different request (nothing is written).
    """
    unit = db.unit()
    session = unit.begin()
    try:
        found = request_tokens.find(session, token)
        if found is None:
            request_tokens.claim(session, token=token, method=method, path=path, fingerprint=digest, at=now_utc())
            return PendingWrite(token, unit)
        stored = _stored(found, digest)
    except IntegrityError:  # PostgreSQL: another request claimed it first and has committed by now
        unit.end(commit=False)
        with db.read() as fresh:
            winner = request_tokens.find(fresh, token)
            if winner is None:
                raise RequestReused(_BUSY) from None
            return _stored(winner, digest)
    except BaseException:
        unit.end(commit=False)
        raise
    unit.end(commit=False)
    return stored


_BUSY = "This request is being saved right now. Wait a moment and reload the page to see whether it was saved."


def _stored(row: RequestTokenRow, digest: str) -> Answer:
    if row.fingerprint != digest:
        raise RequestReused(
            "This request id was already used for a different request, so nothing was saved. "
            "Reload the page (or send a new request id) and try again."
        )
    if row.status is None:
        raise RequestReused(_BUSY)
    return Answer(row.status, [(str(k), str(v)) for k, v in row.headers], bytes(row.body))


def join(pending: PendingWrite) -> Token[WriteUnit | None]:
    """Make the services called from this context (and its worker threads) write inside the pending write."""
    return store_db.join(pending.unit)


def leave(token: Token[WriteUnit | None]) -> None:
    """Undo ``join``."""
    store_db.leave(token)


def finish_write(db: Database, pending: PendingWrite, answer: Answer) -> None:
    """Store ``answer`` with the token and commit it together with the write."""
    session = pending.unit.session
    if session is None:
        raise RuntimeError("the write's transaction has already ended")
    try:
        if len(answer.body) > MAX_STORED_BODY:
            request_tokens.forget(session, pending.token)
        else:
            headers = [[k, v] for k, v in answer.headers]
            request_tokens.answer(session, pending.token, status=answer.status, headers=headers, body=answer.body)
    except BaseException:
        pending.unit.end(commit=False)
        raise
    pending.unit.end(commit=True)
    _purge_now_and_then(db)


def abandon_write(pending: PendingWrite) -> None:
    """Roll back the write and the token's claim (the request failed; a retry runs it again)."""
    pending.unit.end(commit=False)


def _purge_now_and_then(db: Database) -> None:
    """Delete records older than KEEP_HOURS, at most every PURGE_EVERY per process (best effort)."""
    now = now_utc()
    if _last_purge and now - _last_purge[-1] < PURGE_EVERY:
        return
    _last_purge[:] = [now]
    try:
        with db.transaction() as session:
            request_tokens.purge(session, before=now - timedelta(hours=KEEP_HOURS))
    except SQLAlchemyError:  # another process purging the same rows: it will do
        logger.info("Purging old request tokens failed; another process is probably doing it", exc_info=True)
