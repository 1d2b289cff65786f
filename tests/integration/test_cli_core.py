"""The issue's example session works from the terminal, on SQLite and PostgreSQL."""

import json

import pytest


def test_the_example_session(db, cli, tmp_path):
    assert (
        cli(
            "person",
            "set",
            "--name",
            "Ana",
            "--condition",
            "ms-spasticity",
            "--weight-kg",
            "64",
            "--birth-year",
            "1979",
        ).code
        == 0
    )
    r = cli("med", "add", "baclofen", "--dose", "10 mg three times a day", "--since", "2025-03-01")
    assert r.code == 0 and "baclofen" in r.out
    assert (
        cli(
            "product",
            "add",
            "Calm CBD oil 1000",
            "--form",
            "oil",
            "--cbd",
            "33.3",
            "--thc",
            "0",
            "--per",
            "ml",
            "--drop-ml",
            "0.05",
        ).code
        == 0
    )
    r = cli("product", "add", "Sativex", "--form", "spray", "--thc", "2.7", "--cbd", "2.5", "--per", "spray")
    assert r.code == 0
    r = cli("log", "dose", "Calm CBD oil 1000", "5 drops")
    assert r.code == 0 and "8.3 mg CBD" in r.out
    assert cli("log", "dose", "Sativex", "2 sprays", "--at", "2026-11-20 21:00").code == 0
    assert cli("log", "rating", "spasticity", "6").code == 0
    assert cli("log", "side-effect", "drowsiness", "--severity", "mild").code == 0
    assert cli("log", "note", "slept badly, cold weather").code == 0

    table = cli("journal", "--days", "7")
    assert table.code == 0 and "Calm CBD oil 1000" in table.out and "mg CBD" in table.out

    data = json.loads(cli("journal", "--days", "7", "--json").out)
    entries = [e for d in data["days"] for e in d["entries"]]
    assert {e["kind"] for e in entries} == {"dose", "rating", "side_effect", "note"}
    sativex = next(e for e in entries if e["item"] == "Sativex")
    assert sativex["thc_mg"] == pytest.approx(5.4) and sativex["at"].startswith("2026-11-20T21:00")

    path = tmp_path / "journal.csv"
    assert cli("export", "--csv", str(path)).code == 0
    assert path.read_text().startswith("time,kind,item,value,unit,note")
    assert "5 entries" in cli("export", "--csv", str(path)).out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("log", "rating", "spasticity", "11"), "outside the scale"),
        (("log", "dose", "calm", "5 drps"), "Did you mean 'drops'"),
        (("log", "dose", "Nope", "5 drops"), "No product called"),
        (("log", "dose", "calm", "2 sprays"), "not measured in sprays"),
        (("log", "dose", "calm", "5 drops", "--at", "2099-01-01 10:00"), "future"),
        (("import", "/nonexistent.csv"), "No file at"),
        (("med", "add", "warfarin", "--since", "01/02/2025"), "YYYY-MM-DD"),
    ],
)
def test_user_errors_are_one_line_with_exit_code_1(person, cli, args, message):
    r = cli(*args)
    assert r.code == 1
    assert message in r.err
    assert "Traceback" not in r.output
    assert r.err.count("Error:") == 1


def test_every_read_command_has_json(person, cli):
    for args in (("person", "show"), ("med", "list"), ("product", "list"), ("journal",)):
        r = cli(*args, "--json")
        assert r.code == 0, args
        json.loads(r.out)


def test_no_person_yet_says_how_to_start(fresh_db, cli):
    r = cli("log", "rating", "pain", "3")
    assert r.code == 1 and "dosewise person set" in r.err


def test_demo_is_labelled_and_refuses_a_database_with_data(fresh_db, cli):
    assert cli("demo").code == 0
    out = cli("journal", "--days", "3").out
    assert "DEMO DATA" in out
    assert json.loads(cli("person", "show", "--json").out)["is_demo"] is True
    again = cli("demo")
    assert again.code == 1 and "already has a person" in again.err


def test_python_dash_m_and_console_script_work(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DOSEWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    out = subprocess.run([sys.executable, "-m", "dosewise", "--help"], capture_output=True, text=True, env=env)
    assert out.returncode == 0 and "journal" in out.stdout
