"""dosewise analyze: the demo person, the JSON shape, charts, and clear messages for thin data."""

import json
import random
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from dosewise.errors import AnalysisError
from dosewise.services import insights
from dosewise.services.demo import load_demo
from dosewise.store.tables import DoseRow, PersonRow, ProductRow, RatingRow
from tests.conftest import NOW

KEYS = {"scale", "design", "blinded", "n_days", "estimate", "p_benefit", "p_harm", "mcid", "verdict", "rho", "notes"}


def add_journal(db, *, days, scale="spasticity", value=lambda d, h: 6.0, dose_from=None, now=NOW):
    """Insert ratings at 08:00 and 20:00 for ``days`` days before ``now`` and oil doses from day ``dose_from``."""
    with db.for_everyone().transaction() as session:
        person = session.query(PersonRow).first()
        oil = session.query(ProductRow).filter(ProductRow.name == "Calm CBD oil 1000").one()
        start = (now - timedelta(days=days)).replace(hour=0, minute=0, second=0)
        for d in range(days):
            for hour in (8, 20):
                at = start + timedelta(days=d, hours=hour)
                if dose_from is not None and d >= dose_from:
                    session.add(
                        DoseRow(
                            person_id=person.id,
                            product_id=oil.id,
                            product=oil,
                            amount=10,
                            unit="drop",
                            thc_mg=0.0,
                            cbd_mg=16.65,
                            at=at - timedelta(minutes=20),
                        )
                    )
                session.add(RatingRow(person_id=person.id, scale_id=scale, value=value(d, hour), at=at))


def test_demo_person_gets_an_open_label_before_after_answer(db, cli, monkeypatch):
    load_demo(db, now=NOW)
    res = cli("analyze", "--json")
    assert res.code == 0, res.err
    out = json.loads(res.out)
    assert KEYS <= set(out) and "randomisation_p" not in out
    assert out["design"] == "before_after" and out["blinded"] is False
    assert out["label"] == "open-label, not randomised"
    assert out["estimate"]["low"] < out["estimate"]["mean"] < out["estimate"]["high"]
    assert out["estimate"]["mean"] < 0  # the demo improves; lower spasticity is better
    assert out["verdict"] in {"likely_helps", "no_meaningful_effect", "likely_worse", "inconclusive"}
    text = " ".join(out["notes"])
    assert "regression to the mean" in text and "expectation" in text and "trend" in text
    assert out["responder"]["status"] == "done" and set(out["responder"]["met"]) == {"20", "30"}


def test_text_output_and_chart_file(fresh_db, cli, tmp_path):
    load_demo(fresh_db, now=NOW)
    chart = tmp_path / "analysis.svg"
    res = cli("analyze", "--chart", str(chart))
    assert res.code == 0, res.err
    assert "Verdict:" in res.out and "open-label, not randomised" in res.out
    root = ET.fromstring(chart.read_text().split("?>", 1)[1])
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert "Spasticity over time" in titles and "How big is the effect on Spasticity?" in titles
    assert cli("analyze", "--chart", str(tmp_path / "x.png")).code == 1


def test_no_ratings_and_unknown_scale_give_one_clear_line(person, cli):
    res = cli("analyze")
    assert res.code == 1 and "no Spasticity ratings yet" in res.err and "Traceback" not in res.output
    res = cli("analyze", "--scale", "spastisity")
    assert res.code == 1 and "Did you mean 'spasticity'" in res.err


def test_constant_ratings_are_explained(person, cli):
    add_journal(person, days=30, value=lambda d, h: 5.0, dose_from=15)
    res = cli("analyze")
    assert res.code == 1 and "nothing varies" in res.err


