"""Medicine lines as people type them: doses, strengths, salts, combinations, several drugs on one line,
misspellings by ear, look-alikes and everyday words. Nothing typed is dropped; nothing is read as the wrong
drug (bench/data/medicines_heldout.yaml holds the wider held-out set)."""

from pathlib import Path

import pytest
import yaml

from dosewise.knowledge.files import load_yaml
from dosewise.knowledge.references import missing_references
from dosewise.safety.drugs import all_drugs, drug_entries, products, read_medicine, resolve
from dosewise.safety.interactions import check

BOTH = {"cbd", "thc"}
BENCH = Path(__file__).resolve().parents[3] / "bench" / "data"


def _ids(text: str) -> list[str]:
    return [p.drug.id for p in read_medicine(text).parts]


@pytest.mark.parametrize(
    ("text", "drug_id"),
    [
        ("baclofen 10mg tds", "baclofen"),
        ("tizanidine 4 mg at night", "tizanidine"),
        ("pregabalin 75mg bd", "pregabalin"),
        ("2 puffs salbutamol", "salbutamol"),
        ("low dose aspirin", "aspirin"),
        ("ITB pump (baclofen)", "baclofen"),
        ("warfarin (dose varies with INR)", "warfarin"),
        ("St. Johns Wort 300mg", "st-johns-wort"),
        ("Vitamin D 1000IU", "vitamin-d"),
        ("MST Continus 10mg", "morphine"),
    ],
)
def test_doses_timings_and_forms_around_a_name_are_skipped(text, drug_id):
    reading = read_medicine(text)
    assert [p.drug.id for p in reading.parts] == [drug_id] and not reading.unknown


@pytest.mark.parametrize(
    ("text", "drug_id"),
    [
        ("esomeprazole magnesium 40mg", "esomeprazole"),
        ("atorvastatin calcium", "atorvastatin"),
        ("divalproex sodium", "valproate"),
    ],
)
def test_a_salt_after_a_drug_is_part_of_it_not_a_second_medicine(text, drug_id):
    assert _ids(text) == [drug_id]
    assert _ids("magnesium glycinate") == ["minerals"]  # on its own, magnesium is the supplement


def test_a_strength_is_not_read_as_two_medicines():
    reading = read_medicine("co-codamol 30/500")
    assert {p.drug.id for p in reading.parts} == {"codeine", "paracetamol"} and not reading.unknown
    assert _ids("carbidopa-levodopa 25/100") == ["levodopa"]


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("Percocet", {"oxycodone", "paracetamol"}),
        ("Nuedexta", {"dextromethorphan", "quinidine"}),
        ("Tramacet", {"tramadol", "paracetamol"}),
        ("co-dydramol", {"dihydrocodeine", "paracetamol"}),
        ("Janumet", {"sitagliptin", "metformin"}),
        ("Inegy", {"ezetimibe", "simvastatin"}),
    ],
)
def test_a_combination_product_is_checked_ingredient_by_ingredient(text, ids):
    r = check([text], cannabinoids=BOTH)
    assert {p.drug.id for p in read_medicine(text).parts} == ids
    assert all(f.drug == text and "one ingredient of" in f.matched_as for f in r.findings)
    assert all("one ingredient of" in c.matched_as for c in r.cleared)
    assert not r.unknown


def test_an_ingredient_with_no_data_is_reported_not_checked_never_dropped():
    r = check(["Suboxone"], cannabinoids=BOTH)
    assert "buprenorphine" in {f.drug_id for f in r.findings}
    assert r.unknown == ("naloxone (in Suboxone)",)
    assert check(["Stalevo"], cannabinoids=BOTH).unknown == ("carbidopa (in Stalevo)",)
    assert check(["Suboxone 8mg/2mg film daily"], cannabinoids=BOTH).unknown == ("naloxone (in Suboxone)",)


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("baclofen, tizanidine", ["baclofen", "tizanidine"]),
        ("paracetamol + ibuprofen", ["paracetamol", "ibuprofen"]),
        ("Tylenol with codeine", ["paracetamol", "codeine"]),
        ("dextromethorphan/quinidine", ["dextromethorphan", "quinidine"]),
    ],
)
def test_every_drug_on_one_line_is_checked(text, ids):
    """The first run of the held-out set: the second drug of such lines was silently dropped."""
    assert _ids(text) == ids
    assert resolve(text) is None  # not ONE drug: no single drug id is stored for it


def test_a_class_word_beside_a_named_drug_is_not_a_second_medicine():
    assert _ids("aspirin 75mg (blood thinner)") == ["aspirin"]  # aspirin is not an anticoagulant
    assert _ids("steroid cream") == ["class:corticosteroid"]  # on its own, the class is still checked


def test_a_piece_of_a_line_that_names_no_known_drug_is_reported():
    r = check(["baclofen and midodrine"], cannabinoids=BOTH)
    assert r.unknown == ("midodrine",) and "baclofen" in {f.drug_id for f in r.findings}


@pytest.mark.parametrize("text", ["physio", "water", "n/a", "10mg", "tablet", "asdfgh", "???", "the white one"])
def test_a_line_with_no_drug_is_unknown_as_typed(text):
    assert check([text], cannabinoids=BOTH).unknown == (text,)
    assert check([text], cannabinoids=BOTH).findings == ()


@pytest.mark.parametrize(
    ("typo", "drug_id"),
    [
        ("baclophen", "baclofen"),
        ("amitryptiline", "amitriptyline"),
        ("acetominophen", "paracetamol"),
        ("tizanadine", "tizanidine"),
    ],
)
def test_misspellings_by_ear_are_read_and_say_so(typo, drug_id):
    r = resolve(typo)
    assert r is not None and r.drug.id == drug_id and "misspelling" in r.matched_as


@pytest.mark.parametrize(
    "word",
    ["layer", "loses", "systolic", "points", "wider", "static", "enabled", "approved", "across", "depend", "xanex"],
)
def test_everyday_words_near_a_brand_name_are_never_read_as_it(word):
    """Brand names sound like words: "layer" is not Bayer aspirin, "systolic" is not Bystolic."""
    assert read_medicine(word).parts == ()


@pytest.mark.parametrize("text", ["drinking water", "nicotine patch", "I pop a pill at night"])
def test_an_everyday_or_short_word_inside_a_longer_line_is_not_a_medicine(text):
    assert read_medicine(text).parts == ()
    assert _ids("a glass of wine most nights") == ["alcohol"]  # a whole phrase from the data still counts


def test_product_data_is_cited_and_never_doubles_a_name_of_the_drug_files():
    names = {
        n.casefold().replace("-", " ")
        for e in drug_entries()
        for n in [e["name"], *e.get("brands", []), *e.get("synonyms", [])]
    }
    for entry in load_yaml("drug_products.yaml"):
        assert entry["refs"] and not missing_references(entry["refs"]), entry["name"]
        for name in (entry["name"], *entry.get("aliases", [])):
            assert name.casefold().replace("-", " ") not in names, name
        for part in entry["parts"]:
            assert part in all_drugs() or part.casefold() not in names, part  # plain names are unknown ones
    assert products()["percocet"].parts == ("oxycodone", "paracetamol")


def test_no_held_out_or_look_alike_name_is_read_as_a_wrong_drug():
    rows = yaml.safe_load((BENCH / "medicines_heldout.yaml").read_text(encoding="utf-8"))
    wrong = []
    for row in rows:
        want = {e for e in row["expect"] if e != "unknown"}
        got = set(_ids(row["text"]))
        if got - want:
            wrong.append((row["text"], sorted(got)))
    assert wrong == []
