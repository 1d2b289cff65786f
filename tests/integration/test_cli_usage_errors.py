"""Command-line mistakes (missing argument, unknown option, a negative number) give one line, never a traceback.

Typer >= 0.20 raises its own (vendored) click exceptions, which are not click's: they must be caught too.
"""

import pytest

from tests.helpers import snapshot


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("log", "dose"), "Missing argument 'product'. Try 'dosewise log dose --help'."),
        (("nosuch",), "No such command 'nosuch'."),
        (("journal", "--bogus"), "No such option: --bogus."),
        (("journal", "--days", "abc"), "Invalid value for '--days'"),
        (("log", "dose", "calm", "-5 drops"), "-5 is a negative number"),
        (("log", "dose", "Sativex", "-2"), "cannot be negative"),
    ],
)
def test_usage_mistake_is_one_line_and_changes_nothing(cli, person, args, message):
    before = snapshot(person)
    result = cli(*args)
    assert result.code == 2
    assert "Traceback" not in result.output
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert snapshot(person) == before


@pytest.mark.parametrize("args", [(), ("log",), ("plan",)])
def test_group_without_a_command_shows_its_help(cli, fresh_db, args):
    result = cli(*args)
    assert result.code == 0
    assert "Traceback" not in result.output
    assert "Usage: dosewise" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--html", "{missing}/report.html"),
        ("export", "--csv", "{missing}/journal.csv"),
        ("export", "--fhir", "{missing}/bundle.json"),
        ("analyze", "--chart", "{missing}/chart.svg"),
    ],
)
def test_file_in_a_missing_folder_is_one_line(cli, fresh_db, tmp_path, args):
    assert cli("demo").code == 0
    args = tuple(a.format(missing=tmp_path / "no-such-folder") for a in args)
    result = cli(*args)
    assert result.code == 1
    assert "Traceback" not in result.output
    assert "the folder does not exist" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_a_folder_given_as_the_file_is_one_line(cli, person, tmp_path):
    result = cli("backup", str(tmp_path))
    assert result.code == 1
    assert f"'{tmp_path}' is a folder" in result.err
