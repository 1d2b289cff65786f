"""Daily means of a symptom scale and the periods they fall in.

The analysis unit is the journal-day mean (docs/methods.md §2): several
ratings a day carry independent "nugget" noise that a per-rating AR(1) model mistakes for signal, which made
its intervals too narrow (78 % coverage); daily means restore the nominal coverage. Days are journal days
(model/journal.py ``journal_day``) given as integer ordinals (``date.toordinal()``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

import numpy as np

from dosewise.errors import AnalysisError

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class DailySeries:
    """Journal days that have at least one rating, with the mean rating (scale points) and the count."""

    days: np.ndarray  # int ordinals, strictly increasing
    mean: np.ndarray  # mean rating of the day, scale points
    count: np.ndarray  # ratings that day

    @property
    def n_days(self) -> int:
        return int(self.days.size)

    def dates(self) -> list[date]:
        return [date.fromordinal(int(d)) for d in self.days]

    def select(self, mask: np.ndarray) -> DailySeries:
        """Return the days where ``mask`` is true."""
        return DailySeries(self.days[mask], self.mean[mask], self.count[mask])

    def between(self, first: date, last: date) -> DailySeries:
        """Return the days from ``first`` to ``last`` inclusive."""
        return self.select((self.days >= first.toordinal()) & (self.days <= last.toordinal()))


def daily_means(day_ordinals: np.ndarray, values: np.ndarray) -> DailySeries:
    """Return the mean of ``values`` per journal day (``day_ordinals`` as ``date.toordinal()``)."""
    day_ordinals = np.asarray(day_ordinals, dtype=np.int64)
    values = np.asarray(values, dtype=float)
    if day_ordinals.size == 0:
        return DailySeries(np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64))
    days, inverse, count = np.unique(day_ordinals, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=values, minlength=days.size)
    return DailySeries(days, sums / count, count)


def daily_average(day_ordinals: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Return the per-day mean of each column of ``columns`` (rows per rating), ordered as ``daily_means``."""
    day_ordinals = np.asarray(day_ordinals, dtype=np.int64)
    columns = np.asarray(columns, dtype=float)
    days, inverse, count = np.unique(day_ordinals, return_inverse=True, return_counts=True)
    out = np.empty((days.size, columns.shape[1]))
    for j in range(columns.shape[1]):
        out[:, j] = np.bincount(inverse, weights=columns[:, j], minlength=days.size) / count
    return out


def check_varies(series: DailySeries, scale_name: str) -> None:
    """Raise AnalysisError if every rating is the same: a constant scale carries no information."""
    if series.n_days and float(np.ptp(series.mean)) == 0.0:
        raise AnalysisError(
            f"Every {scale_name} rating is {series.mean[0]:g}, so nothing varies and no effect can be "
            "estimated. If that is right, the scale may not be sensitive enough for you; try another scale "
            "(for example spasm frequency or sleep disruption)."
        )


def offset_s(epoch_s: float, tz: tzinfo) -> float:
    """Return the zone's UTC offset in seconds at the given instant."""
    offset = datetime.fromtimestamp(epoch_s, UTC).astimezone(tz).utcoffset()
    return offset.total_seconds() if offset is not None else 0.0


def _fill_offsets(days: np.ndarray, out: np.ndarray, lo: int, hi: int, a: float, b: float, tz: tzinfo) -> None:
    """Fill out[lo..hi] with the UTC offset at the start of each UTC day in days[lo..hi] (a, b: ends)."""
    if a == b and days[hi] - days[lo] <= 7:
        out[lo : hi + 1] = a
        return
    if hi - lo <= 1:
        out[lo], out[hi] = a, b
        return
    mid = (lo + hi) // 2
    m = offset_s(int(days[mid]) * 86400.0, tz)
    _fill_offsets(days, out, lo, mid, a, m, tz)
    _fill_offsets(days, out, mid, hi, m, b, tz)


def local_clock(epoch_s: np.ndarray, tz: tzinfo, start_hour: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (journal-day ordinals, local hour of day) for UTC epoch seconds, exact across DST changes.

    The zone's UTC offset is found per UTC day by bisection: a run of days whose first and last offsets
    agree and that spans at most a week is one offset (no zone changes its offset twice within a week),
    so two years cost about a hundred look-ups instead of one per day. Only rows on a day whose offset
    changes are converted one by one.
    """
    if epoch_s.size == 0:
        return np.zeros(0, np.int64), np.zeros(0)
    utc_day = np.floor_divide(epoch_s, 86400).astype(np.int64)
    days, inverse = np.unique(utc_day, return_inverse=True)
    start = np.empty(days.size)  # UTC offset at the start of each UTC day with data
    _fill_offsets(
        days, start, 0, days.size - 1, offset_s(int(days[0]) * 86400.0, tz), offset_s(int(days[-1]) * 86400.0, tz), tz
    )
    next_day_follows = np.append(np.diff(days) == 1, False)
    changing = [
        i
        for i in range(days.size)
        if (start[i + 1] if next_day_follows[i] else offset_s(int(days[i]) * 86400.0 + 86399, tz)) != start[i]
    ]
    offsets = start[inverse]
    for i in changing:  # a DST change on this UTC day: convert its rows one by one
        rows = inverse == i
        offsets[rows] = [offset_s(float(x), tz) for x in epoch_s[rows]]
    local = epoch_s + offsets
    days = np.floor_divide(local - start_hour * 3600, 86400).astype(np.int64) + EPOCH_ORDINAL
    return days, np.mod(local, 86400) / 3600.0
