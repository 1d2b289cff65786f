"""The article claim checker's core: claims found, verdicts from the cards, never 'supported' without evidence."""

from __future__ import annotations

import pytest

from bench.claims_eval import load_expected, score
from dosewise.knowledge import kb
from dosewise.knowledge.claims import check_article
from dosewise.knowledge.claims.data import card_files, load_cards
from dosewise.knowledge.references import load_references

GRADE_VERDICT = {
    "substantial": "supported",
    "moderate": "supported",
    "limited": "limited",
    "insufficient": "unsupported",
    "evidence-of-no-effect": "contradicted",
}


def _one(sentence: str, context: str = ""):
    result = check_article(f"{context}\n\n{sentence}" if context else sentence)
    matching = [c for c in result.claims if c.sentence == sentence]
    assert matching, f"not found as a claim: {sentence!r} (claims: {[c.sentence for c in result.claims]})"
    return matching[0]


def test_the_evaluation_set_meets_the_goals():
    s = score()
    assert s.recall >= 0.90, s.misses
    assert s.precision >= 0.85, s.extra
    assert s.agreement >= 0.85, s.disagreements


def test_no_claim_is_graded_supported_where_the_evidence_is_limited_absent_or_contrary():
    assert score().false_supported == []
    assert score(load_expected("holdout.yaml")).false_supported == []
    assert score(load_expected("holdout_2.yaml")).false_supported == []


@pytest.mark.parametrize("card", [c for c in load_cards() if c.verdict != "supported"], ids=lambda c: c.id)
def test_asserting_a_card_that_is_not_supported_is_never_supported(card):
    """Each card's own statement, as an article would write it, gets no better than the card's verdict."""
    claim = _one(card.statement)
    assert claim.verdict != "supported", (card.id, claim)


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("CBD oil relieves dystonia.", "unsupported"),
        ("CBD can be used as a monotherapy for ALS.", "unsupported"),
        ("Riluzole restores muscle strength.", "contradicted"),
        ("Marijuana relaxes muscles by targeting the cause of spasms.", "unsupported"),
        ("Sativex eases muscle stiffness in people with multiple sclerosis.", "supported"),
        ("Sativex is clinically proven to eliminate stiffness in multiple sclerosis.", "limited"),
        ("Nabiximols did not improve stiffness after a stroke in a randomised trial.", "supported"),
        ("CBD oil eases stiffness in multiple sclerosis.", "unsupported"),
        ("CBD can raise the INR of people who take warfarin.", "supported"),
        ("CBD has no side effects.", "contradicted"),
        ("CBD calms anxiety.", "not-covered"),
    ],
)
def test_claims_people_read(sentence, verdict):
    assert _one(sentence).verdict == verdict


def test_a_claim_says_what_it_is_about_and_cites_its_evidence():
    claim = _one("THC stops the cramps of ALS.")
    assert claim.substances == ("thc",) and claim.conditions == ("als",) and "cramps" in claim.outcomes
    assert claim.verdict == "contradicted"
    assert "weber2010-dronabinol-als" in claim.refs and "no effect" in claim.explanation


def test_flags_for_misleading_writing():
    assert "animal" in _one("In mice, CBD protected nerve cells, proving it can stop ALS.").flags
    assert "animal" in _one("THC slows the progression of ALS.").flags
    assert "mechanism" in _one("CBD activates CB1 receptors, which calms spasms.").flags
    assert "absolute" in _one("CBD is a miracle cure for dystonia.").flags
    checked = check_article("Buy now! 20% off today.\n\nCBD oil relieves dystonia.")
    assert checked.selling and "selling" in checked.claims[0].flags


def test_a_result_told_as_an_animal_result_is_limited_not_a_human_benefit():
    assert _one("In mice, THC delayed ALS and the mice survived longer.").verdict == "limited"


def test_a_pronoun_takes_the_substance_named_before():
    result = check_article("Sativex is a mouth spray.\n\nIt eases stiffness in multiple sclerosis.")
    assert result.claims[-1].substances == ("nabiximols",) and result.claims[-1].verdict == "supported"


def test_a_sentence_about_the_condition_alone_is_not_a_claim():
    result = check_article("CBD oil is popular. Fibromyalgia causes widespread pain, and it is hard to treat.")
    assert result.claims == ()
    assert "No health claims" in result.message


def test_the_summary_ranks_corrections_and_lists_what_was_left_out():
    text = (
        "CBD oil relieves dystonia. CBD is completely safe and has no side effects. "
        "Riluzole restores muscle strength. CBD can be used instead of riluzole for ALS."
    )
    result = check_article(text)
    assert len(result.corrections) == 3
    assert [c.verdict for c in result.corrections][0] == "contradicted"
    assert set(result.omitted) == {"harms", "interactions", "who-should-not"}
    assert {n.topic for n in result.safety_notes} == {"harms", "interactions", "who-should-not"}
    assert sum(result.counts.values()) == len(result.claims) == 4


def test_non_english_text_is_refused():
    from dosewise.errors import InvalidInput

    with pytest.raises(InvalidInput, match="English"):
        check_article("El aceite de CBD alivia la distonía y reduce los espasmos en pacientes con esclerosis múltiple.")


def test_every_card_is_cited_and_every_reference_resolves():
    refs = load_references()
    assert card_files() == ["claims/evidence.yaml", "claims/general.yaml", "claims/vocabulary.yaml"]
    for card in load_cards():
        assert card.refs and all(r in refs for r in card.refs), card.id


def test_cards_keep_the_knowledge_base_grades():
    """A card tied to a guide's evidence item has that item's grade, and a graded card follows its grade."""
    guides = kb.load_conditions()
    for card in load_cards():
        if card.guide:
            items = {e.outcome: e.grade for e in guides[card.guide.condition].evidence}
            assert items[card.guide.outcome] == card.grade, card.id
        if card.grade and card.kind == "benefit":
            assert card.verdict == GRADE_VERDICT[card.grade] or card.grade == "insufficient", card.id


@pytest.mark.parametrize(
    "sentence",
    [
        "There is no doubt that CBD eases the spasms of dystonia.",
        "CBD oil means no more pain for people with fibromyalgia.",
        "Enjoy pain-free nights with our CBD balm for fibromyalgia.",
        "Not only does CBD calm dystonia, it also protects your nerves.",
        "Patients who did not respond to botox found that CBD relieved their dystonia.",
        "Without doubt, cannabis slows ALS.",
        "When I started CBD, my MS stiffness did not just ease, it vanished.",
    ],
)
def test_words_that_only_look_negative_never_turn_a_benefit_claim_into_supported(sentence):
    """'No more pain', 'pain-free', 'no doubt', 'who did not respond' claim a benefit; they deny nothing."""
    result = check_article(sentence)
    assert all(c.verdict != "supported" for c in result.claims), result.claims
