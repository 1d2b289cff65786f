"""Repeated views are served from the cache, but any change to what the analysis reads is seen at once."""

import pytest

from dosewise.services import demo, insights, journal, people
from tests.conftest import NOW


@pytest.fixture
def ana(db):
    demo.load_demo(db, now=NOW)
    return db


def _estimate(db):
    out = insights.analyze(db, now=NOW)
    return (out.estimate.mean, out.n_days, out.mcid)


def test_every_kind_of_change_is_seen_by_the_next_analysis(ana):
    base = _estimate(ana)
    assert _estimate(ana) == base  # unchanged journal: the same answer (served from the cache)

    r = journal.record_rating(ana, scale="spasticity", value=10, at="2026-11-21 09:30", now=NOW).entry
    added = _estimate(ana)
    assert added != base and added[1] >= base[1]

    journal.update_entry(
        ana, entry_kind="rating", entry_id=r.id, scale="spasticity", value=0, at="2026-11-21 09:30", now=NOW
    )
    edited = _estimate(ana)
    assert edited not in (base, added)

    journal.delete_entry(ana, kind="rating", entry_id=r.id, now=NOW)
    assert _estimate(ana) == base  # the journal is as it was

    people.set_person(ana, mcid={"spasticity": 2.5})
    assert _estimate(ana)[2] == pytest.approx(2.5)


def test_the_cached_answer_equals_a_fresh_one(ana):
    from dosewise.services import analysis_cache

    first = insights.analyze(ana, now=NOW, with_charts=True)
    cached = insights.analyze(ana, now=NOW, with_charts=True)
    analysis_cache.clear()
    fresh = insights.analyze(ana, now=NOW, with_charts=True)
    assert cached.model_dump() == fresh.model_dump() == first.model_dump()
