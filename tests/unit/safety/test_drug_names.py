"""Medicine names resolve by generic, brand, synonym, class and close typos; unknown names stay unknown."""

import pytest

from dosewise.safety.drugs import resolve


@pytest.mark.parametrize(
    ("name", "drug_id"),
    [
        ("Onfi", "clobazam"),
        ("Coumadin", "warfarin"),
        ("Lioresal", "baclofen"),
        ("Zanaflex", "tizanidine"),
        ("Rilutek", "riluzole"),
        ("Depakote", "valproate"),
        ("Radicava", "edaravone"),
        ("Qalsody", "tofersen"),
        ("Botox", "botulinum-toxin"),
        ("sodium valproate", "valproate"),
        ("RILUZOLE", "riluzole"),
        ("baclofen 10 mg three times a day", "baclofen"),
        ("Elavil", "amitriptyline"),
        ("Sinemet", "levodopa"),
    ],
)
def test_generic_brand_and_synonym_names_resolve(name, drug_id):
    assert resolve(name).drug.id == drug_id


@pytest.mark.parametrize(
    ("typo", "drug_id"),
    [
        ("baclofin", "baclofen"),
        ("tizanidin", "tizanidine"),
        ("warfrin", "warfarin"),
        ("rilozole", "riluzole"),
        ("amitriptylin", "amitriptyline"),
        ("Lioresl", "baclofen"),
        ("gabapentine", "gabapentin"),
    ],
)
def test_close_misspellings_resolve_and_say_so(typo, drug_id):
    r = resolve(typo)
    assert r is not None and r.drug.id == drug_id
    assert "misspelling" in r.matched_as


@pytest.mark.parametrize("name", ["blorbium", "xyz", "", "   ", "ab", "prazepam", "carbimazole", "Cerebyx"])
def test_unknown_names_do_not_resolve(name):
    assert resolve(name) is None


def test_a_class_name_resolves_to_the_class():
    r = resolve("opioids")
    assert r.drug.is_class and "respiratory_depressant" in r.drug.properties
    assert "drug class" in r.matched_as
