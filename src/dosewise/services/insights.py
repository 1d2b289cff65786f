"""Personal analysis service: "is it helping me?" from the journal, and charts for the web and reports.

``analyze`` picks the best design the data allow: a randomised trial on this scale (when at least two
blocks have ended), else before/after (baseline days before the first dose or plan start), else the
dose-response association. The numbers come from dosewise.analysis (pure core); this module only fetches
the journal, converts times to journal days and words the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from dosewise.analysis import charts
from dosewise.analysis.beforeafter import ModelFit, before_after
from dosewise.analysis.exposure import Doses, Ratings, dose_response
from dosewise.analysis.notes import before_after_notes, exposure_notes, trial_notes
from dosewise.analysis.series import DailySeries, daily_means, local_clock
from dosewise.analysis.settings import AnalysisSettings, analysis_settings
from dosewise.analysis.trial import Period, adherence_notes, analyse_trial, periods_from_schedule
from dosewise.errors import AnalysisError, InvalidInput, TrialError
from dosewise.model.scales import Scale, get_scale
from dosewise.services import analysis_cache
from dosewise.services.insights_schemas import (
    AnalysisOut,
    DesignBasedOut,
    DoseResponseOut,
    EstimateOut,
    PeriodOut,
    ResponderOut,
)
from dosewise.services.runtime import day_start_hour, get_person_row, now_utc, person_day
from dosewise.store.analysis_inputs import journal_fingerprint
from dosewise.store.db import Database
from dosewise.store.expressions import epoch_seconds
from dosewise.store.journal_queries import live
from dosewise.store.plans import first_plan_start
from dosewise.store.tables import DoseRow, PersonRow, ProductRow, RatingRow, TrialRow
from dosewise.store.trials import latest_trial

DESIGNS = ("before_after", "randomised", "exposure")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class _Journal:
    person: PersonRow
    scale: Scale
    today: date
    ratings: Ratings
    doses: Doses
    dose_days: np.ndarray
    plan_start: date | None
    trial: TrialRow | None
    extra: dict[str, Any] = field(default_factory=dict)  # filled by the analysis: posterior, notes


def _load(session: Session, scale: Scale, person: PersonRow, now: datetime) -> _Journal:
    """Fetch live ratings of ``scale`` and all live doses, with journal days and local hours."""
    pday = person_day(person)
    tz, start_hour = pday.tz, pday.start_hour
    conn = session.connection()  # plain Core rows: no ORM row processing for thousands of numbers
    rows = conn.execute(
        select(epoch_seconds(RatingRow.at).label("epoch"), RatingRow.value)
        .where(
            live(RatingRow, person.id),
            RatingRow.scale_id == scale.id,
            RatingRow.at <= now,
        )
        .order_by(RatingRow.at)
    ).all()
    doses = conn.execute(
        select(
            epoch_seconds(DoseRow.at).label("epoch"), DoseRow.thc_mg, DoseRow.cbd_mg, ProductRow.route, ProductRow.name
        )
        .join(ProductRow, ProductRow.id == DoseRow.product_id)
        .where(live(DoseRow, person.id), DoseRow.at <= now)
        .order_by(DoseRow.at)
    ).all()
    # (epoch s, value) per rating, in one step. Plain tuples: given SQLAlchemy Row objects, numpy probes each
    # for the array protocols, and every probe raises and catches an exception (30 ms for two years).
    rating_cols = np.array(list(map(tuple, rows)), dtype=float).reshape(-1, 2)
    rating_s = np.round(rating_cols[:, 0], 3)  # ms: SQLite's julianday precision
    dose_cols = list(zip(*map(tuple, doses), strict=True)) or [(), (), (), (), ()]  # epoch, thc, cbd, route, name
    dose_s = np.round(np.array(dose_cols[0], dtype=float), 3)
    rating_days, local_hour = local_clock(rating_s, tz, start_hour)
    ratings = Ratings(
        day=rating_days,
        time_h=rating_s / 3600.0,
        local_hour=local_hour,
        value=rating_cols[:, 1].copy(),
    )
    dose_arr = Doses(
        time_h=dose_s / 3600.0,
        mg=np.array(dose_cols[1], dtype=float) + np.array(dose_cols[2], dtype=float),
        route=np.array(dose_cols[3], dtype=object),
    )
    dose_days = local_clock(dose_s, tz, start_hour)[0]
    products = np.array(dose_cols[4], dtype=object)
    today = pday.of(now)
    plan_start = first_plan_start(session, person.id, on_or_before=today)
    trial = latest_trial(session, person.id)
    if trial is not None and trial.scale_id != scale.id:
        trial = None
    return _Journal(
        person,
        scale,
        today,
        ratings,
        dose_arr,
        dose_days,
        plan_start,
        trial,
        extra={
            "dose_products": products,
            "dose_thc": np.array(dose_cols[1], dtype=float),
            "dose_cbd": np.array(dose_cols[2], dtype=float),
        },
    )


def _estimate(fit: ModelFit) -> EstimateOut:
    s = fit.summary
    return EstimateOut(mean=s.mean, low=s.low, high=s.high)


def _out(
    j: _Journal, fit: ModelFit, *, design: str, blinded: bool, label: str, notes: list[str], **extra: Any
) -> AnalysisOut:
    s = fit.summary
    return AnalysisOut(
        scale=j.scale.id,
        scale_name=j.scale.name,
        lower_is_better=j.scale.lower_is_better,
        design=design,
        blinded=blinded,
        label=label,
        n_days=fit.n_days,
        estimate=_estimate(fit),
        p_benefit=_p(s.p_benefit),
        p_harm=_p(s.p_harm),
        mcid=s.mcid,
        verdict=s.verdict,
        rho=fit.rho,
        notes=notes,
        **extra,
    )


def _p(x: float) -> float:
    return float(min(1.0, max(0.0, x)))


def _first_treatment_day(j: _Journal) -> date | None:
    candidates = [date.fromordinal(int(j.dose_days[0]))] if j.dose_days.size else []
    if j.plan_start is not None:
        candidates.append(j.plan_start)
    return min(candidates) if candidates else None


def _before_after(j: _Journal, series: DailySeries, settings: AnalysisSettings) -> AnalysisOut:
    first = _first_treatment_day(j)
    if first is None:
        raise AnalysisError(
            f"No doses are logged yet, so there is nothing to compare. Keep rating "
            f"{j.scale.short} daily as a baseline, then log doses as you take them."
        )
    fit, responder = before_after(series, first, scale=j.scale, settings=settings)
    r = responder
    j.extra["posterior"] = fit
    return _out(
        j,
        fit,
        design="before_after",
        blinded=False,
        label="open-label, not randomised",
        notes=before_after_notes(fit, r, j.scale, first),
        periods=[
            PeriodOut(first=series.dates()[0], last=first - timedelta(days=1), label="baseline"),
            PeriodOut(first=first, last=j.today, label="on product"),
        ],
        responder=ResponderOut(
            status=r.status,
            window_first=r.window_first,
            window_last=r.window_last,
            baseline_mean=r.baseline_mean,
            window_mean=r.window_mean,
            percent_improvement=r.percent_improvement,
            met=r.met,
        ),
    )


def _trial_day(j: _Journal, row: TrialRow) -> date:
    if row.status == "stopped" and row.stopped_at is not None:
        stopped = person_day(j.person).of(row.stopped_at)
        return min(j.today, stopped)
    return j.today


def _randomised(j: _Journal, row: TrialRow, series: DailySeries, settings: AnalysisSettings) -> AnalysisOut:
    periods: list[Period] = periods_from_schedule(row.schedule)
    res = analyse_trial(
        series,
        periods,
        today=_trial_day(j, row),
        scale=j.scale,
        settings=settings,
        seed=row.seed,
        stopped=row.status == "stopped",
    )
    d = res.design
    j.extra["posterior"] = res.model
    design_based = DesignBasedOut(
        estimate=EstimateOut(mean=d.mean, low=d.low, high=d.high),
        p_benefit=_p(d.p_benefit),
        p_harm=_p(d.p_harm),
        verdict=d.verdict,
        blocks_used=res.blocks_used,
        blocks_planned=res.blocks_planned,
        block_differences=[float(b.difference or 0.0) for b in res.blocks],
        smallest_p=res.smallest_p,
    )
    label = "randomised, blinded" if row.blinded else "randomised, open-label"
    return _out(
        j,
        res.model,
        design="randomised",
        blinded=row.blinded,
        label=label,
        notes=trial_notes(res, row.blinded, j.scale)
        + adherence_notes(
            periods,
            until=_trial_day(j, row),
            dose_days=j.dose_days,
            dose_products=j.extra["dose_products"],
            active=row.design["active"]["product"],
            control=(row.design.get("control") or {}).get("product"),
        ),
        randomisation_p=res.randomisation_p,
        periods=[
            PeriodOut(first=p.start, last=p.end, label=f"{p.arm} {p.block}") for p in periods if p.start <= j.today
        ],
        design_based=design_based,
    )


def _exposure(j: _Journal, settings: AnalysisSettings) -> AnalysisOut:
    fit = dose_response(j.ratings, j.doses, scale=j.scale, settings=settings)
    j.extra["posterior"] = fit.model
    return _out(
        j,
        fit.model,
        design="exposure",
        blinded=False,
        label="association, not proof",
        notes=exposure_notes(fit, j.scale),
        dose_response=DoseResponseOut(
            routes=fit.routes,
            best_half_life_h=fit.best_half_life_h,
            half_life_support=fit.half_life_support,
            typical_mg=fit.typical_mg,
        ),
    )


def _choose(j: _Journal, series: DailySeries, design: str | None, settings: AnalysisSettings) -> AnalysisOut:
    if design == "randomised" or (design is None and j.trial is not None):
        if j.trial is None:
            raise TrialError(f"There is no trial on {j.scale.short}. Create one with: dosewise trial new.")
        try:
            return _randomised(j, j.trial, series, settings)
        except TrialError as exc:
            if design == "randomised":
                raise
            j.extra.setdefault("notes", []).append(f"Trial not analysed yet: {exc.message}")
    if design == "exposure":
        return _exposure(j, settings)
    try:
        return _before_after(j, series, settings)
    except AnalysisError as exc:
        if design == "before_after" or j.doses.time_h.size == 0 or "baseline" not in exc.message:
            raise
        out = _exposure(j, settings)
        out.notes.insert(0, f"Before/after is not possible: {exc.message}")
        return out


def _overrides(person: PersonRow, scale: Scale) -> dict[str, Any]:
    """Return the person's analysis settings; ``mcid_points`` may be one number or {scale id: points}."""
    raw = dict((person.settings or {}).get("analysis") or {})
    mcid = raw.get("mcid_points")
    if isinstance(mcid, dict):
        if scale.id in mcid:
            raw["mcid_points"] = mcid[scale.id]
        else:
            raw.pop("mcid_points")
    return raw


