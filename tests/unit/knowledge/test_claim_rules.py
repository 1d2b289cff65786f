"""One test per rule of the claim checker, on small sentences (the rules added after the second held-out set).

Each rule is general (sentence splitting, clause-scoped negation, headings, attribution, contrast, overstatement,
animal results, selling pages, vocabulary); none names an article of the evaluation sets.
"""

from __future__ import annotations

import pytest

from dosewise.knowledge.claims import check_article
from dosewise.knowledge.claims.text import split_sentences


def _claim(sentence: str, context: str = ""):
    result = check_article(f"{context}\n\n{sentence}" if context else sentence)
    matching = [c for c in result.claims if c.sentence == sentence]
    assert matching, f"not found as a claim: {sentence!r} (claims: {[c.sentence for c in result.claims]})"
    return matching[0]


def _no_claim(sentence: str, context: str = "") -> None:
    result = check_article(f"{context}\n\n{sentence}" if context else sentence)
    assert all(c.sentence != sentence for c in result.claims), result.claims


# Sentence splitting


def test_text_typed_without_capitals_is_split_into_sentences():
    got = [s.text for s in split_sentences("weed was a game changer for me. my legs calm right down at night.")]
    assert got == ["weed was a game changer for me.", "my legs calm right down at night."]


def test_abbreviations_and_short_starts_do_not_split_lower_case_text():
    assert len(split_sentences("it eases pain, e.g. the nerve pain of MS vs. placebo.")) == 1
    assert len(split_sentences("BUT. a guy swears it works.")) == 1


def test_a_line_without_end_punctuation_is_marked_as_a_heading():
    first, second = split_sentences("Side effects and interactions\nTHC can cause dizziness.")
    assert first.line and not second.line


# Headings


def test_a_heading_without_a_verb_is_not_a_claim():
    _no_claim("Natural pain relief", "CBD oil is sold everywhere.")
    _no_claim("Side effects and interactions", "Sativex is a mouth spray.")


def test_a_heading_with_a_verb_is_still_a_claim():
    assert _claim("Why marijuana works for muscle spasms").verdict == "unsupported"


# Negation stays in its clause


@pytest.mark.parametrize(
    "sentence",
    [
        "The spray can affect memory and concentration, so do not drive until you know how it affects you.",
        "I do not drive after a dose, because THC can add to the sleepiness of other medicines.",
        "Because many people do not respond, NICE advises a four-week trial of Sativex for MS stiffness.",
        "CBD products often do not contain the amount stated on the label, and some contain THC.",
    ],
)
def test_a_negator_does_not_deny_what_another_clause_says(sentence):
    assert _claim(sentence, "Sativex is a mouth spray.").verdict == "supported"


def test_a_list_after_a_negator_stays_denied():
    sentence = "In the stroke trial, nabiximols did not improve stiffness, muscle activity, and Ashworth scores."
    assert _claim(sentence).verdict == "supported"


def test_a_negator_about_the_evidence_denies_the_claim_reported_before_it():
    assert _claim("Websites claim that cannabis slows ALS, but there are no human trials.").verdict == "supported"


def test_the_main_clause_negator_denies_a_leading_clause():
    sentence = (
        "When clinicians measured MS muscle tone with the Ashworth scale, the largest cannabis trial found no change."
    )
    assert _claim(sentence).verdict == "supported"


def test_a_negator_in_a_description_of_people_denies_nothing():
    sentence = "Sativex is licensed for people whose spasticity has not responded to other medicines."
    assert _claim(sentence).verdict == "supported"


def test_never_and_no_deny_facts():
    claim = _claim("Sativex has never been approved by the US Food and Drug Administration.")
    assert claim.verdict == "supported" and "absolute" not in claim.flags


def test_never_as_advice_is_not_an_absolute_claim():
    sentence = "Never stop riluzole to try cannabis instead: no trial has tested cannabis in place of ALS treatment."
    claim = _claim(sentence)
    assert claim.verdict == "supported" and claim.flags == ()


def test_showed_no_improvement_denies():
    assert _claim("In dystonia, trials of nabilone showed no improvement over placebo.").verdict == "supported"


# Overstatement, animal results, mechanisms


def test_an_overstated_supported_benefit_is_limited_without_an_absolute_flag():
    claim = _claim("Sativex stopped my MS spasms completely.")
    assert claim.verdict == "limited" and "absolute" not in claim.flags


