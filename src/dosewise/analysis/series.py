"""Daily means of a symptom scale and the periods they fall in.

The analysis unit is the journal-day mean (personal-analysis-methods.md §4.2 "default data unit"): several
ratings a day carry independent "nugget" noise that a per-rating AR(1) model mistakes for signal, which made
its intervals too narrow (78 % coverage); daily means restore the nominal coverage. Days are journal days
(model/journal.py ``journal_day``) given as integer ordinals (``date.toordinal()``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from dosewise.errors import AnalysisError


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
