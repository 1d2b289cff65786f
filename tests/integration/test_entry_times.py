"""A time with a mistyped year (0001, 1900) is refused with one line, in the CLI and in a CSV import."""

import pytest

from dosewise.errors import DosewiseError
from dosewise.services import csv_io, journal, people
from tests.conftest import NOW
from tests.helpers import snapshot


@pytest.mark.parametrize("at", ["0001-01-01 00:00", "1900-01-01 10:00", "0001-01-01T00:00:00+13:00"])
def test_a_time_before_1970_is_refused_and_nothing_changes(person, at):
    people.set_person(person, timezone="Pacific/Auckland")
    before = snapshot(person)
    with pytest.raises(DosewiseError) as err:
        journal.record_rating(person, scale="pain", value=3, at=at, now=NOW)
    assert "too far in the past" in err.value.message
    assert snapshot(person) == before


def test_csv_line_in_year_one_is_a_line_problem_not_a_crash(person):
    people.set_person(person, timezone="Pacific/Auckland")
    data = b"time,kind,item,value,unit,note\n0001-01-01T00:00:00,rating,pain,3,,\n"
    with pytest.raises(DosewiseError) as err:
        csv_io.import_csv(person, data, now=NOW)
    assert "Line 2: That time is too far in the past" in err.value.message


def test_cli_year_one_is_one_line(cli, person):
    result = cli("log", "rating", "pain", "3", "--at", "0001-01-01 00:00")
    assert result.code == 1
    assert "Traceback" not in result.output
    assert "too far in the past" in result.err
