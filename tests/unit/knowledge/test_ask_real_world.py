"""Ask, as people really type (held-out set 3): slang names, ruled-out conditions, ordinary words left alone,
safety subjects first, honest "not covered" for what the sources do not answer, stopping a medicine is a
safety question, and an unknown medicine is still never answered as safe."""

from __future__ import annotations

import pytest

from dosewise.knowledge.ask import ask, negated, understand


@pytest.mark.parametrize(
    ("question", "condition"),
    [
        ("T4 complete para, spasms wreck my sleep. is thc worth it", "sci-spasticity"),
        ("incomplete c5 injury, can cannabis help spasticity", "sci-spasticity"),
        ("quad here, spasms every night, nabilone worth a shot?", "sci-spasticity"),
        ("does weed help my legs jumping at night", "muscle-cramps"),
    ],
)
def test_everyday_names_for_a_condition_are_understood(question, condition):
    result = ask(question)
    assert result.understood.conditions == (condition,)
    assert result.confident and result.answers[0].condition == condition


@pytest.mark.parametrize(
    ("question", "condition"),
    [
        ("my neuro says it is not MS, it is dystonia. will cannabis help?", "dystonia"),
        ("i don't have ms, i have a spinal cord injury - does sativex still work for me", "sci-spasticity"),
        ("i dont think its dystonia, my gp says cramps. does thc help cramps?", "muscle-cramps"),
    ],
)
def test_a_condition_named_only_to_rule_it_out_does_not_count(question, condition):
    result = ask(question)
    assert result.understood.conditions == (condition,)
    assert result.answers[0].condition == condition


def test_negation_only_counts_right_before_the_name():
    assert negated(" it is not ms ", "ms", ("not",))
    assert not negated(" not sure but ms is what i have ", "ms", ("not",))
    assert not negated(" not ms but ms anyway ", "ms", ("not",))  # one plain mention is enough


def test_ordinary_words_are_not_corrected_into_knowledge_base_words():
    assert "neuro" in understand("is it safe NOT to tell my neuro im using cbd").words
    words = understand("can i take my cbd on holiday to spain").words
    assert "spain" in words and "pain" not in words  # a short word keeps its first letter
    assert "dystonia" in understand("distonia cannabis reserch").words  # real typos are still fixed


def test_a_symptom_word_in_another_form_does_not_name_a_second_condition():
    result = ask("my husband has mnd and his legs keep cramping at night, would weed help")
    assert result.understood.conditions == ("als",)
    assert result.answers[0].condition == "als"


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("breastfeeding and using thc gummies for my ms spasms, is that ok", "breastfeeding"),
        ("can i use nabilone while nursing my baby", "breastfeeding"),
        ("ms and pregnant, can i keep using sativex", "pregnancy"),
        ("i have als, is it ok to drive on nabilone", "drive"),
        ("is thc safe for teenagers", "under 18"),
        ("is it ok to drink on thc", "alcohol"),
    ],
)
def test_a_safety_subject_is_answered_from_the_entry_that_mentions_it_even_with_a_condition(question, word):
    result = ask(question)
    top = result.answers[0]
    assert result.confident and top.condition is None
    assert word in top.text.lower()


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("how should i store my cbd oil, fridge or not", "store"),
        ("how long till cbd gummies kick in", "starts to work"),
        ("do you build up a tolerance to thc", "tolerance"),
        ("withdrawal symptoms from quitting weed after years", "withdrawal"),
        ("full spectrum vs isolate, which is better for spasms", "spectrum"),
        ("is hemp seed oil the same as cbd oil", "hemp seed"),
        ("my oil is 10% how many drops is 20mg", "drops or ml"),
        ("are edibles stronger than smoking", "ways of taking"),
        ("can i take cbd before my surgery next week", "surgery"),
        ("how long does sativex stay in your system", "stays in the body"),
    ],
)
def test_what_the_sources_do_not_answer_gets_the_honest_not_covered_reply(question, subject):
    result = ask(question)
    assert not result.confident
    assert "do not cover" in result.message and subject in result.message


@pytest.mark.parametrize("question", ["can i take my cbd on holiday to spain", "best cbd brand uk"])
def test_travel_and_brands_are_out_of_scope(question):
    result = ask(question)
    assert not result.confident and "does not cover" in result.message


@pytest.mark.parametrize(
    "question", ["does cbd help with hiccups", "does cannabis help stuttering", "cbd for tennis elbow"]
)
def test_an_unknown_subject_is_declined_without_other_conditions_evidence(question):
    result = ask(question)
    assert not result.confident and "no guide for that" in result.message
    assert all(a.condition is None for a in result.answers)


