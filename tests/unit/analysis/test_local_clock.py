"""Journal days and local hours computed in bulk equal the one-by-one definition, across DST and gaps."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dosewise.analysis.series import local_clock
from dosewise.model.journal import journal_day

ZONES = ["UTC", "Europe/Lisbon", "America/New_York", "Pacific/Auckland", "Australia/Lord_Howe", "Asia/Kolkata"]
START = datetime(2024, 1, 1, tzinfo=UTC).timestamp()


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    offsets=st.lists(st.floats(min_value=0, max_value=3 * 365 * 86400, allow_nan=False), min_size=1, max_size=300),
    start_hour=st.integers(min_value=0, max_value=6),
)
def test_bulk_local_clock_matches_the_definition(zone, offsets, start_hour):
    tz = ZoneInfo(zone)
    epoch = np.sort(START + np.round(np.array(offsets)))
    days, hours = local_clock(epoch, tz, start_hour)
    for e, d, h in zip(epoch, days, hours, strict=True):
        at = datetime.fromtimestamp(float(e), UTC)
        assert d == journal_day(at, tz=tz, day_start_hour=start_hour).toordinal()
        local = at.astimezone(tz)
        assert abs(h - (local.hour + local.minute / 60 + local.second / 3600)) < 1e-6


def test_every_hour_through_two_dst_changes():
    tz = ZoneInfo("Europe/Lisbon")
    first, last = datetime(2026, 3, 28, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC)
    epoch = np.arange(first.timestamp(), last.timestamp(), 3600.0)
    days, _ = local_clock(epoch, tz, 4)
    expected = [journal_day(datetime.fromtimestamp(float(e), UTC), tz=tz, day_start_hour=4).toordinal() for e in epoch]
    assert days.tolist() == expected
