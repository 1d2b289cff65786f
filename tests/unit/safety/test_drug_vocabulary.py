"""The wider drug vocabulary: label and FDA-table medicines resolve, findings follow from mechanism,
documented pairs win, everyday words work, unknown names stay unknown (with "did you mean"), and a fuzzy
match never turns one real medicine into another."""

from __future__ import annotations

import pytest

from dosewise.safety.drugs import did_you_mean, resolve
from dosewise.safety.interactions import check

BOTH = frozenset({"cbd", "thc"})

# Named in the interaction sections of the Epidiolex label (7.1-7.3), the Sativex SmPC (4.5) and the
# dronabinol/nabilone label tables, and the FDA table's clinical index drugs.
LABEL_AND_INDEX_DRUGS = [
    "rifampin",
    "carbamazepine",
    "enzalutamide",
    "mitotane",
    "St John's wort",
    "phenytoin",
    "phenobarbital",
    "ketoconazole",
    "itraconazole",
    "clarithromycin",
    "ritonavir",
    "erythromycin",
    "fluconazole",
    "amiodarone",
    "grapefruit juice",
    "theophylline",
    "caffeine",
    "bupropion",
    "efavirenz",
    "diflunisal",
    "propofol",
    "fenofibrate",
    "gemfibrozil",
    "lamotrigine",
    "morphine",
    "lorazepam",
    "clobazam",
    "diazepam",
    "valproate",
    "warfarin",
    "omeprazole",
    "midazolam",
    "triazolam",
    "tizanidine",
    "repaglinide",
    "celecoxib",
    "desipramine",
    "dextromethorphan",
    "nebivolol",
    "digoxin",
    "dabigatran",
    "fexofenadine",
    "fluvoxamine",
    "ciprofloxacin",
    "paroxetine",
    "quinidine",
    "amitriptyline",
    "amoxapine",
    "atropine",
    "scopolamine",
    "lithium",
    "buspirone",
    "disulfiram",
    "amphetamine",
    "alcohol",
    "verapamil",
    "diltiazem",
]


@pytest.mark.parametrize("name", LABEL_AND_INDEX_DRUGS)
def test_every_label_and_fda_index_medicine_resolves_and_is_checked(name):
    result = check([name], cannabinoids=BOTH)
    assert not result.unknown, name
    assert result.findings or any(c.checked for c in result.cleared), name


@pytest.mark.parametrize(
    ("name", "drug_id"),
    [
        ("St John's wort", "st-johns-wort"),
        ("grapefruit", "grapefruit"),
        ("a glass of wine", "alcohol"),
        ("wine", "alcohol"),
        ("the pill", "combined-pill"),
        ("blood thinners", "class:anticoagulant"),
        ("sleeping pills", "class:hypnotic"),
        ("antihistamines", "class:sedating-antihistamine"),
        ("Keppra", "levetiracetam"),
        ("Vesicare", "solifenacin"),
        ("Prograf", "tacrolimus"),
        ("cyclosporine", "ciclosporin"),
        ("Paxlovid", "ritonavir"),
    ],
)
def test_everyday_words_brands_and_classes_resolve(name, drug_id):
    r = resolve(name)
    assert r is not None and r.drug.id == drug_id


def test_a_strong_cyp3a4_inhibitor_raises_thc_and_cbd():
    r = check(["clarithromycin"], cannabinoids=BOTH)
    thc = next(f for f in r.findings if f.cannabinoid == "thc")
    assert "THC levels may rise" in thc.direction and "drug-raises-cannabinoid" in thc.rules
    assert thc.citations  # label-referenced


def test_an_inducer_lowers_cannabinoids():
    for name in ("St John's wort", "carbamazepine"):
        cbd = next(f for f in check([name], cannabinoids={"cbd"}).findings if f.cannabinoid == "cbd")
        assert "CBD levels may fall" in cbd.direction, name


def test_a_documented_pair_overrides_the_derived_rule():
    f = next(f for f in check(["ketoconazole"], cannabinoids={"thc"}).findings if f.cannabinoid == "thc")
    assert f.evidence == "documented" and "+27 %" in f.direction and f.rules == ("pair:ketoconazole+thc",)


def test_cbd_may_blunt_a_prodrug_activated_by_cyp2c19():
    f = next(f for f in check(["Plavix"], cannabinoids={"cbd"}).findings if f.cannabinoid == "cbd")
    assert "may work less well" in f.direction and "CYP2C19" in f.direction
    assert "levels of clopidogrel may rise" not in f.direction


def test_qt_and_narrow_index_drugs_say_why_a_rise_matters():
    f = next(f for f in check(["quetiapine"], cannabinoids={"cbd"}).findings if f.cannabinoid == "cbd")
    assert f.severity == "monitor" and "heart rhythm" in f.direction


def test_sleeping_pills_and_antihistamines_add_sedation():
    for name in ("sleeping pills", "antihistamines"):
        f = next(f for f in check([name], cannabinoids={"thc"}).findings if f.cannabinoid == "thc")
        assert "drowsiness" in f.direction, name


def test_a_known_drug_with_no_route_affected_says_no_known_interaction_checked():
    r = check(["metformin"], cannabinoids=BOTH)
    assert not r.findings and not r.unknown
    assert [(c.drug, c.checked) for c in r.cleared] == [("metformin", True)]


def test_an_unknown_name_stays_unknown_with_did_you_mean():
    r = check(["Lasex"], cannabinoids=BOTH)  # one slip from Lasix AND two from Losec: never guessed
    assert r.unknown == ("Lasex",) and not r.findings and not r.cleared
    assert "furosemide" in r.suggestions["Lasex"]


@pytest.mark.parametrize(
    ("name", "drug_id"),
    [
        ("prednisone", "prednisone"),
        ("prednisolone", "prednisolone"),
        ("Celexa", "citalopram"),
        ("Celebrex", "celecoxib"),
        ("hydroxyzine", "hydroxyzine"),
        ("hydralazine", "hydralazine"),
        ("clonidine", "clonidine"),
        ("Klonopin", "clonazepam"),
        ("tramadol", "tramadol"),
        ("trazodone", "trazodone"),
        ("Lamictal", "lamotrigine"),
        ("Lamisil", "terbinafine"),
        ("quinine", "quinine"),
        ("quinidine", "quinidine"),
        ("Zyprexa", "olanzapine"),
        ("Zyrtec", "cetirizine"),
    ],
)
def test_look_alike_medicines_each_resolve_to_themselves(name, drug_id):
    assert resolve(name).drug.id == drug_id


@pytest.mark.parametrize(
    "name", ["carbimazole", "Cerebyx", "chlorpropamide", "clomiphene", "trandolapril", "estriol", "nefazodone", "Taxol"]
)
def test_real_medicines_not_in_the_vocabulary_are_never_read_as_a_neighbour(name):
    assert resolve(name) is None
    assert check([name], cannabinoids=BOTH).unknown == (name,)


def test_did_you_mean_only_suggests():
    assert resolve("carbamazapine") is None or resolve("carbamazapine").drug.id == "carbamazepine"
    assert "carbamazepine" in did_you_mean("carbamazapin")