def test_an_unknown_word_that_is_not_the_subject_does_not_block_an_answer():
    result = ask("i drive for a living and use cbd oil only, is that ok")
    assert result.confident and result.answers[0].topic == "side-effects"


def test_stopping_a_medicine_is_answered_with_its_withdrawal_warning():
    result = ask("is it dangerous to just stop my baclofen now that the sativex works")
    assert result.confident and result.answers[0].topic == "red-flags"
    assert "baclofen" in result.answers[0].text.lower()


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("started thc last week and now having dark thoughts about hurting myself", "self-harm"),
        ("i took too much thc and my heart is racing what do i do", "heartbeat"),
        ("fell twice this week since upping my sativex", "A fall"),
        ("my friend ate a whole pot brownie and is seeing things, should we go to a and e", "Hallucinations"),
    ],
)
def test_red_flags_in_plain_words_get_the_matching_warning_first(question, title):
    result = ask(question)
    assert result.confident and result.answers[0].topic == "red-flags"
    assert title in result.answers[0].text


def test_other_word_forms_match_the_entry_words():
    top = ask("throwing up all the time, been smoking daily for years").answers[0]
    assert "hyperemesis" in top.text


def test_an_unrecognised_medicine_class_is_still_never_answered_as_safe():
    result = ask("can i take cbd with my blood pressure tablets")
    assert not result.confident and "did not recognise a medicine" in result.message


def test_a_question_naming_no_second_thing_is_not_treated_as_an_unknown_medicine():
    result = ask("is it safe NOT to tell my neuro im using cbd")
    assert result.confident and result.answers[0].topic == "interactions"


def test_a_products_name_is_not_counted_twice_against_the_named_conditions_own_entry():
    result = ask("how many sprays of sativex did they use in the als trial")
    assert (result.answers[0].condition, result.answers[0].topic) == ("als", "dosing")


def test_a_symptom_no_guide_covers_is_not_answered_with_the_conditions_other_evidence():
    result = ask("does thc help ALS drooling")
    assert not result.confident and "drooling" in result.message


def test_a_guides_not_known_placeholder_does_not_answer_a_question_about_no_condition():
    result = ask("what are red flags when using cbd")
    assert result.confident and result.answers[0].condition is None
    assert all("not known" not in a.text.lower()[:60] for a in result.answers)


@pytest.mark.parametrize(
    "question", ["is it normal to feel spaced out on sativex", "sativex sprays burn my mouth", "cbd makes me woozy"]
)
def test_side_effects_in_slang_are_answered_as_side_effects(question):
    result = ask(question)
    assert result.confident and result.answers[0].topic == "side-effects"


def test_what_a_product_causes_is_a_side_effect_question():
    result = ask("can cbd cause diarrhea")
    assert result.confident and result.answers[0].topic == "side-effects"
    assert "diarrhoea" in result.answers[0].text


def test_a_measurement_named_alone_is_not_a_red_flag_answer():
    assert not ask("does cbd lower blood pressure").confident


def test_whether_to_keep_going_is_answered_from_the_dosing_schedule():
    result = ask("sativex not working after 6 weeks should i keep going")
    assert result.confident and result.answers[0].topic == "dosing"
    assert "4 weeks" in result.answers[0].text


def test_a_contraindication_question_finds_the_caution_entry():
    result = ask("is sativex ok if i have a heart condition")
    assert result.confident and result.answers[0].topic == "side-effects"
    assert any("heart disease" in a.text or "Same contraindications" in a.text for a in result.answers[:2])


@pytest.mark.parametrize("question", ["thc vape cartridge vs sativex", "cbd gummies or sativex, which is better"])
def test_comparing_two_products_is_honestly_not_covered(question):
    result = ask(question)
    assert not result.confident and "comparing" in result.message


def test_one_product_with_vs_is_not_a_comparison():
    assert ask("total thc vs delta 9 thc on a label").confident


def test_feeling_drunk_with_a_worry_is_a_side_effect_question():
    result = ask("started sativex two weeks ago and I feel drunk in the evenings. Should I be worried?")
    assert result.confident and result.answers[0].topic == "side-effects"


def test_a_childs_age_brings_what_is_said_about_under_18s():
    result = ask("my son is 15 years old, is thc safe for him")
    assert result.confident and "under 18" in result.answers[0].text
    assert "under 18" not in understand("my mum is 78 years old and has ms").safety


def test_eating_too_many_gummies_with_a_pounding_heart_is_a_red_flag():
    result = ask("ate too many gummies, feel awful and heart pounding")
    assert result.confident and result.answers[0].topic == "red-flags"


def test_how_long_it_takes_to_leave_the_body_is_not_covered():
    assert not ask("how long does cbd take to leave your body").confident
