"""Scales reject out-of-range scores; journal days start at 04:00; future times are refused."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from dosewise.errors import InvalidRating, InvalidTime
from dosewise.model.journal import journal_day, parse_local_time
from dosewise.model.scales import all_scales, get_scale, validate_items, validate_score

LISBON = ZoneInfo("Europe/Lisbon")
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def test_all_built_in_scales_exist():
    assert set(all_scales()) == {
        "spasticity",
        "pain",
        "sleep-disruption",
        "fatigue",
        "spasm-frequency",
        "cramp-count",
        "alsfrs-r",
    }


@pytest.mark.parametrize(
    ("scale", "value"),
    [("spasticity", 11), ("pain", -1), ("spasm-frequency", 5), ("cramp-count", -2), ("spasticity", 6.5)],
)
def test_out_of_scale_scores_are_rejected(scale, value):
    with pytest.raises(InvalidRating):
        validate_score(get_scale(scale), value)


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_non_finite_scores_are_rejected(value):
    with pytest.raises(InvalidRating, match="must be a number"):
        validate_score(get_scale("pain"), value)


def test_alsfrs_r_total_from_twelve_items():
    scale = get_scale("alsfrs-r")
    assert validate_items(scale, [4] * 12) == 48
    with pytest.raises(InvalidRating, match="12 items"):
        validate_items(scale, [4] * 11)
    with pytest.raises(InvalidRating, match="'walking'"):
        validate_items(scale, [4] * 7 + [5] + [4] * 4)


def test_typo_in_scale_name_suggests_the_right_one():
    with pytest.raises(InvalidRating, match="Did you mean 'spasticity'"):
        get_scale("spastisity")


def test_an_entry_at_half_past_one_counts_for_the_evening_before():
    at = datetime(2026, 11, 21, 1, 30, tzinfo=LISBON)
    assert journal_day(at, tz=LISBON, day_start_hour=4) == date(2026, 11, 20)
    assert journal_day(at, tz=LISBON, day_start_hour=0) == date(2026, 11, 21)


def test_local_times_are_read_in_the_persons_zone():
    at = parse_local_time("2026-11-20 21:00", tz=ZoneInfo("America/New_York"), now=NOW)
    assert at == datetime(2026, 11, 21, 2, 0, tzinfo=UTC)


def test_future_times_are_refused_but_five_minutes_of_clock_skew_is_allowed():
    assert parse_local_time("2026-11-21 12:04", tz=UTC, now=NOW)
    with pytest.raises(InvalidTime, match="future"):
        parse_local_time("2026-11-21 12:06", tz=UTC, now=NOW)


def test_unreadable_time_says_how_to_write_it():
    with pytest.raises(InvalidTime, match="YYYY-MM-DD HH:MM"):
        parse_local_time("yesterday-ish", tz=UTC, now=NOW)
