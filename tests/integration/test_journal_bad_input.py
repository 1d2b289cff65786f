"""Every bad input gets a clear message and leaves the database exactly as it was (SQLite and PostgreSQL)."""

import pytest

from dosewise.errors import DosewiseError, ImplausibleDose, UnknownProduct
from dosewise.services import journal
from tests.conftest import NOW
from tests.helpers import snapshot

BAD_DOSES = [
    ({"product": "calm", "amount": "-5 drops"}, "more than 0"),
    ({"product": "calm", "amount": "0 drops"}, "more than 0"),
    ({"product": "calm", "amount": "lots"}, "Could not read"),
    ({"product": "calm", "amount": "5 drps"}, "Did you mean 'drops'"),
    ({"product": "calm", "amount": "2 sprays"}, "not measured in sprays"),
    ({"product": "Nothing like this", "amount": "5 drops"}, "No product called"),
    ({"product": "calm", "amount": "nan ml"}, "real number"),
    ({"product": "calm", "amount": "inf ml"}, "real number"),
    ({"product": "calm", "amount": "5 drops", "at": "2099-01-01 10:00"}, "future"),
    ({"product": "Sativex", "amount": "40 sprays"}, "far above usual doses"),  # 108 mg THC
    ({"product": "calm", "amount": "50 ml"}, "far above usual doses"),  # 1,665 mg CBD
]


@pytest.mark.parametrize(("kwargs", "message"), BAD_DOSES)
def test_bad_dose_is_refused_and_nothing_changes(person, kwargs, message):
    before = snapshot(person)
    with pytest.raises(DosewiseError) as err:
        journal.record_dose(person, now=NOW, **kwargs)
    assert message in err.value.message
    assert snapshot(person) == before


@pytest.mark.parametrize(
    ("scale", "value", "message"),
    [
        ("spasticity", 11, "outside the scale"),
        ("spasticity", "NaN", "real number"),
        ("spasticity", "inf", "real number"),
        ("spasticity", "six", "not a number"),
        ("spastic", 5, "Unknown scale"),
    ],
)
def test_bad_rating_is_refused_and_nothing_changes(person, scale, value, message):
    before = snapshot(person)
    with pytest.raises(DosewiseError) as err:
        journal.record_rating(person, scale=scale, value=value, now=NOW)
    assert message in err.value.message
    assert snapshot(person) == before


def test_unusual_dose_is_stored_only_when_confirmed_and_then_flagged(person):
    with pytest.raises(ImplausibleDose, match="--confirm-unusual"):
        journal.record_dose(person, product="Sativex", amount="40 sprays", now=NOW)
    out = journal.record_dose(person, product="Sativex", amount="40 sprays", confirm_unusual=True, now=NOW)
    assert out.entry.unusual and out.entry.thc_mg == pytest.approx(108.0)
    assert "unusual" in out.warnings[0]


def test_product_names_match_case_insensitively_and_by_unique_prefix(person):
    assert journal.record_dose(person, product="SATIVEX", amount="1 spray", now=NOW).entry.item == "Sativex"
    assert journal.record_dose(person, product="calm cbd", amount="5 drops", now=NOW).entry.item == "Calm CBD oil 1000"


def test_ambiguous_prefix_names_the_candidates(person):
    from dosewise.services import products

    products.add_product(person, name="Calm night gummies", form="edible", thc_mg=2.5, cbd_mg=10)
    with pytest.raises(UnknownProduct, match="matches several products"):
        journal.record_dose(person, product="calm", amount="1 gummy", now=NOW)


def test_notes_keep_any_text_verbatim_up_to_the_limit(person):
    text = '<script>alert(1)</script>\n  "quoted", [bold]not markup[/] — ü ✓'
    assert journal.record_note(person, text=text, now=NOW).entry.note == text
    before = snapshot(person)
    with pytest.raises(DosewiseError, match="at most 4000 characters"):
        journal.record_note(person, text="x" * 4001, now=NOW)
    assert snapshot(person) == before


def test_side_effect_synonyms_and_unknown_effects(person):
    assert journal.record_side_effect(person, effect="sleepy", severity="mild", now=NOW).entry.item == "drowsiness"
    before = snapshot(person)
    with pytest.raises(DosewiseError, match="Severity must be"):
        journal.record_side_effect(person, effect="dizziness", severity="awful", now=NOW)
    with pytest.raises(DosewiseError, match="Unknown side effect"):
        journal.record_side_effect(person, effect="glowing", now=NOW)
    assert snapshot(person) == before


def test_journal_day_totals_and_order(person):
    journal.record_dose(person, product="calm", amount="5 drops", at="2026-11-20 09:00", now=NOW)
    journal.record_dose(person, product="Sativex", amount="2 sprays", at="2026-11-20 21:00", now=NOW)
    journal.record_dose(person, product="Sativex", amount="1 spray", at="2026-11-21 01:30", now=NOW)  # evening before
    journal.record_rating(person, scale="spasticity", value=6, at="2026-11-21 10:00", now=NOW)
    out = journal.read_journal(person, days=7, now=NOW)
    assert [d.day.isoformat() for d in out.days] == ["2026-11-21", "2026-11-20"]
    day20 = out.days[1]
    assert day20.thc_mg == pytest.approx(8.1) and day20.cbd_mg == pytest.approx(8.325 + 7.5, abs=0.01)
    assert [e.at.hour for e in day20.entries] == [1, 21, 9]  # newest first


def test_delete_and_undo(person):
    e = journal.record_note(person, text="oops", now=NOW).entry
    journal.delete_entry(person, kind="note", entry_id=e.id, now=NOW)
    assert not journal.read_journal(person, days=2, now=NOW).days
    journal.restore_entry(person, kind="note", entry_id=e.id)
    assert journal.read_journal(person, days=2, now=NOW).days[0].entries[0].note == "oops"
