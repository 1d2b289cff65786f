"""Ask, as people ask (issue 12): a named condition wins, sub-types map to their condition and look-alikes
are not confused, questions with no condition get a general answer, other treatments and safety are
answered from the label/guide data, and every answer starts with one plain sentence."""

from __future__ import annotations

import pytest

from dosewise.knowledge.ask import ask
from dosewise.services.knowledge import ask_question


def test_a_claim_about_a_named_condition_is_answered_first_for_that_condition():
    result = ask("I read an article that says CBD oil cures dystonia — is that true?")
    assert result.confident and "Which condition" not in result.message
    top = result.answers[0]
    assert top.condition == "dystonia" and top.text.startswith('The claim "')
    assert all(a.condition in ("dystonia", None) for a in result.answers)


@pytest.mark.parametrize(
    ("question", "condition"),
    [
        ("does cannabis help writer's cramp", "dystonia"),
        ("what is writers cramp", "dystonia"),
        ("can medical marijuana help blepharospasm", "dystonia"),
        ("is cbd any use for spasmodic torticollis", "dystonia"),
        ("does sativex help people with MND", "als"),
        ("what are the early symptoms of Lou Gehrig's disease", "als"),
        ("does cannabis help spasms in paraplegia", "sci-spasticity"),
        ("does thc help leg cramps at night", "muscle-cramps"),
    ],
)
def test_sub_types_map_to_their_condition_and_look_alikes_are_not_confused(question, condition):
    result = ask(question)
    assert result.understood.conditions == (condition,)
    assert result.confident and result.answers[0].condition == condition


@pytest.mark.parametrize(
    "question",
    ["do cannabinoids relieve pain", "can MS or a spinal injury cause spasms", "does it treat the cause of spasms"],
)
def test_questions_with_no_condition_get_a_confident_general_answer(question):
    result = ask(question)
    assert result.confident and result.answers[0].condition is None
    assert result.answers[0].citations


def test_is_cbd_safe_with_botox_is_answered_from_the_interaction_data():
    result = ask("is CBD safe with botox")
    top = result.answers[0]
    assert result.confident and top.topic == "interactions" and "Botulinum toxin" in top.text
    assert not top.verified  # its pair rests on unverified notes, and says so
    assert all("warfarin" not in a.text for a in result.answers)  # never another medicine's pair


def test_a_common_medicine_named_with_a_product_gets_its_checked_answer():
    top = ask("can I take cbd with my metformin").answers[0]
    assert top.short == "No known interaction between metformin and CBD (checked)."


def test_an_unrecognised_medicine_is_never_answered_as_safe():
    result = ask("is cbd safe with blorbium")
    assert not result.confident and "did not recognise a medicine" in result.message
    assert all("No known interaction" not in a.text for a in result.answers)


def test_how_long_to_try_sativex_is_answered_from_the_label_data():
    result = ask("how long should I try Sativex")
    assert result.confident and result.answers[0].topic == "dosing"


@pytest.mark.parametrize(
    "question",
    ["is cannabis good for chronic pain", "is cbd oil good for dystonia", "riluzole restores muscle strength"],
)
def test_every_answer_starts_with_one_plain_short_sentence_then_the_detail(question):
    out = ask_question(question)
    assert out.short_answer == out.answers[0].short
    assert out.short_answer.endswith((".", "…")) and len(out.short_answer) <= 240
    assert out.short_answer != out.answers[0].text  # the detail follows the short answer
    assert all(s.link for a in out.answers for s in a.sources if s.link is not None)


def test_the_short_answer_states_the_grade_in_plain_words():
    assert ask("is cannabis good for chronic pain").answers[0].short.startswith("Yes: there is good evidence")
    cramps = ask("is there evidence dronabinol helps als cramps").answers[0]
    assert cramps.grade == "evidence-of-no-effect" and cramps.short.startswith("No:")
