"""The README's medicines example is what the commands print: medicines are named by their number or name."""

from __future__ import annotations

import re
import shlex
from datetime import date
from pathlib import Path

from dosewise.services import medicines, people

ROOT = Path(__file__).resolve().parents[2]


def readme_steps() -> list[tuple[list[str], str]]:
    """Return (arguments, expected output) for each '$ dosewise ...' line of the medicines example."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- medicines-example -->\n```\n(.*?)```", text, re.S)
    assert block is not None, "README.md lost its medicines example"
    steps = []
    for chunk in block.group(1).split("$ dosewise ")[1:]:
        command, _, output = chunk.partition("\n")
        steps.append((shlex.split(command), output))
    return steps


def test_the_readme_medicines_example_is_what_the_commands_print(fresh_db, cli):
    people.set_person(fresh_db, name="Ana", conditions=["ms-spasticity"], birth_year=1979, timezone="UTC")
    medicines.add_medicine(fresh_db, name="baclofen", dose_text="10 mg three times a day", since=date(2025, 3, 1))
    medicines.add_medicine(fresh_db, name="tizanidine", dose_text="2 mg at night", since=date(2026, 6, 1))
    steps = readme_steps()
    assert [args[:2] for args, _ in steps] == [["med", "list"], ["med", "stop"], ["med", "list"], ["med", "restart"]]
    for args, expected in steps:
        result = cli(*args)
        assert result.code == 0, (args, result.err)
        got = [line.rstrip() for line in result.out.splitlines()]
        assert got == [line.rstrip() for line in expected.splitlines()], (args, result.out)