def test_no_baseline_falls_back_to_a_labelled_dose_response_association(person):
    rng = random.Random(1)
    add_journal(person, days=40, value=lambda d, h: float(rng.randint(4, 7)), dose_from=0)
    out = insights.analyze(person, now=NOW)
    assert out.design == "exposure" and out.label == "association, not proof"
    assert out.notes[0].startswith("Before/after is not possible")
    assert "confounding by indication" in " ".join(out.notes)
    assert set(out.dose_response.best_half_life_h) == {"oral"}
    assert "Best-supported duration of effect" in " ".join(out.notes)
    with pytest.raises(AnalysisError, match="no baseline"):
        insights.analyze(person, now=NOW, design="before_after")


def test_too_few_days_on_the_product(person):
    rng = random.Random(2)
    add_journal(person, days=20, value=lambda d, h: float(rng.randint(4, 7)), dose_from=17)
    with pytest.raises(AnalysisError, match="since the first dose"):
        insights.analyze(person, now=NOW)


def test_higher_is_better_scale_counts_a_rise_as_benefit(person):
    rng = random.Random(3)
    add_journal(
        person,
        days=60,
        scale="alsfrs-r",
        dose_from=20,
        value=lambda d, h: float(30 + 6 * (d >= 20) + rng.randint(-1, 1)),
    )
    out = insights.analyze(person, scale="alsfrs-r", now=NOW)
    assert out.lower_is_better is False and out.estimate.mean > 4
    assert out.verdict == "likely_helps" and out.p_benefit > 0.8 and out.p_harm < 0.01


def test_deleted_ratings_and_future_entries_are_ignored(person):
    rng = random.Random(4)
    add_journal(person, days=50, value=lambda d, h: float(rng.randint(4, 8)), dose_from=21)
    before = insights.analyze(person, now=NOW)
    with person.for_everyone().transaction() as session:
        p = session.query(PersonRow).first()
        session.add(
            RatingRow(person_id=p.id, scale_id="spasticity", value=10.0, at=NOW - timedelta(hours=1), deleted_at=NOW)
        )
        session.add(RatingRow(person_id=p.id, scale_id="spasticity", value=10.0, at=NOW + timedelta(days=2)))
    after = insights.analyze(person, now=NOW)
    assert after.estimate == before.estimate and after.n_days == before.n_days


@pytest.mark.parametrize("tz_name", ["Europe/Lisbon", "America/New_York", "Australia/Adelaide"])
def test_fast_journal_days_match_the_journal_rule_across_dst_changes(tz_name):
    from zoneinfo import ZoneInfo

    from dosewise.analysis.series import local_clock
    from dosewise.model.journal import journal_day

    tz = ZoneInfo(tz_name)
    rng = random.Random(7)
    start = datetime(2025, 1, 1, tzinfo=UTC).timestamp()
    stamps = sorted(start + rng.uniform(0, 2 * 365 * 86400) for _ in range(3000))
    stamps += [datetime(2025, 3, 30, h, m, tzinfo=UTC).timestamp() for h in range(6) for m in (0, 59)]
    days, hours = local_clock(np.array(stamps), tz, 4)
    for s, d, h in zip(stamps, days, hours, strict=True):
        at = datetime.fromtimestamp(s, UTC)
        local = at.astimezone(tz)
        assert d == journal_day(at, tz=tz, day_start_hour=4).toordinal()
        clock = local.hour + local.minute / 60 + (local.second + local.microsecond / 1e6) / 3600
        assert h == pytest.approx(clock, abs=1e-6)


def test_mcid_and_verdict_probability_are_per_person_settings(person):
    rng = random.Random(5)
    add_journal(person, days=50, value=lambda d, h: float(rng.randint(5, 8) - 2 * (d >= 21)), dose_from=21)
    default = insights.analyze(person, now=NOW)
    assert default.mcid == pytest.approx(max(1.0, 0.2 * default.responder.baseline_mean))
    with person.for_everyone().transaction() as session:
        p = session.query(PersonRow).first()
        p.settings = {"analysis": {"mcid_points": {"spasticity": 0.5, "pain": 2.0}, "verdict_probability": 0.95}}
    custom = insights.analyze(person, now=NOW)
    assert custom.mcid == 0.5 and custom.p_benefit > default.p_benefit
