"""dosewise check: the person's medicines against their products, ad hoc checks, and checks on med/product add."""

import json

from dosewise.services import medicines, products, safety


def test_person_check_uses_the_products_cannabinoids(person, cli):
    r = cli("check", "--json")
    assert r.code == 0
    data = json.loads(r.out)
    assert data["cannabinoids"] == ["cbd", "thc"] and data["unknown"] == []
    baclofen = [f for f in data["findings"] if f["drug_id"] == "baclofen"]
    assert {f["cannabinoid"] for f in baclofen} >= {"cbd", "thc"}
    for f in data["findings"]:
        assert {
            "drug",
            "matched_as",
            "cannabinoid",
            "severity",
            "evidence",
            "direction",
            "monitor",
            "citations",
        } <= set(f)


def test_ad_hoc_check_with_brands_typos_and_an_unknown_name(fresh_db, cli):
    r = cli("check", "--med", "Onfi", "--med", "Coumadin", "--med", "blorbium", "--cannabinoid", "cbd", "--json")
    assert r.code == 0
    data = json.loads(r.out)
    assert data["unknown"] == ["blorbium"]
    serious = {f["drug_id"] for f in data["findings"] if f["severity"] == "serious"}
    assert serious == {"clobazam", "warfarin"}


def test_unknown_medicine_is_shown_as_not_checked_in_text(fresh_db, cli):
    r = cli("check", "--med", "blorbium")
    assert r.code == 0 and "blorbium: unknown - not checked" in r.out and "NOT mean it is safe" in r.out


def test_bad_cannabinoid_is_one_clear_error(fresh_db, cli):
    r = cli("check", "--med", "baclofen", "--cannabinoid", "cbn")
    assert r.code == 1 and "cbd, thc or both" in r.err and "Traceback" not in r.output


def test_smoked_adds_cyp1a2_findings(fresh_db):
    out = safety.check_medicines(["tizanidine"], cannabinoid="thc", smoked=True)
    assert {f.cannabinoid for f in out.findings} == {"thc", "smoke"}


def test_adding_a_medicine_shows_its_findings_at_once(person):
    med, result = medicines.add_medicine(person, name="Rilutek")
    assert med.drug_id == "riluzole"
    assert {f.drug_id for f in result.findings} == {"riluzole"}  # only the new medicine
    med, result = medicines.add_medicine(person, name="blorbium")
    assert med.drug_id is None and result.unknown == ["blorbium"] and result.findings == []


def test_adding_a_product_rechecks_with_its_cannabinoids(db):
    from dosewise.services import people

    people.set_person(db, name="Bo", conditions=["dystonia"], timezone="UTC")
    _, before = medicines.add_medicine(db, name="tizanidine")
    assert before.note and before.cannabinoids == ["cbd", "thc"]  # no products yet: both checked
    _, result = products.add_product(db, name="CBD only", form="oil", cbd_mg=20, thc_mg=0, per="ml")
    assert result.cannabinoids == ["cbd"]
    assert {f.cannabinoid for f in result.findings} == {"cbd"}


def test_a_product_with_unknown_content_is_checked_as_containing_both(db):
    from dosewise.services import people

    people.set_person(db, name="Cy", conditions=["muscle-cramps"], timezone="UTC")
    medicines.add_medicine(db, name="tizanidine")
    _, result = products.add_product(db, name="Shop oil", form="oil", per="ml")  # label gives no content
    assert result.cannabinoids == ["cbd", "thc"]
    assert {f.cannabinoid for f in result.findings} == {"cbd", "thc"}


def test_adding_a_product_shows_only_the_interactions_it_adds(db):
    from dosewise.services import people

    people.set_person(db, name="Di", conditions=["ms-spasticity"], timezone="UTC")
    medicines.add_medicine(db, name="tizanidine")
    products.add_product(db, name="CBD oil", form="oil", cbd_mg=20, thc_mg=0, per="ml")
    _, same = products.add_product(db, name="Other CBD oil", form="oil", cbd_mg=50, thc_mg=0, per="ml")
    assert same.findings == [] and "no new" in same.note
    _, thc = products.add_product(db, name="Sativex", form="spray", thc_mg=2.7, cbd_mg=2.5, per="spray")
    assert {f.cannabinoid for f in thc.findings} == {"thc"}
    _, flower = products.add_product(db, name="Bedrocan", form="flower", thc_mg=220, cbd_mg=1, per="g")
    assert {f.cannabinoid for f in flower.findings} == {"smoke"}
