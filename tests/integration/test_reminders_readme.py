"""The README's reminders example is what the commands print (Ana, 10 days into the nabiximols plan, at 09:02)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from dosewise import clock
from dosewise.services import journal, people, plans, products
from tests.conftest import NOW

ROOT = Path(__file__).resolve().parents[2]


def readme_steps() -> list[tuple[list[str], str]]:
    """Return (arguments, expected output) for each '$ dosewise ...' line of the reminders example."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- reminders-example -->\n```\n(.*?)```", text, re.S)
    assert block is not None, "README.md lost its reminders example"
    steps: list[tuple[list[str], str]] = []
    for chunk in block.group(1).split("$ dosewise ")[1:]:
        command, _, output = chunk.partition("\n")
        steps.append((_split(command), output))
    return steps


def _split(command: str) -> list[str]:
    import shlex

    return shlex.split(command.split("  #")[0])


def test_the_readme_reminders_example_is_what_the_commands_print(fresh_db, cli):
    clock.set_now(NOW - timedelta(days=10))
    people.set_person(fresh_db, name="Ana", conditions=["ms-spasticity"], birth_year=1979, timezone="UTC")
    products.add_product(fresh_db, name="Sativex", form="spray", thc_mg=2.7, cbd_mg=2.5, per="spray")
    plans.new_plan(fresh_db, product="Sativex", protocol="nabiximols")
    journal.record_rating(fresh_db, scale="spasticity", value=6, at="2026-11-20 20:00", now=NOW)
    clock.set_now(NOW.replace(hour=9, minute=2))
    steps = readme_steps()
    assert len(steps) >= 4
    for args, expected in steps:
        result = cli(*args)
        assert result.code == 0, (args, result.err)
        got = [line.rstrip() for line in result.out.splitlines()]
        assert got == [line.rstrip() for line in expected.splitlines()], (args, result.out)
