"""Queries over everything an analysis reads (ratings, doses, plans, trials, the person's settings).

``journal_fingerprint`` is one aggregate query per table whose result changes whenever any input of an
analysis changes; the analysis cache (services/analysis_cache.py) keys on it.
"""

from __future__ import annotations

import json
from collections.abc import Hashable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dosewise.store.expressions import epoch_seconds
from dosewise.store.journal_queries import live
from dosewise.store.tables import DoseRow, PersonRow, PlanRow, RatingRow, TrialRow


def journal_fingerprint(session: Session, person: PersonRow) -> tuple[Hashable, ...]:
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
