"""A small cache of analysis results, keyed by a fingerprint of everything the analysis reads.

The key is content-addressed: any write (a new, edited or deleted rating or dose, a plan, a trial, a
changed setting), from this process or another worker, changes the fingerprint, so a stale result is
never served. Only repeated views of an unchanged journal are answered from memory.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Hashable
from threading import Lock
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dosewise.store.expressions import epoch_seconds
from dosewise.store.journal_queries import live
from dosewise.store.tables import DoseRow, PersonRow, PlanRow, RatingRow, TrialRow

MAX_ENTRIES = 32
CacheKey = tuple[Hashable, ...]  # what a cached analysis depends on (journal fingerprint, person, scale, ...)

_entries: OrderedDict[CacheKey, Any] = OrderedDict()
_lock = Lock()


def journal_fingerprint(session: Session, person: PersonRow) -> CacheKey:
    """Return aggregates that change whenever anything an analysis reads changes (one query per table)."""
    pid = person.id
    r_at, d_at = epoch_seconds(RatingRow.at), epoch_seconds(DoseRow.at)
    ratings = session.execute(
        select(
            func.count(),
            func.sum(RatingRow.value),
            func.sum(r_at),
            func.sum(RatingRow.value * r_at),
            func.sum(RatingRow.id * RatingRow.value),
            func.max(RatingRow.id),
        ).where(live(RatingRow, pid))
    ).one()
    mg = DoseRow.thc_mg + DoseRow.cbd_mg
    doses = session.execute(
        select(
            func.count(),
            func.sum(mg),
            func.sum(d_at),
            func.sum(mg * d_at),
            func.sum(DoseRow.product_id * d_at),
            func.max(DoseRow.id),
        ).where(live(DoseRow, pid))
    ).one()
    plans = session.execute(select(PlanRow.id, PlanRow.start, PlanRow.status).where(PlanRow.person_id == pid)).all()
    trials = session.execute(
        select(TrialRow.id, TrialRow.status, TrialRow.stopped_at, TrialRow.start).where(TrialRow.person_id == pid)
    ).all()
    person_state = json.dumps([person.settings, person.timezone, person.primary_scale], sort_keys=True, default=str)
    return (tuple(ratings), tuple(doses), tuple(map(tuple, plans)), tuple(map(tuple, trials)), person_state)


def get(key: CacheKey) -> Any | None:
    """Return the cached value for ``key`` (and mark it recently used), or None."""
    with _lock:
        if key not in _entries:
            return None
        _entries.move_to_end(key)
        return _entries[key]


def put(key: CacheKey, value: Any) -> None:
    """Store ``value`` under ``key``, dropping the least recently used entry beyond MAX_ENTRIES."""
    with _lock:
        _entries[key] = value
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def clear() -> None:
    with _lock:
        _entries.clear()