def test_an_animal_result_told_as_such_is_limited_whatever_the_human_evidence():
    assert _claim("In rodents, cannabinoids slowed the course of the disease in a model of MS.").verdict == "limited"


def test_nerve_cells_are_not_a_lab_result():
    claim = _claim("CBD protects nerve cells from damage in ALS.")
    assert claim.verdict == "unsupported" and "animal" in claim.flags


def test_a_mechanism_is_graded_even_for_a_condition_dosewise_does_not_cover():
    claim = _claim("As a natural anti-inflammatory, CBD helps with arthritis pain.")
    assert claim.verdict == "unsupported" and "mechanism" in claim.flags


# Which substance a sentence is about


def test_a_substance_named_as_a_source_or_in_contrast_is_not_the_subject():
    claim = _claim("Unlike THC, it will not get you high.", "CBD is one of many compounds found in the cannabis plant.")
    assert claim.substances == ("cbd",) and claim.verdict == "supported"


def test_an_attribution_after_a_quote_is_not_read():
    claim = _claim('"CBD heals MS," said a spokesperson for a cannabis group.')
    assert claim.substances == ("cbd",) and claim.verdict == "unsupported"


def test_added_to_usual_care_is_not_an_attribution():
    assert (
        _claim("A small trial found that nabiximols, added to usual care, eased stiffness in ALS.").verdict == "limited"
    )


def test_on_a_page_that_sells_a_sentence_without_a_substance_is_about_the_product():
    text = "Night Ease is a THC tincture. Add to cart: $49.\n\nNight Ease melts away MS stiffness in minutes."
    claim = next(c for c in check_article(text).claims if c.sentence.startswith("Night Ease melts"))
    assert claim.verdict == "limited"


# Selling and boilerplate


def test_buy_sells_only_when_it_opens_a_sentence():
    assert not check_article("Most people buy CBD online. CBD oil relieves dystonia.").selling
    assert check_article("Buy 2, get 1 free! CBD oil relieves dystonia.").selling


def test_standard_disclaimers_and_study_plans_are_not_claims():
    context = "CBD oil relieves dystonia."
    _no_claim("These statements have not been evaluated by the Food and Drug Administration.", context)
    _no_claim("This product is not intended to diagnose, treat, cure or prevent any disease.", context)
    _no_claim("The team plans an early safety study of CBD in people next year.", context)


def test_better_than_placebo_is_not_a_comparison_with_usual_treatment():
    assert _claim("In trials, nabiximols worked better than placebo for MS stiffness.").verdict == "supported"


def test_a_number_instead_of_another_is_not_a_replacement():
    assert _claim("Sativex eased my MS stiffness to 5 out of 10 instead of 8.").verdict == "supported"


# Grading rules


def test_sleep_evidence_does_not_carry_over_to_conditions_where_it_was_not_studied():
    assert _claim("Cannabis helps me sleep after my spinal cord injury.").verdict == "limited"
    assert _claim("THC improves sleep in MS.").verdict == "supported"


def test_only_sativex_is_licensed():
    assert _claim("Cannabis is licensed in the UK for MS spasticity.").verdict != "supported"


def test_a_statement_that_the_evidence_is_limited_is_a_claim():
    assert _claim("The evidence for cannabis and bladder symptoms in MS is limited.").verdict == "limited"


def test_a_vague_benefit_in_an_article_about_one_condition_is_a_claim_at_best_limited():
    context = "I have had a spinal cord injury since 2019. My spinal cord injury spasms are bad."
    assert _claim("honestly weed was a total game changer.", context).verdict == "limited"


# Vocabulary


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("Botulinum toxin injections remain the main treatment for cervical dystonia.", "supported"),
        ("CBD oil plays nicely with your other prescriptions.", "contradicted"),
        ("Cannabis and tizanidine together knock me out.", "supported"),
        ("THC made me wobbly and I had a fall.", "supported"),
        ("It loosens tight arms and legs after a stroke.", "contradicted"),
        ("CBD does the same job as Sativex for MS stiffness.", "unsupported"),
        ("Oral THC did not slow the worsening of disability in progressive MS.", "supported"),
        ("CBD takes the edge off an anxious mind.", "not-covered"),
    ],
)
def test_synonyms_people_write(sentence, verdict):
    assert _claim(sentence, "THC and CBD are cannabis compounds.").verdict == verdict


def test_falling_asleep_is_sleep_not_a_fall():
    claim = _claim("CBD helps you fall asleep faster.")
    assert "sleep" in claim.outcomes and "falls" not in claim.outcomes
