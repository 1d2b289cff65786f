"""`dosewise person add|list|use` and the global `--person`: several people in one database from the CLI."""

from __future__ import annotations

import stat
from pathlib import Path

from dosewise.config import get_settings
from dosewise.services import journal, people, products
from dosewise.store.db import Database
from tests.conftest import NOW


def test_a_second_person_keeps_the_first_ones_data_and_commands_must_say_who(cli, db: Database) -> None:
    assert cli("person", "set", "--name", "Ana", "--condition", "ms-spasticity").code == 0
    assert cli("product", "add", "Ana oil", "--form", "oil", "--cbd", "20", "--thc", "0", "--per", "ml").code == 0
    assert cli("log", "dose", "Ana oil", "5 drops").code == 0
    added = cli("person", "add", "Ben", "--condition", "dystonia")
    assert added.code == 0, added.output
    listed = cli("person", "list")
    assert "Ana" in listed.out and "Ben" in listed.out
    refused = cli("journal")
    assert refused.code == 1 and "Ana (1)" in refused.output and "Ben (2)" in refused.output
    assert "--person" in refused.output
    assert "Ana oil" in cli("--person", "Ana", "journal").out
    ben_journal = cli("--person", "ben", "journal")
    assert ben_journal.code == 0 and "Ana oil" not in ben_journal.out
    assert cli("--person", "Ben", "log", "dose", "Ana oil", "1 drop").code == 1  # not Ben's product
    unknown = cli("--person", "Cleo", "journal")
    assert unknown.code == 1 and "No person called 'Cleo'" in unknown.output and "Ben (2)" in unknown.output


def test_person_use_is_remembered_in_a_private_file(cli, db: Database) -> None:
    ana = people.set_person(db, name="Ana", conditions=["ms-spasticity"], timezone="UTC")
    ben = people.add_person(db, name="Ben", conditions=["dystonia"], timezone="UTC")
    products.add_product(db.for_person(ben.id), name="Ben oil", form="oil", cbd_mg=20, thc_mg=0, per="ml")
    journal.record_dose(db.for_person(ben.id), product="Ben oil", amount="5 drops", now=NOW)
    assert cli("person", "use", "Ben").code == 0
    assert "Ben oil" in cli("journal").out
    assert "* " in next(line for line in cli("person", "list").out.splitlines() if "Ben" in line)
    assert "Ben oil" not in cli("--person", str(ana.id), "journal").out  # --person wins over the remembered one
    chosen = Path(get_settings().data_dir) / "chosen-person.json"
    assert stat.S_IMODE(chosen.stat().st_mode) == 0o600


def test_the_only_person_needs_no_choice_and_names_are_unique(cli, db: Database) -> None:
    assert cli("person", "set", "--name", "Ana", "--condition", "ms-spasticity").code == 0
    assert cli("person", "show").code == 0
    again = cli("person", "add", "ana")
    assert again.code == 1 and "already a person called ana" in again.output
    assert cli("person", "add", " ").code == 1