def analyze(
    db: Database,
    *,
    scale: str | None = None,
    now: datetime | None = None,
    design: str | None = None,
    with_charts: bool = False,
) -> AnalysisOut:
    """Run the best analysis the journal allows for ``scale`` (default: the person's primary scale).

    Repeated views of an unchanged journal on the same day are served from services.analysis_cache.
    """
    now = now or now_utc()
    if design is not None and design not in DESIGNS:
        raise InvalidInput(f"Unknown design '{design}'. Choose one of: {', '.join(DESIGNS)}.", field="design")
    with db.read() as session:
        person = get_person_row(session)
        scale_obj = get_scale(scale or person.primary_scale)
        today = person_day(person).of(now)
        key = (
            db.url,
            person.id,
            scale_obj.id,
            design,
            with_charts,
            today,
            day_start_hour(),
            journal_fingerprint(session, person),
        )
        cached = analysis_cache.get(key)
        if cached is not None:
            return cached.model_copy(deep=True)
        j = _load(session, scale_obj, person, now)
    settings = analysis_settings(_overrides(person, scale_obj))
    series = daily_means(j.ratings.day, j.ratings.value)
    if series.n_days == 0:
        raise AnalysisError(
            f"There are no {scale_obj.short} ratings yet. Rate it once or twice a day "
            f"(dosewise log rating {scale_obj.id} 5) and analyse after a few weeks."
        )
    out = _choose(j, series, design, settings)
    out.notes.extend(j.extra.get("notes", []))
    if with_charts:
        out.charts = _charts(j, series, out)
    analysis_cache.put(key, out.model_copy(deep=True))
    return out


