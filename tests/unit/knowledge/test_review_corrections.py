"""Issue 12 review corrections: each checked against its source and pinned on the stored text or finding."""

from __future__ import annotations

from dosewise.knowledge import kb
from dosewise.knowledge.ask import ask
from dosewise.knowledge.entries import all_entries
from dosewise.safety.interactions import check


def _treatment(cid: str, name_start: str) -> str:
    guide = kb.load_conditions()[cid]
    return next(t.text for t in guide.treatments if getattr(t, "name", "").startswith(name_start))


def test_riluzole_says_small_bulbar_and_limb_benefit_and_no_strength_effect():
    text = _treatment("als", "Riluzole")
    assert "bulbar" in text and "limb function" in text and "no effect on muscle strength" in text
    assert "did not improve function" not in text
    myth = next(m for m in kb.load_conditions()["als"].myths if "strength" in m.claim)
    assert myth.answer.startswith("No.") and "bulbar" in myth.answer


def test_riluzole_restores_strength_is_still_refuted_first():
    top = ask("riluzole restores muscle strength").answers[0]
    assert top.condition == "als" and "No." in top.text


def test_move2_relief_figure_is_the_specialists_rating():
    facts = [f.text for f in kb.load_conditions()["ms-spasticity"].practical if "74.6%" in f.text]
    assert facts and all("specialists" in t for t in facts)


def test_tofersen_figures_are_for_the_faster_progressing_subgroup_of_60():
    text = " ".join(_treatment("als", "Tofersen").split())
    assert "60 people with faster-progressing disease" in text and "6.98" in text and "8.14" in text


def test_nice_breathing_thresholds_are_marked_unverified_not_attributed_to_nice_as_fact():
    guide = kb.load_conditions()["als"]
    with_numbers = [f for f in guide.seek_advice if "FVC" in f.text or "SNIP" in f.text]
    assert with_numbers and all(not f.verified for f in with_numbers)
    assert all("nice-ng42" not in f.refs for f in with_numbers)


def test_cbd_raises_omeprazole_not_the_other_way_round():
    f = next(f for f in check(["omeprazole"], cannabinoids={"cbd"}).findings if f.cannabinoid == "cbd")
    assert f.direction.startswith("omeprazole levels may rise") and "CYP2C19" in f.direction


def test_chronic_pain_in_general_finds_nasem_substantial_evidence():
    result = ask("is cannabis good for chronic pain")
    top = result.answers[0]
    assert result.confident and top.condition is None and top.grade == "substantial"
    assert "modest" in top.text and "THC" in top.text and "nasem2017" in top.citations
    general = [e for e in all_entries() if e.condition is None and e.grade == "substantial"]
    assert any("Chronic pain" in e.text for e in general)


def test_cyp3a4_cleared_cns_depressants_name_sedation_and_raised_levels():
    for drug in ("fentanyl", "alprazolam", "midazolam"):
        f = next(f for f in check([drug], cannabinoids={"cbd"}).findings if f.cannabinoid == "cbd")
        assert f"levels of {drug} may rise" in f.direction and "CYP3A4" in f.direction, drug
        assert "drowsiness" in f.direction, drug
