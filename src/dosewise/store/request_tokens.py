"""Queries over the client tokens of web writes (table ``request_token``): claim, find, answer, purge."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dosewise.store.tables import PersonRow, RequestTokenRow


def find(session: Session, token: str) -> RequestTokenRow | None:
    """Return the record of ``token``, or None when it was never used (or has been purged)."""
    return session.get(RequestTokenRow, token)


def claim(session: Session, *, token: str, method: str, path: str, fingerprint: str, at: datetime) -> None:
    """Insert the token's record (no answer yet) and flush, so a concurrent claim of it waits or fails here."""
    person_id = session.scalar(select(PersonRow.id).order_by(PersonRow.id).limit(1))
    session.add(
        RequestTokenRow(
            token=token,
            method=method,
            path=path,
            fingerprint=fingerprint,
            person_id=person_id,
            headers=[],
            body=b"",
            created_at=at,
        )
    )
    session.flush()


def answer(session: Session, token: str, *, status: int, headers: list[list[str]], body: bytes) -> None:
    """Store the answer the write got, next to its claimed token."""
    row = session.get(RequestTokenRow, token)
    if row is None:
        raise LookupError(f"token {token!r} was not claimed in this transaction")
    row.status, row.headers, row.body = status, headers, body


def forget(session: Session, token: str) -> None:
    """Delete a claimed token (an answer too large to keep: a retry will run the request again)."""
    session.execute(delete(RequestTokenRow).where(RequestTokenRow.token == token))


def purge(session: Session, *, before: datetime) -> int:
    """Delete the records created before ``before``; return how many went."""
    result: Any = session.execute(delete(RequestTokenRow).where(RequestTokenRow.created_at < before))
    return int(result.rowcount or 0)
