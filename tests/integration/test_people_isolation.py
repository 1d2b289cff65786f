"""Two people in one database: every list, read and write of one person's handle sees only that person.

A row of the other person looked up by its id is NotFound (404), the same as an id that does not exist.
Runs on SQLite and PostgreSQL (the ``db`` fixture).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from dosewise.errors import DosewiseError, NotFound, PersonNotChosen
from dosewise.services import (
    coas,
    csv_io,
    fhir_source,
    journal,
    medicines,
    people,
    plans,
    products,
    reports,
    safety,
    today,
    trials,
)
from dosewise.store.db import Database
from dosewise.store.scope import ScopeViolation
from dosewise.store.tables import DoseRow, ProductRow
from tests.conftest import NOW


@pytest.fixture
def two(db: Database) -> tuple[Database, Database]:
    """Ana (with the CBD oil, baclofen, a dose, a rating) and Ben (his own oil, a dose), as scoped handles."""
    ana = db.for_person(
        people.set_person(db, name="Ana", conditions=["ms-spasticity"], birth_year=1979, timezone="UTC").id
    )
    ben = db.for_person(people.add_person(db, name="Ben", conditions=["muscle-cramps"], timezone="UTC").id)
    for handle, oil in ((ana, "Calm CBD oil"), (ben, "Ben oil")):
        products.add_product(handle, name=oil, form="oil", cbd_mg=20, thc_mg=0, per="ml")
        journal.record_dose(handle, product=oil, amount="5 drops", now=NOW)
        journal.record_rating(handle, scale="spasticity", value=5, now=NOW)
    medicines.add_medicine(ana, name="baclofen", dose_text="10 mg")
    return ana, ben


def test_lists_show_only_the_scoped_person(two: tuple[Database, Database]) -> None:
    ana, ben = two
    assert [p.name for p in products.list_products(ana)] == ["Calm CBD oil"]
    assert [p.name for p in products.list_products(ben)] == ["Ben oil"]
    assert [m.name for m in medicines.list_medicines(ana)] == ["baclofen"]
    assert medicines.list_medicines(ben) == []
    assert people.get_person(ben).name == "Ben"
    assert [p.name for p in people.list_people(ben)] == ["Ben"]
    for handle, oil in ((ana, "Calm CBD oil"), (ben, "Ben oil")):
        entries = [e for d in journal.read_journal(handle, days=1, now=NOW).days for e in d.entries]
        assert {e.item for e in entries if e.kind == "dose"} == {oil}
        assert len(entries) == 2
        assert oil in csv_io.export_csv(handle)
    assert "Ben oil" not in csv_io.export_csv(ana)
    assert fhir_source.fhir_source(ben, now=NOW).person.name == "Ben"
    assert reports.clinician_report(ben, now=NOW).person.name == "Ben"
    assert today.today_summary(ben, now=NOW) is not None
    assert safety.list_alerts(ben) == []


def test_ids_of_the_other_person_are_not_found(two: tuple[Database, Database]) -> None:
    ana, ben = two
    ben_entries = [e for d in journal.read_journal(ben, days=1, now=NOW).days for e in d.entries]
    ben_product = products.list_products(ben)[0]
    edits = {"dose": {"product": "Calm CBD oil", "amount": "1 drop"}, "rating": {"scale": "spasticity", "value": 3}}
    for entry in ben_entries:
        with pytest.raises(NotFound):
            today.get_entry(ana, kind=entry.kind, entry_id=entry.id)
        with pytest.raises(NotFound):
            journal.delete_entry(ana, kind=entry.kind, entry_id=entry.id, now=NOW)
        with pytest.raises(NotFound):
            journal.update_entry(ana, entry_kind=entry.kind, entry_id=entry.id, now=NOW, **edits[entry.kind])
    with pytest.raises(NotFound):
        coas.product_coa(ana, product_id=ben_product.id)
    with pytest.raises(NotFound):
        products.edit_product(ana, name="Ben oil", new_name="Mine now")
    medicines.add_medicine(ben, name="tizanidine", dose_text="2 mg")
    ben_medicine = medicines.list_medicines(ben)[0]
    with pytest.raises(NotFound):
        medicines.edit_medicine(ana, medicine_id=ben_medicine.id, dose_text="4 mg")
    with pytest.raises(NotFound):
        medicines.restart_medicine(ana, medicine_id=ben_medicine.id)
    with pytest.raises(NotFound):
        journal.record_dose(ana, product="Ben oil", amount="1 drop", now=NOW)
    # Ben's data is unchanged
    assert [e.id for d in journal.read_journal(ben, days=1, now=NOW).days for e in d.entries] == [
        e.id for e in ben_entries
    ]
    assert products.list_products(ben)[0].name == "Ben oil"


def test_plans_and_trials_are_per_person(two: tuple[Database, Database]) -> None:
    ana, ben = two
    plans.new_plan(ana, product="Calm CBD oil", protocol=plans.list_protocols()[0].id, now=NOW)
    assert plans.show_plan(ana, now=NOW).product
    with pytest.raises(NotFound):
        plans.show_plan(ben, now=NOW)
    with pytest.raises(DosewiseError):
        trials.show_trial(ben, now=NOW)


def test_an_unscoped_handle_with_two_people_refuses_and_names_them(
    two: tuple[Database, Database], db: Database
) -> None:
    with pytest.raises(PersonNotChosen) as caught:
        journal.read_journal(db, days=1, now=NOW)
    assert "Ana" in caught.value.message and "Ben" in caught.value.message
    assert [p.name for p in people.list_people(db.for_everyone())] == ["Ana", "Ben"]
    assert people.list_people(db) == []  # a handle scoped to nobody sees nobody (fail closed)
    assert people.find_person(db, "ben").name == "Ben"
    with pytest.raises(NotFound):
        people.find_person(db, "Cleo")


def test_a_buggy_query_in_a_scoped_session_cannot_reach_the_other_person(two: tuple[Database, Database]) -> None:
    ana, ben = two
    ben_product = products.list_products(ben)[0]
    with ana.read() as session:  # no person filter written here: the scope adds it
        assert {r.name for r in session.scalars(select(ProductRow))} == {"Calm CBD oil"}
        assert session.get(ProductRow, ben_product.id) is None
        assert all(r.product.name == "Calm CBD oil" for r in session.scalars(select(DoseRow)))
    with ana.transaction() as session:
        session.execute(update(ProductRow).values(name="renamed"))
    assert products.list_products(ben)[0].name == "Ben oil"
    with pytest.raises(ScopeViolation), ana.transaction() as session:
        session.add(
            ProductRow(
                person_id=ben_product.id and people.get_person(ben).id, name="x", form="oil", route="oral", basis="ml"
            )
        )


def test_a_scoped_handle_joins_the_write_unit_of_its_database(two: tuple[Database, Database], db: Database) -> None:
    """A web write runs inside one unit (its idempotency token); a person's handle must join it, not wait for it."""
    from dosewise.store.db import join, leave

    ana, _ = two
    unit = db.unit()
    unit.begin()
    joined = join(unit)
    try:
        journal.record_note(ana, text="inside the unit", now=NOW)  # would wait forever for the write lock
    finally:
        leave(joined)
        unit.end(commit=True)
    notes = [e for d in journal.read_journal(ana, days=1, now=NOW).days for e in d.entries if e.kind == "note"]
    assert [n.item or n.note for n in notes] != []