def _charts(j: _Journal, series: DailySeries, out: AnalysisOut) -> dict[str, str]:
    spans = [p.span() for p in out.periods]
    series_svg = charts.symptom_chart(_chart_days(j, series, spans), scale=j.scale, periods=spans)
    fit: ModelFit = j.extra["posterior"]
    post_svg = charts.posterior_chart(
        fit.posterior,
        mean=out.estimate.mean,
        low=out.estimate.low,
        high=out.estimate.high,
        mcid=out.mcid,
        lower_is_better=j.scale.lower_is_better,
        scale_name=j.scale.short,
        label=out.label,
    )
    return {"series": series_svg, "posterior": post_svg}


def _chart_days(j: _Journal, series: DailySeries, periods: list[charts.Period]) -> list[charts.ChartDay]:
    """One point per journal day from the first rating (or period) to the last rating: the daily mean and
    the mg THC and CBD taken that day (the same points as the clinician report's chart)."""
    first = min([int(series.days[0]), *(p[0].toordinal() for p in periods)])
    n = int(series.days[-1]) - first + 1
    score = np.full(n, np.nan)
    ratings = np.zeros(n, dtype=np.int64)
    score[series.days - first] = series.mean
    ratings[series.days - first] = series.count
    in_range = (j.dose_days >= first) & (j.dose_days < first + n)
    slot = j.dose_days[in_range] - first
    thc = np.bincount(slot, weights=j.extra["dose_thc"][in_range], minlength=n)
    cbd = np.bincount(slot, weights=j.extra["dose_cbd"][in_range], minlength=n)
    return [
        charts.ChartDay(date.fromordinal(first + i), None if np.isnan(s) else s, r, t, c)
        for i, (s, r, t, c) in enumerate(zip(score.tolist(), ratings.tolist(), thc.tolist(), cbd.tolist(), strict=True))
    ]


def chart_document(out: AnalysisOut) -> str:
    """Return one standalone SVG file with both charts of an ``analyze(..., with_charts=True)`` result."""
    if not out.charts:
        raise InvalidInput("This result was made without charts; call analyze(..., with_charts=True).")
    return charts.stack([out.charts["series"], out.charts["posterior"]], title=f"{out.scale_name}: analysis")


def analysis_chart_svg(db: Database, *, scale: str | None = None, now: datetime | None = None) -> str:
    """Return one SVG with both charts (symptom over time; posterior of the effect with the MCID)."""
    return chart_document(analyze(db, scale=scale, now=now, with_charts=True))
