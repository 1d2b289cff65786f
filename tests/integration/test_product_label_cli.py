"""dosewise product add/edit as the label prints it: the label read back in words, exact mg, clear refusals."""

import json

from dosewise.services import products
from tests.helpers import snapshot


def test_add_reads_the_label_back_and_stores_it_exactly(person, cli):
    r = cli("product", "add", "Hemp 1000", "--form", "oil", "--cbd", "1000 mg in 30 ml", "--claim", "THC-free")
    assert r.code == 0, r.err
    assert "Read as: Hemp 1000" in r.out and "33.3 mg per ml" in r.out and "1.7 mg per drop" in r.out
    assert "not a measurement" in r.out
    oil = next(p for p in products.list_products(person) if p.name == "Hemp 1000")
    assert oil.label["cbd"] == "1000 mg in 30 ml" and oil.spectrum == "thc-free" and oil.thc_mg == 0


def test_check_only_shows_the_reading_and_saves_nothing(person, cli):
    before = snapshot(person)
    r = cli("product", "add", "Caps", "--form", "capsule", "--cbd", "300 mg in 30 capsules", "--thc", "none", "--check")
    assert r.code == 0 and "not saved" in r.out and "10 mg per capsule" in r.out
    assert snapshot(person) == before


def test_flower_with_thca_gets_its_total_thc(person, cli):
    r = cli(
        "product", "add", "Bedrocan", "--form", "flower", "--thc", "0.5 %", "--thca", "22 %", "--cbd", "< 1 %", "--json"
    )
    assert r.code == 0, r.err
    out = json.loads(r.out)["product"]
    assert round(out["thc_mg"], 6) == round(5 + 0.877 * 220, 6) and out["per"] == "g"


def test_a_plan_with_a_thc_maximum_assumes_the_most_the_label_allows(person, cli):
    assert (
        cli("product", "add", "Hemp drops", "--form", "oil", "--cbd", "1000 mg in 30 ml", "--thc", "< 2 mg/ml").code
        == 0
    )
    r = cli("plan", "new", "Hemp drops", "--protocol", "conservative", "--json")
    assert r.code == 0, r.err
    plan = json.loads(r.out)
    assert "up to 2 mg THC" in plan["product_content"]
    dose = next(d for day in plan["days"] for d in day["doses"])
    assert dose["thc_mg"] == round(dose["amount"] * 0.05 * 2, 4)  # every drop counted at the maximum


def test_unknown_thc_refuses_a_plan_with_a_question_not_a_command(person, cli):
    assert cli("product", "add", "Mystery", "--form", "oil", "--cbd", "500 mg in 10 ml", "--thc", "unknown").code == 0
    r = cli("plan", "new", "Mystery", "--protocol", "conservative")
    assert r.code == 1 and "How much THC does 'Mystery' contain?" in r.err and "dosewise product" not in r.err


def test_bad_labels_are_one_clear_line_and_save_nothing(person, cli):
    before = snapshot(person)
    for args, words in (
        (("--cbd", "1000 mg"), "mg per what"),
        (("--cbd", "150 %", "--density", "0.9"), "more than 100"),
        (("--cbd", "-3 mg/ml"), "negative"),
        (("--cbd", "10 mg per capsule"), "does not fit"),
    ):
        r = cli("product", "add", "Bad", "--form", "oil", *args)
        assert r.code == 1 and words in r.err and "Traceback" not in r.err
    assert snapshot(person) == before


def test_edit_changes_the_label_and_says_what_it_now_means(person, cli):
    r = cli("product", "edit", "Calm", "--cbd", "1500 mg in 30 ml", "--batch", "B-77")
    assert r.code == 0 and "50 mg per ml" in r.out
    oil = products.list_products(person)[0]
    assert oil.cbd_mg == 50 and oil.batch == "B-77" and oil.label["cbd"] == "1500 mg in 30 ml"