def test_a_page_read_in_shared_page_reads_still_sees_one_person(two: tuple[Database, Database], db: Database) -> None:
    """A web GET shares one session between the services it calls (runtime.shared_page_reads): the first person's
    handle reads through it; the other person and unscoped handles never do, so nothing of one person shows
    on the other's page, and a write made meanwhile is not lost."""
    from dosewise.services.runtime import shared_page_reads

    ana, ben = two
    with shared_page_reads():
        assert [p.name for p in products.list_products(ana)] == ["Calm CBD oil"]
        assert people.get_person(ana).name == "Ana"
        with ana.read() as first, ana.read() as second:
            assert first is second  # Ana's reads share the page's session
            with ben.read() as other, db.read() as unscoped:
                assert other is not first and unscoped is not first
        assert [p.name for p in products.list_products(ben)] == ["Ben oil"]
        assert people.get_person(ben).name == "Ben"
        assert [m.name for m in medicines.list_medicines(ben)] == []
        journal.record_note(ana, text="written on the way", now=NOW)
    notes = [e for d in journal.read_journal(ana, days=1, now=NOW).days for e in d.entries if e.kind == "note"]
    assert len(notes) == 1


def test_every_new_database_handle_has_the_scope_however_many_came_before(two: tuple[Database, Database]) -> None:
    """A new Database (its own sessionmakers) is guarded even when it reuses the memory of a collected one
    (the guards were once skipped as "already installed" when a new sessionmaker got an old one's id())."""
    import gc

    ana_id = two[0].person_id
    assert ana_id is not None
    gc.freeze()  # each collection below walks only what the loop made (a whole test worker's heap took ~1 s)
    try:
        for _ in range(40):
            fresh = Database(two[0].url, auto_migrate=False)
            with fresh.for_person(ana_id).read() as session:
                assert {r.name for r in session.scalars(select(ProductRow))} == {"Calm CBD oil"}
            fresh.dispose()
            del fresh
            gc.collect()
    finally:
        gc.unfreeze()
