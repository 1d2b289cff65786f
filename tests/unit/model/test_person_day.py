"""One person's day (zone + day start) and one daily-mg sum, used by the journal, alerts, report and insights."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from dosewise.model.journal import PersonDay, daily_mg

LONDON = PersonDay(ZoneInfo("Europe/London"), 4)


@dataclass
class _Dose:
    at: datetime
    thc_mg: float | None
    cbd_mg: float | None


def test_a_night_time_entry_belongs_to_the_evening_before():
    assert LONDON.of(datetime(2026, 7, 2, 1, 30, tzinfo=LONDON.tz)) == date(2026, 7, 1)
    assert LONDON.of(datetime(2026, 7, 2, 4, 0, tzinfo=LONDON.tz)) == date(2026, 7, 2)
    start, end = LONDON.bounds(date(2026, 7, 1))
    assert (start, end) == (datetime(2026, 7, 1, 3, 0, tzinfo=UTC), datetime(2026, 7, 2, 3, 0, tzinfo=UTC))


def test_daily_mg_sums_each_journal_day_and_keeps_the_last_dose_time():
    late = datetime(2026, 7, 2, 1, 30, tzinfo=LONDON.tz)
    doses = [
        _Dose(datetime(2026, 7, 1, 20, 0, tzinfo=LONDON.tz), 2.5, 10.0),
        _Dose(late, 2.5, None),
        _Dose(datetime(2026, 7, 2, 9, 0, tzinfo=LONDON.tz), 0.0, 20.0),
    ]
    totals = daily_mg(doses, LONDON)
    assert sorted(totals) == [date(2026, 7, 1), date(2026, 7, 2)]
    first = totals[date(2026, 7, 1)]
    assert (first.thc_mg, first.cbd_mg, first.doses, first.last_at) == (5.0, 10.0, 2, late)
    assert totals[date(2026, 7, 2)].cbd_mg == 20.0
