"""The checker derives findings by mechanism and class; documented pairs override; unknown is never 'safe'."""

import pytest

from dosewise.safety.interactions import check, dangling_references

BOTH = {"cbd", "thc"}


def _one(result, drug_id, cannabinoid):
    found = [f for f in result.findings if f.drug_id == drug_id and f.cannabinoid == cannabinoid]
    assert len(found) == 1, f"expected one {drug_id}+{cannabinoid} finding, got {found}"
    return found[0]


def test_every_reference_in_the_interaction_data_resolves():
    assert dangling_references() == []


def test_a_benzodiazepine_without_a_listed_pair_is_flagged_for_sedation():
    r = check(["lorazepam"], cannabinoids=BOTH)
    for c in ("cbd", "thc"):
        f = _one(r, "lorazepam", c)
        assert f.severity == "monitor" and f.evidence == "theoretical"
        assert "additive-sedation" in f.rules and "drowsiness" in f.direction


def test_an_opioid_is_flagged_for_breathing():
    f = _one(check(["oxycodone"], cannabinoids={"thc"}), "oxycodone", "thc")
    assert "breathing" in f.direction and "additive-breathing" in f.rules


def test_a_drug_named_only_by_class_is_checked():
    r = check(["an opioid", "benzodiazepine"], cannabinoids={"thc"})
    assert {f.drug_id for f in r.findings} == {"class:opioid", "class:benzodiazepine"}
    assert r.unknown == ()


def test_a_cyp2c19_substrate_without_a_pair_is_flagged_through_cbd_inhibition():
    f = _one(check(["citalopram"], cannabinoids={"cbd"}), "citalopram", "cbd")
    assert f.rules == ("cbd-inhibits-clearance",)
    assert "CYP2C19" in f.direction and f.severity == "theoretical" and f.evidence == "theoretical"


def test_a_narrow_therapeutic_index_drug_is_raised_to_monitor():
    f = _one(check(["mexiletine"], cannabinoids={"cbd"}), "mexiletine", "cbd")
    assert f.rules == ("cbd-inhibits-clearance",) and f.severity == "monitor"


def test_no_route_means_no_invented_finding():
    assert check(["theophylline"], cannabinoids={"thc"}).findings == ()


def test_a_documented_pair_overrides_the_derived_finding_with_its_numbers():
    f = _one(check(["Onfi"], cannabinoids={"cbd"}), "clobazam", "cbd")
    assert (f.severity, f.evidence) == ("serious", "documented")
    assert "2.6" in f.direction and "vanlandingham2020" in f.citations
    assert f.matched_as.startswith("clobazam")


@pytest.mark.parametrize(
    ("name", "severity"),
    [
        ("warfarin", "serious"),
        ("valproate", "serious"),
        ("tacrolimus", "serious"),
        ("everolimus", "serious"),
        ("sirolimus", "serious"),
        ("brivaracetam", "monitor"),
        ("stiripentol", "monitor"),
    ],
)
def test_documented_cbd_pairs_have_their_own_evidence(name, severity):
    f = _one(check([name], cannabinoids={"cbd"}), name, "cbd")
    assert f.severity == severity and f.evidence == "documented" and f.citations


def test_thc_only_findings_do_not_appear_for_cbd_only_products():
    r = check(["tizanidine"], cannabinoids={"cbd"})
    assert {f.cannabinoid for f in r.findings} == {"cbd"}


def test_smoking_flags_cyp1a2_drugs_both_ways():
    f = _one(check(["riluzole"], cannabinoids=set(), smoked=True), "riluzole", "smoke")
    assert "fall while you smoke" in f.direction and "after you stop" in f.direction


def test_unknown_names_are_reported_unknown_never_as_no_interaction():
    r = check(["blorbium", "baclofen"], cannabinoids=BOTH)
    assert r.unknown == ("blorbium",)
    assert all(f.drug != "blorbium" for f in r.findings)


def test_findings_are_sorted_most_serious_first():
    r = check(["diazepam", "warfarin", "citalopram"], cannabinoids=BOTH)
    order = ["serious", "monitor", "theoretical", "low"]
    ranks = [order.index(f.severity) for f in r.findings]
    assert ranks == sorted(ranks) and r.findings[0].drug_id == "warfarin"


def test_unverified_facts_are_marked_unverified():
    r = check(["baclofen", "mexiletine"], cannabinoids={"cbd"})
    assert all(not f.verified for f in r.findings if f.drug_id == "mexiletine")
    assert all(not f.verified for f in r.findings if f.drug_id == "baclofen" and f.cannabinoid == "cbd")
    assert any(f.drug_id == "mexiletine" for f in r.findings)


REQUIRED = [
    "riluzole",
    "edaravone",
    "tofersen",
    "baclofen",
    "tizanidine",
    "dantrolene",
    "gabapentin",
    "pregabalin",
    "diazepam",
    "clonazepam",
    "morphine",
    "tramadol",
    "trihexyphenidyl",
    "botulinum toxin",
    "amitriptyline",
    "nortriptyline",
    "citalopram",
    "sertraline",
    "levodopa",
    "mexiletine",
    "quinine",
    "clobazam",
    "valproate",
    "warfarin",
    "tacrolimus",
    "everolimus",
    "sirolimus",
    "brivaracetam",
    "stiripentol",
    "alcohol",
]


@pytest.mark.parametrize("name", REQUIRED)
def test_every_required_drug_is_known_and_gets_a_finding(name):
    r = check([name], cannabinoids=BOTH)
    assert r.unknown == ()
    assert r.findings, f"{name} produced no finding at all"
    for f in r.findings:
        assert f.severity in ("serious", "monitor", "theoretical", "low")
        assert f.evidence in ("documented", "theoretical")
        assert f.direction and f.monitor and f.ask_prescriber and f.citations


def test_quinine_carries_the_fda_warning_whatever_the_cannabinoid():
    f = _one(check(["quinine"], cannabinoids={"thc"}), "quinine", "any")
    assert f.severity == "serious" and "leg cramps" in f.direction


def test_a_verified_warning_stays_verified_for_a_drug_with_unverified_data():
    r = check(["baclofen"], cannabinoids={"thc"})
    assert _one(r, "baclofen", "any").verified  # the withdrawal warning is from the label
    assert not _one(r, "baclofen", "thc").verified  # the sedation entry rests on unverified notes


def test_combination_products_are_checked_part_by_part():
    r = check(["oxycodone/paracetamol", "carbidopa + levodopa"], cannabinoids={"cbd", "thc"})
    assert {"oxycodone", "levodopa"} <= {f.drug_id for f in r.findings}
    assert set(r.unknown) == {"carbidopa"}  # a part not in the data stays "not checked"
    assert [c.drug for c in r.cleared] == ["paracetamol"]  # a known part with no rule: "no known interaction"
