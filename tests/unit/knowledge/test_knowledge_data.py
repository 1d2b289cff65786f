"""The curated knowledge base: complete guides, every claim cited, only verified codes, honest mechanisms."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from dosewise.knowledge import kb
from dosewise.knowledge.references import load_references, load_yaml
from dosewise.knowledge.schema import ConditionGuide, Fact, Mechanism
from dosewise.model.people import CONDITIONS

# SNOMED CT codes the reference notes mark as checked; SCI and post-stroke codes are not verified.
VERIFIED_SNOMED = {
    "als": "86044005",
    "ms-spasticity": "24700007",
    "dystonia": "15802004",
    "muscle-cramps": "55300003",
    "fibromyalgia": "203082005",
}
SECTIONS = ("what_it_is", "causes", "symptoms", "treatments", "evidence", "mechanism_notes", "practical", "seek_advice")


def test_every_condition_a_person_can_have_has_a_guide():
    assert list(kb.load_conditions()) == list(CONDITIONS)


@pytest.mark.parametrize("cid", list(CONDITIONS))
def test_every_section_is_filled_or_says_not_known(cid):
    guide = kb.load_conditions()[cid]
    for section in SECTIONS:
        items = getattr(guide, section)
        assert items, f"{cid}: section {section} is empty"
        for item in items:
            if getattr(item, "not_known", False):
                assert "not known" in item.text.lower(), f"{cid}.{section}: a gap must say 'not known'"
            else:
                assert item.refs, f"{cid}.{section}: a claim without references"


def test_no_reference_is_dangling():
    assert kb.dangling_references() == []
    assert kb.unknown_mechanisms() == []


def test_every_evidence_item_and_study_is_cited_and_graded():
    refs = load_references()
    for guide in kb.load_conditions().values():
        for item in guide.evidence:
            assert item.grade in {"substantial", "moderate", "limited", "insufficient", "evidence-of-no-effect"}
            assert all(r in refs for r in item.refs)
            for study in item.studies:
                assert study.refs and all(r in refs for r in study.refs)


def test_a_fact_without_a_reference_is_rejected_at_load():
    with pytest.raises(ValidationError, match="no reference"):
        Fact.model_validate({"text": "CBD cures everything."})
    raw = load_yaml("conditions/als.yaml")
    raw["evidence"][0]["refs"] = []
    with pytest.raises(ValidationError):
        ConditionGuide.model_validate(raw)


def test_an_unknown_grade_is_rejected():
    raw = load_yaml("conditions/dystonia.yaml")
    raw["evidence"][0]["grade"] = "promising"
    with pytest.raises(ValidationError):
        ConditionGuide.model_validate(raw)


def test_snomed_codes_only_where_verified():
    codes = {cid: g.snomed.code for cid, g in kb.load_conditions().items() if g.snomed}
    assert codes == VERIFIED_SNOMED


def test_key_numbers_from_the_trials_are_in_the_guides():
    als = kb.load_conditions()["als"]
    text = " ".join(t.text for t in als.treatments)
    assert "about 3 months" in text and "does not restore" in text
    grades = {e.outcome: e.grade for e in als.evidence}
    assert grades == {
        "Spasticity (stiffness)": "limited",
        "Muscle cramps": "evidence-of-no-effect",
        "Slowing the disease or survival": "insufficient",
    }
    ms = {e.outcome: e.grade for e in kb.load_conditions()["ms-spasticity"].evidence}
    assert ms["Spasticity as rated by the person"] == "substantial"
    assert ms["Spasticity measured by a clinician (Ashworth)"] == "limited"


def test_mechanisms_are_labelled_and_never_claim_cbd_activates_cb1():
    mechanisms = kb.load_mechanisms()
    assert "cbd-not-cb1" in mechanisms
    for m in mechanisms.values():
        assert isinstance(m, Mechanism) and m.level
        assert "human" not in m.level, "no mechanism here has human evidence of clinical benefit"
    trap = mechanisms["cbd-not-cb1"].text
    assert "does not activate CB1" in trap
    for guide in kb.load_conditions().values():
        assert "cbd-not-cb1" in guide.mechanisms, f"{guide.id} must carry the CBD/CB1 trap"


def test_route_onset_and_duration_are_not_known_because_the_sources_do_not_give_them():
    agents = {a.id: a for a in kb.load_cannabinoids().agents}
    assert set(agents) == {"cbd", "thc", "nabiximols", "dronabinol", "nabilone", "smoked-vaped"}
    for agent in agents.values():
        for route in agent.routes:
            assert route.onset == "not known" and route.duration == "not known"


def test_unverified_facts_cite_an_unverified_source_or_say_so():
    refs = load_references()
    assert refs["unverified-clinical-notes"].verified is False
    nabilone = next(a for a in kb.load_cannabinoids().agents if a.id == "nabilone")
    assert all(not f.verified for f in nabilone.side_effects), "nabilone frequencies are (m) in the notes"


def test_each_guide_lists_the_red_flag_rules_that_apply():
    raw = load_yaml("red_flags.yaml")
    for cid in CONDITIONS:
        expected = {r["id"] for r in raw if "all" in r["applies_to"] or cid in r["applies_to"]}
        assert {r.id for r in kb.red_flags_for(cid)} == expected
    als_ids = [r.id for r in kb.red_flags_for("als")]
    assert "als-breathing" in als_ids and als_ids.index("als-breathing") == 0, "urgent, specific rules first"
    assert "sci-autonomic-dysreflexia" not in als_ids
